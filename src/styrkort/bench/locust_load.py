"""Locust users for `styrkort bench load` (run by locust, not imported by Django).

Three kinds of people, in the proportions of a reporting round, each with an account of
their own (created by `styrkort.bench.load`): readers look at scorecards, the start page
and the round's overview; reporters open their unit's reporting page and save outcomes;
planners order an interim report and wait for it. Every user signs in first. The work
comes from STYRKORT_LOAD_PLAN (a JSON file written by the benchmark):

    {"password": "...", "login": "/logga-in/", "readers": [...], "reporters": [...],
     "planners": [...], "scorecards": [paths], "pages": [paths],
     "reports": [{"path": ..., "data": {...}}],
     "outcomes": [{"page": path, "post": path, "fields": [names]}]}

Every answer other than the expected one (a 4xx or 5xx, a report job that fails or is
not done in time) is a locust failure; request names are the kinds of work, so the
statistics give a p95 per kind.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time

from locust import FastHttpUser, between, task

with open(os.environ["STYRKORT_LOAD_PLAN"], encoding="utf-8") as _plan_file:
    PLAN = json.load(_plan_file)
WAIT = float(os.environ.get("STYRKORT_LOAD_WAIT", "1"))
REPORT_TIMEOUT = float(os.environ.get("STYRKORT_LOAD_REPORT_TIMEOUT", "120"))
_accounts = {kind: itertools.cycle(PLAN[kind]) for kind in ("readers", "reporters", "planners")}
#: the job page's answer once the report is built (its download link) or failed
_DONE = re.compile(rb'(ladda-ner/)|(class="error-text" role="alert")')


def _swedish_number() -> str:
    """A value as a person types it: 123,4."""
    return f"{random.randint(10, 990)},{random.randint(0, 9)}"


class _Person(FastHttpUser):
    abstract = True
    kind = "readers"
    wait_time = between(WAIT * 0.5, WAIT * 1.5)

    def on_start(self):
        self.username = next(_accounts[self.kind])
        with self.client.get(PLAN["login"], name="login form", catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")
        with self.client.post(
            PLAN["login"],
            data={
                "username": self.username,
                "password": PLAN["password"],
                "csrfmiddlewaretoken": self._csrf(),
            },
            headers=self._referer(PLAN["login"]),
            name="sign in",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if r.status_code != 302:
                r.failure(f"inloggningen misslyckades (HTTP {r.status_code})")

    def _csrf(self) -> str:
        return next((c.value for c in self.client.cookiejar if c.name == "csrftoken"), "")

    def _referer(self, path: str) -> dict:
        return {"Referer": self.host.rstrip("/") + path}

    def _get(self, path: str, name: str):
        with self.client.get(path, name=name, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")

    @task(5)
    def scorecard(self):
        self._get(random.choice(PLAN["scorecards"]), "scorecard")

    @task(2)
    def page(self):
        self._get(random.choice(PLAN["pages"]), "pages")


class Reader(_Person):
    weight = 6
    kind = "readers"


class Reporter(_Person):
    weight = 3
    kind = "reporters"

    @task(6)
    def report(self):
        work = random.choice(PLAN["outcomes"])
        self._get(work["page"], "reporting page")
        data = {name: _swedish_number() for name in work["fields"]}
        data["csrfmiddlewaretoken"] = self._csrf()
        with self.client.post(
            work["post"],
            data=data,
            headers=self._referer(work["page"]),
            name="save outcome",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if r.status_code != 302:  # saved: back to the reporting page
                r.failure(f"inte sparat (HTTP {r.status_code})")


class Planner(_Person):
    weight = 1
    kind = "planners"

    @task(1)
    def order_report(self):
        order = random.choice(PLAN["reports"])
        self._get(order["path"], "report form")
        data = dict(order["data"], csrfmiddlewaretoken=self._csrf())
        with self.client.post(
            order["path"],
            data=data,
            headers=self._referer(order["path"]),
            name="order report",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if r.status_code not in (302, 303):
                r.failure(f"HTTP {r.status_code}")
                return
            job_path = r.headers.get("Location", "")
        started = time.monotonic()
        while time.monotonic() - started < REPORT_TIMEOUT:
            with self.client.get(job_path, name="report status", catch_response=True) as r:
                if r.status_code != 200:
                    r.failure(f"HTTP {r.status_code}")
                    return
                found = _DONE.search(r.content or b"")
                if found:
                    if found.group(2):
                        r.failure("rapporten misslyckades")
                    return
            time.sleep(1.0)
        self.environment.events.request.fire(
            request_type="JOB",
            name="report finished",
            response_time=(time.monotonic() - started) * 1000,
            response_length=0,
            exception=TimeoutError(f"rapporten blev inte klar inom {REPORT_TIMEOUT:.0f} s"),
            context={},
        )
