"""Opening what people send: sniff the real format, refuse hostile files with a typed reason, read sheets as text.

Every cell is read as text (fastexcel/calamine into Arrow): an ID typed as text keeps its leading zero, an
Excel date arrives as ``YYYY-MM-DD 00:00:00``, a number as its digits. Typing happens later, column by
column, where the column's meaning is known.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ingest.errors import FileRejected

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 200  # uncompressed/compressed for one member: beyond, a zip bomb
MAX_ROWS = 1_000_000
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")


@dataclass
class Sheet:
    name: str
    grid: pl.DataFrame  # all-text columns column_0..column_n, one row per sheet row from row 1
    fonts: frozenset[str]


def sniff(path: Path, head: bytes) -> str:
    """The file's real format: ``xlsx``, ``xls`` or ``csv``; anything else is refused."""
    if not head:
        raise FileRejected("empty_file", "the file is empty")
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        data = path.read_bytes()
        if "EncryptedPackage".encode("utf-16-le") in data or b"EncryptedPackage" in data:
            raise FileRejected("password_protected", "the workbook is password-protected: send it without a password")
        return "xls"
    text = head.lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")):
        raise FileRejected("not_a_spreadsheet", "the file is a web page (HTML/XML) renamed as a spreadsheet")
    if b"\x00" in head:
        raise FileRejected("not_a_spreadsheet", "the file is binary but not a workbook (xlsx/xls) nor CSV")
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        raise FileRejected("not_a_spreadsheet", f"the file is text (CSV?) renamed as {path.suffix}")
    return "csv"


def _check_zip(path: Path) -> frozenset[str]:
    """Refuse truncated, non-workbook and bomb-like zips; return the workbook's font names."""
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if "xl/workbook.xml" not in names:
                raise FileRejected("not_a_spreadsheet", "a zip file but not an Excel workbook (no xl/workbook.xml)")
            total = 0
            for info in z.infolist():
                total += info.file_size
                if info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                    raise FileRejected(
                        "zip_bomb",
                        f"{info.filename} expands {info.file_size // max(info.compress_size, 1)}"
                        f"x: refused as a zip bomb",
                    )
            if total > MAX_UNZIPPED_BYTES:
                raise FileRejected(
                    "too_large",
                    f"the workbook expands to {total // 2**20} MiB (limit {MAX_UNZIPPED_BYTES // 2**20} MiB)",
                )
            styles = z.read("xl/styles.xml").decode("utf-8", "replace") if "xl/styles.xml" in names else ""
    except zipfile.BadZipFile as exc:
        raise FileRejected("corrupt_file", f"the workbook is damaged or truncated ({exc})") from exc
    return frozenset(re.findall(r'<name val="([^"]+)"', styles))


def read(path: Path) -> list[Sheet]:
    """All sheets of a file as text grids. Raises FileRejected with a typed reason."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise FileRejected("too_large", f"the file is {size // 2**20} MiB (limit {MAX_FILE_BYTES // 2**20} MiB)")
    with open(path, "rb") as handle:
        head = handle.read(512)
    fmt = sniff(path, head)
    if fmt == "csv":
        return [Sheet(path.stem, _read_csv(path.read_bytes()), frozenset())]
    fonts = _check_zip(path) if fmt == "xlsx" else frozenset()
    import fastexcel

    try:
        reader = fastexcel.read_excel(str(path))
        sheets = []
        for name in reader.sheet_names:
            # skip_rows=0: keep empty rows at the top (the default drops them), so grid row i is sheet row i + 1
            batch = reader.load_sheet(
                name, header_row=None, skip_rows=0, dtypes="string", n_rows=MAX_ROWS + 1, eager=True
            )
            frame = pl.from_arrow(batch)
            if frame.height > MAX_ROWS:
                raise FileRejected("too_many_rows", f"sheet {name!r} has more than {MAX_ROWS:,} rows")
            frame.columns = [f"column_{i}" for i in range(frame.width)]
            sheets.append(Sheet(name, frame, fonts))
        return sheets
    except FileRejected:
        raise
    except Exception as exc:  # calamine's errors are untyped: a damaged part of the workbook
        raise FileRejected("corrupt_file", f"the workbook cannot be read: {exc}") from exc


def _read_csv(data: bytes) -> pl.DataFrame:
    """CSV in UTF-8 (with or without BOM) or Windows-1258 (Vietnamese Windows), all columns as text."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1258")
        except UnicodeDecodeError as exc:
            raise FileRejected("unknown_encoding", "the CSV is neither UTF-8 nor Windows-1258") from exc
    sample = text[:4096]
    delimiter = (
        ";"
        if sample.count(";") > sample.count(",") and sample.count(";") > sample.count("\t")
        else ("\t" if sample.count("\t") > sample.count(",") else ",")
    )
    import csv

    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    # Title lines above the header have fewer fields than the table: pad every row to the widest.
    width = max((len(r) for r in rows), default=0)
    columns = [[(r[i] if i < len(r) and r[i] != "" else None) for r in rows] for i in range(width)]
    frame = pl.DataFrame(
        {f"column_{i}": c for i, c in enumerate(columns)}, schema={f"column_{i}": pl.Utf8 for i in range(width)}
    )
    if frame.height > MAX_ROWS:
        raise FileRejected("too_many_rows", f"the CSV has more than {MAX_ROWS:,} rows")
    return frame
