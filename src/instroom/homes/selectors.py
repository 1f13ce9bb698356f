"""Reads on homes, scoped by the policy."""

from django.db.models import QuerySet

from instroom.accounts.models import User
from instroom.policy import rules
from instroom.regions.models import Organisation

from .models import Home


def home_list(*, actor: User, state: str | None = None) -> QuerySet[Home]:
    qs = Home.objects.filter(rules.home_scope(actor)).select_related(
        "municipality", "neighbourhood", "corporation"
    )
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("available_from", "pk")


def home_get(*, actor: User, pk: int) -> Home:
    """One home for `actor`, or Home.DoesNotExist (a 404) when out of their scope."""
    return home_list(actor=actor).get(pk=pk)


def corporations_offering(*, actor: User) -> QuerySet[Organisation]:
    """The corporations whose homes the actor offers."""
    return Organisation.objects.filter(pk__in=rules.scope_for(actor).corporations)


def own_homes(*, actor: User) -> QuerySet[Home]:
    """The homes of the corporations the actor offers for (not the region's other homes)."""
    return home_list(actor=actor).filter(corporation_id__in=rules.scope_for(actor).corporations)
