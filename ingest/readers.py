"""Opening what people send: sniff the real format, refuse hostile files with a typed reason, read sheets as text.

Every cell is read as text (fastexcel/calamine into Arrow): an ID typed as text keeps its leading zero, an
Excel date arrives as ``YYYY-MM-DD 00:00:00``, a number as its digits. Typing happens later, column by
column, where the column's meaning is known. A cell merged down over several rows (a commune written once
beside its people) gives its value to each of them.

Before calamine sees a workbook, every zip member is inflated here with a byte cap (the sizes a zip declares
are not trusted: calamine does not honour them) and each sheet's cell range is bounded, since calamine
allocates the whole rectangle between the farthest cells: a 1 KB sheet with cells at A1 and ZZ900000 would
take 20 GB. Sheets up to a few MB have every cell reference read; bigger ones (written by programs, in
row order) are bounded by the first and last rows and cells of each chunk, so a big sheet crafted out of
order could still pass: the file size and inflated-bytes caps bound that case.
"""

from __future__ import annotations

import io
import re
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path

import polars as pl

from ingest import biff, markup
from ingest.errors import FileRejected

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024  # all members together, counted while inflating
MAX_RATIO = 200  # inflated/compressed for one member (beyond a floor): beyond, a zip bomb
RATIO_FLOOR = 4 * 1024 * 1024  # any member may inflate to this much
MAX_ROWS = 1_000_000
MAX_COLUMNS = 256
MAX_CELLS = 25_000_000  # rows x columns of a sheet's range (calamine keeps ~32 bytes per cell)
MAX_LINE_CHARS = 1_000_000  # one CSV line
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".docx")  # the files a zip archive of lists holds
ODS = b"application/vnd.oasis.opendocument.spreadsheet"


@dataclass
class Sheet:
    name: str
    grid: pl.DataFrame  # all-text columns column_0..column_n, one row per sheet row from row 1
    fonts: frozenset[str]
    hidden: bool = False  # hidden in the workbook (a lookup list, last period's copy): read only if nothing else is
    filled: dict[int, frozenset[int]] = field(default_factory=dict)  # column -> grid rows a merge above filled
    hidden_rows: frozenset[int] = frozenset()  # grid rows hidden in the sheet (filtered out, or hidden by hand)

    def __post_init__(self) -> None:
        self.name = unicodedata.normalize("NFC", self.name)  # a Mac's decomposed letters: one name however typed


def sniff(path: Path, head: bytes) -> str:
    """The file's real format: ``xlsx``, ``xls``, ``csv``, ``html`` (a web page's table saved as .xls),
    ``spreadsheetml`` (Excel 2003 XML), ``ods`` or ``docx`` (a list typed as a Word table); anything else is
    refused, a PDF or an old Word file with what to send instead."""
    if not head:
        raise FileRejected("empty_file", "the file is empty")
    if head.startswith(b"PK\x03\x04"):
        # an OpenDocument file's first member is its media type, stored uncompressed ("mimetype")
        if head[30:38] == b"mimetype" and ODS in head[38:120]:
            return "ods"
        return "docx" if _zip_holds(path, "word/document.xml") else "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        data = path.read_bytes()
        if "EncryptedPackage".encode("utf-16-le") in data or b"EncryptedPackage" in data or biff.encrypted(data):
            raise FileRejected("password_protected", "the workbook is password-protected: send it without a password")
        if "WordDocument".encode("utf-16-le") in data and "Workbook".encode("utf-16-le") not in data:
            raise FileRejected(
                "not_a_spreadsheet", "a Word 97-2003 document (.doc): save it as a Word document (.docx) or a workbook"
            )
        return "xls"
    if head.startswith(b"%PDF"):
        raise FileRejected("not_a_spreadsheet", "a PDF: send the workbook or Word document it was printed from")
    if head.startswith(b"{\\rtf"):
        raise FileRejected("not_a_spreadsheet", "a Rich Text document: save it as a Word document (.docx)")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text (Excel's "Unicode text" export)
        return _text(path)
    text = head.lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if text.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in path.read_bytes()[:8192]:
        return "spreadsheetml"  # Excel's "XML Spreadsheet 2003"
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<head", b"<body", b"<style", b"<div")) or (
        text.startswith(b"<?xml") and b"<html" in text
    ):
        return "html"  # a web system's "Xuất Excel": an HTML table saved as .xls
    if text.startswith(b"<?xml"):
        raise FileRejected("not_a_spreadsheet", "the file is XML but not an Excel XML spreadsheet")
    if b"\x00" in head:
        raise FileRejected("not_a_spreadsheet", "the file is binary but not a workbook (xlsx/xls) nor CSV")
    return _text(path)


