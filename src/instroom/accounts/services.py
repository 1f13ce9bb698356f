"""Writes about users and their roles; each one audited in the same transaction."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from instroom.audit import services as audit
from instroom.policy import rules
from instroom.regions.models import Organisation

from .models import Membership, User


@transaction.atomic
def membership_grant(
    *, actor: User | None, user: User, organisation: Organisation, role: str
) -> Membership:
    """Give `user` a role in `organisation`. `actor` None means the system (set-up, demo)."""
    if actor is not None and not rules.can_manage_users(actor, organisation.region_id):
        raise PermissionDenied(_("Only an administrator of this region may change roles."))
    membership = Membership(user=user, organisation=organisation, role=role)
    membership.full_clean()
    membership.save()
    audit.record_change(
        actor=actor,
        action="membership.grant",
        obj=membership,
        region_id=organisation.region_id,
        changes={"role": role, "organisation": organisation.slug, "user": user.username},
    )
    return membership
