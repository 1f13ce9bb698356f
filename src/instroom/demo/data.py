"""Builds the demo data set: the reference region, one user per role, and fictional clients at
every stage that exists. Everything goes through the services, so the audit log is real too."""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from faker import Faker

from instroom.accounts.constants import Role
from instroom.accounts.models import User
from instroom.accounts.services import membership_grant
from instroom.applications import services as application_services
from instroom.applications.fictional import fictional_bsns
from instroom.applications.models import Application, Client
from instroom.assessment import services as assessment_services
from instroom.regions.constants import OrganisationType
from instroom.regions.models import Organisation, Region

REGION = "zk-ijmond"
FIXTURES = ["zk-ijmond", "lindewaard", "overbetuwe", "zwolle"]


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str | None  # None: the platform operator (a superuser without a region)
    organisation: str  # slug within the region
    is_superuser: bool = False
    region: str = REGION


# One per role, plus a second applicant worker at another care provider (to show that
# organisations do not see each other's clients).
DEMO_USERS = [
    DemoUser("coordinator", "Cora", "de Coördinator", Role.COORDINATOR, "servicepunt"),
    DemoUser("aanmelder", "Anouk", "Aanmelder", Role.APPLICANT_WORKER, "hvo-querido"),
    DemoUser("aanmelder-ldh", "Bram", "Aanmelder", Role.APPLICANT_WORKER, "leger-des-heils"),
    DemoUser("woonbegeleider", "Wim", "Begeleider", Role.SUPPORT_WORKER, "ribw-kam"),
    DemoUser("tafellid", "Tara", "Tafel", Role.TABLE_MEMBER, "gemeente-haarlem"),
    DemoUser("corporatie", "Cees", "Corporatie", Role.CORPORATION_STAFF, "ymere"),
    DemoUser("welzijn", "Wendy", "Welzijn", Role.WELFARE, "dock"),
    DemoUser("gemeente", "Gijs", "Gemeente", Role.MUNICIPALITY, "gemeente-haarlem"),
    DemoUser("politie", "Piet", "Politie", Role.POLICE, "politie-kennemerland"),
    # Regional administrators configure their own region only (no case content, no superuser).
    DemoUser("beheerder", "Bea", "Beheerder", Role.ADMINISTRATOR, "servicepunt"),
    # Lindewaard, the second (fictional) region: its service point and one user of each side.
    DemoUser(
        "beheerder-lindewaard",
        "Lotte",
        "Beheerder",
        Role.ADMINISTRATOR,
        "servicepunt",
        region="lindewaard",
    ),
    DemoUser(
        "coordinator-lindewaard",
        "Lars",
        "Coördinator",
        Role.COORDINATOR,
        "servicepunt",
        region="lindewaard",
    ),
    DemoUser(
        "aanmelder-lindewaard",
        "Lieke",
        "Aanmelder",
        Role.APPLICANT_WORKER,
        "zorggroep-het-anker",
        region="lindewaard",
    ),
    DemoUser(
        "corporatie-lindewaard",
        "Luuk",
        "Corporatie",
        Role.CORPORATION_STAFF,
        "woonstichting-de-linde",
        region="lindewaard",
    ),
    DemoUser(
        "woonbegeleider-lindewaard",
        "Linda",
        "Begeleider",
        Role.SUPPORT_WORKER,
        "zorggroep-het-anker",
        region="lindewaard",
    ),
    # The seeds' own regions: Overbetuwe (one municipality, youth care admitted) and Zwolle
    # (two sub-regions), each with its administrator and coordinator at the service point.
    DemoUser(
        "beheerder-overbetuwe",
        "Olga",
        "Beheerder",
        Role.ADMINISTRATOR,
        "servicepunt",
        region="overbetuwe",
    ),
    DemoUser(
        "coordinator-overbetuwe",
        "Otto",
        "Coördinator",
        Role.COORDINATOR,
        "servicepunt",
        region="overbetuwe",
    ),
    DemoUser(
        "aanmelder-overbetuwe",
        "Olivia",
        "Aanmelder",
        Role.APPLICANT_WORKER,
        "kubuszorg",
        region="overbetuwe",
    ),
    DemoUser(
        "beheerder-zwolle",
        "Zoë",
        "Beheerder",
        Role.ADMINISTRATOR,
        "servicepunt",
        region="zwolle",
    ),
    DemoUser(
        "coordinator-zwolle",
        "Zeger",
        "Coördinator",
        Role.COORDINATOR,
        "servicepunt",
        region="zwolle",
    ),
    # The platform operator: a superuser of the whole installation, in no region.
    DemoUser("platform", "Paula", "Platform", None, "", is_superuser=True, region=""),
]


