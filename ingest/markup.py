"""Spreadsheets that are markup: a web system's "Xuất Excel" (an HTML table saved as .xls), Excel's "XML
Spreadsheet 2003", the OpenDocument spreadsheets of LibreOffice (.ods, their ``content.xml``) and the tables of
a Word document (.docx, its ``word/document.xml``: a list typed in Word, as many offices keep them). All are read
into the same text grid as a workbook, a cell merged down over several rows giving its value to each
(``rowspan``, ``ss:MergeDown``, ``table:number-rows-spanned``, ``w:vMerge``), one merged across staying one
cell; the text above an HTML or Word table (its title, the date it is as of) becomes rows above it, as a title
block is in a workbook."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import NamedTuple
from xml.etree import ElementTree

from ingest.errors import FileRejected

_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "caption", "li", "center"}
_SS = "{urn:schemas-microsoft-com:office:spreadsheet}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_EXCEL = "{urn:schemas-microsoft-com:office:excel}"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class Table(NamedTuple):
    """A sheet read from markup: its rows of text, whether it is hidden, its rows hidden, and by column the rows
    a merge above gave its value to (as readers.Sheet has them)."""

    name: str | None
    rows: list[list[str | None]]
    hidden: bool = False
    hidden_rows: frozenset[int] = frozenset()
    filled: dict[int, frozenset[int]] | None = None


class _Grid:
    """Rows of cells placed as a spreadsheet places them: ``rowspan`` fills the rows below, ``colspan`` leaves
    the cells to its right empty."""

    def __init__(self, max_rows: int, max_columns: int):
        self.rows: list[list[str | None]] = []
        self.down: dict[int, tuple[int, str | None]] = {}  # column -> (rows still covered, value)
        self.filled: dict[int, set[int]] = {}  # column -> rows a merge above gave its value to
        self.max_rows, self.max_columns = max_rows, max_columns

    def table(self, name: str | None, hidden: bool = False, hidden_rows: set[int] | None = None) -> Table:
        filled = {c: frozenset(rows) for c, rows in self.filled.items()}
        return Table(name, self.rows, hidden, frozenset(hidden_rows or ()), filled)

    def start_row(self) -> None:
        if len(self.rows) >= self.max_rows:
            raise FileRejected("too_many_rows", f"the table has more than {self.max_rows:,} rows")
        self.rows.append([])
        self._fill()

    def _fill(self) -> None:
        row = self.rows[-1]
        while len(row) in self.down:
            left, value = self.down[len(row)]
            if value is not None:
                self.filled.setdefault(len(row), set()).add(len(self.rows) - 1)
            row.append(value)
            if left <= 1:
                del self.down[len(row) - 1]
            else:
                self.down[len(row) - 1] = (left - 1, value)

    def cell(self, value: str | None, across: int = 1, rows: int = 1, at: int | None = None) -> None:
        row = self.rows[-1]
        while at is not None and len(row) < at:  # ss:Index: cells skipped are empty
            row.append(None)
            self._fill()
        value = value if value not in ("", None) else None
        for k in range(max(across, 1)):
            if len(row) >= self.max_columns:
                raise FileRejected("too_many_columns", f"a row has more than {self.max_columns} cells")
            if rows > 1 and k == 0:
                self.down[len(row)] = (rows - 1, value)
            row.append(value if k == 0 else None)
            self._fill()

    def line(self, text: str) -> None:
        """A line of text above or between tables: a row of one cell."""
        self.start_row()
        self.rows[-1].append(text)


def _span(attrs: dict, name: str) -> int:
    try:
        return min(max(int(str(attrs.get(name) or "1").strip()), 1), 10_000)
    except ValueError:
        return 1


class _Tables(HTMLParser):
    def __init__(self, grid: _Grid):
        super().__init__(convert_charrefs=True)
        self.grid, self.depth, self.cell_attrs = grid, 0, None
        self.text: list[str] = []
        self.tables = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._flush_line()
            if self.depth == 0 and self.tables:
                self.grid.start_row()  # an empty row between two tables, as between two blocks of a sheet
            self.depth += 1
            self.tables += self.depth == 1
        elif self.depth == 1 and tag == "tr":
            self._end_cell()
            self.grid.start_row()
        elif self.depth == 1 and tag in ("td", "th"):
            self._end_cell()
            if not self.grid.rows:
                self.grid.start_row()
            self.cell_attrs = attrs
        elif tag == "br":
            self.text.append("\n")
        elif tag in _BLOCKS and self.depth == 0:
            self._flush_line()

    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            self._end_cell()
            self.depth -= 1
            if not self.depth:
                self.grid.down.clear()  # a rowspan ends with its table
        elif self.depth == 1 and tag in ("td", "th"):
            self._end_cell()
        elif tag in _BLOCKS and self.depth == 0:
            self._flush_line()

    def handle_data(self, data):
        if self.depth == 0 or self.cell_attrs is not None:
            self.text.append(data)

    def _end_cell(self):
        if self.cell_attrs is None:
            return
        value = re.sub(r"[ \t\r\f\v]+", " ", "".join(self.text)).strip()
        value = re.sub(r" ?\n ?", "\n", value)
        self.grid.cell(value, _span(self.cell_attrs, "colspan"), _span(self.cell_attrs, "rowspan"))
        self.cell_attrs, self.text = None, []

    def _flush_line(self):
        if self.depth == 0:
            value = re.sub(r"\s+", " ", "".join(self.text)).strip()
            if value:
                self.grid.line(value)
            self.text = []

    def close(self):
        super().close()
        self._end_cell()
        self._flush_line()


def html_grid(text: str, max_rows: int, max_columns: int) -> Table:
    """The rows of an HTML page's tables, the text above each as rows of one cell."""
    grid = _Grid(max_rows, max_columns)
    parser = _Tables(grid)
    parser.feed(text)
    parser.close()
    if not parser.tables:
        raise FileRejected("not_a_spreadsheet", "the file is a web page without a table, renamed as a spreadsheet")
    return grid.table(None)


