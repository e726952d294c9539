"""The same hand-made workbook typed another way reads the same: without diacritics (a machine without a
Vietnamese keyboard), in capitals, with no-break spaces (cells pasted from a web page or Word). Each fixture
workbook is rewritten so, cell by cell, and what the ingest reads of it (codes, dates, numbers; not the text as
written) must be what it reads of the original."""

from __future__ import annotations

import html
import re
import unicodedata
import zipfile
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


HABITS = {
    "without_diacritics": _bare,
    "in_capitals": str.upper,
    "no_break_spaces": lambda text: text.replace(" ", "\u00a0", 1),
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


@pytest.mark.parametrize("habit", HABITS)
def test_a_workbook_typed_another_way_reads_the_same(habit, tmp_path):
    differ = []
    for path in _workbooks():
        want = _read(path)
        got = _read(_retyped(path, HABITS[habit], tmp_path))
        got["rows"] = {
            (_bare(s).upper() if habit != "no_break_spaces" else s, r): v for (s, r), v in got["rows"].items()
        }
        want["rows"] = {
            (_bare(s).upper() if habit != "no_break_spaces" else s, r): v for (s, r), v in want["rows"].items()
        }
        if got != want:
            rows = {k for k in want["rows"].keys() | got["rows"].keys() if want["rows"].get(k) != got["rows"].get(k)}
            first = min(rows, default=None)
            differ.append(f"{path.name}: {first} {want['rows'].get(first)} -> {got['rows'].get(first)}")
    assert differ == []
