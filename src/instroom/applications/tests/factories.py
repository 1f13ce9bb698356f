import itertools
from datetime import date
from decimal import Decimal
from typing import Any

from faker import Faker

from instroom.applications import services
from instroom.applications.fictional import fictional_bsns
from instroom.applications.models import Application, Client
from instroom.regions import rules as rules_module
from instroom.regions.models import Organisation, Region, RuleVersion
from instroom.regions.selectors import rules_for

_fake = Faker("nl_NL")
# The 455 test numbers from 999 995 000 on, over and over: a whole run makes more applications
# than that; `_unused_bsn` skips a number a client in the database still has.
_bsns = itertools.cycle(list(fictional_bsns(999_995_000)))


def _unused_bsn() -> str:
    for _ in range(500):
        candidate = next(_bsns)
        if not Client.objects.filter(bsn=candidate).exists():
            return candidate
    raise RuntimeError("every fictional test BSN is in use")


def _surname() -> str:
    """A Dutch fake surname that a page shows as written: "d'Heripon" comes out HTML-escaped,
    and a test looking for the name would fail by chance."""
    while "'" in (name := _fake.last_name()):
        pass
    return name


def make_application(
    actor: Any,
    care_provider: Organisation,
    *,
    support_provider: Organisation | None = None,
    complete: bool = True,
    **overrides: Any,
) -> Application:
    """A draft application made through the services, as an applicant worker would: with every
    required part filled in (`complete=True`), ready to submit, or with identity only."""
    region = care_provider.region
    fields: dict[str, Any] = {
        "first_name": _fake.first_name(),
        "last_name": _surname(),
        "bsn": _unused_bsn(),
        "date_of_birth": date(1990, 5, 17),
        "source": "bw",
        "municipality_of_origin": region.municipalities.order_by("cbs_code").first(),
        "support_provider": support_provider or care_provider,
    }
    fields.update(overrides)
    application = services.application_create(actor=actor, care_provider=care_provider, **fields)
    if complete:
        fill_application(actor, application)
    return application


def fill_application(actor: Any, application: Application) -> Application:
    services.application_update(
        actor=actor,
        application=application,
        rooms_min=1,
        yearly_income_eur=Decimal("21000"),
        budget_management="none",
        expected_support_months=24,
        dossier_weight="light",
        motivation_text=_fake.paragraph(nb_sentences=4),
    )
    services.application_set_preferences(
        actor=actor,
        application=application,
        municipalities=[application.client.municipality_of_origin],
    )
    services.application_record_consent(actor=actor, application=application, given=True)
    return application


def give_rules(
    region: Region, *, valid_from: date = date(2000, 1, 1), **sections: Any
) -> RuleVersion:
    """A new rules version for `region`: its current rules with `sections` replaced (e.g.
    `route=Route(assessed_by="service_point")`), applying from `valid_from`."""
    current = rules_for(region.pk).rules
    rules = current.with_changes(**sections)
    rules_module.read(rules_module.write(rules))  # as valid as one the administrator saves
    number = (
        RuleVersion.objects.filter(region=region)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
        or 0
    ) + 1
    return RuleVersion.objects.create(
        region=region, number=number, valid_from=valid_from, rules=rules_module.write(rules)
    )
