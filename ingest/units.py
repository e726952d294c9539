"""Which province and district a file is from, for the whole country (units before July 2025).

The seeds hold the 63 provinces, 696 districts and 10,035 communes with their GSO codes
(``vn_*_pre2025_07``, from ``tools/national_units.py``) and the home province's own, more precise units
(``qn_*``: 2020 names and those of January 2025). District names repeat across provinces (ten are called
Châu Thành), so a district is chosen from evidence, never guessed:

- a name in the title rows, the file's name or its folders, after its kind ("UBND HUYỆN CHÂU THÀNH",
  "TP. Hạ Long"); the home province's districts are also recognised by their bare name, as before;
- the province, where the same text names it ("TỈNH TIỀN GIANG", a folder "Tien_Giang") or, failing that,
  where most citizen IDs of the file were issued (their first three digits);
- the communes the file lists: each commune name votes for every district that has a commune so named.

A name that still fits several districts is rejected with the candidates named (``ambiguous_district``).
Without any province named, the home province is tried first: it is the one whose files the warehouse
receives unless a file says otherwise.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import cache

from cadre import reference
from ingest import vocabulary as vocab
from ingest.text import fold

HOME = reference.project_var("province")["code"]
# district kinds as typed before a name (folded): "huyện", "quận", "thị xã", "thành phố", "TP.", "TX.", "H."
_DISTRICT_KIND = r"(?:huyen|quan|thi xa|thanh pho|tp|tx|h|q)"
_PROVINCE_KIND = r"(?:tinh|thanh pho|tp)"


@cache
def provinces() -> dict[str, str]:
    """province code -> name ("22" -> "Tỉnh Quảng Ninh")."""
    return {r["province_code"]: r["province_name"] for r in reference.rows("vn_provinces_pre2025_07")}


@cache
def _province_keys() -> dict[str, str]:
    """folded name without its kind -> province code ("quang ninh" -> "22", "ho chi minh" -> "79")."""
    return {re.sub(rf"^{_PROVINCE_KIND} ", "", fold(name)): code for code, name in provinces().items()}


@cache
def _province_by_prefix() -> dict[str, str]:
    """citizen-ID prefix (3 digits) -> province code."""
    return {r["cccd_prefix"]: r["province_code"] for r in reference.rows("vn_provinces_pre2025_07")}


@cache
def district_rows() -> dict[str, tuple[str, str]]:
    """district code -> (name, province code), the home province's 2020 names first."""
    names = {r["district_code"]: r["district_name"] for r in reference.rows("qn_districts_2020")}
    for r in reference.rows("vn_districts_pre2025_07"):
        names.setdefault(r["district_code"], r["district_name"])
    return {code: (name, vocab.district_province()[code]) for code, name in names.items()}


# a district kind as typed (folded) -> as split_unit names it: "Thị xã Cai Lậy" is not "Huyện Cai Lậy"
_KINDS = {"huyen": "huyen", "h": "huyen", "thi xa": "thi xa", "tx": "thi xa", "thanh pho": "thanh pho"}
_KINDS |= {"tp": "thanh pho", "quan": "quan", "q": "quan"}


@cache
def _district_kind() -> dict[str, str | None]:
    """district code -> its kind, folded ("huyen", "thi xa", "thanh pho", "quan")."""
    out = {}
    for code, (name, _) in district_rows().items():
        key = fold(name)
        out[code] = next((k for k in ("huyen", "thi xa", "thanh pho", "quan") if key.startswith(k + " ")), None)
    return out


@cache
def _district_keys() -> dict[str, set[str]]:
    """folded district name without its kind -> district codes (2020 and January 2025 names at home)."""
    out: dict[str, set[str]] = {}
    for code, (name, _) in district_rows().items():
        out.setdefault(_without_kind(name), set()).add(code)
    for r in reference.rows("qn_districts_2020"):
        out.setdefault(_without_kind(r["district_name_2025_01"]), set()).add(r["district_code"])
    return out


