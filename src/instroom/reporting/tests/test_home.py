import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from instroom.applications import services
from instroom.applications.tests.factories import make_application
from instroom.reporting.selectors import suppress


def test_suppression_hides_small_counts_only() -> None:
    assert [suppress(n) for n in (0, 1, 4, 5, 17)] == ["0", "<5", "<5", "5", "17"]


@pytest.mark.django_db
def test_each_role_gets_its_own_tasks(client, cast) -> None:
    application = make_application(cast.care_worker_a, cast.care_a)
    services.application_submit(actor=cast.care_worker_a, application=application)
    draft = make_application(cast.care_worker_a, cast.care_a)
    client.force_login(cast.coordinator)
    page = client.get("/").content.decode()
    assert 'data-role="coordinator"' in page and 'data-role="applicant_worker"' not in page
    client.force_login(cast.care_worker_a)
    page = client.get("/").content.decode()
    assert draft.client.last_name in page  # a draft to finish
    assert application.client.last_name not in page  # submitted: nothing to do
    client.force_login(cast.nobody)
    assert "geen rol" in client.get("/").content.decode()


@pytest.mark.django_db
def test_english_is_available(client, cast) -> None:
    client.force_login(cast.coordinator)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert "Check applications" in page and 'lang="en"' in page
    client.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    assert "Aanmeldingen controleren" in client.get("/").content.decode()


@pytest.mark.django_db
def test_client_list_costs_the_same_queries_for_few_and_many(client, cast) -> None:
    client.force_login(cast.coordinator)
    make_application(cast.care_worker_a, cast.care_a)
    with CaptureQueriesContext(connection) as few:
        client.get("/clients/")
    for _ in range(8):
        make_application(cast.care_worker_a, cast.care_a)
    with CaptureQueriesContext(connection) as many:
        client.get("/clients/")
    assert len(many) == len(few)


@pytest.mark.django_db
def test_the_coordinators_home_shows_figures_and_links_not_long_lists(client, cast) -> None:
    from django.urls import reverse

    from instroom.accounts.notifications import notify
    from instroom.reporting.tests.world import case

    municipality = cast.region.municipalities.first()
    for state, n in (("complete", 3), ("scheduled", 2), ("deferred", 1), ("approved", 7)):
        for _ in range(n):
            case(cast, municipality, state)
    for n in range(9):
        notify(users=[cast.coordinator], kind="application.check", params={"case": f"ZK-{n}"})
    client.force_login(cast.coordinator)
    page = client.get("/", headers={"accept-language": "en"}).content.decode()
    # The first five tasks, the count of all of them, and the way to the rest.
    assert page.count("data-task-kind=") == 5
    assert "Applications to check: 9" in page and f'href="{reverse("accounts:tasks")}"' in page
    # Figures, each a link to its full list: six cases wait for a table decision.
    assert '<span class="instroom-figure">6</span> waiting for a table decision' in page
    assert f'href="{reverse("applications:list")}?state=scheduled">On a table session: 2' in page
    assert f'href="{reverse("matching:pool")}">Approved, in the pool: 7' in page
    # No long tables: the cases themselves are on the list pages.
    assert "<table" not in page and "T-0" not in page
