"""Intake, route, dossier weights, exclusion reasons and contract forms of a regeling."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .schema import Term, spec

# Care sources a region may admit (the application's `source`); a fixed vocabulary.
SOURCES = ("bw", "mo", "youth", "other")
# Application fields a region may make required (`applications.completeness` knows each).
# The motivation letter, the named care provider and the consent are required everywhere
# (DOMAIN.md §3); the template requires what every application asked before rules were data.
OPTIONAL_FIELDS = (
    "current_facility",
    "rooms_min",
    "preferred_municipalities",
    "yearly_income_eur",
    "budget_management",
    "expected_support_months",
    "dossier_weight",
)
DEFAULT_REQUIRED_FIELDS = (
    "rooms_min",
    "preferred_municipalities",
    "yearly_income_eur",
    "budget_management",
    "expected_support_months",
    "dossier_weight",
)
# The motivation letter, and the documents an application may carry beside it
# (`applications.models.Document`).
DOCUMENTS = ("motivation_letter", "support_plan", "income_statement")
ALWAYS_REQUIRED_DOCUMENTS = ("motivation_letter",)
ROUTES = ("table", "service_point")


@dataclass(frozen=True)
class Intake:
    admitted_sources: tuple[str, ...] = spec(("bw", "mo"), choices=SOURCES, non_empty=True)
    required_fields: tuple[str, ...] = spec(DEFAULT_REQUIRED_FIELDS, choices=OPTIONAL_FIELDS)
    required_documents: tuple[str, ...] = spec(("motivation_letter",), choices=DOCUMENTS)

    def check(self) -> list[tuple[str, str]]:
        problems = []
        for doc in ALWAYS_REQUIRED_DOCUMENTS:
            if doc not in self.required_documents:
                problems.append(
                    ("required_documents", _("the motivation letter is required in every region"))
                )
        return problems


@dataclass(frozen=True)
class Route:
    # "table": an assessment table decides; "service_point": the service point decides alone.
    assessed_by: str = spec("table", choices=ROUTES)
    # Dossier weight (code) from which extra participants (care, corporation, police) are
    # invited to the table; empty: never.
    extra_participants_from: str = spec("heavy")


@dataclass(frozen=True)
class ContractFormRule(Term):
    """A contract form the table's (or service point's) decision picks."""

    tenant: str = spec("client", choices=("client", "care_provider"))
    support_months: int = spec(24, min=1, max=120)
    # The agreement's text; empty: the standard text for this tenant. Articles separated by an
    # empty line, '## ' starts a heading, {tenant}, {address} … are filled in.
    agreement_nl: str = spec("")
    agreement_en: str = spec("")
    # After a positive final evaluation: a regular lease for an indefinite time, a lease for
    # a fixed number of years, or no conversion.
    conversion: str = spec("regular_lease", choices=("regular_lease", "fixed_term", "none"))
    lease_years_after_conversion: int = spec(0, min=0, max=30)

    def check(self) -> list[tuple[str, str]]:
        if self.conversion == "fixed_term" and not self.lease_years_after_conversion:
            return [
                (
                    "lease_years_after_conversion",
                    _("a fixed-term lease after conversion needs its number of years"),
                )
            ]
        return []


DEFAULT_DOSSIER_WEIGHTS = (
    Term("light", "Licht", "Light"),
    Term("medium", "Gemiddeld", "Medium"),
    Term("heavy", "Zwaar", "Heavy"),
)
DEFAULT_EXCLUSION_REASONS = (
    Term(
        "safety",
        "Veiligheid (dreiging, slachtoffer of dader in de buurt)",
        "Safety (threat, victim or perpetrator nearby)",
    ),
    Term(
        "network",
        "Vroeger netwerk of verslavingsomgeving",
        "Former network or addiction environment",
    ),
    Term("family", "Familie- of relatieredenen", "Family or relationship reasons"),
    Term("other", "Anders", "Other"),
)
DEFAULT_CONTRACT_FORMS = (
    ContractFormRule(
        "three_party", "Driehoekscontract", "Three-party contract (driehoekscontract)"
    ),
    ContractFormRule(
        "care_lease",
        "Eerst verhuurd aan de zorgaanbieder",
        "Rented first to the care provider",
        tenant="care_provider",
    ),
)
