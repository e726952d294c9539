"""Files as people deliver them: again, corrected, late, broken or hostile. Nothing lost, nothing twice."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import datetime, timedelta

import pytest

from ingest import pipeline, readers
from ingest.pipeline import ingest_file, ingest_paths, parse_file
from tests.conftest import query
from tests.ingest import builders


def _count(url, sql, params=()):
    return query(url, sql, params)[0][0]


def test_same_bytes_under_another_name_are_a_duplicate_no_op(url, ingested, sample_dir, tmp_path):
    source = next(p for p in (sample_dir / "hr").rglob("*.xlsx"))
    copy = shutil.copy(source, tmp_path / "gui lai - ban sao.xlsx")
    before = _count(url, "select count(*) from raw.hr_rows"), _count(url, "select count(*) from raw.ingest_batches")
    result = ingest_file(copy, url)
    assert result["status"] == "duplicate"
    assert result["same_as"] == source.name
    after = _count(url, "select count(*) from raw.hr_rows"), _count(url, "select count(*) from raw.ingest_batches")
    assert after == before


def test_a_correction_supersedes_and_both_stay_in_history(url, tmp_path):
    when = datetime(2021, 3, 1, 8, 0)
    first = builders.hr_xlsx(
        tmp_path / "v1.xlsx", [builders.hr_row(i) for i in range(1, 6)], when="31/03/2021", modified=when
    )
    corrected_rows = [builders.hr_row(i) for i in range(1, 6)]
    corrected_rows[2] = builders.hr_row(3, llct="CC")
    second = builders.hr_xlsx(
        tmp_path / "v2.xlsx", corrected_rows, when="31/03/2021", modified=when + timedelta(days=2)
    )
    a, b = ingest_file(first, url), ingest_file(second, url)
    assert a["status"] == b["status"] == "loaded"
    assert b["supersedes"] == [a["batch_id"]]
    statuses = dict(
        query(
            url,
            "select batch_id, status from raw.ingest_batches where batch_id in (%s, %s)",
            (a["batch_id"], b["batch_id"]),
        )
    )
    assert statuses == {a["batch_id"]: "superseded", b["batch_id"]: "loaded"}
    current = query(url, "select batch_id from raw.current_batches where batch_key = 'hr:193:06649:2021-03-31'")
    assert current == [(b["batch_id"],)]
    assert (
        _count(url, "select count(*) from raw.hr_rows where batch_id = any(%s)", ([a["batch_id"], b["batch_id"]],))
        == 10
    )


def test_an_older_version_arriving_late_is_superseded_at_once(url, tmp_path):
    when = datetime(2021, 6, 1, 8, 0)
    newer = builders.hr_xlsx(
        tmp_path / "new.xlsx",
        [builders.hr_row(i) for i in range(1, 4)],
        when="30/06/2021",
        modified=when + timedelta(days=5),
    )
    older = builders.hr_xlsx(
        tmp_path / "old.xlsx", [builders.hr_row(i) for i in range(1, 3)], when="30/06/2021", modified=when
    )
    n, o = ingest_file(newer, url), ingest_file(older, url)
    assert n["status"] == "loaded"
    assert o["status"] == "superseded"
    current = query(url, "select batch_id from raw.current_batches where batch_key = 'hr:193:06649:2021-06-30'")
    assert current == [(n["batch_id"],)]


def test_communes_lists_of_one_date_stay_in_use_side_by_side(url, tmp_path):
    """Two communes of one district send their own lists of one date, and the district its list: none replaces
    another (before, each file replaced the district's list of that date: the other communes' people were lost
    without a word). A commune's later version replaces its own list only."""
    when = datetime(2021, 9, 1, 8, 0)

    def send(name, rows, days):
        path = builders.hr_xlsx(tmp_path / name, rows, when="30/09/2021", modified=when + timedelta(days=days))
        return ingest_file(path, url)

    khanh = send("ha_khanh.xlsx", [builders.hr_row(i) for i in range(1, 4)], 0)
    phong = send("ha_phong.xlsx", [builders.hr_row(i, commune="P. Hà Phong") for i in range(4, 6)], 1)
    both = [builders.hr_row(6, commune="Hà Khẩu"), builders.hr_row(7, commune="Phường Cao Xanh")]
    district = send("thanh_pho.xlsx", both, 2)
    assert [r["status"] for r in (khanh, phong, district)] == ["loaded"] * 3
    assert khanh["supersedes"] == phong["supersedes"] == district["supersedes"] == []
    again = send("ha_khanh_sua.xlsx", [builders.hr_row(i) for i in range(1, 3)], 3)
    assert again["supersedes"] == [khanh["batch_id"]]
    keys = query(
        url,
        "select batch_key from raw.current_batches where batch_id = any(%s) order by 1",
        ([b["batch_id"] for b in (khanh, phong, district, again)],),
    )
    assert keys == [("hr:193:06649:2021-09-30",), ("hr:193:06652:2021-09-30",), ("hr:193:2021-09-30",)]


