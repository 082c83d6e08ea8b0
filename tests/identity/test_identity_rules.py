"""The pure rules of single sign-on: roles from claims, what a sign-in does to an
account, usernames, and personal identity numbers kept out."""

import pytest

from styrkort.identity import rules
from styrkort.identity.rules import Decision, Rule

RULES = [
    Rule("groups", "planerare-ls1", 2, "planner"),
    Rule("groups", "rapportor-ls2", 3, "reporter"),
    Rule("hsaCommissionPurpose", "Verksamhetschef", 2, "reader"),
    Rule("groups", "planerare-ls1", 2, "reader"),
]


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({"groups": ["planerare-ls1"]}, {(2, "planner"), (2, "reader")}),
        ({"groups": ["rapportor-ls2", "annat"]}, {(3, "reporter")}),
        ({"groups": ["Planerare-LS1"]}, set()),  # exact strings
        ({"hsaCommissionPurpose": ["Verksamhetschef"]}, {(2, "reader")}),
        ({"groups": []}, set()),
        ({}, set()),
    ],
)
def test_roles_from_claims(claims, expected):
    assert rules.roles_for(claims, RULES) == expected


@pytest.mark.parametrize(
    ("existing", "active", "roles", "disabled", "expected"),
    [
        (False, False, {(2, "planner")}, False, Decision.CREATE),
        (False, False, set(), False, Decision.REFUSE),
        (False, False, {(2, "planner")}, True, Decision.REFUSE),
        (True, True, {(2, "planner")}, False, Decision.UPDATE),
        (True, True, set(), False, Decision.DEACTIVATE),
        (True, True, {(2, "planner")}, True, Decision.DEACTIVATE),
        (True, False, {(2, "planner")}, False, Decision.INACTIVE),
    ],
)
def test_what_a_sign_in_does(existing, active, roles, disabled, expected):
    assert (
        rules.decide(existing=existing, active=active, roles=roles, disabled=disabled) == expected
    )


@pytest.mark.parametrize(
    "value",
    [
        "19121212-1212",
        "191212121212",
        "121212-1212",
        "1212121212",
        "121212+1212",
        "19701063-2391",
        " 198112189876 ",
    ],
)
def test_personal_identity_numbers_are_recognised(value):
    assert rules.is_personal_identity_number(value)


@pytest.mark.parametrize(
    "value", ["SE2321000016-1234", "anna@example.se", "12345", "19121312-1212", "123456789"]
)
def test_other_identifiers_are_not_personal_numbers(value):
    assert not rules.is_personal_identity_number(value)


def test_normalise_drops_personal_numbers_by_name_and_by_value():
    claims = {
        "sub": "abc",
        "personalIdentityNumber": "19121212-1212",
        "urn:oid:1.2.752.29.4.13": ["191212121212"],
        "employeeNumber": "191212121212",
        "groups": ["a", "121212-1212", "b"],
        "email_verified": True,
        "address": {"street": "x"},
    }
    assert rules.normalise(claims) == {
        "sub": ["abc"],
        "groups": ["a", "b"],
        "email_verified": ["true"],
    }


def test_a_personal_number_may_not_identify_people():
    assert rules.identifier_problem("personalIdentityNumber")
    assert rules.identifier_problem("urn:oid:1.2.752.29.4.13")
    assert rules.identifier_problem(" ")
    assert rules.identifier_problem("employeeHsaId") is None


def test_usernames_are_unique_and_tidy():
    assert rules.username_from("anna@example.se") == "anna@example.se"
    assert rules.username_from("anna@example.se", ["Anna@example.se"]) == "anna@example.se-2"
    assert rules.username_from("SE 2321/1234") == "SE-2321-1234"
    assert rules.username_from("///") == "sso"
    assert len(rules.username_from("x" * 400)) <= 150


def test_a_provider_can_say_an_account_is_closed():
    assert rules.says_disabled({"account_disabled": ["true"]})
    assert rules.says_disabled({"active": ["false"]})
    assert not rules.says_disabled({"active": ["true"]})


def test_personal_numbers_are_scrubbed_from_text():
    text = "fel: 19121212-1212 och 121212+1212, men inte 2024-01-01 eller 12345678901234"
    assert rules.scrub_text(text) == (
        "fel: [personnummer] och [personnummer], men inte 2024-01-01 eller 12345678901234"
    )


@pytest.mark.parametrize(
    ("claims", "holds"),
    [
        ({"sub": "anna-1", "email": "anna@example.se", "iat": 1764720000}, False),
        ({"sub": "a", "iat": 1801010000, "exp": 1801010600, "auth_time": 1801010000}, False),
        ({"sub": "x", "https://id.oidc.se/claim/personalIdentityNumber": "redacted"}, True),
        ({"sub": "x", "name": "19121212-1212"}, True),
        ({"sub": "x", "address": {"note": ["191212121212"]}}, True),
        ({"sub": "x", "groups": ["a", 1212121212]}, True),
        ({"sub": "x", "email_verified": True, "amr": None}, False),
    ],
)
def test_a_token_holding_a_personal_identity_number_is_recognised(claims, holds):
    assert rules.holds_personal_number(claims) is holds
