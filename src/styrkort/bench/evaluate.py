"""`styrkort bench evaluate`: evaluate a whole synthetic region for one reporting point.

Generation (bulk inserts, COPY on PostgreSQL; not timed, reused while the data is
there): a region of four levels (full: 1 + 8 + 64 + 896 = 969 units; small: 1 + 2 + 6 +
42 = 51), 200 indicators (small: 20) mixing counts summed over months, ratios (sum of
numerators / sum of denominators), stocks read at period end and averages of the
months; each leaf unit reports about 30 of them (small: 10) every month for five years
(small: two) for women and men: about 3,2 million outcome rows at full size. A few
leaf units closed during the previous year. One plan at the top places every indicator
under 20 goals with targets (numbers, per sex, "Öka").

Timed (``wall_s``): ``evaluate_tree(root, DÅ04 of the last year)`` (loading, every
unit's own values from the months, every unit's roll-ups for this year and the year
before, reconciliation) and ``trends()`` (every unit x indicator x sex against the year
before). Timed beside it (``scorecards_s``): every unit's whole ``UnitEvaluation``
(statuses, trends, goals, activities) for the indicators with data at the unit.
Reported: wall time (best of three and the first run), peak memory (growth of the
process's resident set while evaluating, sampled),
the number of SQL queries for the whole tree and for one division (they must be equal),
and the ratio against a floor measured in the same run: one hand-written PostgreSQL
query computing the same per-unit roll-ups (every ancestor x indicator x sex x year)
over the same table. On SQLite the floor is skipped with a clear line.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import psutil
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from styrkort.commands import BadInput

VERSION = 2  # raise when the generated data changes shape: old data is then replaced
TARGETS = {"wall_s": 2.0, "ratio": 3.0, "memory_mb": 1024.0}


@dataclass(frozen=True)
class Size:
    divisions: int
    areas_per_division: int
    leaves_per_area: int
    indicators: int
    per_leaf: int
    years: tuple[int, ...]

    @property
    def period(self) -> str:
        return f"{self.years[-1]}-DÅ04"


SIZES = {
    "small": Size(2, 3, 7, 20, 10, (2025, 2026)),
    "full": Size(8, 8, 14, 200, 30, (2022, 2023, 2024, 2025, 2026)),
}
KINDS = (  # (share of indicators, unit, aggregation, measure type, direction)
    (0.40, "st", "sum", "flow", "higher"),
    (0.30, "%", "ratio", "flow", "higher"),
    (0.15, "st", "sum", "stock", "lower"),
    (0.15, "dagar", "mean", "average", "lower"),
)


def _echo_default(line: str) -> None:
    print(line, file=sys.stderr)


def bench_evaluate(size: str = "small", *, echo: Callable[[str], None] | None = None) -> dict:
    """Generate (or reuse) the synthetic region, run the timed evaluation and the floor,
    and return the figures (JSON-serialisable). ``echo`` gets the human-readable lines
    (default: standard error)."""
    from styrkort.followup.queries import evaluate_tree
    from styrkort.organisation.models import OrgUnit

    echo = echo or _echo_default
    if size not in SIZES:
        raise BadInput(f"Okänd storlek: '{size}' (använd small eller full).")
    spec = SIZES[size]
    started = time.perf_counter()
    root, generated = ensure_region(size, echo=echo)
    generation_s = time.perf_counter() - started
    rows = _outcome_count(root)
    echo(
        f"Syntetisk region '{root.name}': {_unit_count(root)} enheter, {spec.indicators} "
        f"indikatorer, {rows} utfallsrader ({'genererad' if generated else 'återanvänd'} "
        f"på {generation_s:.1f} s, ej tidtaget)."
    )
    division = OrgUnit.objects.get_children(root).order_by("path").first()

    def run_tree(unit):
        """The timed work: load, every unit's roll-ups for this year and last, and
        every unit's trends."""
        tree = evaluate_tree(unit, spec.period)
        return tree, tree.trends()

    def run_scorecards(tree):
        """Every unit's whole evaluation (statuses, trends, goals, activities)."""
        evaluated = indicators = 0
        for ev in tree.iter_units(include_empty=False):
            evaluated += 1
            indicators += len(ev.indicators)
        return evaluated, indicators

    with CaptureQueriesContext(connection) as whole:
        run_scorecards(run_tree(root)[0])
    with CaptureQueriesContext(connection) as part:
        run_scorecards(run_tree(division)[0])
    times, card_times, peak = [], [], 0.0
    for _ in range(3):
        with _RssSampler() as sampler:
            t0 = time.perf_counter()
            tree, trends = run_tree(root)
            t1 = time.perf_counter()
            units, pairs = run_scorecards(tree)
            t2 = time.perf_counter()
        times.append(t1 - t0)
        card_times.append(t2 - t1)
        peak = max(peak, sampler.peak_mb)
        del tree
    wall = min(times)
    cards = min(card_times)
    floor = _floor(root, spec) if connection.vendor == "postgresql" else None
    result = {
        "benchmark": "evaluate",
        "size": size,
        "database": connection.vendor,
        "units": units,
        "unit_indicator_sex_trends": len(trends),
        "indicator_evaluations": pairs,
        "outcome_rows": rows,
        "period": spec.period,
        "wall_s": round(wall, 3),
        "wall_first_s": round(times[0], 3),
        "scorecards_s": round(cards, 3),
        "peak_memory_mb": round(peak, 1),
        "queries": len(whole.captured_queries),
        "queries_one_division": len(part.captured_queries),
        "floor_s": None if floor is None else round(floor["best_s"], 3),
        "floor_rows": None if floor is None else floor["rows"],
        "ratio": None if floor is None else round(wall / floor["best_s"], 2),
        "targets": dict(TARGETS),
        "cores": psutil.cpu_count(logical=True),
    }
    echo(
        f"Utvärdering {spec.period} med utveckling mot {int(spec.period[:4]) - 1}: "
        f"uppräkningar och utveckling för {units} enheter ({len(trends)} enhet x indikator "
        f"x kön) på {wall:.3f} s (bästa av tre; första {times[0]:.3f} s); därtill "
        f"hela bedömningen av varje enhet ({pairs} indikatorer med status, mål, "
        f"aktiviteter) på {cards:.3f} s. Toppminne +{peak:.0f} MB, "
        f"{result['queries']} SQL-frågor (en division: {result['queries_one_division']})."
    )
    if floor is None:
        echo("Golv: hoppas över på SQLite (golvfrågan är skriven för PostgreSQL).")
    else:
        echo(
            f"Golv (en handskriven PostgreSQL-fråga, samma uppräkningar, {floor['rows']} "
            f"rader): {floor['best_s']:.3f} s; kvot {result['ratio']:.2f}."
        )
    if size == "full":
        checks = [
            ("tid", wall <= TARGETS["wall_s"], f"{wall:.2f} s ≤ {TARGETS['wall_s']} s"),
            ("minne", peak <= TARGETS["memory_mb"], f"{peak:.0f} MB ≤ 1 GB"),
            ("frågor", result["queries"] == result["queries_one_division"], "lika många"),
        ]
        if result["ratio"] is not None:
            checks.append(("kvot", result["ratio"] <= TARGETS["ratio"], f"≤ {TARGETS['ratio']}"))
        for name, ok, text in checks:
            echo(f"  Mål {name}: {'uppfyllt' if ok else 'EJ uppfyllt'} ({text})")
        result["targets_met"] = all(ok for _, ok, _ in checks)
    return result


