"""Writes of the support stage: contract, soft landing, meetings, signals, case table, time-out.

Each function checks the policy, validates the step against the state tables, changes the data
and writes the audit record in one transaction (the case's state moves with it).
"""

import hashlib
import secrets
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from instroom.accounts.models import User
from instroom.accounts.notifications import notify
from instroom.applications.constants import CaseState, ContractForm
from instroom.applications.models import Application
from instroom.applications.services import transition_case
from instroom.audit import services as audit
from instroom.dates import add_months
from instroom.distribution import services as distribution
from instroom.matching import services as matching
from instroom.matching.constants import MatchState
from instroom.matching.models import Match
from instroom.pdf import render_pdf
from instroom.policy import audience, rules
from instroom.regions.constants import OrganisationType
from instroom.regions.models import Organisation, Region
from instroom.statemachine import transition, transition_many

from . import contract_text
from .constants import (
    CONTRACT_MACHINE,
    ENDING_OUTCOMES,
    MEETING_MACHINE,
    OPEN_MEETING_STATES,
    SIGNAL_MACHINE,
    SUPPORT_STATES,
    TIMEOUT_MACHINE,
    CaseTableStatus,
    ChecklistAnswer,
    ContractState,
    FinalOutcome,
    MeetingKind,
    MeetingState,
    Severity,
    SignalKind,
    SignalOutcome,
    SignalState,
    TimeOutState,
)
from .models import (
    CalendarFeed,
    CaseTableItem,
    CaseTableSession,
    ChecklistQuestion,
    Contract,
    Meeting,
    MeetingAnswer,
    OrientationActivity,
    Signal,
    SupportSettings,
    TimeOut,
)

# The standard checklist a region starts with (then its own data, edited in the configuration).
STANDARD_CHECKLIST: tuple[tuple[str, list[str]], ...] = (
    (gettext_noop("Living: does the client manage the home (cleaning, repairs, neighbours)?"), []),
    (gettext_noop("Money: is the rent paid on time; is there any debt?"), []),
    (gettext_noop("Daytime activity: work, school, volunteering or day care?"), []),
    (gettext_noop("Network: does the client have contacts in the neighbourhood?"), []),
    (gettext_noop("Health and care: is the support enough; any care avoidance?"), []),
    (gettext_noop("Agreements: what do we agree until the next meeting?"), []),
    (
        gettext_noop("Is the client ready for a regular lease (conversion)?"),
        [MeetingKind.EVALUATION, MeetingKind.FINAL],
    ),
)


def settings_for(region_id: int) -> SupportSettings:
    """The region's support settings; the first time, with the standard checklist written in
    the platform's language."""
    config, new = SupportSettings.objects.get_or_create(region_id=region_id)
    if new and not ChecklistQuestion.objects.filter(region_id=region_id).exists():
        with override(django_settings.LANGUAGE_CODE):
            ChecklistQuestion.objects.bulk_create(
                ChecklistQuestion(region_id=region_id, position=i, text=_(text), kinds=list(kinds))
                for i, (text, kinds) in enumerate(STANDARD_CHECKLIST, start=1)
            )
    return config


def _today() -> date:
    return timezone.localdate()


def _url(contract: Contract) -> str:
    return reverse("support:contract", args=[contract.pk])


def _support_workers(contract: Contract) -> Any:
    """The named support worker, or else everyone of the support provider."""
    worker = contract.support_worker
    if worker is not None and worker.is_active:
        return [worker]
    return audience.support_workers_of(contract.client.support_provider_id)


def _coordinators(region_id: int) -> Any:
    return audience.coordinators_of(region_id)


def _corporation_staff(contract: Contract) -> Any:
    return audience.corporation_staff_of(contract.home.corporation_id)


def _locked(contract: Contract) -> Contract:
    return (
        Contract.objects.select_for_update()
        .select_related("client", "home", "application", "region")
        .get(pk=contract.pk)
    )


def _move(
    contract: Contract, *, actor: User, to: str, action: str, note: str = "", **fields: Any
) -> None:
    transition(
        contract,
        machine=CONTRACT_MACHINE,
        to=to,
        actor=actor,
        action=action,
        fields=fields,
        changes={k: str(v) for k, v in fields.items()},
        note=note,
    )


def _cancel_open_meetings(contract: Contract, *, actor: User) -> None:
    """The support ends or goes back to before the signing: the meetings still open lapse."""
    transition_many(
        contract.meetings.filter(state__in=OPEN_MEETING_STATES).select_related("contract__client"),
        machine=MEETING_MACHINE,
        to=MeetingState.CANCELLED,
        actor=actor,
        action="meeting.cancel",
    )


