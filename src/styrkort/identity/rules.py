"""The pure rules of single sign-on: which roles what a provider says gives, what is done
with a person at sign-in, and how personal identity numbers are kept out.

No ORM here: the service (``identity.services``) reads the rows, asks these functions,
and writes what they decide.

A person's claims (OIDC) or attributes (SAML) arrive as a mapping from a name to a
value or a list of values; both protocols are reduced to ``{name: [str, ...]}`` by
``normalise`` before anything else looks at them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

#: Attribute and claim names that carry a Swedish personal identity number (personnummer)
#: or a coordination number (samordningsnummer): dropped on arrival, never an identifier.
PERSONAL_NUMBER_NAMES = frozenset(
    name.casefold()
    for name in (
        "personalIdentityNumber",
        "urn:oid:1.2.752.29.4.13",  # personalIdentityNumber (Sweden Connect, Inera, Freja)
        "urn:oid:1.2.752.201.3.16",  # Freja eID's registered personal number
        "personnummer",
        "personNummer",
        "samordningsnummer",
        "socialSecurityNumber",
        "ssn",
        "nationalIdentityNumber",
        "https://id.oidc.se/claim/personalIdentityNumber",  # the Swedish OIDC profile
        "https://id.oidc.se/claim/coordinationNumber",
    )
)

# 12 or 10 digits, the last four after an optional '-' or '+' (100 years or more).
_PERSONAL_NUMBER = re.compile(r"^\s*(\d{2})?(\d{2})(\d{2})(\d{2})[-+]?(\d{4})\s*$")


def is_personal_identity_number(value: str) -> bool:
    """Whether `value` looks like a personnummer or samordningsnummer: 12 or 10 digits,
    with or without '-' or '+' before the last four, and a plausible month and day (a
    coordination number adds 60 to the day). The check digit is not required: a wrong
    one is still someone's number mistyped, and is kept out all the same."""
    match = _PERSONAL_NUMBER.match(str(value))
    if not match:
        return False
    month, day = int(match.group(3)), int(match.group(4))
    if day > 60:
        day -= 60
    return 1 <= month <= 12 and 1 <= day <= 31


_NUMBER_IN_TEXT = re.compile(r"(?<!\d)(?:\d{2})?\d{6}[-+]?\d{4}(?!\d)")


def scrub_text(text: str) -> str:
    """`text` with every personal identity number in it replaced (for the sign-in log's
    reason, which may quote a provider's error)."""
    return _NUMBER_IN_TEXT.sub(
        lambda m: "[personnummer]" if is_personal_identity_number(m.group(0)) else m.group(0),
        text,
    )


def is_personal_number_name(name: str) -> bool:
    return name.strip().casefold() in PERSONAL_NUMBER_NAMES


def normalise(claims: Mapping[str, object]) -> dict[str, list[str]]:
    """`claims` as ``{name: [text, ...]}`` without any personal identity number: the
    attributes that carry one are dropped, and so is any value that looks like one,
    whatever its attribute is called. Nested objects are ignored."""
    result: dict[str, list[str]] = {}
    for name, raw in claims.items():
        if is_personal_number_name(name):
            continue
        values = raw if isinstance(raw, list | tuple | set | frozenset) else [raw]
        kept = []
        for value in values:
            if value is None or isinstance(value, dict | list):
                continue
            text = str(value).strip() if not isinstance(value, bool) else str(value).lower()
            if text and not is_personal_identity_number(text):
                kept.append(text)
        if kept:
            result[str(name)] = kept
    return result


#: A token's times in seconds since 1970: ten digits that can read as a plausible birth
#: date (1801010000 is January 2027), never a personal identity number.
TIME_CLAIMS = frozenset({"exp", "iat", "nbf", "auth_time", "updated_at"})


