"""The contract pages: the list, drawing up, the contract page and its forms (signing, the
move, the people around the client, the final evaluation), the PDF."""

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from instroom import statemachine
from instroom.audit import services as audit
from instroom.http import AuthenticatedHttpRequest
from instroom.policy import audience, rules
from instroom.regions.constants import OrganisationType
from instroom.regions.models import Organisation

from .. import labels, selectors, services
from ..constants import CONTRACT_MACHINE, SUPPORT_STATES, ContractState
from ..forms import (
    AssignForm,
    FinalForm,
    MoveInForm,
    OrientationForm,
    ReasonForm,
    SignalForm,
    SignForm,
    TimeOutEndForm,
    TimeOutForm,
)
from ..models import Contract
from .common import _post


def _contract(request: AuthenticatedHttpRequest, pk: int) -> Contract:
    try:
        return selectors.contract_get(actor=request.user, pk=pk)
    except Contract.DoesNotExist:
        raise Http404 from None


def contracts(request: AuthenticatedHttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    rows = selectors.contract_list(actor=request.user)
    if state in ContractState.values:
        rows = rows.filter(state=state)
    shown = list(rows[:200])
    labels.attach_contract_rules(shown)
    return render(
        request,
        "support/contracts.html",
        {
            "awaiting": selectors.awaiting_contract(actor=request.user),
            "mix": selectors.contract_mix(actor=request.user),
            "contracts": shown,
            "states": ContractState.choices,
            "state": state,
        },
    )


@require_POST
def prepare(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    match = selectors.awaiting_contract(actor=request.user).filter(pk=pk).first()
    if match is None:
        raise Http404
    return _post(
        request,
        None,
        lambda d: services.contract_prepare(actor=request.user, match=match),
        done=_("The contract is drawn up. Download it for signing."),
        then=lambda contract: redirect("support:contract", pk=contract.pk),
        back=redirect("support:contracts"),
    )


def _support_workers(contract: Contract) -> Any:
    return audience.support_workers_of(contract.client.support_provider_id)


def _may_convert(contract: Any) -> bool:
    form = services.contract_form_rule(contract)
    return form is None or form.conversion != "none"


def contract_detail(
    request: AuthenticatedHttpRequest, pk: int, bound: dict[str, django_forms.Form] | None = None
) -> HttpResponse:
    contract = _contract(request, pk)
    user = request.user
    level = rules.client_detail_level(user, contract.client)
    manage = rules.can_manage_contract(user, contract)
    support = rules.can_support(user, contract)
    allowed = statemachine.allowed(contract, CONTRACT_MACHINE)
    bound = bound or {}
    today_rules = services.support_rules(contract.region_id)
    form_rule = services.contract_form_rule(contract)
    forms: dict[str, Any] = {}
    if manage and ContractState.SIGNED in allowed:
        forms["sign"] = bound.get("sign") or SignForm(prefix="sign")
    may_override = rules.may_override_step_order(user, contract.region_id)
    if manage and ContractState.HOUSED in allowed:
        forms["move_in"] = bound.get("move_in") or MoveInForm(
            prefix="move", may_override=may_override
        )
    if manage and ContractState.PREPARED in allowed:
        forms["sign_undo"] = bound.get("sign_undo") or ReasonForm(prefix="undo")
    if manage and contract.state == ContractState.PREPARED:
        forms["withdraw"] = bound.get("withdraw") or ReasonForm(prefix="withdraw")
    active = contract.state == ContractState.PREPARED or contract.state in SUPPORT_STATES
    if support and active:
        forms["assign"] = bound.get("assign") or AssignForm(
            prefix="assign",
            initial={
                "support_worker": contract.support_worker_id,
                "welfare_organisation": contract.welfare_organisation_id,
                "welfare_contact": contract.welfare_contact,
            },
            support_workers=_support_workers(contract),
            welfare=Organisation.objects.filter(
                region_id=contract.region_id, type=OrganisationType.WELFARE, active=True
            ),
        )
    if active and rules.can_add_orientation(user, contract.client):
        forms["orientation"] = bound.get("orientation") or OrientationForm(prefix="orientation")
    if contract.state == ContractState.HOUSED and rules.can_decide_final(user, contract):
        forms["final"] = bound.get("final") or FinalForm(
            prefix="final", may_override=may_override, may_convert=_may_convert(contract)
        )
    if contract.state in SUPPORT_STATES and rules.can_report_signal(user, contract):
        forms["signal"] = bound.get("signal") or SignalForm(prefix="signal", support=today_rules)
    if contract.state == ContractState.HOUSED and support:
        forms["timeout"] = bound.get("timeout") or TimeOutForm(
            prefix="timeout", region_id=contract.region_id
        )
        forms["timeout_end"] = TimeOutEndForm(
            prefix="tend", initial={"ended_on": timezone.localdate()}
        )
    if level in rules.PERSONAL_DETAIL:
        selectors.log_client_read(actor=user, contracts=[contract], purpose="contract page")
    meetings = list(contract.meetings.all())
    for m in meetings:
        m.contract = contract  # the titles read the contract's rules once
    signals = list(contract.signals.all())
    for s in signals:
        s.contract = contract
    labels.attach_signal_rules(signals)
    return render(
        request,
        "support/contract.html",
        {
            "contract": contract,
            "level": level,
            "show_name": level in rules.PERSONAL_DETAIL,
            "forms": forms,
            "orientation": selectors.orientation(contract),
            "meetings": meetings,
            "attention": selectors.attention_for(meetings, timezone.localdate()),
            "signals": signals,
            "conversion": services.conversion_text(form_rule),
            "timeouts": contract.timeouts.select_related("place"),
            "may_remove_orientation": active and rules.can_add_orientation(user, contract.client),
            # The final evaluation form opens by itself in the last three months of support.
            "final_soon": contract.support_ends_on is not None
            and (contract.support_ends_on - timezone.localdate()).days <= 90,
        },
        status=400 if bound else 200,
    )


def contract(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return contract_detail(request, pk)


def document(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    contract = _contract(request, pk)
    if not contract.document:
        raise Http404
    audit.record_access(
        actor=request.user,
        clients=[contract.client],
        action="contract.download",
        purpose="contract PDF",
    )
    return FileResponse(
        contract.document.open("rb"),
        as_attachment=True,
        filename=f"overeenkomst-{contract.client.case_number}.pdf",
        content_type="application/pdf",
    )


def _on_contract(
    request: AuthenticatedHttpRequest, pk: int, key: str
) -> Callable[[django_forms.Form], HttpResponse]:
    """Show the contract page again with this form bound (see `_post`)."""
    return lambda form: contract_detail(request, pk, bound={key: form})


@require_POST
def sign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    return _post(
        request,
        SignForm(request.POST, prefix="sign"),
        lambda d: services.contract_sign(actor=request.user, contract=contract, **d),
        done=_("The signing is recorded; the home counts for the quota."),
        then=redirect("support:contract", pk=pk),
        again=_on_contract(request, pk, "sign"),
    )


@require_POST
def sign_undo(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    return _post(
        request,
        ReasonForm(request.POST, prefix="undo"),
        lambda d: services.contract_sign_undo(
            actor=request.user, contract=contract, reason=d["reason"]
        ),
        done=_("The signing is taken back; the placement no longer counts."),
        then=redirect("support:contract", pk=pk),
        again=_on_contract(request, pk, "sign_undo"),
    )


@require_POST
def withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    return _post(
        request,
        ReasonForm(request.POST, prefix="withdraw"),
        lambda d: services.contract_withdraw(
            actor=request.user, contract=contract, reason=d["reason"]
        ),
        done=_("The contract is withdrawn; the home and the client are free again."),
        then=redirect("support:contracts"),
        again=_on_contract(request, pk, "withdraw"),
    )


@require_POST
def move_in(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    return _post(
        request,
        MoveInForm(
            request.POST,
            prefix="move",
            may_override=rules.may_override_step_order(request.user, contract.region_id),
        ),
        lambda d: services.contract_move_in(actor=request.user, contract=contract, **d),
        done=_("The move is recorded; the support meetings are created."),
        then=redirect("support:contract", pk=pk),
        again=_on_contract(request, pk, "move_in"),
    )


@require_POST
def assign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    form = AssignForm(
        request.POST,
        prefix="assign",
        support_workers=_support_workers(contract),
        welfare=Organisation.objects.filter(
            region_id=contract.region_id, type=OrganisationType.WELFARE
        ),
    )
    return _post(
        request,
        form,
        lambda d: services.contract_assign(actor=request.user, contract=contract, **d),
        done=_("Saved."),
        then=redirect("support:contract", pk=pk),
        again=_on_contract(request, pk, "assign"),
    )


@require_POST
def final(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    return _post(
        request,
        FinalForm(
            request.POST,
            prefix="final",
            may_override=rules.may_override_step_order(request.user, contract.region_id),
            may_convert=_may_convert(contract),
        ),
        lambda d: services.contract_final_decide(actor=request.user, contract=contract, **d),
        done=_("The final evaluation is recorded."),
        then=redirect("support:contract", pk=pk),
        again=_on_contract(request, pk, "final"),
    )
