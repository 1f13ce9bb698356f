"""The offer workflow: propose → care provider answers → client answers → ready for contract.

Each function checks the policy, locks the rows it changes (home, application, match), keeps
the state tables of the match, the home and the case, and writes the audit record, all in one
transaction. One active match per home and per client is also guaranteed by the database.
"""

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from instroom.accounts import tasks as account_tasks
from instroom.accounts.models import User
from instroom.accounts.notifications import notify, send_notice
from instroom.applications.constants import CaseState
from instroom.applications.models import Application, Client
from instroom.applications.services import transition_case
from instroom.audit import services as audit
from instroom.audit.models import AuditEvent
from instroom.dates import add_months, add_working_days, local_date, working_days_between
from instroom.homes.constants import HomeState
from instroom.homes.models import Home
from instroom.homes.services import home_transition
from instroom.policy import audience, rules
from instroom.regions.rules.matching import Matching
from instroom.regions.selectors import rules_for, rules_version
from instroom.statemachine import TransitionError, transition, transition_many

from . import ranking
from .constants import (
    ACTIVE_MATCH_STATES,
    CLOSED_MATCH_STATES,
    MATCH_MACHINE,
    OPEN_STATUS_REQUEST_STATES,
    STATUS_REQUEST_MACHINE,
    Consequence,
    MatchState,
    Party,
    Review,
    StatusAnswer,
    StatusRequestState,
    ViewingOutcome,
    reason_text,
)
from .models import (
    CONTACT_FIELDS,
    BatchRun,
    CotenantMark,
    Match,
    Parking,
    RankingSnapshot,
    Refusal,
    StatusRequest,
    Viewing,
)


def _today() -> date:
    return timezone.localdate()


def _move(
    match: Match, *, actor: User, to: str, action: str, note: str = "", **fields: Any
) -> None:
    transition(
        match, machine=MATCH_MACHINE, to=to, actor=actor, action=action, fields=fields, note=note
    )
    # The offer moved on: a question about how it was going no longer waits for an answer.
    transition_many(
        StatusRequest.objects.filter(match=match, state__in=OPEN_STATUS_REQUEST_STATES),
        machine=STATUS_REQUEST_MACHINE,
        to=StatusRequestState.CLOSED,
        actor=actor,
        action="status_request.close",
    )


def _name_contacts(match: Match, actor: User | None) -> None:
    """The first person who acts for a party of the offer becomes that party's named contact."""
    if actor is None:
        return
    changed = []
    for party in sorted(rules.match_parties(actor, match)):
        field = CONTACT_FIELDS[Party(party)]
        if getattr(match, f"{field}_id") is None:
            setattr(match, field, actor)
            changed.append(field)
    if changed:
        match.save(update_fields=changed)


def _lock(match: Match) -> tuple[Match, Home, Application]:
    """Lock in one fixed order (home, application, match) so concurrent steps cannot deadlock."""
    home = Home.objects.select_for_update().get(pk=match.home_id)
    application = Application.objects.select_for_update().get(pk=match.application_id)
    locked = Match.objects.select_for_update().select_related("client", "home").get(pk=match.pk)
    return locked, home, application


def _url(match: Match) -> str:
    return reverse("matching:detail", args=[match.pk])


def _care_workers(match: Match) -> Any:
    return audience.applicant_workers_of(match.client.care_provider_id)


def _corporation_staff(match: Match) -> Any:
    return audience.corporation_staff_of(match.home.corporation_id)


def _coordinators(region_id: int) -> Any:
    return audience.coordinators_of(region_id)


@transaction.atomic
def match_propose(
    *,
    actor: User,
    home: Home,
    application: Application,
    snapshot: RankingSnapshot | None = None,
) -> Match:
    """The corporation proposes one candidate for its home. Refused (with the reason) when the
    home or the client is no longer free, or a hard filter excludes the pair now."""
    if not rules.may_propose_for_home(actor, home):
        raise PermissionDenied(_("You may only propose candidates for your own homes."))
    home = Home.objects.select_for_update().get(pk=home.pk)
    application = (
        Application.objects.select_for_update().select_related("client").get(pk=application.pk)
    )
    if home.state != HomeState.OPEN:
        raise ValidationError(
            _(
                "This home is no longer open (“%(state)s”): somebody may have just proposed a "
                "candidate. Reload the page."
            )
            % {"state": home.get_state_display()}
        )
    if application.state != CaseState.APPROVED or application.client.region_id != home.region_id:
        raise ValidationError(
            _(
                "Candidate %(number)s is no longer available: another home may have just been "
                "offered. Choose the next candidate."
            )
            % {"number": application.client.candidate_number}
        )
    reasons = ranking.why_not(home, application, today=_today())
    if reasons:
        raise ValidationError(
            _("This candidate does not fit this home: %(reasons)s")
            % {"reasons": "; ".join(reason_text(r) for r in reasons)}
        )
    config = ranking.matching_rules(home.region_id)
    position = None
    if snapshot is not None:
        position = next(
            (
                row["position"]
                for row in snapshot.eligible
                if row["client_id"] == application.client_id
            ),
            None,
        )
    match = Match(
        home=home,
        application=application,
        client=application.client,
        region_id=home.region_id,
        snapshot=snapshot,
        position=position,
        proposed_by=actor,
        step_deadline=_today() + timedelta(days=config.provider_response_days),
    )
    try:
        with transaction.atomic():
            match.save()
    except IntegrityError:
        raise ValidationError(
            _(
                "Somebody else has just made an offer for this home or this candidate. "
                "Reload the page to see the current state."
            )
        ) from None
    _name_contacts(match, actor)
    audit.record_change(
        actor=actor,
        action="match.propose",
        obj=match,
        client=application.client,
        changes={
            "home": home.pk,
            "position": position,
            "snapshot": snapshot.pk if snapshot else None,
        },
    )
    home_transition(home, actor=actor, to=HomeState.PROPOSED, action="home.propose")
    transition_case(application, actor=actor, to=CaseState.MATCHING, action="case.match")
    notify(
        users=_care_workers(match),
        kind="match.answer",
        params={"number": application.client.candidate_number},
        about=match,
        due_on=match.step_deadline,
        body=_("Please answer by %(date)s whether the home fits your client.")
        % {"date": match.step_deadline.isoformat()},
        url=_url(match),
    )
    return match


