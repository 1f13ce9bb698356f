from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from instroom import statemachine
from instroom.audit import services as audit
from instroom.http import AuthenticatedHttpRequest
from instroom.pdf import pdf_response
from instroom.policy import audience, rules
from instroom.regions.constants import OrganisationType
from instroom.regions.models import Organisation

from . import calendar, selectors, services
from .constants import (
    CONTRACT_MACHINE,
    SUPPORT_STATES,
    ContractState,
    MeetingKind,
    SignalState,
)
from .forms import (
    ActionPlanForm,
    AssignForm,
    CaseTableDecisionForm,
    CaseTableSessionForm,
    CloseSignalForm,
    EscalateForm,
    FinalForm,
    MeetingPlanForm,
    MeetingRecordForm,
    MoveInForm,
    OrientationForm,
    ReasonForm,
    SignalForm,
    SignForm,
    TimeOutEndForm,
    TimeOutForm,
)
from .models import (
    CaseTableSession,
    Contract,
    Meeting,
    OrientationActivity,
    Signal,
    TimeOut,
)


def _apply(form: django_forms.Form, exc: ValidationError) -> None:
    """Put a service's refusal on the form, beside the field it names."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


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
    return render(
        request,
        "support/contracts.html",
        {
            "awaiting": selectors.awaiting_contract(actor=request.user),
            "mix": selectors.contract_mix(actor=request.user),
            "contracts": rows[:200],
            "states": ContractState.choices,
            "state": state,
        },
    )


@require_POST
def prepare(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    match = selectors.awaiting_contract(actor=request.user).filter(pk=pk).first()
    if match is None:
        raise Http404
    try:
        contract = services.contract_prepare(actor=request.user, match=match)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("support:contracts")
    messages.success(request, _("The contract is drawn up. Download it for signing."))
    return redirect("support:contract", pk=contract.pk)


def _support_workers(contract: Contract) -> Any:
    return audience.support_workers_of(contract.client.support_provider_id)


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
    forms: dict[str, Any] = {}
    if manage and ContractState.SIGNED in allowed:
        forms["sign"] = bound.get("sign") or SignForm(prefix="sign")
    if manage and ContractState.HOUSED in allowed:
        forms["move_in"] = bound.get("move_in") or MoveInForm(prefix="move")
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
        forms["final"] = bound.get("final") or FinalForm(prefix="final")
    if contract.state in SUPPORT_STATES and rules.can_report_signal(user, contract):
        forms["signal"] = bound.get("signal") or SignalForm(prefix="signal")
    if contract.state == ContractState.HOUSED and support:
        forms["timeout"] = bound.get("timeout") or TimeOutForm(prefix="timeout")
        forms["timeout_end"] = TimeOutEndForm(
            prefix="tend", initial={"ended_on": timezone.localdate()}
        )
    if level in rules.PERSONAL_DETAIL:
        selectors.log_client_read(actor=user, contracts=[contract], purpose="contract page")
    meetings = list(contract.meetings.all())
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
            "signals": contract.signals.all(),
            "timeouts": contract.timeouts.all(),
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


def _post(
    request: AuthenticatedHttpRequest,
    pk: int,
    key: str,
    form: django_forms.Form,
    action: Any,
    done: str,
    page: str = "contract",
) -> HttpResponse:
    """Validate the form, call the service; on a refusal show the page (contract or signal)
    again with the input kept and the reason beside the field."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, done)
            return redirect(f"support:{page}", pk=pk)
    show = contract_detail if page == "contract" else signal_detail
    return show(request, pk, bound={key: form})


@require_POST
def sign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    return _post(
        request,
        pk,
        "sign",
        SignForm(request.POST, prefix="sign"),
        lambda d: services.contract_sign(actor=request.user, contract=contract, **d),
        _("The signing is recorded; the home counts for the quota."),
    )


