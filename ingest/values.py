"""Reading values: dates, citizen IDs, sex, the reporting date. Pure functions.

Every parser returns ``(value, reason)``: a value, or ``None`` and a reason code from ``errors.ROW_REASONS``.
They run once per distinct raw value (a column has far fewer distinct values than rows). Words (titles,
levels, units) are read by :mod:`ingest.vocabulary`.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import cache

import polars as pl

from cadre import reference
from ingest.text import accent_blind, fold, unaccented_too

_EXCEL_EPOCH = date(1899, 12, 30)
_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00:00(?:\.0+)?)?$")
_DAY_MONTH = re.compile(r"^\d{1,2}\s*[/.\-]\s*\d{1,2}$")  # "15/7": a plan's day without its year
_SERIAL = re.compile(r"^\d{4,5}(?:\.0+)?$")
# The year alone ("1965", a number cell 1965.0, "00/00/1965", "../../1965"): common in commune lists.
# "00/", "../", "xx-", "??/", "--/", "…/", "  /": a day or month not known
_UNKNOWN_PART = r"(?:0{1,2}|\.{1,3}|…|x{1,2}|\?{1,2}|-{1,2}|)\s*[/.\-]\s*"
_YY = re.compile(r"^(\d\d)(?:\.0+)?$")  # a year of two digits alone, in a birth-year column
_YEAR = re.compile(rf"^(?:{_UNKNOWN_PART}{_UNKNOWN_PART})?((?:19|20)\d\d)(?:\.0+)?$", re.IGNORECASE)


def parse_date(
    raw: str | None, role: str = "event", on: date | None = None, flag: bool = False, year: int | None = None
) -> tuple[date | None, str | None] | tuple[date | None, str | None, str | None]:
    """A date from an Excel date, ``dd/mm/yyyy``, ``d/m/yy`` or ISO text; never a guess.

    ``role="dob"`` decides a two-digit year by plausibility (age 16-80 on ``on``); any other role takes the
    century that puts the date in 1940..``on``. When both or neither century fit, the date is ambiguous.
    A year alone gives 1 January of it, a month and year the 1st of that month; with ``flag`` a third value
    says so (``year_only``, ``month_only``). A day and month alone ("15/7") are of ``year`` (a plan's), where
    it is given (``year_from_title``). Of two days written in one cell in their order, an event
    (``role="event"``) is the first, an end (``role="end"``) the last.
    """
    text = _as_dmy(str(raw).strip()) if raw is not None else None
    if role == "event" and text and (since := _since(text)) != text:  # "Từ 01/7/2021 đến nay", "2021 - 2026"
        value, reason, precision = parse_date(since, role, on, True, year) if since else (None, "invalid_date", None)
        if value and _TERM.match(text):
            precision = "year_only"
        return (value, reason, precision) if flag else (value, reason)
    if role != "dob" and text and (two := _TWO_DAYS.match(text)):  # two days in their order: the first (or last)
        first, second = (_parse_date(_as_dmy(d), role, on)[0] for d in two.groups())
        if first and second and first <= second:
            day = second if role == "end" else first
            return (day, None, None) if flag else (day, None)
    if year and text and _DAY_MONTH.match(text):
        value, reason = _parse_date(f"{text}/{year}", role, on)
        return (value, reason, "year_from_title" if value else None) if flag else (value, reason)
    value, reason = _parse_date(text, role, on)
    if not flag:
        return value, reason
    precision = None
    if value is not None:
        year = _YEAR.match(text) or (role == "dob" and _YY.match(text))
        precision = "year_only" if year else "month_only" if _MONTH_YEAR.match(text) else None
    return value, reason, precision


def date_order(cells: list[str]) -> str | None:
    """How a column's dates are written when not day first, from all its cells: ``month_first`` where its text
    dates put the month first (a CSV an Excel set to English (US) saved: "3/15/1980", and never a first number
    above 12); ``day_month_swapped`` where an Excel set to month first took the day-first dates typed into it the
    wrong way round: the ones it could not take stayed text, each with a day above 12 ("25/03/1980"), and each
    one it took as a date has a "day" of at most 12 (typed "05/03/1980", kept as 3 May). None: day first."""
    cells = [c.strip() for c in cells if c]
    texts = [(int(m[1]), int(m[2])) for c in cells if (m := _DMY.match(c))]  # text d/m/y (or m/d/y)
    if any(b > 12 for _, b in texts) and not any(a > 12 for a, _ in texts):
        return "month_first"
    if len(texts) < 2 or any(a <= 12 for a, _ in texts):  # (the usual case: day-first text dates)
        return None
    dated = [int(m[3]) for c in cells if (m := _ISO.match(c))]  # the workbook's dates
    return "day_month_swapped" if len(dated) >= 2 and all(d <= 12 for d in dated) else None


def reordered(raw: str | None, order: str | None) -> str | None:
    """A date cell as day first, in a column whose dates are written otherwise (``date_order``)."""
    text = (raw or "").strip()
    if order == "month_first" and (m := _DMY.match(text)):
        return f"{m[2]}/{m[1]}/{m[3]}"
    if order == "day_month_swapped" and (m := _ISO.match(text)):
        return f"{m[1]}-{m[3]}-{m[2]}"
    return raw


def plain_date(text: pl.Expr) -> pl.Expr:
    """The date of a cell written the common way, ``dd/mm/yyyy`` or an Excel date (ISO), in this century or
    the last, read by polars without Python: what ``parse_date`` gives it. Null for any other cell (that one
    takes ``parse_date``)."""
    # (1905: a year typed into a cell formatted as a date, Excel's day of that number; parse_date reads the year)
    dmy = text.str.contains(r"^\d{1,2}/\d{1,2}/(?:19|20)\d\d$") & ~text.str.ends_with("/1905")
    iso = text.str.contains(r"^(?:19|20)\d\d-\d\d-\d\d(?: 00:00:00)?$") & ~text.str.starts_with("1905-")
    return (
        pl.when(dmy)
        .then(text.str.to_date("%d/%m/%Y", strict=False))
        .when(iso)
        .then(text.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False))
    )


# "ngày 12 tháng 5 năm 1974", "12 tháng 5 năm 1974"; a remark in brackets after a date ("(âm lịch)")
_WORDED = accent_blind(r"^(?:ngày\s*)?(\d{1,2})\s*tháng\s*(\d{1,2})\s*(?:năm|[/.\-,])\s*(\d{2}|\d{4})$")
# a day, month and four-digit year between spaces or commas, or a separator typed twice ("25 08 1967", "25,8,1967",
# "25/8//1967")
_LOOSE_DMY = re.compile(
    r"^(\d{1,2})(?:\s*,\s*|\s+|\s*[/.\-]{1,2}\s*)(\d{1,2})(?:\s*,\s*|\s+|\s*[/.\-]{1,2}\s*)((?:19|20)\d\d)$"
)
_REMARK = re.compile(r"\s*\([^)]*\)$")
# two days in an event's cell: a Party member's admission and the day it became full ("12/3/2010 - 12/3/2011",
# "DB: 12/3/2010; CT: 12/3/2011"), or a post's first and last day ("từ 01/7/2021 đến 30/6/2026"): the event is
# the first
_FULL = r"(\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*(?:19|20)\d\d)"
_TWO_DAYS = accent_blind(
    rf"^(?:(?:dự bị|db|từ ngày|từ)\s*[:.]?\s*)?{_FULL}\s*(?:[-–;,]|và|đến)?\s*"
    rf"(?:(?:chính thức|ct|đến ngày|đến)\s*[:.]?\s*)?{_FULL}$"
)
# the day something began, written as a time held since ("Từ 01/7/2021", "6/2021 - nay", "Từ tháng 6/2021 đến
# nay"), or a term's years ("Nhiệm kỳ 2021-2026", "2021 - 2026": its first year)
_SINCE = accent_blind(r"^(?:kể\s*)?từ\s*(?:ngày\s*)?(?=\S)")
_UNTIL_NOW = accent_blind(r"\s*(?:-|–|đến|tới|cho\s*đến)\s*(?:nay|hiện\s*nay|hiện\s*tại)\s*[.;]?$")
_TERM = accent_blind(r"^(?:nhiệm\s*kỳ|nk|giai\s*đoạn)?\s*((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)$")


def _since(text: str) -> str:
    """An event's day written as the time since it ("Từ 01/7/2021 đến nay"): the day alone; else as written."""
    if (term := _TERM.match(text)) and int(term[1]) < int(term[2]):
        return term[1]
    return _UNTIL_NOW.sub("", _SINCE.sub("", text)).strip()


# the month and year ("5/1974", "tháng 5/1974", "00/05/1974"): the first of that month, flagged
# ... "T5/1974", "tháng 5 năm 1974" too
_MONTH_YEAR = accent_blind(rf"^(?:tháng\s*|t\.?\s*|{_UNKNOWN_PART})?(\d{{1,2}})\s*(?:[/.\-]|năm)\s*((?:19|20)\d\d)$")


# Excel's "dd-mmm-yy" display format exported as text ("12-May-1974", "12 Jan 80")
_ENGLISH_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {m: i for i, m in enumerate(_ENGLISH_MONTHS, start=1)}
_NAMED_MONTH = re.compile(r"^(\d{1,2})[\s\-/.]*([a-z]{3})[a-z]*\.?[\s\-/.,]*(\d{2}|\d{4})$", re.IGNORECASE)
# ... and in Vietnamese, as Google Sheets and LibreOffice show a date ("12 thg 3, 1974", "12-thg 3-74")
_THG_MONTH = re.compile(r"^(\d{1,2})[\s\-/.,]*thg?\.?\s*(\d{1,2})[\s\-/.,]*(\d{2}|\d{4})$", re.IGNORECASE)
_YMD = re.compile(r"^((?:19|20)\d\d)\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{1,2})$")  # "1974/05/12", "1974-5-12"
# eight digits: a program's yyyymmdd ("19740512") or a date typed without separators ("12051974"); no string
# reads as both (the month of one would be "19" or "20")
_PACKED = re.compile(r"^(?:(?P<y>(?:19|20)\d\d)(?P<m>0[1-9]|1[0-2])(?P<d>\d\d)|(\d\d)(\d\d)((?:19|20)\d\d))$")


_YEAR_WORD = accent_blind(r"^năm\s+(?=\d{4}$)")
_DATE_WORD = accent_blind(r"^(?:ngày|sinh ngày|ns|sn|sinh năm|năm sinh)\s*[:.]?\s*(?=\d)")
_AGE_AFTER = accent_blind(r"(?<=\d)\s*[-–,;]\s*\d{1,3}\s*(?:t|tuổi)\.?$")


_GROUPED_YEAR = re.compile(r"^(1)[.,](9\d\d)$|^(2)[.,](0\d\d)$")


def _typed_year(text: str) -> str | None:
    """The year typed into a cell formatted as a date, which Excel keeps as that many days from 1900 (1980 shows
    as 02/06/1905): any day of 1905 whose number is a year of this domain (nobody here was born in 1905)."""
    if (m := _ISO.match(text)) and m[1] == "1905":
        month, day = int(m[2]), int(m[3])
    elif (m := _DMY.match(text)) and m[3] == "1905":
        month, day = int(m[2]), int(m[1])
    else:
        return None
    try:
        serial = (date(1905, month, day) - _EXCEL_EPOCH).days
    except ValueError:
        return None
    return str(serial) if 1900 <= serial <= 2099 else None


def _as_dmy(text: str) -> str:
    # Excel's text prefix typed as a character ("'12/05/1974"), a full stop after the date ("12/5/1974.")
    text = text.lstrip("'‘’`").rstrip(" .,;")
    text = _YEAR_WORD.sub("", text)  # "năm 1974"
    if text.startswith("(") and text.endswith(")"):  # "(12/5/1974)"
        text = text[1:-1].strip()
    text = _REMARK.sub("", text) if _REMARK.search(text) and text[0].isdigit() else text
    text = _DATE_WORD.sub("", text)
    # the age written after the birth year or date ("1985 - 38t", "1985, 38 tuổi"): the date is before it
    text = _AGE_AFTER.sub("", text)
    text = re.sub(r"(?<=\d)\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:am|pm|sa|ch))?$", "", text, flags=re.IGNORECASE)
    if year := _typed_year(text):  # a year typed into a cell formatted as a date
        return year
    if m := _GROUPED_YEAR.match(text):  # a year shown with its thousands mark, as a number ("1.979", "2,015")
        return "".join(filter(None, m.groups()))
    if m := _WORDED.match(text):
        return f"{m[1]}/{m[2]}/{m[3]}"
    if m := _LOOSE_DMY.match(text):
        return f"{m[1]}/{m[2]}/{m[3]}"
    if (m := _NAMED_MONTH.match(text)) and m[2].lower() in _MONTHS:
        return f"{m[1]}/{_MONTHS[m[2].lower()]}/{m[3]}"
    if m := _THG_MONTH.match(text):
        return f"{m[1]}/{m[2]}/{m[3]}"
    if m := _YMD.match(text):
        return f"{m[4]}/{m[3]}/{m[1]}"
    if m := _PACKED.match(text):
        return f"{m['d']}/{m['m']}/{m['y']}" if m["y"] else f"{m[4]}/{m[5]}/{m[6]}"
    return text


def _parse_date(text: str | None, role: str, on: date | None) -> tuple[date | None, str | None]:
    if text is None or text == "":
        return None, None
    on = on or date.today()
    if m := _YEAR.match(text):
        return date(int(m[1]), 1, 1), None
    if (m := _MONTH_YEAR.match(text)) and 1 <= int(m[1]) <= 12:
        return date(int(m[2]), int(m[1]), 1), None
    if m := _ISO.match(text):
        return _make(int(m[1]), int(m[2]), int(m[3]))
    if role == "dob" and (m := _YY.match(text)):  # a birth year in two digits ("75"): as a d/m/yy date's year
        return _two_digit_year(1, 1, m[1], role, on)
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
    return _two_digit_year(day, month, year, role, on)


def _two_digit_year(day: int, month: int, year: str, role: str, on: date) -> tuple[date | None, str | None]:
    """The century a two-digit year is of: the one plausible one (see ``parse_date``), else ambiguous."""
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


def _rank(before: str, line: str) -> int:
    """0: the date a list is as of; 2: the date of a document it refers to; 1: any other."""
    if re.search(r"\b(den|thoi diem|tinh den|so lieu)\b", before):
        return 0
    if re.search(r"\b(kem theo|bao cao so|quyet dinh|cong van|ban hanh)\b", line):
        return 2
    return 1


def _make(year: int, month: int, day: int) -> tuple[date | None, str | None]:
    try:
        return date(year, month, day), None
    except ValueError:
        return None, "invalid_date"


_DAY = r"(\d{1,2})(?:\s*[/.\-]\s*(\d{1,2}))?(?:\s*[/.\-]\s*(\d{4}))?"


# a day as a letter spells it: "ngày 24 tháng 5 năm 2024", "ngày 20 tháng 5" (its year later in the cell)
_SPELLED_DAY = accent_blind(r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})(?:\s*(?:năm|[/.\-])\s*((?:19|20)\d\d))?(?!\d)")
# days of one month before its word: "15 - 19 tháng 7 năm 2024" is 15-19/7/2024, not the month
_DAYS_OF_MONTH = accent_blind(
    r"(?<![\d/])(\d{1,2})\s*[-–]\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*(?:năm|[/.\-])\s*((?:19|20)\d\d)(?!\d)"
)