def _date(value: date | None) -> str:
    return formats.date_format(value, "j F Y") if value else "—"


# ---------------------------------------------------------------------------------------------
# Contract
# ---------------------------------------------------------------------------------------------


def contract_terms(application: Application) -> tuple[str, int]:
    """The form and support period the table decided; the region's rule when it said nothing."""
    from instroom.assessment.models import Decision

    decision = (
        Decision.objects.filter(item__application=application, outcome="approve")
        .order_by("-decided_at")
        .first()
    )
    months = application.client.region.support_months
    if decision is not None and decision.contract_form:
        return decision.contract_form, decision.support_months or months
    return application.contract_form or ContractForm.THREE_PARTY, months


def document_values(contract: Contract) -> dict[str, str]:
    client, home = contract.client, contract.home
    return {
        "region": contract.region.name,
        "case_number": client.case_number,
        "tenant": client.full_name,
        "date_of_birth": _date(client.date_of_birth),
        "address": home.address,
        "municipality": home.municipality.name,
        "rent": formats.number_format(home.rent_eur, 2),
        "corporation": home.corporation.name,
        "support_provider": client.support_provider.name,
        "support_months": str(contract.support_months),
        "start_date": _date(contract.planned_move_in_on or contract.key_handover_on),
    }


def _make_document(contract: Contract) -> None:
    """Fill the region's text and store the PDF with the case (in Dutch: the contract's
    language). The BSN is not in it: the parties do not need it."""
    config = settings_for(contract.region_id)
    if contract.form == ContractForm.THREE_PARTY:
        text = config.three_party_text or contract_text.STANDARD_THREE_PARTY
    else:
        text = config.care_lease_text or contract_text.STANDARD_CARE_LEASE
    with override("nl"):
        values = document_values(contract)
        pdf = render_pdf(
            "support/contract_pdf.html",
            {
                "contract": contract,
                "articles": contract_text.fill(text, values),
                "values": values,
                "signed_on": _date(contract.signed_on),
                "key_handover_on": _date(contract.key_handover_on),
            },
        )
    name = f"overeenkomst-{contract.client.case_number}.pdf"
    if contract.document:
        contract.document.delete(save=False)
    contract.document.save(name, ContentFile(pdf), save=False)
    contract.document_made_at = timezone.now()
    contract.save(update_fields=["document", "document_made_at"])


@transaction.atomic
def contract_prepare(*, actor: User, match: Match) -> Contract:
    """The corporation draws up the agreement for an accepted match, in the form the table
    decided; the PDF is made for signing."""
    match = (
        Match.objects.select_for_update()
        .select_related("home", "client", "application")
        .get(pk=match.pk)
    )
    contract = getattr(match, "contract", None)
    if not rules.may_prepare_contract(actor, match):
        raise PermissionDenied(_("Only the corporation of the home draws up the contract."))
    if contract is not None:
        raise ValidationError(_("A contract has already been drawn up for this offer."))
    if match.state != MatchState.ACCEPTED:
        raise ValidationError(_("A contract follows a match the client has accepted."))
    form, months = contract_terms(match.application)
    contract = Contract.objects.create(
        match=match,
        application=match.application,
        client=match.client,
        home=match.home,
        region_id=match.region_id,
        form=form,
        support_months=months,
        prepared_by=actor,
    )
    audit.record_change(
        actor=actor,
        action="contract.prepare",
        obj=contract,
        client=contract.client,
        region_id=contract.region_id,
        changes={"form": form, "support_months": months},
    )
    _make_document(contract)
    notify(
        users=_support_workers(contract),
        subject=_("Contract drawn up for case %(case)s: plan the signing")
        % {"case": contract.client.case_number},
        url=_url(contract),
    )
    return contract


