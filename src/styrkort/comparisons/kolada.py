"""Kolada's API v3: reading its answers (pure) and fetching them (HTTP).

``GET {base}/data/kpi/{kpi}/municipality/{ids}/year/{years}`` answers
``{"count", "next_url", "previous_url", "values": [{"kpi", "municipality", "period",
"values": [{"gender": "T"|"K"|"M", "value", "count", "status"}]}]}``; the next page is
at ``next_url`` (some servers say ``next_page``). At most 25 ids and 25 years per
request, about five requests a second. ``/v3/kpi`` answers the catalogue the same way,
with ``values: [{"id", "title", "description", ...}]``. Every failure is a
:class:`KoladaError` with a Swedish message; nothing here writes to the database.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from styrkort.io.numbers import format_number

from .areas import area_name, is_known

MAX_IDS = 25
MAX_YEARS = 25
MAX_PAGES = 1000
KPI_ID = re.compile(r"^[NU][0-9]{5}$")
AREA_ID = re.compile(r"^[0-9]{4}$")
SEX_OF_GENDER = {"T": "total", "K": "women", "M": "men"}
SEX_WORDS = {"total": "totalt", "women": "kvinnor", "men": "män"}


class KoladaError(Exception):
    """A fetch or a file that cannot be used; the message is Swedish and says why."""


@dataclass(frozen=True)
class KoladaRow:
    """One value of a v3 answer: ``sex`` is total/women/men, ``status`` Kolada's own
    value status ("" when normal)."""

    kpi: str
    area: str
    year: int
    sex: str
    value: float | None
    count: int | None
    status: str

    @property
    def key(self) -> tuple[str, str, int, str]:
        return (self.kpi, self.area, self.year, self.sex)


# --- reading answers (pure) -------------------------------------------------------------


def _where(page: int | None) -> str:
    return f" (sida {page})" if page else ""


def check_kpi_id(kpi: str) -> str:
    kpi = str(kpi).strip().upper()
    if not KPI_ID.match(kpi):
        raise KoladaError(
            f"Okänt nyckeltals-id '{kpi}': ett Kolada-id är N eller U och fem siffror, "
            "t.ex. N79221."
        )
    return kpi


def check_area_id(area: str) -> str:
    area = str(area).strip()
    if not AREA_ID.match(area) or not is_known(area):
        raise KoladaError(
            f"Okänt område '{area}': använd riket 0000 eller en region, 00 och länskoden, "
            "t.ex. 0025 för Region Norrbotten."
        )
    return area


def _number(raw: Any, what: str, page: int | None) -> float | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise KoladaError(
            f"Kolada-svaret har ett {what} som inte är ett tal: {raw!r}{_where(page)}."
        )
    return float(raw)


def parse_data(payload: Any, *, page: int | None = None) -> tuple[list[KoladaRow], str | None]:
    """The rows of one v3 data answer and the address of the next page (None: last)."""
    if not isinstance(payload, dict) or not isinstance(payload.get("values"), list):
        raise KoladaError(
            f"Kolada-svaret är inte i v3-formatet (ett objekt med 'values'){_where(page)}."
        )
    rows: list[KoladaRow] = []
    for i, entry in enumerate(payload["values"], start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("values"), list):
            raise KoladaError(f"Kolada-svarets värde {i} saknar 'values'{_where(page)}.")
        kpi = check_kpi_id(entry.get("kpi", ""))
        area = check_area_id(entry.get("municipality", ""))
        try:
            year = int(str(entry.get("period", "")).strip())
        except ValueError:
            raise KoladaError(
                f"Kolada-svarets värde {i} har ett ogiltigt år: {entry.get('period')!r}"
                f"{_where(page)}."
            ) from None
        if not 1900 <= year <= 2100:
            raise KoladaError(
                f"Kolada-svarets värde {i} har ett ogiltigt år: {year}{_where(page)}."
            )
        for cell in entry["values"]:
            gender = cell.get("gender") if isinstance(cell, dict) else None
            if gender not in SEX_OF_GENDER:
                raise KoladaError(
                    f"Kolada-svarets värde {i} har ett okänt kön: {gender!r} (T, K eller M)"
                    f"{_where(page)}."
                )
            value = _number(cell.get("value"), "värde", page)
            count = _number(cell.get("count"), "antal", page)
            status = cell.get("status") or ""
            if not isinstance(status, str):
                status = str(status)
            rows.append(
                KoladaRow(
                    kpi,
                    area,
                    year,
                    SEX_OF_GENDER[gender],
                    value,
                    None if count is None else int(count),
                    status.strip()[:32],
                )
            )
    next_url = payload.get("next_url") or payload.get("next_page") or None
    if next_url is not None and not isinstance(next_url, str):
        raise KoladaError(f"Kolada-svarets adress till nästa sida är ogiltig{_where(page)}.")
    return rows, next_url


def _fmt(value: float | None) -> str:
    return "inget värde" if value is None else format_number(value)


def merge_rows(rows: Iterable[KoladaRow]) -> list[KoladaRow]:
    """The rows once each; the same key twice with different values or statuses is an
    error that names them (Kolada is never guessed between)."""
    seen: dict[tuple, KoladaRow] = {}
    for row in rows:
        other = seen.get(row.key)
        if other is None:
            seen[row.key] = row
        elif (other.value, other.status) != (row.value, row.status):
            raise KoladaError(
                f"Dubbla rader med olika värden: {row.kpi}, {area_name(row.area)} ({row.area}), "
                f"{row.year}, {SEX_WORDS[row.sex]}: {_fmt(other.value)} och {_fmt(row.value)}. "
                "Inget har sparats."
            )
    return list(seen.values())


def read_pages(text: str) -> list[Any]:
    """A saved answer: one v3 page, a list of pages, or ``{"pages": [...]}``."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise KoladaError(
            f"Filen är inte giltig JSON (trasig eller avkortad): rad {exc.lineno}, "
            f"kolumn {exc.colno}."
        ) from None
    if isinstance(data, dict) and isinstance(data.get("pages"), list):
        return data["pages"]
    return data if isinstance(data, list) else [data]


