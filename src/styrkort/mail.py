"""E-mail settings from one URL, `STYRKORT_EMAIL_URL` (read by settings.py; no Django
setup needed here).

    smtp://user:password@host:port      plain SMTP (port 25 when left out)
    smtp+tls://user:password@host:587   SMTP with STARTTLS
    smtp+ssl://user:password@host:465   SMTP over TLS from the first byte
    console://                          messages printed to the log (standard output)
    file:///var/lib/styrkort/mail       one file per message in that directory
    memory://                           kept in memory (tests)

User name and password are URL-quoted (``%40`` for ``@``). Query arguments as
dj-email-url reads them: ``?timeout=10``. Without a URL: console (the messages are
written to the log).
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import dj_email_url
from django.core.exceptions import ImproperlyConfigured

SCHEMES = ("smtp", "smtp+tls", "smtp+ssl", "submission", "console", "file", "memory", "dummy")
_DEFAULT_PORTS = {"smtp+tls": 587, "smtp+ssl": 465}


def email_settings(url: str | None, *, var_dir: Path) -> dict:
    """Django's EMAIL_* settings for `url` (console when empty). Raises
    ImproperlyConfigured with the scheme named when the URL cannot be used."""
    url = (url or "").strip()
    if not url:
        url = "console://"
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise ImproperlyConfigured(
            f"STYRKORT_EMAIL_URL: okänt schema '{parts.scheme}' i '{_masked(url)}'; "
            f"använd något av {', '.join(s + '://' for s in SCHEMES)}"
        )
    if scheme in _DEFAULT_PORTS:
        # dj-email-url knows smtp with ?tls=1 or ?ssl=1; smtp+tls is the same thing.
        flag = "tls" if scheme == "smtp+tls" else "ssl"
        query = "&".join(q for q in (parts.query, f"{flag}=1") if q)
        netloc = parts.netloc
        if parts.port is None:
            netloc = f"{netloc}:{_DEFAULT_PORTS[scheme]}"
        url = urllib.parse.urlunsplit(("smtp", netloc, parts.path, query, ""))
    try:
        conf = dj_email_url.parse(url)
    except ValueError as exc:  # a port that is not a number
        raise ImproperlyConfigured(f"STYRKORT_EMAIL_URL: {exc} i '{_masked(url)}'") from exc
    if scheme == "file":
        # file:///abs/dir (dj-email-url drops the leading slash); file://dir is relative.
        raw = urllib.parse.unquote(parts.netloc + parts.path)
        conf["EMAIL_FILE_PATH"] = str(Path(raw) if raw else Path(var_dir) / "mail")
    conf["EMAIL_HOST_USER"] = conf.get("EMAIL_HOST_USER") or ""
    conf["EMAIL_HOST_PASSWORD"] = conf.get("EMAIL_HOST_PASSWORD") or ""
    conf["EMAIL_HOST"] = conf.get("EMAIL_HOST") or "localhost"
    conf["EMAIL_PORT"] = conf.get("EMAIL_PORT") or 25
    # A mail server that does not answer must not hold the worker for ever.
    conf["EMAIL_TIMEOUT"] = conf.get("EMAIL_TIMEOUT") or 30
    return conf


def _masked(url: str) -> str:
    """The URL without its password (it ends up in an error message)."""
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


def is_console(backend: str) -> bool:
    return backend.endswith("console.EmailBackend")
