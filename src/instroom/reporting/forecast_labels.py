"""The forecast's inputs and results as people read them: a label, a value in its unit, rounded
the way people write it (35 %, 178 a year, 2.5 months), and what the input means. The pure core
(`instroom.forecast`) keeps its field names; nothing on a page shows them."""

from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from instroom.regions.constants import CareSource


@dataclass(frozen=True)
class InputText:
    label: Promise
    help: Promise
    unit: str  # how `show` writes the value (see there)


INPUTS: dict[str, InputText] = {
    "inflow_per_month": InputText(
        gettext_lazy("Applications a month"),
        gettext_lazy("New applications submitted per month, per kind of care the clients leave."),
        "per_month_by_source",
    ),
    "approval_rate": InputText(
        gettext_lazy("Approval rate"),
        gettext_lazy("Of the decided applications, the share the table approves."),
        "percent",
    ),
    "assessment_months": InputText(
        gettext_lazy("Months from application to decision"),
        gettext_lazy("How long an application waits, on average, from submission to decision."),
        "months",
    ),
    "homes_per_year": InputText(
        gettext_lazy("Homes offered a year"),
        gettext_lazy("Homes the corporations offer to the scheme each year, all together."),
        "per_year",
    ),
    "quota_per_year": InputText(
        gettext_lazy("Yearly quota (ceiling)"),
        gettext_lazy("The region's agreed maximum of placements a year."),
        "per_year",
    ),
    "supply_per_corporation": InputText(
        gettext_lazy("Homes a year per corporation"),
        gettext_lazy("The homes offered, split over the corporations by their social stock."),
        "per_year_by_name",
    ),
    "caps_per_year": InputText(
        gettext_lazy("Ceiling of the neighbourhood caps"),
        gettext_lazy(
            "At most this many placements a year fit under the caps per neighbourhood "
            "(neighbourhoods × places per neighbourhood, per year)."
        ),
        "ceiling",
    ),
    "refusal_rate": InputText(
        gettext_lazy("Refusal rate"),
        gettext_lazy("Of the clients offered a home, the share who decline it."),
        "percent",
    ),
    "support_months": InputText(
        gettext_lazy("Months of support"),
        gettext_lazy("How long a client gets support after moving in."),
        "months",
    ),
    "key": InputText(
        gettext_lazy("Distribution key"),
        gettext_lazy("Each municipality's share of the homes, from the region's key."),
        "share_by_name",
    ),
    "regular_allocations_per_year": InputText(
        gettext_lazy("Social-rent lets a year in the region (all)"),
        gettext_lazy(
            "All social-rent homes let in the region a year, to regular seekers and the scheme "
            "together. Not in Instroom: enter the figure of your region."
        ),
        "per_year",
    ),
    "regular_queue": InputText(
        gettext_lazy("Regular seekers waiting"),
        gettext_lazy(
            "People on the regular waiting list for a social-rent home. Not in Instroom: "
            "enter the figure of your region."
        ),
        "people",
    ),
    "start_pool": InputText(
        gettext_lazy("Pool at the start"),
        gettext_lazy("Approved clients waiting for a home today."),
        "people",
    ),
}


def whole(value: float) -> str:
    """A count as people write it: whole, with thousands separators (20.000 in Dutch)."""
    return number_format(round(value), 0, force_grouping=True)


def decimal(value: float, places: int = 1) -> str:
    """At most `places` decimals, none when the value is whole (2 months, 2,5 months)."""
    rounded = round(value, places)
    if rounded == int(rounded):
        return whole(rounded)
    return number_format(rounded, places, force_grouping=True)


def percent(share: float, places: int = 0) -> str:
    """A share 0–1 as a percentage: 0.35 → 35 %."""
    return f"{decimal(share * 100, places)}\N{NO-BREAK SPACE}%"


def months(value: float) -> str:
    text = decimal(value)
    return ngettext("%(n)s month", "%(n)s months", 1 if round(value, 1) == 1 else 2) % {"n": text}


def _named(values: dict[str, Any], write: Any, names: dict[str, str] | None = None) -> str:
    if not values:
        return _("none")
    return "; ".join(
        f"{(names or {}).get(k, k)}: {write(v)}"
        for k, v in sorted(values.items(), key=lambda kv: -float(kv[1] or 0))
    )


def show(field: str, value: Any) -> str:
    """The value of input `field` in its unit, in the active language."""
    unit = INPUTS[field].unit if field in INPUTS else ""
    if value is None:
        return _("no ceiling") if unit == "ceiling" else "—"
    if unit == "percent":
        return percent(float(value))
    if unit == "months":
        return months(float(value))
    if unit in ("per_year", "ceiling"):
        return _("%(n)s a year") % {"n": whole(float(value))}
    if unit == "people":
        n = round(float(value))
        return ngettext("%(n)s person waiting", "%(n)s people waiting", n) % {"n": whole(n)}
    if unit == "per_month_by_source" and isinstance(value, dict):
        sources = {str(k): str(v) for k, v in CareSource.choices}
        return _named(value, lambda v: _("%(n)s a month") % {"n": decimal(float(v))}, names=sources)
    if unit == "per_year_by_name" and isinstance(value, dict):
        return _named(value, lambda v: _("%(n)s a year") % {"n": decimal(float(v))})
    if unit == "share_by_name" and isinstance(value, dict):
        return _named(value, lambda v: percent(float(v), 1))
    if isinstance(value, float):
        return decimal(value)
    return str(value)


def label(field: str) -> str:
    return str(INPUTS[field].label) if field in INPUTS else field


def rows(values: dict[str, Any]) -> list[dict[str, str]]:
    """The inputs of a scenario for a page: label, value with its unit, what it means; in the
    order of `INPUTS`."""
    return [
        {"label": label(f), "value": show(f, values[f]), "help": str(INPUTS[f].help)}
        for f in INPUTS
        if f in values
    ]
