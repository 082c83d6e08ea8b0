"""Kolada's area ids for riket and the 21 regions: ``00`` + the county code."""

NATIONAL = "0000"

#: Kolada area id -> name; the regions by county code (län).
REGIONS: dict[str, str] = {
    "0001": "Region Stockholm",
    "0003": "Region Uppsala",
    "0004": "Region Sörmland",
    "0005": "Region Östergötland",
    "0006": "Region Jönköpings län",
    "0007": "Region Kronoberg",
    "0008": "Region Kalmar län",
    "0009": "Region Gotland",
    "0010": "Region Blekinge",
    "0012": "Region Skåne",
    "0013": "Region Halland",
    "0014": "Västra Götalandsregionen",
    "0017": "Region Värmland",
    "0018": "Region Örebro län",
    "0019": "Region Västmanland",
    "0020": "Region Dalarna",
    "0021": "Region Gävleborg",
    "0022": "Region Västernorrland",
    "0023": "Region Jämtland Härjedalen",
    "0024": "Region Västerbotten",
    "0025": "Region Norrbotten",
}

AREA_NAMES: dict[str, str] = {NATIONAL: "Riket", **REGIONS}


def area_name(area: str) -> str:
    """The area's name (``Riket``, ``Region Norrbotten``), else the id itself."""
    return AREA_NAMES.get(area, area)


def is_known(area: str) -> bool:
    return area in AREA_NAMES
