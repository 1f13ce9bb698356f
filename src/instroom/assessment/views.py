from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from instroom.accounts.models import User
from instroom.applications.models import Application, Client
from instroom.http import AuthenticatedHttpRequest, int_param
from instroom.pdf import pdf_response
from instroom.policy import audience, rules

from . import selectors, services
from .forms import DecisionForm, ReasonForm, SessionForm, default_start
from .models import AgendaItem, Session


def _tables(request: AuthenticatedHttpRequest) -> Any:
    return selectors.tables_planned_by(actor=request.user)


def session_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    can_plan = _tables(request).exists()
    form = SessionForm(
        request.POST or None, tables=_tables(request), initial={"starts_at": default_start()}
    )
    if request.method == "POST":
        if not can_plan:
            raise Http404
        if form.is_valid():
            try:
                session = services.session_plan(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("The session has been planned."))
                return redirect("assessment:session", pk=session.pk)
    return render(
        request,
        "assessment/sessions.html",
        {
            "sessions": selectors.session_list(actor=request.user)[:100],
            "form": form if can_plan else None,
        },
    )


def _session(request: AuthenticatedHttpRequest, pk: int) -> Session:
    try:
        return selectors.session_get(actor=request.user, pk=pk)
    except Session.DoesNotExist:
        raise Http404 from None


def session_detail(
    request: AuthenticatedHttpRequest, pk: int, bound: dict[int, DecisionForm] | None = None
) -> HttpResponse:
    """The session page; `bound`: a refused decision form per item, shown again with the input
    kept and the reason beside it."""
    session = _session(request, pk)
    bound = bound or {}
    can_plan = rules.can_plan_sessions(request.user, session.table.region_id)
    chair = rules.is_chair(request.user, session.table_id)
    rows = selectors.agenda(actor=request.user, session=session, purpose="table session")
    region_users = audience.invitable_to_cases(session.table.region_id) if can_plan else []
    # One decision form per case, each with its own ids: a label or radio of case 5 must not
    # tick case 1's (the field names stay the same; each form posts to its own item).
    may_override = rules.may_override_step_order(request.user, session.table.region_id)
    forms = [
        (
            row,
            bound.get(row.item.pk)
            or DecisionForm(
                auto_id=f"id_item{row.item.pk}_%s",
                may_override=may_override,
                region_id=session.table.region_id,
            ),
        )
        for row in rows
    ]
    return render(
        request,
        "assessment/session.html",
        {
            "session": session,
            "rows": forms,
            "can_plan": can_plan and session.is_open,
            "is_chair": chair and session.is_open,
            "can_close": (can_plan or chair) and session.is_open,
            "schedulable": selectors.schedulable(session=session)
            if can_plan and session.is_open
            else [],
            "region_users": region_users,
            "reason_form": ReasonForm(),
            # A decided case leaves the table member's view: its name stays unlinked.
            "openable": rules.openable_clients(
                request.user, (row.item.application.client_id for row in rows)
            ),
        },
        status=400 if bound else 200,
    )


def _act(
    request: AuthenticatedHttpRequest, session: Session, action: Callable[[], Any], done: str
) -> HttpResponse:
    try:
        action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("assessment:session", pk=session.pk)


def _item(request: AuthenticatedHttpRequest, pk: int) -> AgendaItem:
    item = get_object_or_404(
        AgendaItem.objects.select_related("session__table", "application"), pk=pk
    )
    if not rules.can_see_session(request.user, item.session):
        raise Http404
    return item


@require_POST
def agenda_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    application = get_object_or_404(
        Application,
        pk=int_param(request.POST.get("application")),
        client__region_id=session.table.region_id,
    )
    return _act(
        request,
        session,
        lambda: services.agenda_add(actor=request.user, session=session, application=application),
        _("The case is on the agenda."),
    )


@require_POST
def schedule_case(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """From the client page: put the case on a session of its table (the next one is offered
    first); back to the client page with what happened."""
    application = get_object_or_404(
        Application.objects.select_related("client"),
        pk=pk,
        client__in=Client.objects.filter(rules.client_scope(request.user)),
    )
    session = (
        Session.objects.select_related("table")
        .filter(
            pk=int_param(request.POST.get("session")),
            table__region_id=application.client.region_id,
        )
        .first()
    )
    if session is None:
        messages.error(request, _("Choose one of the sessions offered."))
    else:
        try:
            services.agenda_add(actor=request.user, session=session, application=application)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("The case is on the agenda of %(session)s.") % {"session": session}
            )
    return redirect("applications:client", pk=application.client_id)


@require_POST
def agenda_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request,
        item.session,
        lambda: services.agenda_remove(actor=request.user, item=item, reason=reason),
        _("The case is off the agenda and back among the complete applications."),
    )


@require_POST
def invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    user = get_object_or_404(User, pk=int_param(request.POST.get("user")))
    return _act(
        request,
        item.session,
        lambda: services.invite(actor=request.user, item=item, user=user),
        _("%(user)s is invited for this case.") % {"user": user},
    )


@require_POST
def publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    return _act(
        request,
        session,
        lambda: services.agenda_publish(actor=request.user, session=session),
        _("The agenda has been sent to the members and the invited."),
    )


@require_POST
def decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    form = DecisionForm(
        request.POST,
        auto_id=f"id_item{item.pk}_%s",
        may_override=rules.may_override_step_order(request.user, item.session.table.region_id),
        region_id=item.session.table.region_id,
    )
    if form.is_valid():
        try:
            services.decision_record(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("The decision has been recorded."))
            return redirect("assessment:session", pk=item.session_id)
    # Refused or invalid: the session page again, this case's form with the input kept.
    return session_detail(request, item.session_id, bound={item.pk: form})


@require_POST
def decide_case(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Where the region's route has no table: the service point records the decision from the
    case page, through the same decision service and state table as a table's chair."""
    application = get_object_or_404(
        Application.objects.select_related("client"),
        pk=pk,
        client__in=Client.objects.filter(rules.client_scope(request.user)),
    )
    region_id = application.client.region_id
    if not rules.can_decide_without_table(request.user, region_id):
        raise Http404
    form = DecisionForm(request.POST, auto_id="id_decide_%s", region_id=region_id)
    if form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("override", None)
        try:
            services.service_point_decision_record(
                actor=request.user, application=application, **data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The decision has been recorded."))
            return redirect("applications:client", pk=application.client_id)
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))
    return redirect("applications:client", pk=application.client_id)


def _add_errors(form: DecisionForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@require_POST
def close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    return _act(
        request,
        session,
        lambda: services.session_close(actor=request.user, session=session),
        _("The session is closed."),
    )


def agenda_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    rows = selectors.agenda(actor=request.user, session=session, purpose="agenda download")
    return pdf_response(
        "assessment/agenda_pdf.html",
        {"session": session, "rows": rows},
        f"agenda-{session.table.slug}-{session.starts_at:%Y%m%d}.pdf",
    )


def minutes_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    rows = selectors.agenda(actor=request.user, session=session, purpose="minutes download")
    return pdf_response(
        "assessment/minutes_pdf.html",
        {"session": session, "rows": rows},
        f"verslag-{session.table.slug}-{session.starts_at:%Y%m%d}.pdf",
    )
