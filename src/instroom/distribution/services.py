"""Writes of the distribution: record a placement (and undo it), with the audit record."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from instroom.accounts.models import User
from instroom.applications.models import Client
from instroom.audit import services as audit
from instroom.policy import rules
from instroom.regions.constants import OrganisationType
from instroom.regions.models import Municipality, Neighbourhood, Organisation, Region

from .models import Placement


@transaction.atomic
def placement_record(
    *,
    actor: User,
    region: Region,
    municipality: Municipality,
    corporation: Organisation,
    placed_on: date,
    neighbourhood: Neighbourhood | None = None,
    complex_code: str = "",
    reference: str = "",
    client: Client | None = None,
    by_signing: bool = False,
) -> Placement:
    """A signed contract: it counts for the quota of the home's municipality and corporation
    in the year it was signed, and for the caps of its complex and neighbourhood."""
    allowed = (
        rules.can_place_by_signing(actor, region.pk, corporation.pk)
        if by_signing
        else rules.can_record_placements(actor, region.pk)
    )
    if not allowed:
        raise PermissionDenied(_("Only the service point records placements."))
    errors: dict[str, str] = {}
    if municipality.region_id != region.pk:
        errors["municipality"] = _("Choose a municipality of this region.")
    if corporation.region_id != region.pk or corporation.type != OrganisationType.CORPORATION:
        errors["corporation"] = _("Choose a housing corporation of this region.")
    if neighbourhood is not None and neighbourhood.municipality_id != municipality.pk:
        errors["neighbourhood"] = _("This neighbourhood lies in another municipality.")
    if client is not None and client.region_id != region.pk:
        errors["client"] = _("This client belongs to another region.")
    if placed_on > timezone.localdate():
        errors["placed_on"] = _(
            "A placement counts once the contract is signed: not in the future."
        )
    elif placed_on.year < region.start_year:
        errors["placed_on"] = _("The scheme starts in %(year)d.") % {"year": region.start_year}
    if errors:
        raise ValidationError(errors)
    placement = Placement.objects.create(
        region=region,
        municipality=municipality,
        corporation=corporation,
        neighbourhood=neighbourhood,
        complex_code=complex_code.strip(),
        placed_on=placed_on,
        reference=reference.strip(),
        client=client,
        recorded_by=actor,
    )
    audit.record_change(
        actor=actor,
        action="placement.record",
        obj=placement,
        client=client,
        region_id=region.pk,
        changes={
            "municipality": municipality.cbs_code,
            "corporation": corporation.slug,
            "placed_on": placed_on.isoformat(),
        },
    )
    return placement


@transaction.atomic
def placement_undo(
    *, actor: User, placement: Placement, reason: str, by_signing: bool = False
) -> Placement:
    """Take back a placement recorded by mistake; it stays visible, struck through."""
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    allowed = (
        rules.can_place_by_signing(actor, placement.region_id, placement.corporation_id)
        if by_signing
        else rules.can_record_placements(actor, placement.region_id)
    )
    if not allowed:
        raise PermissionDenied(_("Only the service point records placements."))
    if placement.undone_at is not None:
        raise ValidationError(_("This placement has already been undone."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the placement is undone.")})
    placement.undone_at = timezone.now()
    placement.undo_reason = reason.strip()
    placement.save(update_fields=["undone_at", "undo_reason"])
    audit.record_change(
        actor=actor,
        action="placement.undo",
        obj=placement,
        client=placement.client,
        region_id=placement.region_id,
        note=reason,
    )
    return placement