def _as_slashes(m: re.Match) -> str:
    return "/".join(g for g in m.groups() if g)


_FROM_DAY = accent_blind(r"^\s*(?:từ\s*(?:ngày)?|ngày)\s*")
_DAY_SPAN = accent_blind(rf"{_DAY}\s*(?:-|–|—|đến(?:\s*ngày)?)\s*{_DAY}")


def parse_period(raw: str | None, year: int | None = None) -> tuple[str | None, str | None, str | None]:
    """:func:`_period` of a cell, or of each of the periods it lists ("Quý III; Quý IV", a plan's quarters ticked
    in a column each): from the first's first day to the last's last day, flagged as the least precise."""
    first, last, flag = _period(raw, year)
    if first is not None or raw is None or ";" not in str(raw):
        return first, last, flag
    read = [_period(piece, year) for piece in str(raw).split(";") if piece.strip()]
    if len(read) < 2 or any(r[0] is None for r in read):
        return None, None, None
    days = [_make(*map(int, reversed(day.split("/"))))[0] for r in read for day in r[:2]]
    flags = {r[2] for r in read}
    flag = next((f for f in ("quarter_only", "month_only", "year_from_title") if f in flags), None)
    first, last = min(days), max(days)
    return f"{first.day}/{first.month}/{first.year}", f"{last.day}/{last.month}/{last.year}", flag


