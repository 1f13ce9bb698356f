"""Everything Instroom holds about one client, for the right of access (AVG art. 15)."""

from typing import Any

from instroom.applications.models import Client
from instroom.assessment.models import Decision
from instroom.audit.constants import EventKind
from instroom.audit.models import AuditEvent
from instroom.audit.timeline import label_for


def _value(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "_meta"):
        return str(value)
    if value.__class__.__name__ == "Decimal":
        return str(value)
    return value


def client_export(client: Client) -> dict[str, Any]:
    """A machine-readable, complete account: identity, applications with their content,
    decisions, the history of changes, and who looked at the data when."""
    identity = {
        name: _value(getattr(client, name))
        for name in (
            "case_number",
            "first_name",
            "last_name",
            "bsn",
            "date_of_birth",
            "source",
            "municipality_of_origin",
            "care_provider",
            "support_provider",
            "household_adults",
            "household_children",
            "created_at",
            "anonymised_at",
        )
    }
    applications = []
    for a in client.applications.prefetch_related("preferences__municipality", "exclusions"):
        fields = {
            f.name: _value(getattr(a, f.name))
            for f in a._meta.concrete_fields
            if f.name not in ("id", "client", "bsn", "created_by", "motivation_file")
        }
        fields["motivation_file"] = a.motivation_file_name or None
        fields["preferences"] = [str(p.municipality) for p in a.preferences.all()]
        fields["exclusions"] = [
            {"place": str(e), "reason": e.reason, "note": e.note} for e in a.exclusions.all()
        ]
        fields["decisions"] = [
            {
                "outcome": d.outcome,
                "reasoning": d.reasoning,
                "decided_at": _value(d.decided_at),
                "contract_form": d.contract_form,
                "support_months": d.support_months,
                "earliest_reapplication": _value(d.earliest_reapplication),
                "missing_information": d.missing_information,
            }
            for d in Decision.objects.filter(application=a).order_by("decided_at")
        ]
        applications.append(fields)
    events = AuditEvent.objects.filter(client_id=client.pk).select_related("actor", "note")
    history, reads = [], []
    for e in events.order_by("at", "id"):
        who = e.actor.get_full_name() or e.actor.username if e.actor else "system"
        entry = {"at": e.at.isoformat(), "who": who, "roles": str(e.roles_label)}
        if e.kind == EventKind.ACCESS:
            reads.append({**entry, "why": e.purpose})
        else:
            note = getattr(e, "note", None)
            history.append(
                {**entry, "what": str(label_for(e.action)), "why": note.text if note else ""}
            )
    return {
        "client": identity,
        "applications": applications,
        "history": history,
        "access_log": reads,
    }
