"""The English catalogue is complete, compiled and in step with the source.

The interface is written in Swedish; ``src/styrkort/locale/en`` (LOCALE_PATHS) holds the one
English catalogue for every app. These tests fail when a message is untranslated or fuzzy,
when a placeholder or HTML tag is lost in translation, when the committed ``.mo`` does not
hold what the ``.po`` says, and when the source has marked strings the catalogue lacks.
"""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import styrkort

PACKAGE_DIR = Path(styrkort.__file__).resolve().parent
CATALOGUE_DIR = PACKAGE_DIR / "locale" / "en" / "LC_MESSAGES"
PO = CATALOGUE_DIR / "django.po"
MO = CATALOGUE_DIR / "django.mo"

# %(name)s, %%, {name} and HTML tags must survive translation unchanged.
TOKEN = re.compile(r"%\(\w+\)[sd]|%%|\{\w*\}|</?[a-zA-Z][^>]*>")


def _catalogue(path=PO):
    with open(path, "rb") as fh:
        return read_po(fh, locale="en")


def _forms(value):
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _describe(message):
    ids = _forms(message.id)
    label = ids[0] if len(ids) == 1 else " / ".join(ids)
    return f"[{message.context}] {label}" if message.context else label


def _mo_messages(path):
    """Every translation in a compiled catalogue, header left out (it carries dates)."""
    with open(path, "rb") as fh:
        translations = gettext.GNUTranslations(fh)
    return {key: value for key, value in translations._catalog.items() if key != ""}


def test_the_catalogue_lives_where_settings_point(settings):
    assert [Path(p).resolve() for p in settings.LOCALE_PATHS] == [PACKAGE_DIR / "locale"]
    assert PO.is_file() and MO.is_file()
    stray = sorted(
        str(p.relative_to(PACKAGE_DIR))
        for p in PACKAGE_DIR.glob("*/locale/*/LC_MESSAGES/*.po")
        if p.resolve() != PO
    )
    assert stray == [], f"catalogues outside LOCALE_PATHS would split the translation: {stray}"


def test_every_message_is_translated_and_none_is_fuzzy():
    catalogue = _catalogue()
    messages = [m for m in catalogue if m.id]
    assert len(messages) > 500, "the catalogue looks truncated"
    fuzzy = [_describe(m) for m in messages if m.fuzzy]
    untranslated = [_describe(m) for m in messages if not all(_forms(m.string))]
    assert fuzzy == [], f"{len(fuzzy)} fuzzy messages: {fuzzy[:20]}"
    assert untranslated == [], f"{len(untranslated)} untranslated messages: {untranslated[:20]}"


def test_translations_keep_placeholders_and_markup():
    catalogue = _catalogue()
    assert catalogue.plural_forms == "nplurals=2; plural=(n != 1);"
    broken = []
    for message in catalogue:
        if not message.id:
            continue
        ids, strings = _forms(message.id), _forms(message.string)
        assert len(strings) == (2 if len(ids) == 2 else 1), _describe(message)
        for index, text in enumerate(strings):
            source = ids[min(index, len(ids) - 1)]
            if sorted(TOKEN.findall(text)) != sorted(TOKEN.findall(source)):
                broken.append(f"{source!r} -> {text!r}")
    assert broken == [], "placeholders or HTML differ:\n" + "\n".join(broken)


def test_gettext_accepts_the_catalogue():
    """msgfmt --check: header, plural forms and format strings as Django's compiler sees them."""
    if shutil.which("msgfmt") is None:
        pytest.skip("GNU gettext (msgfmt) is not installed")
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", os.devnull, str(PO)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "fuzzy" not in result.stderr and "untranslated" not in result.stderr, result.stderr


