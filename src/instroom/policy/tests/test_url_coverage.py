"""No page can be added unguarded: every URL of the project has an explicit policy rule."""

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path

from instroom.policy import rules, url_rules
from instroom.policy.urlwalk import walk


def test_every_url_has_an_explicit_rule() -> None:
    routes = list(walk())
    assert len(routes) > 20  # the walk really sees the project (admin included)
    missing = [r for r in routes if rules.rule_for(r.view_name, r.namespaces) is None]
    assert not missing, (
        "URLs without a policy rule (add them to policy.url_rules.URL_RULES):\n"
        + "\n".join(f"  {r.view_name}  /{r.pattern}" for r in missing)
    )


def test_every_own_url_is_named() -> None:
    """Rules are keyed by URL name, so an unnamed URL outside a namespace rule is unguardable."""
    unnamed = [
        r for r in walk() if not r.named and not set(r.namespaces) & set(url_rules.NAMESPACE_RULES)
    ]
    assert not unnamed, [r.pattern for r in unnamed]


def test_rules_name_no_url_that_does_not_exist() -> None:
    names = {r.view_name for r in walk()}
    stale = set(url_rules.URL_RULES) - names
    assert not stale, f"Rules for URLs that no longer exist: {sorted(stale)}"


def unguarded_view(request):  # pragma: no cover - must never run
    return HttpResponse("secret")


from instroom.conf.urls import urlpatterns as project_urlpatterns  # noqa: E402

urlpatterns = [path("unguarded/", unguarded_view, name="unguarded"), *project_urlpatterns]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_url_without_rule_is_refused_even_to_a_coordinator(client, cast) -> None:
    client.force_login(cast.coordinator)
    response = client.get("/unguarded/")
    assert response.status_code == 403
    assert b"secret" not in response.content


def test_the_walker_would_report_a_missing_rule() -> None:
    """The coverage test can fail: a pattern list with an unknown name is reported."""
    routes = list(walk(urlpatterns[:1]))
    assert [rules.rule_for(r.view_name, r.namespaces) for r in routes] == [None]


def test_every_api_view_applies_the_policy() -> None:
    """An API view that sets its own permission classes would bypass the rules."""
    from rest_framework.views import APIView

    from instroom.policy.drf import PolicyPermission

    offenders = []
    for route in walk():
        cls = getattr(route.callback, "cls", None)
        is_api = isinstance(cls, type) and issubclass(cls, APIView)
        if is_api and not any(isinstance(p, PolicyPermission) for p in cls().get_permissions()):
            offenders.append(route.view_name)
    assert not offenders, offenders
