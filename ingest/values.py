"""Reading values: dates, citizen IDs, and reference codes chosen by the column a value sits in.

Every parser returns ``(value, reason)``: a value, or ``None`` and a reason code from ``errors.ROW_REASONS``.
They run once per distinct raw value (a column has far fewer distinct values than rows).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import cache

from cadre import reference
from ingest.text import fold

_EXCEL_EPOCH = date(1899, 12, 30)
_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00:00(?:\.0+)?)?$")
_SERIAL = re.compile(r"^\d{4,5}(?:\.0+)?$")


def parse_date(raw: str | None, role: str = "event", on: date | None = None) -> tuple[date | None, str | None]:
    """A date from an Excel date, ``dd/mm/yyyy``, ``d/m/yy`` or ISO text; never a guess.

    ``role="dob"`` decides a two-digit year by plausibility (age 16-80 on ``on``); any other role takes the
    century that puts the date in 1940..``on``. When both or neither century fit, the date is ambiguous.
    """
    if raw is None or str(raw).strip() == "":
        return None, None
    text = str(raw).strip()
    on = on or date.today()
    if m := _ISO.match(text):
        return _make(int(m[1]), int(m[2]), int(m[3]))
    if _SERIAL.match(text):  # an Excel serial that reached us as a number
        serial = int(float(text))
        if 1 <= serial <= 80_000:
            return _EXCEL_EPOCH + timedelta(days=serial), None
        return None, "invalid_date"
    m = _DMY.match(text)
    if not m:
        return None, "invalid_date"
    day, month, year = int(m[1]), int(m[2]), m[3]
    if month > 12 and day <= 12:
        return None, "ambiguous_date"  # looks like month/day: never swap silently
    if len(year) == 4:
        return _make(int(year), month, day)
    candidates = []
    for century in (1900, 2000):
        value, reason = _make(century + int(year), month, day)
        if reason:
            return None, reason
        if role == "dob":
            age = (on - value).days / 365.25
            if 16 <= age <= 80:
                candidates.append(value)
        elif date(1940, 1, 1) <= value <= on:
            candidates.append(value)
    if len(candidates) == 1:
        return candidates[0], None
    return None, "ambiguous_date"


def _make(year: int, month: int, day: int) -> tuple[date | None, str | None]:
    try:
        return date(year, month, day), None
    except ValueError:
        return None, "invalid_date"


@cache
def province_prefixes() -> frozenset[str]:
    return frozenset(r["cccd_prefix"] for r in reference.rows("cccd_province_codes_63"))


def parse_citizen_id(raw: str | None) -> tuple[str | None, str | None, str | None]:
    """(id, flag, reason). 12 digits with a real province prefix; a number that lost its leading zeros is
    restored (flag ``zero_restored``); an old 9-digit ID is kept (flag ``old_id_9``)."""
    if raw is None or str(raw).strip() == "":
        return None, None, None
    text = str(raw).strip()
    text = re.sub(r"\.0+$", "", text) if re.fullmatch(r"\d+\.0+", text) else text  # a number cell read as float
    text = re.sub(r"[\s.\-]", "", text)
    if not text.isdigit():
        return None, None, "invalid_citizen_id"
    if len(text) == 12 and text[:3] in province_prefixes():
        return text, None, None
    if len(text) == 9:
        return text, "old_id_9", None
    if 9 < len(text) < 12:
        padded = text.zfill(12)
        if padded[:3] in province_prefixes():
            return padded, "zero_restored", None
    return None, None, "invalid_citizen_id"


# -- reference codes by column ---------------------------------------------------------------------------
_SCALES = {
    "prof_level": ("level_professional", None),
    "llct": ("level_political_theory", None),
    "qlnn": ("level_state_management", None),
    "it": ("level_general_it_lang", "tin_hoc"),
    "lang": ("level_general_it_lang", "ngoai_ngu"),
}


def _clean(v: str) -> str:
    return re.sub(r"\s*\([^)]*\)", "", v or "").strip()


@cache
def value_map(field: str) -> dict[str, str]:
    """folded spelling -> code, for a qualification column or ``title``; built from the dbt seeds."""
    out: dict[str, str] = {}
    if field == "title":
        for row in reference.rows("cadre_titles"):
            names = [_clean(n) for n in row["title_vi"].split("|")]
            for spelling in [*names, *_clean(row["common_abbrev"]).split(";"), row["title_code"]]:
                if spelling.strip():
                    out[fold(spelling)] = row["title_code"]
        return out
    seed, dimension = _SCALES[field]
    for row in reference.rows(seed):
        if dimension and row["dimension"] != dimension:
            continue
        clean = {k: _clean(v) for k, v in row.items()}
        for spelling in reference.variants(clean, "code", "label_vi", "variants_seen"):
            out.setdefault(fold(spelling), row["code"])
    return out


def map_value(field: str, raw: str | None) -> tuple[str | None, str | None]:
    """(code, reason) for a qualification or title cell; blank is allowed (no level recorded)."""
    if raw is None or str(raw).strip() == "":
        return None, None
    code = value_map(field).get(fold(raw))
    if code:
        return code, None
    return None, "unknown_title" if field == "title" else "unmapped_value"


SEX = {"nam": "Nam", "nu": "Nữ", "m": "Nam", "f": "Nữ", "male": "Nam", "female": "Nữ"}


def parse_sex(raw: str | None) -> str | None:
    return SEX.get(fold(raw)) if raw else None


# -- administrative units ---------------------------------------------------------------------------------
_KINDS = (
    ("thanh pho", "thanh pho"),
    ("thi xa", "thi xa"),
    ("huyen", "huyen"),
    ("tp", "thanh pho"),
    ("tx", "thi xa"),
    ("thi tran", "thi tran"),
    ("phuong", "phuong"),
    ("xa", "xa"),
    ("tt", "thi tran"),
    ("p", "phuong"),
    ("x", "xa"),
    ("h", "huyen"),
)


def split_unit(name: str | None) -> tuple[str | None, str]:
    """(kind, folded name) of a commune or district name: "TT. Đầm Hà" -> ("thi tran", "dam ha")."""
    key = fold(name)
    for prefix, kind in _KINDS:
        if key.startswith(prefix + " "):
            return kind, key[len(prefix) + 1 :]
    return None, key


def unit_key(name: str | None) -> str:
    """Folded commune or district name without its kind ("Xã", "Phường", "Thị trấn", "Huyện", ...)."""
    return split_unit(name)[1]


@cache
def districts() -> dict[str, str]:
    """folded district name (without kind) -> district code (2020 and January 2025 names)."""
    out = {}
    for row in reference.rows("qn_districts_2020"):
        out[unit_key(row["district_name"])] = row["district_code"]
        out[unit_key(row["district_name_2025_01"])] = row["district_code"]
    return out


@cache
def communes() -> dict[str, dict[tuple[str | None, str], set[str]]]:
    """district code -> (kind, folded name) and (None, folded name) -> commune codes (2020, January 2025)."""
    out: dict[str, dict[tuple[str | None, str], set[str]]] = {}
    for seed in ("qn_communes_2020", "qn_communes_2025_01"):
        for row in reference.rows(seed):
            kind, name = split_unit(row["commune_name"])
            scope = out.setdefault(row["district_code"], {})
            scope.setdefault((kind, name), set()).add(row["commune_code"])
            scope.setdefault((None, name), set()).add(row["commune_code"])
    return out


def map_commune(raw: str | None, district: str | None) -> tuple[str | None, str | None]:
    """A commune code from its name as typed: with its kind if given ("Xã Đầm Hà" is not "Thị trấn Đầm Hà"),
    without it only where the name alone is unambiguous in the district."""
    if not raw:
        return None, "unknown_commune"
    text = str(raw).split(",")[0]  # "Xã X, huyện Y" -> "Xã X"
    kind, name = split_unit(text)
    scopes = [communes().get(district, {})] if district else list(communes().values())
    # "Phương Đông" is a bare name that merely starts like a kind ("phường"): try it whole as well
    for key in ((kind, name), (None, fold(text))):
        found: set[str] = set()
        for scope in scopes:
            found |= scope.get(key, set())
        if len(found) == 1:
            return found.pop(), None
    return None, "unknown_commune"