def test_a_communes_list_with_a_neighbours_person_is_still_the_communes(url, tmp_path):
    """A ward's own list, its title naming it, with one person of a neighbouring ward among its nine (seconded, or a
    unit mistyped): still the ward's list. Before, it was taken for the city's list of that date: it replaced the
    city's list, and every other ward's people were closed out."""
    when = datetime(2021, 10, 1, 8, 0)
    city = [builders.hr_row(6, commune="Hà Khẩu"), builders.hr_row(7, commune="Phường Cao Xanh")]
    city_list = ingest_file(builders.hr_xlsx(tmp_path / "thanh_pho.xlsx", city, when="31/10/2021", modified=when), url)
    own = [builders.hr_row(i) for i in range(1, 10)] + [builders.hr_row(10, commune="Phường Hà Phong")]
    path = builders.hr_xlsx(
        tmp_path / "ha_khanh.xlsx",
        own,
        when="31/10/2021",
        modified=when + timedelta(days=1),
        authority="ỦY BAN NHÂN DÂN PHƯỜNG HÀ KHÁNH",
    )
    ward = ingest_file(path, url)
    assert (city_list["status"], ward["status"], ward["supersedes"]) == ("loaded", "loaded", [])
    keys = query(
        url,
        "select batch_key from raw.current_batches where batch_id = any(%s) order by 1",
        ([city_list["batch_id"], ward["batch_id"]],),
    )
    assert keys == [("hr:193:06649:2021-10-31",), ("hr:193:2021-10-31",)]


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda p, src: builders.truncated(p, src), "corrupt_file"),
        (lambda p, src: builders.html_renamed(p), "not_a_spreadsheet"),
        (lambda p, src: builders.csv_renamed(p), "not_a_spreadsheet"),
        (lambda p, src: builders.xml_with_entities(p), "not_a_spreadsheet"),
        (lambda p, src: builders.ods_with_entities(p), "not_a_spreadsheet"),
        (lambda p, src: builders.zip_bomb(p), "zip_bomb"),
        (lambda p, src: builders.not_a_workbook_zip(p), "not_a_spreadsheet"),
        (lambda p, src: builders.word_without_table(p), "not_a_spreadsheet"),
        (lambda p, src: builders.word_97(p), "not_a_spreadsheet"),  # once "corrupt_file": read as an .xls
        (lambda p, src: builders.pdf(p), "not_a_spreadsheet"),  # once read as CSV text
        (lambda p, src: builders.password_protected(p), "password_protected"),
        (lambda p, src: builders.no_sheets(p, src), "no_sheet"),  # once an internal error (IndexError)
        (lambda p, src: p.write_bytes(b"") and p, "empty_file"),
    ],
)
def test_hostile_files_are_rejected_with_a_typed_reason(url, sample_dir, tmp_path, make, code):
    source = next(p for p in (sample_dir / "hr").rglob("*.xlsx"))
    path = tmp_path / "bad.xlsx"
    make(path, source)
    result = ingest_file(path, url)
    assert result["status"] == "rejected"
    assert result["reason_code"] == code
    assert result["reason"]
    ledger = query(
        url, "select status, reject_code, error from raw.ingest_batches where batch_id = %s", (result["batch_id"],)
    )
    assert ledger == [("rejected", code, result["reason"])]


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (
            lambda p, src: builders.zip_of_lists(p, src),
            "a zip archive of 2 file(s) (BaoCao/DS_CBCC_6thang.xlsx, BaoCao/DS_CBCC_ca_nam.xlsx)",
        ),
        (lambda p, src: builders.xlsb(p), "save it as an Excel workbook (.xlsx)"),
        (lambda p, src: builders.word_97(p), "save it as a Word document (.docx)"),
        (lambda p, src: builders.pdf(p), "a PDF"),
        (lambda p, src: builders.not_a_workbook_zip(p), "no xl/workbook.xml"),
    ],
)
def test_a_file_that_is_no_list_is_refused_saying_what_to_send(sample_dir, tmp_path, make, says):
    """Tried on 2026-12-06: a zip of the lists, an .xlsb, a Word 97-2003 file, a PDF (was read as CSV text)."""
    from ingest.errors import FileRejected
    from ingest.pipeline import parse_file

    path = tmp_path / "bao_cao.xlsx"
    make(path, next(p for p in (sample_dir / "hr").rglob("*.xlsx")))
    with pytest.raises(FileRejected) as refused:
        parse_file(path)
    assert refused.value.code == "not_a_spreadsheet"
    assert says in refused.value.message


