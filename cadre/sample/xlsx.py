"""Small helpers shared by the workbook writers: deterministic workbooks and a title block above a header."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import xlsxwriter


def workbook(path: Path, created: date, author: str) -> xlsxwriter.Workbook:
    """A workbook whose bytes depend only on what is written (fixed creation time)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    wb.set_properties({"created": datetime(created.year, created.month, created.day, 8, 0, 0), "author": author})
    return wb


def title_block(ws, lines: list[str], width: int, fmt) -> int:
    """Merged title lines from row 0, one empty row after them; returns the 0-based header row."""
    for r, text in enumerate(lines):
        if text:
            ws.merge_range(r, 0, r, max(width - 1, 1), text, fmt)
    return len(lines) + 1


def write_cell(ws, r: int, c: int, value, fmt_text, fmt_date) -> None:
    if value is None or value == "":
        return
    if isinstance(value, date):
        ws.write_datetime(r, c, datetime(value.year, value.month, value.day), fmt_date)
    elif isinstance(value, (int, float)):
        ws.write_number(r, c, value, fmt_text)
    else:
        ws.write_string(r, c, str(value), fmt_text)