def _without_kind(name: str) -> str:
    """ "Quận 10" -> "10", "Thành phố Hạ Long" -> "ha long" (folded)."""
    return re.sub(rf"^{_DISTRICT_KIND} ", "", fold(name))


def _alternation(names: Iterable[str]) -> str:
    return "|".join(re.escape(n) for n in sorted({n for n in names if n}, key=len, reverse=True))


@cache
def _named_district() -> re.Pattern:
    return re.compile(rf"\b({_DISTRICT_KIND}) ({_alternation(_district_keys())})\b")


@cache
def _bare_home_district() -> re.Pattern:
    home = [name for name, codes in _district_keys().items() if any(district_rows()[c][1] == HOME for c in codes)]
    return re.compile(rf"\b({_alternation(home)})\b")


@cache
def _named_province() -> re.Pattern:
    return re.compile(rf"\b{_PROVINCE_KIND} ({_alternation(_province_keys())})\b")


def provinces_named(texts: Iterable[str | None], folders: Iterable[str] = ()) -> set[str]:
    """Provinces the texts name after their kind ("UBND TỈNH TIỀN GIANG"), or a folder is named after whole."""
    found = {_province_keys()[m] for t in texts for m in _named_province().findall(fold(t))}
    found |= {_province_keys()[key] for f in folders if (key := fold(f)) in _province_keys()}
    return found


def province_of_ids(ids: Iterable[str | None]) -> str | None:
    """The province that issued most (over half) of the 12-digit citizen IDs given, else None."""
    prefixes = Counter(_province_by_prefix().get(i[:3]) for i in ids if i and len(i) == 12 and i.isdigit())
    prefixes.pop(None, None)
    total = sum(prefixes.values())
    if not total:
        return None
    code, n = prefixes.most_common(1)[0]
    return code if 2 * n > total else None


def districts_named(text: str | None, within: set[str] = frozenset()) -> set[str]:
    """Every district the text names (after a kind; a home district also bare), within the provinces
    ``within`` when given. "Huyện Châu Thành" alone names ten."""
    key = fold(text)
    codes: set[str] = set()
    for kind, name in _named_district().findall(key):
        named = _district_keys()[name]
        of_kind = {c for c in named if _district_kind()[c] == _KINDS[kind]}
        codes |= of_kind or named  # a kind that changed since (huyện -> thị xã) still finds the name
    codes |= {c for name in _bare_home_district().findall(key) for c in _district_keys()[name]}
    return in_provinces(codes, within)


def district_in_cell(text: str | None, province: str | None = None) -> str | None:
    """The district a cell of a district column names ("Móng Cái", "TP Móng Cái", "H. Tiên Yên", "Châu Thành"),
    in ``province`` when known, else the home province's first; None for none or several."""
    within = {province} if province else set()
    named = districts_named(text, within)
    if not named:  # a name without its kind, of any province
        key = re.sub(rf"^{_DISTRICT_KIND}\s+", "", fold(text))
        named = in_provinces(set(_district_keys().get(key, ())), within)
    return next(iter(named)) if len(named) == 1 else None


def in_provinces(codes: set[str], provinces_: set[str]) -> set[str]:
    """The codes in the given provinces; without any, the home province's when some are, else all."""
    scope = provinces_ or {HOME}
    inside = {c for c in codes if district_rows()[c][1] in scope}
    return inside if inside or provinces_ else codes


def describe(codes: Iterable[str]) -> str:
    """ "807 Huyện Châu Thành (Tỉnh Tiền Giang), ..." for an error message."""
    return ", ".join(f"{c} {district_rows()[c][0]} ({provinces()[district_rows()[c][1]]})" for c in sorted(codes))


def district_of_votes(votes: Iterable[set[str]], within: set[str] = frozenset()) -> str | None:
    """The district most pieces of evidence point at (a commune name votes for every district with a
    commune so named), within the provinces given; None on a tie or without a vote."""
    counted: Counter = Counter()
    for districts in votes:
        counted.update(in_provinces(districts, within))
    ranked = counted.most_common(2)
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]
