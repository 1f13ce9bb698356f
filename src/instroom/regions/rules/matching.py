"""The match point of a regeling: hard filters, score, deadlines and refusal consequences."""

from dataclasses import dataclass, field

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .schema import Term, spec

# Score criteria the code can compute; a region chooses their points and words.
CRITERIA = ("preference", "waiting", "urgency", "fit", "origin")
CONSEQUENCES = ("none", "warning", "parked", "back_to_table")


@dataclass(frozen=True)
class AgeBand:
    enabled: bool = False
    min_age: int = spec(18, min=16, max=110)
    max_age: int = spec(110, min=16, max=110)

    def check(self) -> list[tuple[str, str]]:
        if self.min_age > self.max_age:
            return [("max_age", _("the highest age is below the lowest"))]
        return []


@dataclass(frozen=True)
class Filters:
    """Hard filters a region may switch on or off, with their parameters. Excluded places, too
    few rooms, rent above the passend-toewijzen limit, the caps, parking and the support
    provider's working area always apply."""

    pets: bool = True
    accessibility: bool = True
    age_band: AgeBand = field(default_factory=AgeBand)
    # The home must lie in the client's municipality of origin.
    local_tie: bool = False
    # At most this many rooms above the client's need (off: bigger homes only score less).
    overhousing: bool = False
    overhousing_margin: int = spec(1, min=0, max=5)


@dataclass(frozen=True)
class Score:
    """Points per criterion (`matching.core.ScoreConfig`); 0 switches a criterion off."""

    preference_points: tuple[int, ...] = spec((30, 20, 10), max=1000)
    waiting_points_per_month: int = spec(1, max=1000)
    waiting_max_points: int = spec(24, max=1000)
    urgency_points_per_level: int = spec(10, max=1000)
    fit_points: int = spec(10, max=1000)
    overhousing_penalty_per_room: int = spec(5, max=1000)
    origin_points: int = spec(5, max=1000)


@dataclass(frozen=True)
class Criterion:
    """How the ranking page explains one criterion, in the region's own words."""

    code: str = spec(choices=CRITERIA)
    nl: str = spec(required_text=True)
    en: str = spec(required_text=True)

    @property
    def label(self) -> str:
        return self.en if (get_language() or "nl").startswith("en") else self.nl


@dataclass(frozen=True)
class RefusalReason(Term):
    """A reason to decline an offer and what follows when the service point confirms it:
    nothing, a warning (`refusals_before_parking` warnings park the client), parked for
    `parking_months`, or back to the table."""

    consequence: str = spec("warning", choices=CONSEQUENCES)
    parking_months: int = spec(6, min=1, max=36)


DEFAULT_CRITERIA = (
    Criterion(
        "preference",
        "Voorkeur: punten voor de plaats van de gemeente in de voorkeurslijst van de cliënt.",
        "Preference: points for the place of the municipality in the client's list.",
    ),
    Criterion(
        "waiting",
        "Wachttijd: punten per hele maand sinds het besluit van de tafel, tot een maximum.",
        "Waiting: points per whole month since the table's decision, up to a maximum.",
    ),
    Criterion(
        "urgency",
        "Urgentie: punten per niveau dat de tafel vaststelde.",
        "Urgency: points per level the table set.",
    ),
    Criterion(
        "fit",
        "Passend: punten voor een woning die past, minder per kamer boven de behoefte.",
        "Fit: points for a home that fits, fewer per room above the need.",
    ),
    Criterion(
        "origin",
        "Herkomst: de woning ligt in de gemeente van herkomst.",
        "Origin: the home lies in the municipality of origin.",
    ),
)
DEFAULT_REFUSAL_REASONS = (
    RefusalReason(
        "location",
        "Ligging: te ver van netwerk, werk of school",
        "Location: too far from network, work or school",
    ),
    RefusalReason(
        "unsuitable", "De woning past niet bij de behoeften", "The home does not fit the needs"
    ),
    RefusalReason(
        "neighbourhood",
        "Buurt onveilig of ongeschikt voor deze cliënt",
        "Neighbourhood unsafe or unsuitable for this client",
    ),
    RefusalReason(
        "not_ready",
        "De cliënt is nog niet klaar om te verhuizen",
        "The client is not ready to move yet",
    ),
    RefusalReason(
        "affordability", "Niet betaalbaar voor de cliënt", "Not affordable for the client"
    ),
    RefusalReason("other", "Andere reden", "Other reason"),
)


@dataclass(frozen=True)
class Cotenancy:
    """Who may live together in the places of one cluster (a woonvorm with several places):
    pairwise rules (an age gap, the care provider's marks that two clients should not live
    together) and a rule for the group (at most so many dossiers of the heavy weights). Checked
    by the ranking (with the reasons) and by batch matching (`matching.cotenancy`)."""

    # At most this many years between the youngest and the oldest in one cluster (0: off).
    max_age_gap: int = spec(0, min=0, max=90)
    # At most this many clients with a dossier weight in `heavy_weights` in one cluster (0: off).
    max_heavy: int = spec(0, min=0, max=24)
    heavy_weights: tuple[str, ...] = ("heavy",)
    # Two clients the care provider marked "not together" never share a cluster.
    respect_marks: bool = True


@dataclass(frozen=True)
class Matching:
    provider_response_days: int = spec(5, min=1, max=60)
    client_response_days: int = spec(10, min=1, max=60)
    escalate_after_days: int = spec(3, min=1, max=60)
    refusals_before_parking: int = spec(2, min=1, max=10)
    parking_months: int = spec(6, min=1, max=36)
    status_request_after_days: int = spec(5, min=1, max=60)
    status_answer_days: int = spec(3, min=1, max=60)
    filters: Filters = field(default_factory=Filters)
    score: Score = field(default_factory=Score)
    cotenancy: Cotenancy = field(default_factory=Cotenancy)
    criterion: tuple[Criterion, ...] = spec(DEFAULT_CRITERIA, unique="code")
    refusal_reason: tuple[RefusalReason, ...] = spec(
        DEFAULT_REFUSAL_REASONS, unique="code", non_empty=True
    )