def _zip_holds(path: Path, member: str) -> bool:
    try:
        with zipfile.ZipFile(path) as z:
            return member in z.namelist()
    except (zipfile.BadZipFile, OSError, struct.error):
        return False  # a damaged zip is refused, with its reason, when read as a workbook


def _text(path: Path) -> str:
    """Text is read as CSV, as Excel opens it: named .xls too (a program's "Xuất Excel" writes tab-separated
    text so named), never named .xlsx."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise FileRejected("not_a_spreadsheet", f"the file is text (CSV?) renamed as {path.suffix}")
    return "csv"


_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"')
_CELL_COLUMN = re.compile(rb'<c r="([A-Z]{1,3})\d{1,7}"')
_CELL_ROW = re.compile(rb'<c r="[A-Z]{1,3}(\d{1,7})"')
_ROW = re.compile(rb'<row r="(\d{1,7})"')
_MERGE = re.compile(rb'<mergeCell ref="([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)"')
_DIMENSION = re.compile(rb'<dimension ref="(?:[A-Z]{1,3}\d+:)?([A-Z]{1,3})(\d+)"')
# each row's first cell that holds something (an empty styled cell closes itself: "<c r="A5" s="2"/>")
_FIRST_CELL = re.compile(rb'<row [^>]*>(?:\s*<c [^>]*/>)*\s*<c r="([A-Z]{1,3})\d')
_HIDDEN_ROW = re.compile(rb'<row r="(\d{1,7})"[^>]*?\shidden="(?:1|true)"')
# Sheets up to this size get every cell reference read (hostile sheets are small: a few far-apart cells);
# bigger ones, written by real programs in row order, get the first and last row and cell of each chunk.
EXACT_SCAN_BYTES = 4 * 1024 * 1024


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


@dataclass
class _SheetScan:
    """The extent of a worksheet's cells, read from its XML while it is inflated."""

    exact: bool
    rows: int = 0
    columns: int = 0
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # 0-based r1, c1, r2, c2
    hidden: set[int] = field(default_factory=set)  # 0-based rows hidden (by a filter, or by hand)
    tail: bytes = b""
    started: bool = False
    first_column: int = 1 << 14  # 0-based: the grid calamine gives starts there (empty columns before it dropped)

    @property
    def first(self) -> int:
        return 0 if self.first_column == 1 << 14 else self.first_column  # (no cell reference found: as written)

    def feed(self, chunk: bytes) -> None:
        data = self.tail + chunk
        if not self.started and (m := _DIMENSION.search(data[:1024])):
            self.rows, self.columns = int(m[2]), _column_number(m[1])  # what the sheet says, checked below
        self.started = True
        if self.exact:  # every cell's reference, each distinct column and row once
            self.columns = max([self.columns, *map(_column_number, set(_CELL_COLUMN.findall(data)))])
            self.rows = max([self.rows, *map(int, set(_CELL_ROW.findall(data)))])
        else:
            for at in (data.find(b"<row r="), data.rfind(b"<row r=")):
                if at >= 0 and (m := _ROW.match(data, at)):
                    self.rows = max(self.rows, int(m[1]))
            for at in (data.find(b'<c r="'), data.rfind(b'<c r="'), data.rfind(b'<c r="', 0, data.rfind(b"</row>"))):
                if at >= 0 and (m := _CELL.match(data, at)):
                    self.columns = max(self.columns, _column_number(m[1]))
                    self.rows = max(self.rows, int(m[2]))
        for letters in set(_FIRST_CELL.findall(data)):
            self.first_column = min(self.first_column, _column_number(letters) - 1)
        if b'hidden="' in data:
            self.hidden.update(int(r) - 1 for r in _HIDDEN_ROW.findall(data))
        if (at := data.find(b"<mergeCell ")) >= 0:  # merges come after the cells: no scan before them
            for c1, r1, c2, r2 in _MERGE.findall(data, at):
                merge = (int(r1) - 1, _column_number(c1) - 1, int(r2) - 1, _column_number(c2) - 1)
                if merge not in self.merges:
                    self.merges.append(merge)
        self.tail = data[-256:]