def test_a_bad_file_does_not_stop_the_others(url, tmp_path):
    folder = tmp_path / "drop"
    builders.html_renamed(folder.mkdir() or folder / "a_page.xlsx")
    builders.hr_xlsx(folder / "b_good.xlsx", [builders.hr_row(i) for i in range(1, 4)], when="31/01/2022")
    results = {r["file"].rsplit("/", 1)[-1]: r for r in ingest_paths([folder], url)}
    assert results["a_page.xlsx"]["status"] == "rejected"
    assert results["b_good.xlsx"]["status"] == "loaded"
    assert results["b_good.xlsx"]["rows_loaded"] == 3


def test_control_characters_a_program_left_in_cells_load(url, tmp_path):
    """A NUL (a C program's string end) or a bell in a CSV's cells, past its first lines: the row loads, the
    characters dropped, in the clean value and in the cell kept as read (PostgreSQL text holds no NUL: the whole
    file was once an internal error)."""
    import csv

    rows = [builders.hr_row(i) for i in range(1, 40)]
    rows[30][1] = rows[30][1][:3] + "\x00" + rows[30][1][3:]
    rows[31][5] = rows[31][5] + "\x07"
    path = tmp_path / "ds_31-03-2022.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["DANH SÁCH CÁN BỘ XÃ HUYỆN TIÊN YÊN"], builders.HR_HEADER, *rows])
    result = ingest_file(path, url)
    assert (result["status"], result["rows_loaded"]) == ("loaded", 39), result
    names = query(url, "select full_name, full_name_raw from raw.hr_rows where batch_id = %s and source_row = 33",
                  (result["batch_id"],))  # fmt: skip
    assert names == [(builders.hr_row(31)[1], None)]


def test_missing_required_columns_reject_the_whole_file_and_say_which(url, tmp_path):
    header = [h for h in builders.HR_HEADER if h != "Chức danh"]
    rows = [[c for j, c in enumerate(builders.hr_row(i)) if j != 5] for i in range(1, 4)]
    result = ingest_file(builders.hr_xlsx(tmp_path / "no_title.xlsx", rows, header=header, when="28/02/2022"), url)
    assert result["status"] == "rejected"
    assert result["reason_code"] == "missing_columns"
    assert "title" in result["reason"]
    assert "full_name" in result["reason"]  # what was found is said too