def spreadsheetml_sheets(data: bytes, max_rows: int, max_columns: int) -> list[Table]:
    """Each worksheet of an Excel 2003 XML Spreadsheet."""
    if b"<!ENTITY" in data or b"<!DOCTYPE" in data:
        raise FileRejected("not_a_spreadsheet", "the XML declares entities: not an Excel XML spreadsheet")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise FileRejected("corrupt_file", f"the XML spreadsheet cannot be read: {exc}") from exc
    if root.tag != f"{_SS}Workbook":
        raise FileRejected("not_a_spreadsheet", "the file is XML but not an Excel XML spreadsheet")
    sheets = []
    for number, sheet in enumerate(root.iter(f"{_SS}Worksheet"), start=1):
        grid, hidden_rows = _Grid(max_rows, max_columns), set()
        for table in sheet.iter(f"{_SS}Table"):
            for row in table.iter(f"{_SS}Row"):
                if index := row.get(f"{_SS}Index"):
                    while len(grid.rows) < int(index) - 1:
                        grid.start_row()
                grid.start_row()
                if row.get(f"{_SS}Hidden") in ("1", "true"):
                    hidden_rows.add(len(grid.rows) - 1)
                for cell in row.iter(f"{_SS}Cell"):
                    data_ = cell.find(f"{_SS}Data")
                    value = "".join(data_.itertext()).strip() if data_ is not None else None
                    if value and data_.get(f"{_SS}Type") == "DateTime":
                        value = value.split("T")[0]
                    at = cell.get(f"{_SS}Index")
                    across = int(cell.get(f"{_SS}MergeAcross") or 0) + 1
                    down = int(cell.get(f"{_SS}MergeDown") or 0) + 1
                    grid.cell(value, across, down, int(at) - 1 if at else None)
        visible = sheet.find(f"{_EXCEL}WorksheetOptions/{_EXCEL}Visible")
        hidden = visible is not None and (visible.text or "").strip() in ("SheetHidden", "SheetVeryHidden")
        sheets.append(grid.table(sheet.get(f"{_SS}Name") or f"Sheet{number}", hidden, hidden_rows))
    return sheets


