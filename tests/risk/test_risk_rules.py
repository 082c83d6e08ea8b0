"""Risk rules checked against seeds 003 and 004."""

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from styrkort.risk.rules import (
    DEFAULT_BANDS,
    Band,
    RiskRuleError,
    assess,
    check_bands,
    derive_probability,
    level_counts,
    level_for,
    level_summary,
    matrix_counts,
    risk_value,
)

# Seed 003 (Region Sörmland, Division Primärvård): its matrix counts fit these bands.
SRS_BANDS = (
    Band("Låg", 1, 3),
    Band("Medel", 4, 8),
    Band("Hög", 9, 12, True),
    Band("Mycket hög", 13, 16, True),
)
# Seed 004 (Regionstyrelsen, Norrbotten): 1-8 no special action, 9-16 action required.
NLL_BANDS = DEFAULT_BANDS

# Seed 003, "Internkontroll med risker": the five risks print only their risk value.
SEED_003_VALUES = [4, 9, 3, 6, 6]

# Seed 004, bilaga 5: (success factor number, consequence, probability or None, risk).
SEED_004_ROWS = [
    (1, 3, None, 6),
    (2, 3, None, 6),
    (3, 3, None, 12),
    (4, 3, None, 9),
    (6, 2, None, 4),
    (7, 3, 3, 9),
    (8, 3, 2, 6),
    (9, 3, 3, 9),
    (10, 3, 2, 6),
    (11, 3, 2, 6),
    (12, 3, 4, 12),
    (13, 3, 3, 9),
    (14, 3, 3, 9),
    (15, 3, 4, 12),
    (16, 4, 2, 8),
    (17, 4, 2, 8),
]
# What the rules make of them: probability (derived where not printed), action required?
SEED_004_EXPECTED = {
    1: (2, False), 2: (2, False), 3: (4, True), 4: (3, True), 6: (2, False),
    7: (3, True), 8: (2, False), 9: (3, True), 10: (2, False), 11: (2, False),
    12: (4, True), 13: (3, True), 14: (3, True), 15: (4, True), 16: (2, False),
    17: (2, False),
}  # fmt: skip


def test_seed_003_level_counts():
    counts = level_counts(SEED_003_VALUES, SRS_BANDS)
    assert counts == {"Låg": 1, "Medel": 3, "Hög": 1, "Mycket hög": 0}
    assert level_summary(counts, SRS_BANDS) == "1 Hög 3 Medel 1 Låg | Totalt: 5"


def test_seed_003_values_alone_are_kept_without_split():
    for value in SEED_003_VALUES:
        a = assess(value=value)
        assert (a.value, a.probability, a.consequence) == (value, None, None)
    assert sum(matrix_counts([(None, None)] * 5).values()) == 0


@pytest.mark.parametrize(("nr", "consequence", "probability", "value"), SEED_004_ROWS)
def test_seed_004_risk_values_reproduced(nr, consequence, probability, value):
    a = assess(probability=probability, consequence=consequence, value=value)
    expected_p, action = SEED_004_EXPECTED[nr]
    assert a.value == value == risk_value(a.probability, a.consequence)
    assert a.probability == expected_p
    assert a.probability_derived is (probability is None)
    assert level_for(a.value, NLL_BANDS).requires_action is action


def test_seed_004_success_factor_3():
    a = assess(consequence=3, value=12)
    assert a.probability == 4 and a.probability_derived
    assert level_for(12, NLL_BANDS).name == "Åtgärd krävs"


def test_seed_004_matrix_and_levels():
    pairs = [(SEED_004_EXPECTED[nr][0], c) for nr, c, _p, _v in SEED_004_ROWS]
    cells = matrix_counts(pairs)
    assert len(cells) == 16
    assert cells[(2, 3)] == 5  # success factors 1, 2, 8, 10, 11
    assert cells[(3, 3)] == 5  # 4, 7, 9, 13, 14
    assert cells[(4, 3)] == 3
    assert cells[(2, 2)] == 1
    assert cells[(2, 4)] == 2
    assert sum(cells.values()) == 16
    assert level_counts([v for *_x, v in SEED_004_ROWS], NLL_BANDS) == {
        "Ingen särskild åtgärd": 8,
        "Åtgärd krävs": 8,
    }


@pytest.mark.parametrize(
    ("value", "name"),
    [(1, "Låg"), (3, "Låg"), (4, "Medel"), (8, "Medel"), (9, "Hög"), (12, "Hög"),
     (13, "Mycket hög"), (16, "Mycket hög")],
)  # fmt: skip
def test_band_edges(value, name):
    assert level_for(value, SRS_BANDS).name == name


@pytest.mark.parametrize(
    "kwargs",
    [
        {"probability": 0, "consequence": 2},
        {"probability": 5, "consequence": 2},
        {"probability": 2, "consequence": 2, "value": 5},
        {"consequence": 3, "value": 7},
        {"consequence": 1, "value": 8},  # probability 8 is off the scale
        {"value": 17},
        {"value": 0},
        {},
        {"probability": 2.5, "consequence": 2},
        {"probability": True, "consequence": 2},
    ],
)
def test_bad_figures_are_refused_in_swedish(kwargs):
    with pytest.raises(RiskRuleError) as exc:
        assess(**kwargs)
    assert any(w in str(exc.value) for w in ("Risk", "Sannolik", "Konsekv", "Ange"))


def test_derive_probability():
    assert derive_probability(3, 12) == 4
    assert derive_probability(2, 4) == 2
    assert derive_probability(4, 2) is None


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ([], "minst en"),
        ([Band("A", 1, 8), Band("B", 8, 16)], "överlappar"),
        ([Band("A", 1, 7), Band("B", 9, 16)], "8–8 saknar"),
        ([Band("A", 1, 12)], "13–16 saknar"),
        ([Band("A", 2, 16)], "1–1 saknar"),
        ([Band("A", 9, 1), Band("B", 1, 16)], "större"),
    ],
)
def test_check_bands(bands, message):
    with pytest.raises(RiskRuleError, match=message):
        check_bands(bands)


def test_seed_bands_are_complete():
    check_bands(SRS_BANDS)
    check_bands(NLL_BANDS)


@given(st.integers(1, 4), st.integers(1, 4))
def test_value_is_product_and_always_one_band(p, c):
    value = risk_value(p, c)
    assert 1 <= value <= 16
    assert sum(b.contains(value) for b in SRS_BANDS) == 1
    assert assess(consequence=c, value=value).probability == p


def test_rule_messages_are_made_in_the_active_language():
    with translation.override("en"):
        with pytest.raises(RiskRuleError) as english:
            assess(probability=5, consequence=2)
        with pytest.raises(RiskRuleError) as gap:
            check_bands([Band("Låg", 1, 8), Band("Hög", 10, 16)])
    with translation.override("sv"), pytest.raises(RiskRuleError) as swedish:
        assess(probability=5, consequence=2)
    assert str(english.value) == "The likelihood must be a whole number 1–4, not 5."
    assert str(gap.value) == "The risk scores 9–9 have no risk level."
    assert str(swedish.value) == "Sannolikheten ska vara ett heltal 1–4, inte 5."
