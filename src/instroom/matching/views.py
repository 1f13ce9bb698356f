from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from instroom.applications import selectors as client_selectors
from instroom.applications.models import Application
from instroom.assessment.constants import Urgency
from instroom.dates import days_since, local_date
from instroom.homes import selectors as home_selectors
from instroom.homes.constants import HomeState
from instroom.homes.models import Home
from instroom.http import AuthenticatedHttpRequest, int_param
from instroom.policy import rules
from instroom.regions.models import Organisation
from instroom.statemachine import allowed

from . import ranking, selectors, services
from .constants import (
    CLOSED_MATCH_STATES,
    MATCH_MACHINE,
    REASON_LABELS,
    MatchState,
    Party,
    SnapshotPurpose,
    StatusAnswer,
    fit_text,
    reason_text,
)
from .forms import (
    BatchCapsForm,
    ContactForm,
    CotenantMarkForm,
    DecideForm,
    NoteForm,
    ReopenForm,
    ReviewForm,
    ViewingForm,
)
from .models import CONTACT_FIELDS, BatchRun, CotenantMark, Match, RankingSnapshot

COMPONENT_LABELS = ranking.COMPONENT_LABELS
SHOWN = 50


def _home(request: AuthenticatedHttpRequest, pk: int) -> Home:
    try:
        return home_selectors.home_get(actor=request.user, pk=pk)
    except Home.DoesNotExist:
        raise Http404 from None


def _match(request: AuthenticatedHttpRequest, pk: int) -> Match:
    try:
        return selectors.match_get(actor=request.user, pk=pk)
    except Match.DoesNotExist:
        raise Http404 from None