# a month or quarter spelled out ("Tháng Sáu 2024", "Quý Hai/2024"); never "tháng năm" (May, but also a form's
# blanks: "ngày ... tháng ... năm 2024")
_SPELLED_MONTHS = {
    "muoi hai": 12, "chap": 12, "muoi mot": 11, "muoi": 10, "chin": 9, "tam": 8, "bay": 7, "sau": 6,
    "tu": 4, "ba": 3, "hai": 2, "mot": 1, "gieng": 1,
}  # fmt: skip
_SPELLED_MONTH = accent_blind(
    r"(?<!\w)(tháng|quý)\s+(mười\s+hai|chạp|mười\s+một|mười|chín|tám|bảy|sáu|tư|ba|hai|một|giêng)(?!\w)(\s+(?:19|20)\d\d)?"
)


def _spelled_out(text: str) -> str:
    """ "Tháng Sáu 2024" as "Tháng 6/2024", "Quý Hai năm 2024" as "Quý 2 năm 2024"."""
    return _SPELLED_MONTH.sub(
        lambda m: f"{m[1]} {_SPELLED_MONTHS[' '.join(fold(m[2]).split())]}" + (f"/{m[3].strip()}" if m[3] else ""),
        text,
    )


def _period(raw: str | None, year: int | None = None) -> tuple[str | None, str | None, str | None]:
    """A class's dates written in one cell, as (first day, last day) in d/m/yyyy and a flag: "12/3/2023 -
    16/3/2023", "từ 12/3 đến 16/3/2023" (the year, and the month, written once at the end), "12-16/3/2023"; a
    plan's month or quarter ("Tháng 5/2024", "T11-12/2024", "Quý III/2024"): its first and last day, flagged
    ``month_only``/``quarter_only``; one day ("12/5/2025") or days listed ("10, 11/3/2025") as first and last;
    else (None, None, None). A cell without a year ("15-19/7", "Tháng 9") is of ``year``, the plan's, where it
    names one (flagged ``year_from_title`` unless another flag says more); days that would run backwards over
    the new year ("29/12 - 2/1") are not guessed."""
    if year and raw is not None and not re.search(r"(?:19|20)\d\d", str(raw)):
        text = str(raw).strip().rstrip(".")
        first, last, flag = _period(f"{text} {year}" if fold(text).endswith("nam") else f"{text}/{year}")
        if (
            first is None
            or _make(*map(int, reversed(first.split("/"))))[0] > _make(*map(int, reversed(last.split("/"))))[0]
        ):
            return None, None, None
        return first, last, flag or "year_from_title"
    text = _SPELLED_DAY.sub(_as_slashes, _spelled_out(str(raw or "")))  # "ngày 24 tháng 5 năm 2024": 24/5/2024
    text = _DAYS_OF_MONTH.sub(lambda m: f"{m[1]}-{m[2]}/{m[3]}/{m[4]}", text)
    text = _FROM_DAY.sub("", text).strip().rstrip(" .;,")  # "Ngày 15-17/5/2023" too; "Quý III/2024."
    text = _ROMAN_MONTH.sub(lambda m: f"{m[1]}{_ROMANS.index(m[2].upper()) + 1}", text)  # "9-13/VI/2025"
    if lasting := _LASTING.fullmatch(text):  # "05 ngày, từ 15/7/2025": the first day and how many
        first, _ = _make(int(lasting[4]), int(lasting[3]), int(lasting[2]))
        if first and 1 <= int(lasting[1]) <= 366:
            last = first + timedelta(days=int(lasting[1]) - 1)
            return f"{first.day}/{first.month}/{first.year}", f"{last.day}/{last.month}/{last.year}", None
    if half := _HALF.fullmatch(text):  # "6 tháng đầu năm 2025", "6 tháng cuối năm 2025": those six months
        first = 1 if fold(half[1]) == "dau" else 7
        return f"1/{first}/{half[2]}", f"{30 if first == 1 else 31}/{first + 5}/{half[2]}", "month_only"
    if (span := _BARE_MONTHS.fullmatch(text)) and 1 <= int(span[1]) < int(span[2]) <= 12:  # "10-12/2024"
        return _months(f"tháng {span[1]}-{span[2]}/{span[3]}")
    if days := _DAYS.fullmatch(text):  # one day, or days of one month listed
        return f"{days[1]}/{days[3]}/{days[4]}", f"{days[2] or days[1]}/{days[3]}/{days[4]}", None
    m = _DAY_SPAN.fullmatch(text)
    if not m or not m[6]:
        months = _months(text)
        if months[0] is None and (bare := _REMARK.sub("", text)) != text and bare:  # "12/5/2025 (1 ngày)"
            return _period(bare)
        return months
    d1, m1, y1, d2, m2, y2 = m.groups()
    month2 = m2 or m1
    if not month2:
        return None, None, None
    return f"{d1}/{m1 or month2}/{y1 or y2}", f"{d2}/{month2}/{y2}", None


