"""Time-out: started and ended from the contract page."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from instroom.http import AuthenticatedHttpRequest

from .. import selectors, services
from ..forms import TimeOutEndForm, TimeOutForm
from ..models import TimeOut
from .common import _post
from .contracts import _contract, _on_contract


@require_POST
def timeout_start(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    return _post(
        request,
        TimeOutForm(request.POST, prefix="timeout"),
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
