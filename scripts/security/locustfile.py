"""Load test: signed-in demo users browse the pages of their role.

Run by scripts/security/load.sh (50 users for 60 s against gunicorn with two workers on
PostgreSQL with the demo data set). The sessions are made before the measurement (a password
check costs about a second of CPU by design, see load.sh); with LOAD_SESSIONS unset the users
sign in through the login form instead.
"""

import itertools
import json
import os
import re

from locust import HttpUser, between, task

PASSWORD = "demo-instroom"  # noqa: S105 - the public demo password
PAGES = {
    "coordinator": ["/", "/clients/", "/clients/check/", "/sessions/", "/homes/", "/matching/",
                    "/distribution/", "/audit/access-log/"],
    "aanmelder": ["/", "/clients/", "/matching/"],
    "aanmelder-ldh": ["/", "/clients/"],
    "woonbegeleider": ["/", "/clients/"],
    "tafellid": ["/", "/sessions/"],
    "corporatie": ["/", "/homes/", "/matching/", "/distribution/"],
    "gemeente": ["/", "/distribution/"],
}
ROTATION = itertools.cycle(sorted(PAGES))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class DemoUser(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self) -> None:
        self.username = next(ROTATION)
        self.pages = itertools.cycle(PAGES[self.username])
        sessions = os.environ.get("LOAD_SESSIONS")
        if sessions:
            with open(sessions) as file:
                cookie = json.load(file)[self.username]
            self.client.cookies.set("sessionid", cookie, domain="127.0.0.1")
            return
        page = self.client.get("/accounts/login/", name="login page")
        token = CSRF.search(page.text)
        self.client.post(
            "/accounts/login/",
            data={
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": self.client.base_url + "/accounts/login/"},
            name="sign in",
        )

    @task
    def browse(self) -> None:
        path = next(self.pages)
        self.client.get(path, name=f"{path} ({self.username})")