def _refuse_entities(data: bytes) -> None:
    if b"<!ENTITY" in data[:65536] or b"<!DOCTYPE" in data[:65536]:
        raise FileRejected("not_a_spreadsheet", "the XML declares entities: not a spreadsheet")


def _paragraph(node) -> str:
    """A paragraph's text, its spans' included; ``text:s`` is a run of spaces, ``text:line-break`` a new line."""
    out = [node.text or ""]
    for child in node:
        if child.tag == f"{_TEXT}s":
            out.append(" " * _span({"c": child.get(f"{_TEXT}c")}, "c"))
        elif child.tag == f"{_TEXT}line-break":
            out.append("\n")
        else:
            out.append(_paragraph(child))
        out.append(child.tail or "")
    return "".join(out)


def _ods_text(cell) -> str | None:
    """An OpenDocument cell as text: its value for numbers, dates and booleans (as calamine gives a workbook's),
    else its paragraphs, one per line."""
    kind = cell.get(f"{_OFFICE}value-type")
    if kind in ("float", "percentage", "currency"):
        value = cell.get(f"{_OFFICE}value") or ""
        try:
            number = float(value)
        except ValueError:
            return value or None
        return str(int(number)) if number.is_integer() and abs(number) < 1e15 else value
    if kind == "date":
        return (cell.get(f"{_OFFICE}date-value") or "").split("T")[0] or None
    if kind == "boolean":
        return cell.get(f"{_OFFICE}boolean-value")
    lines = [_paragraph(p) for p in cell.findall(f"{_TEXT}p")]
    text = "\n".join(lines).strip()
    return text or None


def ods_sheets(data: bytes, max_rows: int, max_columns: int) -> list[Table]:
    """Each table of an OpenDocument spreadsheet's ``content.xml``. Rows and cells repeated empty (LibreOffice
    writes the rest of a sheet as one row repeated a million times) are kept only where something follows them;
    covered cells are the merges' and take their place from them."""
    _refuse_entities(data)
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise FileRejected("corrupt_file", f"the OpenDocument spreadsheet cannot be read: {exc}") from exc
    hidden_styles = {
        style.get(f"{_STYLE}name")
        for style in root.iter(f"{_STYLE}style")
        if any(p.get(f"{_TABLE}display") == "false" for p in style.iter(f"{_STYLE}table-properties"))
    }
    sheets = []
    for number, table in enumerate(root.iter(f"{_TABLE}table"), start=1):
        grid, empty_rows, hidden_rows = _Grid(max_rows, max_columns), 0, set()
        for row in table.iter(f"{_TABLE}table-row"):
            cells, empty_cells = [], 0
            for cell in row:
                if cell.tag != f"{_TABLE}table-cell":
                    continue  # a covered cell: its merge's value is placed from the merging cell
                value = _ods_text(cell)
                repeat = _span({"n": cell.get(f"{_TABLE}number-columns-repeated")}, "n")
                if value is None and cell.get(f"{_TABLE}number-rows-spanned") is None:
                    empty_cells += repeat
                    continue
                cells += [(None, 1, 1)] * empty_cells
                empty_cells = 0
                across = _span({"n": cell.get(f"{_TABLE}number-columns-spanned")}, "n")
                down = _span({"n": cell.get(f"{_TABLE}number-rows-spanned")}, "n")
                cells += [(value, across, down)] * min(repeat, max_columns + 1)
            repeat = _span({"n": row.get(f"{_TABLE}number-rows-repeated")}, "n")
            if not cells and not grid.down:
                empty_rows += repeat
                continue
            folded = row.get(f"{_TABLE}visibility") in ("collapse", "filter")  # hidden, or filtered out
            for _ in range(empty_rows + min(repeat, max_rows + 1)):
                grid.start_row()
                if empty_rows:
                    empty_rows -= 1
                    continue
                if folded:
                    hidden_rows.add(len(grid.rows) - 1)
                for value, across, down in cells:
                    grid.cell(value, across, down)
        hidden = table.get(f"{_TABLE}style-name") in hidden_styles
        sheets.append(grid.table(table.get(f"{_TABLE}name") or f"Sheet{number}", hidden, hidden_rows))
    return sheets


