"""Reading the sample's files back the way a test needs them: raw cells, and text decoded to NFC."""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

import viparse
from python_calamine import CalamineWorkbook


@cache
def sheet(path: Path, name: str) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python(skip_empty_area=False)


def cell(path: Path, name: str, row: int, column: int):
    """1-based row, 0-based column; '' beyond the used range."""
    rows = sheet(path, name)
    if row - 1 >= len(rows) or column >= len(rows[row - 1]):
        return ""
    return rows[row - 1][column]


def text(value, encoding: str) -> str:
    """A cell's text as a person reads it (legacy TCVN3 and NFD decoded to NFC)."""
    value = str(value)
    if encoding == "tcvn3":
        value = viparse.fix(value, encoding="tcvn3")
    return unicodedata.normalize("NFC", value)


def columns(files_row: dict) -> list[str]:
    return [part.split("=", 1)[0] for part in files_row["columns"].split(";")]
