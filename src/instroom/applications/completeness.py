"""What an application still lacks before it can be submitted, per step of the form."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Application

STEPS: list[tuple[str, Promise]] = [
    ("identity", _("Identity and origin")),
    ("household", _("Household and housing needs")),
    ("support", _("Income and support")),
    ("dossier", _("Dossier")),
    ("motivation", _("Motivation letter")),
    ("consent", _("Consent and submit")),
]
STEP_NAMES = [name for name, _label in STEPS]


@dataclass(frozen=True)
class Missing:
    step: str
    message: Promise


def missing_parts(application: Application) -> list[Missing]:
    a, c = application, application.client
    missing: list[Missing] = []

    def need(condition: bool, step: str, message: Promise) -> None:
        if not condition:
            missing.append(Missing(step, message))

    need(
        bool(c.support_provider_id),
        "identity",
        _("Name the ambulant care provider that will give woonbegeleiding."),
    )
    need(a.rooms_min is not None, "household", _("Say how many rooms the household needs."))
    need(a.preferences.exists(), "household", _("Choose at least one preferred municipality."))
    need(a.yearly_income_eur is not None, "support", _("Enter the yearly household income."))
    need(
        bool(a.budget_management),
        "support",
        _("Say whether there is budget management (choose “None” if not)."),
    )
    need(
        a.expected_support_months is not None,
        "support",
        _("Enter the expected number of months of woonbegeleiding."),
    )
    need(bool(a.dossier_weight), "dossier", _("Choose the dossier weight."))
    need(
        a.has_motivation,
        "motivation",
        _("Add the client's own motivation letter: type it or upload it."),
    )
    need(
        a.consent_given,
        "consent",
        _("Record the client's consent to share data with the named parties."),
    )
    return missing
