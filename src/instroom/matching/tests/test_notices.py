"""Parking a candidate asks nothing of their care worker: they are told by e-mail, in their
language, and no task waits in their list."""

import pytest
from django.core import mail
from django.utils import formats, translation

from instroom.accounts.models import Notification
from instroom.homes.tests.factories import make_home
from instroom.matching import services
from instroom.matching.models import Parking, Refusal
from instroom.matching.tests.factories import make_approved

pytestmark = pytest.mark.django_db


def test_parking_is_told_by_email_in_the_care_workers_language(
    cast, django_capture_on_commit_callbacks
) -> None:
    cast.care_worker_a.email, cast.care_worker_a.language = "zorg@example.org", "en"
    cast.care_worker_a.save()
    application = make_approved(cast)
    for number in (1, 2):
        home = make_home(cast.corporation_user, cast.corporation, house_number=100 + number)
        match = services.match_propose(
            actor=cast.corporation_user, home=home, application=application
        )
        services.match_provider_decide(actor=cast.care_worker_a, match=match, accept=True)
        services.match_client_decide(
            actor=cast.care_worker_a, match=match, accept=False, reason="location"
        )
        mail.outbox.clear()
        with translation.override("nl"), django_capture_on_commit_callbacks(execute=True):
            services.refusal_review(
                actor=cast.coordinator,
                refusal=Refusal.objects.get(match=match),
                justified=False,
                note="Woning paste goed",
            )
    parking = Parking.objects.get(application=application)
    with translation.override("en"):
        until = formats.date_format(parking.until, "j F Y")
    [told] = [m for m in mail.outbox if m.to == ["zorg@example.org"]]
    number = application.client.candidate_number
    assert told.subject == f"Candidate {number} is parked until {until}"
    assert parking.reason in told.body
    assert not Notification.objects.filter(kind="match.parked").exists()
