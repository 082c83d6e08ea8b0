"""The demo loader and `styrkort demo`: idempotent, all-or-nothing, clear fixture errors,
open to more kinds, and the demo users.

The whole demo is loaded once per module through the command (as `styrkort demo` runs it)
inside a transaction that is rolled back afterwards.
"""

import io
import json
import textwrap

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from styrkort.accounts.models import RoleAssignment, User
from styrkort.demo.loader import KINDS, FixtureError, load_fixtures, register_kind
from styrkort.demo.users import DEMO_USERS
from styrkort.followup.models import Outcome
from styrkort.organisation.models import OrgUnit
from styrkort.planning.models import Indicator


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The whole demo loaded by `styrkort demo --json`; yields the command's JSON."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("demo", "--json", stdout=out)
        yield json.loads(out.getvalue())
        transaction.set_rollback(True)


def snapshot() -> dict:
    """Every row of every model (history tables included), by model."""
    tables = set(connection.introspection.table_names())
    return {
        model._meta.label: list(model.objects.order_by("pk").values_list())
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and model._meta.db_table in tables
    }


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


# --- idempotent ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_loading_twice_gives_the_same_database(demo):
    assert demo["created"]["planning.Indicator"] > 0
    before = snapshot()
    out = io.StringIO()
    call_command("demo", "--json", stdout=out)
    again = json.loads(out.getvalue())
    assert again["created"] == {}
    assert again["updated"] == {}
    after = snapshot()
    # Same counts of every model, history tables included, and the same values row by row.
    assert {k: len(v) for k, v in after.items()} == {k: len(v) for k, v in before.items()}
    assert after == before
    assert len(before["followup.HistoricalOutcome"]) == len(before["followup.Outcome"])


@pytest.mark.django_db
def test_a_changed_value_is_updated_with_one_history_row(demo, tmp_path):
    outcome = Outcome.objects.get(
        indicator__code="NLL-LAKARBESOK", unit__code="NLL-LS1", period="2022-DÅ04", sex="total"
    )
    history = outcome.history.count()
    path = write(
        tmp_path,
        "099-change.yaml",
        """
        seed: "001"
        section: test
        kind: outcomes
        rows:
          - {indicator: NLL-LAKARBESOK, unit: NLL-LS1, period: 2022-T1, sex: total, value: 31181}
        """,
    )
    stats = load_fixtures([path])
    assert stats.updated == {"followup.Outcome": 1}
    outcome.refresh_from_db()
    assert outcome.value == 31181
    assert outcome.period == "2022-DÅ04"  # 2022-T1 is the same months, stored canonically
    assert outcome.history.count() == history + 1
    load_fixtures([path])
    assert outcome.history.count() == history + 1


# --- errors: file, row and value named; nothing half-imported ------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            "{indicator: NLL-FINNS-INTE, unit: NLL-LS1, period: 2022-DÅ04, value: 1}",
            "okänd indikator: 'NLL-FINNS-INTE'",
        ),
        (
            "{indicator: NLL-LAKARBESOK, unit: NLL-XX, period: 2022-DÅ04, value: 1}",
            "okänd enhet: 'NLL-XX'",
        ),
        ("{indicator: NLL-LAKARBESOK, unit: NLL-LS1, period: 2022-T7, value: 1}", "'2022-T7'"),
        (
            "{indicator: NLL-LAKARBESOK, unit: NLL-LS1, period: 2022, value: '31 180'}",
            "value måste vara ett tal: '31 180'",
        ),
        (
            "{indicator: NLL-LM-BERATTELSE, unit: NLL-LS1, period: 2022, numerator: 900,"
            " denominator: 819}",
            "täljaren är större än nämnaren: '900.0/819.0'",
        ),
        (
            "{indicator: NLL-LAKARBESOK, unit: NLL-LS1, period: 2022, sex: both, value: 1}",
            "'both'",
        ),
    ],
)
def test_a_fixture_error_names_file_row_and_value(demo, tmp_path, row, expected):
    count = Outcome.objects.count()
    path = write(
        tmp_path,
        "098-bad.yaml",
        f"""
        seed: "001"
        section: test
        kind: outcomes
        rows:
          - {{indicator: NLL-LAKARBESOK, unit: NLL-LS1, period: 2030, value: 1}}
          - {row}
        """,
    )
    with pytest.raises(FixtureError) as exc:
        load_fixtures([path])
    message = str(exc.value)
    assert message.startswith("098-bad.yaml, rad 2")
    assert expected in message
    # The first row was valid, but nothing of the file is kept.
    assert Outcome.objects.count() == count
    assert not Outcome.objects.filter(period="2030").exists()


