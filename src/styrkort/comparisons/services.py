"""Writes of comparison values and the KPI catalogue: all or nothing, with history.

``fetch`` asks Kolada for every KPI the organisations' indicators name, for riket, the
21 regions and the comparison groups' areas, over the last ``STYRKORT_KOLADA_YEARS``
years; ``import_file`` reads a saved v3 answer instead. Both read everything first and
store in one transaction only when all of it is good: a failure stores nothing and
keeps the previous values, and is logged as a failed ``ComparisonFetch``. A value that
changed is saved (its history keeps the earlier one); an unchanged one only gets its
``fetched_at`` moved.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from styrkort.writes import save, service

from .areas import NATIONAL, REGIONS
from .kolada import (
    KoladaClient,
    KoladaError,
    KoladaRow,
    check_area_id,
    check_kpi_id,
    merge_rows,
    parse_catalogue,
    parse_data,
    read_pages,
)
from .models import ComparisonFetch, ComparisonGroup, ComparisonValue, KoladaKpi

__all__ = [
    "FetchResult",
    "KoladaError",
    "fetch",
    "import_catalogue",
    "import_file",
    "queue_fetch",
    "store_rows",
    "update_comparison_settings",
]


@dataclass
class FetchResult:
    """What a fetch or import did: values read, values that changed, the KPIs and areas."""

    source: str
    values: int = 0
    changed: int = 0
    created: int = 0
    kpis: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    example: bool = False

    def to_json(self) -> dict:
        return {
            "source": self.source,
            "values": self.values,
            "changed": self.changed,
            "created": self.created,
            "kpis": self.kpis,
            "areas": self.areas,
            "years": self.years,
            "example": self.example,
        }


def _log(source: str, *, organisation=None, user=None, result=None, error: str = "") -> None:
    # Outside the failed transaction: the log of a failure survives it.
    ComparisonFetch.objects.create(
        started_at=timezone.now(),
        source=source[:300],
        organisation=organisation,
        user=user if getattr(user, "is_authenticated", False) else None,
        ok=not error,
        values=result.values if result else 0,
        changed=result.changed if result else 0,
        error=error,
    )


@service
def store_rows(
    rows: Iterable[KoladaRow],
    *,
    user=None,
    source: str = "kolada",
    example: bool = False,
    touch: bool = True,
) -> FetchResult:
    """Store the rows (checked for duplicates first) in one transaction: new values
    created, changed ones saved with history, unchanged ones only marked fetched now
    (unless ``touch`` is off: the demo's recorded answers, loaded the same every time)."""
    rows = merge_rows(rows)
    now = timezone.now()
    result = FetchResult(source=source, example=example)
    result.values = len(rows)
    result.kpis = sorted({r.kpi for r in rows})
    result.areas = sorted({r.area for r in rows})
    result.years = sorted({r.year for r in rows})
    existing = {
        (v.kpi, v.area, v.year, v.sex): v
        for v in ComparisonValue.objects.filter(
            source="kolada", kpi__in=result.kpis, area__in=result.areas, year__in=result.years
        )
    }
    unchanged: list[int] = []
    for row in rows:
        current = existing.get(row.key)
        if current is None:
            save(
                ComparisonValue(
                    source="kolada",
                    kpi=row.kpi,
                    area=row.area,
                    year=row.year,
                    sex=row.sex,
                    value=row.value,
                    count=row.count,
                    status=row.status,
                    example=example,
                    fetched_at=now,
                ),
                user,
            )
            result.created += 1
            result.changed += 1
        elif (current.value, current.count, current.status, current.example) != (
            row.value,
            row.count,
            row.status,
            example,
        ):
            current.value, current.count, current.status = row.value, row.count, row.status
            current.example, current.fetched_at = example, now
            save(current, user)
            result.changed += 1
        else:
            unchanged.append(current.pk)
    if touch:
        ComparisonValue.objects.filter(pk__in=unchanged).update(fetched_at=now)
    if result.changed:
        # Statuses of targets relative to others and the indicator pages may change.
        from styrkort.followup.versions import touch_everything

        touch_everything()
    return result


def _kpis_and_areas(organisation=None) -> tuple[list[str], list[str]]:
    from styrkort.organisation.models import Organisation
    from styrkort.planning.models import Indicator

    indicators = Indicator.objects.exclude(kolada_kpi="")
    groups = ComparisonGroup.objects.all()
    if organisation is not None:
        indicators = indicators.filter(organisation=organisation)
        groups = groups.filter(organisation=organisation)
    kpis = sorted({check_kpi_id(k) for k in indicators.values_list("kolada_kpi", flat=True)})
    areas = {NATIONAL, *REGIONS}
    orgs = Organisation.objects.exclude(kolada_area="")
    if organisation is not None:
        orgs = orgs.filter(pk=organisation.pk)
    areas.update(orgs.values_list("kolada_area", flat=True))
    for group in groups:
        areas.update(str(a) for a in group.areas or [])
    return kpis, sorted(areas)


def fetch(
    organisation=None, *, user=None, base_url: str | None = None, years: list[int] | None = None
) -> FetchResult:
    """Fetch the KPIs of ``organisation``'s indicators (every organisation's: None) from
    Kolada (``base_url``, default ``STYRKORT_KOLADA_URL``) and store them all or nothing.
    Raises ``KoladaError`` (Swedish message) with nothing stored."""
    base_url = (base_url or settings.STYRKORT_KOLADA_URL).rstrip("/")
    try:
        kpis, areas = _kpis_and_areas(organisation)
        if not kpis:
            raise KoladaError(
                "Inga indikatorer har något Kolada-nyckeltal (kolada_kpi): inget att hämta."
            )
        if years is None:
            this_year = timezone.localdate().year
            years = list(range(this_year - settings.STYRKORT_KOLADA_YEARS + 1, this_year + 1))
        client = KoladaClient(base_url, timeout=settings.STYRKORT_KOLADA_TIMEOUT)
        rows: list[KoladaRow] = []
        for kpi in kpis:
            got = client.data(kpi, areas, years)
            if not got:
                raise KoladaError(
                    f"Kolada har inga värden för nyckeltalet {kpi} åren {years[0]}–{years[-1]}: "
                    "okänt id eller inga publicerade värden. Inget har sparats."
                )
            rows.extend(got)
        result = store_rows(rows, user=user, source=base_url)
    except KoladaError as exc:
        _log(base_url, organisation=organisation, user=user, error=str(exc))
        raise
    _log(base_url, organisation=organisation, user=user, result=result)
    return result


def import_file(path: str | Path, *, user=None, example: bool = False) -> FetchResult:
    """Store the values of a saved v3 answer (one page, a list of pages or ``{"pages":
    [...]}``) all or nothing. ``example``: the values are example values (the demo's
    recorded answers), labelled so wherever they are shown."""
    path = Path(path)
    source = f"fil {path.name}"
    try:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise KoladaError(f"Filen {path} kunde inte läsas: {exc}.") from None
        rows: list[KoladaRow] = []
        for number, page in enumerate(read_pages(text), start=1):
            page_rows, _next = parse_data(page, page=number)
            rows.extend(page_rows)
        if not rows:
            raise KoladaError(f"Filen {path.name} innehåller inga Kolada-värden.")
        result = store_rows(rows, user=user, source=source, example=example)
    except KoladaError as exc:
        _log(source, user=user, error=str(exc))
        raise
    _log(source, user=user, result=result)
    return result


@service
def _store_catalogue(kpis: list[dict], *, user=None) -> int:
    now = timezone.now()
    ids = [k["id"] for k in kpis]
    existing = set(KoladaKpi.objects.filter(id__in=ids).values_list("id", flat=True))
    KoladaKpi.objects.bulk_create(
        [KoladaKpi(imported_at=now, **k) for k in kpis if k["id"] not in existing]
    )
    for k in kpis:
        if k["id"] in existing:
            KoladaKpi.objects.filter(id=k["id"]).update(imported_at=now, **k)
    return len(kpis)


def import_catalogue(path: str | Path, *, user=None) -> int:
    """Import Kolada's KPI catalogue from a saved ``/v3/kpi`` answer; the number of KPIs."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KoladaError(f"Filen {path} kunde inte läsas: {exc}.") from None
    kpis: dict[str, dict] = {}
    for number, page in enumerate(read_pages(text), start=1):
        items, _next = parse_catalogue(page, page=number)
        for item in items:
            kpis[item["id"]] = item
    if not kpis:
        raise KoladaError(f"Filen {path.name} innehåller inga nyckeltal.")
    with transaction.atomic():
        return _store_catalogue(list(kpis.values()), user=user)


@service
def update_comparison_settings(
    *, user, organisation, kolada_area: str, tolerance_pct: float | None
) -> None:
    """Set the organisation's Kolada area (``""``: none, no comparisons) and its
    tolerance for "I nivå med" (None: the partly band, ``tolerance_pct``), with history.
    Raises ``ValidationError`` naming the field: an unknown area (``kolada_area``), a
    tolerance outside 0-100 (``tolerance_pct``)."""
    kolada_area = (kolada_area or "").strip()
    if kolada_area:
        try:
            check_area_id(kolada_area)
        except KoladaError as exc:
            raise ValidationError({"kolada_area": str(exc)}) from exc
    if tolerance_pct is not None and not 0 <= tolerance_pct <= 100:
        raise ValidationError(
            {"tolerance_pct": "Toleransen för ”i nivå med” ska vara mellan 0 och 100 procent."}
        )
    organisation.kolada_area = kolada_area
    data = dict(organisation.settings or {})
    if tolerance_pct is None:
        data.pop("comparison_tolerance_pct", None)
    else:
        data["comparison_tolerance_pct"] = tolerance_pct
    organisation.settings = data
    save(organisation, user)
    from styrkort.followup.versions import touch_organisation

    touch_organisation(organisation.pk)


def queue_fetch(organisation, *, user) -> None:
    """Queue a fetch of ``organisation``'s KPIs for the worker (inline with
    ``STYRKORT_JOBS_INLINE``); it is listed with the schedule's runs on the jobs page."""
    from django_q.tasks import async_task

    from .tasks import SCHEDULE

    def send():
        async_task(
            "styrkort.comparisons.tasks.fetch_for",
            organisation.pk,
            getattr(user, "pk", None),
            group=SCHEDULE,
            sync=settings.STYRKORT_JOBS_INLINE,
        )

    transaction.on_commit(send)
