"""Writes of the assessment stage: plan sessions, fill agendas, invite, decide, close.

Each checks the policy and the case's state table, and writes the audit record, in one
transaction. Case transitions go through `applications.services.transition_case`."""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from instroom.accounts.models import User
from instroom.accounts.notifications import notify, send_notice
from instroom.accounts.tasks import close_for
from instroom.applications.constants import SUPPORT_MONTHS, CaseState
from instroom.applications.models import Application
from instroom.applications.services import transition_case
from instroom.applications.step_order import check_step_order
from instroom.audit import services as audit
from instroom.policy import audience, rules
from instroom.regions.models import AssessmentTable
from instroom.regions.selectors import rules_for, tables_for

from .constants import InvitationKind, Outcome, SessionStatus, Urgency
from .models import AgendaItem, Decision, Invitation, Session, TableMember

OUTCOME_STATE: dict[str, str] = {
    Outcome.APPROVE: CaseState.APPROVED,
    Outcome.REJECT: CaseState.REJECTED,
    Outcome.DEFER: CaseState.DEFERRED,
}


def _require_coordinator(actor: User, table: AssessmentTable) -> None:
    if not rules.can_plan_sessions(actor, table.region_id):
        raise PermissionDenied(_("Only the service point plans table sessions and agendas."))


def _require_open(session: Session) -> None:
    if not session.is_open:
        raise ValidationError(_("This session is closed; plan a new session instead."))


@transaction.atomic
def table_member_add(
    *, actor: User | None, table: AssessmentTable, user: User, is_chair: bool = False
) -> TableMember:
    if actor is not None:
        _require_coordinator(actor, table)
    member, _created = TableMember.objects.update_or_create(
        table=table, user=user, defaults={"is_chair": is_chair, "active": True}
    )
    audit.record_change(
        actor=actor,
        action="table.member_add",
        obj=member,
        region_id=table.region_id,
        changes={"user": user.username, "chair": is_chair},
    )
    return member


@transaction.atomic
def session_plan(
    *, actor: User, table: AssessmentTable, starts_at: datetime, location: str = ""
) -> Session:
    _require_coordinator(actor, table)
    if starts_at < timezone.now() - timedelta(hours=12):
        raise ValidationError({"starts_at": _("Choose a date and time that has not passed.")})
    session = Session.objects.create(table=table, starts_at=starts_at, location=location)
    audit.record_change(
        actor=actor,
        action="session.plan",
        obj=session,
        region_id=table.region_id,
        changes={"table": table.slug, "starts_at": starts_at.isoformat()},
    )
    return session


@transaction.atomic
def agenda_add(*, actor: User, session: Session, application: Application) -> AgendaItem:
    """Put a complete (or deferred) case on the agenda of its table's session."""
    _require_coordinator(actor, session.table)
    _require_open(session)
    if decided_without_table(session.table.region_id):
        raise ValidationError(
            _("In this region the service point decides without a table; decide on the case page.")
        )
    table = application.table or tables_for(application.client.municipality_of_origin).first()
    if table is None or table.pk != session.table_id:
        raise ValidationError(
            _("This case belongs to the table %(table)s; choose a session of that table.")
            % {"table": table or "—"}
        )
    position = session.items.filter(is_open=True).count() + 1
    transition_case(
        application,
        actor=actor,
        to=CaseState.SCHEDULED,
        action="agenda.add",
        changes={"session": session.pk},
        # The session itself (table and time), not a sentence: the timeline's label says the
        # rest in each reader's language.
        note=str(session),
    )
    try:
        with transaction.atomic():
            item = AgendaItem.objects.create(
                session=session, application=application, position=position
            )
    except IntegrityError as exc:
        raise ValidationError(_("This case is already on an open agenda.")) from exc
    return item