@pytest.mark.django_db
def test_the_command_exits_2_with_the_fixture_error(demo, tmp_path):
    path = write(
        tmp_path,
        "097-bad.yaml",
        """
        seed: "001"
        section: test
        kind: plannen
        """,
    )
    with pytest.raises(CommandError) as exc:
        call_command("demo", str(path), "--no-users")
    assert exc.value.returncode == 2
    assert "097-bad.yaml: okänd kind 'plannen'" in str(exc.value)


@pytest.mark.django_db
def test_more_kinds_can_be_registered(demo, tmp_path):
    seen = []

    def load_notes(doc, ctx):
        for i, row in enumerate(doc["rows"], start=1):
            with ctx.at(f"rad {i}"):
                seen.append(ctx.unit(row["unit"]).name)

    register_kind("notes_for_test", load_notes)
    try:
        path = write(
            tmp_path,
            "096-notes.yaml",
            """
            seed: "001"
            section: test
            kind: notes_for_test
            rows: [{unit: NLL-LS1-IM-SUN}, {unit: NLL-LS1-IM-PIT}]
            """,
        )
        load_fixtures([path])
        assert seen == ["Medicinkliniken Sunderby sjukhus", "Medicinkliniken Piteå sjukhus"]
    finally:
        KINDS.pop("notes_for_test")


def test_the_built_in_kinds_are_registered():
    import styrkort.demo.handlers  # noqa: F401

    assert {
        "organisation",
        "plan_model",
        "indicators",
        "plan",
        "outcomes",
        "assessments",
        "analyses",
        "activities",
        "activity_summary",
    } <= set(KINDS)


# --- a ratio outcome is scale x numerator / denominator ----------------------------------------


@pytest.mark.django_db
def test_ratio_value_from_numerator_and_denominator(demo):
    women = Outcome.objects.get(
        indicator__code="NLL-LM-BERATTELSE", unit__code="NLL-LS1", period="2022-DÅ04", sex="women"
    )
    assert (women.numerator, women.denominator) == (644, 819)
    assert women.value == pytest.approx(100 * 644 / 819)
    assert women.source == "demo"
    assert women.data_source.startswith("Delårsrapport 2022-04, Division Länssjukvård 1")
    assert Indicator.objects.get(code="NLL-LM-BERATTELSE").ratio_scale == 100


# --- demo users -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_users_and_roles(demo):
    assert demo["users"] == ["admin", "planerare", "rapportor", "lasare", "nll-admin", "revisor"]
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("styrkort-demo")
    roots = set(OrgUnit.objects.get_root_nodes().values_list("code", flat=True))
    assert {"NLL"} <= roots
    assert (
        set(
            RoleAssignment.objects.filter(user=admin, role="admin").values_list(
                "unit__code", flat=True
            )
        )
        == roots
    )
    expected = {
        "planerare": ("planner", "NLL-LS1"),
        "rapportor": ("reporter", "NLL-LS1-IM"),
        "lasare": ("reader", "NLL"),
        "nll-admin": ("admin", "NLL"),
        "revisor": ("auditor", "NLL"),
    }
    for username, (role, unit) in expected.items():
        user = User.objects.get(username=username)
        assert not user.is_superuser
        assert user.check_password("styrkort-demo")
        assert list(user.roles.values_list("role", "unit__code")) == [(role, unit)]
    assert OrgUnit.objects.get(code="NLL-LS1-IM").name == "VO Internmedicin"


def test_demo_users_are_roles_not_people_from_the_seeds():
    people = ["Jonas", "Thörnqvist", "Nina", "Winter"]  # seed 001's title page
    for user in DEMO_USERS:
        assert set(user) == {"username", "password", "description", "role", "unit"}
        text = f"{user['username']} {user['description']}"
        assert not any(name.lower() in text.lower() for name in people)
    assert [u["role"] for u in DEMO_USERS] == [
        "admin",
        "planner",
        "reporter",
        "reader",
        "admin",
        "auditor",
    ]
