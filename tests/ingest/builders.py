"""Small, real workbooks and files built inside tests (the hostile ones included)."""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from pathlib import Path

import xlsxwriter

HR_HEADER = ["STT", "Họ và tên", "Ngày sinh", "Số CCCD", "Đơn vị", "Chức danh", "Trình độ chuyên môn", "LLCT", "QLNN"]


def hr_row(
    i: int, name: str | None = None, title: str = "PCT UBND", llct: str = "TC", commune: str = "Phường Hà Khánh"
) -> list:
    return [
        i,
        name or f"Nguyễn Văn Thử{'' if i == 1 else ' ' + chr(64 + i)}",
        f"0{i % 9 + 1}/03/1980",
        f"0221800{i:05d}",
        commune,
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
    authority: str = "ỦY BAN NHÂN DÂN THÀNH PHỐ HẠ LONG",
) -> Path:
    """A district's HR workbook (Hạ Long's unless ``authority`` names another): title rows, a header on
    row 5, then ``rows`` (all ``top`` rows lower)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    if modified:
        wb.set_properties({"created": modified})
    ws = wb.add_worksheet("DS")
    ws.write_string(top, 0, authority)
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


def sheet_xlsx(path: Path, rows: list[list], sheet: str = "Sheet1") -> Path:
    """A one-sheet workbook of exactly ``rows`` from A1, cell by cell (None and [] leave cells empty)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                ws.write(r, c, value)
    wb.close()
    return path


def truncated(path: Path, source: Path) -> Path:
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def html_renamed(path: Path) -> Path:
    """A failed download saved as the workbook: the server's error page, no table in it."""
    path.write_text("<!DOCTYPE html><html><body><h1>404</h1><p>Không tìm thấy trang</p></body></html>")
    return path


def xml_with_entities(path: Path) -> Path:
    """An "XML spreadsheet" declaring entities (the billion laughs): refused before any is expanded."""
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10 if i else "lol"}">' for i in range(9))
    path.write_text(
        f'<?xml version="1.0"?><!DOCTYPE w [{lol}]>'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet><Table><Row><Cell>'
        "<Data>&l8;</Data></Cell></Row></Table></Worksheet></Workbook>"
    )
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


def _ods(path: Path, content: bytes) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


def ods_bomb(path: Path) -> Path:
    """An OpenDocument spreadsheet whose content.xml inflates to 300 MiB from a few hundred KB."""
    return _ods(path, b"<office:document-content>" + b" " * (300 * 1024 * 1024))


def ods_with_entities(path: Path) -> Path:
    """An OpenDocument spreadsheet whose XML declares entities (a billion laughs waits behind them)."""
    return _ods(path, b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">]><office:document-content/>')


def not_a_workbook_zip(path: Path) -> Path:
    """A zip of scanned pages sent under the workbook's name."""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("scan/IMG_0001.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 64)
    return path


def zip_of_lists(path: Path, source: Path) -> Path:
    """A district's two lists sent as one zip archive under a workbook's name."""
    with zipfile.ZipFile(path, "w") as z:
        z.write(source, "BaoCao/DS_CBCC_6thang.xlsx")
        z.write(source, "BaoCao/DS_CBCC_ca_nam.xlsx")
    return path


def xlsb(path: Path) -> Path:
    """The parts of an Excel binary workbook (.xlsb): its workbook is ``xl/workbook.bin``."""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.bin", b"\x83\x01\x00")
    return path


def word_without_table(path: Path) -> Path:
    """A Word document (.docx) that is a letter, no list in it."""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
            "<w:t>Kính gửi: Sở Nội vụ</w:t></w:r></w:p></w:body></w:document>",
        )
    return path


def word_97(path: Path) -> Path:
    """The shape of a Word 97-2003 document (.doc): an OLE2 compound file holding a WordDocument stream."""
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 504 + "WordDocument".encode("utf-16-le") + b"\0" * 64)
    return path


def pdf(path: Path) -> Path:
    """The list printed to PDF."""
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
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


def _rewrite_sheet(path: Path, source: Path, edit, member: str = "xl/worksheets/sheet1.xml") -> Path:
    """A copy of the workbook ``source`` whose first sheet's XML (or ``member``) is ``edit(xml)``."""
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info.filename, edit(data) if info.filename == member else data)
    path.write_bytes(out.getvalue())
    return path


def no_sheets(path: Path, source: Path) -> Path:
    """A workbook whose sheet list is empty (a damaged ``xl/workbook.xml``): calamine gives no sheet at all."""
    import re

    return _rewrite_sheet(path, source, lambda xml: re.sub(rb"<sheet [^>]*/>", b"", xml), "xl/workbook.xml")


def lying_zip(path: Path, source: Path, inflated_mib: int = 400) -> Path:
    """A workbook whose sheet inflates to ``inflated_mib`` MiB while the zip declares 10 KB, and whose
    declared checksum is that of the first 10 KB: every size the zip states is a lie."""
    import struct
    import zlib

    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename != "xl/worksheets/sheet1.xml":
                zout.writestr(info.filename, data)
                continue
            i = data.index(b"</sheetData>")
            with zout.open(info.filename, "w") as member:  # streamed: the test never holds the bloat
                member.write(data[:i])
                for _ in range(inflated_mib):
                    member.write(b" " * 2**20)
                member.write(data[i:])
    raw = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(source) as z:
        head = z.read(name.decode())
        crc = zlib.crc32((head[: head.index(b"</sheetData>")] + b" " * 10_000)[:10_000])
    for signature, size_at, crc_at, name_at, length_at in (
        (b"PK\x03\x04", 22, 14, 30, 26),
        (b"PK\x01\x02", 24, 16, 46, 28),
    ):
        at = 0
        while (at := raw.find(signature, at)) >= 0:
            n = struct.unpack("<H", raw[at + length_at : at + length_at + 2])[0]
            if raw[at + name_at : at + name_at + n] == name:
                raw[at + size_at : at + size_at + 4] = struct.pack("<I", 10_000)
                raw[at + crc_at : at + crc_at + 4] = struct.pack("<I", crc)
            at += 4
    path.write_bytes(bytes(raw))
    return path


def far_apart_cells(path: Path, source: Path, far: str = "ZZ900000") -> Path:
    """A tiny sheet with a cell at A1 and one at ``far``: calamine would hold the rectangle between them."""
    row = re.sub(r"^[A-Z]+", "", far).encode()

    def edit(xml: bytes) -> bytes:
        i, j = xml.index(b"<sheetData>") + len(b"<sheetData>"), xml.index(b"</sheetData>")
        cells = (
            b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
            b'<row r="' + row + b'"><c r="' + far.encode() + b'" t="inlineStr"><is><t>y</t></is></c></row>'
        )
        return xml[:i] + cells + xml[j:]

    return _rewrite_sheet(path, source, edit)


def commas(path: Path, mib: int = 20) -> Path:
    """A CSV that is one line of commas."""
    path.write_bytes(b"STT,H\xe1\xbb\x8d v\xc3\xa0 t\xc3\xaan\n" + b"," * (mib * 2**20) + b"\n")
    return path
