"""The 35 arbeidsmarktregio's, their known spellings, and matching of names as users type them."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

REGIONS: tuple[str, ...] = (
    "Groningen",
    "Friesland",
    "Drenthe",
    "Regio Zwolle",
    "Twente",
    "Stedendriehoek en Noordwest Veluwe",
    "FoodValley",
    "Midden-Gelderland",
    "Achterhoek",
    "Rijk van Nijmegen",
    "Rivierenland",
    "Midden-Utrecht",
    "Amersfoort",
    "Flevoland",
    "Gooi en Vechtstreek",
    "Noord-Holland Noord",
    "Zuid-Kennemerland en IJmond",
    "Groot Amsterdam",
    "Zaanstreek/Waterland",
    "Zuid-Holland Centraal",
    "Haaglanden",
    "Midden-Holland",
    "Holland Rijnland",
    "Rijnmond",
    "Drechtsteden",
    "Gorinchem",
    "Zeeland",
    "West-Brabant",
    "Midden-Brabant",
    "Noordoost-Brabant",
    "Helmond-De Peel",
    "Zuidoost-Brabant",
    "Noord-Limburg",
    "Midden-Limburg",
    "Zuid-Limburg",
)

# Spellings seen or expected in print, beyond what normalisation already folds together.
ALIASES: dict[str, str] = {
    "Noord-Holland (Noord)": "Noord-Holland Noord",
    "Kop van Noord-Holland": "Noord-Holland Noord",
    "Food Valley": "FoodValley",
    "Zwolle": "Regio Zwolle",
    "Stedendriehoek": "Stedendriehoek en Noordwest Veluwe",
    "Stedendriehoek en Noordwest-Veluwe": "Stedendriehoek en Noordwest Veluwe",
    "Zuid-Kennemerland & IJmond": "Zuid-Kennemerland en IJmond",
    "Zaanstreek Waterland": "Zaanstreek/Waterland",
    "Zaanstreek-Waterland": "Zaanstreek/Waterland",
    "Amsterdam": "Groot Amsterdam",
    "Helmond - De Peel": "Helmond-De Peel",
    "Gooi- en Vechtstreek": "Gooi en Vechtstreek",
    "Rijk van Nijmegen (Nijmegen)": "Rijk van Nijmegen",
    "Fryslân": "Friesland",
}

_PUNCTUATION = re.compile(r"[\s\-/&(),.'’`]+")


@lru_cache(maxsize=8192)  # the reader, the checks and the reorganisation table ask for the same names again and again
def normalise(name: str) -> str:
    """A key that ignores case, accents, punctuation and spacing: 'Súdwest-Fryslân ' -> 'sudwest fryslan'."""
    decomposed = unicodedata.normalize("NFKD", name)
    # Only non-ASCII text can hold combining marks: the reader calls this for every row.
    if decomposed.isascii():
        stripped = decomposed
    else:
        stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _PUNCTUATION.sub(" ", stripped.casefold()).strip()


def without_control_characters(text: str) -> str:
    """`text` without control characters (which no name holds and Excel cannot store)."""
    if text.isprintable():  # holds no control character: skip the per-character pass
        return text
    return "".join(ch for ch in text if ch in "\t\n\r" or unicodedata.category(ch) != "Cc")


def clean_name(name: str) -> str:
    """The printed name without stray outer or doubled spaces, as a user would type it."""
    return " ".join(name.split())


_BY_KEY: dict[str, str] = {normalise(r): r for r in REGIONS}
_BY_KEY.update({normalise(alias): canonical for alias, canonical in ALIASES.items()})


def canonical_region(printed: str) -> str | None:
    """The official name for a printed region name, or None when it is not one of the 35."""
    key = normalise(printed)
    if key in _BY_KEY:
        return _BY_KEY[key]
    # 'Regio Twente', 'Arbeidsmarktregio Twente'
    for prefix in ("arbeidsmarktregio ", "regio "):
        if key.startswith(prefix) and key[len(prefix) :] in _BY_KEY:
            return _BY_KEY[key[len(prefix) :]]
    return None


def closest(name: str, candidates: list[str] | tuple[str, ...]) -> str | None:
    """The candidate a user most likely meant by `name` (for 'bedoelt u ...?' messages)."""
    import difflib  # only for these messages: not imported on every read

    keyed = {normalise(c): c for c in candidates}
    match = difflib.get_close_matches(normalise(name), list(keyed), n=1, cutoff=0.6)
    return keyed[match[0]] if match else None
