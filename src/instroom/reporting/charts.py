"""Bar charts as server-rendered SVG geometry, made from the report's tables (so the chart shows
exactly the published figures; a hidden count gets no bar, only its "<5" label). One template,
`reporting/_bars.html`, draws them on the page and in the PDF. Coordinates are formatted here
as strings with a decimal point: Dutch localisation would write a comma and break the drawing.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .publication import Report, Table, Value

WIDTH = 600
LABEL_WIDTH = 190
VALUE_WIDTH = 110  # room for "207,5 / 285,0" beside the longest bar
ROW_HEIGHT = 26


def _n(x: float) -> str:
    return f"{x:.1f}"


@dataclass(frozen=True)
class Bar:
    label: str
    y: int
    width: str  # of the main bar
    back_width: str  # of the light bar behind it (e.g. the quota), "" for none
    marker_x: str  # a vertical line (e.g. p90, pro-rata target), "" for none
    text: str


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    description: str
    legend: str
    bars: list[Bar]
    width: int = WIDTH
    label_width: int = LABEL_WIDTH

    @property
    def height(self) -> int:
        return max(len(self.bars), 1) * ROW_HEIGHT + 6


def _number(v: Value) -> float | None:
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None


def _text(v: Value) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.1f}".replace(".", ",") if _decimal_comma() else f"{v:.1f}"
    return str(v)


def _decimal_comma() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "nl").startswith("nl")


def bars(
    key: str,
    title: str,
    description: str,
    legend: str,
    items: list[tuple[str, Value, Value, Value, str]],
) -> Chart:
    """items: (label, value, back value, marker value, text)."""
    top = max(
        [1.0, *(x for _l, a, b, c, _t in items for x in map(_number, (a, b, c)) if x is not None)]
    )
    scale = (WIDTH - LABEL_WIDTH - VALUE_WIDTH) / top

    def w(v: Value) -> str:
        x = _number(v)
        return "" if x is None else _n(max(x, 0) * scale)

    def mx(v: Value) -> str:
        x = _number(v)
        return "" if x is None else _n(LABEL_WIDTH + max(x, 0) * scale)

    return Chart(
        key,
        title,
        description,
        legend,
        [
            Bar(label, i * ROW_HEIGHT, w(value) or "0.0", w(back), mx(marker), text)
            for i, (label, value, back, marker, text) in enumerate(items)
        ],
    )


def _area_row(table: Table, report: Report) -> str:
    """The row a chart shows: the chosen municipality's, else the region's."""
    own = [r for r in table.rows if not r.is_total]
    return own[0].key if len(own) == 1 and report.area != report.region.name else "total"


def charts(report: Report) -> list[Chart]:
    result = []
    funnel = report.table("funnel")
    if funnel:
        row = funnel.row(_area_row(funnel, report))
        if row:
            result.append(
                bars(
                    "funnel",
                    funnel.title,
                    _("One bar per step: how many passed it within the period."),
                    _("Bar: number in the period."),
                    [
                        (label, value, None, None, _text(value))
                        for label, value in zip(funnel.columns, row.cells, strict=False)
                    ],
                )
            )
    lead = report.table("lead_times")
    if lead:
        median_at = len(lead.columns) - 2
        result.append(
            bars(
                "lead_times",
                lead.title,
                _("Per step the median number of days as a bar, the 90th percentile as a line."),
                _("Bar: median days. Line: p90 days."),
                [
                    (
                        r.label,
                        r.cells[median_at],
                        None,
                        r.cells[median_at + 1],
                        f"{_text(r.cells[median_at])} / {_text(r.cells[median_at + 1])}",
                    )
                    for r in lead.rows
                ],
            )
        )
    quota = report.table("quota") or report.table("quota_corporations")
    if quota and quota.rows:
        result.append(
            bars(
                "quota",
                quota.title,
                _(
                    "Per row a light bar shows the quota, a dark bar the homes realised and a "
                    "line the pro-rata target."
                ),
                _("Light: quota. Dark: realised. Line: pro-rata target."),
                [
                    (
                        r.label,
                        r.cells[2],
                        r.cells[0],
                        r.cells[1],
                        f"{_text(r.cells[2])} / {r.cells[0]}",
                    )
                    for r in quota.rows
                ],
            )
        )
    waiting = report.table("waiting")
    if waiting:
        buckets = [r for r in waiting.rows if r.key.isdigit()]
        result.append(
            bars(
                "waiting",
                waiting.title,
                _("How many in the pool have waited how long since their approval."),
                _("Bar: clients in the pool."),
                [(r.label, r.cells[0], None, None, _text(r.cells[0])) for r in buckets],
            )
        )
    return result
