"""Who may see and do what on the distribution pages: every persona, every URL, exact answers.

The rule: the coordinator (and administrator) see everything in their region; municipality
users their own municipality beside the region total; corporation staff their own corporation;
only the coordinator records and undoes placements; case roles without a steering task (care,
support, table, welfare, police) and users without a role see nothing of it.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from instroom.distribution import services
from instroom.distribution.models import Placement
from instroom.regions.models import QuotaYear

pytestmark = pytest.mark.django_db

READERS = {"coordinator", "administrator", "municipality_user", "corporation_user"}


@pytest.fixture
def placement(cast):
    year = timezone.localdate().year
    cast.region.start_year = year
    cast.region.save()
    QuotaYear.objects.update_or_create(region=cast.region, year=year, defaults={"total_homes": 12})
    return services.placement_record(
        actor=cast.coordinator,
        region=cast.region,
        municipality=cast.region.municipalities.order_by("cbs_code").first(),
        corporation=cast.corporation,
        placed_on=timezone.localdate(),
    )


def _expected_get(persona: str, url_name: str) -> int:
    if url_name == "distribution:index":
        return 302 if persona in READERS | {"other_coordinator"} else 403
    if url_name == "distribution:realisation":
        if persona in READERS:
            return 200
        return 404 if persona == "other_coordinator" else 403
    # placements: the coordinator's page only; another region's coordinator finds nothing
    if persona == "coordinator":
        return 200
    return 404 if persona == "other_coordinator" else 403


@pytest.mark.parametrize(
    "url_name", ["distribution:index", "distribution:realisation", "distribution:placements"]
)
def test_every_persona_gets_the_promised_answer(client, cast, placement, url_name) -> None:
    args = {
        "distribution:index": [],
        "distribution:realisation": [cast.region.slug, timezone.localdate().year],
        "distribution:placements": [cast.region.slug],
    }[url_name]
    url = reverse(url_name, args=args)
    for persona, user in cast.personas().items():
        client.force_login(user)
        assert client.get(url).status_code == _expected_get(persona, url_name), persona
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_only_the_regions_coordinator_records_a_placement(client, cast, placement) -> None:
    url = reverse("distribution:placements", args=[cast.region.slug])
    data = {
        "municipality": placement.municipality_id,
        "corporation": cast.corporation.pk,
        "placed_on": timezone.localdate().isoformat(),
    }
    for persona, user in cast.personas().items():
        client.force_login(user)
        status = client.post(url, data).status_code
        if persona == "coordinator":
            assert status == 302
        else:
            assert status == (404 if persona == "other_coordinator" else 403), persona
    assert Placement.objects.count() == 2  # the fixture's and the coordinator's


def test_only_the_regions_coordinator_undoes_a_placement(client, cast, placement) -> None:
    url = reverse("distribution:placement_undo", args=[cast.region.slug, placement.pk])
    for persona, user in cast.personas().items():
        if persona == "coordinator":
            continue
        client.force_login(user)
        status = client.post(url, {"reason": "probeersel"}).status_code
        assert status == (404 if persona == "other_coordinator" else 403), persona
        placement.refresh_from_db()
        assert placement.undone_at is None, persona
    client.force_login(cast.coordinator)
    assert client.post(url, {"reason": "Dubbel ingevoerd"}).status_code == 302
    placement.refresh_from_db()
    assert placement.undone_at is not None


def test_a_municipality_user_never_sees_another_municipality_or_any_person(
    client, cast, placement
) -> None:
    from instroom.applications.tests.factories import make_application

    application = make_application(cast.care_worker_a, cast.care_a)
    services.placement_record(
        actor=cast.coordinator,
        region=cast.region,
        municipality=cast.region.municipalities.order_by("cbs_code").last(),
        corporation=cast.corporation,
        placed_on=timezone.localdate(),
        client=application.client,
    )
    client.force_login(cast.municipality_user)
    html = client.get(
        reverse("distribution:realisation", args=[cast.region.slug, timezone.localdate().year])
    ).content.decode()
    other = cast.region.municipalities.order_by("cbs_code").last()
    assert f'data-key="{other.cbs_code}"' not in html
    for secret in (
        application.client.case_number,
        application.client.last_name,
        application.client.bsn,
    ):
        assert secret not in html
