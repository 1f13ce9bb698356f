"""Monitoring labels the support figures with the region's own lists, as in force at the end of
the period, and says which rules version that is."""

from datetime import date

import pytest
from django.utils import translation

from instroom.regions.rules import Term
from instroom.support.models import Signal
from instroom.support.tests.factories import support_with, use_rules

from . import world
from .test_monitoring import report_of

pytestmark = pytest.mark.django_db


def test_signals_are_counted_under_the_regions_own_kinds_and_the_version_is_named(cast) -> None:
    world.build(cast)
    # From before the period on: the region calls its kinds differently and adds one.
    use_rules(
        cast.region,
        valid_from=date(2025, 1, 1),
        support=support_with(
            signal_kind=(
                Term("nuisance", "Burenoverlast", "Neighbour nuisance"),
                Term("drugs", "Drugsoverlast", "Drug nuisance"),
            )
        ),
    )
    # A code the rules no longer have still counts, under its code.
    Signal.objects.filter(kind="nuisance").update(kind="arrears")
    with translation.override("nl"):
        report = report_of(cast)
    table = report.table("signals")
    assert table.columns[:3] == ["Burenoverlast", "Drugsoverlast", "arrears"]
    assert table.keys[:3] == ["nuisance", "drugs", "arrears"]
    assert table.row("total").cells[:3] == [0, 0, 2]
    assert any("regelversie 1" in note for note in report.notes)
