"""The same hand-made workbook typed another way reads the same: without diacritics (a machine without a
Vietnamese keyboard), in capitals, with no-break spaces (cells pasted from a web page or Word), with the
abbreviations of a narrow column. Each fixture
workbook is rewritten so, cell by cell, and what the ingest reads of it (codes, dates, numbers; not the text as
written) must be what it reads of the original."""

from __future__ import annotations

import html
import json
import re
import unicodedata
import zipfile
from functools import cache
from pathlib import Path

import pytest

from ingest.pipeline import parse_file
from tests.fixtures.score import expected, fixtures

# what a row is read as, independent of how its words are typed
READ = (
    "dob", "sex", "citizen_id", "commune_code", "title_code", "title_concurrent", "prof_level", "llct", "qlnn", "it",
    "lang", "party_date", "appointment_date", "class_code_kind", "category", "start_date", "end_date",
    "participants", "completed", "score", "improvement", "necessity", "trainings_2016_2020", "reasons",
)  # fmt: skip


def _bare(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize(
        "NFC", "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    )


def _shortened(pairs: list[tuple[str, str]]):
    def shorten(text: str) -> str:
        for long, short in pairs:
            text = re.sub(long, short, text)
        return text

    return shorten


_NAME = r"(?=[A-ZĐÀ-Ỹ])"  # a unit's kind before its name, not "Xã đoàn" (the commune's youth union)
HABITS = {
    "without_diacritics": _bare,
    "in_capitals": str.upper,
    "no_break_spaces": lambda text: text.replace(" ", "\u00a0", 1),
    # a narrow column's abbreviations: "X. Quảng Lâm", "TT. Tiên Yên", "P. Hà Khánh"; "UBND", "ĐU"; "ĐH", "PCT"
    "units_shortened": _shortened(
        [(rf"\b[Xx]ã {_NAME}", "X. "), (rf"\b[Tt]hị trấn {_NAME}", "TT. "), (rf"\b[Pp]hường {_NAME}", "P. ")]
    ),
    "bodies_shortened": _shortened(
        [("Ủy ban nhân dân", "UBND"), ("Hội đồng nhân dân", "HĐND"), ("Đảng ủy", "ĐU"), ("Mặt trận Tổ quốc", "MTTQ")]
    ),
    "levels_and_posts_shortened": _shortened(
        [
            ("^Đại học", "ĐH"),
            ("^Cao đẳng", "CĐ"),
            ("^Trung cấp", "TC"),
            ("^Thạc sĩ", "ThS"),
            ("^Phó Chủ tịch ", "PCT "),
            ("^Chủ tịch ", "CT "),
            ("^Phó Bí thư ", "PBT "),
            ("^Bí thư ", "BT "),
        ]
    ),
}


MIXED = {"75_dong_trieu_dan_tu_file_cu.xlsx"}  # rows pasted from a TCVN3 file beside rows typed in Unicode


def _workbooks() -> list[Path]:
    """Workbooks typed in Unicode (a legacy-encoded one's bytes are not letters to strip)."""
    return [
        p
        for p in fixtures()
        if p.suffix == ".xlsx"
        and p.parts[-2] == "valid"
        and "legacy_encoding" not in expected(p)
        and p.name not in MIXED
    ]


def _retyped(path: Path, habit, to: Path) -> Path:
    """``path`` with every text cell (shared strings and inline ones) retyped by ``habit``."""
    out = to / path.name
    with zipfile.ZipFile(path) as z, zipfile.ZipFile(out, "w") as w:
        for name in z.namelist():
            data = z.read(name)
            if name.endswith("sharedStrings.xml") or re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name):
                text = re.sub(
                    r"(<t(?: [^>]*)?>)([^<]*)(</t>)",
                    lambda m: m[1] + html.escape(habit(html.unescape(m[2])), quote=False) + m[3],
                    data.decode("utf-8"),
                )
                data = text.encode("utf-8")
            w.writestr(name, data)
    return out


def _read(path: Path) -> dict:
    parsed = parse_file(path)
    rows = {}
    for table in ("loaded", "quarantined"):
        for r in parsed[table].to_dicts():
            r["class_code_kind"] = bool(r.get("class_code"))  # a code made of a name is spelled as the name is
            rows[(r["source_sheet"], r["source_row"])] = {k: r.get(k) for k in READ if k in r}
    return {"kind": parsed["kind"], "district": parsed.get("district_code"), "rows": rows}


@cache
def _original(path: Path) -> dict:
    return _read(path)


def _by_sheet(read: dict) -> dict:
    """``read`` with its rows keyed by the sheet's name as any habit leaves it (bare, in capitals)."""
    return {**read, "rows": {(_bare(s).upper().replace("\u00a0", " "), r): v for (s, r), v in read["rows"].items()}}


@pytest.mark.parametrize("habit", HABITS)
def test_a_workbook_typed_another_way_reads_the_same(habit, tmp_path):
    differ = []
    for path in _workbooks():
        want = _by_sheet(_original(path))
        got = _by_sheet(_read(_retyped(path, HABITS[habit], tmp_path)))
        if got != want:
            rows = {k for k in want["rows"].keys() | got["rows"].keys() if want["rows"].get(k) != got["rows"].get(k)}
            first = min(rows, default=None)
            differ.append(f"{path.name}: {first} {want['rows'].get(first)} -> {got['rows'].get(first)}")
    assert differ == []


def _moved_right(path: Path, columns: int, to: Path) -> Path:
    """``path`` with every sheet's cells and merges moved ``columns`` to the right (a form that leaves its first
    columns empty for a margin)."""
    import openpyxl
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.cell_range import CellRange

    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        merged = [m.coord for m in sheet.merged_cells.ranges]
        for coord in merged:
            sheet.unmerge_cells(coord)
        if sheet.max_column and sheet.max_row:
            sheet.move_range(f"A1:{get_column_letter(sheet.max_column)}{sheet.max_row}", cols=columns)
        for coord in merged:
            moved = CellRange(coord)
            moved.shift(col_shift=columns)
            sheet.merge_cells(moved.coord)
    out = to / path.name
    book.save(out)
    return out


def _merged_workbooks() -> list[Path]:
    return [p for p in _workbooks() if b"<mergeCell " in zipfile.ZipFile(p).read("xl/worksheets/sheet1.xml")]


@pytest.mark.parametrize("saved_as", ["xlsx", "xls"])
def test_a_workbook_with_a_margin_reads_the_same(saved_as, tmp_path):
    """Cells merged down (a person over two rows, a commune over its people) stay with their column when the
    table starts in column C: the grid read starts at the first column used, the merges are placed on it."""
    from tests.ingest.test_xls import _as_xls

    differ = []
    for path in _merged_workbooks():
        moved = _moved_right(path, 2, tmp_path)
        if saved_as == "xls":
            _as_xls(moved, moved.with_suffix(".xls"))
            moved = moved.with_suffix(".xls")
        want, got = _by_sheet(_original(path)), _by_sheet(_read(moved))
        if got != want:
            rows = {k for k in want["rows"].keys() | got["rows"].keys() if want["rows"].get(k) != got["rows"].get(k)}
            first = min(rows, default=None)
            differ.append(f"{path.name}: {first} {want['rows'].get(first)} -> {got['rows'].get(first)}")
    assert _merged_workbooks()
    assert differ == []


def test_a_phone_column_typed_without_diacritics_is_no_ethnicity(tmp_path):
    """A phone column headed "ĐT" (điện thoại) typed bare is "DT", as the ethnicity's short header is: its cells,
    phone numbers, say which it is. The phones stay aside under their header; "Dan toc", further right, is the
    ethnicity."""
    path = next(p for p in _workbooks() if p.name.startswith("118_"))
    rows = parse_file(_retyped(path, HABITS["without_diacritics"], tmp_path))["loaded"].to_dicts()
    assert [r["ethnicity"] for r in rows] == ["Kinh", "Tày", "Dao"]
    assert [json.loads(r["extras"])["DT"] for r in rows] == ["0912345678", "0987 654 321", "0203.3881.234"]