def test_the_committed_mo_is_compiled_from_the_po(tmp_path):
    """Compile the .po afresh (as compilemessages does) and compare the messages with the .mo."""
    fresh = tmp_path / "django.mo"
    if shutil.which("msgfmt"):
        subprocess.run(
            ["msgfmt", "--check-format", "-o", str(fresh), str(PO)], check=True, capture_output=True
        )
    else:
        with open(fresh, "wb") as fh:
            write_mo(fh, _catalogue())
    expected, committed = _mo_messages(fresh), _mo_messages(MO)
    missing = sorted(str(k) for k in expected.keys() - committed.keys())
    shared = expected.keys() & committed.keys()
    changed = sorted(str(k) for k in shared if expected[k] != committed[k])
    extra = sorted(str(k) for k in committed.keys() - expected.keys())
    assert (missing, changed, extra) == ([], [], []), (
        "django.mo is stale; run compilemessages "
        f"(missing {missing[:10]}, changed {changed[:10]}, extra {extra[:10]})"
    )


def test_the_catalogue_holds_every_marked_string_in_the_source(tmp_path):
    """makemessages on a copy of the package finds no string the catalogue lacks."""
    if not all(shutil.which(tool) for tool in ("xgettext", "msgmerge", "msguniq", "msgattrib")):
        pytest.skip("GNU gettext (xgettext, msgmerge) is not installed")
    copy = tmp_path / "styrkort"
    shutil.copytree(
        PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo")
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "styrkort.settings"}
    result = subprocess.run(
        [sys.executable, "-P", "-m", "django", "makemessages", "-l", "en", "--no-location"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    fresh = _catalogue(copy / PO.relative_to(PACKAGE_DIR))
    extracted = {(m.context, _forms(m.id)[0]) for m in fresh if m.id}
    committed = {(m.context, _forms(m.id)[0]) for m in _catalogue() if m.id}
    missing = sorted(f"[{c}] {i}" if c else i for c, i in extracted - committed)
    assert missing == [], (
        f"{len(missing)} marked strings are not in the catalogue; run makemessages "
        f"(see docs/web.md, Languages) and translate them: {missing[:20]}"
    )


# --- messages and labels made in Python follow the active language ----------------------


def test_chart_labels_follow_the_language_and_so_does_the_cached_svg():
    """Series, axis and legend titles are translated in the spec; the SVG cache is keyed
    by the spec, so a Swedish and an English chart of the same points never share one."""
    from django.utils import translation

    from styrkort.web.charts import ChartPoint, chart_spec

    points = [
        ChartPoint("DÅ04 2024", 0, "total", 51.0),
        ChartPoint("DÅ04 2024", 0, "women", 55.0),
        ChartPoint("DÅ04 2024", 0, "target", 70.0),
    ]

    def labels(language):
        with translation.override(language):
            spec = chart_spec(points, title="Andel", unit="%")
        encoding = spec["encoding"]
        assert [row["series"] for row in spec["data"]["values"]] == encoding["color"]["scale"][
            "domain"
        ]
        return (
            encoding["color"]["scale"]["domain"],
            encoding["y"]["title"],
            encoding["color"]["title"],
        )

    assert labels("sv") == (["Totalt", "Kvinnor", "Målvärde"], "Värde (%)", "Serie")
    assert labels("en") == (["Total", "Women", "Target"], "Value (%)", "Series")


@pytest.mark.django_db
def test_an_unexpected_job_failure_is_shown_in_the_readers_language():
    from django.utils import translation

    from styrkort.web.jobs import UNEXPECTED_MESSAGE, job_state
    from styrkort.web.models import JobStatus, ReportJob

    job = ReportJob(status=JobStatus.FAILED, progress=0, message=UNEXPECTED_MESSAGE)
    with translation.override("en"):
        english = job_state(job)["message"]
    with translation.override("sv"):
        swedish = job_state(job)["message"]
    assert english.startswith("An unexpected error occurred.")
    assert swedish == "Ett oväntat fel inträffade. Försök igen eller kontakta förvaltningen."


@pytest.mark.django_db
def test_economy_row_errors_are_in_the_active_language():
    from django.utils import translation

    from styrkort.economy.services import AmountRowsError, upsert_amounts

    row = {"line": "X", "unit": "INGEN", "year": 2024, "kind": "actual", "value": "1 757"}
    for language, expected in (
        ("en", "Row 1: unknown unit 'INGEN'."),
        ("sv", "Rad 1: okänd enhet 'INGEN'."),
    ):
        with translation.override(language), pytest.raises(AmountRowsError) as error:
            upsert_amounts([row], user=None)
        assert error.value.messages == [expected]