@transaction.atomic
def agenda_remove(*, actor: User, item: AgendaItem, reason: str) -> None:
    """Take a case off the agenda again (undo); it goes back to 'complete'."""
    _require_coordinator(actor, item.session.table)
    if not item.is_open:
        raise ValidationError(_("This case has already been decided or taken off the agenda."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the case is taken off the agenda.")})
    item.is_open = False
    item.removed_at = timezone.now()
    item.save(update_fields=["is_open", "removed_at"])
    if item.application.state == CaseState.WITHDRAWN:
        return  # withdrawn while on the agenda: only the item goes, the case stays withdrawn
    transition_case(
        item.application,
        actor=actor,
        to=CaseState.COMPLETE,
        action="agenda.remove",
        note=reason.strip(),
    )


def _invitation_kind(user: User) -> str:
    party = rules.invitable_party(user)
    return InvitationKind(party) if party else InvitationKind.OTHER


@transaction.atomic
def invite(*, actor: User, item: AgendaItem, user: User) -> Invitation:
    """An extra participant for one case. For police, this invitation is their only access."""
    _require_coordinator(actor, item.session.table)
    _require_open(item.session)
    if not item.is_open:
        raise ValidationError(_("This case is no longer on the agenda."))
    if not rules.may_work_in_region(user, item.session.table.region_id):
        raise ValidationError({"user": _("Invite someone who works in this region.")})
    invitation, created = Invitation.objects.get_or_create(
        item=item, user=user, defaults={"kind": _invitation_kind(user)}
    )
    if created:
        audit.record_change(
            actor=actor,
            action="agenda.invite",
            obj=invitation,
            client=item.application.client,
            changes={"user": user.username, "kind": invitation.kind},
        )
        notify(
            users=[user],
            kind="session.invitation",
            params={"case": item.application.client.case_number, "session": str(item.session)},
            about=item.application,
            due_on=timezone.localdate(item.session.starts_at),
            url=reverse("assessment:session", args=[item.session_id]),
        )
    return invitation


@transaction.atomic
def agenda_publish(*, actor: User, session: Session) -> int:
    """Send the agenda to the members and the invited: a task on their home page and e-mail."""
    _require_coordinator(actor, session.table)
    _require_open(session)
    session.agenda_published_at = timezone.now()
    session.save(update_fields=["agenda_published_at"])
    audit.record_change(
        actor=actor, action="session.publish", obj=session, region_id=session.table.region_id
    )
    members = User.objects.filter(
        table_memberships__table=session.table, table_memberships__active=True
    )
    chairs = User.objects.filter(
        table_memberships__table=session.table,
        table_memberships__active=True,
        table_memberships__is_chair=True,
    )
    invited = User.objects.filter(table_invitations__item__session=session)
    # Published again: the new agenda replaces the tasks of the old one.
    close_for(session, ["session.agenda", "session.decisions"])
    params = {"session": str(session), "n": session.items.filter(is_open=True).count()}
    due_on = timezone.localdate(session.starts_at)
    url = reverse("assessment:session", args=[session.pk])
    # The chair records the decisions; the others (members, the invited) prepare the cases.
    told = notify(
        users=chairs, kind="session.decisions", params=params, about=session, due_on=due_on, url=url
    )
    return told + notify(
        users=[*members.exclude(pk__in=chairs), *invited],
        kind="session.agenda",
        params=params,
        about=session,
        due_on=due_on,
        url=url,
    )


def _decision_errors(
    *,
    region_rules: Any,
    outcome: str,
    reasoning: str,
    contract_form: str,
    support_months: int | None,
    urgency: int,
    earliest_reapplication: date | None,
    missing_information: str,
) -> dict[str, str]:
    """One validation of a decision, whoever records it (a table's chair, the service point
    alone, the API): the contract form must be one of the region's, as its rules are today."""
    errors: dict[str, str] = {}
    if not reasoning.strip():
        errors["reasoning"] = _("Write down the reasoning of the decision.")
    if outcome == Outcome.APPROVE:
        if region_rules.term("contract_form", contract_form) is None:
            errors["contract_form"] = _("Choose one of this region's contract forms.")
        if support_months is not None and not (
            SUPPORT_MONTHS[0] <= support_months <= SUPPORT_MONTHS[1]
        ):
            errors["support_months"] = _(
                "Enter between %(low)d and %(high)d months of support."
            ) % {"low": SUPPORT_MONTHS[0], "high": SUPPORT_MONTHS[1]}
        if urgency not in Urgency.values:
            errors["urgency"] = _("Choose an urgency from the list.")
    elif outcome == Outcome.REJECT:
        if earliest_reapplication is None:
            errors["earliest_reapplication"] = _("Enter the earliest date of a new application.")
        elif earliest_reapplication <= timezone.localdate():
            errors["earliest_reapplication"] = _("The earliest re-application lies in the future.")
    elif outcome == Outcome.DEFER:
        if not missing_information.strip():
            errors["missing_information"] = _("Say what is missing for a decision.")
    else:
        errors["outcome"] = _("Choose approve, reject or defer.")
    return errors


def _decide(
    *,
    actor: User,
    application: Application,
    item: AgendaItem | None,
    outcome: str,
    reasoning: str,
    contract_form: str,
    support_months: int | None,
    urgency: int,
    earliest_reapplication: date | None,
    missing_information: str,
    check_order: Callable[[], None] = lambda: None,
) -> Decision:
    """Validate and store a decision and move the case (the caller checked who decides): the
    rules of today's version apply, and the decision keeps which version that was."""
    effective = rules_for(application.client.region_id)
    errors = _decision_errors(
        region_rules=effective.rules,
        outcome=outcome,
        reasoning=reasoning,
        contract_form=contract_form,
        support_months=support_months,
        urgency=urgency,
        earliest_reapplication=earliest_reapplication,
        missing_information=missing_information,
    )
    if errors:
        raise ValidationError(errors)
    check_order()
    if outcome == Outcome.APPROVE and not support_months:
        # The form's own support length, unless the decision says otherwise.
        form_rule = effective.rules.term("contract_form", contract_form)
        assert form_rule is not None  # validated above
        support_months = form_rule.support_months
    decision = Decision.objects.create(
        application=application,
        item=item,
        rule_version_id=effective.version_id,
        outcome=outcome,
        reasoning=reasoning.strip(),
        contract_form=contract_form if outcome == Outcome.APPROVE else "",
        support_months=support_months if outcome == Outcome.APPROVE else None,
        urgency=urgency if outcome == Outcome.APPROVE else Urgency.NORMAL,
        earliest_reapplication=earliest_reapplication if outcome == Outcome.REJECT else None,
        missing_information=missing_information.strip() if outcome == Outcome.DEFER else "",
        decided_by=actor,
    )
    if item is not None:
        item.is_open = False
        item.save(update_fields=["is_open"])
    application.decided_at = decision.decided_at
    application.urgency = decision.urgency
    # Kept on the application, so a new application for this BSN waits until then.
    application.earliest_reapplication = decision.earliest_reapplication
    transition_case(
        application,
        actor=actor,
        to=OUTCOME_STATE[outcome],
        action=f"decision.{outcome}",
        changes={
            "decision": decision.pk,
            "rule_version": effective.version_id,
            **({"contract_form": contract_form} if outcome == Outcome.APPROVE else {}),
        },
        update_fields=("decided_at", "urgency", "earliest_reapplication"),
        note=decision.reasoning,
    )
    client = application.client
    users = [
        *audience.applicant_workers_of(client.care_provider_id),
        *audience.coordinators_of(client.region_id),
    ]
    url = reverse("applications:client", args=[client.pk])
    if outcome == Outcome.DEFER:
        notify(
            users=users,
            kind="decision.deferred",
            params={"case": client.case_number},
            about=application,
            url=url,
        )
    else:
        send_notice(
            users=users,
            kind="decision.recorded",
            params={"case": client.case_number, "outcome": outcome},
            url=url,
        )
    return decision


@transaction.atomic
def decision_record(
    *,
    actor: User,
    item: AgendaItem,
    outcome: str,
    reasoning: str,
    contract_form: str = "",
    support_months: int | None = None,
    urgency: int = Urgency.NORMAL,
    earliest_reapplication: date | None = None,
    missing_information: str = "",
    override_reason: str = "",
) -> Decision:
    """The chair records the table's decision with its reasoning, on or after the day the
    session meets (before it, the table has not met: the lead time would be wrong), unless the
    service point allows it earlier with a reason (`override_reason`). Approving without
    months of support takes the contract form's own support length."""
    session = item.session
    if not rules.is_chair(actor, session.table_id):
        raise PermissionDenied(_("Only the chair of this table records its decisions."))
    _require_open(session)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if not item.is_open:
        raise ValidationError(_("This case has already been decided."))
    meets_on = timezone.localdate(session.starts_at)

    def check_order() -> None:
        check_step_order(
            actor=actor,
            step="decision",
            refusals=(
                {
                    "__all__": _(
                        "The table meets on %(date)s: record its decision on or after that day."
                    )
                    % {"date": formats.date_format(meets_on, "j F Y")}
                }
                if timezone.localdate() < meets_on
                else {}
            ),
            override_reason=override_reason,
            obj=item,
            client=item.application.client,
        )

    return _decide(
        actor=actor,
        application=item.application,
        item=item,
        outcome=outcome,
        reasoning=reasoning,
        contract_form=contract_form,
        support_months=support_months,
        urgency=urgency,
        earliest_reapplication=earliest_reapplication,
        missing_information=missing_information,
        check_order=check_order,
    )


def decided_without_table(region_id: int) -> bool:
    """The region's route today: the service point decides alone, no table sits."""
    return bool(rules_for(region_id).rules.route.assessed_by == "service_point")


@transaction.atomic
def service_point_decision_record(
    *,
    actor: User,
    application: Application,
    outcome: str,
    reasoning: str,
    contract_form: str = "",
    support_months: int | None = None,
    urgency: int = Urgency.NORMAL,
    earliest_reapplication: date | None = None,
    missing_information: str = "",
    override_reason: str = "",
) -> Decision:
    """Where the region's route has no table, the service point records the decision on a
    complete (or deferred) case itself: the same validation, state table and audit as a
    table's decision. `override_reason` is accepted for the same form and not needed."""
    region_id = application.client.region_id
    if not rules.can_decide_without_table(actor, region_id):
        raise PermissionDenied(_("Only the service point records this decision."))
    if not decided_without_table(region_id):
        raise ValidationError(
            _("In this region an assessment table decides: put the case on a session's agenda.")
        )
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.state not in (CaseState.COMPLETE, CaseState.DEFERRED):
        raise ValidationError(
            _("Only a complete or deferred application can be decided; this one is: %(state)s.")
            % {"state": application.get_state_display()}
        )
    if outcome == Outcome.DEFER and application.state == CaseState.DEFERRED:
        raise ValidationError(
            {"outcome": _("This case is already deferred; approve or reject it now.")}
        )
    return _decide(
        actor=actor,
        application=application,
        item=None,
        outcome=outcome,
        reasoning=reasoning,
        contract_form=contract_form,
        support_months=support_months,
        urgency=urgency,
        earliest_reapplication=earliest_reapplication,
        missing_information=missing_information,
    )


@transaction.atomic
def session_close(*, actor: User, session: Session) -> None:
    """Close a session: every case decided or taken off; invitations and table access end."""
    if not rules.may_close_session(actor, session):
        raise PermissionDenied(_("Only the service point or the chair closes a session."))
    _require_open(session)
    undecided = [
        i.application.client.case_number
        for i in session.items.filter(is_open=True).select_related("application__client")
    ]
    if undecided:
        raise ValidationError(
            _("Decide on these cases or take them off the agenda first: %(cases)s")
            % {"cases": ", ".join(undecided)}
        )
    session.status = SessionStatus.CLOSED
    session.closed_at = timezone.now()
    session.save(update_fields=["status", "closed_at"])
    close_for(session, ["session.agenda", "session.decisions"])
    audit.record_change(
        actor=actor, action="session.close", obj=session, region_id=session.table.region_id
    )
