"""The demo region has its register of time-out places, one of them taken by a tenancy."""

import pytest
from django.core.management import call_command

from instroom.accounts.models import User
from instroom.support import selectors


@pytest.mark.django_db
def test_the_demo_region_has_three_time_out_places_one_taken() -> None:
    call_command("demo", "--no-serve")
    places = {
        p.name: (p.capacity, p.occupied)
        for p in selectors.timeout_places(actor=User.objects.get(username="coordinator"))
    }
    assert places == {
        "Crisisbed Leger des Heils Haarlem": (2, 0),
        "Time-outwoning RIBW Velsen": (1, 1),
        "Logeerplek netwerk (familie)": (1, 0),
    }
