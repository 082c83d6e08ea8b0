"""Roll-up up the organisation tree and reconciliation, with seed 001's clinic table."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from styrkort.followup.evaluation import (
    Obs,
    ReconciliationFlag,
    aggregate,
    contributing_units,
    reconcile,
    rollup_tree,
)

DIVISION = "Division Länssjukvård 1"
INTERNMEDICIN = "VO Internmedicin"
NEURO = "VO Neurocentrum"

# Seed 001, medication reports 2022 per clinic: (unit, with ≥ 5 ATC and VTF (denominator),
# with a medication report (numerator), printed %).
CLINICS = [
    (INTERNMEDICIN, "Gällivare sjukhus", 228, 135, 59),
    (INTERNMEDICIN, "Kalix sjukhus", 255, 216, 85),
    (INTERNMEDICIN, "Kiruna sjukhus", 194, 171, 88),
    (INTERNMEDICIN, "Piteå sjukhus", 423, 317, 75),
    (INTERNMEDICIN, "Sunderby sjukhus", 653, 481, 74),
    (NEURO, "Neurocentrum Sunderby", 4, 4, 100),
]
TREE = {
    DIVISION: [INTERNMEDICIN, NEURO],
    INTERNMEDICIN: [c[1] for c in CLINICS if c[0] == INTERNMEDICIN],
    NEURO: ["Neurocentrum Sunderby"],
}
CLINIC_OBS = {name: Obs.from_ratio(num, den) for _, name, den, num, _ in CLINICS}
# The division's own report, by sex: K 644/819 + M 658/845.
DIVISION_DIRECT = Obs.from_ratio(1302, 1664)


@pytest.mark.parametrize(("vo", "name", "den", "num", "printed"), CLINICS)
def test_seed001_clinic_percentages(vo, name, den, num, printed):
    assert round(CLINIC_OBS[name].value) == printed


def test_seed001_clinics_roll_up_to_1324_of_1757():
    result = rollup_tree(TREE, CLINIC_OBS, "ratio", decimals=1)
    division = result[DIVISION]
    assert division.direct is None
    assert (division.rollup.numerator, division.rollup.denominator) == (1324, 1757)
    assert round(division.rollup.value, 1) == 75.4
    assert division.reported == division.rollup
    assert division.from_units == 6
    assert division.reconciliation is None
    # not the text's 78,5 % (a mean of two percentages), nor the mean of the clinics' 80 %
    mean_of_clinics = sum(o.value for o in CLINIC_OBS.values()) / 6
    assert round(mean_of_clinics) == 80
    assert round(division.rollup.value, 1) not in (78.5, round(mean_of_clinics, 1))
    internmedicin = result[INTERNMEDICIN]
    assert (internmedicin.rollup.numerator, internmedicin.rollup.denominator) == (1320, 1753)
    assert internmedicin.from_units == 5
    leaf = result["Kiruna sjukhus"]
    assert (leaf.direct, leaf.rollup, leaf.reported, leaf.from_units) == (
        CLINIC_OBS["Kiruna sjukhus"],
        None,
        CLINIC_OBS["Kiruna sjukhus"],
        0,
    )


def test_seed001_division_report_is_flagged_against_its_clinics():
    observations = {**CLINIC_OBS, DIVISION: DIVISION_DIRECT}
    result = rollup_tree(TREE, observations, "ratio", decimals=1)
    division = result[DIVISION]
    assert division.reported == DIVISION_DIRECT  # shown: what the division reported
    flag = division.reconciliation
    assert isinstance(flag, ReconciliationFlag)
    assert flag.unit == DIVISION
    assert (flag.direct.numerator, flag.direct.denominator) == (1302, 1664)
    assert (flag.rollup.numerator, flag.rollup.denominator) == (1324, 1757)
    assert round(flag.direct.value, 1) == 78.2
    assert round(flag.rollup.value, 1) == 75.4
    assert flag.difference == pytest.approx(100 * 1302 / 1664 - 100 * 1324 / 1757)
    assert flag.as_dict() == {
        "unit": DIVISION,
        "direct": {"value": flag.direct.value, "numerator": 1302, "denominator": 1664},
        "rollup": {"value": flag.rollup.value, "numerator": 1324, "denominator": 1757},
        "difference": flag.difference,
    }
    # its children are unaffected, and nothing below is flagged
    assert all(result[u].reconciliation is None for u in result if u != DIVISION)


def test_closed_units_do_not_count():
    valid = (set(TREE) | set(CLINIC_OBS)) - {"Kiruna sjukhus"}
    result = rollup_tree(TREE, CLINIC_OBS, "ratio", valid_units=valid)
    assert "Kiruna sjukhus" not in result
    division = result[DIVISION]
    assert (division.rollup.numerator, division.rollup.denominator) == (1324 - 171, 1757 - 194)
    assert division.from_units == 5
    # a closed VO takes its subtree with it
    valid = (set(TREE) | set(CLINIC_OBS)) - {NEURO}
    division = rollup_tree(TREE, CLINIC_OBS, "ratio", valid_units=valid)[DIVISION]
    assert (division.rollup.numerator, division.rollup.denominator) == (1320, 1753)


@pytest.mark.parametrize(
    ("direct", "rolled", "decimals", "flagged"),
    [
        (Obs(75.4), Obs.from_ratio(1324, 1757), 1, False),  # 75,355 shown as 75,4
        (Obs(75.3), Obs.from_ratio(1324, 1757), 1, True),
        (Obs(75.0), Obs.from_ratio(1324, 1757), 0, False),
        (Obs(76.0), Obs.from_ratio(1324, 1757), 0, True),
        (Obs.from_ratio(1324, 1757), Obs.from_ratio(1324, 1757), 1, False),
        # the same share from other counts is another population: flagged
        (Obs.from_ratio(662, 878.5), Obs.from_ratio(1324, 1757), 1, True),
        (Obs(31180), Obs(31180.0), 0, False),  # Läkarbesök = Somatik + Psykiatri
        (Obs(31000), Obs(31180), 0, True),
        (Obs(None, 0, 0), Obs.from_ratio(1, 2), 1, True),  # one side has no value
        (None, Obs(1), 0, False),
        (Obs(1), None, 0, False),
        (Obs(None), Obs(1), 0, False),
    ],
)
def test_reconcile(direct, rolled, decimals, flagged):
    flag = reconcile(direct, rolled, decimals, unit="X")
    assert (flag is not None) is flagged
    if flag is not None:
        assert flag.unit == "X" and flag.decimals == decimals


def test_seed001_production_rolls_up():
    tree = {"Läkarbesök": ["Somatik", "Psykiatri"]}
    observations = {"Läkarbesök": Obs(31180), "Somatik": Obs(29752), "Psykiatri": Obs(1428)}
    result = rollup_tree(tree, observations, "sum", decimals=0)
    assert result["Läkarbesök"].rollup == Obs(31180)
    assert result["Läkarbesök"].reconciliation is None
    # falls T1 2022 per VO: 2 + 85 + 3 = 90
    tree = {"Division": ["VO Akut omhändertagande", "VO Internmedicin", "VO Neurocentrum"]}
    falls = {"VO Akut omhändertagande": Obs(2), "VO Internmedicin": Obs(85)}
    falls["VO Neurocentrum"] = Obs(3)
    assert rollup_tree(tree, falls, "sum")["Division"].reported == Obs(90)


def test_reported_value_of_a_middle_unit_is_used_upward():
    # A VO that reported its own total stops the roll-up below it.
    tree = {"D": ["A", "B"], "A": ["a1", "a2"], "B": ["b1"]}
    obs = {"A": Obs(10), "a1": Obs(3), "a2": Obs(4), "b1": Obs(5)}
    result = rollup_tree(tree, obs, "sum", decimals=0)
    assert result["A"].rollup == Obs(7)
    assert result["A"].reconciliation.difference == 3
    assert result["D"].rollup == Obs(15)  # A's reported 10 + B's 5
    assert result["D"].from_units == 2
    assert contributing_units("D", tree, obs) == ["A", "b1"]
    assert contributing_units("A", tree, obs) == ["a1", "a2"]
    assert contributing_units("D", tree, obs, valid_units={"D", "B", "b1"}) == ["b1"]


def test_not_aggregable_and_empty_units():
    tree = {"D": ["A", "B"]}
    result = rollup_tree(tree, {"A": Obs(3.5)}, "none")
    assert result["D"].rollup is None and result["D"].reported is None
    result = rollup_tree(tree, {"D": Obs(1), "A": None, "B": Obs(None)}, "sum")
    assert result["D"].rollup is None
    assert result["D"].reported == Obs(1)
    assert result["D"].from_units == 0
    # a unit with a value but no place in the tree is its own tree
    assert rollup_tree({}, {"VC Gallerian": Obs(4)}, "sum")["VC Gallerian"].reported == Obs(4)


def test_tree_errors_are_reported_in_swedish():
    with pytest.raises(ValueError, match="cykel"):
        rollup_tree({"A": ["B"], "B": ["A"]}, {}, "sum")
    with pytest.raises(ValueError, match="cykel"):
        rollup_tree({"A": ["A"]}, {}, "sum")
    with pytest.raises(ValueError, match="två överordnade"):
        rollup_tree({"A": ["C"], "B": ["C"]}, {}, "sum")
    with pytest.raises(ValueError, match="cykel"):
        contributing_units("A", {"A": ["B"], "B": ["A"]}, {})


def test_duplicate_children_count_once():
    result = rollup_tree({"D": ["A", "A"]}, {"A": Obs(2)}, "sum")
    assert result["D"].rollup == Obs(2)


def test_deep_tree_needs_no_recursion():
    n = 20_000
    tree = {i: [i + 1] for i in range(n)}
    result = rollup_tree(tree, {n: Obs(1)}, "sum")
    assert result[0].rollup == Obs(1)
    assert len(result) == n + 1


# --- properties -----------------------------------------------------------------------


@st.composite
def trees(draw, max_units=40):
    """A random tree: unit i > 0 hangs under a random earlier unit; leaves get ratios."""
    n = draw(st.integers(min_value=1, max_value=max_units))
    parents = [draw(st.integers(min_value=0, max_value=i - 1)) for i in range(1, n)]
    children: dict[int, list[int]] = {i: [] for i in range(n)}
    for child, parent in enumerate(parents, start=1):
        children[parent].append(child)
    leaves = [u for u in range(n) if not children[u]]
    observations = {}
    for leaf in leaves:
        den = draw(st.integers(min_value=0, max_value=10_000))
        num = draw(st.integers(min_value=0, max_value=den))
        observations[leaf] = Obs.from_ratio(num, den)
    return children, observations


@settings(max_examples=200, deadline=None)
@given(trees())
def test_ratio_rollup_is_ratio_of_sums_whatever_the_shape(tree):
    children, observations = tree
    root = rollup_tree(children, observations, "ratio")[0]
    expected = aggregate(observations.values(), "ratio")
    if not children[0]:  # a single unit: nothing below it
        assert root.rollup is None
        return
    assert root.rollup == expected
    num = sum(o.numerator for o in observations.values())
    den = sum(o.denominator for o in observations.values())
    assert (root.rollup.numerator, root.rollup.denominator) == (num, den)
    assert root.from_units == len(observations)


@settings(max_examples=200, deadline=None)
@given(
    trees(),
    st.sampled_from(["sum", "ratio", "mean", "min", "max"]),
    st.randoms(use_true_random=False),
)
def test_rollup_does_not_depend_on_the_order_of_children(tree, aggregation, rnd):
    children, observations = tree
    # float values too, so the sum's order could matter if it were not exact
    observations = {
        u: Obs(o.value if o.value is None else o.value / 7, o.numerator, o.denominator)
        for u, o in observations.items()
    }
    shuffled = {u: rnd.sample(kids, len(kids)) for u, kids in children.items()}
    shuffled = dict(rnd.sample(list(shuffled.items()), len(shuffled)))
    first = rollup_tree(children, observations, aggregation)
    second = rollup_tree(shuffled, observations, aggregation)
    assert first == second


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=1_000_000), min_size=1, max_size=30),
    st.randoms(use_true_random=False),
)
def test_sum_of_a_split_tree_equals_the_whole(values, rnd):
    units = [f"u{i}" for i in range(len(values))]
    observations = {u: Obs(v) for u, v in zip(units, values, strict=True)}
    whole = rollup_tree({"root": units}, observations, "sum")["root"].rollup
    # split the same units under two new middle units, at a random cut
    cut = rnd.randint(0, len(units))
    split_tree = {"root": ["left", "right"], "left": units[:cut], "right": units[cut:]}
    split = rollup_tree(split_tree, observations, "sum")
    assert split["root"].rollup == whole == Obs(sum(values))
    parts = [split[side].rollup for side in ("left", "right") if split[side].rollup]
    assert aggregate(parts, "sum") == whole


@settings(max_examples=100, deadline=None)
@given(trees(), st.data())
def test_closing_units_equals_leaving_them_out(tree, data):
    children, observations = tree
    closed = set(data.draw(st.sets(st.sampled_from(sorted(children)), max_size=5)))
    closed.discard(0)
    valid = set(children) - closed
    with_valid = rollup_tree(children, observations, "ratio", valid_units=valid)
    pruned = {u: [c for c in kids if c in valid] for u, kids in children.items() if u in valid}
    reachable = {0}
    stack = [0]
    while stack:
        for c in pruned[stack.pop()]:
            reachable.add(c)
            stack.append(c)
    kept = {u: o for u, o in observations.items() if u in reachable}
    without = rollup_tree({u: pruned[u] for u in reachable}, kept, "ratio")
    assert with_valid[0] == without[0]
