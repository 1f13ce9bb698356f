"""A tampered query or form parameter is refused (a 404, a form error or simply ignored),
never a server error: on PostgreSQL a NUL byte, anywhere a non-number."""

import pytest
from django.urls import reverse

from instroom.homes.tests.factories import make_home

pytestmark = pytest.mark.django_db

BAD = ["\x00", "abc", "1 OR 1=1", "99999999999999999999999"]


@pytest.mark.parametrize("value", BAD)
def test_tampered_parameters_never_give_a_server_error(client, cast, value) -> None:
    home = make_home(cast.corporation_user, cast.corporation)
    checks = [
        (cast.coordinator, "get", reverse("applications:list"), {"state": value}),
        (cast.care_worker_a, "get", reverse("applications:create"), {"org": value}),
        (cast.coordinator, "get", reverse("homes:list"), {"state": value}),
        (cast.corporation_user, "get", reverse("homes:create"), {"corporation": value}),
        (
            cast.corporation_user,
            "post",
            reverse("matching:propose", args=[home.pk]),
            {"application": value, "snapshot": value},
        ),
        (cast.coordinator, "get", reverse("matching:list"), {"show": value}),
        (cast.coordinator, "get", reverse("audit:access_log"), {"page": value}),
    ]
    for user, method, url, params in checks:
        client.force_login(user)
        response = getattr(client, method)(url, params)
        assert response.status_code < 500, (url, params, response.status_code)
