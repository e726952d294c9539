"""A district that still saves in Excel 97-2003 (.xls) is read like any workbook: the same sheet saved as
xls and as xlsx loads the same rows (written here with xlwt, read by fastexcel/calamine)."""

from __future__ import annotations

import shutil
from datetime import date, datetime

import openpyxl
import pytest
import xlwt

from ingest.pipeline import ingest_file
from tests.conftest import fresh_database, query
from tests.fixtures.score import fixtures, score


@pytest.fixture
def xls_db(embedded_warehouse):
    return fresh_database(embedded_warehouse, "cadre_xls")


def _as_xls(source, target) -> None:
    """``source`` saved as Excel 97-2003 would save it, merged cells merged, hidden sheets and rows hidden, each
    cell in its font (".VnTime": TCVN3 text)."""
    book = openpyxl.load_workbook(source)
    out = xlwt.Workbook(encoding="utf-8")
    styles: dict = {}

    def styled(cell):
        key = (cell.font.name or "Calibri", isinstance(cell.value, datetime | date))
        if key not in styles:
            styles[key] = xlwt.easyxf(f"font: name {key[0]}", num_format_str="dd/mm/yyyy" if key[1] else None)
        return styles[key]

    for sheet in book.worksheets:
        page = out.add_sheet(sheet.title)
        if sheet.sheet_state != "visible":
            page.visibility = 1
        for number, dimension in sheet.row_dimensions.items():
            if dimension.hidden:  # a row hidden by hand or filtered out
                page.row(number - 1).hidden = True
        first = {(m.min_row, m.min_col): m for m in sheet.merged_cells.ranges}
        covered = {(r, c) for m in first.values() for r in range(m.min_row, m.max_row + 1)
                   for c in range(m.min_col, m.max_col + 1)}  # fmt: skip
        for row in sheet.iter_rows():
            for cell in row:
                at = (cell.row, cell.column)
                if at in first:
                    m = first[at]
                    page.write_merge(
                        m.min_row - 1, m.max_row - 1, m.min_col - 1, m.max_col - 1, cell.value, styled(cell)
                    )
                elif at not in covered and cell.value is not None:
                    page.write(cell.row - 1, cell.column - 1, cell.value, styled(cell))
    out.save(str(target))


def test_the_same_sheet_as_xls_loads_the_same_rows(sample_dir, xls_db, tmp_path):
    source = next((sample_dir / "hr" / "2020-12-30").glob("207_*.xlsx"))
    target = tmp_path / (source.stem + ".xls")
    _as_xls(source, target)
    assert target.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    as_xls = ingest_file(target, xls_db)
    as_xlsx = ingest_file(source, xls_db)
    assert as_xls["status"] == "loaded", as_xls
    for key in ("district", "reporting_date", "rows_in", "rows_loaded", "rows_quarantined"):
        assert as_xls[key] == as_xlsx[key], key
    assert as_xls["rows_loaded"] > 0
    same = query(
        xls_db,
        "select count(*) from (select citizen_id, dob, title_code, prof_level from raw.hr_rows where batch_id = %s "
        "except select citizen_id, dob, title_code, prof_level from raw.hr_rows where batch_id = %s) as differ",
        (as_xls["batch_id"], as_xlsx["batch_id"]),
    )
    assert same == [(0,)]


@pytest.mark.parametrize("source", [p for p in fixtures("hr", "valid") if p.suffix == ".xlsx"], ids=lambda p: p.name)
def test_every_hand_made_workbook_saved_as_xls_gives_the_same_values(source, tmp_path):
    """Merged cells included: a commune merged down over its people, a header merged over its leaves."""
    target = tmp_path / (source.stem + ".xls")
    _as_xls(source, target)
    shutil.copy(source.with_name(source.name + ".expected.yaml"), target.with_name(target.name + ".expected.yaml"))
    result = score(target)
    assert result.total >= 2
    assert result.wrong == []


@pytest.mark.parametrize("named", [".xls", ".xlsx"])
def test_a_workbook_named_as_the_other_format_is_read_as_what_it_is(named, tmp_path):
    """An xlsx renamed .xls, an Excel 97-2003 workbook renamed .xlsx: Excel warns, then opens either; so does
    the ingest, every value as the hand-written expectations say."""
    source = next(p for p in fixtures("hr", "valid") if p.name.startswith("16_"))  # merged commune cells
    target = tmp_path / (source.stem + named)
    if named == ".xls":
        shutil.copy(source, target)  # the xlsx's bytes under an .xls name
    else:
        _as_xls(source, tmp_path / "saved.xls")
        shutil.copy(tmp_path / "saved.xls", target)  # Excel 97-2003 bytes under an .xlsx name
    shutil.copy(source.with_name(source.name + ".expected.yaml"), target.with_name(target.name + ".expected.yaml"))
    result = score(target)
    assert result.total >= 2
    assert result.wrong == []


def test_a_password_protected_xls_is_refused_saying_so(tmp_path):
    """Excel 97-2003 writes a FILEPASS record among the workbook's globals when it is saved with a password: the
    file is refused as password-protected, not as damaged (here the record after BOF is made one)."""
    import struct

    from ingest import biff
    from ingest.errors import FileRejected
    from ingest.pipeline import parse_file

    plain = tmp_path / "ds.xls"
    _as_xls(next(p for p in fixtures("hr", "valid") if p.suffix == ".xlsx"), plain)
    data = bytearray(plain.read_bytes())
    bof = data.find(struct.pack("<HH", 0x0809, 16))  # the globals' BOF record, then the first record after it
    struct.pack_into("<H", data, bof + 4 + 16, 0x002F)
    locked = tmp_path / "ds_mat_khau.xls"
    locked.write_bytes(bytes(data))
    assert not biff.encrypted(plain.read_bytes())
    assert biff.encrypted(bytes(data))
    with pytest.raises(FileRejected) as refused:
        parse_file(locked)
    assert refused.value.code == "password_protected"
