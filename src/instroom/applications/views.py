from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from instroom.audit.timeline import client_timeline
from instroom.dates import days_since
from instroom.http import AuthenticatedHttpRequest, int_param
from instroom.policy import rules
from instroom.policy.rules import FieldGroup
from instroom.regions.selectors import rules_for

from . import selectors, services
from .completeness import STEP_NAMES, STEPS, missing_parts
from .constants import EDITABLE_STATES, CaseState
from .forms import (
    ClientListForm,
    ConsentForm,
    DossierForm,
    HouseholdForm,
    IdentityForm,
    MotivationForm,
    ReinstateForm,
    ReturnForm,
    SupportForm,
)
from .journey import journey
from .models import Application, Client

CLIENTS_PER_PAGE = 50


def application_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The client list: search, filters, a tab per state with its count, order and pages. Costs
    the same number of queries for ten clients or a hundred thousand."""
    form = ClientListForm(request.GET or None, regions=rules.scope_for(request.user).regions)
    filters = form.filters()
    state = filters.pop("state", None)
    sort = filters.pop("sort", None) or ClientListForm.DEFAULT_SORT
    base = selectors.client_list(actor=request.user, sort=sort, **filters)
    counts = selectors.client_list_counts(base)
    page = Paginator(base.filter(state=state) if state else base, CLIENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    applications = list(page.object_list)
    views = selectors.minimise_many(request.user, [a.client for a in applications])
    rows = list(zip(applications, views, strict=True))
    selectors.log_reads(
        actor=request.user,
        views=[v for _a, v in rows],
        action="client.list",
        purpose="client list",
    )
    tabs = [
        {"state": value, "label": label, "count": counts[value], "current": value == state}
        for value, label in CaseState.choices
        if counts[value] or value == state
    ]
    columns = {
        key: {
            "sort": f"-{key}" if sort == key else key,
            "aria": {key: "ascending", f"-{key}": "descending"}.get(sort, ""),
        }
        for key in ("case", "name", "state", "since")
    }
    return render(
        request,
        "applications/list.html",
        {
            "rows": rows,
            "columns": columns,
            "page": page,
            "form": form,
            "tabs": tabs,
            "total": sum(counts.values()),
            "state": state,
            "sort": sort,
            "filtered": bool(filters),
            "can_create": rules.may_write_applications(request.user),
        },
    )


def application_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Step 1 of a new application: identity. Saving it creates the draft."""
    orgs = selectors.care_providers_writing(actor=request.user).select_related("region")
    requested = int_param(request.POST.get("care_provider") or request.GET.get("org"))
    care_provider = (orgs.filter(pk=requested).first() if requested else None) or orgs.first()
    if care_provider is None:
        raise PermissionDenied
    form = IdentityForm(request.POST or None, region=care_provider.region)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                actor=request.user, care_provider=care_provider, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The draft application has been saved."))
            return redirect("applications:step", pk=application.pk, step=STEP_NAMES[1])
    return render(
        request,
        "applications/step.html",
        {
            "form": form,
            "care_provider": care_provider,
            "step": "identity",
            "steps": STEPS,
            "application": None,
            "missing": [],
        },
    )


STEP_FORMS: dict[str, type] = {
    "identity": IdentityForm,
    "household": HouseholdForm,
    "support": SupportForm,
    "dossier": DossierForm,
    "motivation": MotivationForm,
    "consent": ConsentForm,
}


def _initial(application: Application, step: str) -> dict[str, Any]:
    a, c = application, application.client
    if step == "identity":
        return {
            "first_name": c.first_name,
            "last_name": c.last_name,
            "date_of_birth": c.date_of_birth,
            "current_facility": a.current_facility,
            "source": c.source,
            "municipality_of_origin": c.municipality_of_origin_id,
            "support_provider": c.support_provider_id,
        }
    if step == "household":
        initial: dict[str, Any] = {
            "household_adults": c.household_adults,
            "household_children": c.household_children,
            "pets": a.pets,
            "pets_note": a.pets_note,
            "rooms_min": a.rooms_min,
            "needs_ground_floor_or_lift": a.needs_ground_floor_or_lift,
            "needs_wheelchair_access": a.needs_wheelchair_access,
        }
        for p in a.preferences.all():
            initial[f"preference_{p.rank}"] = p.municipality_id
        for i, e in enumerate(a.exclusions.all(), start=1):
            initial[f"exclusion_{i}_place"] = (
                f"n{e.neighbourhood_id}" if e.neighbourhood_id else f"m{e.municipality_id}"
            )
            initial[f"exclusion_{i}_reason"] = e.reason
            initial[f"exclusion_{i}_note"] = e.note
        return initial
    if step == "support":
        return {
            "yearly_income_eur": a.yearly_income_eur,
            "budget_management": a.budget_management,
            "expected_support_months": a.expected_support_months,
        }
    if step == "dossier":
        return {
            k: getattr(a, k)
            for k in (
                "dossier_weight",
                "history_nuisance",
                "history_arrears",
                "history_eviction",
                "history_justice",
            )
        }
    if step == "motivation":
        return {"motivation_text": a.motivation_text}
    return {"consent_given": a.consent_given}


