"""STYRKORT_EMAIL_URL: one URL gives Django's e-mail settings."""

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from styrkort.mail import email_settings

VAR = Path("/srv/styrkort")


def test_smtp_with_user_password_and_port():
    conf = email_settings("smtp://styrkort:hemligt%40123@smtp.nll.se:2525", var_dir=VAR)
    assert conf["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (conf["EMAIL_HOST"], conf["EMAIL_PORT"]) == ("smtp.nll.se", 2525)
    assert (conf["EMAIL_HOST_USER"], conf["EMAIL_HOST_PASSWORD"]) == ("styrkort", "hemligt@123")
    assert conf["EMAIL_USE_TLS"] is False and conf["EMAIL_USE_SSL"] is False
    assert conf["EMAIL_TIMEOUT"] == 30


@pytest.mark.parametrize(
    ("url", "port", "tls", "ssl"),
    [
        ("smtp+tls://u:p@smtp.nll.se", 587, True, False),
        ("smtp+tls://u:p@smtp.nll.se:2587", 2587, True, False),
        ("smtp+ssl://smtp.nll.se", 465, False, True),
        ("smtp://smtp.nll.se", 25, False, False),
    ],
)
def test_tls_and_ssl(url, port, tls, ssl):
    conf = email_settings(url, var_dir=VAR)
    assert (conf["EMAIL_PORT"], conf["EMAIL_USE_TLS"], conf["EMAIL_USE_SSL"]) == (port, tls, ssl)


def test_console_by_default_and_file_directories():
    assert email_settings("", var_dir=VAR)["EMAIL_BACKEND"].endswith("console.EmailBackend")
    assert email_settings("console://", var_dir=VAR)["EMAIL_BACKEND"].endswith(
        "console.EmailBackend"
    )
    conf = email_settings("file:///var/mail/styrkort", var_dir=VAR)
    assert conf["EMAIL_BACKEND"].endswith("filebased.EmailBackend")
    assert conf["EMAIL_FILE_PATH"] == "/var/mail/styrkort"
    assert email_settings("file://", var_dir=VAR)["EMAIL_FILE_PATH"] == "/srv/styrkort/mail"


def test_a_bad_url_names_the_scheme_and_hides_the_password():
    with pytest.raises(ImproperlyConfigured, match="okänt schema 'smtps-tls'"):
        email_settings("smtps-tls://u:hemligt@smtp.nll.se", var_dir=VAR)
    with pytest.raises(ImproperlyConfigured) as exc:
        email_settings("smtp://u:hemligt@smtp.nll.se:abc", var_dir=VAR)
    assert "hemligt" not in str(exc.value) and "u:***@" in str(exc.value)
