"""Time-out: started and ended from the contract page; the register of time-out places."""

from typing import Any

from django import forms as django_forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from instroom.http import AuthenticatedHttpRequest
from instroom.policy import rules

from .. import selectors, services
from ..forms import TimeOutEndForm, TimeOutForm, TimeOutPlaceEditForm, TimeOutPlaceForm
from ..models import TimeOut, TimeOutPlace
from ..services.timeouts import PLACE_FIELDS
from .common import _post
from .contracts import _contract, _on_contract


@require_POST
def timeout_start(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    return _post(
        request,
        TimeOutForm(request.POST, prefix="timeout", region_id=contract.region_id),
        lambda d: services.timeout_start(actor=request.user, contract=contract, **d),
        done=_("The time-out is recorded."),
        then=redirect("support:contract", pk=pk),
        again=_on_contract(request, pk, "timeout"),
    )


@require_POST
def timeout_end(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    timeout = TimeOut.objects.filter(
        pk=pk, contract__in=selectors.contract_list(actor=request.user)
    ).first()
    if timeout is None:
        raise Http404
    return _post(
        request,
        TimeOutEndForm(request.POST, prefix="tend"),
        lambda d: services.timeout_end(actor=request.user, timeout=timeout, **d),
        done=_("The end of the time-out is recorded."),
        then=redirect("support:contract", pk=timeout.contract_id),
        again=_on_contract(request, timeout.contract_id, "timeout_end"),
    )


def _place_page(
    request: AuthenticatedHttpRequest,
    form: django_forms.Form,
    *,
    place: TimeOutPlace | None = None,
    regions: Any = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "support/timeout_place_form.html",
        {"form": form, "place": place, "regions": regions},
        status=status,
    )


def timeout_places(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The register: every place with its occupancy today (the service point adds and edits)."""
    places = list(selectors.timeout_places(actor=request.user))
    for place in places:
        place.free = max(place.capacity - place.occupied, 0)  # type: ignore[attr-defined]
        place.may_edit = rules.can_manage_timeout_places(  # type: ignore[attr-defined]
            request.user, place.region_id
        )
    return render(
        request,
        "support/timeout_places.html",
        {
            "places": places,
            "may_add": selectors.coordinated_regions(actor=request.user).exists(),
            "several_regions": len({p.region_id for p in places}) > 1,
        },
    )


def timeout_place_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    regions = selectors.coordinated_regions(actor=request.user).order_by("name")
    chosen = request.POST.get("region") or request.GET.get("region") or ""
    region = regions.filter(pk=int(chosen)).first() if chosen.isdigit() else None
    region = region or regions.first()
    if region is None:
        raise PermissionDenied
    if request.method != "POST":
        form = TimeOutPlaceForm(prefix="place", region_id=region.pk, initial={"capacity": 1})
        return _place_page(request, form, regions=regions)
    return _post(
        request,
        TimeOutPlaceForm(request.POST, prefix="place", region_id=region.pk),
        lambda d: services.timeout_place_create(actor=request.user, region=region, **d),
        done=_("The time-out place is added to the register."),
        then=redirect("support:timeout_places"),
        again=lambda form: _place_page(request, form, regions=regions, status=400),
    )


def timeout_place_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    place = TimeOutPlace.objects.filter(
        pk=pk, region_id__in=rules.scope_for(request.user).coordinated_regions
    ).first()
    if place is None:
        raise Http404
    if request.method != "POST":
        initial = {f: getattr(place, f) for f in PLACE_FIELDS}
        form = TimeOutPlaceEditForm(
            prefix="place", region_id=place.region_id, initial={**initial, "active": place.active}
        )
        return _place_page(request, form, place=place)
    return _post(
        request,
        TimeOutPlaceEditForm(request.POST, prefix="place", region_id=place.region_id),
        lambda d: services.timeout_place_update(actor=request.user, place=place, **d),
        done=_("The time-out place is saved."),
        then=redirect("support:timeout_places"),
        again=lambda form: _place_page(request, form, place=place, status=400),
    )
