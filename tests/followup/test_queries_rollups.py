"""The batched roll-up (followup.queries.rollups) gives the pure core's numbers
(followup.evaluation.rollup_tree) for every tree, validity and aggregation."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from styrkort.followup.evaluation import Obs, rollup_tree
from styrkort.followup.queries.rollups import RollupRule, Tree, rollup_many


@st.composite
def trees(draw):
    size = draw(st.integers(min_value=1, max_value=25))
    parent_of = {0: None}
    for unit in range(1, size):
        parent_of[unit] = draw(st.integers(min_value=0, max_value=unit - 1))
    depth = {}
    for unit in range(size):
        d, node = 0, unit
        while parent_of[node] is not None:
            node, d = parent_of[node], d + 1
        depth[unit] = d
    valid = set(draw(st.sets(st.integers(0, size - 1)))) | {0}
    observations = {}
    for unit in range(size):
        if draw(st.booleans()):
            den = draw(st.integers(min_value=1, max_value=1000))
            num = draw(st.integers(min_value=0, max_value=den))
            observations[unit] = Obs(100 * num / den, num, den)
    return parent_of, depth, valid, observations


def _same(a: Obs | None, b: Obs | None) -> bool:
    if a is None or b is None:
        return a is b
    pairs = [(a.value, b.value), (a.numerator, b.numerator), (a.denominator, b.denominator)]
    return all(
        (x is None and y is None) or (x is not None and y is not None and math.isclose(x, y))
        for x, y in pairs
    )


@settings(max_examples=200, deadline=None)
@given(trees(), st.sampled_from(["sum", "ratio", "mean", "min", "max"]))
def test_batched_rollup_equals_rollup_tree(data, aggregation):
    parent_of, depth, valid, observations = data
    children: dict[int, list[int]] = {u: [] for u in parent_of}
    for unit, parent in parent_of.items():
        if parent is not None:
            children[parent].append(unit)
    expected = rollup_tree(children, observations, aggregation, valid_units=valid, decimals=1)
    got = rollup_many(
        {"k": observations},
        {"k": RollupRule(aggregation, 100.0, 1)},
        Tree(parent_of, depth),
        valid_units=valid,
    )["k"]
    for unit, node in expected.items():
        if node.reported is None and node.rollup is None:
            assert unit not in got or got[unit].reported is None
            continue
        mine = got[unit]
        assert _same(mine.direct, node.direct)
        assert _same(mine.rollup, node.rollup)
        assert _same(mine.reported, node.reported)
        assert mine.from_units == node.from_units
        assert (mine.reconciliation is None) == (node.reconciliation is None)
    assert set(got) <= set(expected)


def test_seed_001_medication_table_rolls_up_to_1324_of_1757():
    clinics = {  # VO Internmedicin's five hospitals and VO Neurocentrum Sunderby
        "GAL": (135, 228), "KAL": (216, 255), "KIR": (171, 194),
        "PIT": (317, 423), "SUN": (481, 653), "NEURO": (4, 4),
    }  # fmt: skip
    parent_of = {"LS1": None, "IM": "LS1", "NC": "LS1"}
    for code in clinics:
        parent_of[code] = "NC" if code == "NEURO" else "IM"
    depth = {"LS1": 0, "IM": 1, "NC": 1, **dict.fromkeys(clinics, 2)}
    direct = {code: Obs.from_ratio(n, d) for code, (n, d) in clinics.items()}
    direct["LS1"] = Obs.from_ratio(1302, 1664)
    result = rollup_many(
        {"med": direct}, {"med": RollupRule("ratio", 100.0, 0)}, Tree(parent_of, depth)
    )["med"]
    ls1 = result["LS1"]
    assert (ls1.rollup.numerator, ls1.rollup.denominator) == (1324, 1757)
    assert ls1.rollup.value == 100 * 1324 / 1757  # 75,4 %, not a mean of percentages
    assert ls1.reported is ls1.direct and ls1.from_units == 6
    assert ls1.reconciliation is not None
    assert result["IM"].reconciliation is None and result["IM"].from_units == 5
