"""The meetings list offers the calendar subscription only to who may subscribe."""

import pytest

pytestmark = pytest.mark.django_db


def test_only_the_support_worker_is_offered_the_calendar_subscription(client, cast) -> None:
    client.force_login(cast.support_worker)
    page = client.get("/support/meetings/").content.decode()
    assert 'href="/support/calendar/"' in page
    assert client.get("/support/calendar/").status_code == 200
    # The service point sees every meeting but has no calendar of its own to subscribe to.
    client.force_login(cast.coordinator)
    page = client.get("/support/meetings/").content.decode()
    assert client.get("/support/meetings/").status_code == 200
    assert 'href="/support/calendar/"' not in page
    assert client.get("/support/calendar/").status_code == 403
