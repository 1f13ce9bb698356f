"""The main menu, grouped by the journey: each persona sees at most seven top items, and every
page the menu offers opens for them (the policy's menu flags decide, never the template)."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from instroom.conftest import PERSONAS


class _Menu(HTMLParser):
    """The top items of the wide menu and every link of the narrow (full) menu."""

    def __init__(self) -> None:
        super().__init__()
        self.top: list[str] = []
        self.links: list[str] = []
        self.current: list[str] = []
        self._in: str | None = None
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag in ("nav", "details") and self._in is None:
            if "instroom-nav-wide" in classes and "instroom-subnav" not in classes:
                self._in, self._depth = "wide", 0
            elif "instroom-nav-narrow" in classes:
                self._in, self._depth = "narrow", 0
        if self._in and tag in ("nav", "details"):
            self._depth += 1
        if tag == "a" and self._in == "wide":
            self.top.append(a["href"] or "")
            if a.get("aria-current"):
                self.current.append(a["href"] or "")
        elif tag == "a" and self._in == "narrow":
            self.links.append(a["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if self._in and tag in ("nav", "details"):
            self._depth -= 1
            if self._depth == 0:
                self._in = None


def _menu(client, path: str = "/") -> _Menu:
    response = client.get(path)
    assert response.status_code == 200
    parser = _Menu()
    parser.feed(response.content.decode())
    return parser


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_sees_a_short_menu_of_pages_it_may_open(client, cast, persona) -> None:
    client.force_login(getattr(cast, persona))
    menu = _menu(client)
    assert 1 <= len(menu.top) <= 7, menu.top
    assert menu.links, "the narrow menu holds every page"
    for href in {*menu.top, *menu.links}:
        assert client.get(href, follow=True).status_code == 200, (persona, href)


@pytest.mark.django_db
def test_the_coordinator_finds_every_stage_and_the_menu_marks_where_they_are(client, cast):
    client.force_login(cast.coordinator)
    menu = _menu(client)
    for name in ("applications:check_queue", "matching:batch", "support:meetings"):
        assert reverse(name) in menu.links
    assert len(menu.links) > len(menu.top)  # sub-pages sit under their stage
    on_batch = _menu(client, reverse("matching:batch"))
    assert on_batch.current == [reverse("matching:list")]  # the group "Matching" is current


@pytest.mark.django_db
def test_a_role_without_a_stage_does_not_see_it(client, cast) -> None:
    client.force_login(cast.municipality_user)
    menu = _menu(client)
    assert reverse("applications:list") not in menu.links
    assert reverse("assessment:sessions") not in menu.links
    assert reverse("distribution:index") in menu.links


@pytest.mark.django_db
def test_the_language_switch_is_one_small_button_that_posts(client, cast) -> None:
    client.force_login(cast.care_worker_a)
    body = client.get("/").content.decode()
    footer = body[body.index("<footer") :]
    assert f'action="{reverse("set_language")}" method="post"' in footer
    assert "csrfmiddlewaretoken" in footer and "<select" not in footer
    assert 'name="language" value="en" lang="en"' in footer and "English" in footer
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    footer = response.content.decode().split("<footer", 1)[1]
    assert 'value="nl" lang="nl"' in footer and "Nederlands" in footer
    assert 'value="en"' not in footer
