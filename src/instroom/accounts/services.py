"""Writes about users, their roles and their API tokens; each one audited in the same
transaction."""

import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from instroom.audit import services as audit
from instroom.policy import rules
from instroom.regions.models import Organisation

from .models import ApiToken, Membership, User


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


@transaction.atomic
def api_token_create(*, actor: User) -> tuple[ApiToken, str]:
    """A new API token for the actor itself (never for someone else). Returns the token and
    its key: the key is not stored, so the caller shows it once and forgets it."""
    if not rules.can_use_api_tokens(actor):
        raise PermissionDenied(_("Your role does not use the API."))
    key = secrets.token_urlsafe(30)  # 40 characters, 240 random bits
    token = ApiToken.objects.create(
        user=actor, prefix=key[: ApiToken.PREFIX_LENGTH], key_hash=ApiToken.hash_key(key)
    )
    audit.record_change(
        actor=actor, action="api_token.create", obj=actor, changes={"prefix": token.prefix}
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> None:
    """Revoke a token: its owner may, and so may a superuser or an administrator of a region
    the owner works in (who sees only the token's first characters, never the key)."""
    if not rules.can_revoke_api_token(actor, token):
        raise PermissionDenied(_("You can only revoke your own API tokens."))
    audit.record_change(
        actor=actor,
        action="api_token.revoke",
        obj=token.user,
        changes={"prefix": token.prefix, "user": token.user.username},
    )
    token.delete()
