"""Writes on applications: each checks the policy and the state table, changes the data and
writes the audit record, in one transaction."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from instroom import validation
from instroom.accounts.models import User
from instroom.accounts.notifications import notify
from instroom.audit import services as audit
from instroom.audit.models import AuditEvent
from instroom.policy import audience, rules
from instroom.regions.constants import OrganisationType
from instroom.regions.models import Municipality, Organisation
from instroom.regions.selectors import rules_for, tables_for
from instroom.statemachine import TransitionError, allowed, lock, transition

from .completeness import missing_parts
from .constants import (
    ACTIVE_STATES,
    CASE_MACHINE,
    EDITABLE_STATES,
    MOTIVATION_MAX_BYTES,
    REINSTATE_MACHINE,
    CaseState,
)
from .documents import detect_document_type
from .models import Application, Client, Document, Exclusion, Preference


def _next_case_number(region_slug: str, year: int) -> str:
    prefix = f"{region_slug.split('-')[0][:4].upper()}-{year}-"
    last = (
        Client.objects.filter(case_number__startswith=prefix)
        .order_by("-case_number")
        .values_list("case_number", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def _locked(application: Application) -> Application:
    """The row, locked until the transaction ends: a double click waits, then sees the new
    state and is refused by the state table instead of acting twice."""
    return lock(application, CASE_MACHINE)


def transition_case(
    application: Application,
    *,
    actor: User | None,
    to: str,
    action: str,
    changes: dict[str, object] | None = None,
    update_fields: tuple[str, ...] = (),
    note: str = "",
) -> Application:
    """Move a case to `to` if the state table allows it; save and audit in the caller's
    transaction. For services of later stages, which check the policy themselves first."""
    return transition(
        application,
        machine=CASE_MACHINE,
        to=to,
        actor=actor,
        action=action,
        changes=changes,
        extra_fields=("return_reason", *update_fields),
        note=note,
    )


def _identity_errors(fields: dict[str, Any], errors: dict[str, Any]) -> dict[str, Any]:
    """Normalise the identity fields present in `fields` (BSN, names, date of birth) with the one
    validation layer, whoever calls: the page, the API, an import, the demo. Problems go to
    `errors` by field; the normalised values replace the typed ones."""
    checks: dict[str, Any] = {
        "bsn": validation.normalise_bsn,
        "first_name": validation.normalise_name,
        "last_name": validation.normalise_name,
        "date_of_birth": validation.validate_date_of_birth,
    }
    for name, check in checks.items():
        if name not in fields:
            continue
        try:
            fields[name] = check(fields[name])
        except ValidationError as exc:
            errors[name] = exc.messages
    return fields


def _earlier_case_refusal(*, bsn: str, care_provider: Organisation) -> str | None:
    """Why a new application for this BSN cannot start now, or None.

    One active application per person, and none before the earliest re-application date of a
    rejection. The applicant of the same organisation hears what is going on; another
    organisation only that a case exists (it must not learn anything of the person from it)."""
    active = (
        Application.objects.filter(bsn=bsn, state__in=ACTIVE_STATES)
        .select_related("client")
        .first()
    )
    waiting = (
        Application.objects.filter(
            bsn=bsn, state=CaseState.REJECTED, earliest_reapplication__gt=timezone.localdate()
        )
        .select_related("client")
        .order_by("-earliest_reapplication")
        .first()
    )
    earlier = active or waiting
    if earlier is None:
        return None
    if earlier.client.care_provider_id != care_provider.pk:
        return _(
            "A case already exists for this BSN. Contact the service point before starting an "
            "application."
        )
    if active is not None:
        return _(
            "There is already an active application for this BSN. "
            "Ask the service point before starting a second one."
        )
    assert waiting is not None and waiting.earliest_reapplication is not None
    return _(
        "The table rejected an earlier application for this client; a new application is "
        "possible from %(date)s."
    ) % {"date": waiting.earliest_reapplication.strftime("%d-%m-%Y")}


@transaction.atomic
def application_create(
    *,
    actor: User | None,
    care_provider: Organisation,
    support_provider: Organisation,
    municipality_of_origin: Municipality,
    first_name: str,
    last_name: str,
    bsn: str,
    date_of_birth: date,
    source: str,
    household_adults: int = 1,
    household_children: int = 0,
    current_facility: str = "",
) -> Application:
    """A new draft application by an applicant worker of `care_provider`. A person who had a
    client record in this region before gets a new one linked to the earlier record."""
    if actor is not None and not rules.can_create_application(actor, care_provider.pk):
        raise PermissionDenied(_("You can only apply on behalf of your own care organisation."))
    region = care_provider.region
    errors: dict[str, Any] = {}
    identity = _identity_errors(
        {
            "bsn": bsn,
            "first_name": first_name,
            "last_name": last_name,
            "date_of_birth": date_of_birth,
        },
        errors,
    )
    if support_provider.region_id != region.pk or not support_provider.provides_ambulant_support:
        errors["support_provider"] = _(
            "Choose an ambulant care provider of this region that gives woonbegeleiding."
        )
    if municipality_of_origin.region_id != region.pk:
        errors["municipality_of_origin"] = _("Choose a municipality of this region.")
    if care_provider.type != OrganisationType.CARE_PROVIDER:
        errors["care_provider"] = _("Only a care provider can submit an application.")
    if source not in rules_for(region.pk).rules.intake.admitted_sources:
        errors["source"] = _("This region does not admit clients from this kind of care.")
    if "bsn" not in errors:
        refusal = _earlier_case_refusal(bsn=identity["bsn"], care_provider=care_provider)
        if refusal:
            errors["bsn"] = refusal
    if errors:
        raise ValidationError(errors)
    bsn = identity["bsn"]
    previous = Client.objects.filter(region=region, bsn=bsn).order_by("-created_at", "-pk").first()
    client = Client(
        region=region,
        case_number=_next_case_number(region.slug, timezone.localdate().year),
        first_name=identity["first_name"],
        last_name=identity["last_name"],
        bsn=bsn,
        date_of_birth=identity["date_of_birth"],
        source=source,
        care_provider=care_provider,
        support_provider=support_provider,
        municipality_of_origin=municipality_of_origin,
        household_adults=household_adults,
        household_children=household_children,
        previous_client=previous,
    )
    client.full_clean()
    client.save()
    application = Application(
        client=client, bsn=bsn, created_by=actor, current_facility=current_facility
    )
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:  # a concurrent second application for the same BSN
        raise ValidationError(
            {"bsn": _("There is already an active application for this BSN.")}
        ) from exc
    changes: dict[str, Any] = {
        "fields": ["first_name", "last_name", "bsn", "date_of_birth", "source"]
    }
    if previous is not None:
        changes["previous_client"] = previous.pk
    audit.record_change(
        actor=actor,
        action="application.create",
        obj=application,
        client=client,
        changes=changes,
    )
    return application


def _require_editable(actor: User, application: Application) -> None:
    if not rules.can_edit_application(actor, application.client):
        raise PermissionDenied(
            _("Only the care provider that made this application can change it.")
        )
    _locked(application)
    if application.state not in EDITABLE_STATES:
        raise TransitionError(
            _("This application is “%(state)s” and can no longer be changed.")
            % {"state": application.get_state_display()}
        )


CLIENT_EDITABLE = frozenset(
    {
        "first_name",
        "last_name",
        "date_of_birth",
        "source",
        "municipality_of_origin",
        "support_provider",
        "household_adults",
        "household_children",
    }
)
APPLICATION_EDITABLE = frozenset(
    {
        "current_facility",
        "pets",
        "pets_note",
        "rooms_min",
        "needs_ground_floor_or_lift",
        "needs_wheelchair_access",
        "yearly_income_eur",
        "budget_management",
        "expected_support_months",
        "dossier_weight",
        "history_nuisance",
        "history_arrears",
        "history_eviction",
        "history_justice",
        "motivation_text",
    }
)


@transaction.atomic
def application_update(*, actor: User, application: Application, **fields: Any) -> Application:
    """Save one step of the draft. Unknown fields are a programming error, not user input."""
    _require_editable(actor, application)
    unknown = set(fields) - CLIENT_EDITABLE - APPLICATION_EDITABLE
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    client = application.client
    region = client.region
    errors: dict[str, Any] = {}
    support = fields.get("support_provider")
    if support is not None and (
        support.region_id != region.pk or not support.provides_ambulant_support
    ):
        errors["support_provider"] = _(
            "Choose an ambulant care provider of this region that gives woonbegeleiding."
        )
    origin = fields.get("municipality_of_origin")
    if origin is not None and origin.region_id != region.pk:
        errors["municipality_of_origin"] = _("Choose a municipality of this region.")
    region_rules = rules_for(region.pk).rules
    if "source" in fields and fields["source"] not in region_rules.intake.admitted_sources:
        errors["source"] = _("This region does not admit clients from this kind of care.")
    weight = fields.get("dossier_weight")
    if weight and region_rules.term("dossier_weight", weight) is None:
        errors["dossier_weight"] = _("Choose a dossier weight of this region.")
    fields = _identity_errors(dict(fields), errors)
    if errors:
        raise ValidationError(errors)
    changed_client = [
        k for k, v in fields.items() if k in CLIENT_EDITABLE and getattr(client, k) != v
    ]
    changed_app = [
        k for k, v in fields.items() if k in APPLICATION_EDITABLE and getattr(application, k) != v
    ]
    for key in changed_client:
        setattr(client, key, fields[key])
    for key in changed_app:
        setattr(application, key, fields[key])
    if changed_client:
        client.full_clean()
        client.save(update_fields=changed_client)
    if changed_app:
        application.full_clean(exclude=["client", "created_by", "table"])
        application.save(update_fields=changed_app)
    if changed_client or changed_app:
        audit.record_change(
            actor=actor,
            action="application.update",
            obj=application,
            client=client,
            changes={"fields": sorted(changed_client + changed_app)},
        )
    return application


@transaction.atomic
def application_set_preferences(
    *, actor: User, application: Application, municipalities: list[Municipality]
) -> None:
    """Replace the ordered list of preferred municipalities (first = most preferred)."""
    _require_editable(actor, application)
    region_id = application.client.region_id
    if any(m.region_id != region_id for m in municipalities):
        raise ValidationError({"preferences": _("Choose municipalities of this region.")})
    if len({m.pk for m in municipalities}) != len(municipalities):
        raise ValidationError(
            {"preferences": _("Each municipality can appear only once in the order.")}
        )
    excluded = set(
        application.exclusions.filter(neighbourhood__isnull=True).values_list(
            "municipality_id", flat=True
        )
    )
    if excluded & {m.pk for m in municipalities}:
        raise ValidationError(
            {"preferences": _("A municipality cannot be both preferred and excluded.")}
        )
    application.preferences.all().delete()
    Preference.objects.bulk_create(
        Preference(application=application, municipality=m, rank=rank)
        for rank, m in enumerate(municipalities, start=1)
    )
    application.pool_preferences = ",".join(str(m.pk) for m in municipalities)
    application.save(update_fields=["pool_preferences"])
    audit.record_change(
        actor=actor,
        action="application.preferences",
        obj=application,
        client=application.client,
        changes={"count": len(municipalities)},
    )


@transaction.atomic
def application_set_exclusions(
    *, actor: User, application: Application, exclusions: list[dict[str, Any]]
) -> None:
    """Replace the exclusions: each a municipality or neighbourhood with a reason category."""
    _require_editable(actor, application)
    region_id = application.client.region_id
    reasons = {code for code, _label in rules_for(region_id).rules.choices("exclusion_reason")}
    rows = []
    for item in exclusions:
        if item.get("reason") not in reasons:
            raise ValidationError(
                {"exclusions": _("Choose a reason for the exclusion from this region's list.")}
            )
        municipality, neighbourhood = item.get("municipality"), item.get("neighbourhood")
        if municipality is None and neighbourhood is None:
            raise ValidationError({"exclusions": _("Name a municipality or a neighbourhood.")})
        if municipality is None:
            assert neighbourhood is not None
            municipality = neighbourhood.municipality
        if municipality.region_id != region_id:
            raise ValidationError({"exclusions": _("Choose places in this region.")})
        rows.append(
            Exclusion(
                application=application,
                municipality=municipality,
                neighbourhood=neighbourhood,
                reason=item["reason"],
                note=item.get("note", ""),
            )
        )
    whole = {r.municipality_id for r in rows if r.neighbourhood is None}
    if whole & set(application.preferences.values_list("municipality_id", flat=True)):
        raise ValidationError(
            {"exclusions": _("A municipality cannot be both preferred and excluded.")}
        )
    application.exclusions.all().delete()
    Exclusion.objects.bulk_create(rows)
    application.pool_excluded_municipalities = ",".join(
        str(r.municipality_id) for r in rows if r.neighbourhood is None
    )
    application.pool_excluded_neighbourhoods = ",".join(
        str(r.neighbourhood.pk) for r in rows if r.neighbourhood is not None
    )
    application.save(update_fields=["pool_excluded_municipalities", "pool_excluded_neighbourhoods"])
    audit.record_change(
        actor=actor,
        action="application.exclusions",
        obj=application,
        client=application.client,
        changes={"count": len(rows)},
    )


@transaction.atomic
def application_attach_motivation(
    *, actor: User, application: Application, upload: UploadedFile
) -> None:
    """Store the client's motivation letter after checking what the file really is."""
    _require_editable(actor, application)
    if upload.size is None or upload.size > MOTIVATION_MAX_BYTES:
        raise ValidationError(
            {
                "motivation_file": _(
                    "The file is larger than %(max)d MB. "
                    "Save it smaller or type the letter instead."
                )
                % {"max": MOTIVATION_MAX_BYTES // (1024 * 1024)}
            }
        )
    data = upload.read()
    kind = detect_document_type(data)
    if kind is None:
        raise ValidationError(
            {
                "motivation_file": _(
                    "This file is not a PDF, Word (DOCX) or OpenDocument (ODT) document, "
                    "whatever its name says. Upload one of those, or type the letter."
                )
            }
        )
    if application.motivation_file:
        application.motivation_file.delete(save=False)
    application.motivation_file.save(
        f"{application.client.case_number}.{kind}", ContentFile(data), save=False
    )
    application.motivation_file_type = kind
    application.motivation_file_name = (upload.name or "")[:200]
    application.save(
        update_fields=["motivation_file", "motivation_file_type", "motivation_file_name"]
    )
    audit.record_change(
        actor=actor,
        action="application.motivation",
        obj=application,
        client=application.client,
        changes={"file_type": kind},
    )


# The documents beside the motivation letter an application may carry (rules.intake.DOCUMENTS).
EXTRA_DOCUMENTS = ("support_plan", "income_statement")


@transaction.atomic
def application_attach_document(
    *, actor: User, application: Application, kind: str, upload: UploadedFile
) -> Document:
    """Store a document the intake rules may ask for (a support plan, an income statement),
    checked by its content like the motivation letter; a new upload replaces the old one."""
    _require_editable(actor, application)
    if kind not in EXTRA_DOCUMENTS:
        raise ValueError(f"Unknown document kind: {kind}")  # a programming error
    field = f"{kind}_file"
    if upload.size is None or upload.size > MOTIVATION_MAX_BYTES:
        raise ValidationError(
            {
                field: _("The file is larger than %(max)d MB. Save it smaller.")
                % {"max": MOTIVATION_MAX_BYTES // (1024 * 1024)}
            }
        )
    data = upload.read()
    file_type = detect_document_type(data)
    if file_type is None:
        raise ValidationError(
            {
                field: _(
                    "This file is not a PDF, Word (DOCX) or OpenDocument (ODT) document, "
                    "whatever its name says. Upload one of those."
                )
            }
        )
    document = application.documents.filter(kind=kind).first() or Document(
        application=application, kind=kind
    )
    if document.file:
        document.file.delete(save=False)
    document.file.save(
        f"{application.client.case_number}-{kind}.{file_type}", ContentFile(data), save=False
    )
    document.file_type = file_type
    document.file_name = (upload.name or "")[:200]
    document.uploaded_at = timezone.now()
    document.save()
    audit.record_change(
        actor=actor,
        action="application.document",
        obj=application,
        client=application.client,
        changes={"kind": kind, "file_type": file_type},
    )
    return document


def consent_parties(application: Application) -> list[str]:
    """The parties the client's data may be shared with, named in the consent."""
    client = application.client
    region = client.region
    names = [str(org) for org in (client.care_provider, client.support_provider)]
    names += [o.name for o in region.organisations.filter(type=OrganisationType.SERVICE_POINT)]
    table = tables_for(client.municipality_of_origin).first()
    if table:
        names.append(str(_("Assessment table %(name)s") % {"name": table.name}))
    names.append(str(_("The housing corporations of the region that offer a home")))
    return list(dict.fromkeys(names))


@transaction.atomic
def application_record_consent(*, actor: User, application: Application, given: bool) -> None:
    _require_editable(actor, application)
    application.consent_given = given
    application.consent_recorded_at = timezone.now() if given else None
    application.consent_parties = consent_parties(application) if given else []
    application.save(update_fields=["consent_given", "consent_recorded_at", "consent_parties"])
    audit.record_change(
        actor=actor,
        action="application.consent",
        obj=application,
        client=application.client,
        changes={"consent_given": given},
    )


@transaction.atomic
def application_submit(*, actor: User, application: Application) -> Application:
    if not rules.can_edit_application(actor, application.client):
        raise PermissionDenied(
            _("Only the care provider that made this application can submit it.")
        )
    _locked(application)
    if application.state in (CaseState.DRAFT, CaseState.RETURNED):
        missing = missing_parts(application)
        if missing:
            raise ValidationError([str(m.message) for m in missing])
    application.return_reason = ""
    if application.submitted_at is None:
        application.submitted_at = timezone.now()
    resubmitted = application.state == CaseState.RETURNED
    transition_case(
        application,
        actor=actor,
        to=CaseState.SUBMITTED,
        action="application.submit",
        update_fields=("submitted_at",),
    )
    client = application.client
    notify(
        users=audience.coordinators_of(client.region_id),
        kind="application.recheck" if resubmitted else "application.check",
        params={"case": client.case_number},
        about=application,
        url=reverse("applications:client", args=[client.pk]),
    )
    return application


@transaction.atomic
def application_return(*, actor: User, application: Application, reason: str) -> Application:
    if not rules.can_check_applications(actor, application.client.region_id):
        raise PermissionDenied(_("Only the service point checks applications."))
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Say what is missing, so the applicant can complete it.")}
        )
    application.return_reason = reason.strip()
    transition_case(
        application,
        actor=actor,
        to=CaseState.RETURNED,
        action="application.return",
        note=application.return_reason,
    )
    client = application.client
    notify(
        users=audience.applicant_workers_of(client.care_provider_id),
        kind="application.complete",
        params={"case": client.case_number},
        about=application,
        body=_(
            "The service point asks you to complete the application. "
            "See the reason on the case page."
        ),
        url=reverse("applications:client", args=[client.pk]),
    )
    return application


@transaction.atomic
def application_mark_complete(*, actor: User, application: Application) -> Application:
    """Complete: the case goes to the table that covers the client's municipality of origin."""
    if not rules.can_check_applications(actor, application.client.region_id):
        raise PermissionDenied(_("Only the service point checks applications."))
    application = _locked(application)
    if application.state != CaseState.SUBMITTED:
        # The state table also allows scheduled → complete: that step is the agenda's undo
        # (`assessment.services.agenda_remove`), which takes the item off the agenda too.
        raise ValidationError(
            _("Only a submitted application can be declared complete; this one is: %(state)s.")
            % {"state": application.get_state_display()},
            code="not_submitted",
        )
    origin = application.client.municipality_of_origin
    if rules_for(application.client.region_id).rules.route.assessed_by == "service_point":
        # The service point decides alone (the region's route): no table, no agenda.
        application.completed_at = timezone.now()
        return transition_case(
            application,
            actor=actor,
            to=CaseState.COMPLETE,
            action="application.complete",
            changes={"table": ""},
            update_fields=("completed_at",),
        )
    table = tables_for(origin).first()
    if table is None:
        raise ValidationError(
            _(
                "No assessment table covers %(municipality)s. Ask the administrator to add it to a "
                "table first."
            )
            % {"municipality": origin.name}
        )
    application.table = table
    application.completed_at = timezone.now()
    return transition_case(
        application,
        actor=actor,
        to=CaseState.COMPLETE,
        action="application.complete",
        changes={"table": table.slug},
        update_fields=("table", "completed_at"),
    )


@transaction.atomic
def application_withdraw(*, actor: User, application: Application, reason: str) -> Application:
    """Withdraw the application, with the reason kept (the timeline shows it; it is in the
    erasable note, not the log). Only the service point can undo it (`application_reinstate`),
    so the state it left is kept."""
    if not rules.can_withdraw_application(actor, application.client):
        raise PermissionDenied(_("You may not withdraw this application."))
    if not reason.strip():
        raise ValidationError({"reason": _("Write down why the application is withdrawn.")})
    application = _locked(application)
    if application.state == CaseState.MATCHING:
        # An offer is running: withdrawing would leave the home promised to nobody who wants it.
        raise ValidationError(
            _(
                "A home is being offered to this client. Cancel the offer on its page first "
                "(or record the client's refusal); then the application can be withdrawn."
            ),
            code="offer_running",
        )
    application.withdrawn_from = application.state
    return transition_case(
        application,
        actor=actor,
        to=CaseState.WITHDRAWN,
        action="application.withdraw",
        update_fields=("withdrawn_from",),
        note=reason.strip(),
    )


def _withdrawn_from(application: Application) -> str:
    """The state the case was withdrawn from: kept since withdrawals store it, read from the
    log for older ones."""
    if application.withdrawn_from:
        return application.withdrawn_from
    event = (
        AuditEvent.objects.filter(
            action="application.withdraw",
            object_type=application._meta.label_lower,
            object_id=str(application.pk),
        )
        .order_by("-at", "-pk")
        .first()
    )
    state = (event.changes.get("state") or [""])[0] if event is not None else ""
    return state if state in CaseState.values else ""


def reinstate_target(application: Application) -> str:
    """Where a reinstated case goes: the state it was withdrawn from, or the step before it when
    what it waited for is gone (its match was cancelled or its parking ended meanwhile: back in
    the pool; its agenda item closed: complete, to be put on an agenda again). "" when it
    cannot be known."""
    before = _withdrawn_from(application)
    # Through the later stages' reverse relations and their models' own properties: this
    # stage does not import them.
    if before == CaseState.MATCHING and not any(
        m.is_active
        for m in application.matches.all()  # type: ignore[attr-defined]
    ):
        return CaseState.APPROVED
    if (
        before == CaseState.PARKED
        and not application.parkings.filter(  # type: ignore[attr-defined]
            ended_on__isnull=True, until__gt=timezone.localdate()
        ).exists()
    ):
        return CaseState.APPROVED  # the parking ended meanwhile: back in the pool
    if before == CaseState.SCHEDULED and not any(
        item.session.is_open
        for item in application.agenda_items.filter(is_open=True).select_related("session")  # type: ignore[attr-defined]
    ):
        return CaseState.COMPLETE
    return before if before in REINSTATE_MACHINE.allowed(CaseState.WITHDRAWN) else ""


@transaction.atomic
def application_reinstate(*, actor: User, application: Application, reason: str) -> Application:
    """Undo a withdrawal (the service point only): the case goes back to where it was, with the
    reason on the timeline. Refused when the person has another active application since (one
    active application per BSN)."""
    if not rules.may_reinstate_application(actor, application.client):
        raise PermissionDenied(_("Only the service point reinstates a withdrawn application."))
    if not reason.strip():
        raise ValidationError({"reason": _("Write down why the application is reinstated.")})
    _locked(application)
    if application.state != CaseState.WITHDRAWN:
        raise REINSTATE_MACHINE.refuse(application.state, application.state)
    other = (
        Application.objects.filter(bsn=application.bsn, state__in=ACTIVE_STATES)
        .exclude(pk=application.pk)
        .select_related("client")
        .first()
    )
    if other is not None:
        raise ValidationError(
            _(
                "This person has another active application since (case %(case)s). One "
                "application per person is active at a time: withdraw that one first, or "
                "continue with it."
            )
            % {"case": other.client.case_number}
        )
    to = reinstate_target(application)
    if not to:
        raise ValidationError(
            _("It is not known from which step this application was withdrawn; start a new one.")
        )
    application.withdrawn_from = ""
    try:
        with transaction.atomic():
            transition(
                application,
                machine=REINSTATE_MACHINE,
                to=to,
                actor=actor,
                action="application.reinstate",
                extra_fields=("withdrawn_from",),
                note=reason.strip(),
            )
    except IntegrityError as exc:  # a concurrent new application for the same BSN
        raise ValidationError(
            _("This person has another active application since; it cannot be reinstated.")
        ) from exc
    return application


def allowed_next_states(application: Application) -> frozenset[str]:
    return allowed(application, CASE_MACHINE)
