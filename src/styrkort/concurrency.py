"""No lost update: the version a person read, and the one rule comparing it with the
version stored now.

Every edit form and every API answer for one object carries the object's version; a
save or delete sends it back as its expected version, and the service (inside its
transaction, with the row locked) refuses it when the row has changed since. The
version is derived from the row, so no column and no migration is needed:

* a row with `updated_at` (outcomes, analyses, assessments, activity reports, risks,
  controls, ledger lines …): that time to the microsecond, `t20220430T101502.123456Z`;
  every save sets it (`auto_now`, and the bulk writers set it too);
* any other row: a hash of its representation (what the API answers for it),
  `h` + 32 hex digits, as drf-extensions' ETags are made.

An expected version of None means "no check" (imports, the command line, the demo
loader); an empty string means "I saw no object here" (an empty form field), so that an
object someone else has created meanwhile is a conflict too.

Pure: no ORM import. `saved_by_and_at` reads the object's own attributes (which may load
its user or its latest history row).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

__all__ = [
    "ANY",
    "StaleVersionError",
    "check_version",
    "etag",
    "fingerprint",
    "is_stale",
    "parse_if_match",
    "saved_by_and_at",
    "version_of",
    "when_text",
    "who_text",
]

#: `If-Match: *`: any stored version will do (a deliberate overwrite).
ANY = "*"

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _timestamp_version(moment: dt.datetime) -> str:
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, dt.UTC)
    return "t" + moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S.%fZ")


def _json_default(value):
    if isinstance(value, Decimal | dt.date | dt.datetime | dt.time):
        return str(value)
    return str(value)


def fingerprint(representation) -> str:
    """A stable hash of a representation (dicts, lists, numbers, text, dates): the same
    content gives the same version whatever the order of its keys."""
    text = json.dumps(
        representation,
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=_json_default,
    )
    return "h" + hashlib.sha256(text.encode()).hexdigest()[:32]


def version_of(obj, representation=None) -> str:
    """The version of a stored object: its `updated_at` to the microsecond where it has
    one, else a hash of `representation` (what the API shows of it) or, without one, of
    its concrete field values."""
    if obj is None:
        return ""
    moment = getattr(obj, "updated_at", None)
    if isinstance(moment, dt.datetime):
        return _timestamp_version(moment)
    if representation is None:
        representation = {
            f.attname: f.value_to_string(obj) for f in type(obj)._meta.concrete_fields
        }
    return fingerprint(representation)


def is_stale(current: str, expected: str | Iterable[str] | None) -> bool:
    """The rule: whether a save based on `expected` (one version, several as in an
    If-Match list, `*`, or None for no check) would overwrite something its author has
    not seen. `current` is the stored version, "" when there is no object."""
    if expected is None:
        return False
    candidates = [expected] if isinstance(expected, str) else list(expected)
    if ANY in candidates:
        return current == ""
    return current not in candidates


def saved_by_and_at(obj) -> tuple[object | None, dt.datetime | None]:
    """Who saved `obj` last and when: its `updated_by`/`updated_at`, else its latest
    history row (simple-history)."""
    if obj is None:
        return None, None
    if isinstance(getattr(obj, "updated_at", None), dt.datetime):
        return getattr(obj, "updated_by", None), obj.updated_at
    history = getattr(obj, "history", None)
    if history is not None:
        latest = history.order_by("-history_date", "-history_id").first()
        if latest is not None:
            return latest.history_user, latest.history_date
    return None, None


def who_text(user) -> str:
    """A person as the conflict message names them: full name, else user name."""
    if user is None:
        return _("en import eller ett systemjobb")
    return user.get_full_name() or user.get_username()


def when_text(moment: dt.datetime | None, *, now: dt.datetime | None = None) -> str:
    """`kl. 10:42` today, `den 2022-04-30 kl. 10:42` another day (local time)."""
    if moment is None:
        return ""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    today = timezone.localdate(now) if now is not None else timezone.localdate()
    clock = local.strftime("%H:%M")
    if local.date() == today:
        return _("kl. %(time)s") % {"time": clock}
    return _("den %(date)s kl. %(time)s") % {"date": local.date().isoformat(), "time": clock}


class StaleVersionError(ValidationError):
    """A save or delete based on a version that is no longer the stored one: nothing was
    written. Carries what the other person left: `value` (as text), `saved_by` (a user
    or None), `saved_at`, `version` (the stored version, "" when the object is gone) and
    `what` (the object, named in Swedish); `detail` is the message."""

    def __init__(
        self,
        *,
        what: str,
        value: str,
        saved_by,
        saved_at: dt.datetime | None,
        version: str,
        expected,
    ):
        self.what, self.value = what, value
        self.saved_by, self.saved_at = saved_by, saved_at
        self.version, self.expected = version, expected
        params = {
            "what": what,
            "who": who_text(saved_by),
            "when": when_text(saved_at),
            "value": value,
        }
        if not version:
            detail = _("%(what)s har tagits bort sedan du läste det.") % params
        elif saved_at is None:
            detail = _("%(what)s har ändrats sedan du läste det.") % params
        else:
            detail = (
                _("%(what)s har ändrats sedan du läste det: sparat av %(who)s %(when)s.") % params
            )
        if version and value:
            detail += " " + _("Nu: %(value)s.") % params
        self.detail = detail[:1].upper() + detail[1:]
        super().__init__({"version": [self.detail]}, code="stale")


def check_version(
    obj,
    expected,
    *,
    what: str,
    value: Callable[[object], str] | str = "",
    representation=None,
    version: str | None = None,
) -> None:
    """Raise StaleVersionError when `expected` (see `is_stale`) is not `obj`'s version
    now. Call it inside the writing transaction with `obj` read `select_for_update()`,
    so that of two saves based on the same version only the first wins. `obj` is None
    when there is no such object (any more); `value` names its current value;
    `version` is its version when the caller has it already (else `version_of(obj,
    representation)`)."""
    current = version if version is not None else version_of(obj, representation)
    if not is_stale(current, expected):
        return
    saved_by, saved_at = saved_by_and_at(obj)
    shown = value(obj) if callable(value) and obj is not None else value
    raise StaleVersionError(
        what=what,
        value=str(shown or ""),
        saved_by=saved_by,
        saved_at=saved_at,
        version=current,
        expected=expected,
    )


def etag(version: str) -> str:
    """An HTTP entity tag for a version (strong, quoted)."""
    return f'"{version}"'


def parse_if_match(header: str | None) -> list[str] | None:
    """The versions an If-Match header accepts (`["*"]` for `*`), None without one.
    Weak tags (`W/"…"`) never match (RFC 9110 compares If-Match strongly): they are
    dropped, and a header of weak tags only accepts nothing."""
    if header is None or not header.strip():
        return None
    if header.strip() == ANY:
        return [ANY]
    versions = []
    for part in header.split(","):
        tag = part.strip()
        if not tag or tag.startswith("W/"):
            continue
        versions.append(tag.strip('"'))
    return versions