# --- memory ---------------------------------------------------------------------------------


class _RssSampler:
    """Peak growth of the resident set (MB) while the block runs, sampled every 5 ms."""

    def __enter__(self):
        self._proc = psutil.Process()
        self._base = self._proc.memory_info().rss
        self._peak = self._base
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.wait(0.005):
            self._peak = max(self._peak, self._proc.memory_info().rss)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self._peak = max(self._peak, self._proc.memory_info().rss)
        self.peak_mb = (self._peak - self._base) / 2**20
        return False


# --- the floor ------------------------------------------------------------------------------

_FLOOR_SQL = """
WITH leaf AS (
    SELECT o.indicator_id, o.sex, EXTRACT(YEAR FROM o.period_start)::int AS y, u.path,
           SUM(o.value) AS sv, SUM(o.numerator) AS sn, SUM(o.denominator) AS sd,
           AVG(o.value) AS av,
           MAX(o.value) FILTER (WHERE EXTRACT(MONTH FROM o.period_start) = 4) AS lv
    FROM followup_outcome o
    JOIN organisation_orgunit u ON u.id = o.unit_id
    WHERE u.path LIKE %(root)s
      AND o.indicator_id = ANY(%(indicators)s)
      AND ((o.period_start >= %(s1)s AND o.period_end <= %(e1)s)
        OR (o.period_start >= %(s0)s AND o.period_end <= %(e0)s))
      AND (u.valid_to IS NULL OR u.valid_to >= o.period_start)
    GROUP BY 1, 2, 3, 4
)
SELECT substr(leaf.path, 1, 4 * d) AS ancestor, indicator_id, sex, y,
       SUM(sv), SUM(sn), SUM(sd), AVG(av), SUM(lv)
FROM leaf
CROSS JOIN LATERAL generate_series(%(top)s, length(leaf.path) / 4) AS d
GROUP BY 1, 2, 3, 4
"""