_ROMANS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
# a month in Roman numerals between a day and a year, or after "tháng" ("9-13/VI/2025", "tháng VII/2025")
_ROMAN_MONTH = accent_blind(
    r"((?:[/.\-]|tháng)\s*)(XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)(?=\s*[/.\-]\s*(?:19|20)\d\d)"
)
_LASTING = accent_blind(
    r"(\d{1,3})\s*ngày\s*[,;:(]?\s*(?:từ\s*(?:ngày\s*)?)?(\d{1,2})\s*[/.]\s*(\d{1,2})\s*[/.]\s*((?:19|20)\d\d)\)?"
)
_HALF = accent_blind(r"6\s*tháng\s*(đầu|cuối)\s*năm\s*((?:19|20)\d\d)")
_DAYS = re.compile(
    r"(\d{1,2})(?:(?:\s*(?:,|;|và|&)\s*\d{1,2})*\s*(?:,|;|và|&)\s*(\d{1,2}))?"
    r"\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*((?:19|20)\d\d)",
    re.IGNORECASE,
)
# a month, a span of months, or two months listed ("Tháng 5, 6/2025", "Tháng 5 và tháng 6")
_MONTHS_SPAN = accent_blind(
    r"(?:tháng|th\.?|t\.?)\s*(\d{1,2})(?:\s*(?:-|–|đến|(,|và|&))\s*(?:(?:tháng|th\.?|t\.?)\s*)?(\d{1,2}))?"
    r"\s*(?:/|-|\.|năm)\s*"
    r"((?:19|20)\d\d)|(\d{1,2})\s*[/.\-]\s*((?:19|20)\d\d)"
)
# months of a year without the word ("10-12/2024": October to December; a day would have its month, "10-12/3/2024")
_BARE_MONTHS = re.compile(r"(\d{1,2})\s*[-–]\s*(\d{1,2})\s*/\s*((?:19|20)\d\d)")
# "Quý III/2024", and a part of it: "Cuối quý II/2024", "Đầu quý IV năm 2024"
_QUARTER = accent_blind(
    r"(?:(?:đầu|cuối|giữa|trong)\s*)?(?:quý|q\.?)\s*([ivx]+|[1-4])\s*(?:/|-|\.|năm)?\s*((?:19|20)\d\d)"
    # ... or quarters one after another: "Quý II - III/2024", "Quý 2 đến quý 3 năm 2024"
    r"|quý\s*([ivx]+|[1-4])\s*(?:-|–|đến)\s*(?:quý\s*)?([ivx]+|[1-4])\s*(?:/|-|\.|năm)?\s*((?:19|20)\d\d)"
)
_MONTH_IN = accent_blind(  # a month named inside more words: "Đợt 2 (tháng 7/2025)", "Tuần 3 tháng 6/2025"
    r"(?<!\w)tháng\s*(\d{1,2})(?:\s*(?:-|–|đến)\s*(?:tháng\s*)?(\d{1,2}))?\s*(?:/|-|\.|năm)\s*((?:19|20)\d\d)(?!\d)"
)