def test_a_huge_sheet_is_refused(url, tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_ROWS", 5)
    path = builders.hr_xlsx(tmp_path / "big.xlsx", [builders.hr_row(i) for i in range(1, 10)], when="31/05/2022")
    result = ingest_file(path, url)
    assert (result["status"], result["reason_code"]) == ("rejected", "too_many_rows")


def test_one_person_twice_exact_and_conflicting(url, tmp_path):
    rows = [builders.hr_row(i) for i in range(1, 6)]
    rows.insert(2, list(rows[1]))  # an exact repeat of row 2
    conflict = builders.hr_row(4, llct="CC")  # person 4 again, with another LLCT level
    rows.append(conflict)
    result = ingest_file(builders.hr_xlsx(tmp_path / "twice.xlsx", rows, when="30/09/2022"), url)
    assert result["rows_in"] == 7
    assert result["quarantined_by_reason"] == {"duplicate_row": 1, "person_conflict": 2}
    assert result["rows_loaded"] == 4
    cells = query(
        url,
        "select cells->>'full_name', reasons from quarantine.rows where batch_id = %s order by source_row",
        (result["batch_id"],),
    )
    assert [c[1] for c in cells] == [["duplicate_row"], ["person_conflict"], ["person_conflict"]]
    details = query(
        url,
        "select source_row, details->'values' from quarantine.rows where batch_id = %s order by 1",
        (result["batch_id"],),
    )
    # each says where the person's other row is: the repeat its first, a conflict the other of the two
    assert details == [(8, ["as DS row 7"]), (10, ["also DS row 12"]), (12, ["also DS row 10"])]


def test_source_rows_are_the_sheets_own_row_numbers_even_below_empty_rows(url, tmp_path):
    """A sheet that starts with empty rows: the reader must not close the gap, or every row's audit trail
    (sheet, row) would point at the wrong row."""
    rows = [builders.hr_row(i) for i in range(1, 4)]
    rows[1][2] = "31/02/1980"  # sheet row 9 once the sheet starts two rows lower
    path = builders.hr_xlsx(tmp_path / "lower.xlsx", rows, when="30/04/2022", top=2)
    result = ingest_file(path, url)
    batch = (result["batch_id"],)
    assert query(url, "select source_row from raw.hr_rows where batch_id = %s order by 1", batch) == [(8,), (10,)]
    assert query(url, "select source_row, reasons from quarantine.rows where batch_id = %s", batch) == [
        (9, ["invalid_date"])
    ]


def test_repeats_and_conflicts_in_different_chunks_settle_as_in_one(url, tmp_path, monkeypatch):
    """Rows are normalised and copied chunk by chunk; a repeat or a conflict whose rows fall in different
    chunks is only seen at the end, and its rows move to quarantine before the commit."""
    rows = [builders.hr_row(i) for i in range(1, 12)]
    rows.append(list(rows[0]))  # sheet row 17: a repeat of row 6, three chunks later
    rows.append(builders.hr_row(2, llct="CC"))  # row 18: person 2 again, differently (row 7 loaded meanwhile)
    refused = builders.hr_row(5, llct="CC")
    refused[2] = "31/02/1980"  # row 19: person 5 again, with an impossible date (row 10 loaded meanwhile)
    rows.append(refused)
    path = builders.hr_xlsx(tmp_path / "chunks.xlsx", rows, when="31/08/2022")
    whole = parse_file(path)  # one chunk: the reference
    expected = dict(whole["quarantined"].select("source_row", "reasons").rows())
    assert expected == {
        7: ["person_conflict"],
        10: ["person_conflict"],
        17: ["duplicate_row"],
        18: ["person_conflict"],
        19: ["invalid_date", "person_conflict"],
    }
    monkeypatch.setattr(pipeline, "FIRST_CHUNK_ROWS", 2)
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 4)
    assert len(list(pipeline.process(pipeline.plan_file(path)))) == 4  # 2 + 4 + 4 + 4 rows
    result = ingest_file(path, url)
    assert (result["rows_in"], result["rows_loaded"], result["rows_quarantined"]) == (14, 9, 5)
    assert result["quarantined_by_reason"] == {"duplicate_row": 1, "invalid_date": 1, "person_conflict": 4}
    batch = (result["batch_id"],)
    assert dict(query(url, "select source_row, reasons from quarantine.rows where batch_id = %s", batch)) == expected
    loaded = query(url, "select source_row from raw.hr_rows where batch_id = %s order by 1", batch)
    assert [r[0] for r in loaded] == sorted(whole["loaded"].get_column("source_row").to_list())


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1258"])
def test_csv_in_the_encodings_people_save(url, tmp_path, encoding):
    text = (
        "Dấu thời gian,Họ và tên,Ngày sinh,Xã/phường/thị trấn,Mức độ cải thiện sau khi tham gia bồi dưỡng,"
        "Mức độ cần thiết của việc cập nhật kiến thức\n"
        f"1/10/2021 08:00:00,Nguyễn Thị Hoa {encoding},12/05/1979,Hà Khánh,Khá tích cực,Rất cần thiết\n"
    )
    path = tmp_path / f"survey_{encoding}.csv"
    path.write_bytes(builders.cp1258(text) if encoding == "cp1258" else text.encode(encoding))
    result = ingest_file(path, url)
    assert (result["status"], result["kind"], result["rows_loaded"]) == ("loaded", "survey", 1)
    name = query(
        url, "select full_name, improvement from raw.survey_responses where batch_id = %s", (result["batch_id"],)
    )
    assert name == [(f"Nguyễn Thị Hoa {encoding}", "KTC")]