def _word_text(node) -> str:
    """A Word paragraph's (or cell's) text: its runs' ``w:t``, a tab as a space, a line break as a new line;
    deleted text (``w:delText``) is no text."""
    out = []
    for el in node.iter():
        if el.tag == f"{_W}t":
            out.append(el.text or "")
        elif el.tag == f"{_W}tab":
            out.append(" ")
        elif el.tag in (f"{_W}br", f"{_W}cr"):
            out.append("\n")
    return "".join(out)


def _children(node, tag: str):
    """``node``'s children of a tag, in order, those inside a content control (``w:sdt``) included."""
    for child in node:
        if child.tag == f"{_W}{tag}":
            yield child
        elif child.tag == f"{_W}sdt" and (content := child.find(f"{_W}sdtContent")) is not None:
            yield from _children(content, tag)


def _word_cell(tc) -> tuple[str | None, int, str | None]:
    """(text, columns spanned, vertical merge: "restart", "continue" or None) of a Word table cell; its
    paragraphs one per line."""
    props = tc.find(f"{_W}tcPr")
    span, merge = 1, None
    if props is not None:
        if (g := props.find(f"{_W}gridSpan")) is not None:
            span = _span({"n": g.get(f"{_W}val")}, "n")
        if (v := props.find(f"{_W}vMerge")) is not None:
            merge = "restart" if v.get(f"{_W}val") == "restart" else "continue"
    lines = [re.sub(r"[ \t]+", " ", _word_text(p)).strip() for p in tc.iter(f"{_W}p")]
    text = "\n".join(line for line in lines if line)
    return text or None, span, merge


def _word_table(tbl, grid: _Grid) -> None:
    """A Word table's rows into the grid: a cell merged down (``w:vMerge``) gives its text to the rows it spans,
    one spanning columns (``w:gridSpan``) stays one cell; a row starting further right (``w:gridBefore``) keeps
    its cells under their columns."""
    rows = []
    for tr in _children(tbl, "tr"):
        before = tr.find(f"{_W}trPr/{_W}gridBefore")
        at = _span({"n": before.get(f"{_W}val")}, "n") if before is not None else 0
        cells = []
        for tc in _children(tr, "tc"):  # a table nested in a cell is that cell's text
            text, span, merge = _word_cell(tc)
            cells.append([at, text, span, merge, 1])
            at += span
        rows.append(cells)
    for r, cells in enumerate(rows):  # how many rows each merge started here spans
        for cell in cells:
            if cell[3] == "restart":
                for below in rows[r + 1 :]:
                    if not any(c[0] == cell[0] and c[3] == "continue" for c in below):
                        break
                    cell[4] += 1
    for cells in rows:
        grid.start_row()
        for at, text, span, merge, down in cells:
            if merge != "continue":
                grid.cell(text, span, down, at)
    grid.down.clear()


def docx_grid(data: bytes, max_rows: int, max_columns: int) -> Table:
    """The paragraphs and tables of a Word document's body, in order: each paragraph a row of one cell, each
    table's rows as a sheet's, an empty row between two tables."""
    _refuse_entities(data)
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise FileRejected("corrupt_file", f"the Word document cannot be read: {exc}") from exc
    body = root.find(f"{_W}body")
    grid, tables = _Grid(max_rows, max_columns), 0

    def walk(parent) -> None:
        nonlocal tables
        for child in parent:
            if child.tag == f"{_W}p":
                if text := re.sub(r"\s+", " ", _word_text(child)).strip():
                    grid.line(text)
            elif child.tag == f"{_W}tbl":
                if tables:
                    grid.start_row()
                tables += 1
                _word_table(child, grid)
            elif child.tag == f"{_W}sdt":  # a content control around paragraphs or a table
                walk(child.find(f"{_W}sdtContent") if child.find(f"{_W}sdtContent") is not None else [])

    walk(body if body is not None else [])
    if not tables:
        raise FileRejected("not_a_spreadsheet", "a Word document without a table: send the list as a table")
    return grid.table(None)
