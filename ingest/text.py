"""Text normalisation: NFC, trimmed, invisible characters removed, legacy TCVN3/VNI converted, folded keys.

Pure functions, plus their vectorised polars twins for whole columns.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

import polars as pl

# zero-width space/joiners, BOM, soft hyphen is NOT here (it is TCVN3's "ư"); NBSP and friends become spaces
# and the C0 controls a program may leave in a cell ("\x07", a C string's "\x00"), but the line breaks: a vertical tab
# or a form feed (a line break Word and old exports write) is a space
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff" + "".join(map(chr, [*range(0, 9), *range(14, 32)]))
_SPACES = "\u00a0\u2007\u202f\u3000\t\r\n\x0b\x0c"
_WS = re.compile(r"\s+")
# The look-alike Latin Eth typed for the Vietnamese Đ (U+00D0 for U+0110, and lower case): never Vietnamese.
_ETH = {"\u00d0": "\u0110", "\u00f0": "\u0111"}
_ODD_SPACE = rf"[{_INVISIBLE}{_SPACES}]|\s\s|^\s|\s$"
_UNCLEAN = rf"\p{{M}}|{_ODD_SPACE}|^$|[\u00d0\u00f0]"  # anything normalise_series would change
# Old-style tone placement -> the modern one, so "Hoà" and "Hòa" fold alike (after NFC).
_OLD_TONES = {
    "oà": "òa",
    "oá": "óa",
    "oả": "ỏa",
    "oã": "õa",
    "oạ": "ọa",
    "oè": "òe",
    "oé": "óe",
    "oẻ": "ỏe",
    "oẽ": "õe",
    "oẹ": "ọe",
    "uỳ": "ùy",
    "uý": "úy",
    "uỷ": "ủy",
    "uỹ": "ũy",
    "uỵ": "ụy",
}
_OLD_TONES.update({k.capitalize(): v.capitalize() for k, v in list(_OLD_TONES.items())})
_OLD_TONES.update({k.upper(): v.upper() for k, v in list(_OLD_TONES.items())})


@cache
def charmap(encoding: str) -> tuple[tuple[str, str], ...]:
    """(legacy sequence, Unicode) pairs, longest first, from viparse's validated tables; ``mojibake`` is
    Unicode text that was read as Windows-1252/1258 and saved again, pairs made here."""
    if encoding == MOJIBAKE:
        return _mojibake_pairs()
    from viparse.normalize.encodings import CHARMAPS

    return CHARMAPS[encoding].pairs


# UTF-8 opened as an ANSI file (a CSV double-clicked in Excel) and saved again: "Nguyễn" became "Nguyá»…n",
# "xã" "xÃ£" (Windows-1252) or "xĂ£" (Windows-1258, Vietnamese Windows). Its own "legacy encoding".
MOJIBAKE = "mojibake"
_PUNCTUATION = "–—‘’‚“”„…•·°±×÷€™«»§©®¼½¾"


def _mojibake_pairs() -> tuple[tuple[str, str], ...]:
    """Each Vietnamese letter's (and common punctuation's) UTF-8 bytes as the two code pages show them, longest
    first; a byte a code page leaves undefined shows as the C1 control of its value (as Windows maps it)."""
    chars = {*_vietnamese_letters(), *_PUNCTUATION, *map(chr, range(0xA0, 0x100))}
    pairs: dict[str, str] = {}
    for ch in sorted(chars):
        if len(raw := ch.encode("utf-8")) > 1:
            for page in ("cp1252", "cp1258"):
                pairs.setdefault("".join(bytes([b]).decode(page, "ignore") or chr(b) for b in raw), ch)
    return tuple(sorted(pairs.items(), key=lambda p: -len(p[0])))


@cache
def _vietnamese_letters() -> frozenset[str]:
    letters = set()
    for _, uni in charmap("tcvn3"):
        letters.update(uni)
        letters.update(uni.upper())
    return frozenset(letters)


def normalise(text: object, legacy: str | None = None) -> str | None:
    """The clean text of a cell: legacy-decoded, NFC, invisible characters removed, spaces collapsed."""
    if text is None:
        return None
    s = str(text)
    if legacy and not _in_unicode(s):  # a cell typed in Unicode in a legacy sheet stays as typed
        s = decode_legacy(s, legacy)
    s = unicodedata.normalize("NFC", s.translate(_CLEAN))  # invisible characters out first: "A\u200b\u0301" is "Á"
    s = _WS.sub(" ", s).strip()
    return s or None


# look-alike Đ/đ to the real letters, invisible characters out, odd spaces to a space: one table, made once
_CLEAN = {
    **{ord(k): v for k, v in _ETH.items()},
    **{ord(c): None for c in _INVISIBLE},
    **{ord(c): " " for c in _SPACES},
}


def decode_legacy(text: str, encoding: str) -> str:
    out, i, pairs = [], 0, charmap(encoding)
    by_first: dict[str, list[tuple[str, str]]] = {}
    for seq, uni in pairs:
        by_first.setdefault(seq[0], []).append((seq, uni))
    while i < len(text):
        for seq, uni in by_first.get(text[i], ()):
            if text.startswith(seq, i):
                out.append(uni)
                i += len(seq)
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


@lru_cache(maxsize=65536)
def fold(text: object) -> str:
    """A key for matching: lower case, no diacritics (đ -> d), modern tone placement, single spaces."""
    s = normalise(text) or ""
    for old, new in _OLD_TONES.items():
        s = s.replace(old, new)
    s = unicodedata.normalize("NFD", s.lower()).replace("đ", "d").replace("\u0111", "d")
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = re.sub(r"[^\w]+", " ", s)
    return s.strip()


def accent_blind(pattern: str) -> re.Pattern:
    """:func:`unaccented_too`, compiled to ignore case: Vietnamese words however a sheet types them."""
    return re.compile(unaccented_too(pattern), re.IGNORECASE)


def unaccented_too(pattern: str) -> str:
    """A regular expression that matches its Vietnamese words typed without diacritics as well ("tháng" also
    "thang", "đến" also "den"; a sheet typed so): each accented letter stands for itself or its bare letter."""
    out, in_class, i = [], False, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        bare = _bare(c)
        if in_class:
            in_class = c != "]"
            out.append(c + bare if bare != c else c)
        elif c == "[":
            in_class = True
            out.append(c)
        else:
            out.append(f"[{c}{bare}]" if bare != c else c)
        i += 1
    return "".join(out)


def _bare(c: str) -> str:
    if c.isascii() or not c.isalpha():
        return c
    return {"đ": "d", "Đ": "D"}.get(c) or unicodedata.normalize("NFD", c)[0]


_BLANKS = {ord(c): " " for c in _INVISIBLE + _SPACES}  # what normalise makes a space or nothing: no legacy letter


def detect_legacy(texts: list[str], font_names: set[str] | None = None) -> str | None:
    """The legacy encoding a sheet was typed in (``tcvn3``/``vni``), or None for Unicode.

    Cell fonts decide when the workbook records them (``.VnTime`` is TCVN3, ``VNI-Times`` is VNI); otherwise
    characters that no Vietnamese Unicode text contains (``µ``, ``¸``, ``×``...) must dominate.
    """
    fonts = {f.lower() for f in font_names or ()}
    # (a no-break or zero-width space is in no legacy encoding's letters: a sheet typed without diacritics keeps them)
    sample = "".join(t for t in texts if t)[:200_000].translate(_BLANKS)
    non_ascii = len(sample) - len(sample.encode("ascii", "ignore"))
    if not non_ascii:
        return None
    letters = _vietnamese_letters()
    foreign = _foreign(sample, letters)
    if foreign and not set(sample.translate(_known_table(letters))) - {"Ð", "ð"}:
        return None  # only a "Ð" for "Đ" (an export through a Western code page): no legacy text has only that
    by_font = (
        "tcvn3"
        if any(f.startswith(".vn") for f in fonts)
        else ("vni" if any(f.startswith("vni") for f in fonts) else None)
    )
    if by_font and foreign / non_ascii > 0.05:
        return by_font
    if foreign / non_ascii > 0.3:
        # no font to say which: the encoding whose decoding leaves the fewest characters no Vietnamese has
        # ("Hoï vaø teân" is VNI; as TCVN3 it stays foreign)
        left = {enc: _foreign(decode_legacy(sample[:20_000], enc), letters) for enc in ("tcvn3", "vni", MOJIBAKE)}
        if left[MOJIBAKE] < min(left["tcvn3"], left["vni"]):
            return MOJIBAKE
        if left["tcvn3"] != left["vni"]:
            return min(("tcvn3", "vni"), key=left.get)
        singles = {s for s, _ in charmap("tcvn3") if len(s) == 1}
        tcvn3_hits = sum(1 for c in sample if ord(c) > 127 and c in singles)
        return "tcvn3" if tcvn3_hits / non_ascii > 0.6 else "vni"
    # a sheet in Unicode with a few rows in a legacy encoding (pasted from an old file): several cells each with
    # characters no Vietnamese has, which one encoding turns into Vietnamese; the rows typed in Unicode are kept
    # as typed (typed_in_unicode)
    odd = [t for t in texts if t and _foreign(t, letters) >= 2][:200] if foreign >= 6 else []
    if len(odd) >= 3:
        for enc in [by_font] if by_font else ["tcvn3", "vni"]:
            if not any(_foreign(decode_legacy(t, enc), letters) for t in odd):
                return enc
    return None


def _foreign(text: str, letters: frozenset[str]) -> int:
    """How many characters of ``text`` are neither ASCII, nor Vietnamese letters, nor combining marks."""
    rest = text.translate(_known_table(letters))  # what no Vietnamese text is made of (none, in most sheets)
    return sum(1 for c in rest if unicodedata.category(c)[0] != "M")


@lru_cache(maxsize=4)
def _known_table(letters: frozenset[str]) -> dict[int, None]:
    """A ``str.translate`` table deleting ASCII and ``letters``."""
    return dict.fromkeys([*range(128), *map(ord, letters)])


# -- polars twins -------------------------------------------------------------------------------------
def normalise_series(values: pl.Series, legacy: str | None = None) -> pl.Series:
    """Vectorised :func:`normalise` for a whole column; each step runs only where the column needs it
    (NFC only when combining marks are present, space clean-up only when odd spaces are)."""
    if legacy:
        pairs = charmap(legacy)
        # leftmost: at each place the longest legacy sequence wins ("öôø" is "ườ", not "ươø")
        values = values.str.replace_many([s for s, _ in pairs], [u for _, u in pairs], leftmost=True)
    if not values.str.contains(_UNCLEAN).any():  # one pass over a clean column (the usual case)
        return values
    if values.str.contains(_ODD_SPACE).any():  # before NFC: a mark after an invisible character joins its letter
        values = values.str.replace_all(f"[{_INVISIBLE}]", "").str.replace_all(f"[{_SPACES}]", " ")
        values = values.str.replace_all(r"\s+", " ").str.strip_chars()
    if values.str.contains(r"\p{M}").any():
        values = values.str.normalize("NFC")
    if values.str.contains("[\u00d0\u00f0]").any():
        values = values.str.replace_many(list(_ETH), list(_ETH.values()))
    if (values == "").any():
        values = values.set(values == "", None)
    return values


# letters no legacy text read through a Western code page holds: what says a cell was typed in Unicode
_UNICODE_ONLY = "[ăĂđĐơƠưƯĩĨũŨ\u1ea0-\u1ef9\u0300-\u0323]"


@lru_cache(maxsize=1)
def _written() -> frozenset[str]:
    """What Unicode Vietnamese text is written with beyond ASCII: its letters, odd spaces, punctuation."""
    return _vietnamese_letters() | frozenset(_SPACES + _INVISIBLE + _PUNCTUATION)


def _in_unicode(text: str) -> bool:
    """A cell of a sheet in a legacy encoding typed in Unicode all the same (see :func:`typed_in_unicode`)."""
    return bool(re.search(_UNICODE_ONLY, text)) and not _foreign(text, _written())


def typed_in_unicode(frame: pl.DataFrame) -> pl.Series:
    """The rows of a sheet in a legacy encoding that were typed in Unicode all the same (a template in .VnTime,
    people added later with Unikey): a letter only Unicode writes (``ă``, ``đ``, ``ơ``, ``ư``, ``ạ``...) and no
    character foreign to Vietnamese. Decoded, they would be garbled ("Xã" read as TCVN3 is "Xó")."""
    known = "".join(sorted(_written()))
    foreign = "[^\\x00-\\x7f" + "".join(f"\\x{{{ord(c):x}}}" for c in known) + "\\p{M}]"
    row = pl.concat_str([pl.col(c) for c in frame.columns], separator=" ", ignore_nulls=True)
    return frame.select((row.str.contains(_UNICODE_ONLY) & ~row.str.contains(foreign)).fill_null(False)).to_series()


def normalise_frame(frame: pl.DataFrame, legacy: str | None = None) -> pl.DataFrame:
    """:func:`normalise_series` over every column of a frame of text, the clean columns found in one pass; in a
    legacy encoding, the rows typed in Unicode all the same (:func:`typed_in_unicode`) are not decoded."""
    if legacy and frame.width:
        decoded = frame.with_columns(normalise_series(frame.get_column(c), legacy) for c in frame.columns)
        if not (unicode := typed_in_unicode(frame)).any():
            return decoded
        kept, at = normalise_frame(frame.filter(unicode)), unicode.arg_true()
        return decoded.with_columns(decoded.get_column(c).scatter(at, kept.get_column(c)) for c in frame.columns)
    if frame.width == 0:
        return frame
    clean = frame.select(~pl.col(pl.String).str.contains(_UNCLEAN).any()).row(0, named=True)
    return frame.with_columns(normalise_series(frame.get_column(c)) for c in frame.columns if not clean.get(c))


def fold_expr(col: pl.Expr) -> pl.Expr:
    """Vectorised :func:`fold` over already-normalised text."""
    col = col.str.replace_many(list(_OLD_TONES), list(_OLD_TONES.values()), leftmost=True)
    col = col.str.to_lowercase().str.normalize("NFD").str.replace_all(r"\p{M}", "").str.replace_all("đ", "d")
    return col.str.replace_all(r"[^\w]+", " ").str.strip_chars()


def fold_series(values: pl.Series) -> pl.Series:
    """:func:`fold_expr` over a column, computed once per distinct value (names repeat; folding is costly)."""
    distinct = values.drop_nulls().unique()
    return values.replace_strict(distinct, pl.select(fold_expr(pl.lit(distinct))).to_series(), default=None)
