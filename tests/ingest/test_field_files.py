"""Files written by hand from what real district offices send (tests/fixtures), not by our generator: every
value a correct ingest must produce is checked, and hostile files are refused within bounded memory."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest

from ingest import layout, pipeline
from ingest.pipeline import ingest_file, ingest_paths
from tests.conftest import fresh_database, query
from tests.fixtures.score import expected, fixtures, score
from tests.ingest import builders

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("path", fixtures(), ids=lambda p: p.name)
def test_every_value_of_a_hand_made_file(path):
    result = score(path)
    assert result.total >= 2
    assert result.wrong == []


def test_the_ingest_does_not_share_the_generators_vocabulary():
    """What the ingest understands must not come from the sample generator's spelling lists."""
    for module in (ROOT / "ingest").glob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        imported = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        assert not [m for m in imported if m.startswith("cadre.sample")], module.name


@pytest.fixture(scope="module")
def field_db(embedded_warehouse):
    return fresh_database(embedded_warehouse, "cadre_field_files")


@pytest.fixture(scope="module")
def field_loaded(field_db):
    return {Path(r["file"]).name: r for r in ingest_paths(fixtures("hr", "valid"), field_db)}


def test_every_field_file_loads_and_every_row_is_accounted_for(field_db, field_loaded):
    assert len(field_loaded) == len(fixtures("hr", "valid"))
    for name, result in field_loaded.items():
        assert result["status"] == "loaded", (name, result.get("reason"))
        assert result["rows_in"] == result["rows_loaded"] + result["rows_quarantined"]
        want = expected(fixtures_dir() / name)
        assert result["district"] == want["district"]


def fixtures_dir() -> Path:
    return ROOT / "tests" / "fixtures" / "hr" / "valid"


def test_quarantine_says_why_and_names_the_candidates(field_db, field_loaded):
    batch = field_loaded["02_van_don_kiem_nhiem.xlsx"]["batch_id"]
    rows = dict(
        query(field_db, "select source_row, reasons from quarantine.rows where batch_id = %s order by 1", (batch,))
    )
    assert rows == {14: ["ambiguous_title"], 15: ["missing_title"], 16: ["unknown_title"]}
    details = query(field_db, "select details from quarantine.rows where batch_id = %s and source_row = 14", (batch,))
    assert "PCT_HDND or PCT_UBND" in json.dumps(details[0][0], ensure_ascii=False)


def test_posts_held_together_and_flags_reach_the_raw_layer(field_db, field_loaded):
    batch = field_loaded["02_van_don_kiem_nhiem.xlsx"]["batch_id"]
    held = query(
        field_db,
        "select title_code, title_concurrent, flags from raw.hr_rows where batch_id = %s and source_row in (8, 9, 17)"
        " order by source_row",
        (batch,),
    )
    assert held[0][:2] == ("PBT_DU", ["CT_HDND"])
    assert "it:unmapped" in held[1][2]  # "Tin học văn phòng": the person loads, the value is kept and flagged
    assert "prof_level:in_progress" in held[2][2]


def test_an_ethnicity_loads_as_its_group_and_keeps_what_was_written(field_db, field_loaded):
    batch = field_loaded["25_binh_lieu_gioi_tinh_ma_so.xlsx"]["batch_id"]
    rows = query(field_db, "select ethnicity, ethnicity_raw from raw.hr_rows where batch_id = %s order by source_row",
                 (batch,))  # fmt: skip
    assert rows == [("Mông", "H'Mông"), ("Sán Chay", "Sán Chỉ")]
    batch = field_loaded["01_tien_yen_trich_ngang.xlsx"]["batch_id"]
    assert query(field_db, "select distinct ethnicity_raw from raw.hr_rows where batch_id = %s", (batch,)) == [(None,)]


def test_a_list_without_qualification_columns_loads_with_a_warning(field_loaded):
    result = field_loaded["12_quang_yen_khong_trinh_do.csv"]
    assert result["rows_loaded"] == 3
    assert "no_qualification_columns" in result["warnings"]


def test_an_exception_in_one_file_is_a_typed_rejection_and_the_run_goes_on(url, tmp_path, monkeypatch):
    folder = tmp_path / "drop"
    builders.hr_xlsx(folder / "a_good.xlsx", [builders.hr_row(i) for i in range(1, 4)], when="31/01/2023")
    builders.hr_xlsx(folder / "b_breaks.xlsx", [builders.hr_row(i) for i in range(4, 7)], when="28/02/2023")
    builders.hr_xlsx(folder / "c_good.xlsx", [builders.hr_row(i) for i in range(7, 9)], when="31/03/2023")
    real = layout.rows_of

    def breaks_on_b(rows, header, legacy, district):
        if rows.height == 3 and rows.row(0)[2] == "Nguyễn Văn Thử D":
            raise KeyError("a bug nobody saw")
        return real(rows, header, legacy, district)

    monkeypatch.setattr(layout, "rows_of", breaks_on_b)
    results = {Path(r["file"]).name: r for r in ingest_paths([folder], url)}
    assert results["b_breaks.xlsx"]["status"] == "rejected"
    assert results["b_breaks.xlsx"]["reason_code"] == "internal_error"
    assert results["b_breaks.xlsx"]["reason"] == "KeyError: 'a bug nobody saw'"
    assert (results["a_good.xlsx"]["status"], results["c_good.xlsx"]["status"]) == ("loaded", "loaded")


def test_a_workbook_saved_in_the_future_is_not_believed(url, tmp_path):
    from datetime import UTC, datetime

    path = builders.hr_xlsx(
        tmp_path / "clock.xlsx", [builders.hr_row(1)], when="30/04/2023", modified=datetime(2031, 1, 1, 8, 0)
    )
    arrived = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    assert pipeline._modified(path) == arrived
    result = ingest_file(path, url)
    ledger = query(url, "select source_modified from raw.ingest_batches where batch_id = %s", (result["batch_id"],))
    assert ledger[0][0] <= datetime.now(UTC)


