"""Seed 003's 2023 outcomes in the demo: the values the plan's text gives for 2023
(003_*.txt lines 291, 295 and 615), stored for Division Primärvård with their sentence and
line as the note, nothing added."""

import pytest

from styrkort.demo.loader import FIXTURE_DIR
from styrkort.followup.models import Outcome

DEMO_FILES = sorted(FIXTURE_DIR.glob("2[0-5]-srs-*.yaml"))


@pytest.mark.django_db
def test_the_texts_2023_outcomes(demo):
    rows = {
        o.indicator.code: o
        for o in Outcome.objects.filter(unit__code="SRS-PV", period="2023", sex="total")
    }
    values = {code: float(o.value) for code, o in rows.items()}
    assert values == {
        "SRS-DIAB-HBA1C": 91.0,  # line 291: "uppnåddes med ett utfall på 91%"
        "SRS-DIAB-BLODTRYCK": 58.0,  # line 291: "med ett utfall på 58% på delårsbasis"
        "SRS-SAKERHETSNIVA": 78.3,  # line 295: "(HSE-index) var 78,3"
        "SRS-HME": 81.0,  # line 615: "HME-index 81% 2023"
        "SRS-REKOMMENDERA": 93.4,  # line 615: "(93,4% 2023)"
    }
    # The interim values say so; the index printed without a per cent sign is noted.
    assert "Delårsutfall 2023" in rows["SRS-DIAB-HBA1C"].note
    assert "Delårsutfall 2023" in rows["SRS-DIAB-BLODTRYCK"].note
    assert "utan procenttecken" in rows["SRS-SAKERHETSNIVA"].note
    assert all(o.numerator is None and o.denominator is None for o in rows.values())
    # Nothing else for 2023 and no outcomes for the vårdcentraler.
    assert Outcome.objects.filter(unit__organisation__code="srs", period="2023").count() == 5
