"""Fictional clients of the fictional region Lindewaard, whose rules differ from the Pact's: young
adults (18 to 27) from BW, MO and youth care, a support plan with every application, and the
service point deciding alone (no table), with a third contract form (the youth home).

Everything goes through the services, as in `demo.data`. The region's users are made by
`demo.data`; when one is missing this module makes nothing (the demo still works)."""

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from faker import Faker

from instroom.accounts.models import User
from instroom.applications import services as application_services
from instroom.applications.fictional import fictional_bsns
from instroom.applications.models import Application, Client
from instroom.assessment import services as assessment_services
from instroom.regions.constants import OrganisationType
from instroom.regions.models import Organisation, Region
from instroom.regions.selectors import rules_for

REGION = "lindewaard"
COORDINATOR = "coordinator-lindewaard"
APPLICANT = "aanmelder-lindewaard"
# Fictional BSNs of their own, apart from the Pact's demo clients.
FIRST_BSN = 999_993_000

# (state, contract form when approved): every stage the service point's route has.
PLAN: list[tuple[str, str]] = [
    ("draft", ""),
    ("submitted", ""),
    ("complete", ""),
    ("complete", ""),
    ("deferred", ""),
    ("rejected", ""),
    ("approved", "youth_home"),
    ("approved", "youth_home"),
    ("approved", "three_party"),
    ("approved", "care_lease"),
]

# A tiny but real PDF: the service checks what a document is by its content.
SUPPORT_PLAN = b"%PDF-1.4\n% Ondersteuningsplan (fictief)\n"


def _users() -> tuple[Any, Any] | None:
    found = {u.username: u for u in User.objects.filter(username__in=[COORDINATOR, APPLICANT])}
    if len(found) < 2:
        return None
    return found[COORDINATOR], found[APPLICANT]


@transaction.atomic
def create_clients(seed: int = 2027) -> int:
    """The demo clients of Lindewaard; 0 when they exist already or the region's users do not."""
    region = Region.objects.filter(slug=REGION).first()
    users = _users()
    if region is None or users is None or Client.objects.filter(region=region).exists():
        return 0
    coordinator, worker = users
    care_provider = Organisation.objects.filter(
        memberships__user=worker, type=OrganisationType.CARE_PROVIDER, region=region
    ).first()
    if care_provider is None:
        return 0
    rules = rules_for(region.pk).rules
    band = rules.matching.filters.age_band
    low, high = (band.min_age, band.max_age) if band.enabled else (18, 27)
    rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
    fake = Faker("nl_NL")
    fake.seed_instance(seed)
    municipalities = list(region.municipalities.order_by("cbs_code"))
    supporters = list(region.organisations.filter(provides_ambulant_support=True, active=True))
    bsns = fictional_bsns(FIRST_BSN)
    today = timezone.localdate()
    for state, form in PLAN:
        age = rng.randint(low, high)
        # Turned `age` between a day and ten months ago: inside the band on every day.
        birthday = date(today.year - age, today.month, min(today.day, 28)) - timedelta(
            days=rng.randint(1, 300)
        )
        application = application_services.application_create(
            actor=worker,
            care_provider=care_provider,
            support_provider=rng.choice(supporters),
            municipality_of_origin=rng.choice(municipalities),
            first_name=fake.first_name(),
            last_name=fake.last_name(),
            bsn=next(bsns),
            date_of_birth=birthday,
            source=rng.choice(rules.intake.admitted_sources),
        )
        _fill(application, worker=worker, rng=rng, fake=fake, municipalities=municipalities)
        if state == "draft":
            continue
        application_services.application_submit(actor=worker, application=application)
        if state == "submitted":
            continue
        application_services.application_mark_complete(actor=coordinator, application=application)
        if state != "complete":
            _decide(application, state, form, coordinator=coordinator)
    return len(PLAN)


def _fill(
    application: Application,
    *,
    worker: Any,
    rng: random.Random,
    fake: Faker,
    municipalities: list[Any],
) -> None:
    s = application_services
    weights = [w.code for w in rules_for(application.client.region_id).rules.dossier_weight]
    s.application_update(
        actor=worker,
        application=application,
        current_facility=rng.choice(["Jeugdhuis De Brug", "Kamers De Linde", "Opvang Oost"]),
        rooms_min=1,
        yearly_income_eur=Decimal(rng.randrange(12000, 22000, 250)),
        budget_management=rng.choice(["none", "voluntary", "budgetbeheer"]),
        expected_support_months=rng.choice([18, 24]),
        dossier_weight=rng.choice(weights[:2] or weights),
        motivation_text=fake.paragraph(nb_sentences=4),
    )
    s.application_attach_document(
        actor=worker,
        application=application,
        kind="support_plan",
        upload=SimpleUploadedFile("ondersteuningsplan.pdf", SUPPORT_PLAN),
    )
    s.application_set_preferences(
        actor=worker, application=application, municipalities=rng.sample(municipalities, k=2)
    )
    s.application_record_consent(actor=worker, application=application, given=True)


def _decide(application: Application, state: str, form: str, *, coordinator: Any) -> None:
    """The service point's own decision (the region's route has no table)."""
    decide = assessment_services.service_point_decision_record
    if state == "approved":
        decide(
            actor=coordinator,
            application=application,
            outcome="approve",
            reasoning="Klaar om zelfstandig te wonen; begeleiding door het Anker is geregeld.",
            contract_form=form,
        )
    elif state == "rejected":
        decide(
            actor=coordinator,
            application=application,
            outcome="reject",
            reasoning="Eerst een half jaar oefenen met zelfstandig wonen in de groep.",
            earliest_reapplication=timezone.localdate() + timedelta(days=180),
        )
    else:
        decide(
            actor=coordinator,
            application=application,
            outcome="defer",
            reasoning="Het besluit wacht op het verslag van de mentor.",
            missing_information="Verslag van de mentor van het jeugdhuis.",
        )
