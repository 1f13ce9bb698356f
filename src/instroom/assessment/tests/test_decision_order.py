"""The table decides on or after the day it meets; the service point may record a decision
earlier with a reason (counted as a step out of order)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from instroom.applications import services as app_services
from instroom.applications.tests.factories import make_application
from instroom.assessment import services
from instroom.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
APPROVE = {
    "outcome": "approve",
    "reasoning": "Stabiel en klaar om zelfstandig te wonen.",
    "contract_form": "three_party",
    "support_months": 24,
}


@pytest.fixture
def item_in_two_weeks(cast):
    """A complete case on the agenda of a session sixteen days ahead."""
    table = cast.region.tables.get()
    services.table_member_add(actor=None, table=table, user=cast.table_member, is_chair=True)
    application = make_application(cast.care_worker_a, cast.care_a)
    app_services.application_submit(actor=cast.care_worker_a, application=application)
    app_services.application_mark_complete(actor=cast.coordinator, application=application)
    session = services.session_plan(
        actor=cast.coordinator, table=table, starts_at=timezone.now() + timedelta(days=16)
    )
    return services.agenda_add(actor=cast.coordinator, session=session, application=application)


def test_a_decision_before_the_session_is_refused_in_dutch(cast, item_in_two_weeks) -> None:
    item = item_in_two_weeks
    meets_on = timezone.localdate(item.session.starts_at)
    with override("nl"), pytest.raises(ValidationError) as info:
        services.decision_record(actor=cast.table_member, item=item, **APPROVE)
    [message] = info.value.messages
    assert message.startswith("De tafel vergadert op ")
    assert message.endswith(": leg het besluit op of na die dag vast.")
    assert str(meets_on.year) in message
    item.application.refresh_from_db()
    assert item.application.state == "scheduled" and item.application.decided_at is None


def test_the_chair_cannot_override_only_the_service_point(cast, item_in_two_weeks) -> None:
    item = item_in_two_weeks
    reason = "Spoedbesluit per e-mail, tafel akkoord gegeven."
    with override("nl"), pytest.raises(ValidationError) as info:
        services.decision_record(
            actor=cast.table_member, item=item, override_reason=reason, **APPROVE
        )
    assert "Alleen het servicepunt mag een stap buiten de volgorde toestaan." in (
        info.value.messages
    )
    # The service point chairing the table records it early, with its reason.
    services.table_member_add(
        actor=None, table=item.session.table, user=cast.coordinator, is_chair=True
    )
    services.decision_record(actor=cast.coordinator, item=item, override_reason=reason, **APPROVE)
    item.application.refresh_from_db()
    assert item.application.state == "approved"
    event = AuditEvent.objects.get(action="step.override")
    assert event.changes["step"] == "decision" and event.note.text == reason


def test_the_refused_decision_form_keeps_what_the_chair_wrote(
    client, cast, item_in_two_weeks
) -> None:
    item = item_in_two_weeks
    client.force_login(cast.table_member)
    response = client.post(
        reverse("assessment:decide", args=[item.pk]),
        {**APPROVE, "urgency": "0"},
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "leg het besluit op of na die dag vast" in page
    assert "Stabiel en klaar om zelfstandig te wonen." in page
    assert 'name="override"' not in page  # the chair is not the service point
    item.application.refresh_from_db()
    assert item.application.state == "scheduled"
