"""Locust users for `styrkort bench scorecard` (run by locust, not imported by Django).

Every simulated user logs in once with the demo reader account, waits until all users
have logged in, then requests one page repeatedly for the measured window. The page and
the window come from environment variables set by `styrkort.bench.scorecard`:

STYRKORT_BENCH_PATH      the path to request, with its query string
STYRKORT_BENCH_NAME      the name of that request in locust's statistics
STYRKORT_BENCH_EXPECT    text the page must contain (optional)
STYRKORT_BENCH_LOGIN     the login path
STYRKORT_BENCH_USERNAME, STYRKORT_BENCH_PASSWORD   the account
STYRKORT_BENCH_USERS     how many users log in before the window opens
STYRKORT_BENCH_WINDOW    the measured window in seconds
STYRKORT_BENCH_WAIT      think time between a user's requests in seconds (default 0)

Logins are reported as their own requests ("login form", "login") so that the expensive
password check never mixes with the measured page. When the window closes the users stop
sending, locust's CSV writer takes one more snapshot, and locust quits.
"""

from __future__ import annotations

import os

import gevent
from gevent.event import Event
from locust import FastHttpUser, constant, events, task

PATH = os.environ.get("STYRKORT_BENCH_PATH", "/halsa/")
NAME = os.environ.get("STYRKORT_BENCH_NAME", "target")
EXPECT = os.environ.get("STYRKORT_BENCH_EXPECT", "").encode()
LOGIN = os.environ.get("STYRKORT_BENCH_LOGIN", "/logga-in/")
USERNAME = os.environ.get("STYRKORT_BENCH_USERNAME", "")
PASSWORD = os.environ.get("STYRKORT_BENCH_PASSWORD", "")
USERS = int(os.environ.get("STYRKORT_BENCH_USERS", "1"))
WINDOW = float(os.environ.get("STYRKORT_BENCH_WINDOW", "10"))
WAIT = float(os.environ.get("STYRKORT_BENCH_WAIT", "0"))
LOGIN_ALLOWANCE = 120.0  # seconds for all users to log in before the window opens anyway
CSV_SNAPSHOT_DELAY = 2.5  # locust writes its CSV files once a second

window_open = Event()
window_closed = Event()
_logged_in = 0


def _open_window(environment) -> None:
    if window_open.is_set():
        return
    window_open.set()

    def close():
        window_closed.set()
        gevent.sleep(CSV_SNAPSHOT_DELAY)
        if environment.runner is not None:
            environment.runner.quit()

    gevent.spawn_later(WINDOW, close)


@events.test_start.add_listener
def _watchdog(environment, **_kwargs):
    """Open the window even if some login never returns."""

    def later():
        _open_window(environment)

    gevent.spawn_later(LOGIN_ALLOWANCE, later)


class BenchUser(FastHttpUser):
    """locust's gevent HTTP client (geventhttpclient): the load generator shares the
    machine's cores with the server, and this client costs a fraction of the CPU per
    request of the requests-based one, so more of the machine is left to what is
    measured. It never reads proxy settings from the environment."""

    wait_time = constant(WAIT)

    def on_start(self):
        global _logged_in
        try:
            self._log_in()
        finally:
            _logged_in += 1
            if _logged_in >= USERS:
                _open_window(self.environment)
        window_open.wait()

    def _log_in(self):
        with self.client.get(
            LOGIN, name="login form", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return
        token = next((c.value for c in self.client.cookiejar if c.name == "csrftoken"), "")
        with self.client.post(
            LOGIN,
            data={"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": self.host.rstrip("/") + LOGIN},
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"inloggningen misslyckades (HTTP {response.status_code})")

    @task
    def page(self):
        if window_closed.is_set():
            gevent.sleep(0.2)
            return
        with self.client.get(
            PATH, name=NAME, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif EXPECT and EXPECT not in response.content:
                response.failure("sidan saknar väntat innehåll")