_PROBE = """
import json, sys
from pathlib import Path
from ingest.errors import FileRejected
from ingest.pipeline import plan_file
try:
    plan_file(Path(sys.argv[1]))
    code = "read"
except FileRejected as exc:
    code = exc.code
# VmHWM: this process's own peak (ru_maxrss would count the parent's memory, kept across fork and exec)
hwm = next(l for l in Path("/proc/self/status").read_text().splitlines() if l.startswith("VmHWM"))
print(json.dumps({"code": code, "peak_mib": int(hwm.split()[1]) // 1024}))
"""


def _read_in_a_guarded_process(path: Path) -> dict:
    """Read ``path`` in a child process that is killed if it grows past 3 GiB (a regression must not take
    the machine down with it); its verdict and peak memory."""
    child = subprocess.Popen([sys.executable, "-c", _PROBE, str(path)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    peak, deadline = 0, time.monotonic() + 300
    while child.poll() is None and time.monotonic() < deadline:
        try:
            status = Path(f"/proc/{child.pid}/status").read_text()
            rss = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))) // 1024
            peak = max(peak, rss)
        except (FileNotFoundError, StopIteration, ProcessLookupError):
            pass
        if peak > 3072:
            child.kill()
        time.sleep(0.02)
    out, _ = child.communicate(timeout=30)
    assert peak <= 3072, f"the reader grew to {peak} MiB"
    return json.loads(out)


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda p, src: builders.lying_zip(p, src), "zip_bomb"),  # 400 MiB inflated from ~0.4 MB, sizes lied
        (lambda p, src: builders.far_apart_cells(p, src), "too_many_columns"),  # 1 KB that calamine holds as 20 GB
        (lambda p, src: builders.far_apart_cells(p, src, "Z999999"), "too_large"),  # 26 million cells to hold
        (lambda p, src: builders.commas(p.with_suffix(".csv")), "line_too_long"),  # 20 MB of commas
        (lambda p, src: builders.zip_bomb(p), "zip_bomb"),
        (lambda p, src: builders.ods_bomb(p.with_suffix(".ods")), "zip_bomb"),  # LibreOffice's format, same caps
    ],
)
def test_hostile_files_are_refused_in_bounded_memory(tmp_path, make, code):
    source = builders.hr_xlsx(tmp_path / "source.xlsx", [builders.hr_row(i) for i in range(1, 4)])
    path = make(tmp_path / "hostile.xlsx", source) or tmp_path / "hostile.xlsx"
    verdict = _read_in_a_guarded_process(path)
    assert verdict["code"] == code
    assert verdict["peak_mib"] < 700  # the process with polars loaded is ~300 MiB of it


def test_a_family_name_like_a_total_is_still_a_person(tmp_path):
    """ "Tổng: 6 người" ends a table; "Tống Văn Hải" without a birth date or ID is a person to quarantine."""
    from ingest.pipeline import parse_file

    rows = [builders.hr_row(1), builders.hr_row(2, name="Tống Văn Hải"), [None, "Tổng: 2 người"]]
    rows[1][2] = rows[1][3] = None
    parsed = parse_file(builders.hr_xlsx(tmp_path / "tong.xlsx", rows, when="31/12/2023"))
    assert parsed["quarantined"].select("source_row", "reasons").rows() == [(7, ["missing_dob"])]
    assert parsed["skipped_rows"].select("source_row", "skip").rows() == [(8, "total_row")]


def test_the_folder_says_the_date_and_district_when_the_sheet_does_not(tmp_path):
    """No title rows; "Cộng Hòa" is a ward of Cẩm Phả and of Quảng Yên: the landing folder decides."""
    from ingest.pipeline import parse_file

    header = ["STT", "Họ và tên", "Ngày sinh", "Chức vụ", "Đơn vị", "Trình độ chuyên môn"]
    person = [1, "Phạm Văn Chiến", "04/04/1971", "Bí thư Đảng ủy", "Cộng Hòa", "Đại học"]
    path = builders.sheet_xlsx(tmp_path / "hr" / "2021-12-31" / "Quang_Yen" / "ds can bo.xlsx", [header, person])
    parsed = parse_file(path)
    assert (parsed["reporting_date"].isoformat(), parsed["district_code"]) == ("2021-12-31", "206")
    assert parsed["loaded"].get_column("commune_code").to_list() == ["07150"]


