"""Small, real workbooks and files built inside tests (the hostile ones included)."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

import xlsxwriter

HR_HEADER = ["STT", "Họ và tên", "Ngày sinh", "Số CCCD", "Đơn vị", "Chức danh", "Trình độ chuyên môn", "LLCT", "QLNN"]


def hr_row(i: int, name: str | None = None, title: str = "PCT UBND", llct: str = "TC") -> list:
    return [
        i,
        name or f"Nguyễn Văn Thử{'' if i == 1 else ' ' + chr(64 + i)}",
        f"0{i % 9 + 1}/03/1980",
        f"0221800{i:05d}",
        "Phường Hà Khánh",
        title,
        "Đại học",
        llct,
        "Chuyên viên",
    ]


def hr_xlsx(
    path: Path,
    rows: list[list],
    *,
    when: str = "30/12/2020",
    header: list[str] | None = None,
    modified: datetime | None = None,
    top: int = 0,
) -> Path:
    """A Hạ Long HR workbook: title rows, a header on row 5, then ``rows`` (all ``top`` rows lower)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    if modified:
        wb.set_properties({"created": modified})
    ws = wb.add_worksheet("DS")
    ws.write_string(top, 0, "ỦY BAN NHÂN DÂN THÀNH PHỐ HẠ LONG")
    ws.write_string(top + 1, 0, f"DANH SÁCH CÁN BỘ, CÔNG CHỨC CẤP XÃ (tính đến ngày {when})")
    for c, name in enumerate(header or HR_HEADER):
        ws.write_string(top + 4, c, name)
    for r, row in enumerate(rows, start=top + 5):
        for c, value in enumerate(row):
            if isinstance(value, int):
                ws.write_number(r, c, value)
            elif value is not None:
                ws.write_string(r, c, value)
    wb.close()
    return path


def truncated(path: Path, source: Path) -> Path:
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def html_renamed(path: Path) -> Path:
    path.write_text("<!DOCTYPE html><html><body><table><tr><td>Họ và tên</td></tr></table></body></html>")
    return path


def csv_renamed(path: Path) -> Path:
    path.write_text("Họ và tên,Ngày sinh\nNguyễn Văn A,01/01/1980\n", encoding="utf-8")
    return path


def zip_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (300 * 1024 * 1024))
    return path


def not_a_workbook_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    return path


def password_protected(path: Path) -> Path:
    """The shape of an encrypted OOXML file: an OLE2 compound file holding an EncryptedPackage stream."""
    header = bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 504
    path.write_bytes(
        header
        + "EncryptionInfo".encode("utf-16-le")
        + b"\0" * 64
        + "EncryptedPackage".encode("utf-16-le")
        + b"\0" * 2048
    )
    return path


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258(text: str) -> bytes:
    """Vietnamese as Windows-1258 stores it: a base letter (â, ơ, ư... precomposed) plus a combining tone."""
    import unicodedata

    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        nfd = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", nfd[0] + "".join(m for m in nfd[1:] if m not in _TONES))
        tones = "".join(m for m in nfd[1:] if m in _TONES)
        out.append((base + tones).encode("cp1258"))
    return b"".join(out)
