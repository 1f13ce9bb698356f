"""Signals about a tenancy, and the case table that decides on the escalated ones (a
terminating outcome ends the support and the case)."""

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from instroom.accounts.models import User
from instroom.accounts.notifications import notify, send_notice
from instroom.accounts.tasks import close_for
from instroom.applications.constants import CaseState
from instroom.applications.services import transition_case
from instroom.audit import services as audit
from instroom.policy import rules
from instroom.regions.models import Region
from instroom.statemachine import transition

from ..constants import (
    SIGNAL_MACHINE,
    SUPPORT_STATES,
    CaseTableStatus,
    ContractState,
    SignalState,
)
from ..models import CaseTableItem, CaseTableSession, Contract, Signal
from .common import (
    _cancel_open_meetings,
    _coordinators,
    _corporation_staff,
    _locked,
    _move,
    _support_workers,
    _today,
    support_rules,
)


def _names(term: Any) -> dict[str, str]:
    """A term's wording in both languages, stored with a task (read later in either)."""
    return {"nl": term.nl, "en": term.en} if term is not None else {}


def _is_severe(severities: tuple[Any, ...], code: str) -> bool:
    """The more severe half of the region's severities (in rising order: the last is the most
    severe) also alerts the service point."""
    codes = [s.code for s in severities]
    return code in codes and codes.index(code) >= (len(codes) + 1) // 2


def _signal_move(
    signal: Signal, *, actor: User, to: str, action: str, note: str = "", **fields: Any
) -> None:
    transition(
        signal, machine=SIGNAL_MACHINE, to=to, actor=actor, action=action, fields=fields, note=note
    )


def _locked_signal(signal: Signal) -> Signal:
    """The signal's row locked until the transaction ends, with its contract."""
    return (
        Signal.objects.select_for_update()
        .select_related("contract__client", "contract__home")
        .get(pk=signal.pk)
    )


def _signal_to_work_on(actor: User, signal: Signal) -> Signal:
    """Locked, and the actor is one of the parties who work on this signal."""
    signal = _locked_signal(signal)
    if not rules.can_report_signal(actor, signal.contract):
        raise PermissionDenied(_("You may not work on this signal."))
    return signal


def _reporter_organisation(actor: User, contract: Contract) -> int | None:
    return rules.acting_organisation(actor, contract.region_id)


@transaction.atomic
def signal_report(
    *, actor: User, contract: Contract, kind: str, severity: str, description: str
) -> Signal:
    contract = _locked(contract)
    if not rules.can_report_signal(actor, contract):
        raise PermissionDenied(_("You may not report signals about this tenancy."))
    if contract.state not in SUPPORT_STATES:
        raise ValidationError(_("Signals are reported while the client lives in the home."))
    support = support_rules(contract.region_id)
    errors: dict[str, str] = {}
    if kind not in {k.code for k in support.signal_kind}:
        errors["kind"] = _("Choose the kind of signal.")
    if severity not in {s.code for s in support.severity}:
        errors["severity"] = _("Choose the severity.")
    if not description.strip():
        errors["description"] = _("Describe what happened.")
    if errors:
        raise ValidationError(errors)
    signal = Signal.objects.create(
        contract=contract,
        kind=kind,
        severity=severity,
        description=description.strip(),
        reported_by=actor,
        reporter_organisation_id=_reporter_organisation(actor, contract),
    )
    audit.record_change(
        actor=actor,
        action="signal.report",
        obj=signal,
        client=contract.client,
        region_id=contract.region_id,
        changes={"kind": kind, "severity": severity},
    )
    url = reverse("support:signal", args=[signal.pk])
    audiences = [_support_workers(contract), _corporation_staff(contract)]
    if _is_severe(support.severity, severity):
        audiences.append(_coordinators(contract.region_id))
    params = {
        "case": contract.client.case_number,
        "kind": kind,
        "severity": severity,
        "kind_names": _names(next(k for k in support.signal_kind if k.code == kind)),
        "severity_names": _names(next(s for s in support.severity if s.code == severity)),
    }
    for users in audiences:
        notify(
            users=[u for u in users if u.pk != getattr(actor, "pk", None)],
            kind="signal.reported",
            params=params,
            about=signal,
            url=url,
        )
    return signal


@transaction.atomic
def signal_plan(*, actor: User, signal: Signal, action_plan: str) -> Signal:
    signal = _signal_to_work_on(actor, signal)
    if not action_plan.strip():
        raise ValidationError({"action_plan": _("Write down the action plan.")})
    _signal_move(
        signal,
        actor=actor,
        to=SignalState.PLAN,
        action="signal.plan",
        action_plan=action_plan.strip(),
        action_plan_at=timezone.now(),
    )
    return signal


def _next_session(region_id: int, after: datetime) -> CaseTableSession | None:
    return (
        CaseTableSession.objects.filter(
            region_id=region_id, status=CaseTableStatus.PLANNED, starts_at__gte=after
        )
        .order_by("starts_at")
        .first()
    )


@transaction.atomic
def signal_escalate(*, actor: User, signal: Signal, note: str) -> CaseTableItem:
    """Put the case on the agenda of the next case table session (or the waiting list)."""
    signal = _signal_to_work_on(actor, signal)
    if not note.strip():
        raise ValidationError({"note": _("Say what the case table should decide.")})
    _signal_move(signal, actor=actor, to=SignalState.ESCALATED, action="signal.escalate", note=note)
    session = _next_session(signal.contract.region_id, timezone.now())
    item = CaseTableItem.objects.create(session=session, signal=signal, added_by=actor)
    notify(
        users=_coordinators(signal.contract.region_id),
        kind="signal.case_table",
        params={
            "case": signal.contract.client.case_number,
            "kind": signal.kind,
            "kind_names": _names(_kind_term(signal)),
        },
        about=signal,
        body=note,
        url=reverse("support:case_table"),
    )
    # A case that did not return from a time-out is now where its task asked it to be.
    close_for(signal.contract, ["timeout.not_returned"])
    return item