def _save_step(
    request: AuthenticatedHttpRequest, application: Application, step: str, data: dict[str, Any]
) -> None:
    actor = request.user
    if step == "household":
        services.application_update(
            actor=actor,
            application=application,
            **{
                k: data[k]
                for k in (
                    "household_adults",
                    "household_children",
                    "pets",
                    "pets_note",
                    "rooms_min",
                    "needs_ground_floor_or_lift",
                    "needs_wheelchair_access",
                )
            },
        )
        services.application_set_exclusions(
            actor=actor, application=application, exclusions=data["exclusions"]
        )
        services.application_set_preferences(
            actor=actor, application=application, municipalities=data["preferences"]
        )
    elif step == "motivation":
        services.application_update(
            actor=actor, application=application, motivation_text=data["motivation_text"]
        )
        if data.get("motivation_file"):
            services.application_attach_motivation(
                actor=actor, application=application, upload=data["motivation_file"]
            )
        for kind in services.EXTRA_DOCUMENTS:
            if data.get(f"{kind}_file"):
                services.application_attach_document(
                    actor=actor, application=application, kind=kind, upload=data[f"{kind}_file"]
                )
    elif step == "consent":
        services.application_record_consent(
            actor=actor, application=application, given=data["consent_given"]
        )
    else:
        services.application_update(actor=actor, application=application, **data)