def _floor(root, spec: Size) -> dict:
    """The same roll-ups (each ancestor x indicator x sex x year, from the months of the
    period and of the same period last year) in one hand-written query: best of three,
    JIT off."""
    from styrkort.periods import parse_period
    from styrkort.planning.models import PlanIndicator

    period = parse_period(spec.period)
    previous = period.previous_year()
    indicators = list(
        PlanIndicator.objects.filter(plan__unit=root).values_list("indicator_id", flat=True)
    )
    params = {
        "root": root.path + "%",
        "indicators": indicators,
        "s1": period.start,
        "e1": period.end,
        "s0": previous.start,
        "e0": previous.end,
        "top": root.depth,
    }
    best, rows = float("inf"), 0
    with transaction.atomic(), connection.cursor() as cursor:
        # The planner's row estimate for generate_series switches JIT compilation on,
        # which costs this query more than it saves; the floor is the query at its best.
        cursor.execute("SET LOCAL jit = off")
        for _ in range(3):
            t0 = time.perf_counter()
            cursor.execute(_FLOOR_SQL, params)
            rows = len(cursor.fetchall())
            best = min(best, time.perf_counter() - t0)
    return {"best_s": best, "rows": rows}


# --- generation -------------------------------------------------------------------------------


def _org_code(size: str) -> str:
    return f"bench-{size}"


def _unit_count(root) -> int:
    from styrkort.organisation.models import OrgUnit

    return OrgUnit.objects.filter(path__startswith=root.path).count()


def _outcome_count(root) -> int:
    from styrkort.followup.models import Outcome

    return Outcome.objects.filter(unit__organisation_id=root.organisation_id).count()


def ensure_region(size: str, *, echo: Callable[[str], None] = _echo_default):
    """The synthetic region's root unit, generated unless the same version is there."""
    from styrkort.organisation.models import Organisation, OrgUnit

    org = Organisation.objects.filter(code=_org_code(size)).first()
    if org is not None and org.settings.get("bench_version") == VERSION:
        root = OrgUnit.objects.filter(organisation=org, depth=1).first()
        if root is not None:
            return root, False
    if org is not None:
        echo("Tar bort en äldre syntetisk region ...")
        drop_region(org)
    echo("Genererar syntetisk region (ej tidtaget) ...")
    return generate_region(size), True


def drop_region(org) -> None:
    """Delete a generated region and everything in it."""
    from styrkort.followup.models import Assessment, Outcome
    from styrkort.organisation.models import OrgUnit
    from styrkort.planning.models import Indicator, Plan, PlanModel

    with transaction.atomic():
        units = OrgUnit.objects.filter(organisation=org)
        Outcome.objects.filter(unit__in=units)._raw_delete(connection.alias)
        Assessment.objects.filter(unit__in=units).delete()
        for plan in Plan.objects.filter(unit__in=units):
            plan.delete()
        Indicator.objects.filter(organisation=org).delete()
        PlanModel.objects.filter(organisation=org).delete()
        units.delete()
        org.delete()


