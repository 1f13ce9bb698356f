"""The soft landing: orientation activities, posted from the contract page."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from instroom.http import AuthenticatedHttpRequest

from .. import services
from ..forms import OrientationForm
from ..models import OrientationActivity
from .common import _post
from .contracts import _contract, _on_contract


@require_POST
def orientation_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    return _post(
        request,
        OrientationForm(request.POST, prefix="orientation"),
        lambda d: services.orientation_add(actor=request.user, client=contract.client, **d),
        done=_("The activity is added."),
        then=redirect("support:contract", pk=pk),
        again=_on_contract(request, pk, "orientation"),
    )


@require_POST
def orientation_remove(request: AuthenticatedHttpRequest, pk: int, activity: int) -> HttpResponse:
    contract = _contract(request, pk)
    item = OrientationActivity.objects.filter(
        pk=activity, client=contract.client, removed_at__isnull=True
    ).first()
    if item is None:
        raise Http404
    return _post(
        request,
        None,
        lambda d: services.orientation_remove(actor=request.user, activity=item),
        done=_("The activity is removed."),
        then=redirect("support:contract", pk=pk),
        back=redirect("support:contract", pk=pk),
    )