@pytest.mark.parametrize(
    ("titles", "name", "expected"),
    [
        # a period the title names outranks the date of the letter the list came with
        (["DANH SÁCH CBCC CẤP XÃ NĂM 2022", "(Kèm theo Công văn số 12/UBND-NV ngày 15/01/2023)"], "ds.xlsx",
         "2022-12-31"),
        (["(Kèm theo Công văn số 12/UBND-NV ngày 15/01/2023)"], "ds.xlsx", "2023-01-15"),  # nothing better
        (["DANH SÁCH CBCC CẤP XÃ NĂM 2022"], "ds 30.06.2022.xlsx", "2022-06-30"),  # a full date before a year
        (["DANH SÁCH CBCC CẤP XÃ - QUÝ II/2023"], "ds.xlsx", "2023-06-30"),
        ([], "CBCC_export_20241231.xlsx", "2024-12-31"),  # a program names its export yyyymmdd
        ([], "xuat_CBCC_30062024.xlsx", "2024-06-30"),  # or a person ddmmyyyy
    ],
)  # fmt: skip
def test_the_reporting_date_from_the_best_evidence(tmp_path, titles, name, expected):
    from ingest.pipeline import parse_file

    rows = [["UBND HUYỆN TIÊN YÊN"], *[[t] for t in titles], [],
            ["STT", "Họ và tên", "Ngày sinh", "Chức vụ", "Đơn vị", "Trình độ chuyên môn"],
            [1, "Phạm Văn Chiến", "04/04/1971", "Bí thư Đảng ủy", "Xã Hà Lâu", "Đại học"]]  # fmt: skip
    assert parse_file(builders.sheet_xlsx(tmp_path / name, rows))["reporting_date"].isoformat() == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("DS_CBCC_TienYen.csv", "hr"),
        ("DanhSachCanBoCongChuc.csv", "hr"),
        ("DSHocVien_LopK12.csv", "roster"),  # capitals run into a word: "DS Hoc Vien"
        ("ds_hoc_vien_lop_K12.csv", "roster"),
        ("export.csv", None),  # the name says nothing: never guessed
    ],
)
def test_the_files_name_tells_apart_two_kinds_its_header_fits_alike(tmp_path, name, expected):
    """A header of a person, a post and a unit, no level and no class: an HR list's or a roster's."""
    from ingest.errors import FileRejected
    from ingest.pipeline import parse_file

    path = tmp_path / "2024-12-31" / "Tien_Yen" / name
    path.parent.mkdir(parents=True)
    path.write_text("STT,Họ và tên,Ngày sinh,Chức vụ,Đơn vị\n1,Phạm Văn Chiến,04/04/1971,Bí thư Đảng ủy,Xã Hà Lâu\n")
    if expected is None:
        with pytest.raises(FileRejected) as refused:
            parse_file(path)
        assert refused.value.code == "ambiguous_kind"
    else:
        assert parse_file(path)["kind"] == expected


@pytest.mark.parametrize(
    ("titles", "expected"),
    [
        (["DANH SÁCH HỌC VIÊN LỚP BỒI DƯỠNG CÁN BỘ, CÔNG CHỨC XÃ ĐỒNG RUI"], "06892"),
        (["DANH SÁCH HỌC VIÊN LỚP BỒI DƯỠNG CÁN BỘ CẤP XÃ", "Tổ chức tại xã Đồng Rui"], None),  # where it was held
        (["DANH SÁCH HỌC VIÊN LỚP BỒI DƯỠNG CÁN BỘ CẤP XÃ"], None),
    ],
)
def test_a_rosters_one_commune_from_its_title(tmp_path, titles, expected):
    from ingest.pipeline import parse_file

    rows = [["TRUNG TÂM CHÍNH TRỊ HUYỆN TIÊN YÊN"], *[[t] for t in titles], [],
            ["STT", "Họ và tên", "Năm sinh", "Chức vụ", "Kết quả"],
            [1, "Đặng Văn Hòa", "1978", "Bí thư Đảng ủy", "Đạt"]]  # fmt: skip
    loaded = parse_file(builders.sheet_xlsx(tmp_path / "ds.xlsx", rows))["loaded"]
    assert loaded.get_column("commune_code").to_list() == [expected]


def _sheet_as_csv(source: Path, sheet: str, target: Path) -> None:
    """One sheet as Excel's "CSV UTF-8" saves it: cells as displayed, merges gone (a merged header's text in its
    first cell only, a commune merged down over its people in the first row only)."""
    import csv
    from datetime import date, datetime

    import openpyxl

    def shown(cell) -> str:
        v = cell.value
        if isinstance(v, datetime | date):  # as its format shows it: "m/d/yyyy" where Excel is set to English (US)
            return f"{v.month}/{v.day}/{v.year}" if cell.number_format.startswith("m/d") else v.strftime("%d/%m/%Y")
        return str(int(v)) if isinstance(v, float) and v.is_integer() else ("" if v is None else str(v))

    # the sheet as the expectation names it (NFC), however the workbook spells it (a Mac's decomposed letters)
    book = openpyxl.load_workbook(source)
    chosen = next(w for w in book.worksheets if unicodedata.normalize("NFC", w.title) == sheet)
    rows = [[shown(c) for c in row] for row in chosen.iter_rows()]
    with open(target, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)


@pytest.mark.parametrize(
    "source",
    [p for p in fixtures("hr", "valid") if p.suffix == ".xlsx" and "sheet" in expected(p)],
    ids=lambda p: p.name,
)
def test_every_hand_made_list_saved_as_csv_gives_the_same_values(source, tmp_path):
    import yaml

    want = expected(source)
    target = tmp_path / (source.stem + ".csv")
    _sheet_as_csv(source, want["sheet"], target)
    if refused := want.get("as_csv_refused"):  # what only the workbook said (its sheet's name) is gone
        from ingest.errors import FileRejected
        from ingest.pipeline import parse_file

        with pytest.raises(FileRejected) as caught:
            parse_file(target)
        assert caught.value.code == refused
        return
    want["sheet"] = unicodedata.normalize("NFC", target.stem)  # a sheet's name is stored in NFC
    want["rows"] = {k: v for k, v in want["rows"].items() if "!" not in str(k)}  # rows of the other sheets: not saved
    want["warnings"] = [w for w in want.get("warnings", []) if not w.startswith("sheet ")]  # nor the sheets
    # dates an Excel set to month first took the wrong way round: saved as CSV they are what it showed ("4/5/1981"
    # for a typed "04/05/1981"), read day first as typed, nothing turned
    want["warnings"] = [w for w in want["warnings"] if not w.startswith("dates_day_month_swapped")]
    for row in want["rows"].values():
        if "flags" in row:
            row["flags"] = [f for f in row["flags"] if not f.endswith(":day_month_swapped")]
    text = yaml.safe_dump(want, allow_unicode=True)
    target.with_name(target.name + ".expected.yaml").write_text(text, encoding="utf-8")
    result = score(target)
    assert result.total >= 2
    assert result.wrong == []


