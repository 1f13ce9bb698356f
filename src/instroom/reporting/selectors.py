"""Figures for the home pages and (later) dashboards. Aggregates leave the service point only
with counts below the threshold suppressed."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from instroom.accounts.models import User
from instroom.applications.constants import CaseState
from instroom.applications.models import Application
from instroom.policy import rules
from instroom.regions.models import Municipality

SUPPRESS_BELOW = 5


def suppress(count: int) -> str:
    """A count as it may be shown outside the service point: "<5" for 1 to 4."""
    return f"<{SUPPRESS_BELOW}" if 0 < count < SUPPRESS_BELOW else str(count)


def represented_municipalities(*, actor: User) -> QuerySet[Municipality]:
    """The municipalities the actor speaks for (their figures, suppressed, beside the region's)."""
    return Municipality.objects.filter(pk__in=rules.scope_for(actor).represented_municipalities)


@dataclass(frozen=True)
class StateCount:
    state: str
    label: str
    count: int
    shown: str


def pipeline_counts(
    *, region_ids: frozenset[int], municipality_id: int | None = None, suppressed: bool = True
) -> list[StateCount]:
    """Applications per state, in the order of the journey, in one query."""
    qs = Application.objects.filter(client__region_id__in=region_ids)
    if municipality_id is not None:
        qs = qs.filter(client__municipality_of_origin_id=municipality_id)
    counts = dict(qs.values_list("state").annotate(n=Count("id")).order_by())
    return [
        StateCount(
            state,
            str(label),
            counts.get(state, 0),
            suppress(counts.get(state, 0)) if suppressed else str(counts.get(state, 0)),
        )
        for state, label in CaseState.choices
    ]