@transaction.atomic
def contract_sign(
    *,
    actor: User,
    contract: Contract,
    signed_on: date,
    key_handover_on: date,
    planned_move_in_on: date,
) -> Contract:
    """All three parties signed: the placement counts for the quota from this day, the warm
    handover is due before the move."""
    contract = _locked(contract)
    if not rules.can_manage_contract(actor, contract):
        raise PermissionDenied(_("Only the corporation of the home records the signing."))
    errors: dict[str, str] = {}
    if signed_on > _today():
        errors["signed_on"] = _("The signing date cannot be in the future.")
    elif signed_on < contract.prepared_at.date():
        errors["signed_on"] = _("The contract was drawn up on %(date)s: it was signed later.") % {
            "date": _date(contract.prepared_at.date())
        }
    if key_handover_on < signed_on:
        errors["key_handover_on"] = _("The keys are handed over on or after the signing.")
    if planned_move_in_on < signed_on:
        errors["planned_move_in_on"] = _("The move is on or after the signing.")
    if errors:
        raise ValidationError(errors)
    home = contract.home
    placement = distribution.placement_record(
        actor=actor,
        region=contract.region,
        municipality=home.municipality,
        corporation=home.corporation,
        placed_on=signed_on,
        neighbourhood=home.neighbourhood,
        complex_code=home.complex_code,
        reference=_("Contract %(case)s") % {"case": contract.client.case_number},
        client=contract.client,
        by_signing=True,
    )
    _move(
        contract,
        actor=actor,
        to=ContractState.SIGNED,
        action="contract.sign",
        signed_on=signed_on,
        key_handover_on=key_handover_on,
        planned_move_in_on=planned_move_in_on,
        placement=placement,
    )
    transition_case(
        contract.application, actor=actor, to=CaseState.CONTRACTED, action="case.contract"
    )
    config = settings_for(contract.region_id)
    Meeting.objects.create(
        contract=contract,
        kind=MeetingKind.HANDOVER,
        due_on=max(signed_on, planned_move_in_on - timedelta(days=config.handover_days_before)),
    )
    _make_document(contract)
    for users in (_support_workers(contract), _coordinators(contract.region_id)):
        notify(
            users=users,
            subject=_("Contract signed for case %(case)s: plan the warm handover")
            % {"case": contract.client.case_number},
            url=_url(contract),
        )
    return contract