def load_regions() -> None:
    call_command("loaddata", *FIXTURES, verbosity=0)


def create_users(password: str) -> list[tuple[DemoUser, bool]]:
    regions = {r.slug: r for r in Region.objects.filter(slug__in=FIXTURES)}
    created = []
    for spec in DEMO_USERS:
        user, is_new = User.objects.get_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@demo.instroom.invalid",
                "is_staff": spec.is_superuser,
                "is_superuser": spec.is_superuser,
            },
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        if spec.role is not None and not user.memberships.exists():
            organisation = Organisation.objects.get(
                region=regions[spec.region], slug=spec.organisation
            )
            membership_grant(actor=None, user=user, organisation=organisation, role=spec.role)
        created.append((spec, is_new))
    return created


# How many demo cases end in each state of the stages that exist (intake and assessment).
STATE_PLAN = {
    "draft": 5,
    "submitted": 6,
    "returned": 3,
    "complete": 6,
    "scheduled": 6,
    "deferred": 2,
    "rejected": 2,
    "approved": 30,
    "withdrawn": 2,
}
ASSESSED = ("scheduled", "deferred", "rejected", "approved")


@transaction.atomic
def create_clients(seed: int = 2026) -> int:
    if Client.objects.filter(region__slug=REGION).exists():
        return 0
    rng = random.Random(seed)
    fake = Faker("nl_NL")
    fake.seed_instance(seed)
    region = Region.objects.get(slug=REGION)
    municipalities = list(region.municipalities.all())
    supporters = list(region.organisations.filter(provides_ambulant_support=True))
    applicants = {
        u.username: u for u in User.objects.filter(username__in=["aanmelder", "aanmelder-ldh"])
    }
    coordinator = User.objects.get(username="coordinator")
    bsns = fictional_bsns()
    count = 0
    to_assess: list[tuple[Application, str]] = []
    for state, n in STATE_PLAN.items():
        for _ in range(n):
            worker = applicants[rng.choice(sorted(applicants))]
            care_provider = Organisation.objects.get(
                memberships__user=worker, type=OrganisationType.CARE_PROVIDER
            )
            age = rng.randint(18, 64)
            application = application_services.application_create(
                actor=worker,
                care_provider=care_provider,
                support_provider=rng.choice(supporters),
                municipality_of_origin=rng.choice(municipalities),
                first_name=fake.first_name(),
                last_name=fake.last_name(),
                bsn=next(bsns),
                date_of_birth=date.today() - timedelta(days=age * 365 + rng.randint(0, 364)),
                source=rng.choice(region.admitted_sources),
                household_adults=1 if rng.random() < 0.85 else 2,
                household_children=0 if rng.random() < 0.8 else rng.randint(1, 3),
            )
            if state != "draft" or rng.random() < 0.5:
                _fill(application, worker=worker, rng=rng, fake=fake, municipalities=municipalities)
            _advance(application, state, worker=worker, coordinator=coordinator, fake=fake)
            if state in ASSESSED:
                to_assess.append((application, state))
            count += 1
    _assess(region, to_assess, coordinator=coordinator, rng=rng)
    _spread_over_time(region, rng)
    return count


def _spread_over_time(region: Region, rng: random.Random) -> None:
    """The services stamp everything "now"; a demo region has a history. Move each case's
    milestones back in time, in their order, so lead times and waiting times look real."""
    now = timezone.now()
    for application in Application.objects.filter(client__region=region).exclude(
        submitted_at__isnull=True
    ):
        early = application.state in ("submitted", "returned", "complete", "scheduled")
        steps = [("submitted_at", rng.randint(3, 40) if early else rng.randint(20, 420))]
        if application.completed_at:
            steps.append(("completed_at", rng.randint(2, 25)))
        if application.decided_at:
            steps.append(("decided_at", rng.randint(7, 42)))
        moment = now - timedelta(days=steps[0][1])
        fields: dict[str, Any] = {"created_at": moment - timedelta(days=rng.randint(1, 10))}
        for field, days in steps:
            if field != "submitted_at":
                moment = min(moment + timedelta(days=days), now)
            fields[field] = moment
        fields["state_changed_at"] = moment
        Application.objects.filter(pk=application.pk).update(**fields)


