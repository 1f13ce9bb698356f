"""A bounded link walk with Django's test client, for the crawl tests: breadth-first from "/"
over the internal <a href> links a signed-in user is shown. GET only; forms are never sent."""

import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.test import Client as HttpClient
from django.test import override_settings
from django.urls import Resolver404, resolve

from instroom.accounts.models import User

# Not followed: assets, signing out (a POST anyway), the language switch and the admin site
# (Django's own pages, tried by the access matrix).
SKIP_PREFIXES = ("/static/", "/media/", "/accounts/logout/", "/i18n/", "/admin/")
MAX_PAGES = 400  # per persona
PER_PATTERN = 20  # different URLs of one pattern: 50 client pages count as 20
# Downloads (PDF, spreadsheets, calendar): the same view for every object; two of each do.
DOWNLOADS = (".pdf", ".csv", ".xlsx", ".json", ".ics")
PER_DOWNLOAD = 2


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href is not None:
                self.hrefs.append(href)


def links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


@dataclass(frozen=True)
class Failure:
    persona: str
    url: str
    status: int
    linked_from: str
    note: str = ""

    def __str__(self) -> str:
        note = f" ({self.note})" if self.note else ""
        where = f"linked from {self.linked_from}"
        return f"{self.persona}: {self.url} answers {self.status}{note}; {where}"


@dataclass
class Walk:
    persona: str
    visited: dict[str, int] = field(default_factory=dict)  # URL -> status
    failures: list[Failure] = field(default_factory=list)
    templates: dict[str, str] = field(default_factory=dict)  # page template -> first URL
    pages: dict[str, str] = field(default_factory=dict)  # URL -> HTML, when kept


def pattern_of(url: str) -> str:
    """The URL's pattern and the names of its query parameters: what the bound counts."""
    parts = urlsplit(url)
    try:
        route = resolve(parts.path).route
    except Resolver404:
        route = parts.path
    keys = sorted({pair.split("=", 1)[0] for pair in parts.query.split("&") if pair})
    return f"{route}?{'&'.join(keys)}"


def internal(href: str, page: str) -> str | None:
    """Where an href leads on this site (path and query); "" for an empty href (a link to
    nowhere); None for a fragment, another scheme, another site or a skipped prefix."""
    if not href.strip():
        return ""
    if href.startswith(("#", "mailto:", "tel:", "javascript:")):
        return None
    parts = urlsplit(urljoin(f"http://testserver{page}", href))
    if parts.netloc != "testserver" or parts.scheme not in {"http", "https"}:
        return None
    if parts.path.startswith(SKIP_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _html(response: Any) -> str:
    if getattr(response, "streaming", False):
        return ""
    if not response.get("Content-Type", "").startswith("text/html"):
        return ""
    return str(response.content.decode())


def signed_in(user: User) -> HttpClient:
    """A browser session of the user in Dutch, who just confirmed their password (so the pages
    that ask for it again show what they guard)."""
    from instroom.accounts.two_factor import REAUTH_SESSION_KEY

    http = HttpClient(HTTP_ACCEPT_LANGUAGE="nl")
    http.force_login(user)
    session = http.session
    session[REAUTH_SESSION_KEY] = time.time()
    session.save()
    return http


def crawl(
    http: HttpClient,
    persona: str,
    start: Iterable[str] = ("/",),
    max_pages: int = MAX_PAGES,
    per_pattern: int = PER_PATTERN,
    keep_pages: bool = False,
) -> Walk:
    """Every link answers 200, or redirects to a page that does; failures are collected with
    the page that showed the link, so one run reports them all."""
    walk = Walk(persona)
    queue: deque[tuple[str, str]] = deque((url, "(start)") for url in start)
    seen: set[str] = {url for url, _ in queue}
    counted: dict[str, int] = {}
    while queue and len(walk.visited) < max_pages:
        url, source = queue.popleft()
        response = http.get(url)
        status = response.status_code
        walk.visited[url] = status
        if status in {301, 302, 303}:
            target = internal(response["Location"], url)
            if not target or target.startswith("/accounts/login/"):
                walk.failures.append(Failure(persona, url, status, source, f"to {target!r}"))
                continue
            response = http.get(target)
            if response.status_code != 200:
                note = f"to {target}, which answers {response.status_code}"
                walk.failures.append(Failure(persona, url, status, source, note))
                continue
            url = target
        elif status != 200:
            walk.failures.append(Failure(persona, url, status, source))
            continue
        html = _html(response)
        if not html:
            continue
        if keep_pages:
            walk.pages[url] = html
        names = [t.name for t in response.templates if t.name]
        if names:
            walk.templates.setdefault(names[0], url)
        for href in links(html):
            target = internal(href, url)
            if target == "":
                walk.failures.append(Failure(persona, repr(href), 0, url, "a link to nowhere"))
                continue
            if target is None or target in seen:
                continue
            key = pattern_of(target)
            limit = PER_DOWNLOAD if urlsplit(target).path.endswith(DOWNLOADS) else per_pattern
            if counted.get(key, 0) >= limit:
                continue
            counted[key] = counted.get(key, 0) + 1
            seen.add(target)
            queue.append((target, url))
    return walk


def build_demo(password: str) -> None:
    """The demo data set (`instroom demo`), with the tests' password."""
    from instroom.demo import data
    from instroom.demo.distribution import create_placements
    from instroom.demo.homes import create_homes_and_offers
    from instroom.demo.support import create_support_cases

    data.load_regions()
    with override_settings(
        MAILERS={"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
    ):
        data.create_users(password)
        data.create_clients()
        create_placements()
        create_homes_and_offers()
        create_support_cases()