def _inflate(z: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int):
    """The member's bytes in chunks, inflated here from the raw stream, never more than ``cap`` bytes."""
    z.fp.seek(info.header_offset)
    head = z.fp.read(30)
    if head[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"no local header for {info.filename}")
    name_len, extra_len = struct.unpack("<HH", head[26:30])
    z.fp.seek(info.header_offset + 30 + name_len + extra_len)
    left, out = info.compress_size, 0
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    if info.compress_type not in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED):
        raise zipfile.BadZipFile(f"{info.filename}: unsupported compression {info.compress_type}")
    while left > 0:
        raw = z.fp.read(min(left, 1 << 20))
        if not raw:
            break
        left -= len(raw)
        while raw:
            chunk = inflater.decompress(raw, 1 << 22) if inflater else raw
            raw = inflater.unconsumed_tail if inflater else b""
            out += len(chunk)
            if out > cap:
                raise FileRejected(
                    "zip_bomb",
                    f"{info.filename} inflates past {cap // 2**20} MiB from {info.compress_size:,} bytes: "
                    f"refused as a zip bomb",
                )
            yield chunk
        if inflater and inflater.eof:
            break


@dataclass
class _Workbook:
    fonts: frozenset[str]
    merges: dict[str, list[tuple[int, int, int, int]]]  # sheet name -> merged ranges
    hidden_rows: dict[str, frozenset[int]] = field(default_factory=dict)  # sheet name -> rows hidden


def _check_zip(path: Path) -> _Workbook:
    """Refuse truncated, non-workbook and bomb-like zips and sheets whose cell range would not fit in
    memory; return the workbook's font names and each sheet's merged cells."""
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if "xl/workbook.xml" not in names:
                raise FileRejected("not_a_spreadsheet", _not_a_workbook(names))
            total, kept, scans = 0, {}, {}
            for info in z.infolist():
                if info.is_dir():
                    continue
                cap = min(MAX_UNZIPPED_BYTES - total, max(RATIO_FLOOR, MAX_RATIO * info.compress_size))
                sheet = info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
                scan = _SheetScan(exact=info.file_size <= EXACT_SCAN_BYTES) if sheet else None
                keep = info.filename in ("xl/styles.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels")
                parts = []
                try:
                    for chunk in _inflate(z, info, cap):
                        total += len(chunk)
                        if scan:
                            scan.feed(chunk)
                        if keep:
                            parts.append(chunk)
                except FileRejected as exc:
                    code = "too_large" if total >= MAX_UNZIPPED_BYTES - RATIO_FLOOR else exc.code
                    raise FileRejected(code, exc.message) from exc
                except zlib.error as exc:
                    raise FileRejected("corrupt_file", f"{info.filename} cannot be inflated ({exc})") from exc
                if keep:
                    kept[info.filename] = b"".join(parts).decode("utf-8", "replace")
                if scan:
                    _bounded(info.filename, scan)
                    scans[info.filename] = scan
    except zipfile.BadZipFile as exc:
        raise FileRejected("corrupt_file", f"the workbook is damaged or truncated ({exc})") from exc
    except (OSError, struct.error) as exc:
        raise FileRejected("corrupt_file", f"the workbook is damaged or truncated ({exc})") from exc
    fonts = frozenset(re.findall(r'<name val="([^"]+)"', kept.get("xl/styles.xml", "")))
    parts = _sheet_parts(kept)
    # merges by the grid's columns, not the sheet's: calamine's grid starts at the first column used ("C" where a
    # form leaves "A" and "B" empty for a margin)
    merges = {name: _from(scans[part].merges, scans[part].first) for name, part in parts.items() if part in scans}
    merges = {name: ranges for name, ranges in merges.items() if ranges}
    hidden = {
        name: frozenset(scans[part].hidden) for name, part in parts.items() if part in scans and scans[part].hidden
    }
    return _Workbook(fonts, merges, hidden)