def _errors(request: AuthenticatedHttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def ranking_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    home = _home(request, pk)
    ranked = ranking.rank_home(home)
    snapshot = ranking.snapshot_store(ranked, actor=request.user, purpose=SnapshotPurpose.PAGE)
    show_all = bool(request.GET.get("all"))
    rows = ranked.evaluation.rows(limit=None if show_all else SHOWN)
    providers = dict(
        Organisation.objects.filter(region_id=home.region_id).values_list("pk", "name")
    )
    eligible: list[dict[str, Any]] = [
        {
            "row": row,
            "candidate": ranked.candidate(row.index),
            "application_id": ranked.application_ids[row.index],
            "provider": providers.get(int(ranked.pool.support_provider_id[row.index]), "—"),
            "fit": [fit_text(n) for n in fit.notes] if (fit := ranked.fits.get(row.index)) else [],
        }
        for row in rows
    ]
    excluded_indices = list(ranked.evaluation.excluded_indices())
    excluded = [
        {
            "candidate": ranked.candidate(int(i)),
            "reasons": [(r.code, reason_text(r)) for r in ranked.evaluation.reasons(int(i))],
        }
        for i in (excluded_indices if show_all else excluded_indices[:SHOWN])
    ]
    components = list(eligible[0]["row"].points) if eligible else list(COMPONENT_LABELS)
    distribution = _distribution_status(home)
    return render(
        request,
        "matching/ranking.html",
        {
            "home": home,
            "snapshot": snapshot,
            "eligible": eligible,
            "eligible_count": len(ranked.evaluation.eligible_order()),
            "excluded": excluded,
            "excluded_count": len(excluded_indices),
            "reason_counts": [
                (REASON_LABELS.get(code, code), count)
                for code, count in sorted(
                    ranked.evaluation.reason_counts().items(), key=lambda kv: (-kv[1], kv[0])
                )
            ],
            "components": [(c, COMPONENT_LABELS.get(c, c)) for c in components],
            "config": ranked.config,
            "criteria": ranking.criteria(ranked.rules.rules.matching, ranked.config),
            "filters": ranking.filters_explained(ranked.filters),
            "version_label": ranked.rules.version_label,
            "show_all": show_all,
            "shown": SHOWN,
            "can_propose": rules.may_propose_for_home(request.user, home)
            and home.state == HomeState.OPEN,
            "earlier": selectors.snapshots_of(home),
            "in_cluster": home.cluster_id is not None,
            "distribution": distribution,
            "matches": Match.objects.filter(home=home)
            .select_related("client")
            .order_by("-proposed_at")[:10],
        },
    )


def _distribution_status(home: Home) -> dict[str, Any]:
    """The quota of the home's municipality this year and the caps of its complex and
    neighbourhood, as the corporation needs them when it proposes."""
    from instroom.distribution import selectors as distribution

    today = timezone.localdate()
    region = home.region
    status: dict[str, Any] = {
        "caps": distribution.home_cap_status(home=home, today=today, region=region)
    }
    try:
        report = distribution.realisation(region, today.year, today)
    except distribution.DistributionError as exc:
        status["error"] = exc.message
        return status
    row = next((r for r in report.municipalities if r.key == home.municipality.cbs_code), None)
    status["quota"] = row
    status["year"] = today.year
    return status


def snapshot_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        snapshot = selectors.snapshot_get(actor=request.user, pk=pk)
    except RankingSnapshot.DoesNotExist:
        raise Http404 from None
    components = list(snapshot.eligible[0]["points"]) if snapshot.eligible else []
    for row in snapshot.excluded:
        row["labels"] = [REASON_LABELS.get(code, code) for code in row["reasons"]]
    made_under, config, filters = ranking.snapshot_rules(snapshot)
    return render(
        request,
        "matching/snapshot.html",
        {
            "snapshot": snapshot,
            "home": snapshot.home,
            "version_label": made_under.version_label,
            "criteria": ranking.criteria(made_under.rules.matching, config),
            "filters": ranking.filters_explained(filters),
            "components": [(c, COMPONENT_LABELS.get(c, c)) for c in components],
            "matches": snapshot.matches.select_related("client"),
        },
    )


@require_POST
def propose(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    home = _home(request, pk)
    if not rules.may_propose_for_home(request.user, home):
        raise PermissionDenied
    application = Application.objects.filter(
        pk=int_param(request.POST.get("application")), client__region_id=home.region_id
    ).first()
    snapshot = RankingSnapshot.objects.filter(
        pk=int_param(request.POST.get("snapshot")), home=home
    ).first()
    if application is None:
        messages.error(request, _("Choose a candidate from the ranking."))
        return redirect("matching:ranking", pk=home.pk)
    try:
        match = services.match_propose(
            actor=request.user, home=home, application=application, snapshot=snapshot
        )
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("matching:ranking", pk=home.pk)
    messages.success(
        request,
        _("Candidate %(number)s is proposed. The care provider has been asked to answer.")
        % {"number": match.client.candidate_number},
    )
    return redirect("matching:detail", pk=match.pk)


def match_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    active = request.GET.get("show") != "ended"
    matches = selectors.match_list(actor=request.user, active=active)[:300]
    return render(
        request,
        "matching/list.html",
        {
            "matches": matches,
            "active": active,
            "rows": [(m, _candidate_label(request, m)) for m in matches],
        },
    )


POOL_PER_PAGE = 50


def pool(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The pool (bemiddelbaar): per client the approval date, whole days waiting since, the
    table's urgency, the candidate number and a running parking with its end."""
    today = timezone.localdate()
    page = Paginator(selectors.pool(actor=request.user, today=today), POOL_PER_PAGE).get_page(
        request.GET.get("page")
    )
    applications = list(page.object_list)
    views = client_selectors.minimise_many(request.user, [a.client for a in applications])
    rows: list[dict[str, Any]] = []
    for application, view in zip(applications, views, strict=True):
        approved = application.decided_at or application.state_changed_at
        parkings = application.running_parkings  # type: ignore[attr-defined]
        rows.append(
            {
                "application": application,
                "view": view,
                "approved_on": local_date(approved),
                "days_waiting": days_since(approved, today),
                "urgency": Urgency(application.urgency).label
                if application.urgency in Urgency.values
                else application.urgency,
                "parking": parkings[0] if parkings else None,
            }
        )
    client_selectors.log_reads(
        actor=request.user,
        views=[row["view"] for row in rows],
        action="client.list",
        purpose="pool",
    )
    return render(request, "matching/pool.html", {"rows": rows, "page": page})


def _candidate_label(request: AuthenticatedHttpRequest, match: Match) -> str:
    """The candidate number, or the name where the viewer may see it."""
    level = rules.client_detail_level(request.user, match.client)
    if level in rules.PERSONAL_DETAIL:
        return (
            f"{match.client.first_name} {match.client.last_name} ({match.client.candidate_number})"
        )
    return match.client.candidate_number


def _detail_context(
    request: AuthenticatedHttpRequest, match: Match, **forms: Any
) -> dict[str, Any]:
    """What the offer page shows this user, with bound `forms` that came back with errors."""
    from instroom.applications import selectors as client_selectors

    user = request.user
    view = client_selectors.minimise(user, match.client)
    client_selectors.log_reads(actor=user, views=[view], action="client.view", purpose="offer")
    next_states = allowed(match, MATCH_MACHINE) if match.is_active else frozenset()
    may_decide = rules.can_decide_for_client(user, match)
    parties = rules.match_parties(user, match)
    home = match.home
    may_propose = rules.may_propose_for_home(user, home) and home.state == HomeState.OPEN
    closed = match.state in CLOSED_MATCH_STATES
    status_request = services.open_status_request(match)
    reasons = services.decline_reason_choices(match.region_id)
    contacts = []
    for party in Party:
        person = getattr(match, CONTACT_FIELDS[party])
        form = None
        if party in parties:
            form = forms.get(f"contact_{party}") or ContactForm(
                prefix=f"contact-{party}",
                initial={"contact": person.pk if person else None},
                candidates=services.contact_candidates(match, party),
            )
        contacts.append({"party": party, "person": person, "form": form})
    return {
        "match": match,
        "home": home,
        "view": view,
        "application": match.application,
        "provider_form": DecideForm(prefix="provider", reasons=reasons)
        if may_decide and MatchState.PROVIDER_ACCEPTED in next_states
        else None,
        "client_form": DecideForm(prefix="client", reasons=reasons)
        if may_decide and MatchState.ACCEPTED in next_states
        else None,
        "decline_reason": services.decline_reason_label(match.region_id, match.decline_reason)
        if match.decline_reason
        else "",
        "cancel_form": NoteForm(prefix="cancel")
        if MatchState.CANCELLED in next_states and rules.can_cancel_match(user, match)
        else None,
        "may_see_ranking": rules.may_see_ranking(user, home),
        "may_propose_next": closed and may_propose,
        "may_rank": may_propose,
        "may_reopen": closed and rules.may_reopen_match(user, match),
        "viewings": match.viewings.select_related("recorded_by"),
        "viewing_form": forms.get("viewing") or ViewingForm(prefix="viewing")
        if rules.may_record_viewing(user, match)
        and match.state in (MatchState.PROVIDER_ACCEPTED, MatchState.ACCEPTED)
        else None,
        "contacts": contacts,
        "status_request": status_request,
        "status_answers": StatusAnswer.choices
        if status_request is not None
        and rules.may_answer_status_request(user, match, status_request.party)
        else None,
        "status_history": match.status_requests.select_related("answered_by")[:5],
        "may_request_status": match.is_active
        and status_request is None
        and rules.may_request_status(user, match),
    }


def match_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    match = _match(request, pk)
    return render(request, "matching/detail.html", _detail_context(request, match))


def _detail_with_errors(
    request: AuthenticatedHttpRequest, match: Match, **forms: Any
) -> HttpResponse:
    """The offer page again with the form that was sent, its input kept and its errors shown."""
    return render(
        request, "matching/detail.html", _detail_context(request, match, **forms), status=400
    )


def _form_errors(form: Any, exc: ValidationError) -> None:
    """A service's refusal on the form: per field where it names one, else above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@require_POST
def propose_next(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One click after a failed offer: the next eligible candidate of the stored ranking."""
    match = _match(request, pk)
    if not rules.may_propose_for_home(request.user, match.home):
        raise PermissionDenied
    try:
        proposed, skipped = services.match_propose_next(actor=request.user, match=match)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("matching:detail", pk=match.pk)
    messages.success(
        request,
        _(
            "Candidate %(number)s, at position %(position)s of the ranking, is proposed. The care "
            "provider has been asked to answer."
        )
        % {"number": proposed.client.candidate_number, "position": proposed.position},
    )
    if skipped:
        messages.warning(
            request,
            _("Skipped because no longer eligible: %(skipped)s.") % {"skipped": "; ".join(skipped)},
        )
    return redirect("matching:detail", pk=proposed.pk)


def reopen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Confirmation page, then the service point reopens an offer that was closed by mistake."""
    match = _match(request, pk)
    if not rules.may_reopen_match(request.user, match):
        raise PermissionDenied
    if match.state not in CLOSED_MATCH_STATES:
        messages.error(request, _("This offer is not closed: there is nothing to reopen."))
        return redirect("matching:detail", pk=match.pk)
    form = ReopenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.match_reopen(
                actor=request.user, match=match, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The offer is reopened; the parties have been told."))
            return redirect("matching:detail", pk=match.pk)
    step = services.reopen_step(match)
    return render(
        request,
        "matching/reopen.html",
        {
            "match": match,
            "home": match.home,
            "form": form,
            "step": MatchState(step).label,
        },
        status=400 if form.errors else 200,
    )


@require_POST
def viewing(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    match = _match(request, pk)
    if not rules.may_record_viewing(request.user, match):
        raise PermissionDenied
    form = ViewingForm(request.POST, prefix="viewing")
    if form.is_valid():
        try:
            services.viewing_record(
                actor=request.user,
                match=match,
                held_on=form.cleaned_data["held_on"],
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The viewing is recorded."))
            return redirect("matching:detail", pk=match.pk)
    return _detail_with_errors(request, match, viewing=form)


@require_POST
def contact(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    match = _match(request, pk)
    party = request.POST.get("party", "")
    if party not in rules.match_parties(request.user, match):
        raise PermissionDenied
    form = ContactForm(
        request.POST,
        prefix=f"contact-{party}",
        candidates=services.contact_candidates(match, party),
    )
    if form.is_valid():
        try:
            services.match_contact_set(
                actor=request.user, match=match, party=party, contact=form.cleaned_data["contact"]
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The contact person is changed."))
            return redirect("matching:detail", pk=match.pk)
    return _detail_with_errors(request, match, **{f"contact_{party}": form})


@require_POST
def status_request(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    match = _match(request, pk)
    if not rules.may_request_status(request.user, match):
        raise PermissionDenied
    try:
        services.status_request_send(actor=request.user, match=match)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The status request is sent to the party whose turn it is."))
    return redirect("matching:detail", pk=match.pk)


@require_POST
def status_answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    match = _match(request, pk)
    try:
        services.status_request_answer(
            actor=request.user, match=match, answer=request.POST.get("answer", "")
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Your answer is recorded. Thank you."))
    return redirect("matching:detail", pk=match.pk)


def _decide(request: AuthenticatedHttpRequest, pk: int, which: str) -> HttpResponse:
    match = _match(request, pk)
    form = DecideForm(
        request.POST, prefix=which, reasons=services.decline_reason_choices(match.region_id)
    )
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
        return redirect("matching:detail", pk=match.pk)
    decide = services.match_provider_decide if which == "provider" else services.match_client_decide
    try:
        decide(
            actor=request.user,
            match=match,
            accept=form.cleaned_data["answer"],
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Your answer is recorded."))
    return redirect("matching:detail", pk=match.pk)


@require_POST
def provider_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "provider")


@require_POST
def client_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "client")


@require_POST
def cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    match = _match(request, pk)
    form = NoteForm(request.POST, prefix="cancel")
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.match_cancel(actor=request.user, match=match, note=note)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(
            request, _("The offer is cancelled; the home and the client are free again.")
        )
    return redirect("matching:detail", pk=match.pk)


def refusals(request: AuthenticatedHttpRequest) -> HttpResponse:
    pending = list(selectors.refusals_pending(actor=request.user))
    return render(
        request,
        "matching/refusals.html",
        {
            "refusals": [
                {"refusal": refusal, "reason": reason, "consequence": consequence}
                for refusal, (reason, consequence) in zip(
                    pending, services.refusals_explained(pending), strict=True
                )
            ],
            "parkings": selectors.parkings_active(actor=request.user),
            "form": ReviewForm(),
            "end_form": NoteForm(prefix="end"),
        },
    )


@require_POST
def review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    refusal = selectors.refusals_of(actor=request.user).filter(pk=pk).first()
    if refusal is None:
        raise Http404
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose justified or unjustified."))
        return redirect("matching:refusals")
    try:
        services.refusal_review(
            actor=request.user,
            refusal=refusal,
            justified=form.cleaned_data["judgement"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The judgement is recorded."))
        if not form.cleaned_data["judgement"]:
            messages.info(request, services.refusal_consequence_text(refusal))
    return redirect("matching:refusals")


@require_POST
def parking_end(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    parking = selectors.parkings_of(actor=request.user).filter(pk=pk).first()
    if parking is None:
        raise Http404
    form = NoteForm(request.POST, prefix="end")
    reason = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.parking_end(actor=request.user, parking=parking, reason=reason)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The parking has ended; the client is back in the pool."))
    return redirect("matching:refusals")


def _coordinator_region(request: AuthenticatedHttpRequest) -> Any:
    regions = selectors.batch_regions(actor=request.user)
    wanted = request.POST.get("region") or request.GET.get("region")
    return next((r for r in regions if r.slug == wanted), regions.first())


def batch(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = _coordinator_region(request)
    if region is None:
        raise PermissionDenied
    form = BatchCapsForm(request.POST if request.method == "POST" else None, region=region)
    if request.method == "POST" and form.is_valid():
        run = services.batch_start(actor=request.user, region=region, caps=form.caps())
        return redirect("matching:batch_run", pk=run.pk)
    return render(
        request,
        "matching/batch.html",
        {
            "region": region,
            "form": form,
            "runs": BatchRun.objects.filter(region=region)[:20],
            "open_homes": Home.objects.filter(region=region, state=HomeState.OPEN).count(),
        },
        status=400 if form.errors else 200,
    )


def _run(request: AuthenticatedHttpRequest, pk: int) -> BatchRun:
    found = selectors.batch_runs_of(actor=request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _pair_numbers(pair: dict[str, Any]) -> dict[str, Any]:
    """A stored pair with points, bonus and score; runs stored before the bonus was shown
    kept the points per criterion under "points" and the score without the bonus."""
    if isinstance(pair.get("points"), dict):
        return {
            **pair,
            "points_by_criterion": pair["points"],
            "points": pair.get("score"),
            "bonus": None,
        }
    return pair


def batch_run(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    template = (
        "matching/batch_progress.html"
        if request.headers.get("HX-Request")
        else "matching/batch_run.html"
    )
    return render(
        request,
        template,
        {
            "run": run,
            "pairs": [_pair_numbers(p) for p in run.pairs],
            "components": [(c, COMPONENT_LABELS.get(c, c)) for c in COMPONENT_LABELS],
            "running": run.status in (BatchRun.Status.QUEUED, BatchRun.Status.RUNNING),
            "hx": bool(request.headers.get("HX-Request")),
        },
    )


@require_POST
def batch_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    selected = [int(v) for v in request.POST.getlist("pair") if v.isdigit()]
    try:
        made, refused = services.batch_confirm(actor=request.user, batch_run=run, selected=selected)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("matching:batch_run", pk=run.pk)
    messages.success(
        request,
        _("%(count)d proposals made; the care providers have been asked to answer.")
        % {"count": len(made)},
    )
    for line in refused:
        messages.warning(request, line)
    return redirect("matching:list")


def marks(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The care provider's "not together" marks for clusters: record one (own client, or any in
    the coordinator's region) and withdraw one."""
    form = CotenantMarkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        client = selectors.client_to_mark(actor=request.user, number=form.cleaned_data["client"])
        if client is None:
            form.add_error("client", _("None of your clients has that case or candidate number."))
        else:
            try:
                services.cotenant_mark_add(
                    actor=request.user,
                    client=client,
                    other_number=form.cleaned_data["other"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, _("The mark is recorded."))
                return redirect("matching:marks")
    return render(
        request,
        "matching/marks.html",
        {"form": form, "marks": selectors.cotenant_marks(actor=request.user)[:200]},
    )


@require_POST
def mark_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        mark = selectors.cotenant_marks(actor=request.user).get(pk=pk)
    except CotenantMark.DoesNotExist:
        raise Http404 from None
    services.cotenant_mark_withdraw(actor=request.user, mark=mark)
    messages.success(request, _("The mark is withdrawn."))
    return redirect("matching:marks")
