"""Load the demo fixtures (docs/demo-fixtures.md): YAML files, one per seed table.

Every file names a `kind`; a handler registered for that kind turns the file into rows.
Loading is an idempotent upsert by natural keys inside one transaction: loading twice
gives the same database, and an object whose values did not change is not saved again
(so no new history rows). A fixture error raises :class:`FixtureError` naming the file,
the row and the value.

Other apps add kinds by registering handlers from their own `demo` module::

    from styrkort.demo.loader import register_kind
    register_kind("risks", load_risks)

`styrkort.risk.demo` and `styrkort.economy.demo` are imported (when they exist) before
loading so that their kinds are known.
"""

from __future__ import annotations

import importlib
import re
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from django.db import models, transaction

from styrkort.followup import versions

FIXTURE_DIR = Path(__file__).resolve().parent / "fixtures"

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Modules that may register more kinds (risk and economy).
EXTENSION_MODULES = (
    "styrkort.risk.demo",
    "styrkort.economy.demo",
    "styrkort.rounds.demo",
    "styrkort.comparisons.demo",
)

CODE_RE = re.compile(r"^[A-Za-z0-9_-]+$")

Handler = Callable[[dict, "LoadContext"], None]
KINDS: dict[str, Handler] = {}


class FixtureError(ValueError):
    """A fixture that cannot be loaded; the message names file, row and value (Swedish)."""


def register_kind(kind: str, handler: Handler) -> None:
    """Register (or replace) the handler for a fixture `kind`."""
    KINDS[kind] = handler


def kind(name: str) -> Callable[[Handler], Handler]:
    """Decorator form of :func:`register_kind`."""

    def decorate(handler: Handler) -> Handler:
        register_kind(name, handler)
        return handler

    return decorate


# --- the load context -------------------------------------------------------------------


@dataclass
class LoadStats:
    """What a load did: objects created and updated per model, files read."""

    created: Counter = field(default_factory=Counter)
    #: Objects looked up by code during this load: (model label, code) -> object.
    cache: dict = field(default_factory=dict, repr=False)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    files: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "files": list(self.files),
            "created": dict(sorted(self.created.items())),
            "updated": dict(sorted(self.updated.items())),
            "unchanged": dict(sorted(self.unchanged.items())),
        }


class LoadContext:
    """The file being loaded, where in it we are, and lookups by code that raise
    :class:`FixtureError` with that place in the message."""

    def __init__(self, path: Path, stats: LoadStats):
        self.path = path
        self.file = path.name
        self.stats = stats
        self.where: str | None = None
        self.doc: dict = {}

    # errors ---------------------------------------------------------------------------

    def error(self, message: str, value: Any = None) -> FixtureError:
        place = f"{self.file}"
        if self.where:
            place += f", {self.where}"
        if value is not None:
            message = f"{message}: '{value}'"
        return FixtureError(f"{place}: {message}")

    @contextmanager
    def at(self, where: str):
        """Name the row being loaded in any error raised inside the block."""
        outer = self.where
        self.where = f"{outer} / {where}" if outer else where
        try:
            yield
        finally:
            self.where = outer

    def require(self, data: dict, key: str) -> Any:
        if not isinstance(data, dict):
            raise self.error("förväntade en mappning", data)
        value = data.get(key)
        if value is None or value == "":
            raise self.error(f"fältet '{key}' saknas")
        return value

    def choice(self, value: Any, choices: Iterable[str], what: str) -> str:
        allowed = list(choices)
        if value not in allowed:
            raise self.error(f"ogiltigt värde för {what} (tillåtna: {', '.join(allowed)})", value)
        return value

    def code(self, value: Any, what: str = "kod") -> str:
        text = str(value)
        if not CODE_RE.match(text):
            raise self.error(f"ogiltig {what} (bara A-Z, a-z, 0-9, _ och -)", value)
        return text

    def number(self, value: Any, what: str) -> float | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(f"{what} måste vara ett tal", value)
        return float(value)

    def date(self, value: Any, what: str) -> date | None:
        if value in (None, ""):
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise self.error(f"ogiltigt datum för {what} (ÅÅÅÅ-MM-DD)", value) from None

    def period(self, value: Any):
        from styrkort.periods import PeriodError, parse_period

        if value in (None, ""):
            raise self.error("period saknas")
        try:
            return parse_period(str(value))
        except PeriodError as exc:
            raise self.error(f"ogiltig period ({exc})", value) from None

    # lookups --------------------------------------------------------------------------

    def _get(self, model, what: str, value: Any, *, cache: bool = True, **lookup):
        key = (model._meta.label, tuple(sorted(lookup.items())))
        obj = self.stats.cache.get(key) if cache else None
        if obj is None:
            try:
                obj = model.objects.get(**lookup)
            except model.DoesNotExist:
                raise self.error(f"okänd {what}", value) from None
            if cache:
                self.stats.cache[key] = obj
        return obj

    def organisation(self, code: Any):
        from styrkort.organisation.models import Organisation

        return self._get(Organisation, "organisation", code, code=str(code))

    def unit(self, code: Any):
        from styrkort.organisation.models import OrgUnit

        # Not cached: adding a unit can renumber the tree paths of its siblings.
        return self._get(OrgUnit, "enhet", code, cache=False, code=str(code))

    def site(self, code: Any):
        from styrkort.organisation.models import Site

        return self._get(Site, "plats", code, code=str(code))

    def indicator(self, code: Any):
        from styrkort.planning.models import Indicator

        return self._get(Indicator, "indikator", code, code=str(code))

    def plan(self, code: Any):
        from styrkort.planning.models import Plan

        return self._get(Plan, "plan", code, code=str(code))

    def goal(self, ref: Any):
        """A goal written `PLANCODE:GOALCODE`."""
        from styrkort.planning.models import Goal

        text = str(ref)
        if ":" not in text:
            raise self.error("målreferens ska skrivas PLAN:MÅLKOD", ref)
        plan_code, goal_code = text.split(":", 1)
        return self._get(Goal, "mål", ref, plan__code=plan_code, code=goal_code)

    # upsert -----------------------------------------------------------------------------

    def upsert(self, model, lookup: dict, values: dict, *, save: Callable | None = None):
        """Get the object by `lookup` (natural key) or make a new one, set `values` and
        save it only when it is new or a value changed. Returns the object."""
        obj = model.objects.filter(**lookup).first()
        created = obj is None
        if created:
            obj = model(**lookup)
        changed = created
        for name, value in values.items():
            if _differs(obj, name, value):
                setattr(obj, name, value)
                changed = True
        label = model._meta.label
        if changed:
            (save or obj.save)()
            self.forget(obj)
            (self.stats.created if created else self.stats.updated)[label] += 1
        else:
            self.stats.unchanged[label] += 1
        return obj

    def forget(self, obj) -> None:
        """Drop `obj` from the lookup cache (it was saved, a cached copy may be stale)."""
        cache = self.stats.cache
        for key in [k for k, v in cache.items() if type(v) is type(obj) and v.pk == obj.pk]:
            del cache[key]

    def set_m2m(self, obj, name: str, targets: Iterable) -> None:
        """Set a many-to-many field only if its members differ (no needless history)."""
        manager = getattr(obj, name)
        wanted = {t.pk for t in targets}
        if set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(list(wanted))


