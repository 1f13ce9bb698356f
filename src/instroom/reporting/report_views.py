"""Monitoring dashboards per role, the quarterly and yearly reports (PDF, XLSX) and the open
data (CSV, JSON). Who sees which audience is decided in `viewer`; the figures come from
`monitoring` (a fixed number of queries) through `publication` (suppression)."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from instroom.accounts.models import User
from instroom.forms import NLDesignFormMixin
from instroom.http import AuthenticatedHttpRequest
from instroom.policy import rules
from instroom.regions.constants import CareSource
from instroom.regions.models import Municipality, Organisation, Region

from . import charts, exports, monitoring, publication
from .publication import Audience


@dataclass(frozen=True)
class Viewer:
    audience: Audience
    municipality_ids: frozenset[int]  # a municipality user's own; empty otherwise
    corporation_ids: frozenset[int]  # a corporation user's own; empty otherwise

    @property
    def service_point(self) -> bool:
        return self.audience == Audience.SERVICE_POINT


def viewer(user: User, region: Region) -> Viewer | None:
    """The service point sees everything of its region; a municipality its own municipality
    and the region, suppressed; a corporation its own homes. Anyone else: None."""
    if rules.may_coordinate_region(user, region.pk):
        return Viewer(Audience.SERVICE_POINT, frozenset(), frozenset())
    own = rules.distribution_view(user, region.pk)  # the same "own part of the region" question
    if own.municipality_ids:
        return Viewer(Audience.PUBLISHED, own.municipality_ids, frozenset())
    if own.corporation_ids:
        return Viewer(Audience.CORPORATION, frozenset(), own.corporation_ids)
    return None


def may_export(v: Viewer | None) -> bool:
    return v is not None and v.audience != Audience.CORPORATION


class FilterForm(NLDesignFormMixin, forms.Form):
    period = forms.ChoiceField(label=gettext_lazy("Period"))
    sub_region = forms.TypedChoiceField(
        label=gettext_lazy("Sub-region"), coerce=int, required=False, empty_value=None
    )
    municipality = forms.TypedChoiceField(
        label=gettext_lazy("Municipality"), coerce=int, required=False, empty_value=None
    )
    corporation = forms.TypedChoiceField(
        label=gettext_lazy("Corporation"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=gettext_lazy("Applies to offers, contracts, meetings and signals."),
    )
    source = forms.ChoiceField(label=gettext_lazy("Coming from"), required=False)
    published = forms.BooleanField(
        label=gettext_lazy("Show as published (counts below 5 hidden)"), required=False
    )

    def __init__(self, data: object, *, region: Region, v: Viewer, today: object) -> None:
        super().__init__(data)
        fields: dict[str, Any] = self.fields
        periods = monitoring.period_choices(region, today)  # type: ignore[arg-type]
        fields["period"].choices = [(p.key, p.label) for p in periods]
        fields["source"].choices = [("", _("All sources"))] + [
            (s, CareSource(s).label) for s in region.admitted_sources if s in CareSource.values
        ]
        subs = list(region.sub_regions.order_by("name").values_list("pk", "name"))
        if v.service_point and subs:
            fields["sub_region"].choices = [("", _("The whole region")), *subs]
        else:
            del self.fields["sub_region"]
        if v.service_point:
            fields["municipality"].choices = [
                ("", _("The whole region")),
                *list(
                    Municipality.objects.filter(region=region)
                    .order_by("name")
                    .values_list("pk", "name")
                ),
            ]
            fields["corporation"].choices = [
                ("", _("All corporations")),
                *list(monitoring.corporations(region)),
            ]
        else:
            for name in ("municipality", "corporation", "published"):
                del self.fields[name]


def _region(request: AuthenticatedHttpRequest, slug: str) -> tuple[Region, Viewer]:
    region = get_object_or_404(Region, slug=slug)
    v = viewer(request.user, region)
    if v is None:
        raise Http404
    return region, v


def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    for region in Region.objects.order_by("name"):
        if viewer(request.user, region) is not None:
            return redirect("reports:dashboard", slug=region.slug)
    raise PermissionDenied


def _period(request: AuthenticatedHttpRequest, today: object) -> monitoring.Period:
    try:
        return monitoring.parse_period(request.GET.get("period", ""))
    except ValueError:
        return monitoring.current_quarter(today)  # type: ignore[arg-type]


def dashboard(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    region, v = _region(request, slug)
    today = timezone.localdate()
    period = _period(request, today)
    data = {"period": period.key, **{k: val for k, val in request.GET.items() if k != "period"}}
    form = FilterForm(data, region=region, v=v, today=today)
    chosen: dict[str, Any] = form.cleaned_data if form.is_valid() else {"period": period.key}
    source = chosen.get("source") or ""
    audience = v.audience
    municipality_ids: list[int] | None = None
    corporation_ids: frozenset[int] | None = None
    slugs: set[str] | None = None
    area = region.name
    names = dict(Municipality.objects.filter(region=region).values_list("pk", "name"))
    if v.municipality_ids:
        municipality_ids = sorted(v.municipality_ids)
        area = ", ".join(names.get(m, "") for m in municipality_ids)
    elif v.corporation_ids:
        corporation_ids = v.corporation_ids
        slugs = set(
            Organisation.objects.filter(pk__in=corporation_ids).values_list("slug", flat=True)
        )
        area = ", ".join(
            Organisation.objects.filter(pk__in=corporation_ids).values_list("name", flat=True)
        )
    else:
        if chosen.get("sub_region"):
            sub = region.sub_regions.filter(pk=chosen["sub_region"]).first()
            if sub is not None:
                municipality_ids = sorted(sub.municipalities.values_list("pk", flat=True))
                area = sub.name
        if chosen.get("municipality"):
            municipality_ids = [chosen["municipality"]]
            area = names.get(chosen["municipality"], area)
        if chosen.get("corporation"):
            corporation_ids = frozenset({chosen["corporation"]})
        if chosen.get("published"):
            audience = Audience.PUBLISHED
    f = monitoring.figures(
        monitoring.Scope(region, period, source=source, corporation_ids=corporation_ids), today
    )
    report = publication.build(
        f, audience, municipality_ids=municipality_ids, corporation_slugs=slugs, area=area
    )
    stalled: list[monitoring.Stalled] = []
    more = 0
    if audience == Audience.SERVICE_POINT:
        stalled, more = monitoring.stalled(region, today)
    return render(
        request,
        "reporting/dashboard.html",
        {
            "region": region,
            "form": form,
            "report": report,
            "charts": charts.charts(report),
            "stalled": stalled,
            "stalled_more": more,
            "viewer": v,
            "may_export": may_export(v),
            "period": period,
            "source": source,
        },
    )


def _export_report(request: AuthenticatedHttpRequest, slug: str) -> publication.Report:
    region, v = _region(request, slug)
    if not may_export(v):
        raise Http404
    today = timezone.localdate()
    period = _period(request, today)
    municipality_ids = sorted(v.municipality_ids) or None
    area = ""
    if municipality_ids:
        area = ", ".join(
            Municipality.objects.filter(pk__in=municipality_ids).values_list("name", flat=True)
        )
    return exports.region_report(
        region, period, today=today, municipality_ids=municipality_ids, area=area
    )


def _filename(report: publication.Report, extension: str) -> str:
    return f"rapportage-{report.region.slug}-{report.period.key}.{extension}"


def report_pdf(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    report = _export_report(request, slug)
    response = HttpResponse(exports.pdf_bytes(report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "pdf")}"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_xlsx(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    report = _export_report(request, slug)
    response = HttpResponse(exports.xlsx_bytes(report), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "xlsx")}"'
    return response


def _open_records(
    request: AuthenticatedHttpRequest, slug: str
) -> tuple[Region, monitoring.Period, list[dict[str, object]]]:
    region, v = _region(request, slug)
    if not may_export(v):
        raise Http404
    today = timezone.localdate()
    period = _period(request, today)
    return region, period, exports.open_data(region, period, today)


def open_data_csv(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    region, period, records = _open_records(request, slug)
    response = HttpResponse(exports.open_data_csv(records), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="open-data-{region.slug}-{period.key}.csv"'
    )
    return response


def open_data_json(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    region, period, records = _open_records(request, slug)
    return HttpResponse(
        exports.open_data_json(region, period, records), content_type="application/json"
    )
