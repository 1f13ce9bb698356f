"""/overname/: the service point checks a file of running cases (dry run), then imports it."""

import base64
import zlib
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from instroom.http import AuthenticatedHttpRequest
from instroom.policy import rules
from instroom.regions.models import Region

from . import reading, services
from .forms import ConfirmForm, UploadForm

SESSION_KEY = "takeover_checked"


def _regions(request: AuthenticatedHttpRequest) -> QuerySet[Region]:
    regions = Region.objects.filter(pk__in=rules.takeover_regions(request.user)).order_by("name")
    if not regions:
        raise PermissionDenied
    return regions


def _page(request: AuthenticatedHttpRequest, status: int = 200, **context: Any) -> HttpResponse:
    return render(
        request, "takeover/index.html", {"columns": reading.COLUMNS, **context}, status=status
    )


def takeover(request: AuthenticatedHttpRequest) -> HttpResponse:
    regions = _regions(request)
    if request.method == "POST" and "confirm_import" in request.POST:
        return _import(request, regions)
    form = UploadForm(request.POST or None, request.FILES or None, regions=regions)
    if request.method != "POST" or not form.is_valid():
        request.session.pop(SESSION_KEY, None)
        return _page(request, form=form, status=400 if form.errors else 200)
    upload = form.cleaned_data["file"]
    region = form.cleaned_data["region"]
    content = upload.read()
    try:
        outcome = services.takeover_import(
            actor=request.user, region=region, file_name=upload.name, content=content
        )
    except services.FileRejected as exc:
        form.add_error("file", str(exc))
        return _page(request, form=form, status=400)
    if outcome.errors:
        request.session.pop(SESSION_KEY, None)
        return _page(request, form=form, region=region, outcome=outcome, status=400)
    # The import runs on exactly the file that was checked: kept until confirmed.
    request.session[SESSION_KEY] = {
        "sha256": outcome.sha256,
        "region": region.pk,
        "name": upload.name,
        # Compressed: the session is saved on every request until the import is confirmed.
        "content": base64.b64encode(zlib.compress(content)).decode("ascii"),
    }
    return _page(
        request,
        form=form,
        region=region,
        outcome=outcome,
        confirm=ConfirmForm(initial={"sha256": outcome.sha256}),
    )


def _import(request: AuthenticatedHttpRequest, regions: QuerySet[Region]) -> HttpResponse:
    checked = request.session.get(SESSION_KEY)
    confirm = ConfirmForm(request.POST)
    form = UploadForm(regions=regions)
    region = next((r for r in regions if checked and r.pk == checked["region"]), None)
    if checked is None or region is None or request.POST.get("sha256") != checked["sha256"]:
        messages.error(request, _("Check the file first with a dry run, then import it."))
        return redirect("takeover:index")
    if not confirm.is_valid():
        return _page(request, form=form, region=region, confirm=confirm, status=400)
    outcome = services.takeover_import(
        actor=request.user,
        region=region,
        file_name=checked["name"],
        content=zlib.decompress(base64.b64decode(checked["content"])),
        dry_run=False,
    )
    request.session.pop(SESSION_KEY, None)
    if outcome.errors:
        return _page(request, form=form, region=region, outcome=outcome, status=400)
    messages.success(
        request,
        _("Taken over: %(pool)s and %(tenancies)s.")
        % {
            "pool": ngettext(
                "%(n)d client into the pool", "%(n)d clients into the pool", outcome.summary.pool
            )
            % {"n": outcome.summary.pool},
            "tenancies": ngettext("%(n)d tenancy", "%(n)d tenancies", outcome.summary.tenancies)
            % {"n": outcome.summary.tenancies},
        },
    )
    return redirect("takeover:index")


def takeover_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    _regions(request)
    if request.GET.get("formaat") == "xlsx":
        response = HttpResponse(
            reading.template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="lopende-zaken-sjabloon.xlsx"'
        return response
    response = HttpResponse(reading.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="lopende-zaken-sjabloon.csv"'
    return response