def test_a_header_less_column_after_the_name_is_the_given_name_only_when_it_reads_as_one(tmp_path):
    """'Họ và tên' merged over two columns: "Nguyễn Văn" | "An". A header-less column of "Nam"/"Nữ" beside a
    whole name is not a given name."""
    from ingest.pipeline import parse_file

    def sheet(name: str, rows: list[list]) -> Path:
        top = [["UBND HUYỆN TIÊN YÊN"], ["DANH SÁCH CÁN BỘ (đến 31/12/2021)"], [],
               ["STT", "Họ và tên", None, "Ngày sinh", "Chức vụ", "Đơn vị"]]  # fmt: skip
        return builders.sheet_xlsx(tmp_path / name, [*top, *rows])

    split = sheet("split.xlsx", [[1, "Nguyễn Văn", "An", "01/02/1970", "Bí thư Đảng ủy", "Xã Hà Lâu"],
                                 [2, "Trần Thị", "Bình", "03/04/1980", "Chủ tịch UBND", "Xã Hà Lâu"]])  # fmt: skip
    assert parse_file(split)["loaded"].get_column("full_name").to_list() == ["Nguyễn Văn An", "Trần Thị Bình"]
    sexes = sheet("sexes.xlsx", [[1, "Nguyễn Văn An", "Nam", "01/02/1970", "Bí thư Đảng ủy", "Xã Hà Lâu"],
                                 [2, "Trần Thị Bình", "Nữ", "03/04/1980", "Chủ tịch UBND", "Xã Hà Lâu"],
                                 [3, "Lê Văn Cường", "Nam", "05/06/1975", "Chủ tịch HĐND", "Xã Hà Lâu"]])  # fmt: skip
    names = parse_file(sexes)["loaded"].get_column("full_name").to_list()
    assert names == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]


def test_a_sheet_named_after_its_district_names_no_commune(tmp_path):
    """One sheet per commune gives each sheet's commune; a sheet named after the district ("Tien Yen", also the
    name of its district town) does not: without a unit column the file is refused, not put in Thị trấn Tiên Yên."""
    from ingest.errors import FileRejected
    from ingest.pipeline import parse_file

    rows = [["UBND HUYỆN TIÊN YÊN"], ["DANH SÁCH CÁN BỘ, CÔNG CHỨC CẤP XÃ"], [],
            ["STT", "Họ và tên", "Ngày sinh", "Chức vụ", "Trình độ chuyên môn", "LLCT"],
            [1, "Nguyễn Văn An", "01/02/1970", "Bí thư Đảng ủy", "Đại học", "TC"]]  # fmt: skip
    path = builders.sheet_xlsx(tmp_path / "ds_31-12-2021.xlsx", rows, sheet="Tien Yen")
    with pytest.raises(FileRejected) as refused:
        parse_file(path)
    assert refused.value.code == "missing_columns"


def test_a_list_under_a_report_of_two_pages(tmp_path):
    """A report's text runs for sixty rows, then "DANH SÁCH KÈM THEO" and the list: the header is found, and the
    date the report's text gives is the list's."""
    from ingest.pipeline import parse_file

    text = ["UBND HUYỆN VÂN ĐỒN", "BÁO CÁO", "Kết quả rà soát cán bộ, công chức cấp xã (số liệu đến 31/12/2022)"]
    text += [f"{k}. Tình hình thực hiện nhiệm vụ, kết quả đạt được, tồn tại, hạn chế (đoạn {k})." for k in range(60)]
    rows = [[t] for t in text] + [["DANH SÁCH KÈM THEO"],
            ["STT", "Họ và tên", "Ngày sinh", "Chức vụ", "Đơn vị", "Trình độ chuyên môn"],
            [1, "Phạm Văn Long", "12/02/1978", "Chủ tịch UBND", "Xã Đài Xuyên", "ĐH"]]  # fmt: skip
    parsed = parse_file(builders.sheet_xlsx(tmp_path / "bao_cao.xlsx", rows, sheet="Bao cao"))
    assert (parsed["district_code"], parsed["reporting_date"].isoformat()) == ("203", "2022-12-31")
    assert parsed["loaded"].select("source_row", "commune_code", "title_code").rows() == [
        (len(rows), "06997", "CT_UBND")
    ]


def test_a_list_under_a_summary_table_of_its_posts(tmp_path):
    """A count of the posts by level heads the sheet, with more rows than the header search reads past a header
    before it stops: that table names no person, so the list under it is still found."""
    from ingest.pipeline import parse_file

    posts = ["Bí thư Đảng ủy", "Phó Bí thư Đảng ủy", "Chủ tịch HĐND", "Phó Chủ tịch HĐND", "Chủ tịch UBND",
             "Phó Chủ tịch UBND", "Chủ tịch UBMTTQ", "Bí thư Đoàn TN", "Chủ tịch Hội LHPN", "Chủ tịch Hội ND",
             "Chủ tịch Hội CCB", "Văn phòng - Thống kê", "Tư pháp - Hộ tịch", "Tài chính - Kế toán",
             "Cộng"]  # fmt: skip
    rows = [["UBND HUYỆN VÂN ĐỒN"], ["BIỂU TỔNG HỢP VÀ DANH SÁCH CÁN BỘ, CÔNG CHỨC CẤP XÃ (đến 31/12/2022)"],
            ["STT", "Chức danh", "Tổng số", "Trình độ chuyên môn", "Lý luận chính trị"]]  # fmt: skip
    rows += [[k, post, 13, 10, 3] for k, post in enumerate(posts, start=1)]
    rows += [[], ["STT", "Họ và tên", "Ngày sinh", "Chức vụ", "Đơn vị", "Trình độ chuyên môn"],
             [1, "Phạm Văn Long", "12/02/1978", "Chủ tịch UBND", "Xã Đài Xuyên", "ĐH"],
             [2, "Nguyễn Thị Vân", "03/05/1985", "Chủ tịch Hội LHPN", "Xã Bình Dân", "CĐ"]]  # fmt: skip
    parsed = parse_file(builders.sheet_xlsx(tmp_path / "tong_hop.xlsx", rows, sheet="TH"))
    assert parsed["loaded"].select("source_row", "commune_code", "title_code").rows() == [
        (len(rows) - 1, "06997", "CT_UBND"),
        (len(rows), "07000", "CT_HLHPN"),
    ]