def _release(match: Match, home: Home, application: Application, *, actor: User) -> None:
    """The home goes back on offer and the client back into the pool."""
    if home.state in (HomeState.PROPOSED, HomeState.LET):
        home_transition(home, actor=actor, to=HomeState.OPEN, action="home.release")
    if application.state == CaseState.MATCHING:
        transition_case(application, actor=actor, to=CaseState.APPROVED, action="case.unmatch")


def _decline(
    match: Match,
    home: Home,
    application: Application,
    *,
    actor: User,
    to: str,
    action: str,
    reason: str,
    note: str,
) -> None:
    """A declined offer, with its reason; the home and the client are free again."""
    _check_reason(ranking.matching_rules(match.region_id), reason, note)
    _move(
        match,
        actor=actor,
        to=to,
        action=action,
        note=note,
        decline_reason=reason,
        decline_note=note,
    )
    _release(match, home, application, actor=actor)


# The reason code that always needs an explanation, when a region's list has it.
OTHER_REASON = "other"


def _check_reason(matching: Matching, reason: str, note: str) -> None:
    """A reason of the region's own list (`rules.matching.refusal_reason`), for the pages, the
    API and imports alike."""
    if reason not in {r.code for r in matching.refusal_reason}:
        raise ValidationError({"reason": _("Choose one of this regeling's reasons.")})
    if reason == OTHER_REASON and not note.strip():
        raise ValidationError({"note": _("Explain the reason.")})


def decline_reason_choices(region_id: int) -> list[tuple[str, str]]:
    """The region's reasons to decline an offer, for the forms (code, wording)."""
    return rules_for(region_id).rules.choices("refusal_reason")


def decline_reason_label(region_id: int, code: str) -> str:
    """The region's wording of a stored reason in the active language."""
    return rules_for(region_id).rules.label("refusal_reason", code)


@transaction.atomic
def match_provider_decide(
    *, actor: User, match: Match, accept: bool, reason: str = "", note: str = ""
) -> Match:
    match, home, application = _lock(match)
    if not rules.can_decide_for_client(actor, match):
        raise PermissionDenied(_("Only the client's care provider answers this offer."))
    if match.state != MatchState.PROPOSED:
        raise MATCH_MACHINE.refuse(match.state, MatchState.PROVIDER_ACCEPTED)
    _name_contacts(match, actor)
    if accept:
        config = ranking.matching_rules(match.region_id)
        _move(
            match,
            actor=actor,
            to=MatchState.PROVIDER_ACCEPTED,
            action="match.provider_accept",
            step_deadline=_today() + timedelta(days=config.client_response_days),
            reminded_at=None,
            escalated_at=None,
        )
        notify(
            users=_corporation_staff(match),
            kind="match.provider_agreed",
            params={"address": home.address},
            about=match,
            body=_("The client will now view the home."),
            url=_url(match),
        )
        return match
    _decline(
        match,
        home,
        application,
        actor=actor,
        to=MatchState.PROVIDER_DECLINED,
        action="match.provider_decline",
        reason=reason,
        note=note,
    )
    notify(
        users=_corporation_staff(match),
        kind="match.provider_declined",
        params={"address": home.address},
        about=match,
        body=f"{decline_reason_label(match.region_id, reason)}. {note}".strip(),
        url=reverse("matching:ranking", args=[home.pk]),
    )
    return match


@transaction.atomic
def match_client_decide(
    *, actor: User, match: Match, accept: bool, reason: str = "", note: str = ""
) -> Match:
    """The care worker records the client's answer after the viewing."""
    match, home, application = _lock(match)
    if not rules.can_decide_for_client(actor, match):
        raise PermissionDenied(_("Only the client's care provider records the client's answer."))
    if match.state != MatchState.PROVIDER_ACCEPTED:
        raise ValidationError(_("The care provider has to agree first."))
    _name_contacts(match, actor)
    if accept:
        _move(match, actor=actor, to=MatchState.ACCEPTED, action="match.client_accept")
        home_transition(home, actor=actor, to=HomeState.LET, action="home.let")
        for users in (_corporation_staff(match), _coordinators(match.region_id)):
            notify(
                users=users,
                kind="match.ready_for_contract",
                params={"number": match.client.candidate_number, "address": home.address},
                about=application,
                url=_url(match),
            )
        return match
    _decline(
        match,
        home,
        application,
        actor=actor,
        to=MatchState.CLIENT_DECLINED,
        action="match.client_decline",
        reason=reason,
        note=note,
    )
    Refusal.objects.create(
        match=match,
        application=application,
        rule_version_id=rules_for(match.region_id).version_id,
    )
    notify(
        users=_coordinators(match.region_id),
        kind="match.judge_refusal",
        params={"number": match.client.candidate_number},
        about=match,
        url=reverse("matching:refusals"),
    )
    notify(
        users=_corporation_staff(match),
        kind="match.client_declined",
        params={"address": home.address},
        about=match,
        url=reverse("matching:ranking", args=[home.pk]),
    )
    return match


