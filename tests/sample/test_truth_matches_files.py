"""Each truth row sits in its file at the sheet and row it names; each injected defect is where the truth says."""

from __future__ import annotations

import csv
import datetime as dt
import unicodedata
from collections import Counter

import pytest

from cadre.sample.hr import spellings
from tests.sample.readers import cell, columns, sheet, text


def _csv(sample_dir, name):
    with open(sample_dir / "truth" / name, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def files(sample_dir):
    return {(r["file"], r["sheet"]): r for r in _csv(sample_dir, "hr_files.csv")}


@pytest.fixture(scope="module")
def hr_rows(sample_dir):
    return _csv(sample_dir, "hr_rows.csv")


def _col(files_row, field):
    return columns(files_row).index(field)


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFD", " ".join(s.split()).lower())
    return "".join(ch for ch in s if not unicodedata.combining(ch)).replace("đ", "d")


def test_one_workbook_per_district_per_reporting_date(files):
    per_date = Counter((f["reporting_date"], f["district_code"]) for f in files.values())
    assert len({d for d, _ in per_date}) == 4
    assert len(per_date) == 4 * 13


def test_header_sits_where_the_truth_says_and_never_on_row_one(sample_dir, files):
    for (file, name), f in files.items():
        path = sample_dir / file
        top, bottom = int(f["header_row"]), int(f["header_row"]) + int(f["header_rows"]) - 1
        assert top > 1
        # Under a two-row header a column's name is its lower cell, or the merged cell above it.
        got = [
            text(cell(path, name, bottom, i) or cell(path, name, top, i), f["encoding"]) for i in range(len(columns(f)))
        ]
        expected = [part.split("=", 1)[1] for part in f["columns"].split(";")]
        # a TCVN3 header is set in .VnTimeH: its toned capitals come back lower-case
        assert [g.casefold() for g in got] == [e.casefold() for e in expected], file
        title = " ".join(text(c, f["encoding"]) for c in sheet(path, name)[0] if c)
        assert title.strip(), f"{file}: no title row above the header"


def test_every_data_row_names_its_person(sample_dir, files, hr_rows):
    for r in hr_rows:
        f = files[(r["file"], r["sheet"])]
        path = sample_dir / r["file"]
        name = text(cell(path, r["sheet"], int(r["row"]), _col(f, "full_name")), f["encoding"])
        if r["kind"] == "data" and r["defects"] != "no_name":
            assert name == r["full_name"], (r["file"], r["row"])
        elif r["kind"] == "total":
            assert name == "Tổng cộng"
        elif r["kind"] == "blank":
            assert all(c == "" for c in sheet(path, r["sheet"])[int(r["row"]) - 1])


def test_rows_of_a_sheet_are_all_accounted_for(sample_dir, files, hr_rows):
    """Every row under the header is in the truth once: nothing the ingest must see is unlisted."""
    listed = Counter((r["file"], r["sheet"]) for r in hr_rows)
    for key, f in files.items():
        rows = sheet(sample_dir / f["file"], f["sheet"])
        below = len(rows) - (int(f["first_data_row"]) - 1)
        assert listed[key] == below == int(f["last_row"]) - int(f["first_data_row"]) + 1


def test_ids_that_lost_their_leading_zero_are_numbers(sample_dir, files, hr_rows):
    hits = [r for r in hr_rows if "id_lost_leading_zero" in r["defects"]]
    assert len(hits) > 100
    for r in hits:
        f = files[(r["file"], r["sheet"])]
        value = cell(sample_dir / r["file"], r["sheet"], int(r["row"]), _col(f, "citizen_id"))
        assert isinstance(value, (int, float))
        assert f"{int(value):012d}" == r["citizen_id"]
        assert len(str(int(value))) < 12


def test_old_nine_digit_ids(sample_dir, files, hr_rows):
    hits = [r for r in hr_rows if "old_id_9" in r["defects"]]
    assert hits
    for r in hits[:200]:
        f = files[(r["file"], r["sheet"])]
        value = cell(sample_dir / r["file"], r["sheet"], int(r["row"]), _col(f, "citizen_id"))
        assert str(value) == r["citizen_id"]
        assert len(r["citizen_id"]) == 9


@pytest.mark.parametrize(
    ("defect", "reason"),
    [
        ("exact_duplicate", "duplicate_row"),
        ("conflicting_duplicate", "person_conflict"),
        ("no_name", "missing_name"),
        ("future_dob", "dob_in_future"),
        ("impossible_date", "invalid_date"),
        ("unknown_title", "unknown_title"),
    ],
)
def test_rejected_rows_are_where_the_truth_says(sample_dir, files, hr_rows, defect, reason):
    hits = [r for r in hr_rows if r["defects"] == defect]
    assert hits, f"the sample injects no {defect}"
    for r in hits:
        assert r["expected"] == "quarantined"
        assert r["reasons"] == reason
        f = files[(r["file"], r["sheet"])]
        path, row = sample_dir / r["file"], int(r["row"])
        values = sheet(path, r["sheet"])[row - 1]
        dob = cell(path, r["sheet"], row, _col(f, "dob"))
        if defect == "exact_duplicate":
            assert values == sheet(path, r["sheet"])[row - 2]
        elif defect == "conflicting_duplicate":
            twins = [x for x in hr_rows if x["file"] == r["file"] and x["person_id"] == r["person_id"]]
            assert len(twins) == 2
            assert all(x["reasons"] == "person_conflict" for x in twins)
            a, b = (sheet(path, r["sheet"])[int(x["row"]) - 1] for x in twins)
            assert a != b
        elif defect == "no_name":
            assert cell(path, r["sheet"], row, _col(f, "full_name")) == ""
        elif defect == "future_dob":
            assert int(str(dob)[-4:]) > dt.date.today().year
        elif defect == "impossible_date":
            assert str(dob).startswith("31/02/")
        elif defect == "unknown_title":
            title = text(cell(path, r["sheet"], row, _col(f, "title")), f["encoding"])
            assert title in {"Trưởng thôn", "Công an viên", "Cán bộ không chuyên trách"}


def test_the_tcvn3_district_is_typed_in_vntime(sample_dir, files):
    import openpyxl

    tcvn3 = [f for f in files.values() if f["encoding"] == "tcvn3"]
    assert {f["district_code"] for f in tcvn3} == {"198"}
    f = tcvn3[0]
    ws = openpyxl.load_workbook(sample_dir / f["file"], read_only=False)[f["sheet"]]
    c = ws.cell(int(f["first_data_row"]), _col(f, "full_name") + 1)
    assert c.font.name == ".VnTime"
    assert any(ch in c.value for ch in "µ¸¶·¹¨©ª«¬®ÔÖ×Þ") or c.value.isascii()
    assert unicodedata.normalize("NFC", c.value) == c.value


def test_the_nfd_district_writes_decomposed_text(sample_dir, files, hr_rows):
    nfd = [f for f in files.values() if f["encoding"] == "nfd"]
    assert {f["district_code"] for f in nfd} == {"195"}
    r = next(
        r
        for r in hr_rows
        if r["district_code"] == "195" and r["kind"] == "data" and r["full_name"] and not r["full_name"].isascii()
    )
    raw = cell(sample_dir / r["file"], r["sheet"], int(r["row"]), _col(files[(r["file"], r["sheet"])], "full_name"))
    assert raw != r["full_name"]
    assert unicodedata.normalize("NFC", raw) == r["full_name"]


def test_every_date_style_appears(sample_dir, files, hr_rows):
    styles = {f["date_style"] for f in files.values()}
    assert styles == {"excel", "dmy", "dmy_short", "mixed"}
    assert sum("date_two_digit_year" in r["defects"] for r in hr_rows) > 100
    f = next(f for f in files.values() if f["date_style"] == "excel")
    assert isinstance(cell(sample_dir / f["file"], f["sheet"], int(f["first_data_row"]), _col(f, "dob")), dt.date)


def test_two_row_headers_and_split_sheets_exist(files):
    assert {f["district_code"] for f in files.values() if f["header_rows"] == "2"} == {"193", "196", "205"}
    split = {f["district_code"] for f in files.values() if f["sheet"] in ("Cán bộ", "Công chức")}
    assert split == {"194", "205"}


def test_every_reference_spelling_appears_in_the_files(sample_dir, files, hr_rows):
    """Titles and levels are spelled every way ../reference lists, each in the column it belongs to."""
    field_of = {"title": "title", "prof": "prof_level", "llct": "llct", "qlnn": "qlnn", "it": "it", "lang": "lang"}
    seen: dict[str, set[str]] = {dim: set() for dim in field_of}
    for r in hr_rows:
        if r["kind"] != "data" or not r.get("person_id"):
            continue
        f = files[(r["file"], r["sheet"])]
        row = sheet(sample_dir / r["file"], r["sheet"])[int(r["row"]) - 1]
        for dim, field in field_of.items():
            seen[dim].add(text(row[_col(f, field)], f["encoding"]).replace("Uỷ", "Ủy"))
    codes_present = {
        dim: {r[dim if dim != "title" else "title_code"] for r in hr_rows if r.get("person_id")} for dim in field_of
    }
    for dim, by_code in spellings().items():
        for code, variants in by_code.items():
            if code not in codes_present[dim]:
                continue  # e.g. no doctor in the sample
            missing = [v for v in variants if v not in seen[dim]]
            assert not missing, f"{dim} {code}: never spelled {missing}"


def test_roster_rows_sit_where_the_truth_says(sample_dir):
    rows = _csv(sample_dir, "roster_rows.csv")
    assert len(rows) > 1612
    for r in rows:
        values = sheet(sample_dir / r["file"], r["sheet"])[int(r["row"]) - 1]
        assert _fold(values[1]) == _fold(r["full_name"]), (r["file"], r["row"])
    assert any(r["in_hr"] == "false" for r in rows), "no roster row of a person missing from HR"
    assert any(r["citizen_id"] for r in rows)
    assert any(not r["citizen_id"] for r in rows)


def test_survey_rows_sit_where_the_truth_says(sample_dir):
    rows = _csv(sample_dir, "survey_rows.csv")
    raw = (sample_dir / rows[0]["file"]).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    for r in rows:
        line = lines[int(r["row"]) - 1]
        assert _fold(line[1]) == _fold(r["full_name"])
        assert line[2] == dt.date.fromisoformat(r["dob"]).strftime("%d/%m/%Y")


def test_manifest_lists_every_source_file_with_its_hash(sample_dir):
    import hashlib

    manifest = _csv(sample_dir, "manifest.csv")
    on_disk = sorted(
        p.relative_to(sample_dir).as_posix()
        for kind in ("hr", "courses", "surveys")
        for p in (sample_dir / kind).rglob("*")
        if p.is_file()
    )
    assert sorted(m["file"] for m in manifest) == on_disk
    for m in manifest:
        assert hashlib.sha256((sample_dir / m["file"]).read_bytes()).hexdigest() == m["sha256"]