def _kind_term(signal: Signal) -> Any:
    return next(
        (k for k in support_rules(signal.contract.region_id).signal_kind if k.code == signal.kind),
        None,
    )


@transaction.atomic
def case_table_session_create(
    *, actor: User, region: Region, starts_at: datetime, location: str = ""
) -> CaseTableSession:
    """Plan a session; cases waiting for a session go on its agenda."""
    if not rules.can_run_case_table(actor, region.pk):
        raise PermissionDenied(_("Only the service point plans the case table."))
    if starts_at < timezone.now():
        raise ValidationError({"starts_at": _("Plan the session in the future.")})
    session = CaseTableSession.objects.create(
        region=region, starts_at=starts_at, location=location.strip()
    )
    CaseTableItem.objects.filter(
        session__isnull=True, decided_at__isnull=True, signal__contract__region=region
    ).update(session=session)
    audit.record_change(actor=actor, action="casetable.plan", obj=session, region_id=region.pk)
    return session


@transaction.atomic
def case_table_decide(
    *, actor: User, item: CaseTableItem, decision: str, outcome: str = "", note: str = ""
) -> CaseTableItem:
    """The table's decision on a case; with an outcome, the signal closes with it."""
    item = (
        CaseTableItem.objects.select_for_update()
        .select_related("signal__contract__client")
        .get(pk=item.pk)
    )
    region_id = item.signal.contract.region_id
    if not rules.can_run_case_table(actor, region_id):
        raise PermissionDenied(_("Only the service point records the case table's decisions."))
    if item.decided_at is not None:
        raise ValidationError(_("The table has already decided on this case."))
    if not decision.strip():
        raise ValidationError({"decision": _("Write down what the table decided.")})
    item.decision = decision.strip()
    item.decided_at = timezone.now()
    item.decided_by = actor
    item.save(update_fields=["decision", "decided_at", "decided_by"])
    audit.record_change(
        actor=actor,
        action="casetable.decide",
        obj=item,
        client=item.signal.contract.client,
        region_id=region_id,
        note=decision,
    )
    contract = item.signal.contract
    if outcome:
        signal_close(actor=actor, signal=item.signal, outcome=outcome, note=note or decision)
    else:
        _signal_move(
            item.signal,
            actor=actor,
            to=SignalState.PLAN,
            action="signal.back_to_plan",
            action_plan=f"{item.signal.action_plan}\n\n{_('Case table')}: {item.decision}".strip(),
            action_plan_at=timezone.now(),
        )
    for users in (_support_workers(contract), _corporation_staff(contract)):
        params = {"case": contract.client.case_number}
        url = reverse("support:signal", args=[item.signal_id])
        if outcome:
            send_notice(users=users, kind="signal.case_table_closed", params=params, url=url)
        else:
            notify(
                users=users,
                kind="signal.case_table_decided",
                params=params,
                about=item.signal,
                url=url,
            )
    return item


@transaction.atomic
def case_table_close(*, actor: User, session: CaseTableSession) -> CaseTableSession:
    """Close a session; undecided cases move to the next planned session (or wait)."""
    session = CaseTableSession.objects.select_for_update().get(pk=session.pk)
    if not rules.can_run_case_table(actor, session.region_id):
        raise PermissionDenied(_("Only the service point plans the case table."))
    session.status = CaseTableStatus.CLOSED
    session.closed_at = timezone.now()
    session.save(update_fields=["status", "closed_at"])
    later = _next_session(session.region_id, session.starts_at + timedelta(minutes=1))
    session.items.filter(decided_at__isnull=True).update(session=later)
    audit.record_change(
        actor=actor, action="casetable.close", obj=session, region_id=session.region_id
    )
    return session


@transaction.atomic
def signal_close(*, actor: User, signal: Signal, outcome: str, note: str) -> Signal:
    """Close a signal with its outcome (one of the region's). An outcome that `ends_contract`
    (e.g. termination, return to care) ends the tenancy's support and the case; only the
    service point records those."""
    signal = _locked_signal(signal)
    contract = signal.contract
    found = next(
        (o for o in support_rules(contract.region_id).signal_outcome if o.code == outcome), None
    )
    if found is None:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    ends_contract = found.ends_contract
    if ends_contract:
        if not rules.can_run_case_table(actor, contract.region_id):
            raise PermissionDenied(
                _("Only the service point ends a tenancy, after the case table.")
            )
    elif not rules.can_report_signal(actor, contract):
        raise PermissionDenied(_("You may not work on this signal."))
    if not note.strip():
        raise ValidationError({"note": _("Explain the outcome in a few words.")})
    _signal_move(
        signal,
        actor=actor,
        to=SignalState.CLOSED,
        action="signal.close",
        note=note,
        outcome=outcome,
        outcome_note=note.strip(),
        closed_at=timezone.now(),
    )
    if ends_contract:
        contract = _locked(contract)
        _move(
            contract,
            actor=actor,
            to=ContractState.TERMINATED,
            action="contract.end_by_signal",
            note=note,
            ended_on=_today(),
        )
        _cancel_open_meetings(contract, actor=actor)
        transition_case(
            contract.application,
            actor=actor,
            to=CaseState.TERMINATED,
            action="case.end_by_signal",
            note=note,
        )
    return signal
