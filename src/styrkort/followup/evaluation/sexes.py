"""The three sexes an outcome is stored for, and the one table of how people write them.

Pure (no Django): the file importers and the API (through ``followup.services.parse_sex``),
the evaluation rules (target parts per sex), the target parser and the demo loader all
read a sex here, so "K", "kvinnor", "Women" and a decomposed "män" mean the same
everywhere.
"""

from __future__ import annotations

import unicodedata

__all__ = ["SEXES", "SEX_ALIASES", "normalise_sex", "sex_key"]

#: The stored keys, in print order.
SEXES = ("total", "women", "men")

#: Every accepted spelling (after NFC, trimming and case folding) -> the stored key.
#: Swedish as the seeds write it (K, M, kvinnor, män, totalt), English, and the empty
#: cell of a file, which is the total.
SEX_ALIASES: dict[str, str] = {
    "": "total",
    "total": "total",
    "totalt": "total",
    "t": "total",
    "alla": "total",
    "all": "total",
    "women": "women",
    "woman": "women",
    "w": "women",
    "female": "women",
    "f": "women",
    "kvinnor": "women",
    "kvinna": "women",
    "k": "women",
    "men": "men",
    "man": "men",
    "male": "men",
    "m": "men",
    "män": "men",
}


def sex_key(text: str | None) -> str | None:
    """``"total"``, ``"women"`` or ``"men"`` for any accepted spelling (None is the
    total); None when the text is not a sex."""
    if text is None:
        return "total"
    return SEX_ALIASES.get(unicodedata.normalize("NFC", str(text)).strip().casefold())


def normalise_sex(text: str | None) -> str:
    """Like ``sex_key``, but ValueError (one Swedish line) for a text that is no sex."""
    key = sex_key(text)
    if key is None:
        raise ValueError(f"Okänt kön: {text!r} (ange total, women eller men).")
    return key
