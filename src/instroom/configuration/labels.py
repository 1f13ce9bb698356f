"""The words of the rules pages: a label per setting of the rules document, per choice of a
setting and per part of it. Keyed by `Section.field` (or by the field's name alone where the
name means the same everywhere), so pages, overview and change history say the same."""

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The parts of the document, by path.
PARTS: dict[str, Promise] = {
    "intake": _("Intake"),
    "route": _("Route of a decision"),
    "dossier_weight": _("Dossier weights"),
    "exclusion_reason": _("Reasons to exclude a place"),
    "contract_form": _("Contract forms"),
    "matching": _("Matching: deadlines and parking"),
    "matching.filters": _("Hard filters"),
    "matching.filters.age_band": _("Age band"),
    "matching.score": _("Score points"),
    "matching.criterion": _("Explanation of each criterion on the ranking"),
    "matching.cotenancy": _("Living together in a cluster (woonvorm)"),
    "matching.refusal_reason": _("Refusal reasons"),
    "support": _("Support: deadlines and time-out"),
    "support.meeting_kind": _("Meeting kinds"),
    "support.checklist": _("Checklist of a meeting"),
    "support.signal_kind": _("Signal kinds"),
    "support.severity": _("Severities (from light to most severe)"),
    "support.signal_outcome": _("Outcomes of a signal"),
}

# The first word of a changed setting's path in the history (the part titles say more).
SHORT: dict[str, Promise] = {
    "matching": _("Matching"),
    "support": _("Support"),
}

FIELDS: dict[str, Promise] = {
    # Shared by every list of terms.
    "code": _("Code (stored; lower-case letters, digits, _)"),
    "nl": _("Wording in Dutch"),
    "en": _("Wording in English"),
    # Intake and route
    "Intake.admitted_sources": _("Clients may come from"),
    "Intake.required_fields": _("Fields an application must fill in"),
    "Intake.required_documents": _("Documents an application must attach"),
    "Route.assessed_by": _("Who decides on an application"),
    "Route.extra_participants_from": _(
        "Dossier weight from which care, corporation and police join the table"
    ),
    # Contract forms
    "ContractFormRule.tenant": _("Tenant"),
    "ContractFormRule.support_months": _("Months of support"),
    "ContractFormRule.agreement_nl": _("Agreement text in Dutch (empty: the standard text)"),
    "ContractFormRule.agreement_en": _("Agreement text in English (empty: the standard text)"),
    "ContractFormRule.conversion": _("After a positive final evaluation"),
    "ContractFormRule.lease_years_after_conversion": _("Years of a fixed-term lease"),
    # Matching
    "Matching.provider_response_days": _("Days the care provider has to answer an offer"),
    "Matching.client_response_days": _("Days the client has to answer an offer"),
    "Matching.escalate_after_days": _("Days after a deadline before the service point is told"),
    "Matching.refusals_before_parking": _("Warnings before a client is parked"),
    "Matching.parking_months": _("Months a client is parked"),
    "Matching.status_request_after_days": _("Days without news before a status request"),
    "Matching.status_answer_days": _("Days to answer a status request"),
    "Filters.pets": _("Pets must be allowed in the home"),
    "Filters.accessibility": _("The home must meet the accessibility need"),
    "Filters.local_tie": _("The home must lie in the municipality of origin"),
    "Filters.overhousing": _("Limit the rooms above the client's need"),
    "Filters.overhousing_margin": _("Rooms above the need at most"),
    "Cotenancy.max_age_gap": _("Years between the youngest and the oldest at most (0: off)"),
    "Cotenancy.max_heavy": _("Clients with a heavy dossier per cluster at most (0: off)"),
    "Cotenancy.heavy_weights": _(
        "Dossier weights that count as heavy (codes, separated by commas)"
    ),
    "Cotenancy.respect_marks": _("Respect the care provider's “not together” marks"),
    "AgeBand.enabled": _("Only clients within an age band"),
    "AgeBand.min_age": _("Lowest age"),
    "AgeBand.max_age": _("Highest age"),
    "Score.preference_points": _(
        "Points for the 1st, 2nd, 3rd … preferred municipality (separated by commas)"
    ),
    "Score.waiting_points_per_month": _("Points per month of waiting"),
    "Score.waiting_max_points": _("Most points for waiting"),
    "Score.urgency_points_per_level": _("Points per level of urgency"),
    "Score.fit_points": _("Points for a home that fits"),
    "Score.overhousing_penalty_per_room": _("Points less per room above the need"),
    "Score.origin_points": _("Points for a home in the municipality of origin"),
    "Criterion.code": _("Criterion"),
    "RefusalReason.consequence": _("Consequence"),
    "RefusalReason.parking_months": _("Months parked (consequence “parked”)"),
    # Support
    "Support.orientation_months_before": _("Months before the move that orientation starts"),
    "Support.handover_days_before": _("Days before the move of the warm handover"),
    "Support.plan_days_before": _("Days before the move the support plan is due"),
    "Support.escalate_after_days": _("Days an overdue meeting waits before escalation"),
    "Support.timeout_max_days": _("Longest time-out in days"),
    "MeetingKindRule.moment": _("When it falls due"),
    "MeetingKindRule.months": _("Months after moving in (separated by commas)"),
    "ChecklistItem.text_nl": _("Question in Dutch"),
    "ChecklistItem.text_en": _("Question in English"),
    "ChecklistItem.kinds": _("At meeting kinds (codes, separated by commas; empty: every meeting)"),
    "SignalOutcomeRule.ends_contract": _("Ends the contract"),
}

