"""Who may live together in one cluster (a woonvorm with several places): pure Python, no
Django. The ranking asks `fit` for one candidate against the people already there; batch
matching asks `pair_reasons` and `group_reasons` while it fills several places at once, and its
brute-force oracle asks `group_reasons` of every whole group.

The rules (`regions.rules.matching.Cotenancy`, as `Config`):
- pairwise: at most `max_age_gap` years between any two people of the cluster (0: off), and
  never two people of whom the care provider marked one "not together" with the other
  (`respect_marks`);
- for the group: at most `max_heavy` people with a heavy dossier in the cluster (0: off).
Someone whose age is unknown is never outside an age gap (as with the age band of the filters).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from .core import Reason

AGE_GAP = "cotenant_age_gap"
MARKED = "cotenant_marked"
HEAVY = "cotenant_heavy"
CODES = (AGE_GAP, MARKED, HEAVY)


@dataclass(frozen=True)
class Config:
    max_age_gap: int = 0  # 0: no limit
    max_heavy: int = 0  # 0: no limit
    respect_marks: bool = True


@dataclass(frozen=True)
class Person:
    """Someone living in (or matched to) a place of the cluster, or a candidate for one."""

    client_id: int
    label: str  # how the ranking names them: a candidate number, never a name
    age: int | None = None
    heavy: bool = False
    avoid: frozenset[int] = field(default_factory=frozenset)  # client ids marked "not together"


@dataclass(frozen=True)
class Fit:
    """How a candidate fits the people already in the cluster: `reasons` exclude (a rule is
    broken), `notes` explain the fit when none is."""

    reasons: list[Reason]
    notes: list[Reason]

    @property
    def fits(self) -> bool:
        return not self.reasons


def pair_reasons(a: Person, b: Person, config: Config) -> list[Reason]:
    """The pairwise rules two people of one cluster break (empty: they may live together)."""
    out = []
    if config.respect_marks and (b.client_id in a.avoid or a.client_id in b.avoid):
        out.append(Reason(MARKED, {"with": b.label}))
    if config.max_age_gap and a.age is not None and b.age is not None:
        gap = abs(a.age - b.age)
        if gap > config.max_age_gap:
            out.append(Reason(AGE_GAP, {"gap": gap, "max": config.max_age_gap, "with": b.label}))
    return out


def group_reasons(group: Sequence[Person], config: Config) -> list[Reason]:
    """Every rule a whole group breaks: each pair, then the group's heavy dossiers."""
    out = [r for a, b in combinations(group, 2) for r in pair_reasons(a, b, config)]
    heavy = sum(1 for p in group if p.heavy)
    if config.max_heavy and heavy > config.max_heavy:
        out.append(Reason(HEAVY, {"count": heavy, "max": config.max_heavy}))
    return out


def fit(candidate: Person, residents: Iterable[Person], config: Config) -> Fit:
    """The candidate against the people already there: the rules broken, or how they fit."""
    residents = list(residents)
    reasons = [r for other in residents for r in pair_reasons(candidate, other, config)]
    heavy = sum(1 for p in residents if p.heavy) + candidate.heavy
    if config.max_heavy and candidate.heavy and heavy > config.max_heavy:
        reasons.append(Reason(HEAVY, {"count": heavy, "max": config.max_heavy}))
    notes: list[Reason] = []
    if not reasons:
        ages = [p.age for p in residents if p.age is not None]
        if config.max_age_gap and candidate.age is not None and ages:
            gap = max(abs(candidate.age - age) for age in ages)
            notes.append(Reason(AGE_GAP, {"gap": gap, "max": config.max_age_gap, "with": ""}))
        if config.max_heavy:
            notes.append(Reason(HEAVY, {"count": heavy, "max": config.max_heavy}))
    return Fit(reasons, notes)