def _differs(obj, name: str, value: Any) -> bool:
    try:
        f = obj._meta.get_field(name)
    except Exception:  # a property such as a plain attribute
        return getattr(obj, name, object()) != value
    if isinstance(f, models.ForeignKey):
        current = getattr(obj, f.attname)
        new = value.pk if isinstance(value, models.Model) else value
        return current != new
    current = getattr(obj, name)
    if isinstance(f, models.FloatField) and current is not None and value is not None:
        return float(current) != float(value)
    return current != value


# --- loading ------------------------------------------------------------------------------


def load_extensions() -> None:
    """Import the modules that register risk and economy kinds, when they exist."""
    for name in EXTENSION_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise


def fixture_files(directory: Path | None = None) -> list[Path]:
    directory = Path(directory or FIXTURE_DIR)
    return sorted(p for p in directory.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))


def read_fixture(path: Path) -> dict:
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        raise FixtureError(f"{path.name}: ogiltig YAML ({exc})") from None
    if not isinstance(doc, dict):
        raise FixtureError(f"{path.name}: filen ska vara en YAML-mappning")
    for key in ("seed", "section", "kind"):
        if not doc.get(key):
            raise FixtureError(f"{path.name}: fältet '{key}' saknas i filhuvudet")
    return doc


def load_file(path: Path, stats: LoadStats | None = None) -> LoadStats:
    """Load one fixture file (inside the caller's transaction)."""
    stats = stats or LoadStats()
    doc = read_fixture(path)
    handler = KINDS.get(doc["kind"])
    if handler is None:
        raise FixtureError(
            f"{path.name}: okänd kind '{doc['kind']}' (kända: {', '.join(sorted(KINDS))})"
        )
    ctx = LoadContext(path, stats)
    ctx.doc = doc
    handler(doc, ctx)
    stats.files.append(path.name)
    return stats


def load_fixtures(paths: Iterable[Path | str] | None = None) -> LoadStats:
    """Load the given fixture files (default: every file in the fixture directory, in
    name order) in one transaction; nothing is written if any file fails."""
    from styrkort.demo import handlers  # noqa: F401  (registers the built-in kinds)

    load_extensions()
    paths = [Path(p) for p in paths] if paths is not None else fixture_files()
    stats = LoadStats()
    with versions.batch(), transaction.atomic():
        versions.touch_everything()  # one bump for the whole load, not one per row
        for path in sorted(paths, key=lambda p: p.name):
            load_file(path, stats)
    return stats
