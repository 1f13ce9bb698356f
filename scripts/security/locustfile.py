"""Load test: demo users sign in through the login form and browse the pages of their role.

Run by scripts/security/load.sh (50 users against gunicorn with two workers on PostgreSQL with
the demo data set). Every user signs in once, as a person would, then keeps browsing; a page
that answers with anything but 200, or sends the user back to the login form, counts as an
error. Every request is written to LOAD_REQUESTS (name, start, milliseconds, failed), so that
load.sh can measure the browsing once every user is in, and the sign-ins apart.
"""

import itertools
import json
import os
import re
import time
from typing import Any

from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("INSTROOM_DEMO_PASSWORD", "demo-instroom")
PAGES = {
    "coordinator": [
        "/",
        "/clients/",
        "/clients/check/",
        "/sessions/",
        "/homes/",
        "/matching/",
        "/distribution/",
        "/audit/access-log/",
    ],
    "aanmelder": ["/", "/clients/", "/matching/"],
    "aanmelder-ldh": ["/", "/clients/"],
    "woonbegeleider": ["/", "/clients/"],
    "tafellid": ["/", "/sessions/"],
    "corporatie": ["/", "/homes/", "/matching/", "/distribution/"],
    "gemeente": ["/", "/distribution/"],
}
ROTATION = itertools.cycle(sorted(PAGES))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LOGIN = "/accounts/login/"
REQUESTS: list[tuple[str, float, float, bool]] = []


@events.request.add_listener
def _keep(name: str, response_time: float, exception: Any, **kwargs: Any) -> None:
    start = time.time() - response_time / 1000
    REQUESTS.append((name, start, response_time, exception is not None))


@events.quitting.add_listener
def _write(**kwargs: Any) -> None:
    if os.environ.get("LOAD_REQUESTS"):
        with open(os.environ["LOAD_REQUESTS"], "w") as file:
            json.dump(REQUESTS, file)


class DemoUser(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self) -> None:
        self.username = next(ROTATION)
        self.pages = itertools.cycle(PAGES[self.username])
        page = self.client.get(LOGIN, name="login page")
        token = CSRF.search(page.text)
        with self.client.post(
            LOGIN,
            data={
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": self.client.base_url + LOGIN},
            name="sign in",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or response.url.endswith(LOGIN):
                response.failure(f"{self.username} could not sign in")

    @task
    def browse(self) -> None:
        path = next(self.pages)
        with self.client.get(
            path, name=f"{path} ({self.username})", catch_response=True
        ) as response:
            if response.status_code != 200 or LOGIN in response.url:
                response.failure(f"{response.status_code} at {response.url}")