@transaction.atomic
def match_cancel(*, actor: User, match: Match, note: str) -> Match:
    """End an active offer (for example: the home turned out not to be available)."""
    match, home, application = _lock(match)
    if not rules.can_cancel_match(actor, match):
        raise PermissionDenied(_("You may not cancel this offer."))
    if not note.strip():
        raise ValidationError({"note": _("Say why the offer is cancelled.")})
    # The contract stage owns an offer once a contract is drawn up (a later stage; no import).
    contract = getattr(match, "contract", None)
    if contract is not None and contract.state != "terminated":
        raise ValidationError(
            _("A contract has been drawn up for this offer: withdraw it on the contract page.")
        )
    _move(match, actor=actor, to=MatchState.CANCELLED, action="match.cancel", note=note)
    _release(match, home, application, actor=actor)
    for users in (_care_workers(match), _corporation_staff(match)):
        notify(
            users=users,
            kind="match.cancelled",
            params={"address": home.address},
            about=match,
            body=note,
            url=_url(match),
        )
    return match


def refusal_consequence(refusal: Refusal, matching: Matching | None = None) -> tuple[str, int, str]:
    """What follows when the service point judges this refusal unjustified, under the rules in
    force when the client refused: (consequence code, months parked, the reason's wording)."""
    matching = matching or rules_version(refusal.rule_version_id).rules.matching
    reason = next(
        (r for r in matching.refusal_reason if r.code == refusal.match.decline_reason), None
    )
    if reason is None:  # a reason the rules no longer know (an old record): a warning, as before
        return Consequence.WARNING, matching.parking_months, refusal.match.decline_reason
    months = reason.parking_months if reason.consequence == Consequence.PARKED else 0
    return reason.consequence, months, reason.label


def refusals_explained(refusals: list[Refusal]) -> list[tuple[str, str]]:
    """Per refusal its reason and the consequence of an unjustified judgement, in the
    regeling's words (each rules version read once)."""
    versions: dict[int | None, Matching] = {}
    out = []
    for refusal in refusals:
        key = refusal.rule_version_id
        if key not in versions:
            versions[key] = rules_version(key).rules.matching
        _code, _months, label = refusal_consequence(refusal, versions[key])
        out.append((label, refusal_consequence_text(refusal, versions[key])))
    return out


def refusal_consequence_text(refusal: Refusal, matching: Matching | None = None) -> str:
    """The consequence of an unjustified judgement in the regeling's words, for the review page
    before the service point confirms."""
    matching = matching or rules_version(refusal.rule_version_id).rules.matching
    code, months, label = refusal_consequence(refusal, matching)
    if code == Consequence.NONE:
        text = _("Unjustified: no consequence for “%(reason)s” in this regeling.")
    elif code == Consequence.WARNING:
        text = _(
            "Unjustified: a warning for “%(reason)s”; at warning %(count)d the client is "
            "parked for %(months)d month(s)."
        )
        months = matching.parking_months
    elif code == Consequence.PARKED:
        text = _("Unjustified: “%(reason)s” parks the client at once for %(months)d month(s).")
    else:
        text = _(
            "Unjustified: after “%(reason)s” the case goes back to the assessment table; the "
            "service point schedules it."
        )
    return text % {"reason": label, "count": matching.refusals_before_parking, "months": months}


@transaction.atomic
def refusal_review(*, actor: User, refusal: Refusal, justified: bool, note: str = "") -> Refusal:
    """The coordinator judges a refusal. Justified: nothing follows. Unjustified: the reason's
    consequence in the region's rules (when the client refused) — none; a warning that counts
    towards parking; parked now for the reason's months; or back to the assessment table."""
    refusal = Refusal.objects.select_for_update().select_related("match").get(pk=refusal.pk)
    if not rules.can_review_refusals(actor, refusal.match.region_id):
        raise PermissionDenied(_("Only the service point judges refusals."))
    if refusal.review != Review.PENDING:
        raise ValidationError(_("This refusal has already been judged."))
    if not justified and not note.strip():
        raise ValidationError({"note": _("Explain why the refusal is unjustified.")})
    consequence, months, reason_label = refusal_consequence(refusal)
    refusal.review = Review.JUSTIFIED if justified else Review.UNJUSTIFIED
    refusal.consequence = Consequence.NONE if justified else consequence
    refusal.reviewed_by = actor
    refusal.reviewed_at = timezone.now()
    refusal.review_note = note.strip()
    refusal.save(
        update_fields=["review", "consequence", "reviewed_by", "reviewed_at", "review_note"]
    )
    application = (
        Application.objects.select_for_update()
        .select_related("client")
        .get(pk=refusal.application_id)
    )
    audit.record_change(
        actor=actor,
        action="refusal.review",
        obj=refusal,
        client=application.client,
        changes={"review": refusal.review, "consequence": refusal.consequence},
        note=note,
    )
    if justified:
        return refusal
    if consequence == Consequence.WARNING:
        _park_if_due(application, actor=actor)
    elif consequence == Consequence.PARKED:
        _park(
            application,
            actor=actor,
            months=months,
            reason=_("Unjustified refusal: %(reason)s") % {"reason": reason_label},
        )
    elif consequence == Consequence.BACK_TO_TABLE:
        _back_to_table(
            application, actor=actor, reason=refusal.match.decline_reason, note=note.strip()
        )
    return refusal


