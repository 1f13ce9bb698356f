"""What an application still lacks before it can be submitted, per step of the form."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from instroom.regions.rules.intake import OPTIONAL_FIELDS
from instroom.regions.selectors import rules_for

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


# What a region may require (`rules.intake.required_fields`): the step of the form that asks
# it, whether the application has it, and what to tell the applicant.
FIELD_CHECKS: dict[str, tuple[str, Callable[[Application], bool], Promise]] = {
    "current_facility": (
        "identity",
        lambda a: bool(a.current_facility.strip()),
        _("Enter the client's current facility."),
    ),
    "rooms_min": (
        "household",
        lambda a: a.rooms_min is not None,
        _("Say how many rooms the household needs."),
    ),
    "preferred_municipalities": (
        "household",
        lambda a: a.preferences.exists(),
        _("Choose at least one preferred municipality."),
    ),
    "yearly_income_eur": (
        "support",
        lambda a: a.yearly_income_eur is not None,
        _("Enter the yearly household income."),
    ),
    "budget_management": (
        "support",
        lambda a: bool(a.budget_management),
        _("Say whether there is budget management (choose “None” if not)."),
    ),
    "expected_support_months": (
        "support",
        lambda a: a.expected_support_months is not None,
        _("Enter the expected number of months of woonbegeleiding."),
    ),
    "dossier_weight": (
        "dossier",
        lambda a: bool(a.dossier_weight),
        _("Choose the dossier weight."),
    ),
}
DOCUMENT_MESSAGES: dict[str, Promise] = {
    "support_plan": _("Upload the support plan (required in this region)."),
    "income_statement": _("Upload the income statement (required in this region)."),
}


def missing_parts(application: Application) -> list[Missing]:
    """What is still missing, by the intake rules of the client's region that apply today (the
    motivation letter, the ambulant care provider and the consent everywhere)."""
    a, c = application, application.client
    intake = rules_for(c.region_id).rules.intake
    missing: list[Missing] = []

    def need(condition: bool, step: str, message: Promise) -> None:
        if not condition:
            missing.append(Missing(step, message))

    need(
        c.source in intake.admitted_sources,
        "identity",
        _("This region does not admit clients from this kind of care."),
    )
    need(
        bool(c.support_provider_id),
        "identity",
        _("Name the ambulant care provider that will give woonbegeleiding."),
    )
    for name in OPTIONAL_FIELDS:  # in the order of the form
        if name in intake.required_fields:
            step, present, message = FIELD_CHECKS[name]
            need(present(a), step, message)
    need(
        a.has_motivation,
        "motivation",
        _("Add the client's own motivation letter: type it or upload it."),
    )
    uploaded = set(a.documents.values_list("kind", flat=True))
    for kind in intake.required_documents:
        if kind in DOCUMENT_MESSAGES:
            need(kind in uploaded, "motivation", DOCUMENT_MESSAGES[kind])
    need(
        a.consent_given,
        "consent",
        _("Record the client's consent to share data with the named parties."),
    )
    return missing