def _assess(
    region: Region, cases: list[tuple[Application, str]], *, coordinator: Any, rng: random.Random
) -> None:
    """Per table: a session whose cases are decided (then closed), and a next one with an open
    agenda, sent to the members, a heavy case with the police invited."""
    chair = User.objects.get(username="tafellid")
    police = User.objects.get(username="politie")
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for table in region.tables.order_by("name"):
        assessment_services.table_member_add(actor=None, table=table, user=chair, is_chair=True)
        mine = [(a, st) for a, st in cases if a.table_id == table.pk]
        decided = [(a, st) for a, st in mine if st != "scheduled"]
        if decided:
            past = assessment_services.session_plan(
                actor=coordinator,
                table=table,
                starts_at=now - timedelta(hours=1),  # met today: decided on its day
                location="Servicepunt, vergaderzaal",
            )
            for application, state in decided:
                item = assessment_services.agenda_add(
                    actor=coordinator, session=past, application=application
                )
                _decide(item, state, chair=chair, rng=rng)
            assessment_services.session_close(actor=coordinator, session=past)
        upcoming = assessment_services.session_plan(
            actor=coordinator,
            table=table,
            starts_at=now + timedelta(days=7 + rng.randint(0, 14)),
            location="Servicepunt, vergaderzaal",
        )
        for application, state in mine:
            if state == "scheduled":
                item = assessment_services.agenda_add(
                    actor=coordinator, session=upcoming, application=application
                )
                if application.dossier_weight == "heavy":
                    assessment_services.invite(actor=coordinator, item=item, user=police)
        if upcoming.items.exists():
            assessment_services.agenda_publish(actor=coordinator, session=upcoming)


def _decide(item: Any, state: str, *, chair: Any, rng: random.Random) -> None:
    s = assessment_services
    if state == "approved":
        months = item.application.expected_support_months or 24
        s.decision_record(
            actor=chair,
            item=item,
            outcome="approve",
            reasoning="De cliënt is klaar om zelfstandig te wonen; woonbegeleiding is geregeld.",
            contract_form="three_party" if months <= 24 else "care_lease",
            support_months=months,
            urgency=rng.choice([0, 0, 0, 1, 2]),
        )
    elif state == "rejected":
        s.decision_record(
            actor=chair,
            item=item,
            outcome="reject",
            reasoning="Zelfstandig wonen is nu nog niet haalbaar; eerst stabiliseren.",
            earliest_reapplication=timezone.localdate() + timedelta(days=180),
        )
    else:
        s.decision_record(
            actor=chair,
            item=item,
            outcome="defer",
            reasoning="Het besluit wacht op aanvullende informatie.",
            missing_information="Actueel verslag van de woonbegeleider.",
        )


def _fill(
    application: Application,
    *,
    worker: Any,
    rng: random.Random,
    fake: Faker,
    municipalities: list[Any],
) -> None:
    """Every required part, with believable variety."""
    s = application_services
    s.application_update(
        actor=worker,
        application=application,
        current_facility=rng.choice(
            [
                "Locatie Kennemerhof",
                "Huis aan de Spaarne",
                "Opvang De Brug",
                "Woonvoorziening Duinzicht",
            ]
        ),
        rooms_min=rng.choice([1, 1, 1, 2, 2, 3]),
        needs_ground_floor_or_lift=rng.random() < 0.15,
        yearly_income_eur=Decimal(rng.randrange(14000, 32000, 250)),
        budget_management=rng.choice(["none", "none", "voluntary", "budgetbeheer", "bewind"]),
        expected_support_months=rng.choice([24, 24, 24, 24, 24, 24, 36]),
        dossier_weight=rng.choices(["light", "medium", "heavy"], weights=[5, 3, 1])[0],
        history_arrears=rng.random() < 0.3,
        history_nuisance=rng.random() < 0.15,
        motivation_text=fake.paragraph(nb_sentences=5),
    )
    origin = application.client.municipality_of_origin
    others = [m for m in municipalities if m != origin]
    s.application_set_preferences(
        actor=worker,
        application=application,
        municipalities=[origin, *rng.sample(others, k=rng.randint(0, 2))],
    )
    s.application_record_consent(actor=worker, application=application, given=True)


def _advance(
    application: Application, state: str, *, worker: Any, coordinator: Any, fake: Faker
) -> None:
    s = application_services
    if state == "draft":
        return
    if state == "withdrawn":
        s.application_withdraw(
            actor=worker, application=application, reason="Kiest voor een andere woonvorm"
        )
        return
    s.application_submit(actor=worker, application=application)
    if state == "returned":
        s.application_return(
            actor=coordinator,
            application=application,
            reason="De motivatiebrief van de cliënt ontbreekt nog.",
        )
    elif state == "complete" or state in ASSESSED:
        s.application_mark_complete(actor=coordinator, application=application)
