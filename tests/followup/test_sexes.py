"""One table of how people write a sex, read alike by the parser of files and the API
(`parse_sex`), the evaluation rules (`normalise_sex`) and the target parser."""

import unicodedata

import pytest

from styrkort.followup.evaluation import normalise_sex
from styrkort.followup.evaluation.sexes import SEX_ALIASES, SEXES, sex_key
from styrkort.followup.models import Sex
from styrkort.followup.services import parse_sex
from styrkort.planning.targets import parse_target


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("K", "women"),
        ("M", "men"),
        ("T", "total"),
        ("Kvinnor", "women"),
        ("kvinna", "women"),
        ("MÄN", "men"),
        (unicodedata.normalize("NFD", "män"), "men"),  # a decomposed ä, as some files have
        ("man", "men"),
        (" women ", "women"),
        ("Female", "women"),
        ("male", "men"),
        ("totalt", "total"),
        ("alla", "total"),
        ("", "total"),  # an empty cell is the total
        (None, "total"),
    ],
)
def test_every_reader_agrees(text, expected):
    assert sex_key(text) == expected
    assert normalise_sex(text) == expected
    assert parse_sex(text) == Sex(expected)


def test_the_table_maps_onto_the_stored_sexes():
    assert set(SEX_ALIASES.values()) == set(SEXES) == set(Sex.values)
    for alias in SEX_ALIASES:
        assert parse_sex(alias.upper()) == Sex(normalise_sex(alias))


def test_unknown_sex_is_refused_by_both():
    assert sex_key("x") is None
    with pytest.raises(ValueError, match="Okänt kön"):
        normalise_sex("x")
    with pytest.raises(ValueError) as refused:
        parse_sex("x")
    assert str(refused.value) == "Okänt kön: 'x'. Använd total/T, women/K eller men/M."


def test_target_parts_per_sex_read_through_the_table():
    # Seed 001, re-admissions: "K 16,0 M 17,2"; and with the words written out.
    for text in ("K 16,0 M 17,2", "Kvinnor 16,0 / Män 17,2", "max kvinnor 16,0, män 17,2"):
        spec = parse_target(text)
        assert spec.kind == "by_sex", text
        assert spec.parts["women"].value == 16.0 and spec.parts["men"].value == 17.2
