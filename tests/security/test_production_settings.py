"""Django's deploy checks pass with exactly the settings `serve --production` runs with:
a clean environment but for the variable directory and the production flag that
`styrkort serve --production` sets itself (styrkort.cli). The session limits are read
from the environment, and a wrong value stops the start with a message naming it."""

import os
import subprocess
import sys


def _clean_env(var_dir, **extra) -> dict:
    """No STYRKORT_ variable but the variable directory: nothing from the developer's or
    the CI's environment changes the settings."""
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
    if os.environ.get("PYTHONPATH"):
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    env["STYRKORT_VAR_DIR"] = str(var_dir)
    env.update(extra)
    return env


def _manage(*args, env):
    return subprocess.run(
        [sys.executable, "-m", "styrkort.cli", "manage", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_deploy_checks_pass_with_the_settings_of_serve_production(tmp_path):
    # What `styrkort serve --production` puts into its environment before the settings are
    # read (styrkort.cli), and nothing else.
    env = _clean_env(tmp_path, STYRKORT_PRODUCTION="true")
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout

    shown = _manage(
        "shell",
        "--verbosity=0",
        "-c",
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
        "s.STYRKORT_SESSION_IDLE_MINUTES, s.SESSION_COOKIE_AGE)",
        env=env,
    )
    assert shown.stdout.split() == ["True", "True", "True", "31536000", "480", "43200"]


def test_without_production_the_deploy_checks_warn(tmp_path):
    """The check is not vacuous: the development settings fail it."""
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_clean_env(tmp_path))
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stderr + result.stdout


def test_the_session_limits_come_from_the_environment(tmp_path):
    env = _clean_env(tmp_path, STYRKORT_SESSION_IDLE_MINUTES="30", STYRKORT_SESSION_MAX_HOURS="10")
    shown = _manage(
        "shell",
        "--verbosity=0",
        "-c",
        "from django.conf import settings as s; "
        "print(s.STYRKORT_SESSION_IDLE_MINUTES, s.SESSION_COOKIE_AGE)",
        env=env,
    )
    assert shown.stdout.split() == ["30", "36000"], shown.stderr

    refused = _manage("check", env=_clean_env(tmp_path, STYRKORT_SESSION_IDLE_MINUTES="0"))
    assert refused.returncode != 0
    assert "STYRKORT_SESSION_IDLE_MINUTES måste vara minst 1" in refused.stderr
