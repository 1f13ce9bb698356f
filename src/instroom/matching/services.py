"""The offer workflow: propose → care provider answers → client answers → ready for contract.

Each function checks the policy, locks the rows it changes (home, application, match), keeps
the state tables of the match, the home and the case, and writes the audit record, all in one
transaction. One active match per home and per client is also guaranteed by the database.
"""

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from instroom.accounts.models import User
from instroom.accounts.notifications import notify, send_notice
from instroom.applications.constants import CaseState
from instroom.applications.models import Application
from instroom.applications.services import transition_case
from instroom.audit import services as audit
from instroom.dates import add_months
from instroom.homes.constants import HomeState
from instroom.homes.models import Home
from instroom.homes.services import home_transition
from instroom.policy import audience, rules
from instroom.statemachine import transition

from . import ranking
from .constants import MATCH_MACHINE, DeclineReason, MatchState, Review, reason_text
from .models import BatchRun, Match, MatchingSettings, Parking, RankingSnapshot, Refusal


def settings_for(region_id: int) -> MatchingSettings:
    found, _created = MatchingSettings.objects.get_or_create(region_id=region_id)
    return found


def _today() -> date:
    return timezone.localdate()


def _move(
    match: Match, *, actor: User, to: str, action: str, note: str = "", **fields: Any
) -> None:
    transition(
        match, machine=MATCH_MACHINE, to=to, actor=actor, action=action, fields=fields, note=note
    )


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
    config = settings_for(home.region_id)
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
    _check_reason(reason, note)
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


def _check_reason(reason: str, note: str) -> None:
    if reason not in DeclineReason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    if reason == DeclineReason.OTHER and not note.strip():
        raise ValidationError({"note": _("Explain the reason.")})


@transaction.atomic
def match_provider_decide(
    *, actor: User, match: Match, accept: bool, reason: str = "", note: str = ""
) -> Match:
    match, home, application = _lock(match)
    if not rules.can_decide_for_client(actor, match):
        raise PermissionDenied(_("Only the client's care provider answers this offer."))
    if accept:
        config = settings_for(match.region_id)
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
        body=f"{DeclineReason(reason).label}. {note}".strip(),
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
    Refusal.objects.create(match=match, application=application)
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


@transaction.atomic
def refusal_review(*, actor: User, refusal: Refusal, justified: bool, note: str = "") -> Refusal:
    """The coordinator judges a refusal; the region's consequence follows an unjustified one."""
    refusal = Refusal.objects.select_for_update().select_related("match").get(pk=refusal.pk)
    if not rules.can_review_refusals(actor, refusal.match.region_id):
        raise PermissionDenied(_("Only the service point judges refusals."))
    if refusal.review != Review.PENDING:
        raise ValidationError(_("This refusal has already been judged."))
    if not justified and not note.strip():
        raise ValidationError({"note": _("Explain why the refusal is unjustified.")})
    refusal.review = Review.JUSTIFIED if justified else Review.UNJUSTIFIED
    refusal.reviewed_by = actor
    refusal.reviewed_at = timezone.now()
    refusal.review_note = note.strip()
    refusal.save(update_fields=["review", "reviewed_by", "reviewed_at", "review_note"])
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
        changes={"review": refusal.review},
        note=note,
    )
    if not justified:
        _park_if_due(application, actor=actor)
    return refusal


def _park_if_due(application: Application, *, actor: User) -> Parking | None:
    config = settings_for(application.client.region_id)
    since = Parking.objects.filter(application=application).order_by("-starts_on").first()
    unjustified = Refusal.objects.filter(application=application, review=Review.UNJUSTIFIED)
    if since is not None:
        unjustified = unjustified.filter(reviewed_at__date__gte=since.starts_on)
    count = unjustified.count()
    if count < config.refusals_before_parking or application.state != CaseState.APPROVED:
        return None
    today = _today()
    parking = Parking.objects.create(
        application=application,
        starts_on=today,
        until=add_months(today, config.parking_months),
        reason=_("%(count)d unjustified refusals") % {"count": count},
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
        config = settings_for(match.region_id)
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