def _not_a_workbook(names: set[str]) -> str:
    """Why a zip is no workbook, and what to send instead: an archive of files is unpacked, one file each; an
    Excel binary workbook (.xlsb) is saved as .xlsx."""
    if "xl/workbook.bin" in names:
        return "an Excel binary workbook (.xlsb): save it as an Excel workbook (.xlsx)"
    inside = sorted(n for n in names if n.lower().endswith(SPREADSHEET_SUFFIXES))
    if inside:
        listed = ", ".join(inside[:5]) + (f" and {len(inside) - 5} more" if len(inside) > 5 else "")
        return f"a zip archive of {len(inside)} file(s) ({listed}): unpack it and send each file as it is"
    return "a zip file but not an Excel workbook (no xl/workbook.xml)"


def _bounded(part: str, scan: _SheetScan) -> None:
    if scan.columns > MAX_COLUMNS:
        raise FileRejected("too_many_columns", f"{part} has cells beyond column {MAX_COLUMNS} (IV)")
    if scan.rows > MAX_ROWS:
        raise FileRejected("too_many_rows", f"{part} has cells beyond row {MAX_ROWS:,}")
    if scan.rows * max(scan.columns, 1) > MAX_CELLS:
        raise FileRejected(
            "too_large",
            f"{part} spans {scan.rows:,} rows x {scan.columns} columns: more than {MAX_CELLS:,} cells to hold",
        )


def _sheet_parts(kept: dict[str, str]) -> dict[str, str]:
    """Sheet name -> its part in the zip ("xl/worksheets/sheet1.xml"), through the workbook's relationships."""
    from html import unescape

    targets = dict(re.findall(r'Id="([^"]+)"[^>]*Target="([^"]+)"', kept.get("xl/_rels/workbook.xml.rels", "")))
    targets |= {
        k: v for v, k in re.findall(r'Target="([^"]+)"[^>]*Id="([^"]+)"', kept.get("xl/_rels/workbook.xml.rels", ""))
    }
    out = {}
    for tag in re.findall(r"<sheet\b[^>]*>", kept.get("xl/workbook.xml", "")):
        name, rid = re.search(r'name="([^"]*)"', tag), re.search(r'r:id="([^"]+)"', tag)
        if name and rid and rid[1] in targets:
            target = targets[rid[1]].lstrip("/")
            out[unescape(name[1])] = target if target.startswith("xl/") else f"xl/{target}"
    return out


def _fill_merged(
    frame: pl.DataFrame, merges: list[tuple[int, int, int, int]]
) -> tuple[pl.DataFrame, dict[int, frozenset[int]]]:
    """A cell merged down over several rows gives its value to each row it covers (calamine gives it to the
    first only); also, by column, the rows so filled. Merges across columns are left alone: a heading merged
    across a row stays one cell."""
    fills: dict[int, list] = {}
    for r1, c1, r2, _ in merges:
        if r2 <= r1 or c1 >= frame.width or r1 >= frame.height:
            continue
        column = fills.setdefault(c1, [None] * frame.height)
        value = frame[r1, c1]
        for r in range(r1 + 1, min(r2, frame.height - 1) + 1):
            column[r] = value
    if not fills:
        return frame, {}
    filled = {c: frozenset(r for r, v in enumerate(values) if v is not None) for c, values in fills.items()}
    return frame.with_columns(
        pl.coalesce(pl.col(f"column_{c}"), pl.Series(values, dtype=pl.Utf8)).alias(f"column_{c}")
        for c, values in fills.items()
    ), filled


def _member(path: Path, name: str, what: str) -> bytes:
    """A zip member (an OpenDocument spreadsheet's ``content.xml``, a Word document's ``word/document.xml``),
    inflated with the same caps as a workbook's parts."""
    try:
        with zipfile.ZipFile(path) as z:
            info = next((i for i in z.infolist() if i.filename == name), None)
            if info is None:
                raise FileRejected("not_a_spreadsheet", f"{what} without {name}")
            cap = min(MAX_UNZIPPED_BYTES, max(RATIO_FLOOR, MAX_RATIO * info.compress_size))
            return b"".join(_inflate(z, info, cap))
    except zipfile.BadZipFile as exc:
        raise FileRejected("corrupt_file", f"the spreadsheet is damaged or truncated ({exc})") from exc
    except (OSError, struct.error, zlib.error) as exc:
        raise FileRejected("corrupt_file", f"the spreadsheet is damaged or truncated ({exc})") from exc


