"""A year's consolidated roster, as a province's training school keeps it: one sheet, a class-code column,
hundreds of classes, and people who attended several of them. Found by the national benchmark: such a file
was refused (its batch key, every class code joined, outgrew PostgreSQL's index) and every person with two
classes was quarantined as a conflict. Written by hand here."""

from __future__ import annotations

import pytest
import xlsxwriter

from ingest.pipeline import ingest_paths
from tests.conftest import fresh_database, query


@pytest.fixture(scope="module")
def url(embedded_warehouse) -> str:
    """A database of its own: the session's shared one holds the sample, counted against its truth."""
    return fresh_database(embedded_warehouse, "cadre_consolidated_roster")


HEADER = ["STT", "Mã lớp", "Họ và tên", "Ngày sinh", "Số CCCD", "Chức danh", "Đơn vị", "Kết quả", "Điểm"]


def _roster(path, classes: int):
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    ws = wb.add_worksheet("Học viên")
    ws.write_string(0, 0, "TỔNG HỢP HỌC VIÊN BỒI DƯỠNG NĂM 2019")
    ws.write_string(1, 0, "Tỉnh Bến Tre")
    for c, name in enumerate(HEADER):
        ws.write_string(3, c, name)
    rows = [
        [i + 1, f"19-831-{i:04d}", f"Trần Thị Học Viên {i}", "12/05/1979", f"0831790{i:05d}", "Chủ tịch UBND xã"]
        for i in range(classes)
    ]
    # the first person attended a second class
    rows.append([classes + 1, "19-831-0001", "Trần Thị Học Viên 0", "12/05/1979", "083179000000", "Chủ tịch UBND xã"])
    for r, row in enumerate(rows, start=4):
        for c, value in enumerate([*row, "Xã Tân Thạch", "Hoàn thành", "8.5"]):
            if isinstance(value, int):
                ws.write_number(r, c, value)
            else:
                ws.write_string(r, c, value)
    wb.close()
    return path, len(rows)


def test_hundreds_of_classes_and_a_person_in_two_of_them_load_whole(url, tmp_path):
    path, rows = _roster(tmp_path / "tong_hop_hoc_vien_2019.xlsx", classes=300)
    [result] = ingest_paths([path], url, kind="roster")
    assert result["status"] == "loaded", result
    assert result["rows_loaded"] == rows
    assert not result.get("rows_quarantined")
    [(key,)] = query(url, "select batch_key from raw.ingest_batches where batch_id = %s", (result["batch_id"],))
    assert key.startswith("roster:300 classes ")
    assert len(key) < 100
    # the same file again is the same delivery
    [again] = ingest_paths([path], url, kind="roster")
    assert again["status"] == "duplicate"


def test_a_roster_of_a_few_classes_keeps_its_readable_key(url, tmp_path):
    path, _ = _roster(tmp_path / "lop_nho.xlsx", classes=3)
    [result] = ingest_paths([path], url, kind="roster")
    [(key,)] = query(url, "select batch_key from raw.ingest_batches where batch_id = %s", (result["batch_id"],))
    assert key == "roster:19-831-0000,19-831-0001,19-831-0002"


CLASS_HEADER = ["Mã lớp", "Tên lớp", "Loại lớp", "Cấp tổ chức", "Chuyên đề", "Từ ngày", "Đến ngày", "Đối tượng"]


def _class_list(path, school: str, codes: list[str]):
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    ws = wb.add_worksheet("Danh sách lớp")
    ws.write_string(0, 0, school)
    ws.write_string(1, 0, "DANH SÁCH LỚP BỒI DƯỠNG NĂM 2019")
    for c, name in enumerate(CLASS_HEADER):
        ws.write_string(3, c, name)
    for r, code in enumerate(codes, start=4):
        row = [code, "Bồi dưỡng cán bộ chủ chốt cấp xã", "CHU_CHOT", "Huyện", "", "04/03/2019", "08/03/2019", ""]
        for c, value in enumerate(row):
            ws.write_string(r, c, value)
    wb.close()
    return path


def test_two_provinces_class_lists_of_one_year_both_stay_in_use(url, tmp_path):
    """Found by the national benchmark: a class list's key was its years only, so each province's list of
    2019 superseded the one before it. A province's school names its province; a corrected list of the same
    school still replaces its first."""
    ben_tre = _class_list(tmp_path / "lop_2019_a.xlsx", "TRƯỜNG CHÍNH TRỊ TỈNH BẾN TRE", ["19-831-01", "19-831-02"])
    tien_giang = _class_list(tmp_path / "lop_2019_b.xlsx", "Trường Chính trị tỉnh Tiền Giang", ["19-821-01"])
    corrected = _class_list(
        tmp_path / "lop_2019_a_sua.xlsx", "TRƯỜNG CHÍNH TRỊ TỈNH BẾN TRE", ["19-831-01", "19-831-02", "19-831-03"]
    )
    first, second, third = ingest_paths([ben_tre, tien_giang, corrected], url)
    assert [r["kind"] for r in (first, second, third)] == ["classes"] * 3
    assert (second["supersedes"], second["status"]) == ([], "loaded")
    assert third["supersedes"] == [first["batch_id"]]
    in_use = query(
        url,
        "select batch_key from raw.current_batches where batch_id = any(%s) order by batch_key",
        ([first["batch_id"], second["batch_id"], third["batch_id"]],),
    )
    assert in_use == [("classes:82:2019-2019",), ("classes:83:2019-2019",)]