def parse_catalogue(payload: Any, *, page: int | None = None) -> tuple[list[dict], str | None]:
    """The KPIs of one ``/v3/kpi`` answer and the next page's address."""
    if not isinstance(payload, dict) or not isinstance(payload.get("values"), list):
        raise KoladaError(
            f"Katalogen är inte ett Kolada v3-svar (ett objekt med 'values'){_where(page)}."
        )
    out = []
    for i, entry in enumerate(payload["values"], start=1):
        if not isinstance(entry, dict) or not entry.get("id") or not entry.get("title"):
            raise KoladaError(f"Katalogens nyckeltal {i} saknar id eller titel{_where(page)}.")
        out.append(
            {
                "id": check_kpi_id(entry["id"]),
                "title": str(entry["title"])[:500],
                "description": str(entry.get("description") or ""),
                "municipality_type": str(entry.get("municipality_type") or "")[:4],
                "divided_by_gender": bool(entry.get("is_divided_by_gender")),
                "operating_area": str(entry.get("operating_area") or "")[:300],
            }
        )
    return out, payload.get("next_url") or payload.get("next_page") or None


# --- fetching (HTTP) --------------------------------------------------------------------


def _chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class KoladaClient:
    """Fetches v3 answers page by page; ``min_interval`` seconds between requests keeps
    to Kolada's about five a second. A next page is only followed on the same host."""

    def __init__(self, base_url: str, *, timeout: float = 20.0, min_interval: float = 0.2):
        import requests

        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.min_interval = min_interval
        self.session = requests.Session()
        self.session.headers["Accept"] = "application/json"
        self._last = 0.0

    def _get(self, url: str, page: int) -> Any:
        import requests

        wait = self._last + self.min_interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last = time.monotonic()
        try:
            response = self.session.get(url, timeout=self.timeout, allow_redirects=False)
        except requests.Timeout:
            raise KoladaError(
                f"Kolada svarade inte inom {self.timeout:g} sekunder ({url}). "
                "Inget har sparats; tidigare värden finns kvar."
            ) from None
        except requests.RequestException as exc:
            raise KoladaError(
                f"Kolada kunde inte nås ({self.base_url}): {type(exc).__name__}. "
                "Inget har sparats; tidigare värden finns kvar."
            ) from None
        if response.status_code != 200:
            raise KoladaError(self._status_message(response.status_code, url, page))
        try:
            return json.loads(response.content.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise KoladaError(
                f"Kolada svarade inte med giltig JSON (trasigt eller avkortat svar), sida {page} "
                f"({url}). Inget har sparats; tidigare värden finns kvar."
            ) from None

    def _status_message(self, status: int, url: str, page: int) -> str:
        keep = " Inget har sparats; tidigare värden finns kvar."
        if status == 410:
            return (
                f"Kolada svarar 410 (borttagen) för {url}: den adressen finns inte längre "
                "(API v2 är avvecklat; STYRKORT_KOLADA_URL ska peka på v3)." + keep
            )
        if status == 404 and page > 1:
            return f"Sida {page} saknas i Kolada-svaret (404 för {url})." + keep
        if status == 404:
            return f"Kolada svarar 404 (finns inte) för {url}: okänt nyckeltal eller område?" + keep
        if 300 <= status < 400:
            return f"Kolada svarar med en omdirigering ({status}) för {url}." + keep
        return f"Kolada svarade med fel {status} för {url}." + keep

    def _pages(self, url: str, parse) -> Iterator[Any]:
        base = urlsplit(self.base_url)
        page = 1
        while url:
            if page > MAX_PAGES:
                raise KoladaError(f"Kolada-svaret har fler än {MAX_PAGES} sidor ({url}).")
            items, next_url = parse(self._get(url, page), page=page)
            yield from items
            if next_url:
                target = urlsplit(urljoin(url, next_url))
                if (target.scheme, target.netloc) != (base.scheme, base.netloc):
                    raise KoladaError(
                        f"Kolada-svarets nästa sida pekar på en annan server ({target.netloc})."
                    )
                next_url = target.geturl()
            url, page = next_url, page + 1

    def data(self, kpi: str, areas: list[str], years: list[int]) -> list[KoladaRow]:
        """Every value of ``kpi`` for the areas and years (any number; requested 25 by 25)."""
        kpi = check_kpi_id(kpi)
        areas = [check_area_id(a) for a in areas]
        rows: list[KoladaRow] = []
        for area_chunk in _chunks(sorted(set(areas)), MAX_IDS):
            for year_chunk in _chunks(sorted(set(years)), MAX_YEARS):
                url = (
                    f"{self.base_url}/data/kpi/{kpi}/municipality/{','.join(area_chunk)}"
                    f"/year/{','.join(str(y) for y in year_chunk)}"
                )
                rows.extend(self._pages(url, parse_data))
        for row in rows:
            if row.kpi != kpi:
                raise KoladaError(f"Kolada svarade med nyckeltalet {row.kpi} när {kpi} begärdes.")
        return rows

    def catalogue(self) -> list[dict]:
        return list(self._pages(f"{self.base_url}/kpi", parse_catalogue))
