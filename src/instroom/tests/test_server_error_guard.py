"""The suite's guard (conftest.py): an unhandled exception in a view fails the test that caused
it, even when the test never sees the exception (caught, or a browser on the live server)."""

from typing import Any

import pytest
from django.test import Client

from instroom import conftest


def _boom(*args: Any, **kwargs: Any) -> None:
    raise RuntimeError("boom")


@pytest.mark.allow_server_error
def test_a_server_error_the_test_does_not_see_is_recorded(db, monkeypatch) -> None:
    monkeypatch.setattr("instroom.reporting.views.JsonResponse", _boom)
    response = Client(raise_request_exception=False).get("/healthz")
    assert response.status_code == 500
    assert len(conftest._server_errors) == 1
    assert "GET /healthz" in conftest._server_errors[0]
    assert "RuntimeError: boom" in conftest._server_errors[0]


class _Item:
    def __init__(self, allowed: bool) -> None:
        self.allowed = allowed

    def get_closest_marker(self, name: str) -> object | None:
        return object() if self.allowed and name == "allow_server_error" else None


def _run_test_that_caused_an_error(item: _Item) -> None:
    hook = conftest.pytest_runtest_call(item)  # type: ignore[arg-type]
    next(hook)
    conftest._server_errors.append("GET /somewhere\nRuntimeError: boom")
    with pytest.raises(StopIteration):
        hook.send(None)


def test_the_test_that_caused_it_fails() -> None:
    with pytest.raises(pytest.fail.Exception, match="GET /somewhere"):
        _run_test_that_caused_an_error(_Item(allowed=False))
    assert conftest._server_errors == []


def test_a_test_may_allow_it_with_a_marker() -> None:
    _run_test_that_caused_an_error(_Item(allowed=True))
    assert conftest._server_errors == []