@require_POST
def sign_undo(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    return _post(
        request,
        pk,
        "sign_undo",
        ReasonForm(request.POST, prefix="undo"),
        lambda d: services.contract_sign_undo(
            actor=request.user, contract=contract, reason=d["reason"]
        ),
        _("The signing is taken back; the placement no longer counts."),
    )


@require_POST
def withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    form = ReasonForm(request.POST, prefix="withdraw")
    if form.is_valid():
        try:
            services.contract_withdraw(
                actor=request.user, contract=contract, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(
                request, _("The contract is withdrawn; the home and the client are free again.")
            )
            return redirect("support:contracts")
    return contract_detail(request, pk, bound={"withdraw": form})


@require_POST
def move_in(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    return _post(
        request,
        pk,
        "move_in",
        MoveInForm(request.POST, prefix="move"),
        lambda d: services.contract_move_in(actor=request.user, contract=contract, **d),
        _("The move is recorded; the support meetings are created."),
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
        pk,
        "assign",
        form,
        lambda d: services.contract_assign(actor=request.user, contract=contract, **d),
        _("Saved."),
    )


@require_POST
def orientation_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    return _post(
        request,
        pk,
        "orientation",
        OrientationForm(request.POST, prefix="orientation"),
        lambda d: services.orientation_add(actor=request.user, client=contract.client, **d),
        _("The activity is added."),
    )


@require_POST
def orientation_remove(request: AuthenticatedHttpRequest, pk: int, activity: int) -> HttpResponse:
    contract = _contract(request, pk)
    item = OrientationActivity.objects.filter(
        pk=activity, client=contract.client, removed_at__isnull=True
    ).first()
    if item is None:
        raise Http404
    services.orientation_remove(actor=request.user, activity=item)
    messages.success(request, _("The activity is removed."))
    return redirect("support:contract", pk=pk)


@require_POST
def final(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    return _post(
        request,
        pk,
        "final",
        FinalForm(request.POST, prefix="final"),
        lambda d: services.contract_final_decide(actor=request.user, contract=contract, **d),
        _("The final evaluation is recorded."),
    )


# -- meetings ---------------------------------------------------------------------------------


def meetings(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = list(selectors.my_meetings(actor=request.user)[:300])
    return render(
        request,
        "support/meetings.html",
        {"meetings": rows, "attention": selectors.attention_for(rows, timezone.localdate())},
    )


def _meeting(request: AuthenticatedHttpRequest, pk: int) -> Meeting:
    try:
        return selectors.meeting_get(actor=request.user, pk=pk)
    except Meeting.DoesNotExist:
        raise Http404 from None


def meeting_detail(
    request: AuthenticatedHttpRequest, pk: int, bound: dict[str, django_forms.Form] | None = None
) -> HttpResponse:
    meeting = _meeting(request, pk)
    bound = bound or {}
    may = (
        rules.can_support(request.user, meeting.contract)
        and meeting.contract.state in SUPPORT_STATES
    )
    questions = services.checklist_for(meeting)
    context: dict[str, Any] = {
        "meeting": meeting,
        "contract": meeting.contract,
        "answers": meeting.answers.all(),
        "no_checklist": not questions and meeting.kind != MeetingKind.HANDOVER,
    }
    if may and meeting.state != "cancelled":
        if meeting.state != "held":
            context["plan_form"] = bound.get("plan") or MeetingPlanForm(
                prefix="plan",
                initial={"planned_at": meeting.planned_at, "location": meeting.location},
            )
        initial: dict[str, Any] = {
            "held_on": meeting.held_on or timezone.localdate(),
            "notes": meeting.notes,
            "attendees": meeting.attendees,
        }
        for a in meeting.answers.all():
            initial[f"q{a.question_id}"] = a.answer
            initial[f"q{a.question_id}_note"] = a.note
        context["record_form"] = bound.get("record") or MeetingRecordForm(
            prefix="record",
            questions=questions,
            initial=initial,
            handover=meeting.kind == MeetingKind.HANDOVER,
        )
    return render(request, "support/meeting.html", context, status=400 if bound else 200)


def meeting(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return meeting_detail(request, pk)


@require_POST
def meeting_plan(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    form = MeetingPlanForm(request.POST, prefix="plan")
    if form.is_valid():
        try:
            services.meeting_plan(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("The meeting is planned; it is in your calendar feed."))
            return redirect("support:meeting", pk=pk)
    return meeting_detail(request, pk, bound={"plan": form})


@require_POST
def meeting_record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    form = MeetingRecordForm(
        request.POST,
        prefix="record",
        questions=services.checklist_for(meeting),
        handover=meeting.kind == MeetingKind.HANDOVER,
    )
    if form.is_valid():
        try:
            services.meeting_record(
                actor=request.user,
                meeting=meeting,
                held_on=form.cleaned_data["held_on"],
                notes=form.cleaned_data["notes"],
                attendees=form.cleaned_data["attendees"],
                answers=form.answers(),
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("The meeting is recorded."))
            return redirect("support:contract", pk=meeting.contract_id)
    return meeting_detail(request, pk, bound={"record": form})


# -- signals, time-out --------------------------------------------------------------------------


@require_POST
def signal_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    form = SignalForm(request.POST, prefix="signal")
    if form.is_valid():
        try:
            signal = services.signal_report(
                actor=request.user, contract=contract, **form.cleaned_data
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("The signal is reported; the parties are informed."))
            return redirect("support:signal", pk=signal.pk)
    return contract_detail(request, pk, bound={"signal": form})


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
            prefix="close", may_end=rules.can_run_case_table(request.user, contract.region_id)
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


@require_POST
def signal_plan(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    signal = _signal(request, pk)
    return _post(
        request,
        pk,
        "plan",
        ActionPlanForm(request.POST, prefix="plan"),
        lambda d: services.signal_plan(actor=request.user, signal=signal, **d),
        _("The action plan is saved."),
        page="signal",
    )


@require_POST
def signal_escalate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    signal = _signal(request, pk)
    return _post(
        request,
        pk,
        "escalate",
        EscalateForm(request.POST, prefix="escalate"),
        lambda d: services.signal_escalate(actor=request.user, signal=signal, **d),
        _("The case is on the agenda of the case table."),
        page="signal",
    )


@require_POST
def signal_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    signal = _signal(request, pk)
    form = CloseSignalForm(
        request.POST,
        prefix="close",
        may_end=rules.can_run_case_table(request.user, signal.contract.region_id),
    )
    return _post(
        request,
        pk,
        "close",
        form,
        lambda d: services.signal_close(actor=request.user, signal=signal, **d),
        _("The signal is closed."),
        page="signal",
    )


@require_POST
def timeout_start(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    return _post(
        request,
        pk,
        "timeout",
        TimeOutForm(request.POST, prefix="timeout"),
        lambda d: services.timeout_start(actor=request.user, contract=contract, **d),
        _("The time-out is recorded."),
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
        timeout.contract_id,
        "timeout_end",
        TimeOutEndForm(request.POST, prefix="tend"),
        lambda d: services.timeout_end(actor=request.user, timeout=timeout, **d),
        _("The end of the time-out is recorded."),
    )


# -- case table -------------------------------------------------------------------------------


def case_table(request: AuthenticatedHttpRequest) -> HttpResponse:
    sessions, waiting = selectors.case_table(actor=request.user)
    regions = selectors.coordinated_regions(actor=request.user)
    form = CaseTableSessionForm(request.POST or None, prefix="session")
    status = 200
    if request.method == "POST":
        region = regions.filter(pk=request.POST.get("region") or 0).first() or regions.first()
        if region is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                session = services.case_table_session_create(
                    actor=request.user, region=region, **form.cleaned_data
                )
            except ValidationError as exc:
                _apply(form, exc)
            else:
                messages.success(
                    request, _("The session is planned; waiting cases are on its agenda.")
                )
                return redirect("support:case_table_session", pk=session.pk)
        status = 400
    return render(
        request,
        "support/case_table.html",
        {"sessions": sessions[:100], "waiting": waiting, "form": form, "regions": regions},
        status=status,
    )


def _session(request: AuthenticatedHttpRequest, pk: int) -> CaseTableSession:
    try:
        return selectors.session_get(actor=request.user, pk=pk)
    except CaseTableSession.DoesNotExist:
        raise Http404 from None


def case_table_session(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    if request.method == "POST" and request.POST.get("close"):
        services.case_table_close(actor=request.user, session=session)
        messages.success(request, _("The session is closed; undecided cases move to the next one."))
        return redirect("support:case_table")
    items = session.items.select_related("signal__contract__client", "signal__contract__home")
    return render(
        request,
        "support/case_table_session.html",
        {"session": session, "items": items, "form": CaseTableDecisionForm(prefix="decide")},
    )


def case_table_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Agenda before the session, decisions after it: case numbers, no names."""
    session = _session(request, pk)
    items = session.items.select_related(
        "signal__contract__client", "signal__contract__home__municipality"
    )
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
    form = CaseTableDecisionForm(request.POST, prefix="decide")
    back = (
        reverse("support:case_table_session", args=[item.session_id])
        if item.session_id
        else reverse("support:case_table")
    )
    if not form.is_valid():
        messages.error(request, _("Write down what the table decided."))
        return redirect(back)
    try:
        services.case_table_decide(
            actor=request.user,
            item=item,
            decision=form.cleaned_data["decision"],
            outcome=form.cleaned_data["outcome"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The decision is recorded."))
    return redirect(back)


# -- calendar ---------------------------------------------------------------------------------


def calendar_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    feed_url = ""
    if request.method == "POST":
        if request.POST.get("revoke"):
            services.calendar_feed_revoke(actor=request.user)
            messages.success(request, _("The calendar address no longer works."))
            return redirect("support:calendar")
        token = services.calendar_feed_create(actor=request.user)
        feed_url = request.build_absolute_uri(reverse("support:calendar_feed", args=[token]))
    return render(
        request,
        "support/calendar.html",
        {
            "feed": getattr(request.user, "calendar_feed", None) if not feed_url else None,
            "feed_url": feed_url,
            "count": selectors.feed_meetings(request.user).count(),
        },
    )


def calendar_feed(request: Any, token: str) -> HttpResponse:
    user = services.calendar_feed_user(token)
    if user is None:
        raise Http404
    body = calendar.feed(user, selectors.feed_meetings(user))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="instroom.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