def test_cli_prints_one_json_line_per_file_and_exits_nonzero_on_rejection(warehouse_settings, url, tmp_path):
    folder = tmp_path / "cli"
    builders.hr_xlsx(folder / "ok.xlsx", [builders.hr_row(i) for i in range(1, 3)], when="31/10/2022")
    builders.html_renamed(folder / "page.xlsx")
    env = {**os.environ, "CADRE_HOME": str(warehouse_settings.home), "CADRE_PG_PORT": str(warehouse_settings.port)}
    env.pop("CADRE_WAREHOUSE_URL", None)
    run = subprocess.run(
        [sys.executable, "-m", "cadre.cli", "ingest", str(folder)], env=env, capture_output=True, text=True
    )
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    assert run.returncode == 1
    assert sorted(r["status"] for r in lines) == ["loaded", "rejected"]
    assert all({"file", "sha256", "kind", "status"} <= set(r) for r in lines)
    loaded = next(r for r in lines if r["status"] == "loaded")
    assert {"district", "reporting_date", "rows_in", "rows_loaded", "rows_quarantined", "checks"} <= set(loaded)
    (folder / "page.xlsx").unlink()
    again = subprocess.run(
        [sys.executable, "-m", "cadre.cli", "ingest", str(folder)], env=env, capture_output=True, text=True
    )
    assert again.returncode == 0
    assert json.loads(again.stdout)["status"] == "duplicate"


def test_a_list_refused_for_no_date_says_how_and_loads_once_named(url, tmp_path):
    """An export with no title rows names no date: the refusal says where to write one, and the same bytes
    under a dated name then load (a refusal does not count as having seen them)."""
    rows = [builders.hr_row(i, name=f"Phan Văn Khải {chr(64 + i)}", commune="Phường Hồng Hải") for i in (1, 2)]
    header = builders.HR_HEADER
    path = builders.sheet_xlsx(tmp_path / "xuat_du_lieu.xlsx", [header, *rows])
    refused = ingest_file(path, url)
    assert (refused["status"], refused["reason_code"]) == ("rejected", "no_reporting_date")
    assert "31-12-2023" in refused["reason"]
    assert "hr/2023-12-31/" in refused["reason"]
    dated = shutil.copy(path, tmp_path / "xuat_du_lieu_31-12-2023.xlsx")
    loaded = ingest_file(dated, url)
    assert (loaded["status"], loaded["reporting_date"], loaded["rows_loaded"]) == ("loaded", "2023-12-31", 2)
