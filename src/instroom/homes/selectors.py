"""Reads on homes, scoped by the policy."""

from typing import Any

from django.db.models import QuerySet

from instroom.policy import rules

from .models import Home


def home_list(*, actor: Any, state: str | None = None) -> QuerySet[Home]:
    qs = Home.objects.filter(rules.home_scope(actor)).select_related(
        "municipality", "neighbourhood", "corporation"
    )
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("available_from", "pk")


def home_get(*, actor: Any, pk: int) -> Home:
    """One home for `actor`, or Home.DoesNotExist (a 404) when out of their scope."""
    return home_list(actor=actor).get(pk=pk)