@transaction.atomic
def contract_sign_undo(*, actor: User, contract: Contract, reason: str) -> Contract:
    """Take back a signing recorded by mistake (before the move): the placement is undone."""
    contract = _locked(contract)
    if not rules.can_manage_contract(actor, contract):
        raise PermissionDenied(_("Only the corporation of the home records the signing."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the signing is taken back.")})
    if contract.state != ContractState.SIGNED:
        raise ValidationError(_("Only a signing before the move can be taken back."))
    placement = contract.placement
    _move(
        contract,
        actor=actor,
        to=ContractState.PREPARED,
        action="contract.sign_undo",
        note=reason,
        signed_on=None,
        key_handover_on=None,
        planned_move_in_on=None,
        placement=None,
    )
    if placement is not None:
        distribution.placement_undo(
            actor=actor, placement=placement, reason=reason, by_signing=True
        )
    _cancel_open_meetings(contract, actor=actor)
    transition_case(
        contract.application,
        actor=actor,
        to=CaseState.MATCHING,
        action="case.contract_undo",
        note=reason,
    )
    _make_document(contract)
    return contract


@transaction.atomic
def contract_withdraw(*, actor: User, contract: Contract, reason: str) -> Contract:
    """The prepared contract will not be signed: the offer is cancelled, home and client free."""
    contract = _locked(contract)
    if not rules.can_manage_contract(actor, contract):
        raise PermissionDenied(_("Only the corporation of the home withdraws the contract."))
    if contract.state != ContractState.PREPARED:
        raise ValidationError(_("Only a contract that has not been signed can be withdrawn."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the contract is withdrawn.")})
    _move(
        contract,
        actor=actor,
        to=ContractState.TERMINATED,
        action="contract.withdraw",
        note=reason,
        ended_on=_today(),
    )
    matching.match_cancel(actor=actor, match=contract.match, note=reason)
    return contract


def _meeting_plan_for(contract: Contract, moved_in_on: date) -> list[Meeting]:
    """The region's schedule: introduction at the move, evaluations at the configured months
    within the support period, the final evaluation at its end."""
    config = settings_for(contract.region_id)
    meetings = [
        Meeting(contract=contract, kind=MeetingKind.INTRODUCTION, months=0, due_on=moved_in_on)
    ]
    for months in sorted(set(config.evaluation_months)):
        if 0 < months < contract.support_months:
            meetings.append(
                Meeting(
                    contract=contract,
                    kind=MeetingKind.EVALUATION,
                    months=months,
                    due_on=add_months(moved_in_on, months),
                )
            )
    meetings.append(
        Meeting(
            contract=contract,
            kind=MeetingKind.FINAL,
            months=contract.support_months,
            due_on=add_months(moved_in_on, contract.support_months),
        )
    )
    return meetings


@transaction.atomic
def contract_move_in(*, actor: User, contract: Contract, moved_in_on: date) -> Contract:
    """The client lives in the home: support starts and the meetings are created."""
    contract = _locked(contract)
    if not rules.can_manage_contract(actor, contract):
        raise PermissionDenied(_("Only the corporation of the home records the move."))
    if contract.state != ContractState.SIGNED:
        raise ValidationError(_("The move follows the signing of the contract."))
    if moved_in_on > _today():
        raise ValidationError({"moved_in_on": _("Record the move once it has happened.")})
    if contract.signed_on and moved_in_on < contract.signed_on:
        raise ValidationError(
            {
                "moved_in_on": _("The move is on or after the signing (%(date)s).")
                % {"date": _date(contract.signed_on)}
            }
        )
    ends = add_months(moved_in_on, contract.support_months)
    _move(
        contract,
        actor=actor,
        to=ContractState.HOUSED,
        action="contract.move_in",
        moved_in_on=moved_in_on,
        support_ends_on=ends,
    )
    transition_case(contract.application, actor=actor, to=CaseState.HOUSED, action="case.move_in")
    Meeting.objects.bulk_create(_meeting_plan_for(contract, moved_in_on))
    notify(
        users=_support_workers(contract),
        subject=_("Case %(case)s moved in: the support meetings are ready to be planned")
        % {"case": contract.client.case_number},
        url=_url(contract),
    )
    return contract


@transaction.atomic
def contract_assign(
    *,
    actor: User,
    contract: Contract,
    support_worker: User | None,
    welfare_organisation: Organisation | None,
    welfare_contact: str,
) -> Contract:
    """Name the support worker and the welfare or district-team contact (the soft landing)."""
    contract = _locked(contract)
    if not rules.can_support(actor, contract):
        raise PermissionDenied(_("Only the support provider names the people around the client."))
    errors: dict[str, str] = {}
    if (
        support_worker is not None
        and not audience.support_workers_of(contract.client.support_provider_id)
        .filter(pk=support_worker.pk)
        .exists()
    ):
        errors["support_worker"] = _("Choose a support worker of %(provider)s.") % {
            "provider": contract.client.support_provider.name
        }
    if welfare_organisation is not None and (
        welfare_organisation.region_id != contract.region_id
        or welfare_organisation.type != OrganisationType.WELFARE
    ):
        errors["welfare_organisation"] = _("Choose a welfare organisation of this region.")
    if welfare_contact.strip() and welfare_organisation is None:
        errors["welfare_organisation"] = _("Choose the organisation the contact works for.")
    if errors:
        raise ValidationError(errors)
    contract.support_worker = support_worker
    contract.welfare_organisation = welfare_organisation
    contract.welfare_contact = welfare_contact.strip()
    contract.save(update_fields=["support_worker", "welfare_organisation", "welfare_contact"])
    audit.record_change(
        actor=actor,
        action="contract.assign",
        obj=contract,
        client=contract.client,
        region_id=contract.region_id,
        changes={
            "support_worker": support_worker.pk if support_worker else None,
            "welfare_organisation": welfare_organisation.slug if welfare_organisation else None,
        },
    )
    if welfare_organisation is not None:
        notify(
            users=audience.welfare_workers_of(welfare_organisation.pk),
            subject=_("Case %(case)s is handed over to you for the soft landing")
            % {"case": contract.client.case_number},
            url=_url(contract),
        )
    return contract


@transaction.atomic
def contract_final_decide(
    *,
    actor: User,
    contract: Contract,
    outcome: str,
    note: str,
    new_end: date | None = None,
    today: date | None = None,
) -> Contract:
    """The final evaluation: convert to a regular lease, extend the support, or end it."""
    today = today or _today()
    contract = _locked(contract)
    if not rules.can_decide_final(actor, contract):
        raise PermissionDenied(
            _("The support worker or the corporation records the final evaluation.")
        )
    if contract.state != ContractState.HOUSED:
        raise ValidationError(_("The final evaluation is for a client living in the home."))
    if outcome not in FinalOutcome.values:
        raise ValidationError({"outcome": _("Choose the outcome of the final evaluation.")})
    if not note.strip():
        raise ValidationError({"note": _("Explain the outcome in a few words.")})
    if outcome == FinalOutcome.EXTEND:
        current = contract.support_ends_on or today
        if new_end is None or new_end <= current:
            raise ValidationError(
                {"new_end": _("Choose a new end date after %(date)s.") % {"date": _date(current)}}
            )
        contract.support_ends_on = new_end
        contract.final_outcome = outcome
        contract.final_note = note.strip()
        contract.save(update_fields=["support_ends_on", "final_outcome", "final_note"])
        audit.record_change(
            actor=actor,
            action="contract.extend",
            obj=contract,
            client=contract.client,
            region_id=contract.region_id,
            changes={"support_ends_on": new_end.isoformat()},
            note=note,
        )
        # The next final evaluation is due at the new end.
        final = contract.meetings.filter(
            kind=MeetingKind.FINAL, state__in=OPEN_MEETING_STATES
        ).first()
        if final is not None:
            final.due_on = new_end
            final.reminded_at = final.escalated_at = None
            final.save(update_fields=["due_on", "reminded_at", "escalated_at"])
        else:
            Meeting.objects.create(
                contract=contract,
                kind=MeetingKind.FINAL,
                months=contract.support_months,
                due_on=new_end,
            )
        return contract
    to, case_to, action = (
        (ContractState.CONVERTED, CaseState.COMPLETED, "contract.convert")
        if outcome == FinalOutcome.CONVERT
        else (ContractState.ENDED, CaseState.ENDED, "contract.end")
    )
    _move(
        contract,
        actor=actor,
        to=to,
        action=action,
        note=note,
        final_outcome=outcome,
        final_note=note.strip(),
        ended_on=today,
    )
    _cancel_open_meetings(contract, actor=actor)
    transition_case(contract.application, actor=actor, to=case_to, action=f"case.{outcome}")
    notify(
        users=_coordinators(contract.region_id),
        subject=_("Final evaluation of case %(case)s: %(outcome)s")
        % {"case": contract.client.case_number, "outcome": FinalOutcome(outcome).label},
        url=_url(contract),
    )
    return contract


# ---------------------------------------------------------------------------------------------
# Soft landing
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def orientation_add(
    *, actor: User, client: Any, on: date, description: str, organised_by: str = ""
) -> OrientationActivity:
    if not rules.can_add_orientation(actor, client):
        raise PermissionDenied(_("You may not record activities for this client."))
    if not description.strip():
        raise ValidationError({"description": _("Describe the activity.")})
    activity = OrientationActivity.objects.create(
        client=client,
        on=on,
        description=description.strip(),
        organised_by=organised_by.strip(),
        recorded_by=actor,
    )
    audit.record_change(
        actor=actor,
        action="orientation.add",
        obj=activity,
        client=client,
        region_id=client.region_id,
        changes={"on": on.isoformat()},
    )
    return activity


@transaction.atomic
def orientation_remove(*, actor: User, activity: OrientationActivity) -> None:
    """Undo an activity entered by mistake; it stays in the audit log."""
    if not rules.can_add_orientation(actor, activity.client):
        raise PermissionDenied(_("You may not record activities for this client."))
    activity.removed_at = timezone.now()
    activity.save(update_fields=["removed_at"])
    audit.record_change(
        actor=actor,
        action="orientation.remove",
        obj=activity,
        client=activity.client,
        region_id=activity.client.region_id,
    )


# ---------------------------------------------------------------------------------------------
# Meetings
# ---------------------------------------------------------------------------------------------


def _locked_meeting(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update()
        .select_related("contract__client", "contract__home")
        .get(pk=meeting.pk)
    )


@transaction.atomic
def meeting_plan(
    *, actor: User, meeting: Meeting, planned_at: datetime, location: str = ""
) -> Meeting:
    meeting = _locked_meeting(meeting)
    if not rules.can_support(actor, meeting.contract):
        raise PermissionDenied(_("Only the support provider plans the meetings."))
    if meeting.state not in OPEN_MEETING_STATES:
        raise ValidationError(_("This meeting has been held or cancelled already."))
    return transition(
        meeting,
        machine=MEETING_MACHINE,
        to=MeetingState.PLANNED,
        actor=actor,
        action="meeting.plan",
        fields={"planned_at": planned_at, "location": location.strip()},
        changes={"planned_at": planned_at.isoformat()},
    )


def checklist_for(meeting: Meeting) -> list[ChecklistQuestion]:
    if meeting.kind == MeetingKind.HANDOVER:
        return []
    return [
        q
        for q in ChecklistQuestion.objects.filter(region_id=meeting.contract.region_id, active=True)
        if q.asked_at(meeting.kind)
    ]


@transaction.atomic
def meeting_record(
    *,
    actor: User,
    meeting: Meeting,
    held_on: date,
    notes: str,
    attendees: str = "",
    answers: dict[int, tuple[str, str]] | None = None,
) -> Meeting:
    """Record a meeting as held, with the checklist answered; recording again corrects it."""
    meeting = _locked_meeting(meeting)
    if not rules.can_support(actor, meeting.contract):
        raise PermissionDenied(_("Only the support provider records the meetings."))
    if meeting.state == MeetingState.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."))
    errors: dict[str, Any] = {}
    if held_on > _today():
        errors["held_on"] = _("Record a meeting once it has been held.")
    questions = checklist_for(meeting)
    answers = answers or {}
    missing = [q for q in questions if answers.get(q.pk, ("", ""))[0] not in ChecklistAnswer.values]
    if missing:
        errors["__all__"] = _("Answer every question of the checklist; missing: %(questions)s") % {
            "questions": "; ".join(q.text for q in missing)
        }
    if meeting.kind == MeetingKind.HANDOVER and not attendees.strip():
        errors["attendees"] = _(
            "Say who took part: residential care, support worker, corporation, district team."
        )
    if errors:
        raise ValidationError(errors)
    transition(
        meeting,
        machine=MEETING_MACHINE,
        to=MeetingState.HELD,
        actor=actor,
        action="meeting.correct" if meeting.state == MeetingState.HELD else "meeting.record",
        fields={
            "held_on": held_on,
            "notes": notes.strip(),
            "attendees": attendees.strip(),
            "recorded_by": actor,
        },
        changes={"held_on": held_on.isoformat(), "kind": meeting.kind},
    )
    meeting.answers.all().delete()
    MeetingAnswer.objects.bulk_create(
        MeetingAnswer(
            meeting=meeting,
            question=q,
            question_text=q.text,
            answer=answers[q.pk][0],
            note=answers[q.pk][1].strip()[:500],
        )
        for q in questions
    )
    return meeting


def meeting_attention(meeting: Meeting, today: date, plan_days_before: int) -> str:
    """Why a meeting needs the support worker now: "unplanned", "overdue" or ""."""
    if meeting.state not in OPEN_MEETING_STATES:
        return ""
    moment = meeting.planned_at.date() if meeting.planned_at else meeting.due_on
    if today > moment:
        return "overdue"
    if meeting.planned_at is None and today >= meeting.due_on - timedelta(days=plan_days_before):
        return "unplanned"
    return ""


# ---------------------------------------------------------------------------------------------
# Signals, case table, time-out
# ---------------------------------------------------------------------------------------------


def _signal_move(
    signal: Signal, *, actor: User, to: str, action: str, note: str = "", **fields: Any
) -> None:
    transition(
        signal, machine=SIGNAL_MACHINE, to=to, actor=actor, action=action, fields=fields, note=note
    )


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
    errors: dict[str, str] = {}
    if kind not in SignalKind.values:
        errors["kind"] = _("Choose the kind of signal.")
    if severity not in Severity.values:
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
    subject = _("Signal about case %(case)s: %(kind)s (%(severity)s)") % {
        "case": contract.client.case_number,
        "kind": signal.get_kind_display(),
        "severity": signal.get_severity_display(),
    }
    url = reverse("support:signal", args=[signal.pk])
    audiences = [_support_workers(contract), _corporation_staff(contract)]
    if severity in (Severity.HIGH, Severity.CRITICAL):
        audiences.append(_coordinators(contract.region_id))
    for users in audiences:
        notify(
            users=[u for u in users if u.pk != getattr(actor, "pk", None)], subject=subject, url=url
        )
    return signal


@transaction.atomic
def signal_plan(*, actor: User, signal: Signal, action_plan: str) -> Signal:
    signal = (
        Signal.objects.select_for_update()
        .select_related("contract__client", "contract__home")
        .get(pk=signal.pk)
    )
    if not rules.can_report_signal(actor, signal.contract):
        raise PermissionDenied(_("You may not work on this signal."))
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
    signal = (
        Signal.objects.select_for_update()
        .select_related("contract__client", "contract__home")
        .get(pk=signal.pk)
    )
    if not rules.can_report_signal(actor, signal.contract):
        raise PermissionDenied(_("You may not work on this signal."))
    if not note.strip():
        raise ValidationError({"note": _("Say what the case table should decide.")})
    _signal_move(signal, actor=actor, to=SignalState.ESCALATED, action="signal.escalate", note=note)
    session = _next_session(signal.contract.region_id, timezone.now())
    item = CaseTableItem.objects.create(session=session, signal=signal, added_by=actor)
    notify(
        users=_coordinators(signal.contract.region_id),
        subject=_("Case %(case)s is on the case table: %(kind)s")
        % {"case": signal.contract.client.case_number, "kind": signal.get_kind_display()},
        body=note,
        url=reverse("support:case_table"),
    )
    return item


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
    for users in (_support_workers(contract), _corporation_staff(contract)):
        notify(
            users=users,
            subject=_("The case table decided on case %(case)s")
            % {"case": contract.client.case_number},
            url=reverse("support:signal", args=[item.signal_id]),
        )
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
    """Close a signal with its outcome. Termination and return to care end the tenancy's
    support and the case; only the service point records those."""
    signal = (
        Signal.objects.select_for_update()
        .select_related("contract__client", "contract__home")
        .get(pk=signal.pk)
    )
    contract = signal.contract
    if outcome not in SignalOutcome.values:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    if outcome in ENDING_OUTCOMES:
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
    if outcome in ENDING_OUTCOMES:
        contract = _locked(contract)
        _move(
            contract,
            actor=actor,
            to=ContractState.TERMINATED,
            action=f"contract.{outcome}",
            note=note,
            ended_on=_today(),
        )
        _cancel_open_meetings(contract, actor=actor)
        transition_case(
            contract.application,
            actor=actor,
            to=CaseState.TERMINATED,
            action=f"case.{outcome}",
            note=note,
        )
    return signal


@transaction.atomic
def timeout_start(
    *,
    actor: User,
    contract: Contract,
    starts_on: date,
    ends_on: date,
    stay: str,
    return_plan: str,
    signal: Signal | None = None,
) -> TimeOut:
    contract = _locked(contract)
    if not rules.can_support(actor, contract):
        raise PermissionDenied(
            _("Only the support provider or the service point arranges a time-out.")
        )
    if contract.state != ContractState.HOUSED:
        raise ValidationError(_("A time-out is for a client living in the home."))
    config = settings_for(contract.region_id)
    errors: dict[str, str] = {}
    if ends_on < starts_on:
        errors["ends_on"] = _("The end lies on or after the start.")
    elif (ends_on - starts_on).days > config.timeout_max_days:
        errors["ends_on"] = _("A time-out lasts at most %(days)d days in this region.") % {
            "days": config.timeout_max_days
        }
    if not stay.strip():
        errors["stay"] = _("Say where the client stays.")
    if not return_plan.strip():
        errors["return_plan"] = _("Write down how the client returns home.")
    if contract.timeouts.filter(state=TimeOutState.ACTIVE).exists():
        errors["__all__"] = _("This client is already in a time-out.")
    if errors:
        raise ValidationError(errors)
    if signal is None:  # the time-out answers the latest open signal, if there is one
        signal = contract.signals.exclude(state=SignalState.CLOSED).first()
    timeout = TimeOut.objects.create(
        contract=contract,
        signal=signal,
        starts_on=starts_on,
        ends_on=ends_on,
        stay=stay.strip(),
        return_plan=return_plan.strip(),
        created_by=actor,
    )
    audit.record_change(
        actor=actor,
        action="timeout.start",
        obj=timeout,
        client=contract.client,
        region_id=contract.region_id,
        changes={"from": starts_on.isoformat(), "until": ends_on.isoformat()},
    )
    return timeout


@transaction.atomic
def timeout_end(*, actor: User, timeout: TimeOut, ended_on: date, returned: bool) -> TimeOut:
    timeout = (
        TimeOut.objects.select_for_update().select_related("contract__client").get(pk=timeout.pk)
    )
    if not rules.can_support(actor, timeout.contract):
        raise PermissionDenied(
            _("Only the support provider or the service point arranges a time-out.")
        )
    if timeout.state != TimeOutState.ACTIVE:
        raise ValidationError(_("This time-out has ended already."))
    if ended_on < timeout.starts_on or ended_on > _today():
        raise ValidationError({"ended_on": _("Choose a date between the start and today.")})
    transition(
        timeout,
        machine=TIMEOUT_MACHINE,
        to=TimeOutState.RETURNED if returned else TimeOutState.NOT_RETURNED,
        actor=actor,
        action="timeout.end",
        fields={"ended_on": ended_on},
    )
    if not returned:
        notify(
            users=_coordinators(timeout.contract.region_id),
            subject=_("Case %(case)s did not return after the time-out: put it on the case table")
            % {"case": timeout.contract.client.case_number},
            url=_url(timeout.contract),
        )
    return timeout


# ---------------------------------------------------------------------------------------------
# Calendar feed
# ---------------------------------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_create(*, actor: User) -> str:
    """A new secret address for the actor's meetings; the old one stops working. The secret
    is shown once: only its hash is kept."""
    if not rules.may_subscribe_to_calendar(actor):
        raise PermissionDenied(_("Calendar feeds are for support workers."))
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        user=actor,
        defaults={"token_hash": _hash(token), "created_at": timezone.now(), "last_used_at": None},
    )
    audit.record_change(actor=actor, action="calendar.create", obj=actor)
    return token


@transaction.atomic
def calendar_feed_revoke(*, actor: User) -> None:
    if CalendarFeed.objects.filter(user=actor).delete()[0]:
        audit.record_change(actor=actor, action="calendar.revoke", obj=actor)


def calendar_feed_user(token: str) -> User | None:
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=_hash(token)).first()
    if feed is None or not feed.user.is_active:
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed.user


# ---------------------------------------------------------------------------------------------
# The daily job
# ---------------------------------------------------------------------------------------------


def _open_meetings() -> QuerySet[Meeting]:
    return Meeting.objects.filter(
        state__in=OPEN_MEETING_STATES,
        contract__state__in=SUPPORT_STATES,
    ).select_related("contract__client", "contract__support_worker", "contract__region")


def support_follow_up(*, today: date | None = None) -> dict[str, int]:
    """For `instroom daily`: a meeting not planned in time, or overdue, reminds the support
    worker once; if it still needs attention some days later, the service point is alerted
    once. Time-outs past their end alert the service point once. Safe to run twice a day: each
    message is sent only after the row is marked, under a row lock, in one transaction."""
    today = today or _today()
    now = timezone.now()
    counts = {"meeting_reminders": 0, "meeting_escalations": 0, "timeout_alerts": 0}
    configs: dict[int, SupportSettings] = {}
    for candidate in _open_meetings().filter(escalated_at__isnull=True):
        region_id = candidate.contract.region_id
        config = configs.setdefault(region_id, settings_for(region_id))
        with transaction.atomic():
            meeting = Meeting.objects.select_for_update().get(pk=candidate.pk)
            meeting.contract = candidate.contract
            why = meeting_attention(meeting, today, config.plan_days_before)
            if not why:
                continue
            case = meeting.contract.client.case_number
            url = reverse("support:meeting", args=[meeting.pk])
            if meeting.reminded_at is None:
                meeting.reminded_at = now
                meeting.save(update_fields=["reminded_at"])
                subject = (
                    _("Reminder: plan the %(meeting)s of case %(case)s (due %(date)s)")
                    if why == "unplanned"
                    else _("Reminder: the %(meeting)s of case %(case)s is overdue (due %(date)s)")
                )
                notify(
                    users=_support_workers(meeting.contract),
                    subject=subject
                    % {
                        "meeting": meeting.title.lower(),
                        "case": case,
                        "date": _date(meeting.due_on),
                    },
                    url=url,
                )
                counts["meeting_reminders"] += 1
            elif (
                timezone.localdate(meeting.reminded_at) + timedelta(days=config.escalate_after_days)
                <= today
            ):
                meeting.escalated_at = now
                meeting.save(update_fields=["escalated_at"])
                notify(
                    users=_coordinators(region_id),
                    subject=_("A meeting needs attention: %(meeting)s of case %(case)s")
                    % {"meeting": meeting.title.lower(), "case": case},
                    body=_("Due on %(date)s; the support worker was reminded on %(reminded)s.")
                    % {
                        "date": _date(meeting.due_on),
                        "reminded": _date(timezone.localdate(meeting.reminded_at)),
                    },
                    url=url,
                )
                counts["meeting_escalations"] += 1
    for late in TimeOut.objects.filter(
        state=TimeOutState.ACTIVE, ends_on__lt=today, reminded_at__isnull=True
    ).select_related("contract__client"):
        with transaction.atomic():
            timeout = TimeOut.objects.select_for_update().get(pk=late.pk)
            if timeout.reminded_at is not None or timeout.state != TimeOutState.ACTIVE:
                continue
            timeout.reminded_at = now
            timeout.save(update_fields=["reminded_at"])
            notify(
                users=_coordinators(late.contract.region_id),
                subject=_("The time-out of case %(case)s has passed its end date")
                % {"case": late.contract.client.case_number},
                url=_url(late.contract),
            )
            counts["timeout_alerts"] += 1
    return counts


def anonymise_client(client: Any) -> None:
    """Retention: the stored agreements go, free text about the person is emptied."""
    for contract in Contract.objects.filter(client=client):
        if contract.document:
            contract.document.delete(save=False)
            contract.document = ""
        contract.welfare_contact = ""
        contract.final_note = ""
        contract.save(update_fields=["document", "welfare_contact", "final_note"])
    Meeting.objects.filter(contract__client=client).update(notes="", attendees="", location="")
    MeetingAnswer.objects.filter(meeting__contract__client=client).update(note="")
    Signal.objects.filter(contract__client=client).update(
        description="—", action_plan="", outcome_note=""
    )
    CaseTableItem.objects.filter(signal__contract__client=client).update(decision="—")
    TimeOut.objects.filter(contract__client=client).update(stay="—", return_plan="")
    OrientationActivity.objects.filter(client=client).update(description="—", organised_by="")
