"""Text as districts type it: NFC Unicode, NFD-decomposed Unicode, or the TCVN3 (ABC, ``.VnTime``) legacy font."""

from __future__ import annotations

import unicodedata
from functools import cache


@cache
def _tcvn3_table() -> dict[str, str]:
    from viparse.normalize.tcvn3 import _ENTRIES  # the converter ingest uses, read backwards

    return {unicode: surface for surface, unicode in _ENTRIES}


def tcvn3(text: str) -> str:
    """``text`` as a cell typed in ``.VnTime`` shows it (Unicode code points of the TCVN3 bytes).

    TCVN3 has no upper-case toned letters: headings (set in ``.VnTimeH``) use the lower-case toned byte,
    and so does ordinary text, as clerks typed it ("Ái Quốc" shows "ái Quốc" in ``.VnTime``);
    "Ủy" is typed in the old style "Uỷ". Anything else unencodable is a bug.
    """
    table = _tcvn3_table()
    text = unicodedata.normalize("NFC", text.replace("Ủy", "Uỷ"))
    out = []
    for ch in text:
        if ch in table:
            out.append(table[ch])
        elif ord(ch) < 128:
            out.append(ch)
        elif ch.lower() in table:
            out.append(table[ch.lower()])
        else:
            raise ValueError(f"{ch!r} in {text!r} cannot be typed in TCVN3")
    return "".join(out)


def encode(text: str, style: str) -> str:
    if style == "tcvn3":
        return tcvn3(text)
    if style == "nfd":
        return unicodedata.normalize("NFD", text)
    return text
