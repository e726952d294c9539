"""From records (one per row, cells as read) to typed rows to load, rows to quarantine with a reason for
each, and rows to skip. A person is never erased for one unknown value: an unknown title or commune refuses
the row (they place the person), an unknown qualification value loads it with that level unknown and flagged.

Vectorised with polars; value parsers run once per distinct raw value and are joined back.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache, partial

import polars as pl

from ingest import people, units, values
from ingest import vocabulary as vocab
from ingest.text import fold, fold_expr, fold_series, normalise_frame, unaccented_too

DATE_ROLES = {
    "dob": "dob",
    "party_date": "event",
    "appointment_date": "event",
    "title_until": "end",  # of two days in a cell ("từ 01/7/2021 đến 30/6/2026"), the last
    "start_date": "event",
    "end_date": "end",
}
# the dates a row is refused for when they cannot be read: the birth date says who a person is, a class's days
# what it was; a Party member's or an appointment's day, or a post's last, is one fact about someone counted anyway
REFUSING_DATES = frozenset({"dob", "start_date", "end_date"})
LEVELS = vocab.LEVELS
ANSWERS = vocab.answers()  # per survey question, folded option label -> code
_INDEX_ROW = r"^\(?\d{1,2}\)?(?:\x1f\(?\d{1,2}\)?)*$"  # each cell of a row a column's number ("1", "(2)")
_DIGITS_LOST = "shown by Excel in scientific notation: its last digits are lost; type the column as text"


def each_value(frame: pl.DataFrame, name: str, fn: Callable, dtype: pl.DataType) -> pl.Expr:
    """``fn`` of each cell of a column, computed once per distinct value (null where the frame has no such
    column)."""
    if name not in frame.columns:
        return pl.lit(None, dtype)
    said = frame.get_column(name).drop_nulls().unique().to_list()
    return pl.col(name).replace_strict(said, [fn(v) for v in said], default=None, return_dtype=dtype)


@dataclass
class Context:
    kind: str
    sheet: str
    reporting_date: date | None = None
    district_code: str | None = None
    legacy: str | None = None
    class_code: str | None = None
    province: str | None = None  # a roster's province, when its title rows name one: where its units are
    completed: bool | None = None  # what a roster's title says of every student it lists (vocab.listed_as_completed)
    year: int | None = None  # a plan's year, for its dates written without one (values.plan_year)
    unit_column: bool = False  # the rows' units are in a column of their own (not a title line's commune)
    date_orders: dict[str, str] = field(default_factory=dict)  # a date column not day first: how (values.date_order)
    organisation: str | None = None  # the extra column naming each row's organisation ("Đảng ủy", "HĐND")
    # a roster of one class: the class's name and days (ISO) as its title rows give them
    class_name: str | None = None
    class_start: str | None = None
    class_end: str | None = None
    after_reform: bool = False  # a roster's class or a survey's answers after 1 July 2025: its units are the new ones
    memo: dict = field(default_factory=dict, repr=False)  # per column: raw value -> parsed, across chunks

    def state(self) -> dict:
        """What the sheet's title rows and layout said that each of its rows is read with (``SHEET_STATE``), as
        the ledger keeps it for a replay."""
        return {k: v for k in SHEET_STATE if (v := getattr(self, k)) not in (None, False, {})}

    def of_sheet(self, sheet: str, state: dict) -> Context:
        """This (a file's) context for one of its sheets, as its ``state`` says."""
        return replace(self, sheet=sheet, memo={}, **{k: v for k, v in state.items() if k in SHEET_STATE})


SHEET_STATE = (
    "class_code",
    "province",
    "completed",
    "year",
    "unit_column",
    "organisation",
    "date_orders",
    "class_name",
    "class_start",
    "class_end",
    "after_reform",
)


@dataclass
class Outcome:
    loaded: pl.DataFrame
    quarantined: pl.DataFrame  # source_sheet, source_row, reasons (list[str]), details (json), cells (json)
    skipped: Counter = field(default_factory=Counter)


def _mapped(
    frame: pl.DataFrame,
    column: str,
    fn: Callable,
    outputs: tuple[tuple[str, pl.DataType], ...],
    memo: dict,
    fast: pl.Expr | None = None,
    fast_values: tuple[pl.Expr, ...] = (),
) -> list[pl.Expr]:
    """Expressions applying ``fn`` (raw -> tuple) once per distinct value of ``column``, one per output.

    ``memo`` keeps the results for the next chunk of the same sheet. Rows where ``fast`` holds take
    ``fast_values`` instead, computed by polars without Python."""
    slow = frame if fast is None else frame.filter(~fast.fill_null(False))
    keys = slow.get_column(column).unique().to_list()
    results = memo.setdefault(column, {})
    for k in keys:
        if k not in results:
            results[k] = fn(k)
    mapped = []
    for i, (_, dtype) in enumerate(outputs):
        found = [results[k][i] for k in keys]
        # an output no value of this chunk has (a flag, a note: the usual case) costs no pass over the rows
        mapped.append(
            pl.col(column).replace_strict(keys, found, default=None, return_dtype=dtype)
            if any(v is not None for v in found)
            else pl.lit(None, dtype)
        )
    if fast is not None:
        mapped = [pl.when(fast.fill_null(False)).then(v).otherwise(m) for v, m in zip(fast_values, mapped, strict=True)]
    return [m.alias(name) for m, (name, _) in zip(mapped, outputs, strict=True)]


def _nfc(cell: pl.Expr) -> pl.Expr:
    """A cell as read, in NFC (a Mac's decomposed letters, "ê" as "e" and a mark, composed): text is stored as NFC."""
    return pl.when(cell.str.contains(r"\p{M}")).then(cell.str.normalize("NFC")).otherwise(cell)


def body(records: pl.DataFrame, ctx: Context) -> tuple[pl.DataFrame, list[str]]:
    """Records with each ``<name>__raw`` cell (as read, in NFC) beside ``<name>`` (normalised: legacy text decoded,
    NFC, spaces cleaned), extras normalised."""
    texts = [c for c in records.columns if c.endswith("__raw") or c.startswith("extra__")]
    normalised = normalise_frame(records.select(texts), ctx.legacy)
    cols = [pl.col("source_sheet"), pl.col("source_row")]
    names = []
    for column in texts:
        if column.endswith("__raw"):
            name = column.removesuffix("__raw")
            cols += [_nfc(pl.col(column)), pl.lit(normalised.get_column(column)).alias(name)]
            names.append(name)
        else:
            cols.append(pl.lit(normalised.get_column(column)).alias(column))
    for helper in ("_layout", "_blank"):
        if helper in records.columns:
            cols.append(pl.col(helper))
    return records.select(cols), names


_WHOLE_TOTAL = r"^(?:cong|tong cong|tong so|tong|cong chung|tong cong chung)(?: (?:i{1,3}|iv|v|vi{1,3}|\d+))?$"


def classify(frame: pl.DataFrame, names: list[str], name_header: str | None) -> pl.DataFrame:
    """Mark rows to skip (``skip``): blank, total/subtotal ("Tổng cộng", "Cộng"), column-number rows, repeated
    headers, page numbers ("Trang 2"), and what the layout found (commune and section headings, the signature block).

    Only rows that describe nobody (no date or ID starting with a digit) can be such rows: "Cộng Hòa" is a
    commune and "Tống" a family name. Folding text is costly, so only those few rows are folded."""
    content = [
        c
        for c in frame.columns
        if c not in ("source_sheet", "source_row", "_layout", "_blank") and not c.endswith("__raw")
    ]
    # blank: nothing written in the row itself (a commune heading above it gives it a commune, not content)
    blank = pl.col("_blank") if "_blank" in frame.columns else pl.all_horizontal(pl.col(c).is_null() for c in content)
    person = [c for c in ("dob", "citizen_id") if c in names]
    nobody = (
        pl.all_horizontal(pl.col(c).is_null() | ~pl.col(c).str.contains(r"^\d") for c in person)
        if person
        else pl.lit(True)
    )
    numbered = [c for c in ("stt", "full_name") if c in names]
    # "Tổng cộng" in a first "Đơn vị" column too, and in a class list's code column (not its name: "Công tác
    # dân vận", "Công chức ..." begin with what folds to "cộng")
    labels = [c for c in ("stt", "full_name", "commune", "class_code") if c in names]
    # ... and there, as the whole cell only ("Cộng", "Tổng cộng", "Cộng I" where a plan's class name goes)
    whole = [c for c in ("class_name",) if c in names]
    # each label column folded once, for every test below (folding is the costly part)
    candidates = frame.filter(nobody & ~blank).with_columns(
        fold_expr(pl.col(c)).alias(f"_fold__{c}") for c in [*labels, *whole]
    )

    def folded(c: str) -> pl.Expr:
        return pl.col(f"_fold__{c}")

    total = pl.any_horizontal(
        pl.lit(False),
        *(folded(c).str.contains(vocab.TOTAL).fill_null(False) for c in labels),
        *(folded(c).str.contains(_WHOLE_TOTAL).fill_null(False) for c in whole),
    )
    # a row of the columns' numbers: small numbers only, each once, one after another ("1 2 3 4", "(5) (6)"); an
    # anonymous form's answers typed as codes ("1", "3", "4", "3") are no such row
    # (the row's cells joined, read with one pattern: a pattern per column costs more than the rows it reads)
    joined = pl.concat_str(content, separator="\x1f", ignore_nulls=True).fill_null("") if content else pl.lit("")
    index = joined.str.contains(_INDEX_ROW) | (joined == "")
    if content:
        numbers = joined.str.extract_all(r"\d+").cast(pl.List(pl.Int32), strict=False).list.drop_nulls()
        run = (numbers.list.n_unique() == numbers.list.len()) & (
            numbers.list.max() - numbers.list.min() + 1 == numbers.list.len()
        )
        index = index & run.fill_null(True)
    name_header = fold(name_header) if name_header else None
    repeat = (folded("full_name") == name_header).fill_null(False) if name_header else pl.lit(False)
    # a post with nobody in it: the name cell says so ("Khuyết", "(Chưa bố trí)")
    vacant = (
        folded("full_name").str.contains(vocab.vacant()).fill_null(False) if "full_name" in names else pl.lit(False)
    )
    # or alone on its row, in any column: the one cell written, folded once
    alone = pl.when(pl.sum_horizontal(pl.col(c).is_not_null() for c in content) == 1).then(pl.coalesce(content))
    page = pl.any_horizontal(
        pl.lit(False),
        *(folded(c).str.contains(vocab.PAGE).fill_null(False) for c in numbered),
        fold_expr(alone).str.contains(vocab.PAGE).fill_null(False),
        alone.str.contains(vocab.DASHED_PAGE).fill_null(False),
    )
    marks = candidates.select(
        "source_sheet",
        "source_row",
        pl.when(index)
        .then(pl.lit("index_row"))
        .when(repeat)
        .then(pl.lit("header_repeat"))
        .when(total)
        .then(pl.lit("total_row"))
        .when(page)
        .then(pl.lit("page_row"))
        .when(vacant)
        .then(pl.lit("vacant_post"))
        .otherwise(None)
        .alias("skip"),
    )
    frame = frame.join(marks, on=["source_sheet", "source_row"], how="left", maintain_order="left")
    layout = pl.col("_layout") if "_layout" in frame.columns else pl.lit(None, pl.Utf8)
    skip = pl.when(blank).then(pl.lit("blank_row")).otherwise(pl.coalesce(layout, "skip"))
    return frame.with_columns(skip.alias("skip")).drop("_layout", "_blank", strict=False)


def _beside_unit(key: str | None) -> tuple[str | None, str | None]:
    """A post and, where its unit cell starts with an organisation ("Hội Nông dân xã Quảng Lâm", not "Xã Đoan Bái",
    whose "xã Đoan" reads as the commune's youth union), that organisation to complete it."""
    post, _, unit = (key or "").partition("\x1f")
    organisation = unit if unit and vocab.heads_organisation(unit) and not vocab.split_unit(fold(unit))[0] else None
    return post or None, organisation


def _unrefused(raw: str | None, value: date | None, reason: str | None, flag: str | None) -> tuple:
    """A date that does not refuse its row: one not read is loaded empty and flagged with why (its cell kept as
    written), unless the cell says there is none ("Chưa", "-", "Quần chúng", "đến nay")."""
    if value is None and reason:
        return None, None, None if vocab.says_no_date(raw) else reason
    return value, reason, flag


def _turned(raw: str | None, order: str, role: str, on: date) -> tuple:
    """A date of a column written month first, read day first, flagged with the order where that changed it."""
    value, reason, precision = values.parse_date(values.reordered(raw, order), role, on, flag=True)
    turned = value is not None and value != values.parse_date(raw, role, on)[0]
    return value, reason, precision or (order if turned else None)


# a note that names a post held beside the one in the post column: "Kiêm Chủ tịch HĐND", "Kiêm nhiệm: CT Hội LHPN",
# "Đồng thời là Chủ tịch MTTQ"
_BESIDE = "(?i)" + unaccented_too(
    r"^\s*(?:kiêm(?:\s+nhiệm)?(?:\s+chức(?:\s+vụ)?)?|đồng\s+thời(?:\s+là)?)\s*[:\-–]?\s*(\S.*?)\s*\.?$"
)


def _title(raw: str | None, organisation: str | None = None, reformed: bool = False) -> tuple:
    reading = vocab.read_title(raw or None, organisation or None)
    code = reading.code
    if reformed and code == "VP_TK" and _COUNCIL_OFFICE.search(fold(f"{raw} {organisation or ''}")):
        code = "CV_2025"  # after July 2025 the Council and Committee's office is an office of its own, its staff CV
    if reformed and code == "VP_DU":
        code = "CV_2025"  # ... and so is the Party's: the part-time post "Văn phòng Đảng ủy" is no more
    reason = reading.reason
    if reformed and reason == "unknown_title" and _STAFF.match(fold(raw or "")):
        code, reason = "CV_2025", None  # "Chuyên viên phụ trách KH&CN - CĐS": of an office, which it need not say
    return code, ";".join(reading.concurrent) or None, reason, reading.note


_STAFF = re.compile(r"^(?:chuyen vien|cv|cong chuc)\b")  # a commune's civil servant after July 2025 (folded)
_COUNCIL_OFFICE = re.compile(r"\b(?:van phong|vp) (?:hdnd|ubnd|hoi dong nhan dan|uy ban nhan dan)\b")


def _level(column: str, raw: str | None) -> tuple:
    reading = vocab.read_level(column, raw)
    return reading.code, reading.field, reading.flag


def _qualifications(raw: str | None, missing: tuple[str, ...]) -> tuple:
    """(code, field, flag) of the professional level, then (code, flag) of each qualification in ``missing`` (the
    list has no column for it) that the same cell gives: by a label ("CM: ĐH Luật; LLCT: Trung cấp; Tin học: B"),
    or political theory named beside the degree ("ĐH Luật, TC LLCT"). Those are flagged ``from_prof_level``
    (where they were read is worth a look), unless their reading has a flag of its own."""
    parts = vocab.labelled_levels(raw)
    prof = parts.get("prof_level") if parts else raw
    found: list = []
    for column in missing:
        if parts and column in parts:
            code, _, flag = _level(column, parts[column])
        elif column == "llct":  # "ĐH Luật, TC LLCT"
            code, prof = vocab.political_theory_in(prof)
            flag = None
        else:
            found += [None, None]
            continue
        found += [code, flag or ("from_prof_level" if code else None)]
    return *_level("prof_level", prof), *found


@lru_cache(maxsize=65536)  # a unit's name reads alike in every file of a process
def _commune(raw: str | None, district: str | None, province: str | None = None) -> tuple:
    """(code, reason, flag): within the file's district (a roster's: its province, when its title names one);
    else a commune named inside a longer text ("UBND xã X"); else the one commune of that name in another
    district (loaded, flagged for the batch checks)."""
    code, reason = vocab.map_commune(raw, district, None if district else province)
    if code or reason == "missing_commune":
        return code, reason, None
    named = vocab.communes_named(raw, district)
    if province and not district:  # not the namesake of another province
        named = vocab.communes_in_province(named, province)
    if len(named) == 1:
        return named.pop(), None, None
    elsewhere = vocab.commune_elsewhere(raw, district) if district not in (None, vocab.REFORMED) else None
    if elsewhere:
        return elsewhere, None, "other_district"
    return None, reason, None


@lru_cache(maxsize=65536)  # a unit's name reads alike in every file of a process
def _commune_after_reform(raw: str | None, province: str | None) -> tuple:
    """A unit of a class held after 1 July 2025: the home province's new commune of that name ("Phường Hạ Long" is no
    longer Vân Đồn's Xã Hạ Long, "Xã Đầm Hà" no longer the old commune), else as any other unit (an old commune
    written from habit)."""
    if province in (None, units.HOME) and (code := vocab.map_commune(raw, vocab.REFORMED)[0]):
        return code, None, None
    return _commune(raw, None, province)


@lru_cache(maxsize=65536)  # a unit's name reads alike in every file of a process
def _commune_in_district(key: str | None, province: str | None) -> tuple:
    """A roster's or survey's unit read in the district its row names beside it ("Bắc Sơn" | "Móng Cái"), where
    that cell names one; else as any other unit."""
    unit, _, district = (key or "").partition("\x1f")
    return _commune(unit or None, units.district_in_cell(district, province) if district else None, province)


# a former post ("Nguyên Chủ tịch UBND", "Chủ tịch UBND (nguyên)"), as written: "Nguyễn" is a family name
_FORMER = re.compile(unaccented_too(r"(?:^|\()\s*nguyên\b"))  # typed bare too ("nguyen"; "Nguyễn" never)


def _remark_says_left(name: str | None, on: date) -> bool:
    """A remark in brackets after a name says the person left the post by ``on`` ("(đã nghỉ hưu)")."""
    return bool(name) and any(vocab.left_post(remark, "note", on) for remark in re.findall(r"\(([^)]*)\)", name))


def _says_who_they_are(line: str) -> bool:
    """A name cell's line that is no name: a post ("Chủ tịch UBND"), a unit ("Xã Quảng Phong") or a body ("UBND xã
    Quảng Lâm")."""
    return bool(
        vocab.read_title(line).reason != "unknown_title"
        or vocab.split_unit(fold(line))[0]
        or vocab.heads_organisation(line)
    )


def _name_lines(frame: pl.DataFrame, ctx: Context) -> pl.Series:
    """The names of a name column whose cells may say more on lines of their own, the person's post, unit or body
    ("Hoàng Văn Lâm" / "Chủ tịch UBND"): each such cell's first line. A name wrapped over two lines ("Tô Văn" /
    "Phúc") is one name."""
    column = frame.get_column("full_name")
    raw = frame.get_column("full_name__raw") if "full_name__raw" in frame.columns else None
    if raw is None or not raw.str.contains("\n").any():
        return column
    first = [ls[0] if ls else None for ls in map(_said_beside_name, raw)]
    named = _normalised(first, ctx)
    return pl.select(pl.when(named.is_not_null()).then(named).otherwise(column)).to_series().alias(column.name)


def _cell_lines(cell: str | None) -> list[str]:
    """A cell's lines that say something, stripped."""
    return [line.strip() for line in (cell or "").splitlines() if line.strip()]


def _said_beside_name(cell: str | None) -> list[str]:
    """A name cell's lines where every line after the first says who the person is (a post, unit or body), else
    none: the name, then what it says of them."""
    lines = _cell_lines(cell) if cell and "\n" in cell else []
    return lines if len(lines) > 1 and all(_says_who_they_are(line) for line in lines[1:]) else []


def _normalised(texts: list[str | None], ctx: Context) -> pl.Series:
    return normalise_frame(pl.DataFrame({"text": texts}, schema={"text": pl.Utf8}), ctx.legacy).get_column("text")


def _post_from_name(frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
    """A post cell left empty where the name cell gives the post on a line of its own ("Hoàng Văn Lâm" / "Chủ tịch
    UBND"): that line is the post, as read."""
    raw = frame.get_column("full_name__raw")
    if not raw.str.contains("\n").any():
        return frame
    lines = [_said_beside_name(v) if t is None else [] for v, t in zip(raw, frame.get_column("title"), strict=True)]
    posts = [next((line for line in ls[1:] if vocab.read_title(line).reason != "unknown_title"), None) for ls in lines]
    if not any(posts):
        return frame
    said = pl.Series(posts, dtype=pl.Utf8)
    return frame.with_columns(
        pl.coalesce(pl.col("title"), pl.lit(_normalised(posts, ctx))).alias("title"),
        pl.coalesce(pl.col("title__raw"), pl.lit(said)).alias("title__raw"),
    )


_NAME_LINE = re.compile(r"^[^\W\d_]+(?:[^\S\n]+[^\W\d_]+){1,5}$")  # words apart however spaced


def _several_people(cell: str | None, dob: str | None = None) -> str | None:
    """Two people or more in one name cell, a line each ("Vũ Thị Xuân" and "Lê Văn Hạ" typed into one row): the
    row is refused saying so, never loaded as one person. A line that is a post, a remark, a unit ("Xã Quảng Lâm")
    or a body ("UBND xã Quảng Lâm") is no second name; nor is a name wrapped over two lines ("Hà Thị" / "Thu
    Trang"): its first line ends with a middle name, or its birth date is one."""
    lines, dates = _cell_lines(cell), _cell_lines(dob)
    if len(lines) < 2 or (dates and len(dates) < len(lines)):
        return None
    if not all(
        _NAME_LINE.match(line)
        and all(word[0].isupper() for word in line.split())
        and fold(line.split()[-1]) not in ("van", "thi")
        and not _says_who_they_are(line)
        for line in lines
    ):
        return None
    return "full_name: " + "; ".join(lines)


def _several(frame: pl.DataFrame) -> pl.Expr:
    """``several__detail``: :func:`_several_people` of each row whose name cell has lines (few do)."""
    names = frame.get_column("full_name__raw")
    if not names.str.contains("\n").any():
        return pl.lit(None, pl.Utf8).alias("several__detail")
    dobs = frame.get_column("dob__raw").to_list() if "dob__raw" in frame.columns else [None] * frame.height
    found = [_several_people(n, d) if n and "\n" in n else None for n, d in zip(names.to_list(), dobs, strict=True)]
    return pl.lit(pl.Series(found, dtype=pl.Utf8)).alias("several__detail")


_FORMULA_ERROR = r"^\s*#(?:N/A|REF!|VALUE!|NAME\?|DIV/0!|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA)\s*$"


def parse_values(frame: pl.DataFrame, names: list[str], ctx: Context) -> pl.DataFrame:
    """Typed ``<name>__v`` columns, ``_why__*`` columns naming what refuses a row, ``<name>__note`` saying more,
    and ``_flags`` (``column:flag`` for what loads but deserves a look)."""
    on = ctx.reporting_date or date.today()
    hr = ctx.kind == "hr"
    if "period" in names and "start_date" not in names:  # a class's dates in one cell
        dates = (("start_date", pl.Utf8), ("end_date", pl.Utf8), ("period__flag", pl.Utf8))

        def read(raw: str | None) -> tuple:  # a period not read is refused as a date not read, showing it (a
            first, last, flag = values.parse_period(raw, year=ctx.year)  # year alone, "Năm 2025", dates nothing)
            if first or raw is None or values.parse_date(raw)[0] or vocab.says_no_date(raw):
                return first, last, flag  # ... nor "Chưa xác định": a class not dated yet
            return raw, raw, None

        shown = (pl.lit("period: ") + pl.col("period")).alias("start_date__detail")  # in a refused row's details
        frame = frame.with_columns(*_mapped(frame, "period", read, dates, ctx.memo), shown)
        names = [*names, "start_date", "end_date"]
    if hr and "title" in names and "full_name__raw" in frame.columns and "title__raw" in frame.columns:
        frame = _post_from_name(frame, ctx)
    typed: list[pl.Expr] = []
    checked: list[str] = []  # columns whose ``__why`` refuses the row
    flagged: list[str] = []  # columns whose ``__flag`` is kept with the loaded row
    if "period__flag" in frame.columns:  # a plan's month or quarter, not its days
        flagged.append("period")
    # a roster's class days say when the class was, not who the student is: not read, flagged, the row counts
    refusing = REFUSING_DATES if ctx.kind != "roster" else REFUSING_DATES - {"start_date", "end_date"}
    for name in names:
        if name in DATE_ROLES:
            role = DATE_ROLES[name]
            outputs = ((f"{name}__v", pl.Date), (f"{name}__why", pl.Utf8), (f"{name}__flag", pl.Utf8))
            if order := ctx.date_orders.get(name):  # month first: every cell read in Python, the turned ones flagged
                read = lambda v, r=role, o=order: _turned(v, o, r, on)  # noqa: E731
            else:
                read = lambda v, r=role: values.parse_date(v, r, on, flag=True, year=ctx.year)  # noqa: E731
            if name not in refusing:  # a Party or appointment date not read: flagged, the person still counts
                read = lambda v, f=read: _unrefused(v, *f(v))  # noqa: E731
            plain = values.plain_date(pl.col(name))  # most cells: read without Python
            fast = (plain.is_not_null(), (plain, pl.lit(None, pl.Utf8), pl.lit(None, pl.Utf8))) if not order else ()
            typed += _mapped(frame, name, read, outputs, ctx.memo, *fast)
            if name in refusing:
                checked.append(name)
            flagged.append(name)
        elif name == "title":
            outputs = (
                ("title__v", pl.Utf8),
                ("title__concurrent", pl.Utf8),
                ("title__why", pl.Utf8),
                ("title__note", pl.Utf8),
            )
            post = pl.col(name)
            notes = [c for c in frame.columns if c.startswith("extra__") and vocab.note_column(c[7:]) == "note"]
            if hr and notes:  # a post held beside it, written as a note ("Kiêm Chủ tịch HĐND"): as "X kiêm Y"
                beside = pl.coalesce(pl.col(c).str.extract(_BESIDE, 1) for c in notes)
                post = pl.when(beside.is_not_null() & post.is_not_null()).then(post + " kiêm " + beside).otherwise(post)
            # "Chủ tịch" beside "HĐND" (an HR list's organisation column), or beside a unit that starts with its
            # organisation ("Hội Nông dân xã Quảng Lâm")
            # after July 2025 ("Chuyên viên Văn phòng HĐND và UBND": the office's staff, not the old VP-TK post)
            reformed = ctx.after_reform or (
                hr and ctx.reporting_date is not None and ctx.reporting_date >= vocab.REFORM_DATE
            )
            post_of = partial(_title, reformed=True) if reformed else _title
            beside = ctx.organisation if ctx.organisation in frame.columns else None
            beside = beside or ("commune" if ctx.unit_column and "commune" in frame.columns else None)
            if beside:
                joined = pl.concat_str([post, pl.col(beside)], separator="\x1f", ignore_nulls=True)
                frame = frame.with_columns(pl.when(pl.col(name).is_not_null()).then(joined).alias("_title_in"))
                split = (lambda v: (v or "").split("\x1f")) if beside == ctx.organisation else _beside_unit
                typed += _mapped(frame, "_title_in", lambda v, s=split, p=post_of: p(*s(v)), outputs, ctx.memo)
            elif hr and notes:
                frame = frame.with_columns(post.alias("_title_in"))
                typed += _mapped(frame, "_title_in", post_of, outputs, ctx.memo)
            else:
                typed += _mapped(frame, name, post_of, outputs, ctx.memo)
            if hr:  # rosters and surveys spell titles freely: kept as text, never refused for it
                checked.append(name)
        elif name in LEVELS:
            outputs = ((f"{name}__v", pl.Utf8), (f"{name}__field", pl.Utf8), (f"{name}__flag", pl.Utf8))
            read = lambda v, n=name: _level(n, v)  # noqa: E731
            if hr and name == "prof_level":  # "ĐH Luật, TC LLCT", "CM: ĐH Luật; Tin học: B": one "Trình độ" column
                missing = tuple(c for c in LEVELS if c != name and c not in names)
                outputs += tuple(o for c in missing for o in ((f"{c}__v", pl.Utf8), (f"{c}__flag", pl.Utf8)))
                read = lambda v, m=missing: _qualifications(v, m)  # noqa: E731
                flagged += missing
            typed += _mapped(frame, name, read, outputs, ctx.memo)
            flagged.append(name)
        elif name in ANSWERS:  # the scale's code ("Rất cần" is RAT_CAN), else the row is refused
            code = each_value(frame, name, lambda v, q=name: vocab.read_answer(q, v), pl.Utf8)
            why = pl.when(pl.col(name).is_not_null() & code.is_null()).then(pl.lit("unmapped_value"))
            typed += [code.alias(f"{name}__v"), why.alias(f"{name}__why")]
            checked.append(name)
        elif name == "citizen_id":
            outputs = (("citizen_id__v", pl.Utf8), ("citizen_id__flag", pl.Utf8), ("citizen_id__why", pl.Utf8))
            # the common case, 12 digits with a real province prefix, needs no Python
            fast = pl.col(name).str.contains(r"^\d{12}$") & pl.col(name).str.slice(0, 3).is_in(
                sorted(values.province_prefixes())
            )
            typed += _mapped(
                frame,
                name,
                values.parse_citizen_id,
                outputs,
                ctx.memo,
                fast,
                (pl.col(name), pl.lit(None, pl.Utf8), pl.lit(None, pl.Utf8)),
            )
            lost = pl.col(name).str.contains(f"^(?:{values.SCIENTIFIC.pattern})$")  # said where it refuses the row
            typed.append(pl.when(lost).then(pl.lit(_DIGITS_LOST)).alias(f"{name}__note"))
            checked.append(name)
        elif name == "commune":
            outputs = (("commune__v", pl.Utf8), ("commune__why", pl.Utf8), ("commune__flag", pl.Utf8))
            read = lambda v, d=ctx.district_code, p=ctx.province: _commune(v, d, p)  # noqa: E731
            if not hr and ctx.after_reform:
                read = lambda v, p=ctx.province: _commune_after_reform(v, p)  # noqa: E731
            if not hr and "district" in frame.columns:  # a roster's "Huyện" beside "Xã": the row's own district
                key = pl.concat_str([pl.col(name), pl.col("district")], separator="\x1f", ignore_nulls=True)
                frame = frame.with_columns(key.alias("_commune_in"))
                read = lambda v, p=ctx.province: _commune_in_district(v, p)  # noqa: E731
                typed += _mapped(frame, "_commune_in", read, outputs, ctx.memo)
            else:
                typed += _mapped(frame, name, read, outputs, ctx.memo)
            if hr:
                checked.append(name)
                flagged.append(name)
        elif name == "ethnicity":
            outputs = (("ethnicity__v", pl.Utf8), ("ethnicity__flag", pl.Utf8))
            typed += _mapped(frame, name, vocab.read_ethnicity, outputs, ctx.memo)
            flagged.append(name)
        elif name == "sex":
            typed += _mapped(frame, name, lambda v: (values.parse_sex(v),), (("sex__v", pl.Utf8),), ctx.memo)
        elif name == "full_name":
            names_ = people.without_honorific(_name_lines(frame, ctx))
            typed += [pl.lit(names_).alias(name), pl.lit(fold_series(names_)).alias("name_key")]
    left: list[str] = []  # a note that the person had left the post by the list's date ("Nghỉ hưu từ 01/10/2022")
    for c in [c for c in frame.columns if c.startswith("extra__")] if hr else []:
        label = c.removeprefix("extra__")
        if role := vocab.note_column(label):
            said = lambda v, la=label, r=role: (f"{la}: {v}" if vocab.left_post(v, r, on) else None,)  # noqa: E731
            left.append(f"left_{len(left)}")
            typed += _mapped(frame, c, said, ((f"{left[-1]}__detail", pl.Utf8),), ctx.memo)
    if hr and "full_name" in names:  # ... or a remark after the name does ("Trần Văn Tám (đã nghỉ hưu)")
        said = lambda v: (v if _remark_says_left(v, on) else None,)  # noqa: E731
        left.append(f"left_{len(left)}")
        memo = ctx.memo.setdefault("left_name", {})  # the name's own memo holds its readings
        typed += _mapped(frame, "full_name", said, ((f"{left[-1]}__detail", pl.Utf8),), memo)
    if hr and "title" in names:  # ... or the post's own cell does, as a note would ("Chủ tịch UBND (đã nghỉ hưu)")
        said = lambda v: (v if vocab.left_post(v, "note", on) or _FORMER.search((v or "").lower()) else None,)  # noqa: E731
        left.append(f"left_{len(left)}")
        memo = ctx.memo.setdefault("left_title", {})  # the title's own memo holds its codes
        typed += _mapped(frame, "title", said, ((f"{left[-1]}__detail", pl.Utf8),), memo)
    several = "full_name__raw" in frame.columns and ctx.kind != "survey"
    if several:  # two people in one row, a name a line (as typed)
        typed.append(_several(frame))
    # a formula's error shown in a read column ("#N/A" where a lookup found nothing, "#REF!"), as a CSV keeps it (a
    # workbook's error cell is read empty): the row is refused naming the cell, never loaded as a name or a code
    shown = [
        pl.when(pl.col(n).str.contains(_FORMULA_ERROR)).then(pl.lit(f"{n}: ") + pl.col(n))
        for n in names
        if n != "stt" and n in frame.columns and frame.schema[n] == pl.Utf8  # a row's number refuses nothing
    ]
    if shown:
        typed.append(pl.concat_list(shown).list.drop_nulls().list.join("; ").alias("formula__detail"))
    frame = frame.with_columns(typed)
    # One column per possible problem (null where there is none); reason lists are built later, and only
    # for the few rows that have a problem.
    problems = {f"_why__{c}": pl.col(f"{c}__why") for c in checked}
    if "class_code" in names:
        problems["_why__class_code"] = pl.when(pl.col("class_code").is_null()).then(pl.lit("missing_class_code"))
    if "full_name" in names and ctx.kind != "survey":  # a survey's answer without a name is an anonymous one
        problems["_why__name"] = pl.when(pl.col("full_name").is_null()).then(pl.lit("missing_name"))
    if hr and "title" in names:
        problems["_why__title_missing"] = pl.when(pl.col("title").is_null()).then(pl.lit("missing_title"))
    if "dob" in names:
        age = people.age(on, pl.col("dob__v"))
        # an HR row places a person by the citizen ID as well: a birth date or an ID will do
        other = col(frame, "citizen_id").is_null() if hr else pl.lit(True)
        problems["_why__dob_missing"] = pl.when(pl.col("dob__raw").is_null() & other).then(pl.lit("missing_dob"))
        problems["_why__dob_future"] = pl.when(pl.col("dob__v") > on).then(pl.lit("dob_in_future"))
        problems["_why__dob_age"] = pl.when((pl.col("dob__v") <= on) & ((age < 16) | (age > 80))).then(
            pl.lit("dob_implausible")
        )
    if "title_until" in names:  # a post given up by the reporting date: the row says who held it, not who holds it
        problems["_why__title_until"] = pl.when(pl.col("title_until__v") <= on).then(pl.lit("post_ended"))
    if "formula__detail" in frame.columns:  # named first: what the other reasons of its cells come from
        formula = pl.when(pl.col("formula__detail") != "").then(pl.lit("formula_error"))
        problems = {"_why__formula": formula, **problems}
    if several:  # named first too: their two birth dates in one cell are no date
        problems = {
            "_why__several": pl.when(pl.col("several__detail").is_not_null()).then(pl.lit("several_people")),
            **problems,
        }
    for n in left:  # ... or a note says so
        problems[f"_why__{n}"] = pl.when(pl.col(f"{n}__detail").is_not_null()).then(pl.lit("post_ended"))
    bad = pl.any_horizontal(e.is_not_null() for e in problems.values()) if problems else pl.lit(False)
    marks = [pl.when(pl.col(f"{c}__flag").is_not_null()).then(pl.lit(f"{c}:") + pl.col(f"{c}__flag")) for c in flagged]
    found = pl.concat_list(marks).list.drop_nulls() if marks else pl.lit([], pl.List(pl.Utf8))
    return frame.with_columns(
        *(e.cast(pl.Utf8).alias(n) for n, e in problems.items()), bad.alias("_bad"), found.alias("_flags")
    )


def row_keys(frame: pl.DataFrame, names: list[str]) -> pl.DataFrame:
    """``_sig`` (a hash of the row's cells over ``names``, the file's columns, so rows of different sheets
    compare alike; where the rows name no one, an anonymous survey's forms, each row is its own) and
    ``_person`` (the citizen ID, else the folded name and birth date; in a roster with a class column, per
    class: a year's consolidated roster lists a person once in each class attended)."""
    raw = [col(frame, f"{n}__raw") for n in names if n != "stt"]
    if not {"full_name", "citizen_id", "class_code"} & set(names):  # anonymous forms: two alike are two answers
        raw.append(pl.col("source_sheet"))
        raw.append(pl.col("source_row").cast(pl.Utf8))
    signature = pl.concat_str([c.fill_null("") for c in raw], separator="\x1f").hash()
    exact = col(frame, "dob__flag").is_null()
    person = people.key(
        col(frame, "citizen_id__v"),
        col(frame, "name_key"),
        col(frame, "dob__v", pl.Date),
        col(frame, "commune__v"),
        exact,
    )
    if "class_code" in names and "class_code" in frame.columns:
        person = pl.concat_str([person, pl.col("class_code").fill_null("")], separator="\x1f")
    return frame.with_columns(signature.alias("_sig"), person.alias("_person"))


def flags(keys: pl.DataFrame) -> pl.DataFrame:
    """Of all the file's rows (``source_sheet``, ``source_row``, ``_sig``, ``_person``, in file order), those
    to refuse: exact repeats after the first (``_repeat``), and every row of a person who has two different
    rows (``_conflict``)."""
    keys = keys.with_columns((~pl.col("_sig").is_first_distinct()).alias("_repeat"))
    distinct = keys.filter(~pl.col("_repeat") & pl.col("_person").is_not_null())
    conflicted = distinct.group_by("_person").agg(pl.col("_sig").n_unique().alias("n")).filter(pl.col("n") > 1)
    people = conflicted.get_column("_person").implode()
    conflict = pl.col("_person").is_in(people).fill_null(False)
    marked = keys.with_columns(conflict.alias("_conflict")).filter(pl.col("_repeat") | pl.col("_conflict"))
    if not marked.height:
        return marked.with_columns(pl.lit(None, pl.Utf8).alias("_also"))
    # where the other rows are: a repeat's first, the other rows of a person's conflict ("Sheet1 row 12")
    at = pl.format("{} row {}", "source_sheet", "source_row")
    repeated = marked.filter("_repeat").get_column("_sig").implode()
    firsts = keys.filter(~pl.col("_repeat") & pl.col("_sig").is_in(repeated)).select("_sig", at.alias("_first"))
    peers = distinct.filter(pl.col("_person").is_in(people)).group_by("_person").agg(at.alias("_peers"))
    marked = marked.join(firsts, on="_sig", how="left").join(peers, on="_person", how="left", nulls_equal=False)
    others = pl.col("_peers").list.set_difference(pl.concat_list(at)).list.sort().list.join(", ")
    also = pl.when("_repeat").then(pl.col("_first")).otherwise(others)
    return marked.with_columns(also.alias("_also")).drop("_first", "_peers")


def split(frame: pl.DataFrame, select_loaded: list[pl.Expr]) -> Outcome:
    """Rows to load and rows to quarantine (with reason codes, the offending values and the original cells).

    ``_repeat``/``_conflict`` (from :func:`flags`) refuse a row where the frame has them."""
    skipped = Counter(frame.get_column("skip").drop_nulls().to_list())
    rows = frame.filter(pl.col("skip").is_null())
    repeat, conflict = (col(frame, c, pl.Boolean).fill_null(False) for c in ("_repeat", "_conflict"))
    also = col(frame, "_also")  # the file's other rows of the person (flags)
    refused = pl.col("_bad") | repeat | conflict
    bad = rows.filter(refused)
    good = rows.filter(~refused)
    whys = [c for c in rows.columns if c.startswith("_why__")]
    found = (
        pl.concat_list(whys).list.drop_nulls().list.unique(maintain_order=True)
        if whys
        else pl.lit([], pl.List(pl.Utf8))
    )
    reasons = (
        pl.when(repeat)
        .then(pl.lit(["duplicate_row"]))
        .when(conflict)
        .then(found.list.concat(pl.lit(["person_conflict"])))
        .otherwise(found)
    )
    checked = [c.removeprefix("_why__") for c in whys if f"{c.removeprefix('_why__')}__raw" in rows.columns]
    values = [
        pl.when(pl.col(f"_why__{c}").is_not_null()).then(
            pl.lit(f"{c}: ") + pl.col(f"{c}__raw") + (pl.lit(" (") + pl.col(f"{c}__note") + pl.lit(")")).fill_null("")
            if f"{c}__note" in rows.columns
            else pl.lit(f"{c}: ") + pl.col(f"{c}__raw")
        )
        for c in checked
    ]
    values += [  # a problem found in no column of its own (a note's) says what it read
        pl.when(pl.col(f"_why__{c}").is_not_null()).then(pl.col(f"{c}__detail"))
        for c in (w.removeprefix("_why__") for w in whys)
        if f"{c}__detail" in rows.columns
    ]
    values.append(pl.when(repeat).then(pl.lit("as ") + also).when(conflict).then(pl.lit("also ") + also))
    details = pl.concat_list(values).list.drop_nulls()
    raw_cols = [c for c in rows.columns if c.endswith("__raw")]
    extras = [c for c in rows.columns if c.startswith("extra__")]
    cells = [pl.col(c).alias(c.removesuffix("__raw")) for c in raw_cols]
    if extras:  # kept so that a replay loads them too
        cells.append(pl.struct([pl.col(c).alias(c.removeprefix("extra__")) for c in extras]).alias("extras"))
    quarantined = bad.select(
        pl.col("source_sheet"),
        pl.col("source_row"),
        reasons.alias("reasons"),
        pl.struct(details.alias("values")).struct.json_encode().alias("details"),
        pl.struct(cells).struct.json_encode().alias("cells"),
    )
    loaded = good.select([pl.col("source_sheet"), pl.col("source_row"), *select_loaded])
    return Outcome(loaded, quarantined, skipped)


def extras_json(frame: pl.DataFrame) -> pl.Expr:
    extra = [c for c in frame.columns if c.startswith("extra__")]
    if not extra:
        return pl.lit(None, pl.Utf8).alias("extras")
    return pl.struct([pl.col(c).alias(c.removeprefix("extra__")) for c in extra]).struct.json_encode().alias("extras")


def col(frame: pl.DataFrame, name: str, dtype=pl.Utf8) -> pl.Expr:
    """A column if the sheet has it, else typed nulls (optional columns)."""
    return pl.col(name) if name in frame.columns else pl.lit(None, dtype)