_MONTH_WORD = accent_blind(r"(?<!\w)tháng(?!\w)")


def _months(text: str) -> tuple[str | None, str | None, str | None]:
    """A month, a span of months or a quarter as its first and last day, flagged."""
    if m := _QUARTER.fullmatch(text):
        opening, closing = _QUARTERS.get((m[1] or m[3]).lower()), _QUARTERS.get((m[1] or m[4]).lower())
        first, last, year, flag = (opening or 0) - 2, closing, int(m[2] or m[5]), "quarter_only"
    elif m := _MONTHS_SPAN.fullmatch(text):
        first, last = int(m[1] or m[5]), int(m[3] or m[1] or m[5])
        year, flag = int(m[4] or m[6]), "month_only"
        if m[2] and last != first + 1:  # months listed, not one after the other ("Tháng 5, 7/2025"): no span
            return None, None, None
    elif (
        len(found := _MONTH_IN.findall(text)) == 1
        and len(_MONTH_WORD.findall(text)) == 1
        and not re.search(r"\d{1,2}\s*/\s*\d{1,2}\s*/", text)
        and len(re.findall(r"(?<![\d/])\d{1,2}\s*/\s*(?:19|20)\d\d", text)) == 1  # not "Tháng 3/2024 và 9/2024"
    ):
        first, last, year, flag = int(found[0][0]), int(found[0][1] or found[0][0]), int(found[0][2]), "month_only"
    else:
        return None, None, None
    if not (last and 1 <= first <= last <= 12):
        return None, None, None
    end = (date(year + last // 12, last % 12 + 1, 1) - timedelta(days=1)).day
    return f"1/{first}/{year}", f"{end}/{last}/{year}", flag


@cache
def province_prefixes() -> frozenset[str]:
    return frozenset(r["cccd_prefix"] for r in reference.rows("cccd_province_codes_63"))


_ID_LABEL = unaccented_too(
    r"^(?:số\s*)?(?:(?:cccd|cmnd|cmtnd|cmt|căn cước|định danh)\s*(?:số\s*)?)?[:.]?\s*['\"‘’`]?|['\"‘’]$"
)


# a number as Excel shows one too long for its cell: "2.20751E+11", "2,20751E+11" (a decimal comma)
SCIENTIFIC = re.compile(r"(\d)[.,]?(\d*)[eE]\+?(\d{1,2})")


def parse_citizen_id(raw: str | None) -> tuple[str | None, str | None, str | None]:
    """(id, flag, reason). 12 digits with a real province prefix; a number that lost its leading zeros is
    restored (flag ``zero_restored``); an old 9-digit ID is kept (flag ``old_id_9``). A cell saying there is
    none ("Chưa cấp", "Không", "-", "0") is no ID, flagged ``none_written``: the person is placed otherwise."""
    if raw is None or str(raw).strip() == "":
        return None, None, None
    text = str(raw).strip()
    if not re.search(r"[1-9]", text) and len(text) <= 40:  # no digit but zeros: words or marks, not a number
        return None, "none_written", None
    text = re.sub(r"\.0+$", "", text) if re.fullmatch(r"\d+\.0+", text) else text  # a number cell read as float
    if sci := SCIENTIFIC.fullmatch(text):  # as Excel shows a long number ("2.20751E+11"), saved so in a CSV
        digits, shift = sci.group(1) + sci.group(2), int(sci.group(3))
        if len(digits) <= shift or digits[shift + 1 :].strip("0"):  # digits lost to the display: no ID to read
            return None, None, "invalid_citizen_id"
        return parse_citizen_id(digits[: shift + 1])
    # Excel's text prefix typed as a character ("'022...") and a label before the number ("CCCD: 022...")
    text = re.sub(_ID_LABEL, "", text, flags=re.IGNORECASE)
    if len(ids := re.findall(r"(?<!\d)\d{12}(?!\d)", text)) == 1 and re.search(r"(?<!\d)\d{9}(?!\d)", text):
        return parse_citizen_id(ids[0])  # the old number and the new in one cell ("100456789 - 022075001234")
    issued = re.match(r"(\d{12}|\d{9})\s*(?:[,;/(–-]|\s(?=\D))", text)  # "Số CMND/ Ngày cấp/ Nơi cấp" in one cell
    text = issued.group(1) if issued else re.sub(r"[\s.\-]", "", text)
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


SEX = {"nam": "Nam", "nu": "Nữ", "m": "Nam", "f": "Nữ", "male": "Nam", "female": "Nữ"}
SEX |= {"nam gioi": "Nam", "nu gioi": "Nữ"}  # "Nam giới", "Nữ giới"
SEX |= {"ong": "Nam", "ba": "Nữ"}  # a list's form of address ("Ông/Bà" column of a certificate or invitation list)


def parse_sex(raw: str | None) -> str | None:
    return SEX.get(fold(raw)) if raw else None


_QUARTERS = {"i": 3, "1": 3, "ii": 6, "2": 6, "iii": 9, "3": 9, "iv": 12, "4": 12}


def period_end(texts: list[str], on: date | None = None) -> date | None:
    """The last day of the period a title names when it gives no day: "tháng 6/2023" or "tháng 6 năm 2023"
    (30/6/2023), "Quý IV/2022", "6 tháng đầu năm 2023" (30/6/2023), "năm 2022" (31/12/2022); "đầu năm 2023" is
    as the year began (1/1/2023). The first text
    that names one decides; a span of years ("nhiệm kỳ 2021-2026") names none, nor a period not yet ended on
    ``on`` (today): "năm 2026" sent in June is no list as of 31 December."""
    for text in texts:
        words = fold(text)
        if re.search(r"\b(19|20)\d\d\s+(19|20)\d\d\b", words):  # "2021-2026", "2020 - 2025"
            continue
        if re.search(r"\bngay\b.*\bthang\b", words):  # "Tiên Yên, ngày ... tháng ... năm 2022": a signature's
            continue
        # "tháng 12/2024", and in a file's name "T12-2024", "T06.2024"; "Quý IV/2022", "Q4-2024"
        if m := re.search(r"\b(?:thang |t ?)(\d{1,2}) (?:nam )?((?:19|20)\d\d)\b", words):
            month, year = int(m[1]), int(m[2])
        elif m := re.search(r"\b(?:quy ?(iv|iii|ii|i|[1-4])|q ?([1-4])) (?:nam )?((?:19|20)\d\d)\b", words):
            month, year = _QUARTERS[m[1] or m[2]], int(m[3])
        # the first months of a year: "BC 6 tháng 2024" (mid-year), "9 tháng năm 2024", "3 tháng đầu năm 2024"
        elif m := re.search(r"(?<!\d)([1-9]|1[0-2]) ?thang (?:dau )?(?:nam )?((?:19|20)\d\d)\b", words):
            month, year = int(m[1]), int(m[2])
        elif (m := re.search(r"\b((?:19|20)\d\d)\b", words)) and (
            n := re.search(r"(?<!\d)([1-9]|1[0-2]) ?thang dau nam\b", words)
        ):
            month, year = int(n[1]), int(m[1])  # "Biểu 01 - 2024 (6 tháng đầu năm)"
        elif m := re.search(r"\bdau nam ((?:19|20)\d\d)\b", words):  # "đầu năm 2025": as the year began
            start = date(int(m[1]), 1, 1)
            return start if start <= (on or date.today()) else None
        elif m := re.search(r"\bnam ((?:19|20)\d\d)\b", words):
            month, year = 12, int(m[1])
        else:
            continue
        if 1 <= month <= 12:
            end = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
            return end if end <= (on or date.today()) else None
    return None


def plan_year(titles: list[str], names: list[str]) -> int | None:
    """The year a plan is for, for its cells that give none: the period its title rows name ("KẾ HOẠCH ... NĂM
    2025"), else the one year its sheet's or file's name gives ("KH 2026", "ke_hoach_2025"); a span of years
    ("giai đoạn 2022-2025") or two years name none."""
    if named := period_end(titles, on=date.max):
        return named.year
    for name in names:
        if years := set(re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", name)):
            return int(years.pop()) if len(years) == 1 else None
    return None


def date_in_text(text: str | None) -> date | None:
    """The first date a free text names, a month or a year as its last day: "Nghỉ hưu từ 01/10/2022" (1 October
    2022), "chuyển công tác tháng 8/2022" (31 August), "nghỉ hưu năm 2022" or "2022" (31 December)."""
    words = fold(text)  # separators are spaces: "01 10 2022", "thang 8 2022"
    year = r"((?:19|20)\d\d)(?!\d)"
    for m in re.finditer(rf"(?<!\d)(\d{{1,2}}) (?:thang )?(\d{{1,2}}) (?:nam )?{year}", words):
        value, _ = _make(int(m[3]), int(m[2]), int(m[1]))
        if value:
            return value
    if (m := re.search(rf"(?<!\d)(\d{{1,2}}) (?:nam )?{year}", words)) and 1 <= int(m[1]) <= 12:
        month = int(m[1])
        return date(int(m[2]) + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    if m := re.search(rf"(?<!\d){year}", words):
        return date(int(m[1]), 12, 31)
    return None


def signed_on(text: str | None) -> date | None:
    """The day a signature line under a table gives ("Hải Hà, ngày 05 tháng 01 năm 2025", "..., ngày 5/1/2025"),
    written in full; None for none, a month or a year, or a form's blanks ("ngày ... tháng ... năm 20...")."""
    m = re.search(r"\bngay (\d{1,2}) (?:thang )?(\d{1,2}) (?:nam )?((?:19|20)\d\d)\b", fold(text))
    return _make(int(m[3]), int(m[2]), int(m[1]))[0] if m else None


def reporting_date(texts: list[str], file_name: str, documents: bool = True) -> date | None:
    """The reporting date from the title rows ("tính đến ngày 30/12/2020", "30 tháng 6 năm 2022"), else from
    the file name ("DS CBCC 31.12.2021.xlsx", "..._2020-12-30.xlsx"). A date the list is "as of" ("đến",
    "thời điểm") wins over one that merely dates a document ("Kèm theo Báo cáo số 12/BC-UBND ngày 5/1/2022");
    without ``documents`` such a date is not taken at all."""
    found: list[tuple[int, date]] = []
    for text in texts:
        words = fold(text)
        dates = [
            (m.start(), m[0]) for m in re.finditer(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})", text or "")
        ]
        for start, raw in dates:
            value, reason = parse_date(raw, "event")
            if value and not reason:
                found.append((_rank(fold((text or "")[:start]), words), value))
        for m in re.finditer(r"ngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})", words):
            value, _ = _make(int(m[3]), int(m[2]), int(m[1]))
            if value:
                found.append((_rank(words[: m.start()], words), value))
    found = [f for f in found if documents or f[0] < 2]
    if found:
        return min(found, key=lambda f: f[0])[1]
    for pattern, order in (
        (r"((?:19|20)\d\d)[-_.](\d{2})[-_.](\d{2})(?!\d)", "ymd"),  # "2023-12-31", "2023_12_31"
        (r"(\d{1,2})[.\-_](\d{1,2})[.\-_](\d{4})", "dmy"),
        (r"(?<!\d)(\d{2})(\d{2})(\d{4})(?!\d)", "dmy"),
        (r"(?<!\d)((?:19|20)\d\d)(\d{2})(\d{2})(?!\d)", "ymd"),  # a program's "..._20241231.csv"
        (r"(?<![^\W_])(?<![.\-/])(\d{1,2})[.\-_](\d{1,2})[.\-_](\d{2})(?!\d|[.\-_/]\d)", "dmy"),  # "30.6.24"
    ):
        if m := re.search(pattern, file_name):
            y, mth, d = (m[1], m[2], m[3]) if order == "ymd" else (m[3], m[2], m[1])
            year = int(y) + (2000 if len(y) == 2 else 0)
            value, reason = _make(year, int(mth), int(d))
            if value and (len(y) == 4 or value <= date.today()):  # "31.12.29" is no list of 1929 nor yet of 2029
                return value
    return None
