"""The offer page links the ranking it came from only for those who may read rankings."""

import pytest

from instroom.homes.tests.factories import make_home
from instroom.matching import ranking, services
from instroom.matching.tests.factories import make_approved

pytestmark = pytest.mark.django_db


def test_the_ranking_position_links_only_for_who_may_open_the_ranking(client, cast) -> None:
    home = make_home(cast.corporation_user, cast.corporation, rooms=2)
    application = make_approved(cast)
    snapshot = ranking.snapshot_store(
        ranking.rank_home(home), actor=cast.corporation_user, purpose="page"
    )
    match = services.match_propose(
        actor=cast.corporation_user, home=home, application=application, snapshot=snapshot
    )
    snapshot_url = f"/matching/rankings/{snapshot.pk}/"
    # The care worker answers the offer: told the position, not sent to a page they may not open.
    client.force_login(cast.care_worker_a)
    page = client.get(f"/matching/{match.pk}/").content.decode()
    assert "op positie 1" in page or "at position 1" in page
    assert snapshot_url not in page
    assert client.get(snapshot_url).status_code in (403, 404)
    # The corporation that proposed from the ranking follows the link to it.
    client.force_login(cast.corporation_user)
    page = client.get(f"/matching/{match.pk}/").content.decode()
    assert f'href="{snapshot_url}"' in page
    assert client.get(snapshot_url).status_code == 200
