import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from instroom.accounts.two_factor import reauth_required
from instroom.applications import selectors as application_selectors
from instroom.applications.models import Client
from instroom.http import AuthenticatedHttpRequest
from instroom.pdf import pdf_response
from instroom.policy import rules

from . import selectors, services
from .forms import CorrectForm, EraseForm


def _client(request: AuthenticatedHttpRequest, pk: int) -> Client:
    client = Client.objects.filter(pk=pk).select_related("region").first()
    if client is None or not rules.may_handle_privacy_requests(request.user, client.region_id):
        raise Http404
    return client


def client_rights(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    client = _client(request, pk)
    view = application_selectors.client_get(actor=request.user, pk=pk, purpose="privacy request")
    return render(
        request,
        "privacy/client.html",
        {
            "client": client,
            "view": view,
            "correct_form": CorrectForm(),
            "erase_form": EraseForm(),
        },
    )


def _export(request: AuthenticatedHttpRequest, client: Client) -> dict:
    data = selectors.client_export(client)
    view = application_selectors.minimise(request.user, client)
    application_selectors.log_reads(
        actor=request.user, views=[view], action="client.export", purpose="right of access"
    )
    return data


@reauth_required
def export_json(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    client = _client(request, pk)
    data = _export(request, client)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="inzage-{client.case_number}.json"'
    return response


@reauth_required
def export_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    client = _client(request, pk)
    data = _export(request, client)
    return pdf_response(
        "privacy/export_pdf.html",
        {"data": data, "client": client},
        f"inzage-{client.case_number}.pdf",
    )


@require_POST
@reauth_required
def correct(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    client = _client(request, pk)
    form = CorrectForm(request.POST)
    if form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "reason" and v}
        try:
            services.client_correct(
                actor=request.user, client=client, reason=form.cleaned_data["reason"], **fields
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The data have been corrected; the reason is recorded."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("privacy:client", pk=pk)


@require_POST
@reauth_required
def erase(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    client = _client(request, pk)
    form = EraseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Record the request and tick that you understand."))
        return redirect("privacy:client", pk=pk)
    try:
        services.client_erase(actor=request.user, client=client, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The personal data have been erased."))
    return redirect("privacy:client", pk=pk)
