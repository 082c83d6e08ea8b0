"""Status of targets relative to others, each form with the seeds' and the issue's own
target texts, parsed by the real parser and assessed by the pure rules
(followup.evaluation.comparison) against supplied published values."""

from __future__ import annotations

import pytest

from styrkort.followup.evaluation import evaluate_sexes, evaluate_status
from styrkort.followup.evaluation.comparison import (
    ComparisonFacts,
    evaluate_comparison,
    rank_among,
)
from styrkort.planning.targets import parse_target

# Seed 004, "Kostnad per producerad DRG-poäng", Mål 2024: "I nivå med riket" (lower is
# better). Seed 004's own numbers: somatic care 2019 SV +5,9 % against riket.
LEVEL = "I nivå med riket"
BETTER = "Bättre än riket"
TOP = "Bland de 5 bästa regionerna"
GAP = "Minskad skillnad mot riket jämfört med 2019"

REGIONS = {f"00{n:02d}": float(40 + n) for n in (1, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14,
                                                   17, 18, 19, 20, 21, 22, 23, 24, 25)}  # fmt: skip


def status(text, value, facts, direction, **options):
    return evaluate_comparison(parse_target(text), value, facts, direction=direction, **options)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (100.0, "met"),  # equal to riket
        (109.0, "met"),  # within the 10 % band
        (90.0, "met"),  # cheaper than riket: better counts as level
        (115.0, "partly"),  # within twice the band
        (125.0, "not_met"),
        (None, "no_data"),
    ],
)
def test_level_with_riket_for_a_cost_where_lower_is_better(value, expected):
    facts = ComparisonFacts(year=2021, reference=100.0)
    assert status(LEVEL, value, facts, "lower") == expected


def test_level_uses_the_organisations_tolerance():
    facts = ComparisonFacts(year=2021, reference=100.0)
    assert status(LEVEL, 104.0, facts, "lower", tolerance_pct=5) == "met"
    assert status(LEVEL, 106.0, facts, "lower", tolerance_pct=5) == "partly"
    assert status(LEVEL, 111.0, facts, "lower", tolerance_pct=5) == "not_met"


def test_level_for_a_share_where_higher_is_better():
    # Seed 001: 51 % waiting 90 days or less for a first visit; riket (example) 58 %.
    facts = ComparisonFacts(year=2021, reference=58.0)
    assert status(LEVEL, 51.0, facts, "higher") == "partly"  # 7 below, band 5,8
    assert status(LEVEL, 53.0, facts, "higher") == "met"
    assert status(LEVEL, 45.0, facts, "higher") == "not_met"


@pytest.mark.parametrize(
    ("value", "direction", "expected"),
    [
        (60.0, "higher", "met"),
        (58.2, "higher", "partly"),  # within 1 % of riket: level, not better
        (55.0, "higher", "not_met"),
        (55.0, "lower", "met"),
        (58.0, "none", "not_assessed"),
    ],
)
def test_better_than_riket(value, direction, expected):
    assert status(BETTER, value, ComparisonFacts(year=2021, reference=58.0), direction) == expected


@pytest.mark.parametrize(
    ("value", "direction", "expected"),
    [
        (66.0, "higher", "met"),  # above all 20 others: first
        (60.5, "higher", "met"),  # 0021-0024 (61-64) better: 5th
        (59.5, "higher", "partly"),  # 6th
        (58.5, "higher", "partly"),  # 7th
        (57.5, "higher", "not_met"),  # 8th
        (41.5, "lower", "met"),  # second lowest
    ],
)
def test_among_the_n_best_regions(value, direction, expected):
    facts = ComparisonFacts(year=2021, regions=REGIONS, own_area="0025")
    assert status(TOP, value, facts, direction) == expected


def test_among_the_n_best_needs_enough_regions_and_a_direction():
    few = ComparisonFacts(year=2021, regions={"0001": 1.0, "0003": 2.0}, own_area="0025")
    assert status(TOP, 3.0, few, "higher") == "not_assessed"
    full = ComparisonFacts(year=2021, regions=REGIONS, own_area="0025")
    assert status(TOP, 3.0, full, "none") == "not_assessed"


def test_rank_ties_share_the_better_place():
    assert rank_among(5.0, {"a": 5.0, "b": 7.0, "c": 1.0}, "higher") == 2
    assert rank_among(5.0, {"a": 5.0, "b": 7.0, "c": 1.0}, "lower") == 2


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (103.0, "met"),  # gap 3 against 5,9 in 2019
        (105.9, "partly"),  # the same gap
        (108.0, "not_met"),  # the gap grew
        (97.0, "met"),  # now below riket by 3: the size shrank
    ],
)
def test_smaller_gap_to_riket_than_in_2019(value, expected):
    # Seed 004: cost per DRG point, somatic care 2019 SV = +5,9 % against riket.
    facts = ComparisonFacts(
        year=2021,
        reference=100.0,
        baseline_year=2019,
        baseline_value=105.9,
        baseline_reference=100.0,
    )
    assert parse_target(GAP).reference_year == 2019
    assert status(GAP, value, facts, "lower") == expected


def test_gap_without_the_baseline_is_not_assessed():
    facts = ComparisonFacts(year=2021, reference=100.0, baseline_year=2019)
    assert status(GAP, 103.0, facts, "lower") == "not_assessed"


def test_without_published_values_a_comparison_target_is_not_assessed():
    assert status(LEVEL, 100.0, None, "lower") == "not_assessed"
    assert status(LEVEL, 100.0, ComparisonFacts(year=None), "lower") == "not_assessed"


def test_the_seed_texts_go_through_evaluate_status_and_per_sex():
    spec = parse_target("2024: I nivå med riket").to_dict()  # stored form, with its year
    facts = {
        "total": ComparisonFacts(year=2021, reference=58.0),
        "women": ComparisonFacts(year=2021, reference=59.5),
        "men": ComparisonFacts(year=2021, reference=56.5),
    }
    out = evaluate_sexes(
        spec, {"total": 57.0, "women": 50.0, "men": None}, direction="higher", comparisons=facts
    )
    assert {k: v.value for k, v in out.items()} == {
        "total": "met",
        "women": "partly",
        "men": "no_data",
    }
    assert evaluate_status(spec, 57.0, direction="higher").value == "not_assessed"


def test_the_seeds_own_gap_text_stays_a_change_of_the_indicators_own_gap():
    # Seed 004's Mål 2022 "Minskad skillnad jmf 2019": the indicator is itself the gap.
    spec = parse_target("Minskad skillnad jmf 2019")
    assert (spec.kind, spec.change, spec.reference_year) == ("relative", "decrease_gap", 2019)
    assert evaluate_status(spec, 4.0, direction="lower", reference=5.9).value == "met"