def _xls_facts(data: bytes, source: str | bytes) -> tuple:
    """An Excel 97-2003 workbook's fonts, merged cells and hidden rows, as ``_Workbook`` takes them."""
    fonts, hidden = biff.read(data)
    return fonts, _xls_merges(source), hidden


def _xls_merges(source: str | bytes) -> dict[str, list[tuple[int, int, int, int]]]:
    """An Excel 97-2003 workbook's merged cells by sheet (calamine reads them from the BIFF records); ``source``:
    its path, or its bytes."""
    import python_calamine

    try:
        if isinstance(source, bytes):
            book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(source))
        else:
            book = python_calamine.CalamineWorkbook.from_path(source)
        sheets = {name: book.get_sheet_by_name(name) for name in book.sheet_names}
        ranges = {name: (sheet.merged_cell_ranges or [], sheet.start[1]) for name, sheet in sheets.items()}
    except Exception:  # an unreadable workbook is refused, with its reason, when its cells are read
        return {}
    return {
        name: _from([(r1, c1, r2, c2) for (r1, c1), (r2, c2) in merged], first)
        for name, (merged, first) in ranges.items()
    }


def _from(merges: list[tuple[int, int, int, int]], first: int) -> list[tuple[int, int, int, int]]:
    """Merged ranges by the grid's columns, which start at the sheet's first column used."""
    return [(r1, c1 - first, r2, c2 - first) for r1, c1, r2, c2 in merges if c1 >= first]


def read(path: Path) -> list[Sheet]:
    """All sheets of a file as text grids. Raises FileRejected with a typed reason. A NUL character (a CSV
    or .xls a C program wrote) is dropped: no PostgreSQL text can hold one, not even a cell kept as read."""
    sheets = _read(path)
    for i, sheet in enumerate(sheets):
        texts = sheet.grid.select(pl.col(pl.String).str.contains("\x00", literal=True).any())
        if texts.width and any(texts.row(0)):
            grid = sheet.grid.with_columns(pl.col(pl.String).str.replace_all("\x00", "", literal=True))
            sheets[i] = replace(sheet, grid=grid)
    return sheets


def _read(path: Path) -> list[Sheet]:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise FileRejected("too_large", f"the file is {size // 2**20} MiB (limit {MAX_FILE_BYTES // 2**20} MiB)")
    with open(path, "rb") as handle:
        head = handle.read(512)
    fmt = sniff(path, head)
    if fmt == "csv":
        return [Sheet(path.stem, _read_csv(path.read_bytes()), frozenset())]
    if fmt == "html":
        table = markup.html_grid(_decode(path.read_bytes()), MAX_ROWS, MAX_COLUMNS)
        return [_from_markup(table._replace(name=path.stem), frozenset())]
    if fmt == "spreadsheetml":
        return [
            _from_markup(t, frozenset()) for t in markup.spreadsheetml_sheets(path.read_bytes(), MAX_ROWS, MAX_COLUMNS)
        ]
    if fmt == "docx":
        content = _member(path, "word/document.xml", "a Word document")
        # a legacy font on the runs (".VnTime": TCVN3 text), as a workbook's styles name it
        fonts = frozenset(
            f.decode("utf-8", "replace") for f in set(re.findall(rb'w:(?:ascii|hAnsi)="([^"]+)"', content))
        )
        return [_from_markup(markup.docx_grid(content, MAX_ROWS, MAX_COLUMNS)._replace(name=path.stem), fonts)]
    if fmt == "ods":
        content = _member(path, "content.xml", "an OpenDocument file")
        faces = re.findall(rb'<style:font-face style:name="([^"]+)"', content[:65536])
        fonts = frozenset(f.decode("utf-8", "replace") for f in faces)  # ".VnTime": TCVN3 text
        return [_from_markup(t, fonts) for t in markup.ods_sheets(content, MAX_ROWS, MAX_COLUMNS)]
    # a workbook whose name says another format (an xlsx renamed .xls: Excel warns, then opens it) is read by
    # its bytes, which calamine reads by what they are; else by its path, which it reads by its extension
    named = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls"}.get(path.suffix.lower())
    source = str(path) if named == fmt else path.read_bytes()
    book = _check_zip(path) if fmt == "xlsx" else _Workbook(*_xls_facts(path.read_bytes(), source))
    import fastexcel

    try:
        reader = fastexcel.read_excel(source)
        sheets = []
        for name in reader.sheet_names:
            # skip_rows=0: keep empty rows at the top (the default drops them), so grid row i is sheet row i + 1
            loaded = reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string", n_rows=MAX_ROWS + 1)
            frame = pl.from_arrow(loaded.to_arrow())
            if frame.height > MAX_ROWS:
                raise FileRejected("too_many_rows", f"sheet {name!r} has more than {MAX_ROWS:,} rows")
            if frame.width > MAX_COLUMNS:
                raise FileRejected("too_many_columns", f"sheet {name!r} has more than {MAX_COLUMNS} columns")
            frame.columns = [f"column_{i}" for i in range(frame.width)]
            hidden = loaded.visible != "visible"
            grid, filled = _fill_merged(frame, book.merges.get(name, []))
            sheets.append(
                Sheet(
                    name,
                    grid,
                    book.fonts,
                    hidden,
                    filled,
                    book.hidden_rows.get(name, frozenset()),
                )
            )
        return sheets
    except FileRejected:
        raise
    except Exception as exc:  # calamine's errors are untyped: a damaged part of the workbook
        raise FileRejected("corrupt_file", f"the workbook cannot be read: {exc}") from exc