def _park_if_due(application: Application, *, actor: User) -> Parking | None:
    """Enough warnings since the last parking park the client for the regeling's months."""
    config = ranking.matching_rules(application.client.region_id)
    since = Parking.objects.filter(application=application).order_by("-starts_on").first()
    warnings = Refusal.objects.filter(
        application=application, review=Review.UNJUSTIFIED, consequence=Consequence.WARNING
    )
    if since is not None:
        warnings = warnings.filter(reviewed_at__date__gte=since.starts_on)
    count = warnings.count()
    if count < config.refusals_before_parking:
        return None
    return _park(
        application,
        actor=actor,
        months=config.parking_months,
        reason=_("%(count)d unjustified refusals") % {"count": count},
    )


def _park(application: Application, *, actor: User, months: int, reason: str) -> Parking | None:
    """Park a client in the pool for `months` (not one whose next offer already runs)."""
    if application.state != CaseState.APPROVED:
        return None
    today = _today()
    parking = Parking.objects.create(
        application=application,
        starts_on=today,
        until=add_months(today, months),
        reason=reason,
        created_by=actor,
    )
    transition_case(
        application,
        actor=actor,
        to=CaseState.PARKED,
        action="case.park",
        changes={"until": parking.until.isoformat()},
        note=parking.reason,
    )
    send_notice(
        users=_care_workers_of(application),
        kind="match.parked",
        params={"number": application.client.candidate_number, "date": parking.until.isoformat()},
        note=parking.reason,
        url=reverse("applications:client", args=[application.client_id]),
    )
    return parking


def _back_to_table(application: Application, *, actor: User, reason: str, note: str) -> None:
    """The case leaves the pool for the assessment table again; the service point (which plans
    the sessions) gets the task to schedule it, the care provider is told."""
    if application.state != CaseState.APPROVED:
        return
    transition_case(
        application,
        actor=actor,
        to=CaseState.COMPLETE,
        action="case.back_to_table",
        changes={"reason": reason},
        note=note,
    )
    notify(
        users=_coordinators(application.client.region_id),
        kind="match.back_to_table",
        params={"number": application.client.candidate_number},
        about=application,
        body=note,
        url=reverse("applications:client", args=[application.client_id]),
    )
    send_notice(
        users=_care_workers_of(application),
        kind="match.back_to_table_notice",
        params={"number": application.client.candidate_number},
        note=note,
        url=reverse("applications:client", args=[application.client_id]),
    )


def _care_workers_of(application: Application) -> Any:
    return audience.applicant_workers_of(application.client.care_provider_id)