@pytest.mark.parametrize(
    ("when", "district", "code"),
    [("Tháng 12/2025", None, "06652"), ("Tháng 12/2024", "193", "06664")],
)
def test_a_list_after_the_reform_names_the_new_communes(tmp_path, when, district, code):
    """From 1 July 2025 there are no districts: a list of that date whose sheet is named after a commune
    ("P Ha Tu", a name the merged ward kept, with a code of its own) means the new unit, under no district;
    the same sheet of 2024 is the old ward of Hạ Long's."""
    from ingest.pipeline import parse_file

    rows = [["ĐẢNG ỦY - HĐND - UBND"], [f"Danh sách cán bộ, công chức ({when.lower()})"], [],
            ["STT", "Họ và tên", "Năm sinh", "Chức vụ", "Trình độ CM"],
            [1, "Chíu Văn Sầu", 1976, "Chủ tịch UBND phường", "Đại học"],
            [2, "Mạc Thị Lý", 1989, "CC Văn phòng - Thống kê", "Đại học"]]  # fmt: skip
    parsed = parse_file(builders.sheet_xlsx(tmp_path / "cbcc.xlsx", rows, sheet="P Ha Tu"))
    assert parsed["district_code"] == district
    assert parsed["loaded"].select("commune_code", "title_code").rows() == [(code, "CT_UBND"), (code, "VP_TK")]


def test_a_workbook_of_personal_records_is_one_person_per_sheet_and_its_blank_template_no_one():
    """Fixture 41: two records and the blank template they were copied from."""
    from ingest.pipeline import parse_file

    parsed = parse_file(fixtures_dir() / "41_dai_duc_so_yeu_ly_lich.xlsx")
    assert parsed["loaded"].select("source_sheet", "source_row", "title_code").rows() == [
        ("Hoang Van Thang", 7, "BT_DU"),
        ("Ly Thi Mai", 4, "CT_UBND"),
    ]
    assert parsed["quarantined"].height == 0


def test_a_list_is_never_read_as_a_record():
    """A table with a header is a table, even where a line above it reads "Đơn vị: UBND xã Đại Dực"."""
    from ingest.layout import form_table

    rows = [["Đơn vị: UBND xã Đại Dực"], ["STT", "Họ và tên", "Ngày sinh", "Chức vụ"], ["1", "Lý Thị Mai", "1981", "x"]]
    assert form_table(rows) is None


def test_instructions_for_filling_in_a_list_are_nobodys_record():
    """A sheet explaining the list's columns has a record's labels, not its values; the same labels with a
    person's birth date are a record."""
    from ingest.layout import form_table

    guide = [
        ["HƯỚNG DẪN NHẬP LIỆU"],
        ["1. Họ và tên: ghi đầy đủ bằng chữ thường, có dấu"],
        ["2. Ngày sinh: ghi theo định dạng dd/mm/yyyy"],
        ["3. Số CCCD: ghi đủ 12 số"],
        ["4. Chức vụ: ghi chức vụ hiện đang đảm nhiệm"],
    ]
    assert form_table(guide) is None
    record = [*guide[:2], ["2. Ngày sinh: 03/09/1981"], *guide[3:]]
    assert form_table(record) is not None


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_tab_separated_text_named_xls_opens_as_excel_opens_it(tmp_path, encoding):
    """A program's "Xuất Excel" that writes tab-separated text and names it .xls: Excel opens it (with a warning),
    so the ingest reads it; the same text named .xlsx Excel refuses, and so does the ingest."""
    from ingest.errors import FileRejected
    from ingest.pipeline import parse_file

    rows = [["UBND HUYỆN ĐẦM HÀ"], ["DANH SÁCH CÁN BỘ CẤP XÃ (đến 31/12/2021)"], [],
            ["STT", "Họ và tên", "Ngày sinh", "Chức vụ", "Đơn vị"],
            ["1", "Nguyễn Văn An", "12/03/1972", "Chủ tịch UBND", "Xã Quảng Tân"],
            ["2", "Trần Thị Bích", "05/11/1980", "Phó Chủ tịch HĐND", "Xã Quảng Tân"]]  # fmt: skip
    text = "\r\n".join("\t".join(r) for r in rows)
    xls = tmp_path / "XuatExcel_DamHa.xls"
    xls.write_text(text, encoding=encoding)
    parsed = parse_file(xls)
    assert parsed["loaded"].get_column("title_code").to_list() == ["CT_UBND", "PCT_HDND"]
    assert parsed["district_code"] == "200"
    xlsx = tmp_path / "XuatExcel_DamHa.xlsx"
    xlsx.write_text(text, encoding=encoding)
    with pytest.raises(FileRejected) as refused:
        parse_file(xlsx)
    assert refused.value.code == "not_a_spreadsheet"


