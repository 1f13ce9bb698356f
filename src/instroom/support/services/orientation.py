"""The soft landing: orientation activities in the neighbourhood."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from instroom.accounts.models import User
from instroom.audit import services as audit
from instroom.policy import rules

from ..models import OrientationActivity


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