def generate_region(size: str):
    """Build the region, its plan and its outcomes (see the module docstring)."""
    from styrkort.organisation.models import Organisation, OrgUnit
    from styrkort.planning.models import (
        Goal,
        Indicator,
        Plan,
        PlanIndicator,
        PlanLevel,
        PlanModel,
        Target,
    )
    from styrkort.planning.targets import parse_target

    spec = SIZES[size]
    rng = random.Random(20260504)
    with transaction.atomic():
        org = Organisation.objects.create(
            code=_org_code(size),
            name=f"Syntetisk region ({size})",
            settings={"bench_version": VERSION},
        )
        code = f"BENCH-{size.upper()}"
        root = OrgUnit.objects.add_root(
            instance=OrgUnit(
                organisation=org, code=code, name=f"Region Syntet ({size})", type="region"
            )
        )
        leaves = _bulk_tree(root, spec, code)
        # A few leaves closed during the previous year: they count last year, not now.
        closed_on = dt.date(spec.years[-1] - 1, 6, 30)
        closing = leaves[7::40]
        OrgUnit.objects.filter(id__in=[u.id for u in closing]).update(valid_to=closed_on)

        indicators = []
        for n in range(spec.indicators):
            unit, aggregation, measure, direction = _kind(n / spec.indicators)
            indicators.append(
                Indicator(
                    organisation=org,
                    code=f"bench-{size}-{n:03d}",
                    name=f"Syntetiskt mått {n + 1}",
                    unit=unit,
                    aggregation=aggregation,
                    measure_type=measure,
                    direction=direction,
                    by_sex=True,
                    decimals=1,
                )
            )
        indicators = Indicator.objects.bulk_create(indicators)

        model = PlanModel.objects.create(organisation=org, name="Balanserad styrning (syntet)")
        PlanLevel.objects.bulk_create(
            [
                PlanLevel(plan_model=model, level=1, name="Perspektiv"),
                PlanLevel(plan_model=model, level=2, name="Strategiskt mål"),
            ]
        )
        plan = Plan.objects.create(
            unit=root,
            plan_model=model,
            code=f"bench-{size}-plan",
            name="Syntetisk plan",
            start_year=spec.years[0],
            end_year=spec.years[-1],
            state="adopted",
        )
        perspectives = Goal.objects.bulk_create(
            [Goal(plan=plan, level=1, name=f"Perspektiv {p + 1}", order=p) for p in range(5)]
        )
        goals = Goal.objects.bulk_create(
            [
                Goal(plan=plan, level=2, parent=perspectives[g // 4], name=f"Mål {g + 1}", order=g)
                for g in range(20)
            ]
        )
        placements = PlanIndicator.objects.bulk_create(
            [
                PlanIndicator(plan=plan, goal=goals[n % 20], indicator=ind, order=n)
                for n, ind in enumerate(indicators)
            ]
        )
        targets = []
        for n, placement in enumerate(placements):
            ind = indicators[n]
            text = _target_text(n, ind)
            targets.append(
                Target(
                    placement=placement,
                    year=spec.years[-1],
                    text=text,
                    spec=parse_target(text).to_dict(),
                )
            )
        Target.objects.bulk_create(targets)
        _bulk_outcomes(leaves, indicators, spec, rng)
    root.refresh_from_db()
    return root


def _kind(share: float) -> tuple[str, str, str, str]:
    """(unit, aggregation, measure type, direction) for the indicator at ``share`` (0-1)."""
    acc = 0.0
    for fraction, *kind in KINDS:
        acc += fraction
        if share < acc - 1e-9:
            return tuple(kind)
    return tuple(KINDS[-1][1:])


def _target_text(n: int, ind) -> str:
    if ind.unit == "%":
        return "M: 62 % K: 64 %" if n % 3 == 0 else "min 60 %"
    if n % 4 == 0:
        return "Öka" if ind.direction == "higher" else "Minska"
    if ind.aggregation == "mean":
        return "max 30"
    return "2000" if ind.direction == "higher" else "max 5000"


def _bulk_tree(root, spec: Size, code: str):
    """Divisions, areas and leaves under ``root`` with treebeard paths, in bulk."""
    from styrkort.organisation.models import OrgUnit

    def child_path(parent_path: str, depth: int, index: int) -> str:
        return OrgUnit._get_path(parent_path, depth, index)

    levels = [
        ("division", spec.divisions, "Division"),
        ("business_area", spec.areas_per_division, "Verksamhetsområde"),
        ("clinic", spec.leaves_per_area, "Enhet"),
    ]
    parents = [root]
    for depth, (kind, count, label) in enumerate(levels, start=2):
        rows = []
        for parent in parents:
            for i in range(1, count + 1):
                suffix = f"{parent.code[len(code) :]}-{i:02d}"
                rows.append(
                    OrgUnit(
                        organisation=root.organisation,
                        path=child_path(parent.path, depth, i),
                        depth=depth,
                        numchild=0 if depth == 4 else levels[depth - 1][1],
                        code=f"{code}{suffix}",
                        name=f"{label}{suffix.replace('-', ' ')}",
                        type=kind,
                    )
                )
        parents = OrgUnit.objects.bulk_create(rows)
    OrgUnit.objects.filter(pk=root.pk).update(numchild=spec.divisions)
    return parents


def _bulk_outcomes(leaves, indicators, spec: Size, rng: random.Random) -> None:
    """Monthly values for women and men of ~``per_leaf`` indicators per leaf."""
    import calendar

    months = [(y, m) for y in spec.years for m in range(1, 13)]
    period_cols = [
        (f"{y:04d}-{m:02d}", dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1]))
        for y, m in months
    ]
    now = dt.datetime.now(dt.UTC)

    def rows():
        for leaf in leaves:
            chosen = rng.sample(indicators, spec.per_leaf)
            for ind in chosen:
                base = rng.uniform(50, 500)
                for period, start, end in period_cols:
                    for sex in ("women", "men"):
                        level = base * rng.uniform(0.8, 1.2)
                        if ind.aggregation == "ratio":
                            den = float(int(level) + 1)
                            num = float(int(den * rng.uniform(0.4, 0.9)))
                            yield (ind.id, leaf.id, period, start, end, sex, 100 * num / den,
                                   num, den, True)  # fmt: skip
                        elif ind.aggregation == "mean":
                            value = round(level / 10, 1)
                            yield (ind.id, leaf.id, period, start, end, sex, value, None, None,
                                   False)  # fmt: skip
                        else:
                            yield (ind.id, leaf.id, period, start, end, sex, float(int(level)),
                                   None, None, False)  # fmt: skip

    if connection.vendor == "postgresql":
        _copy_outcomes(rows(), now)
    else:
        from styrkort.followup.models import Outcome

        batch = []
        for ind, unit, period, start, end, sex, value, num, den, bounded in rows():
            outcome = Outcome(
                indicator_id=ind, unit_id=unit, period=period, period_start=start,
                period_end=end, sex=sex, value=value, numerator=num, denominator=den,
                bounded_ratio=bounded, source="import", data_source="bench",
            )  # fmt: skip
            batch.append(outcome)
            if len(batch) >= 5000:
                Outcome.objects.bulk_create(batch)
                batch = []
        Outcome.objects.bulk_create(batch)


def _copy_outcomes(rows, now) -> None:
    """Stream the rows into followup_outcome with COPY (text format, in chunks)."""
    columns = (
        "indicator_id, unit_id, period, period_start, period_end, sex, value, numerator, "
        "denominator, bounded_ratio, source, data_source, note, created_at, updated_at"
    )
    stamp = now.isoformat()
    connection.ensure_connection()
    raw = connection.connection
    sql = f"COPY followup_outcome ({columns}) FROM STDIN"
    with raw.cursor() as cursor, cursor.copy(sql) as copy:
        buffer = io.StringIO()
        null = "\\N"
        for count, row in enumerate(rows, start=1):
            ind, unit, period, start, end, sex, value, num, den, bounded = row
            num_text = null if num is None else repr(num)
            den_text = null if den is None else repr(den)
            buffer.write(
                f"{ind}\t{unit}\t{period}\t{start}\t{end}\t{sex}\t{value!r}\t"
                f"{num_text}\t{den_text}\t{'t' if bounded else 'f'}"
                f"\timport\tbench\t\t{stamp}\t{stamp}\n"
            )
            if count % 50_000 == 0:
                copy.write(buffer.getvalue())
                buffer = io.StringIO()
        copy.write(buffer.getvalue())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE followup_outcome")
