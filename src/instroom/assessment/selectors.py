"""Reads of the assessment stage, scoped by the policy; personal data reads are logged."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from instroom.accounts.models import User
from instroom.applications import selectors as application_selectors
from instroom.applications.constants import CaseState
from instroom.applications.models import Application
from instroom.applications.selectors import ClientView
from instroom.policy import rules
from instroom.regions.models import AssessmentTable
from instroom.regions.selectors import rules_for

from .constants import SessionStatus
from .models import AgendaItem, Session


def session_list(*, actor: User) -> QuerySet[Session]:
    return (
        Session.objects.filter(
            Q(table__region_id__in=rules.scope_for(actor).coordinated_regions)
            | Q(table__members__user=actor, table__members__active=True)
            | Q(items__invitations__user=actor)
        )
        .select_related("table")
        .distinct()
        .order_by("-starts_at")
    )


def tables_planned_by(*, actor: User) -> QuerySet[AssessmentTable]:
    """The tables whose sessions the actor plans (the service point of their region)."""
    regions = rules.scope_for(actor).coordinated_regions
    return AssessmentTable.objects.filter(region_id__in=regions).order_by("name")


def session_get(*, actor: User, pk: int) -> Session:
    session = Session.objects.select_related("table", "table__region").get(pk=pk)
    if not rules.can_see_session(actor, session):
        raise Session.DoesNotExist
    return session


@dataclass(frozen=True)
class AgendaRow:
    item: AgendaItem
    view: ClientView
    decision: Any
    # The dossier weight from which the region's route invites extra participants.
    invites_extra: bool = False

    @property
    def groups(self) -> frozenset[rules.FieldGroup]:
        """The parts of this case's file the viewer sees (the minimisation table): a table
        member sees the dossier and the reasoning while the case is on the open agenda."""
        return self.view.groups_for(self.item.application)


def agenda(*, actor: User, session: Session, purpose: str) -> list[AgendaRow]:
    """The cases of a session the actor may see: all for coordinators and members, only the
    invited case for someone invited. Each personal-data read is logged."""
    items = (
        session.items.select_related(
            "application__client__municipality_of_origin",
            "application__client__care_provider",
            "application__client__support_provider",
            "decision",
        )
        .prefetch_related("invitations__user")
        .order_by("position", "pk")
    )
    full_view = rules.may_read_whole_agenda(actor, session)
    extra_from = rules_for(session.table.region_id).rules.route.extra_participants_from
    rows = []
    for item in items:
        if not full_view and not any(inv.user_id == actor.pk for inv in item.invitations.all()):
            continue
        view = application_selectors.minimise(actor, item.application.client)
        rows.append(
            AgendaRow(
                item,
                view,
                getattr(item, "decision", None),
                invites_extra=bool(extra_from) and item.application.dossier_weight == extra_from,
            )
        )
    application_selectors.log_reads(
        actor=actor,
        views=[r.view for r in rows if r.item.is_open or r.decision],
        action="client.list",
        purpose=purpose,
    )
    return rows


def schedulable(*, session: Session) -> QuerySet[Application]:
    """Complete or deferred cases of this session's table, not yet on an open agenda (none
    where the region's route lets the service point decide alone)."""
    if rules_for(session.table.region_id).rules.route.assessed_by == "service_point":
        return Application.objects.none()
    return (
        Application.objects.filter(
            state__in=[CaseState.COMPLETE, CaseState.DEFERRED],
            client__municipality_of_origin__tables=session.table,
        )
        .select_related("client")
        .order_by("completed_at", "pk")
    )


def upcoming_sessions_for(*, application: Application) -> QuerySet[Session]:
    """The open sessions still to come of the table that assesses this case (set when it was
    declared complete; `agenda_add` accepts no other); the next one first."""
    return (
        Session.objects.filter(
            table=application.table_id,
            status=SessionStatus.PLANNED,
            starts_at__date__gte=timezone.localdate(),
        )
        .select_related("table")
        .order_by("starts_at", "pk")
        .distinct()
    )


def open_agenda_item(*, application: Application) -> AgendaItem | None:
    """The agenda the case is on now, if any."""
    return (
        AgendaItem.objects.filter(application=application, is_open=True)
        .select_related("session__table")
        .first()
    )