@pytest.mark.parametrize("ending", ["\r", "\n", "\r\n"])
def test_a_csv_reads_alike_whatever_ends_its_lines(tmp_path, ending):
    """Lines ended by CR alone (Excel's "CSV (Macintosh)", old Mac tools), LF or CRLF, and a CR typed inside a
    quoted cell: the same rows; a CR alone once stopped the whole file (the csv module's "new-line character seen
    in unquoted field")."""
    from ingest.pipeline import parse_file

    rows = ["DANH SÁCH CÁN BỘ CẤP XÃ HUYỆN ĐẦM HÀ (đến 31/12/2021)", "", "STT,Họ và tên,Ngày sinh,Chức vụ,Đơn vị",
            '1,Nguyễn Văn An,12/03/1972,"Chủ tịch UBND\rkiêm Bí thư",Xã Quảng Tân',
            "2,Trần Thị Bích,05/11/1980,Phó Chủ tịch HĐND,Xã Quảng Tân"]  # fmt: skip
    path = tmp_path / "ds_dam_ha.csv"
    path.write_bytes(ending.join(rows).encode("utf-8"))
    parsed = parse_file(path)
    assert parsed["loaded"].get_column("full_name").to_list() == ["Nguyễn Văn An", "Trần Thị Bích"]
    assert parsed["loaded"].get_column("title_concurrent").to_list()[0] == ["BT_DU"]
    assert parsed["quarantined"].height == 0


def test_a_unit_column_written_once_for_its_communes_rows_is_carried_down(tmp_path):
    """The commune written on the first row of its people only (a merge undone, a CSV of a merged sheet, a clerk
    who wrote it once): the rows under it are that commune's, up to the next commune written; a total row gives
    nothing to carry, and a row above any commune stays without one."""
    import csv

    from ingest.pipeline import parse_file

    rows = [["UBND HUYỆN VÂN ĐỒN"], ["DANH SÁCH CÁN BỘ CẤP XÃ (đến 31/12/2021)"], [],
            ["STT", "Xã", "Họ và tên", "Năm sinh", "Chức vụ"],
            [1, None, "Ngô Văn Một", "1969", "Chủ tịch Hội CCB"],
            [2, "Xã Đài Xuyên", "Phạm Văn Hải", "1970", "Bí thư Đảng ủy"],
            [3, None, "Trần Thị Hương", "1982", "Phó Chủ tịch HĐND"],
            [None, None, "Cộng", None, None],
            [4, "Xã Bình Dân", "Lê Văn Tùng", "1975", "Chủ tịch UBND"],
            [5, None, "Vũ Thị Lan", "1986", "Phó Chủ tịch UBND"],
            [None, "Tổng cộng", "05 người", None, None]]  # fmt: skip
    xlsx = builders.sheet_xlsx(tmp_path / "ds.xlsx", rows)
    text = tmp_path / "ds.csv"
    with open(text, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["" if v is None else v for v in row] for row in rows])
    for path in (xlsx, text):
        parsed = parse_file(path)
        loaded = dict(parsed["loaded"].select("full_name", "commune_code").iter_rows())
        assert loaded == {"Phạm Văn Hải": "06997", "Trần Thị Hương": "06997", "Lê Văn Tùng": "07000",
                          "Vũ Thị Lan": "07000"}, path.name  # fmt: skip
        quarantined = parsed["quarantined"].select("source_row", "reasons").rows()
        assert quarantined == [(5, ["missing_commune"])], path.name
        assert parsed["skipped"]["total_row"] == 2, path.name  # "Cộng" under the names, "Tổng cộng" under the units


def test_cv_is_the_post_alone_and_the_chuyen_vien_leaf_under_qlnn(tmp_path):
    """ "CV" heads the post column of a list ("CV " in real headers); under a merged "QLNN" over "CVCC | CVC | CV"
    it is the Chuyên viên level, ticked, and the post stays the "Chức vụ" column's."""
    import xlsxwriter

    from ingest.pipeline import parse_file

    alone = builders.sheet_xlsx(tmp_path / "alone.xlsx", [
        ["DANH SÁCH CÁN BỘ XÃ HUYỆN TIÊN YÊN NĂM 2022"], [],
        ["STT", "Họ và tên", "Ngày sinh", "CV ", "Đơn vị", "QLNN"],
        [1, "Lý Văn An", "12/03/1978", "Chủ tịch UBND", "Xã Đồng Rui", "CVC"]])  # fmt: skip
    assert parse_file(alone)["loaded"].select("title_code", "qlnn").rows() == [("CT_UBND", "CVC")]

    path = tmp_path / "leaf.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("S")
    sheet.write(0, 0, "DANH SÁCH CÁN BỘ XÃ HUYỆN TIÊN YÊN NĂM 2022")
    for c, text in enumerate(["STT", "Họ và tên", "Ngày sinh", "Chức vụ", "Đơn vị"]):
        sheet.merge_range(2, c, 3, c, text)
    sheet.merge_range(2, 5, 2, 7, "QLNN")
    sheet.write_row(3, 5, ["CVCC", "CVC", "CV"])
    sheet.write_row(4, 0, [1, "Lý Văn An", "12/03/1978", "Chủ tịch UBND", "Xã Đồng Rui", None, "x", None])
    sheet.write_row(5, 0, [2, "Lý Thị Bình", "12/03/1980", "Văn phòng - Thống kê", "Xã Đồng Rui", None, None, "x"])
    book.close()
    loaded = parse_file(path)["loaded"].select("title_code", "qlnn").rows()
    assert loaded == [("CT_UBND", "CVC"), ("VP_TK", "CV")]


