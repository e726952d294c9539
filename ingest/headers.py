"""Finding the header row wherever it is (title rows above, two-row headers) and naming each column."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from ingest.errors import FileRejected
from ingest.text import fold

SYNONYMS = Path(__file__).with_name("synonyms.yaml")
KINDS = ("hr", "classes", "roster", "survey")
# Columns without which a file of that kind cannot be loaded at all.
REQUIRED = {
    "hr": ("full_name", "dob", "commune", "title", "prof_level", "llct", "qlnn"),
    "classes": ("class_code", "class_name", "category", "start_date", "end_date"),
    "roster": ("full_name", "dob"),
    "survey": ("full_name", "dob", "improvement", "necessity"),
}
TOPIC = re.compile(r"^cd\s+([a-z]{1,2}\d)$")  # "CĐ C1", "CĐ BT3": attendance per programme topic
SCAN_ROWS = 40


@cache
def synonyms() -> dict[str, dict[str, str]]:
    """kind -> folded header -> canonical name (common spellings included in every kind)."""
    data = yaml.safe_load(SYNONYMS.read_text(encoding="utf-8"))
    out = {}
    for kind in KINDS:
        table: dict[str, str] = {}
        for section in ("common", kind):
            for canonical, spellings in data[section].items():
                for spelling in spellings:
                    table[fold(spelling)] = canonical
        out[kind] = table
    return out


def canonical(cell: str | None, kind: str) -> str | None:
    key = fold(cell)
    if not key:
        return None
    if kind == "roster" and (m := TOPIC.match(key)):
        return f"topic_{m[1].upper()}"
    return synonyms()[kind].get(key)


@dataclass
class Header:
    kind: str
    row: int  # 0-based index of the (first) header row in the grid
    rows: int  # 1 or 2
    columns: dict[int, str]  # grid column index -> canonical name
    extras: dict[int, str] = field(default_factory=dict)  # grid column index -> header text kept as is
    found: list[str] = field(default_factory=list)

    @property
    def data_start(self) -> int:
        return self.row + self.rows


def _match(row: list[str | None], kind: str) -> dict[int, str]:
    out: dict[int, str] = {}
    for i, cell in enumerate(row):
        name = canonical(cell, kind)
        if name and name not in out.values():
            out[i] = name
    return out


def find_header(grid: list[list[str | None]], kind: str | None = None) -> Header:
    """The header of a sheet: the row (or pair of rows) naming the most known columns.

    Raises ``FileRejected("missing_columns")`` naming what is missing and what was found.
    """
    kinds = (kind,) if kind else KINDS
    best: Header | None = None
    for k in kinds:
        for r in range(min(SCAN_ROWS, len(grid))):
            upper = _match(grid[r], k)
            if len(upper) < 2:
                continue
            header = Header(k, r, 1, upper)
            if r + 1 < len(grid):
                # a two-row header: the lower row names columns under a merged group cell above
                lower = _match(grid[r + 1], k)
                combined = {**upper, **lower}
                if len(lower) >= 2 and len(combined) > len(upper):
                    header = Header(k, r, 2, dict(sorted(combined.items())))
            if best is None or _score(header) > _score(best):
                best = header
    if best is None:
        raise FileRejected("no_header", "no header row found: no row names at least two known columns")
    if kind is None:
        best.kind = detect_kind(best)
        best = find_header(grid, best.kind) if best.kind != kind else best
        return best
    _finish(best, grid)
    return best


def _score(h: Header) -> tuple[int, int]:
    required = sum(1 for c in REQUIRED[h.kind] if c in h.columns.values())
    return (required, len(h.columns))


def detect_kind(h: Header) -> str:
    names = set(h.columns.values())
    if {"class_code", "class_name"} <= names:
        return "classes"
    if names & {"improvement", "necessity"}:
        return "survey"
    if names & {"llct", "qlnn", "prof_level"}:  # qualification columns only HR forms have
        return "hr"
    return "roster"


def _finish(h: Header, grid: list[list[str | None]]) -> None:
    width = max((len(r) for r in grid[h.row : h.data_start]), default=0)
    for i in range(width):
        if i in h.columns:
            continue
        texts = [grid[r][i] for r in range(h.row, h.data_start) if i < len(grid[r]) and grid[r][i]]
        if texts:
            h.extras[i] = " / ".join(str(t) for t in texts)
    h.found = [grid[h.row + h.rows - 1][i] or grid[h.row][i] or "" for i in sorted(h.columns)]
    missing = [c for c in REQUIRED[h.kind] if c not in h.columns.values()]
    if missing:
        found = sorted(h.columns.values())
        raise FileRejected(
            "missing_columns",
            f"{h.kind} file lacks required column(s) {', '.join(missing)}; found {', '.join(found) or 'none'}",
        )
