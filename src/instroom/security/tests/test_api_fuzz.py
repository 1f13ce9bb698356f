"""Schemathesis against the project's own OpenAPI schema, authenticated as each role.

Per operation a bounded, derandomised number of generated requests (so a run is repeatable):
- valid requests (by the schema): no 5xx, and every documented response matches the schema;
- invalid requests (negative mode): still no 5xx, the API refuses them with a 4xx.
Generated ids would almost never name a real object, so path parameters are drawn half of the
time from the objects of a small world in every state; otherwise only the 404 path is tried.
"""

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from instroom.accounts.tests.factories import api_key_for
from instroom.applications import services as app_services
from instroom.applications.tests.factories import make_application
from instroom.assessment import services as assessment_services
from instroom.assessment.models import AgendaItem, Session
from instroom.conftest import PERSONAS as SIGNED_IN
from instroom.homes.tests.factories import make_home
from instroom.matching import services as matching_services
from instroom.matching.tests.factories import make_approved

pytestmark = [pytest.mark.security, pytest.mark.django_db]

# Every role of the cast (conftest.py); `nobody` is signed in without a role. The other region's
# coordinator is left out: the fuzzer's world lives in one region.
PERSONAS = [p for p in SIGNED_IN if p != "other_coordinator"]
EXAMPLES = {GenerationMode.POSITIVE: 15, GenerationMode.NEGATIVE: 8}
CHECKS: dict[GenerationMode, list[Callable[..., Any]]] = {
    GenerationMode.POSITIVE: [not_a_server_error, response_schema_conformance],
    GenerationMode.NEGATIVE: [not_a_server_error],
}


@pytest.fixture(scope="module")
def schema() -> Any:
    loaded = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
    loaded.app = get_wsgi_application()
    return loaded


@pytest.fixture
def world(cast) -> dict[str, list[Any]]:
    """Something for every operation to find, made through the services: applications in each
    state of intake, an open agenda item, a decided one, a home with a proposal."""
    draft = make_application(cast.care_worker_a, cast.care_a)
    incomplete = make_application(cast.care_worker_a, cast.care_a, complete=False)
    submitted = make_application(cast.care_worker_b, cast.care_b)
    app_services.application_submit(actor=cast.care_worker_b, application=submitted)
    approved = make_approved(cast)
    make_approved(cast, care_worker=cast.care_worker_b)
    on_agenda = make_application(cast.care_worker_a, cast.care_a)
    app_services.application_submit(actor=cast.care_worker_a, application=on_agenda)
    app_services.application_mark_complete(actor=cast.coordinator, application=on_agenda)
    session = assessment_services.session_plan(
        actor=cast.coordinator,
        table=cast.region.tables.get(),
        starts_at=timezone.now() + timedelta(days=7),
    )
    item = assessment_services.agenda_add(
        actor=cast.coordinator, session=session, application=on_agenda
    )
    assessment_services.invite(actor=cast.coordinator, item=item, user=cast.police)
    home = make_home(cast.corporation_user, cast.corporation)
    match = matching_services.match_propose(
        actor=cast.corporation_user, home=home, application=approved
    )
    make_home(cast.corporation_user, cast.corporation)
    applications = [draft, incomplete, submitted, approved, on_agenda]
    return {
        "/api/v1/applications/": [a.pk for a in applications],
        "/api/v1/clients/": [a.client_id for a in applications],
        "/api/v1/homes/": [home.pk],
        "/api/v1/matches/": [match.pk],
        "/api/v1/sessions/": list(Session.objects.values_list("pk", flat=True)),
        "/api/v1/agenda-items/": list(AgendaItem.objects.values_list("pk", flat=True)),
        "/api/v1/regions/": [cast.region.slug, cast.other_region.slug],
    }


def _endpoints_in_the_urlconf() -> set[tuple[str, str]]:
    """(path with `{}` for each parameter, method) of every API view in the URL patterns."""
    from instroom.api import urls

    found = set()
    for pattern in urls.urlpatterns:
        if pattern.name == "schema":  # the schema itself, not an operation of the API
            continue
        route = str(pattern.pattern).lstrip("^").rstrip("$")
        path = "/api/" + re.sub(r"\(\?P<\w+>[^)]*\)|<[^>]+>", "{}", route)
        actions = getattr(pattern.callback, "actions", None)
        methods = (
            set(actions)
            if actions
            else {
                m
                for m in ("get", "post", "put", "patch", "delete")
                if hasattr(pattern.callback.cls, m)
            }
        )
        found |= {(path, method.upper()) for method in methods}
    return found


def test_the_fuzzer_reaches_every_endpoint_of_the_api(schema) -> None:
    """An endpoint left out of the OpenAPI schema would never be fuzzed."""
    operations = {
        (re.sub(r"\{[^}]+\}", "{}", op.path), op.method.upper())
        for op in (result.ok() for result in schema.get_all_operations())
    }
    urlconf = _endpoints_in_the_urlconf()
    assert len(urlconf) > 15
    assert urlconf <= operations, sorted(urlconf - operations)


# Ids a client may send in the URL that are no ids: each must be a 4xx, never a 500.
MALFORMED_IDS = ["abc", "1.5", "-1", "0", "9" * 30, "%00", "1e3", " 1"]


def steered(operation: Any, mode: GenerationMode, world: dict[str, list[Any]]) -> Any:
    """Generated cases; for a path with one parameter, also cases naming real objects (valid
    requests) or malformed ids (invalid ones)."""
    generated = operation.as_strategy(generation_mode=mode)
    names = [p.name for p in operation.path_parameters]
    known = next((v for k, v in world.items() if operation.path.startswith(k)), [])
    if len(names) != 1 or not known:
        return generated
    values = known if mode == GenerationMode.POSITIVE else MALFORMED_IDS
    chosen = st.sampled_from(values).flatmap(
        lambda value: operation.as_strategy(path_parameters={names[0]: value})
    )
    return st.one_of(generated, chosen)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_api_never_errors_and_keeps_its_schema(
    settings_override, schema, cast, world, persona
) -> None:
    user = cast.personas()[persona]
    headers = {"Authorization": f"Token {api_key_for(user)}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 15
    statuses: list[int] = []
    for operation in operations:
        for mode, examples in EXAMPLES.items():
            fuzz(
                steered(operation, mode, world), examples, headers, CHECKS[mode], statuses, (mode,)
            )
    # The fuzzer got past the front door: some requests succeeded, none needed a sign-in.
    assert any(200 <= code < 300 for code in statuses), statuses
    assert 401 not in statuses


def fuzz(
    strategy: Any,
    examples: int,
    headers: dict[str, str],
    checks: list[Callable[..., Any]],
    statuses: list[int],
    modes: tuple[GenerationMode, ...],
) -> None:
    @settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: Any) -> None:
        response = case.call(headers=headers)
        statuses.append(response.status_code)
        case.validate_response(response, checks=checks)

    try:
        run()
    except Unsatisfiable:
        # An operation without parameters or body has nothing to make invalid.
        if GenerationMode.NEGATIVE not in modes:
            raise


@pytest.fixture
def settings_override(settings) -> Iterator[None]:
    """Requests go straight to the WSGI app, inside the test's transaction: like Django's test
    client, keep the request signals from closing the connection (on PostgreSQL that would end
    the transaction and the world with it)."""
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
