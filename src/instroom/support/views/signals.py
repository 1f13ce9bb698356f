"""Signals (reported from the contract page) and the case table that decides on escalated ones."""

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from instroom.http import AuthenticatedHttpRequest
from instroom.pdf import pdf_response
from instroom.policy import rules

from .. import labels, selectors, services
from ..constants import SignalState
from ..forms import (
    ActionPlanForm,
    CaseTableDecisionForm,
    CaseTableSessionForm,
    CloseSignalForm,
    EscalateForm,
    SignalForm,
)
from ..models import CaseTableSession, Signal
from .common import _post
from .contracts import _contract, _on_contract


@require_POST
def signal_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    return _post(
        request,
        SignalForm(
            request.POST, prefix="signal", support=services.support_rules(contract.region_id)
        ),
        lambda d: services.signal_report(actor=request.user, contract=contract, **d),
        done=_("The signal is reported; the parties are informed."),
        then=lambda signal: redirect("support:signal", pk=signal.pk),
        again=_on_contract(request, pk, "signal"),
    )


def _signal(request: AuthenticatedHttpRequest, pk: int) -> Signal:
    try:
        return selectors.signal_get(actor=request.user, pk=pk)
    except Signal.DoesNotExist:
        raise Http404 from None


def signal_detail(
    request: AuthenticatedHttpRequest, pk: int, bound: dict[str, django_forms.Form] | None = None
) -> HttpResponse:
    signal = _signal(request, pk)
    bound = bound or {}
    contract = signal.contract
    forms: dict[str, Any] = {}
    if signal.state != SignalState.CLOSED and rules.can_report_signal(request.user, contract):
        forms["plan"] = bound.get("plan") or ActionPlanForm(
            prefix="plan", initial={"action_plan": signal.action_plan}
        )
        if signal.state != SignalState.ESCALATED:
            forms["escalate"] = bound.get("escalate") or EscalateForm(prefix="escalate")
        forms["close"] = bound.get("close") or CloseSignalForm(
            prefix="close",
            may_end=rules.can_run_case_table(request.user, contract.region_id),
            support=services.support_rules(contract.region_id),
        )
    return render(
        request,
        "support/signal.html",
        {
            "signal": signal,
            "contract": contract,
            "forms": forms,
            "items": signal.table_items.select_related("session"),
        },
        status=400 if bound else 200,
    )


def signal(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return signal_detail(request, pk)


def _on_signal(
    request: AuthenticatedHttpRequest, pk: int, key: str
) -> Callable[[django_forms.Form], HttpResponse]:
    """Show the signal page again with this form bound (see `_post`)."""
    return lambda form: signal_detail(request, pk, bound={key: form})


@require_POST
def signal_plan(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    signal = _signal(request, pk)
    return _post(
        request,
        ActionPlanForm(request.POST, prefix="plan"),
        lambda d: services.signal_plan(actor=request.user, signal=signal, **d),
        done=_("The action plan is saved."),
        then=redirect("support:signal", pk=pk),
        again=_on_signal(request, pk, "plan"),
    )


@require_POST
def signal_escalate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    signal = _signal(request, pk)
    return _post(
        request,
        EscalateForm(request.POST, prefix="escalate"),
        lambda d: services.signal_escalate(actor=request.user, signal=signal, **d),
        done=_("The case is on the agenda of the case table."),
        then=redirect("support:signal", pk=pk),
        again=_on_signal(request, pk, "escalate"),
    )


@require_POST
def signal_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    signal = _signal(request, pk)
    form = CloseSignalForm(
        request.POST,
        prefix="close",
        may_end=rules.can_run_case_table(request.user, signal.contract.region_id),
        support=services.support_rules(signal.contract.region_id),
    )
    return _post(
        request,
        form,
        lambda d: services.signal_close(actor=request.user, signal=signal, **d),
        done=_("The signal is closed."),
        then=redirect("support:signal", pk=pk),
        again=_on_signal(request, pk, "close"),
    )


def case_table(request: AuthenticatedHttpRequest) -> HttpResponse:
    regions = selectors.coordinated_regions(actor=request.user)

    def page(form: django_forms.Form, status: int = 200) -> HttpResponse:
        sessions, queued = selectors.case_table(actor=request.user)
        waiting = list(queued)
        labels.attach_signal_rules(item.signal for item in waiting)
        return render(
            request,
            "support/case_table.html",
            {"sessions": sessions[:100], "waiting": waiting, "form": form, "regions": regions},
            status=status,
        )

    if request.method != "POST":
        return page(CaseTableSessionForm(prefix="session"))
    region = regions.filter(pk=request.POST.get("region") or 0).first() or regions.first()
    if region is None:
        raise PermissionDenied
    return _post(
        request,
        CaseTableSessionForm(request.POST, prefix="session"),
        lambda d: services.case_table_session_create(actor=request.user, region=region, **d),
        done=_("The session is planned; waiting cases are on its agenda."),
        then=lambda session: redirect("support:case_table_session", pk=session.pk),
        again=lambda form: page(form, status=400),
    )


def _session(request: AuthenticatedHttpRequest, pk: int) -> CaseTableSession:
    try:
        return selectors.session_get(actor=request.user, pk=pk)
    except CaseTableSession.DoesNotExist:
        raise Http404 from None


def case_table_session(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    if request.method == "POST" and request.POST.get("close"):
        return _post(
            request,
            None,
            lambda d: services.case_table_close(actor=request.user, session=session),
            done=_("The session is closed; undecided cases move to the next one."),
            then=redirect("support:case_table"),
            back=redirect("support:case_table_session", pk=pk),
        )
    items = list(session.items.select_related("signal__contract__client", "signal__contract__home"))
    labels.attach_signal_rules(item.signal for item in items)
    form = CaseTableDecisionForm(prefix="decide", support=services.support_rules(session.region_id))
    return render(
        request,
        "support/case_table_session.html",
        {"session": session, "items": items, "form": form},
    )


def case_table_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Agenda before the session, decisions after it: case numbers, no names."""
    session = _session(request, pk)
    items = list(
        session.items.select_related(
            "signal__contract__client", "signal__contract__home__municipality"
        )
    )
    labels.attach_signal_rules(item.signal for item in items)
    return pdf_response(
        "support/case_table_pdf.html",
        {"session": session, "items": items},
        f"casuistiektafel-{session.starts_at:%Y%m%d}.pdf",
    )


@require_POST
def case_table_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = selectors.case_table_item_get(actor=request.user, pk=pk)
    if item is None:
        raise Http404
    back = (
        redirect("support:case_table_session", pk=item.session_id)
        if item.session_id
        else redirect("support:case_table")
    )
    return _post(
        request,
        CaseTableDecisionForm(
            request.POST,
            prefix="decide",
            support=services.support_rules(item.signal.contract.region_id),
        ),
        lambda d: services.case_table_decide(
            actor=request.user, item=item, decision=d["decision"], outcome=d["outcome"]
        ),
        done=_("The decision is recorded."),
        then=back,
        back=back,
    )
