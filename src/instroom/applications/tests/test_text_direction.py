"""User-entered text is shown isolated: a right-to-left override in a name cannot turn the case
number, date or state beside it around."""

import re

import pytest
from django.template import Context, Template
from django.urls import reverse

from instroom.applications.models import Client
from instroom.applications.tests.factories import make_application

RLO = "\u202e"
# Stored as it might have been before the input was checked (or imported): the page must isolate
# it whatever the validation lets through. A Hebrew name is the ordinary case of the same.
NAME = f"Zwaluw{RLO}staart"
HEBREW = "כהן"


def test_the_filter_escapes_and_isolates() -> None:
    html = Template("{{ v|bdi }}|{{ empty|bdi }}").render(Context({"v": "<b>x</b>", "empty": ""}))
    assert html == "<bdi>&lt;b&gt;x&lt;/b&gt;</bdi>|"


@pytest.mark.django_db
def test_a_name_with_a_right_to_left_override_is_isolated_on_list_and_page(client, cast) -> None:
    application = make_application(cast.care_worker_a, cast.care_a)
    Client.objects.filter(pk=application.client_id).update(last_name=NAME, first_name=HEBREW)
    client.force_login(cast.care_worker_a)
    pages = {
        "list": client.get(reverse("applications:list")).content.decode(),
        "client": client.get(
            reverse("applications:client", args=[application.client_id])
        ).content.decode(),
    }
    for where, page in pages.items():
        assert NAME in page, where
        # Every occurrence of the name in the body is inside a <bdi> (the <title> holds no markup).
        body = page.split("</head>", 1)[1]
        for text in (NAME, HEBREW):
            shown = body.count(text)
            isolated = len(re.findall(f"<bdi>{re.escape(text)}</bdi>", body))
            assert shown >= 1 and isolated == shown, (where, text, shown, isolated)
