"""One page of every template, as the crawl finds them in the demo data set, in a phone-sized
Chromium (390 × 800): no page is wider than the screen, and axe-core (WCAG 2.1 A and AA) finds no
serious or critical violation.

The crawl (`tests/crawler.py`, few URLs per pattern: one page per template is enough) records the
template each page was rendered from; the first URL of each template, with the persona that
reached it, is opened in the browser."""

from typing import Any

import pytest

from instroom.accounts.models import User
from instroom.conftest import PASSWORD, browser_login
from instroom.demo.data import DEMO_USERS
from instroom.reporting.tests.test_browser_home import serious_violations
from instroom.tests.crawler import build_demo, crawl, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 800}
# What of the page's own content (<main>) is too wide: <main> is held to the screen's width
# for the measurement (a wide table would otherwise stretch it, and everything in it would seem
# to stick out), and the outermost elements that stick out of it are named, unless a scrolling
# container (a table container) holds them. None: only the frame (base.html, app.css) is.
STICKING_OUT = """() => {
  const main = document.querySelector('main');
  if (!main) return [];
  const before = main.getAttribute('style');
  main.style.maxInlineSize = window.innerWidth + 'px';
  main.style.minInlineSize = '0';
  main.style.boxSizing = 'border-box';
  const limit = main.getBoundingClientRect().right;
  const held = el => {
    for (let a = el.parentElement; a && a !== main; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    }
    return false;
  };
  const out = [...main.querySelectorAll('*')].filter(el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.right > limit + 0.5 && !held(el);
  });
  const named = out.filter(el => !out.includes(el.parentElement)).slice(0, 5).map(el =>
    el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (typeof el.className === 'string' && el.className ? '.' + el.className.split(' ')[0] : '') +
    ' (' + Math.round(el.getBoundingClientRect().right - limit) + ' px too wide)');
  if (before === null) main.removeAttribute('style'); else main.setAttribute('style', before);
  return named;
}"""


def _pages_per_template() -> dict[str, tuple[str, str]]:
    """Template name -> (persona, URL): the first page the crawl found rendered from it."""
    pages: dict[str, tuple[str, str]] = {}
    for spec in DEMO_USERS:
        http = signed_in(User.objects.get(username=spec.username))
        walk = crawl(http, spec.username, max_pages=150, per_pattern=2)
        for template, url in walk.templates.items():
            pages.setdefault(template, (spec.username, url))
    return pages


def test_one_page_of_every_template_fits_a_phone_and_passes_axe(browser, live_server) -> None:
    build_demo(PASSWORD)
    pages = _pages_per_template()
    assert len(pages) >= 30, sorted(pages)  # the crawl reaches the pages of every role
    browsers: dict[str, Any] = {}
    too_wide: list[str] = []
    frame_too_wide: list[str] = []
    violations: list[str] = []
    for template, (persona, url) in sorted(pages.items()):
        if persona not in browsers:
            user = User.objects.get(username=persona)
            # bypass_csp: axe-core is injected as a script tag.
            browsers[persona] = browser_login(
                browser, live_server, user, bypass_csp=True, viewport=PHONE
            )
        page = browsers[persona]
        page.goto(f"{live_server.url}{url}")
        where = f"{template} ({persona}, {url})"
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            sticking_out = page.evaluate(STICKING_OUT)
            if sticking_out:
                too_wide.append(f"{where}: {width} px wide; {', '.join(sticking_out)}")
            else:
                frame_too_wide.append(f"{where}: {width} px wide")
        for v in serious_violations(page):
            violations.append(f"{where}: {v['impact']} {v['id']} ({v['help']}) at {v['nodes']}")
    assert not violations, f"{len(violations)} serious violation(s):\n" + "\n".join(violations)
    assert not too_wide, "pages wider than 390 px:\n" + "\n".join(too_wide)
    assert not frame_too_wide, "the frame (base.html, app.css) is wider than 390 px:\n" + "\n".join(
        frame_too_wide
    )