def holds_personal_number(claims: object) -> bool:
    """Whether `claims` (a token's claims, nested objects and lists included) carry a
    personal identity number anywhere: under a personal-number name, or as a value that
    looks like one (then the raw token may not be kept, not even in the session)."""
    if isinstance(claims, Mapping):
        return any(
            is_personal_number_name(str(name))
            or (name not in TIME_CLAIMS and holds_personal_number(value))
            for name, value in claims.items()
        )
    if isinstance(claims, list | tuple | set | frozenset):
        return any(holds_personal_number(value) for value in claims)
    if isinstance(claims, bool) or claims is None:
        return False
    return is_personal_identity_number(str(claims))


def first(claims: Mapping[str, list[str]], name: str) -> str:
    """The first value of claim `name`, or ''."""
    values = claims.get(name) or []
    return values[0] if values else ""


@dataclass(frozen=True)
class Rule:
    """A role rule as the rules see it: the claim, the value, the unit's id and the role."""

    claim: str
    value: str
    unit_id: int
    role: str


def roles_for(claims: Mapping[str, list[str]], rules: Iterable[Rule]) -> set[tuple[int, str]]:
    """The (unit id, role) pairs the rules give a person with these claims: a rule applies
    when its claim holds its value among its values. Names and values are compared
    exactly, after trimming spaces (HSA-ids and group ids are exact strings)."""
    granted = set()
    for rule in rules:
        values = claims.get(rule.claim.strip()) or []
        if rule.value.strip() in values:
            granted.add((rule.unit_id, rule.role))
    return granted


class Decision(StrEnum):
    CREATE = "create"  # a new account, with the roles
    UPDATE = "update"  # an existing account, its provider roles replaced
    REFUSE = "refuse"  # nothing created: the claims give no role
    DEACTIVATE = "deactivate"  # an existing account the provider no longer vouches for
    INACTIVE = "inactive"  # an account deactivated earlier: refused, left as it is


def decide(*, existing: bool, active: bool, roles: set, disabled: bool = False) -> Decision:
    """What is done at a sign-in.

    A person the provider no longer vouches for, because it says the account is disabled
    or because its claims give no role any more, has their account deactivated and is
    refused. An account that is already inactive (deactivated that way, or by an
    administrator) is refused and stays inactive: only an administrator brings it back.
    A person never seen before whose claims give no role is refused and nothing is
    created."""
    if existing:
        if not active:
            return Decision.INACTIVE
        if disabled or not roles:
            return Decision.DEACTIVATE
        return Decision.UPDATE
    if disabled or not roles:
        return Decision.REFUSE
    return Decision.CREATE


#: Claims or attributes by which a provider may say that an account is closed.
DISABLED_CLAIMS = {"account_disabled": {"true", "1", "yes"}, "active": {"false", "0", "no"}}


def says_disabled(claims: Mapping[str, list[str]]) -> bool:
    """Whether the provider says the account is closed (``active: false`` or
    ``account_disabled: true``)."""
    for name, values in DISABLED_CLAIMS.items():
        if any(v.casefold() in values for v in claims.get(name, [])):
            return True
    return False


_USERNAME_CHARS = re.compile(r"[^\w.@+-]+")


def username_from(identifier: str, taken: Iterable[str] = ()) -> str:
    """A username for a new account from the provider's identifier: its allowed
    characters (letters, digits, ``@ . + - _``), at most 150, made unique among `taken`
    with a number (``anna@example.se``, ``anna@example.se-2``)."""
    base = _USERNAME_CHARS.sub("-", identifier.strip()).strip("-")[:140] or "sso"
    taken = {t.casefold() for t in taken}
    name, number = base, 1
    while name.casefold() in taken:
        number += 1
        name = f"{base}-{number}"
    return name


def identifier_problem(identifier_claim: str) -> str | None:
    """Why `identifier_claim` may not identify people (a personal identity number), in
    Swedish, or None."""
    if not identifier_claim.strip():
        return "Ange vilket attribut som identifierar personen."
    if is_personal_number_name(identifier_claim):
        return (
            "Personnummer får inte användas för att identifiera personer i Styrkort: välj "
            "ett annat attribut, t.ex. employeeHsaId, e-post eller sub."
        )
    return None
