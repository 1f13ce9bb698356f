from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from instroom.accounts.constants import Role
from instroom.applications.models import Application
from instroom.demo.data import DEMO_USERS, STATE_PLAN
from instroom.homes.models import Home
from instroom.matching.models import Match


@pytest.mark.django_db
def test_demo_prepares_region_users_and_clients_and_each_user_gets_a_home_page(
    client, capsys
) -> None:
    call_command("demo", "--no-serve")
    out = capsys.readouterr().out
    # One user per role at least (the platform operator holds none: a superuser).
    assert {spec.role for spec in DEMO_USERS if spec.role} == set(Role.values)
    for spec in DEMO_USERS:
        assert spec.username in out
        assert client.login(username=spec.username, password="demo-instroom")
        assert client.get("/").status_code == 200
    # The reference region's plan (Lindewaard's clients: demo/tests for lindewaard).
    applications = Application.objects.filter(client__region__slug="zk-ijmond")
    counts = {s: applications.filter(state=s).count() for s in STATE_PLAN}
    # Approved clients with a home offer running are "matching" (three of them in the demo
    # clusters: demo/clusters.py); one refused and is back.
    matching = applications.filter(state="matching").count()
    assert matching == 6
    # Five tenancies at several points of their two years: one signed, four living there.
    tenancies = {s: applications.filter(state=s).count() for s in ("contracted", "housed")}
    assert tenancies == {"contracted": 1, "housed": 4}
    assert counts == {**STATE_PLAN, "approved": STATE_PLAN["approved"] - matching - 5}
    from instroom.support.models import CaseTableItem, Meeting

    assert Meeting.objects.filter(state="held").exists()
    assert Meeting.objects.filter(state="due", due_on__lt=timezone.localdate()).exists()
    assert CaseTableItem.objects.filter(session__isnull=False).count() == 1
    assert Match.objects.filter(state="client_no").count() == 1
    assert Home.objects.filter(state="open").exists()
    _the_demo_clusters_show_a_fit_and_an_exclusion()
    # Tasks carry the moments of their cases, not one creation time for all.
    from instroom.accounts.models import Notification

    tasks = list(Notification.objects.all())
    assert tasks and all(t.created_at <= timezone.now() for t in tasks)
    assert len({timezone.localdate(t.created_at) for t in tasks}) >= 5
    for task in Notification.objects.filter(kind="application.check", done_at__isnull=True):
        application = Application.objects.get(pk=task.object_id)
        assert task.created_at - application.state_changed_at < timedelta(hours=1)
    assert all(t.created_at < t.done_at for t in tasks if t.done_at)
    # Running it again adds nothing.
    call_command("demo", "--no-serve")
    assert applications.count() == sum(STATE_PLAN.values())


@pytest.mark.django_db
def test_demo_bsns_are_fictional_test_numbers() -> None:
    call_command("demo", "--no-serve")
    assert all(bsn.startswith("9999") for bsn in Application.objects.values_list("bsn", flat=True))


def _the_demo_clusters_show_a_fit_and_an_exclusion() -> None:
    from instroom.homes.models import Cluster
    from instroom.matching import ranking

    hofje = Cluster.objects.get(name="Hofje Zuiderpark")
    assert hofje.places == 4 and hofje.homes.filter(state="let").count() == 2
    oost = Cluster.objects.get(name="Kamerwoning Oost")
    assert oost.homes.filter(state="let").count() == 1
    free = hofje.homes.filter(state="open").first()
    ranked = ranking.rank_home(free)
    assert any(fit.notes for fit in ranked.fits.values())
    codes = {
        r.code
        for i in ranked.evaluation.excluded_indices()
        for r in ranked.evaluation.reasons(int(i))
    }
    assert codes & {"cotenant_marked", "cotenant_age_gap", "cotenant_heavy"}