def test_a_hidden_sheet_is_told_in_every_workbook_format():
    """Excel 2003 XML and OpenDocument say a sheet is hidden in their own words; xlsx/xls through calamine."""
    from ingest import markup

    ss, x = "urn:schemas-microsoft-com:office:spreadsheet", "urn:schemas-microsoft-com:office:excel"
    xml = (f'<Workbook xmlns="{ss}" xmlns:ss="{ss}" xmlns:x="{x}">'
           '<Worksheet ss:Name="DS"><Table><Row><Cell><Data ss:Type="String">a</Data></Cell></Row></Table></Worksheet>'
           '<Worksheet ss:Name="DM"><Table><Row><Cell><Data ss:Type="String">b</Data></Cell></Row></Table>'
           "<x:WorksheetOptions><x:Visible>SheetHidden</x:Visible></x:WorksheetOptions>"
           "</Worksheet></Workbook>")  # fmt: skip
    assert [(t.name, t.hidden) for t in markup.spreadsheetml_sheets(xml.encode(), 10, 10)] == [("DS", 0), ("DM", 1)]
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')  # fmt: skip
    row = "<table:table-row><table:table-cell><text:p>a</text:p></table:table-cell></table:table-row>"
    ods = (f"<office:document-content {ns}><office:automatic-styles>"
           '<style:style style:name="ta1" style:family="table">'
           '<style:table-properties table:display="true"/></style:style>'
           '<style:style style:name="ta2" style:family="table">'
           '<style:table-properties table:display="false"/></style:style>'
           "</office:automatic-styles><office:body><office:spreadsheet>"
           f'<table:table table:name="DS" table:style-name="ta1">{row}</table:table>'
           f'<table:table table:name="DM" table:style-name="ta2">{row}</table:table>'
           "</office:spreadsheet></office:body></office:document-content>")  # fmt: skip
    assert [(t.name, t.hidden) for t in markup.ods_sheets(ods.encode(), 10, 10)] == [("DS", False), ("DM", True)]


def test_a_hidden_row_is_told_in_every_workbook_format():
    """A row hidden by hand or filtered out: ``ss:Hidden`` in Excel 2003 XML, ``table:visibility`` in OpenDocument
    (repeated rows each), ``hidden="1"`` in an xlsx (the fixture 63_...)."""
    from ingest import markup

    ss = "urn:schemas-microsoft-com:office:spreadsheet"
    cell = '<Cell><Data ss:Type="String">{}</Data></Cell>'
    xml = (f'<Workbook xmlns="{ss}" xmlns:ss="{ss}"><Worksheet ss:Name="DS"><Table>'
           f'<Row>{cell.format("a")}</Row><Row ss:Hidden="1">{cell.format("b")}</Row>'
           f'<Row ss:Index="5" ss:Hidden="1">{cell.format("c")}</Row><Row>{cell.format("d")}</Row>'
           "</Table></Worksheet></Workbook>")  # fmt: skip
    [(_, rows, _, hidden, _)] = markup.spreadsheetml_sheets(xml.encode(), 10, 10)
    assert [(r or [None])[0] for r in rows] == ["a", "b", None, None, "c", "d"]
    assert hidden == {1, 4}
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')  # fmt: skip
    row = "<table:table-row{}><table:table-cell><text:p>{}</text:p></table:table-cell></table:table-row>"
    ods = (f"<office:document-content {ns}><office:body><office:spreadsheet><table:table table:name=\"DS\">"
           + row.format("", "a") + row.format(' table:visibility="filter" table:number-rows-repeated="2"', "b")
           + row.format(' table:visibility="collapse"', "c") + row.format(' table:visibility="visible"', "d")
           + "</table:table></office:spreadsheet></office:body></office:document-content>")  # fmt: skip
    [(_, rows, _, hidden, _)] = markup.ods_sheets(ods.encode(), 10, 10)
    assert [r[0] for r in rows] == ["a", "b", "b", "c", "d"]
    assert hidden == {1, 2, 3}


def test_a_list_on_a_hidden_sheet_is_read_when_no_shown_sheet_is_one(tmp_path):
    """A cover shown, the list itself hidden: the list is still the file's, with a warning; hidden beside a
    shown list, it is skipped."""
    import openpyxl

    from ingest.pipeline import parse_file

    def book(name: str, list_hidden: bool, shown_list: bool) -> Path:
        wb = openpyxl.Workbook()
        cover = wb.active
        cover.title = "Bia"
        cover.append(["BÁO CÁO CHẤT LƯỢNG CÁN BỘ, CÔNG CHỨC XÃ"])
        for title, hidden in [("DS", list_hidden), ("DS cu", not shown_list)]:
            ws = wb.create_sheet(title)
            ws.sheet_state = "hidden" if hidden else "visible"
            for r in [["UBND HUYỆN TIÊN YÊN"], ["DANH SÁCH CÁN BỘ (đến 31/12/2024)"], [],
                      ["STT", "Họ và tên", "Ngày sinh", "Chức vụ", "Xã"],
                      [1, "Nông Văn Thịnh" if title == "DS" else "Vi Văn Cường", "05/03/1978", "Bí thư Đảng ủy",
                       "Hà Lâu"]]:  # fmt: skip
                ws.append(r)
        wb.save(tmp_path / name)
        return tmp_path / name

    only_hidden = parse_file(book("an.xlsx", list_hidden=True, shown_list=False))
    assert only_hidden["loaded"]["full_name"].to_list() == ["Nông Văn Thịnh", "Vi Văn Cường"]
    assert "sheet 'DS' read: hidden, but no other sheet is a list" in only_hidden["warnings"]
    beside = parse_file(book("beside.xlsx", list_hidden=True, shown_list=True))
    assert beside["loaded"]["full_name"].to_list() == ["Vi Văn Cường"]
    assert "sheet 'DS' skipped: hidden in the workbook" in beside["warnings"]


