"""The rules of one regeling as one document: what differs between regions, as data.

`Rules` is read from the `[rules]` table of a region's TOML (and stored as JSON in a
`RuleVersion`); `TEMPLATE` holds the defaults a new region starts from. Code reads rules only
through `instroom.regions.selectors.rules_for(region, on=date)`.
"""

from dataclasses import dataclass, field, replace
from typing import Any

from django.utils.translation import gettext as _

from . import schema
from .intake import (
    DEFAULT_CONTRACT_FORMS,
    DEFAULT_DOSSIER_WEIGHTS,
    DEFAULT_EXCLUSION_REASONS,
    ContractFormRule,
    Intake,
    Route,
)
from .matching import Matching
from .schema import Term, spec
from .support import Support

# The lists of terms a region names itself, by the name the document gives them.
TERM_LISTS = (
    "dossier_weight",
    "exclusion_reason",
    "contract_form",
    "refusal_reason",
    "meeting_kind",
    "signal_kind",
    "severity",
    "signal_outcome",
)


@dataclass(frozen=True)
class Rules:
    intake: Intake = field(default_factory=Intake)
    route: Route = field(default_factory=Route)
    dossier_weight: tuple[Term, ...] = spec(DEFAULT_DOSSIER_WEIGHTS, unique="code", non_empty=True)
    exclusion_reason: tuple[Term, ...] = spec(
        DEFAULT_EXCLUSION_REASONS, unique="code", non_empty=True
    )
    contract_form: tuple[ContractFormRule, ...] = spec(
        DEFAULT_CONTRACT_FORMS, unique="code", non_empty=True
    )
    matching: Matching = field(default_factory=Matching)
    support: Support = field(default_factory=Support)

    def check(self) -> list[tuple[str, str]]:
        weight = self.route.extra_participants_from
        if weight and weight not in {w.code for w in self.dossier_weight}:
            return [
                (
                    "route.extra_participants_from",
                    _("“%(w)s” is no dossier weight of this regeling") % {"w": weight},
                )
            ]
        return []

    # Lists by name ---------------------------------------------------------------------------
    def terms(self, name: str) -> tuple[Any, ...]:
        """One of `TERM_LISTS`, e.g. `terms("refusal_reason")`."""
        if name in ("refusal_reason",):
            return self.matching.refusal_reason
        if name in ("meeting_kind", "signal_kind", "severity", "signal_outcome"):
            return getattr(self.support, name)  # type: ignore[no-any-return]
        return getattr(self, name)  # type: ignore[no-any-return]

    def term(self, name: str, code: str) -> Any | None:
        return next((t for t in self.terms(name) if t.code == code), None)

    def label(self, name: str, code: str) -> str:
        """The region's wording of a stored code in the active language; the code itself when
        the current rules no longer know it (an old record)."""
        found = self.term(name, code)
        return found.label if found is not None else code

    def choices(self, name: str) -> list[tuple[str, str]]:
        return [(t.code, t.label) for t in self.terms(name)]

    def with_changes(self, **sections: Any) -> "Rules":
        return replace(self, **sections)


TEMPLATE = Rules()


def read(data: Any) -> Rules:
    """A whole rules document from plain data; `schema.RulesError` lists every problem."""
    return schema.read(Rules, data)


def write(rules: Rules) -> dict[str, Any]:
    return schema.write(rules)  # type: ignore[no-any-return]
