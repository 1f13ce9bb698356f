"""The demo clients of Lindewaard: young adults at every stage of the service point's route."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from instroom.accounts.constants import Role
from instroom.accounts.models import User
from instroom.accounts.services import membership_grant
from instroom.applications.models import Application
from instroom.demo import lindewaard
from instroom.regions.models import Organisation


def _user(username: str, role: str, organisation: str) -> User:
    user = User.objects.create_user(username=username, password="x")
    membership_grant(
        actor=None,
        user=user,
        organisation=Organisation.objects.get(region__slug="lindewaard", slug=organisation),
        role=role,
    )
    return user


@pytest.mark.django_db
def test_lindewaard_demo_clients_follow_the_regions_rules(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    call_command("loaddata", "lindewaard", verbosity=0)
    assert lindewaard.create_clients() == 0  # the region's users are not there: nothing made
    _user(lindewaard.COORDINATOR, Role.COORDINATOR, "servicepunt")
    _user(lindewaard.APPLICANT, Role.APPLICANT_WORKER, "jeugdhuis-de-brug")
    assert lindewaard.create_clients() == len(lindewaard.PLAN)
    assert lindewaard.create_clients() == 0  # a rerun leaves them be

    applications = Application.objects.filter(client__region__slug="lindewaard")
    today = timezone.localdate()
    for a in applications.select_related("client"):
        born = a.client.date_of_birth
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        assert 18 <= age <= 27
        assert a.documents.filter(kind="support_plan").exists()
    states = sorted(applications.values_list("state", flat=True))
    assert states.count("approved") == 4 and "deferred" in states and "rejected" in states
    # The service point decided alone: no table, no agenda, the third form among the decisions.
    assert not applications.filter(table__isnull=False).exists()
    decided = applications.filter(state="approved")
    forms = {a.decisions.get().contract_form for a in decided}
    assert forms == {"youth_home", "three_party", "care_lease"}
    assert all(a.decisions.get().item is None for a in decided)
    assert all(a.decisions.get().rule_version is not None for a in decided)