def _from_markup(table: markup.Table, fonts: frozenset[str]) -> Sheet:
    return Sheet(
        table.name,
        text_grid(table.rows),
        fonts,
        table.hidden,
        table.filled or {},
        table.hidden_rows,
    )


def _decode(data: bytes) -> str:
    """CSV text in UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's "Unicode text") or Windows-1258."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise FileRejected("unknown_encoding", f"the file starts as UTF-16 but is not ({exc})") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1258")
        except UnicodeDecodeError as exc:
            raise FileRejected("unknown_encoding", "the CSV is neither UTF-8, UTF-16 nor Windows-1258") from exc


_FORMULA_TEXT = re.compile(r'^\s*="(.*)"\s*$', re.DOTALL)


def _read_csv(data: bytes) -> pl.DataFrame:
    """A CSV (or tab-separated text) with all columns as text; ``sep=;`` on the first line is honoured."""
    text = _decode(data)
    if m := re.match(r"^sep=(.)\r?\n", text):
        delimiter, text = m[1], text[m.end() :]
    else:
        sample = text[:4096]
        delimiter = (
            ";"
            if sample.count(";") > sample.count(",") and sample.count(";") > sample.count("\t")
            else ("\t" if sample.count("\t") > sample.count(",") else ",")
        )
    lines = text.splitlines()
    if len(lines) > MAX_ROWS + 1:
        raise FileRejected("too_many_rows", f"the CSV has more than {MAX_ROWS:,} rows")
    for number, line in enumerate(lines, start=1):  # before parsing: a line of 20 million commas stops here
        if len(line) > MAX_LINE_CHARS:
            raise FileRejected(
                "line_too_long", f"line {number} has {len(line):,} characters (limit {MAX_LINE_CHARS:,})"
            )
        if line.count(delimiter) >= MAX_COLUMNS:
            raise FileRejected("too_many_columns", f"line {number} has more than {MAX_COLUMNS} fields")
    import csv

    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if '="' in text:  # ="022074001234": a program's way to keep Excel from reading a number; Excel shows the text
        rows = [[_FORMULA_TEXT.sub(r"\1", c) for c in row] for row in rows]
    frame = text_grid(rows)
    if frame.height > MAX_ROWS:
        raise FileRejected("too_many_rows", f"the CSV has more than {MAX_ROWS:,} rows")
    return frame


def read_csv_text(text: str) -> pl.DataFrame:
    """CSV lines already read as text (a sheet's column of them) as a grid, as a CSV file's are."""
    return _read_csv(text.encode("utf-8"))


def text_grid(rows: list[list[str | None]]) -> pl.DataFrame:
    """Rows of text as a grid of ``column_<i>``; title lines above the header have fewer fields than the table:
    every row is padded to the widest."""
    width = max((len(r) for r in rows), default=0)
    columns = [[(r[i] if i < len(r) and r[i] != "" else None) for r in rows] for i in range(width)]
    return pl.DataFrame(
        {f"column_{i}": c for i, c in enumerate(columns)}, schema={f"column_{i}": pl.Utf8 for i in range(width)}
    )