CHOICES: dict[str, dict[str, Promise]] = {
    "Intake.admitted_sources": {
        "bw": _("Protected housing (BW)"),
        "mo": _("Shelter (MO)"),
        "youth": _("Youth care"),
        "other": _("Other"),
    },
    "Intake.required_fields": {
        "current_facility": _("current facility"),
        "rooms_min": _("rooms needed (at least)"),
        "yearly_income_eur": _("yearly household income (EUR)"),
        "expected_support_months": _("expected months of woonbegeleiding"),
        "dossier_weight": _("dossier weight"),
        "budget_management": _("budget management"),
        "income_source": _("Source of income"),
        "debts": _("Debts"),
        "daytime_activity": _("Daytime activity"),
        "network": _("Network"),
        "preferred_municipalities": _("Preferred municipalities"),
    },
    "Intake.required_documents": {
        "motivation_letter": _("Motivation letter"),
        "support_plan": _("Support plan"),
        "income_statement": _("Income statement"),
    },
    "Route.assessed_by": {
        "table": _("An assessment table"),
        "service_point": _("The service point alone"),
    },
    "ContractFormRule.tenant": {
        "client": _("The client"),
        "care_provider": _("The care provider"),
    },
    "ContractFormRule.conversion": {
        "regular_lease": _("A regular lease for an indefinite time"),
        "fixed_term": _("A lease for a fixed number of years"),
        "none": _("No conversion"),
    },
    "Criterion.code": {
        "preference": _("Preference"),
        "waiting": _("Waiting time"),
        "urgency": _("Urgency"),
        "fit": _("Fit"),
        "origin": _("Origin"),
    },
    "RefusalReason.consequence": {
        "none": _("No consequence"),
        "warning": _("A warning (enough warnings park the client)"),
        "parked": _("Parked for the months given"),
        "back_to_table": _("Back to the table"),
    },
    "MeetingKindRule.moment": {
        "before_move": _("Before the move"),
        "move_in": _("At the move-in"),
        "months_after_move_in": _("Months after moving in"),
        "end_of_support": _("At the end of the support"),
        "on_demand": _("Only when someone plans one"),
    },
}


def field_label(section: type, name: str) -> Any:
    return FIELDS.get(f"{section.__name__}.{name}") or FIELDS.get(name) or name


def choice_labels(section: type, name: str) -> dict[str, Promise]:
    return CHOICES.get(f"{section.__name__}.{name}", {})