@transaction.atomic
def parking_end(
    *, actor: User | None, parking: Parking, reason: str, today: date | None = None
) -> Parking:
    """End a parking early (undo of a mistake, or new circumstances), or when it expires."""
    parking = Parking.objects.select_for_update().get(pk=parking.pk)
    application = (
        Application.objects.select_for_update()
        .select_related("client")
        .get(pk=parking.application_id)
    )
    if actor is not None and not rules.may_end_parking(actor, application.client.region_id):
        raise PermissionDenied(_("Only the service point ends a parking."))
    if parking.ended_on is not None:
        raise ValidationError(_("This parking has already ended."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the parking ends.")})
    parking.ended_on = today or _today()
    parking.end_reason = reason.strip()
    parking.save(update_fields=["ended_on", "end_reason"])
    if application.state == CaseState.PARKED:
        transition_case(
            application, actor=actor, to=CaseState.APPROVED, action="case.unpark", note=reason
        )
    return parking


def matches_follow_up(*, today: date | None = None) -> dict[str, int]:
    """For `instroom daily`: remind whoever a stalled step waits for, then alert the service
    point; and return clients whose parking has run out to the pool."""
    today = today or _today()
    now = timezone.now()
    counts = {"reminded": 0, "escalated": 0, "unparked": 0}
    waiting = Match.objects.filter(
        state__in=[MatchState.PROPOSED, MatchState.PROVIDER_ACCEPTED], step_deadline__lt=today
    ).select_related("client", "home")
    for match in waiting:
        config = ranking.matching_rules(match.region_id)
        with transaction.atomic():
            if match.reminded_at is None:
                notify(
                    users=_care_workers(match),
                    kind=(
                        "match.remind_provider"
                        if match.state == MatchState.PROPOSED
                        else "match.remind_client"
                    ),
                    params={"address": match.home.address},
                    about=match,
                    due_on=match.step_deadline,
                    body=_("The answer was due on %(date)s.")
                    % {"date": match.step_deadline.isoformat()},
                    url=_url(match),
                )
                Match.objects.filter(pk=match.pk).update(reminded_at=now)
                counts["reminded"] += 1
            elif (
                match.escalated_at is None
                and match.step_deadline + timedelta(days=config.escalate_after_days) < today
            ):
                notify(
                    users=_coordinators(match.region_id),
                    kind="match.stalled",
                    params={"address": match.home.address, "number": match.client.candidate_number},
                    about=match,
                    due_on=match.step_deadline,
                    body=_("No answer since %(date)s, also after a reminder.")
                    % {"date": match.step_deadline.isoformat()},
                    url=_url(match),
                )
                Match.objects.filter(pk=match.pk).update(escalated_at=now)
                counts["escalated"] += 1
    for parking in Parking.objects.filter(ended_on__isnull=True, until__lte=today):
        parking_end(actor=None, parking=parking, reason=_("Parking period over"), today=today)
        counts["unparked"] += 1
    counts["status_requested"] = _status_requests_send_due(today)
    counts["status_escalated"] = _status_requests_escalate_due(today)
    return counts


def batch_start(
    *, actor: User, region: Any, caps: dict[str, dict[str, int]] | None = None
) -> BatchRun:
    """Queue a batch matching run for the region's open homes (the worker carries it out),
    with the caps per municipality and per corporation set for this run (see `batch.RunCaps`)."""
    from .tasks import batch_matching

    if not rules.may_run_batch_matching(actor, region.pk):
        raise PermissionDenied(_("Only the service point runs batch matching."))
    caps = {level: dict(limits) for level, limits in (caps or {}).items() if limits}
    batch_run = BatchRun.objects.create(region=region, started_by=actor, caps=caps)
    audit.record_change(
        actor=actor,
        action="batch.start",
        obj=batch_run,
        region_id=region.pk,
        changes={"caps": caps} if caps else None,
    )
    batch_matching.enqueue(batch_run.pk)
    batch_run.refresh_from_db()
    return batch_run


@transaction.atomic
def batch_confirm(
    *, actor: User, batch_run: BatchRun, selected: list[int]
) -> tuple[list[Match], list[str]]:
    """Turn the confirmed pairs into proposals of the ordinary offer workflow. Each pair stands
    on its own: one that is no longer possible is reported, the others go ahead."""
    batch_run = BatchRun.objects.select_for_update().get(pk=batch_run.pk)
    if not rules.may_run_batch_matching(actor, batch_run.region_id):
        raise PermissionDenied(_("Only the service point confirms a batch."))
    if batch_run.status != BatchRun.Status.DONE:
        raise ValidationError(_("This run has no proposal to confirm."))
    if batch_run.confirmed_at is not None:
        raise ValidationError(_("This run has already been confirmed."))
    if not selected:
        raise ValidationError(_("Tick at least one pair to confirm."))
    made: list[Match] = []
    refused: list[str] = []
    for index in selected:
        if not 0 <= index < len(batch_run.pairs):
            continue
        pair = batch_run.pairs[index]
        home = Home.objects.filter(pk=pair["home_id"], region_id=batch_run.region_id).first()
        application = Application.objects.filter(pk=pair["application_id"]).first()
        if home is None or application is None:
            refused.append(f"{pair['address']}: " + _("no longer exists"))
            continue
        try:
            with transaction.atomic():
                made.append(match_propose(actor=actor, home=home, application=application))
        except ValidationError as exc:
            refused.append(
                f"{pair['address']} – {pair['candidate_number']}: " + " ".join(exc.messages)
            )
    batch_run.confirmed_by = actor
    batch_run.confirmed_at = timezone.now()
    batch_run.save(update_fields=["confirmed_by", "confirmed_at"])
    audit.record_change(
        actor=actor,
        action="batch.confirm",
        obj=batch_run,
        region_id=batch_run.region_id,
        changes={"proposed": [m.pk for m in made], "refused": len(refused)},
    )
    return made, refused


# -- keeping offers moving: the next candidate, reopening, viewings, contacts, status requests --


def _unavailable(application: Application | None, home: Home, today: date) -> str:
    """Why a candidate of a stored ranking cannot be proposed now (empty: they can)."""
    if application is None:
        return _("no longer registered")
    if application.state != CaseState.APPROVED:
        return application.get_state_display()
    return "; ".join(reason_text(r) for r in ranking.why_not(home, application, today=today))


@transaction.atomic
def match_propose_next(*, actor: User, match: Match) -> tuple[Match, list[str]]:
    """After an offer failed, propose the next candidate of the ranking it came from (or the
    home's latest stored ranking), skipping whoever is no longer eligible; returns the new
    offer and the skipped candidates with the reason."""
    match = Match.objects.select_related("home", "snapshot").get(pk=match.pk)
    home = match.home
    if not rules.may_propose_for_home(actor, home):
        raise PermissionDenied(_("You may only propose candidates for your own homes."))
    if match.state not in CLOSED_MATCH_STATES:
        raise ValidationError(
            _("This offer is still running: propose the next candidate once it has ended.")
        )
    # Locked: a double click waits here and then finds the home offered, instead of skipping
    # every remaining candidate.
    home = Home.objects.select_for_update().get(pk=home.pk)
    if home.state != HomeState.OPEN:
        raise ValidationError(
            _(
                "This home is no longer open (“%(state)s”): it may already be offered to the next "
                "candidate. Reload the page."
            )
            % {"state": home.get_state_display()}
        )
    snapshot = match.snapshot or RankingSnapshot.objects.filter(home=home).first()
    if snapshot is None:
        raise ValidationError(
            _("No ranking is stored for this home yet: open the ranking and choose a candidate.")
        )
    after = (match.position or 0) if match.snapshot_id == snapshot.pk else 0
    tried = set(Match.objects.filter(home=home).values_list("client_id", flat=True))
    rows = [r for r in snapshot.eligible if r["position"] > after and r["client_id"] not in tried]
    applications = Application.objects.select_related("client").in_bulk(
        [r["application_id"] for r in rows]
    )
    today = _today()
    skipped: list[str] = []
    for row in rows:
        why = _unavailable(applications.get(row["application_id"]), home, today)
        if not why:
            try:
                with transaction.atomic():
                    proposed = match_propose(
                        actor=actor,
                        home=home,
                        application=applications[row["application_id"]],
                        snapshot=snapshot,
                    )
            except ValidationError as exc:
                why = " ".join(exc.messages)
            else:
                return proposed, skipped
        skipped.append(f"{row['candidate_number']} ({why})")
    message = _(
        "No candidate is left in the ranking of %(date)s. Rank again: the ranking page makes a "
        "new ranking from the pool as it is now."
    ) % {"date": local_date(snapshot.created_at).strftime("%d-%m-%Y")}
    if skipped:
        message += " " + _("Skipped: %(skipped)s.") % {"skipped": "; ".join(skipped)}
    raise ValidationError(message, code="ranking_exhausted")


def reopen_step(match: Match) -> str:
    """The step a closed offer reopens at: where it stopped."""
    if match.state == MatchState.PROVIDER_DECLINED:
        return MatchState.PROPOSED
    if match.state == MatchState.CLIENT_DECLINED:
        return MatchState.PROVIDER_ACCEPTED
    cancelled = (
        AuditEvent.objects.filter(
            object_type="matching.match", object_id=str(match.pk), action="match.cancel"
        )
        .order_by("-pk")
        .first()
    )
    before = (cancelled.changes.get("state") or [None])[0] if cancelled else None
    return before if before in ACTIVE_MATCH_STATES else MatchState.PROPOSED


@transaction.atomic
def match_reopen(*, actor: User, match: Match, reason: str) -> Match:
    """The service point reopens an offer closed by mistake (declined or cancelled in error),
    at the step where it stopped, while the home and the client are still free."""
    match, home, application = _lock(match)
    if not rules.may_reopen_match(actor, match):
        raise PermissionDenied(_("Only the service point reopens an offer."))
    if match.state not in CLOSED_MATCH_STATES:
        raise ValidationError(_("This offer is not closed: there is nothing to reopen."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the offer is reopened: what went wrong?")})
    if getattr(match, "contract", None) is not None:  # support's one contract per offer
        raise ValidationError(
            _(
                "A contract was drawn up for this offer and withdrawn: the offer cannot be "
                "reopened. Propose the candidate for this home again from the ranking."
            )
        )
    if home.state != HomeState.OPEN:
        raise ValidationError(
            _(
                "The home is no longer free (“%(state)s”): it may be offered to someone else. "
                "End that offer first."
            )
            % {"state": home.get_state_display()}
        )
    if application.state != CaseState.APPROVED:
        raise ValidationError(
            _("Candidate %(number)s is no longer free (“%(state)s”): the offer cannot be reopened.")
            % {"number": match.client.candidate_number, "state": application.get_state_display()}
        )
    refusal = Refusal.objects.filter(match=match).first()
    if refusal is not None and refusal.review != Review.PENDING:
        raise ValidationError(
            _(
                "The client's refusal of this home has already been judged: the offer cannot be "
                "reopened. Propose the candidate for this home again from the ranking."
            )
        )
    to = reopen_step(match)
    config = ranking.matching_rules(match.region_id)
    days = (
        config.provider_response_days if to == MatchState.PROPOSED else config.client_response_days
    )
    if refusal is not None:
        refusal.delete()
        account_tasks.close_for(match, ["match.judge_refusal"])
    _move(
        match,
        actor=actor,
        to=to,
        action="match.reopen",
        note=reason.strip(),
        step_deadline=_today() + timedelta(days=days),
        reminded_at=None,
        escalated_at=None,
        decline_reason="",
        decline_note="",
    )
    home_transition(home, actor=actor, to=HomeState.PROPOSED, action="home.propose")
    if to == MatchState.ACCEPTED:
        home_transition(home, actor=actor, to=HomeState.LET, action="home.let")
    transition_case(application, actor=actor, to=CaseState.MATCHING, action="case.match")
    _name_contacts(match, actor)
    for users in (_care_workers(match), _corporation_staff(match)):
        notify(
            users=users,
            kind="match.reopened",
            params={"address": home.address},
            about=match,
            body=reason.strip(),
            url=_url(match),
        )
    return match


@transaction.atomic
def viewing_record(
    *, actor: User, match: Match, held_on: date, outcome: str, note: str = ""
) -> Viewing:
    """The corporation or the care worker records a viewing of the offered home."""
    match = Match.objects.select_for_update().select_related("client", "home").get(pk=match.pk)
    if not rules.may_record_viewing(actor, match):
        raise PermissionDenied(_("The corporation or the client's care worker records a viewing."))
    if match.state not in (MatchState.PROVIDER_ACCEPTED, MatchState.ACCEPTED):
        raise ValidationError(
            _(
                "A viewing is recorded once the care provider has agreed to the offer, "
                "while the offer runs."
            )
        )
    if outcome not in ViewingOutcome.values:
        raise ValidationError({"outcome": _("Choose the outcome of the viewing.")})
    if held_on > _today():
        raise ValidationError(
            {"held_on": _("That date is in the future: record the viewing once it has been.")}
        )
    if held_on < local_date(match.proposed_at):
        raise ValidationError(
            {
                "held_on": _("The viewing cannot be before the offer was made (%(date)s).")
                % {"date": local_date(match.proposed_at).strftime("%d-%m-%Y")}
            }
        )
    viewing = Viewing.objects.create(
        match=match, held_on=held_on, outcome=outcome, note=note.strip(), recorded_by=actor
    )
    audit.record_change(
        actor=actor,
        action=f"viewing.{outcome}",
        obj=viewing,
        client=match.client,
        changes={"match": match.pk, "held_on": held_on.isoformat(), "outcome": outcome},
        note=note,
    )
    _name_contacts(match, actor)
    return viewing


def contact_candidates(match: Match, party: str) -> Any:
    """Whom a party may name as its contact on the offer: its own people."""
    if party == Party.CORPORATION:
        return _corporation_staff(match)
    if party == Party.CARE:
        return _care_workers(match)
    return _coordinators(match.region_id)


@transaction.atomic
def match_contact_set(*, actor: User, match: Match, party: str, contact: User | None) -> Match:
    """A party names its contact person on the offer (one of its own people)."""
    match = Match.objects.select_for_update().select_related("client", "home").get(pk=match.pk)
    if party not in Party.values or not rules.may_name_contact(actor, match, party):
        raise PermissionDenied(_("Each party names its own contact person."))
    if contact is None or not contact_candidates(match, party).filter(pk=contact.pk).exists():
        raise ValidationError({"contact": _("Choose a colleague of your own organisation.")})
    field = CONTACT_FIELDS[Party(party)]
    setattr(match, field, contact)
    match.save(update_fields=[field])
    audit.record_change(
        actor=actor,
        action="match.contact",
        obj=match,
        client=match.client,
        changes={"party": party, "contact": contact.pk},
    )
    return match


def turn_of(match: Match) -> str:
    """The party whose turn it is: the care provider answers the offer and records the
    client's answer; after that the corporation draws up the contract."""
    if match.state in (MatchState.PROPOSED, MatchState.PROVIDER_ACCEPTED):
        return Party.CARE
    return Party.CORPORATION


def _people_of(match: Match, party: str) -> Any:
    """The party's named contact, or all its people when none is named (or no longer active)."""
    contact = getattr(match, CONTACT_FIELDS[Party(party)])
    if contact is not None and contact.is_active:
        return [contact]
    return contact_candidates(match, party)


def _status_request_open(match: Match, *, actor: User | None, today: date) -> StatusRequest:
    """Ask the party whose turn it is how the offer is going; `match` is locked by the caller.
    The request is written before the e-mail goes out (on commit), so nothing is sent twice."""
    config = ranking.matching_rules(match.region_id)
    party = turn_of(match)
    request = StatusRequest(
        match=match,
        party=party,
        addressed_to=getattr(match, CONTACT_FIELDS[Party(party)]),
        sent_by=actor,
        answer_by=add_working_days(today, config.status_answer_days),
    )
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        raise ValidationError(
            _("A status request about this offer is already waiting for an answer.")
        ) from None
    audit.record_change(
        actor=actor,
        action="status_request.send",
        obj=request,
        client=match.client,
        changes={"match": match.pk, "party": party},
    )
    notify(
        users=_people_of(match, party),
        kind="match.status_request",
        params={"address": match.home.address},
        about=request,
        due_on=request.answer_by,
        body=_(
            "How is this offer going? Answer with one click on the offer page (in progress, "
            "waiting for the client, waiting for the housing corporation, or not going ahead) "
            "by %(date)s."
        )
        % {"date": request.answer_by.strftime("%d-%m-%Y")},
        url=_url(match),
    )
    return request


@transaction.atomic
def status_request_send(*, actor: User, match: Match) -> StatusRequest:
    """The coordinator asks by hand how an offer is going."""
    match = Match.objects.select_for_update().select_related("client", "home").get(pk=match.pk)
    if not rules.may_request_status(actor, match):
        raise PermissionDenied(_("Only the service point asks for the status of an offer."))
    if match.state not in ACTIVE_MATCH_STATES:
        raise ValidationError(_("This offer has ended: there is no status to ask for."))
    request = _status_request_open(match, actor=actor, today=_today())
    _name_contacts(match, actor)
    return request


def open_status_request(match: Match) -> StatusRequest | None:
    return match.status_requests.filter(state__in=OPEN_STATUS_REQUEST_STATES).first()


@transaction.atomic
def status_request_answer(*, actor: User, match: Match, answer: str) -> StatusRequest:
    """The party asked answers the status request with one of the fixed answers."""
    match = Match.objects.select_for_update().select_related("client", "home").get(pk=match.pk)
    request = open_status_request(match)
    if request is None:
        raise ValidationError(
            _("No status request about this offer is waiting: it may just have been answered.")
        )
    if not rules.may_answer_status_request(actor, match, request.party):
        raise PermissionDenied(_("The party that was asked answers this status request."))
    if answer not in StatusAnswer.values:
        raise ValidationError({"answer": _("Choose one of the answers.")})
    transition(
        request,
        machine=STATUS_REQUEST_MACHINE,
        to=StatusRequestState.ANSWERED,
        actor=actor,
        action="status_request.answer",
        changes={"answer": answer},
        fields={"answer": answer, "answered_by": actor, "answered_at": timezone.now()},
    )
    _name_contacts(match, actor)
    if answer == StatusAnswer.NOT_GOING_AHEAD:
        for users in (_corporation_staff(match), _coordinators(match.region_id)):
            notify(
                users=users,
                kind="match.not_going_ahead",
                params={"address": match.home.address},
                about=match,
                url=_url(match),
            )
    return request


def _status_requests_send_due(today: date) -> int:
    """For the daily run: ask how it goes on each running offer without a step (a state change,
    a viewing or an answered status request) for the region's number of working days."""
    due = (
        Match.objects.filter(state__in=ACTIVE_MATCH_STATES)
        .exclude(status_requests__state__in=OPEN_STATUS_REQUEST_STATES)
        # Once the contract is drawn up, the contract stage follows the offer.
        .filter(~Q(state=MatchState.ACCEPTED) | Q(contract__isnull=True))
        .annotate(
            last_viewing=Max("viewings__recorded_at"),
            last_answer=Max("status_requests__answered_at"),
        )
        .order_by("pk")
    )
    sent = 0
    configs: dict[int, Matching] = {}
    for match in due:
        config = configs.get(match.region_id) or configs.setdefault(
            match.region_id, ranking.matching_rules(match.region_id)
        )
        moments = [match.state_changed_at, match.last_viewing, match.last_answer]  # type: ignore[attr-defined]
        last = local_date(max(m for m in moments if m is not None))
        if working_days_between(last, today) < config.status_request_after_days:
            continue
        with transaction.atomic():
            locked = (
                Match.objects.select_for_update()
                .select_related("client", "home")
                .filter(pk=match.pk, state__in=ACTIVE_MATCH_STATES)
                .first()
            )
            if locked is None or open_status_request(locked) is not None:
                continue
            try:
                _status_request_open(locked, actor=None, today=today)
            except ValidationError:
                continue
            sent += 1
    return sent


def _status_requests_escalate_due(today: date) -> int:
    """For the daily run: alert the service point about status requests not answered in time."""
    escalated = 0
    late = StatusRequest.objects.filter(
        state=StatusRequestState.OPEN, answer_by__lt=today
    ).select_related("match", "match__home", "match__client")
    for request in late:
        match = request.match
        with transaction.atomic():
            try:
                transition(
                    request,
                    machine=STATUS_REQUEST_MACHINE,
                    to=StatusRequestState.ESCALATED,
                    actor=None,
                    action="status_request.escalate",
                )
            except TransitionError:
                continue  # answered or closed meanwhile
            notify(
                users=_people_of(match, Party.SERVICE_POINT),
                kind="match.status_unanswered",
                params={"address": match.home.address},
                about=request,
                body=_("The status request of %(date)s was not answered in time.")
                % {"date": local_date(request.sent_at).strftime("%d-%m-%Y")},
                url=_url(match),
            )
            escalated += 1
    return escalated


# -- "not together" marks (clusters) ------------------------------------------------------------


def _client_by_number(region_id: int, number: str) -> Client:
    number = (number or "").strip()
    found = Client.objects.filter(
        Q(case_number__iexact=number) | Q(candidate_number__iexact=number), region_id=region_id
    ).first()
    if not number or found is None:
        raise ValidationError(
            {"other": _("No client of this region has that case or candidate number.")}
        )
    return found


@transaction.atomic
def cotenant_mark_add(
    *, actor: User, client: Client, other_number: str, reason: str
) -> CotenantMark:
    """Record that `client` should not live together in one cluster with the client of
    `other_number` (a case or candidate number of the same region). Audited on the client's
    timeline; the reason stays with the care provider and the service point."""
    if not rules.may_mark_cotenants(actor, client):
        raise PermissionDenied(_("Only the client's care provider or the service point marks."))
    other = _client_by_number(client.region_id, other_number)
    reason = (reason or "").strip()
    errors = {}
    if other.pk == client.pk:
        errors["other"] = _("Choose another client than this one.")
    if not reason:
        errors["reason"] = _("Say briefly why these two should not live together.")
    elif len(reason) > 300:
        errors["reason"] = _("Keep the reason under 300 characters.")
    if errors:
        raise ValidationError(errors)
    if CotenantMark.objects.filter(
        Q(client=client, other=other) | Q(client=other, other=client), withdrawn_at__isnull=True
    ).exists():
        raise ValidationError({"other": _("These two are already marked “not together”.")})
    mark = CotenantMark.objects.create(
        region_id=client.region_id, client=client, other=other, reason=reason, created_by=actor
    )
    audit.record_change(
        actor=actor,
        action="cotenant_mark.add",
        obj=mark,
        client=client,
        changes={"other": other.candidate_number},
        note=reason,
    )
    return mark


@transaction.atomic
def cotenant_mark_withdraw(*, actor: User, mark: CotenantMark) -> CotenantMark:
    mark = CotenantMark.objects.select_for_update().select_related("client").get(pk=mark.pk)
    if not rules.may_mark_cotenants(actor, mark.client):
        raise PermissionDenied(_("Only the client's care provider or the service point marks."))
    if mark.withdrawn_at is not None:
        raise ValidationError(_("This mark was already withdrawn."))
    mark.withdrawn_at, mark.withdrawn_by = timezone.now(), actor
    mark.save(update_fields=["withdrawn_at", "withdrawn_by"])
    audit.record_change(
        actor=actor, action="cotenant_mark.withdraw", obj=mark, client=mark.client, changes={}
    )
    return mark
