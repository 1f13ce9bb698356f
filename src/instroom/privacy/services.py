"""The client's rights (correct, erase) and the retention rule, as audited services.

Anonymising keeps what reports need (municipality, source, states and their dates, the year of
birth) and removes what identifies or describes the person. The audit log keeps who looked,
never what was seen; the notes beside its events (reasons, reasoning) are erased."""

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from instroom import validation
from instroom.accounts.models import User
from instroom.applications.constants import ACTIVE_STATES, ENDED_STATES
from instroom.applications.models import Application, Client, Exclusion
from instroom.assessment.models import Decision
from instroom.audit import services as audit
from instroom.audit.models import EventNote
from instroom.dates import add_months
from instroom.policy import rules

ANONYMOUS = "[geanonimiseerd]"
CORRECTABLE = frozenset({"first_name", "last_name", "date_of_birth", "bsn"})


def _require_coordinator(actor: User, client: Client) -> None:
    if not rules.may_handle_privacy_requests(actor, client.region_id):
        raise PermissionDenied(_("Only the service point handles requests about personal data."))


# Later stages keep personal data of their own (contracts, meeting notes); they register how to
# anonymise it here, so this stage never imports them.
_ANONYMISERS: list[Callable[[Client], None]] = []


def register_anonymiser(function: Callable[[Client], None]) -> None:
    if function not in _ANONYMISERS:
        _ANONYMISERS.append(function)


def _anonymise(client: Client, now: datetime) -> None:
    client.first_name = ANONYMOUS
    client.last_name = ""
    client.bsn = ""
    client.date_of_birth = date(client.date_of_birth.year, 1, 1)
    client.anonymised_at = now
    client.save(update_fields=["first_name", "last_name", "bsn", "date_of_birth", "anonymised_at"])
    for application in Application.objects.filter(client=client):
        if application.motivation_file:
            application.motivation_file.delete(save=False)
        application.bsn = ""
        application.motivation_text = ""
        application.motivation_file_name = ""
        application.current_facility = ""
        application.pets_note = ""
        application.return_reason = ""
        application.consent_parties = []
        application.save(
            update_fields=[
                "bsn",
                "motivation_text",
                "motivation_file",
                "motivation_file_name",
                "current_facility",
                "pets_note",
                "return_reason",
                "consent_parties",
            ]
        )
    Exclusion.objects.filter(application__client=client).update(note="")
    Decision.objects.filter(application__client=client).update(
        reasoning=ANONYMOUS, missing_information=""
    )
    EventNote.objects.filter(event__client_id=client.pk).delete()
    for anonymiser in _ANONYMISERS:
        anonymiser(client)


@transaction.atomic
def client_correct(*, actor: User, client: Client, reason: str, **fields: Any) -> Client:
    """Correct personal data on the client's request; the reason is recorded."""
    _require_coordinator(actor, client)
    if not reason.strip():
        raise ValidationError({"reason": _("Record why the data are corrected (the request).")})
    unknown = set(fields) - CORRECTABLE
    if unknown:
        raise TypeError(f"Not correctable here: {sorted(unknown)}")
    fields = {k: v for k, v in fields.items() if v not in (None, "")}
    errors: dict[str, Any] = {}
    checks: dict[str, Callable[[Any], Any]] = {
        "bsn": validation.normalise_bsn,
        "first_name": validation.normalise_name,
        "last_name": validation.normalise_name,
        "date_of_birth": validation.validate_date_of_birth,
    }
    for key in list(fields):
        try:
            fields[key] = checks[key](fields[key])
        except ValidationError as exc:
            errors[key] = exc.messages
    if (
        "bsn" in fields
        and fields["bsn"] != client.bsn
        and client.applications.filter(state__in=ACTIVE_STATES).exists()
        and Application.objects.filter(bsn=fields["bsn"], state__in=ACTIVE_STATES)
        .exclude(client=client)
        .exists()
    ):
        errors["bsn"] = _("Another active case has this BSN; resolve that case first.")
    if errors:
        raise ValidationError(errors)
    changed = [k for k, v in fields.items() if getattr(client, k) != v]
    for key in changed:
        setattr(client, key, fields[key])
    client.full_clean()
    client.save(update_fields=changed)
    if "bsn" in changed:
        client.applications.update(bsn=client.bsn)
    audit.record_change(
        actor=actor,
        action="client.correct",
        obj=client,
        client=client,
        changes={"fields": sorted(changed)},
        note=reason.strip(),
    )
    return client


@transaction.atomic
def client_erase(*, actor: User, client: Client, reason: str) -> Client:
    """Erase on request: only when no case is active (withdraw it first)."""
    _require_coordinator(actor, client)
    if not reason.strip():
        raise ValidationError({"reason": _("Record the request to erase (date, how it came in).")})
    if client.applications.filter(state__in=ACTIVE_STATES).exists():
        raise ValidationError(
            _("This client has an active case. Withdraw or end it first, then erase.")
        )
    _anonymise(client, timezone.now())
    # The reason of the erasure is itself kept: it says why the data are gone, not what they were.
    audit.record_change(
        actor=actor, action="client.erase", obj=client, client=client, note=reason.strip()
    )
    return client


def clients_due(*, today: date) -> list[Client]:
    """Clients whose every case ended longer ago than their region's retention period."""
    candidates = (
        Client.objects.filter(anonymised_at__isnull=True)
        .exclude(applications__state__in=ACTIVE_STATES)
        .filter(applications__state__in=ENDED_STATES)
        .annotate(ended=Max("applications__state_changed_at"))
        .select_related("region")
    )
    return [
        c
        for c in candidates
        if add_months(timezone.localdate(c.ended), c.region.retention_months) <= today
    ]


@transaction.atomic
def retention_run(*, today: date | None = None) -> list[int]:
    """Anonymise every client due on `today` (the daily job); returns their ids."""
    today = today or timezone.localdate()
    now = timezone.now()
    done = []
    for client in clients_due(today=today):
        _anonymise(client, now)
        audit.record_change(
            actor=None,
            action="client.anonymise",
            obj=client,
            client=client,
            changes={"retention_months": client.region.retention_months},
        )
        done.append(client.pk)
    return done
