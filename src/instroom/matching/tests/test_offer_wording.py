"""The offer page speaks Dutch as people write it."""

import pytest
from django.urls import reverse

from instroom.applications.models import Application
from instroom.homes.tests.factories import make_home
from instroom.matching import services
from instroom.matching.tests.factories import make_approved

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("rooms", "said"), [(1, "ten minste 1 kamer<"), (2, "ten minste 2 kamers")]
)
def test_the_rooms_a_candidate_needs_read_as_dutch(client, cast, rooms, said) -> None:
    """It said "ten minste 1 kamers"."""
    application = make_approved(cast)  # needs one room
    Application.objects.filter(pk=application.pk).update(rooms_min=rooms)
    home = make_home(cast.corporation_user, cast.corporation, rooms=2)
    match = services.match_propose(actor=cast.corporation_user, home=home, application=application)
    client.force_login(cast.corporation_user)
    page = client.get(reverse("matching:detail", args=[match.pk])).content.decode()
    assert said in page
