from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from instroom.http import AuthenticatedHttpRequest
from instroom.policy import rules
from instroom.regions.models import Organisation
from instroom.statemachine import allowed

from . import imports, selectors, services
from .constants import HOME_MACHINE, HomeState
from .forms import (
    ClusterForm,
    ClusterHomeForm,
    HomeForm,
    ImportForm,
    PlaceFormSet,
    WithdrawForm,
)
from .models import Cluster, Home


def _corporations(request: AuthenticatedHttpRequest) -> list[Organisation]:
    return list(selectors.corporations_offering(actor=request.user).select_related("region"))


def _corporation(request: AuthenticatedHttpRequest) -> Organisation:
    corporations = _corporations(request)
    if not corporations:
        raise PermissionDenied
    wanted = request.POST.get("corporation") or request.GET.get("corporation")
    return next((c for c in corporations if str(c.pk) == wanted), corporations[0])


def _home(request: AuthenticatedHttpRequest, pk: int) -> Home:
    try:
        return selectors.home_get(actor=request.user, pk=pk)
    except Home.DoesNotExist:
        raise Http404 from None


def _form_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def home_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    state = request.GET.get("state") or HomeState.OPEN
    if state not in HomeState.values and state != "all":
        state = HomeState.OPEN
    homes = selectors.home_list(actor=request.user, state=None if state == "all" else state)
    return render(
        request,
        "homes/list.html",
        {
            "homes": homes[:500],
            "state": state,
            "states": HomeState.choices,
            "can_offer": bool(_corporations(request)),
        },
    )


def home_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    corporation = _corporation(request)
    form = HomeForm(request.POST or None, region=corporation.region)
    if request.method == "POST" and form.is_valid():
        try:
            home = services.home_create(
                actor=request.user, corporation=corporation, **form.cleaned_data
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The home is on offer."))
            return redirect("homes:detail", pk=home.pk)
    return render(
        request, "homes/form.html", {"form": form, "corporation": corporation, "home": None}
    )


def home_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    home = _home(request, pk)
    return render(
        request,
        "homes/detail.html",
        {
            "home": home,
            "can_manage": rules.can_manage_home(request.user, home),
            "next_states": allowed(home, HOME_MACHINE),
            "withdraw_form": WithdrawForm(),
            "cluster_places": selectors.cluster_places(home.cluster) if home.cluster else [],
        },
    )


def home_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    home = _home(request, pk)
    if not rules.can_manage_home(request.user, home):
        raise PermissionDenied
    original = Home.objects.get(pk=home.pk)
    form = HomeForm(request.POST or None, instance=home, region=home.region)
    if request.method == "POST" and form.is_valid():
        try:
            services.home_update(actor=request.user, home=original, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("homes:detail", pk=home.pk)
    return render(
        request, "homes/form.html", {"form": form, "corporation": home.corporation, "home": home}
    )


@require_POST
def home_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    home = _home(request, pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the home is withdrawn."))
        return redirect("homes:detail", pk=home.pk)
    try:
        services.home_withdraw(actor=request.user, home=home, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The home is withdrawn. You can put it back on offer."))
    return redirect("homes:detail", pk=home.pk)


@require_POST
def home_reopen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    home = _home(request, pk)
    try:
        services.home_reopen(actor=request.user, home=home)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The home is on offer again."))
    return redirect("homes:detail", pk=home.pk)


def home_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    corporation = _corporation(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[services.RowError] = []
    labels = {c.field: c.names[0] for c in imports.COLUMNS}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows, errors = imports.parse_homes(upload.name, upload.read(), corporation.region)
            if not errors:
                homes = services.homes_import(
                    actor=request.user, corporation=corporation, rows=rows
                )
        except imports.FileRejected as exc:
            form.add_error("file", str(exc))
        except services.ImportRejected as exc:
            errors = exc.errors
        else:
            if not errors:
                messages.success(
                    request,
                    _("%(count)d homes are on offer.") % {"count": len(homes)},
                )
                return redirect("homes:list")
    problems = [(e.line, labels.get(e.field, e.field), e.message) for e in errors]
    return render(
        request,
        "homes/import.html",
        {
            "form": form,
            "corporation": corporation,
            "errors": problems,
            "columns": imports.COLUMNS,
        },
        status=400 if errors else 200,
    )


def home_import_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    response = HttpResponse(imports.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="woningen-voorbeeld.csv"'
    return response


def _place_count(request: AuthenticatedHttpRequest) -> int:
    try:
        return min(24, max(2, int(request.GET.get("places") or 4)))
    except ValueError:
        return 4


def cluster_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    corporation = _corporation(request)
    data = request.POST or None
    form = ClusterForm(data, region=corporation.region, prefix="cluster")
    address = ClusterHomeForm(data, region=corporation.region, prefix="home")
    count = _place_count(request)
    places = PlaceFormSet(
        data,
        prefix="place",
        initial=[
            {"place": _("Room %(n)d") % {"n": n}, "rooms": 1, "floor": 0}
            for n in range(1, count + 1)
        ],
    )
    if request.method == "POST" and all([form.is_valid(), address.is_valid(), places.is_valid()]):
        try:
            cluster = services.cluster_create(
                actor=request.user,
                corporation=corporation,
                places=[p.cleaned_data for p in places.forms],
                **form.cleaned_data,
                **address.cleaned_data,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The cluster and its places are on offer."))
            return redirect("homes:cluster", pk=cluster.pk)
    return render(
        request,
        "homes/cluster_form.html",
        {
            "form": form,
            "address": address,
            "places": places,
            "count": count,
            "corporation": corporation,
        },
    )


def cluster_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        cluster = selectors.cluster_get(actor=request.user, pk=pk)
    except Cluster.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "homes/cluster.html",
        {"cluster": cluster, "places": selectors.cluster_places(cluster)},
    )