def application_step(request: AuthenticatedHttpRequest, pk: int, step: str) -> HttpResponse:
    """One step of the multi-step application form; every save keeps the draft."""
    if step not in STEP_FORMS:
        raise Http404
    application = _application_in_scope(request, pk)
    if not rules.can_edit_application(request.user, application.client):
        raise PermissionDenied
    if application.state not in EDITABLE_STATES:
        messages.warning(
            request, _("This application has been submitted and can no longer be changed.")
        )
        return redirect("applications:client", pk=application.client_id)
    region = application.client.region
    kwargs: dict[str, Any] = {}
    if step in ("identity", "household", "dossier", "motivation"):
        kwargs["region"] = region
    if step == "identity":
        kwargs["bsn_locked"] = True
    form_class = STEP_FORMS[step]
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, **kwargs)
        if form.is_valid():
            try:
                with transaction.atomic():
                    _save_step(request, application, step, form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                index = STEP_NAMES.index(step)
                if "next" in request.POST and index + 1 < len(STEP_NAMES):
                    return redirect("applications:step", pk=pk, step=STEP_NAMES[index + 1])
                return redirect("applications:step", pk=pk, step=step)
    else:
        form = form_class(initial=_initial(application, step), **kwargs)
    return render(
        request,
        "applications/step.html",
        {
            "form": form,
            "application": application,
            "client": application.client,
            "step": step,
            "steps": STEPS,
            "missing": missing_parts(application),
            "missing_steps": {m.step for m in missing_parts(application)},
            "consent_parties": services.consent_parties(application) if step == "consent" else [],
        },
    )


def motivation_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """The uploaded motivation letter, to those who may see the client; the read is logged."""
    application = _application_in_scope(request, pk)
    view = selectors.minimise(request.user, application.client)
    if not view.sees(FieldGroup.MOTIVATION, application) or not application.motivation_file:
        raise Http404
    selectors.log_reads(
        actor=request.user, views=[view], action="motivation.download", purpose="motivation letter"
    )
    kind = application.motivation_file_type
    content_type = {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "odt": "application/vnd.oasis.opendocument.text",
    }[kind]
    response = FileResponse(
        application.motivation_file.open("rb"),
        content_type=content_type,
        as_attachment=True,
        filename=f"motivatie-{application.client.case_number}.{kind}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def document_download(request: AuthenticatedHttpRequest, pk: int, kind: str) -> FileResponse:
    """A document beside the letter (support plan, income statement), to those who may read
    the motivation letter (those who assess the case); the read is logged."""
    application = _application_in_scope(request, pk)
    view = selectors.minimise(request.user, application.client)
    document = application.documents.filter(kind=kind).first()
    if not view.sees(FieldGroup.MOTIVATION, application) or document is None:
        raise Http404
    selectors.log_reads(actor=request.user, views=[view], action="document.download", purpose=kind)
    content_type = {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "odt": "application/vnd.oasis.opendocument.text",
    }[document.file_type]
    response = FileResponse(
        document.file.open("rb"),
        content_type=content_type,
        as_attachment=True,
        filename=f"{kind}-{application.client.case_number}.{document.file_type}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def client_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        view = selectors.client_get(actor=request.user, pk=pk, purpose="client page")
    except Client.DoesNotExist:
        raise Http404 from None
    client = view.client
    latest_first = list(
        client.applications.select_related("table")
        .prefetch_related(
            "preferences__municipality", "exclusions__municipality", "exclusions__neighbourhood"
        )
        .order_by("-created_at")
    )
    applications = [
        {
            "application": a,
            # The field groups of this application's file the user sees (policy.rules).
            "groups": view.groups_for(a),
            "next_states": services.allowed_next_states(a),
            "editable": a.state in EDITABLE_STATES,
            "missing": missing_parts(a) if a.state in EDITABLE_STATES else [],
            "lead": selectors.lead_times(a),
        }
        for a in latest_first
    ]
    return render(
        request,
        "applications/client.html",
        {
            "view": view,
            "applications": applications,
            # The latest application is the case now: its step in the journey heads the page.
            "journey": journey(
                latest_first[0].state,
                by_table=rules_for(client.region_id).rules.route.assessed_by == "table",
            )
            if latest_first
            else None,
            "related_records": selectors.records_of_the_same_person(
                actor=request.user, client=client
            ),
            "can_edit": rules.can_edit_application(request.user, client),
            "can_check": rules.can_check_applications(request.user, client.region_id),
            "can_reinstate": rules.may_reinstate_application(request.user, client),
            "return_form": ReturnForm(),
            "timeline": client_timeline(client.pk) if view.sees(FieldGroup.TIMELINE) else [],
        },
    )


def check_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    applications = list(selectors.check_queue(actor=request.user)[:200])
    today = timezone.localdate()
    rows = [
        (a, selectors.minimise(request.user, a.client), days_since(a.state_changed_at, today))
        for a in applications
    ]
    selectors.log_reads(
        actor=request.user,
        views=[v for _a, v, _d in rows],
        action="client.list",
        purpose="check queue",
    )
    return render(request, "applications/check_queue.html", {"rows": rows})


def _application_in_scope(request: AuthenticatedHttpRequest, pk: int) -> Application:
    try:
        return (
            Application.objects.select_related("client")
            .filter(client__in=Client.objects.filter(rules.client_scope(request.user)))
            .get(pk=pk)
        )
    except Application.DoesNotExist:
        raise Http404 from None


def _act(
    request: AuthenticatedHttpRequest, pk: int, action: Callable[[Application], Any], done: str
) -> HttpResponse:
    application = _application_in_scope(request, pk)
    try:
        action(application)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("applications:client", pk=application.client_id)


@require_POST
def application_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda a: services.application_submit(actor=request.user, application=a),
        _("The application has been submitted to the service point."),
    )


@require_POST
def application_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda a: services.application_withdraw(
            actor=request.user, application=a, reason=request.POST.get("reason", "")
        ),
        _("The application has been withdrawn."),
    )


@require_POST
def application_complete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda a: services.application_mark_complete(actor=request.user, application=a),
        _("The application is complete and ready for the decision."),
    )


@require_POST
def application_return(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what is missing, so the applicant can complete it."))
        return redirect("applications:client", pk=_application_in_scope(request, pk).client_id)
    return _act(
        request,
        pk,
        lambda a: services.application_return(
            actor=request.user, application=a, reason=form.cleaned_data["reason"]
        ),
        _("The application has been returned to the applicant."),
    )


def application_reinstate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Undo a withdrawal (the service point): a confirmation page that says where the case goes
    back to and asks why; the post reinstates it."""
    application = _application_in_scope(request, pk)
    if not rules.may_reinstate_application(request.user, application.client):
        raise PermissionDenied
    if application.state != CaseState.WITHDRAWN:
        messages.error(request, _("Only a withdrawn application can be reinstated."))
        return redirect("applications:client", pk=application.client_id)
    form = ReinstateForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.application_reinstate(
                    actor=request.user, application=application, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The application is reinstated: “%(state)s”.")
                    % {"state": application.get_state_display()},
                )
                return redirect("applications:client", pk=application.client_id)
        status = 400
    target = services.reinstate_target(application)
    return render(
        request,
        "applications/reinstate.html",
        {
            "application": application,
            "client": application.client,
            "form": form,
            "target": CaseState(target).label if target else "",
        },
        status=status,
    )