@pytest.mark.parametrize("listed", [["An", "Bình"], ["An", "Bình", "Cường"]])
def test_a_class_list_beside_its_results_counts_each_student_once(tmp_path, listed):
    """The list sheet is skipped where every student it names has a result on the other sheet; where a student
    listed has none, only that student is read from the list (no verdict), the others with their results."""
    from ingest.pipeline import parse_file
    from tests.fixtures.write_fixtures import Book

    book = Book(tmp_path / "lop_K7-2024.xlsx")
    book.sheet("DS").row(1, ["STT", "Họ và tên", "Ngày sinh", "Đơn vị"])
    for i, name in enumerate(listed):
        book.row(2 + i, [i + 1, f"Nguyễn Văn {name}", f"0{i + 1}/03/1980", "Xã Quảng Tân"])
    book.sheet("KQ").row(1, ["STT", "Họ và tên", "Ngày sinh", "Đơn vị", "Kết quả"])
    for i, name in enumerate(["An", "Bình"]):
        book.row(2 + i, [i + 1, f"Nguyễn Văn {name}", f"0{i + 1}/03/1980", "Xã Quảng Tân", "Đạt"])
    book.close()
    parsed = parse_file(tmp_path / "lop_K7-2024.xlsx")
    if len(listed) == 2:
        assert parsed["sheets"] == ["KQ"]
        assert parsed["quarantined"].height == 0
        assert parsed["loaded"].get_column("completed").to_list() == [True, True]
    else:
        assert parsed["sheets"] == ["DS", "KQ"]
        assert parsed["quarantined"].height == 0
        loaded = parsed["loaded"].select("source_sheet", "full_name", "completed").rows()
        assert sorted(loaded, key=str) == sorted(
            [("DS", "Nguyễn Văn Cường", None), ("KQ", "Nguyễn Văn An", True), ("KQ", "Nguyễn Văn Bình", True)], key=str
        )
        skipped = [skip for sheet, _, skip in parsed["skipped_rows"].rows() if sheet == "DS"]
        assert skipped == ["listed_with_results", "listed_with_results"]


@pytest.mark.parametrize(
    ("titles", "expected"),
    [
        (["LỚP BỒI DƯỠNG QLNN KHÓA 3, NĂM 2024 (Từ 06/5 - 14/6/2024)"],
         ("LỚP BỒI DƯỠNG QLNN KHÓA 3, NĂM 2024", "2024-05-06", "2024-06-14")),
        (["Lớp bồi dưỡng chuyển đổi số, mã lớp: CĐS-01", "Thời gian: 03/3/2025 - 07/3/2025"],
         ("Lớp bồi dưỡng chuyển đổi số", "2025-03-03", "2025-03-07")),
        (["Tổ chức tại Hội trường, từ ngày 06/5/2024 đến 10/5/2024"], (None, "2024-05-06", "2024-05-10")),
        (["Khai giảng: 06/5/2024"], (None, "2024-05-06", None)),  # the first day only: no length known
        (["Lớp học tổ chức từ 06-10/5/2024"], (None, "2024-05-06", "2024-05-10")),  # "Lớp học" names no class
        (["DANH SÁCH HỌC VIÊN LỚP K12", "Năm 2024"], (None, None, None)),  # a code, and a year: no days
    ],
)  # fmt: skip
def test_a_rosters_class_name_and_days_as_its_title_rows_give_them(titles, expected):
    assert pipeline._class_facts(titles) == expected


@pytest.mark.parametrize(
    ("label", "sex"),
    [
        ("Giới tính nam (nếu có thì ghi X)", "male"),
        ("Giới tính (Nữ ghi X)", "female"),
        ("Giới tính (nam, nữ)", None),  # a personal record's label: both named, the value says which
        ("Giới tính (Nam: 1, Nữ: 0)", None),  # a legend
        ("Giới tính", None),
    ],
)
def test_a_sex_column_that_names_one_sex(label, sex):
    assert layout._one_sex(label) == sex


@pytest.mark.parametrize(
    ("numbers", "expected"),
    [
        (["1", None, "1"], [7]),  # a group of one, an unread row, the numbering starting again: a heading
        (["2", None, "1"], [7]),
        (["2", None, "3"], []),  # the numbering goes on: no heading (a person's row without its number)
        ([None, None, "1"], []),  # nothing numbered above it: the list's first rows
    ],
)
def test_an_unread_row_heads_a_commune_where_the_numbering_starts_again(numbers, expected):
    import polars as pl

    rows = pl.DataFrame({"source_row": [6, 7, 8], "column_0": numbers}, schema_overrides={"column_0": pl.Utf8})
    assert layout._restarts(rows, "column_0", {7: "Bình Dânn"}) == expected


@pytest.mark.parametrize(
    ("title", "changes"),
    [
        ("DANH SÁCH BIẾN ĐỘNG CÁN BỘ, CÔNG CHỨC CẤP XÃ QUÝ III NĂM 2024", True),
        ("BÁO CÁO TĂNG, GIẢM CÁN BỘ CÔNG CHỨC CẤP XÃ", True),
        ("DANH SACH BIEN DONG CAN BO QUY III", True),  # typed without marks, after a list's words
        ("ỦY BAN NHÂN DÂN HUYỆN ĐIỆN BIÊN ĐÔNG", False),  # a district: "bien dong" once folded
        ("DANH SACH CAN BO HUYEN DIEN BIEN DONG", False),
        ("BÁO CÁO SỐ LƯỢNG, CHẤT LƯỢNG VÀ BIẾN ĐỘNG", False),  # a count of them, refused otherwise if at all
        ("DANH SÁCH CÁN BỘ, CÔNG CHỨC CẤP XÃ NGHỈ HƯU NĂM 2024", True),  # those who left only
        ("DANH SÁCH CÔNG CHỨC TUYỂN DỤNG MỚI NĂM 2023", True),  # those who came only
        ("Ghi chú: người nghỉ hưu, thôi việc trong kỳ ghi vào cột Ghi chú", False),  # a whole list's instructions
    ],
)
def test_a_list_of_changes_only_is_told_by_its_title(title, changes):
    assert bool(pipeline._changes_only([title], [])) is changes
