"""A step the service point let through out of its order is counted in the monitoring: exact
for the service point, suppressed (<5) once the figures leave it."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from instroom.reporting import monitoring, publication
from instroom.reporting.publication import Audience
from instroom.support import services
from instroom.support.tests.factories import accepted_match

pytestmark = pytest.mark.django_db


def moved_without_handover(cast) -> None:
    contract = services.contract_prepare(actor=cast.corporation_user, match=accepted_match(cast))
    today = timezone.localdate()
    services.contract_sign(
        actor=cast.corporation_user,
        contract=contract,
        signed_on=today,
        key_handover_on=today,
        planned_move_in_on=today,
    )
    services.contract_move_in(
        actor=cast.coordinator,
        contract=contract,
        moved_in_on=today,
        override_reason="Crisis: woning vandaag nodig, overdracht volgt volgende week.",
    )


def _report(cast, audience):
    period = monitoring.current_quarter(timezone.localdate())
    f = monitoring.figures(monitoring.Scope(cast.region, period), timezone.localdate())
    return publication.build(f, audience)


def test_the_override_is_counted_per_step(cast) -> None:
    assert _report(cast, Audience.SERVICE_POINT).table("out_of_order").row("total").cells == [
        0,
        0,
        0,
        0,
        0,
    ]
    moved_without_handover(cast)
    table = _report(cast, Audience.SERVICE_POINT).table("out_of_order")
    steps = list(publication.STEPS)
    total = table.row("total").cells
    assert total[steps.index("move_in")] == 1 and total[-1] == 1
    assert sum(total[:-1]) == 1
    published = _report(cast, Audience.PUBLISHED).table("out_of_order")
    assert published.row("total").cells[steps.index("move_in")] == "<5"


def test_the_coordinators_dashboard_shows_the_figure(client, cast) -> None:
    moved_without_handover(cast)
    client.force_login(cast.coordinator)
    with override("nl"):
        page = client.get(
            reverse("reports:dashboard", args=[cast.region.slug]), HTTP_ACCEPT_LANGUAGE="nl"
        ).content.decode()
    assert "Stappen buiten de volgorde" in page
    assert "Verhuizing zonder warme overdracht" in page
