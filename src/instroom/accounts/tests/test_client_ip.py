"""The lock-out counts per real address behind a trusted proxy, and cannot be fooled without."""

from django.test import RequestFactory

from instroom.accounts.client_ip import client_ip


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(settings) -> None:
    settings.INSTROOM_TRUSTED_PROXY = False
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.7", HTTP_X_REAL_IP="203.0.113.9")
    assert client_ip(request) == "10.0.0.7"


def test_behind_a_trusted_proxy_the_real_address_counts(settings) -> None:
    settings.INSTROOM_TRUSTED_PROXY = True
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.9")
    assert client_ip(request) == "203.0.113.9"
    garbage = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="x; drop")
    assert client_ip(garbage) == "127.0.0.1"
