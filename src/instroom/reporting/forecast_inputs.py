"""Calibrating the forecast from the region's own history in Instroom (reporting sits on top:
it reads the stages and feeds the pure `forecast.simulation`)."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from instroom.applications.models import Application
from instroom.assessment.models import Decision
from instroom.distribution import selectors as distribution
from instroom.forecast.simulation import Inputs
from instroom.matching.models import Match
from instroom.regions.models import CorporationStock, Neighbourhood, Region


@dataclass(frozen=True)
class Source:
    field: str
    value: object
    basis: str  # where the default comes from, shown next to the input (translated)


def calibrate(region: Region) -> tuple[Inputs, list[Source]]:
    """The inputs from the region's history, each with where it comes from in the active
    language."""
    today = timezone.localdate()
    since = timezone.now() - timedelta(days=365)
    notes: list[Source] = []
    submitted = (
        Application.objects.filter(client__region=region, submitted_at__gte=since)
        .values_list("client__source")
        .annotate(n=Count("pk"))
    )
    inflow = {source: n / 12 for source, n in submitted}
    if inflow:
        notes.append(
            Source("inflow_per_month", inflow, _("applications submitted, last 12 months"))
        )
    else:
        inflow = {"bw": 10.0}
        notes.append(Source("inflow_per_month", inflow, _("no history yet: a default")))
    decisions = Decision.objects.filter(
        application__client__region=region, outcome__in=["approve", "reject"]
    )
    total = decisions.count()
    approval = decisions.filter(outcome="approve").count() / total if total else 0.8
    notes.append(
        Source(
            "approval_rate",
            round(approval, 3),
            ngettext("%(n)d decision", "%(n)d decisions", total) % {"n": total}
            if total
            else _("no decisions yet: a default"),
        )
    )
    decided = list(
        Application.objects.filter(
            client__region=region, submitted_at__isnull=False, decided_at__isnull=False
        ).values_list("submitted_at", "decided_at")
    )
    spans = [(d - s).days for s, d in decided if s is not None and d is not None]
    if spans:
        days = sum(spans) / len(spans)
        months = max(1.0, days / 30.44)
        notes.append(
            Source(
                "assessment_months",
                round(months, 2),
                ngettext(
                    "submission to decision, %(n)d case",
                    "submission to decision, %(n)d cases",
                    len(decided),
                )
                % {"n": len(decided)},
            )
        )
    else:
        months = 2.0
        notes.append(Source("assessment_months", months, _("no decisions yet: a default")))
    quota = region.quota_years.filter(year=today.year).first()
    per_year = float(quota.total_homes) if quota else 0.0
    notes.append(
        Source(
            "quota_per_year",
            per_year,
            _("yearly quota %(year)d") % {"year": today.year} if quota else _("no quota this year"),
        )
    )
    notes.append(Source("homes_per_year", per_year, _("assumed: the corporations offer the quota")))
    answered = Match.objects.filter(region=region, state__in=["accepted", "client_no"])
    n_answered = answered.count()
    refusal = answered.filter(state="client_no").count() / n_answered if n_answered else 0.1
    notes.append(
        Source(
            "refusal_rate",
            round(refusal, 3),
            ngettext("%(n)d client answer", "%(n)d client answers", n_answered) % {"n": n_answered}
            if n_answered
            else _("no answers yet: a default"),
        )
    )
    try:
        shares = distribution.region_quota(region, today.year).share
        names = dict(region.municipalities.values_list("cbs_code", "name"))
        key = {names[code]: float(share) for code, share in shares.items()}
        total_share = sum(key.values())
        key = {k: v / total_share for k, v in key.items()}
        notes.append(Source("key", key, _("the region's distribution key")))
    except distribution.DistributionError:
        key = {region.name: 1.0}
        notes.append(Source("key", key, _("no key configured: the region as one")))
    stock = list(
        CorporationStock.objects.filter(municipality__region=region)
        .values_list("corporation__name")
        .annotate(homes=Sum("homes"))
    )
    total_stock = sum(h for _n, h in stock)
    supply = {name: per_year * homes / total_stock for name, homes in stock} if total_stock else {}
    notes.append(
        Source(
            "supply_per_corporation",
            {k: round(v, 1) for k, v in supply.items()},
            _("the quota split by the corporations' social stock")
            if supply
            else _("no stock per corporation configured: all corporations together"),
        )
    )
    hoods = Neighbourhood.objects.filter(municipality__region=region).count()
    caps = (
        hoods * region.cap_per_neighbourhood * 12 / region.cap_window_months
        if hoods and region.cap_window_months
        else None
    )
    notes.append(
        Source(
            "caps_per_year",
            round(caps, 1) if caps is not None else None,
            _("%(hoods)d neighbourhoods × %(cap)d per %(window)d months")
            % {
                "hoods": hoods,
                "cap": region.cap_per_neighbourhood,
                "window": region.cap_window_months,
            }
            if caps is not None
            else _("no neighbourhoods configured: no ceiling"),
        )
    )
    notes.append(Source("support_months", region.support_months, _("the region's support period")))
    notes.append(Source("regular_allocations_per_year", 2000.0, _("not in Instroom: enter yours")))
    notes.append(Source("regular_queue", 20000.0, _("not in Instroom: enter yours")))
    pool = Application.objects.filter(client__region=region, state="approved").count()
    notes.append(Source("start_pool", pool, _("the pool today")))
    inputs = Inputs(
        inflow_per_month=inflow,
        approval_rate=approval,
        assessment_months=months,
        homes_per_year=per_year,
        quota_per_year=per_year,
        refusal_rate=refusal,
        support_months=region.support_months,
        key=key,
        start_pool=float(pool),
        supply_per_corporation=supply,
        caps_per_year=caps,
    )
    return inputs, notes
