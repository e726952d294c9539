"""Write the report of a publish: ``bao_cao.html`` and ``bao_cao.xlsx`` in a folder of its own per run,
and ``latest/`` pointing at the newest. Written only after a successful publish, so a failed refresh leaves
the previous reports as they were."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import jinja2
import xlsxwriter

from cadre.reports.data import ReportData, Table, load

_TEMPLATE = "report.html.j2"


@dataclass(frozen=True)
class ReportFiles:
    folder: Path
    html: Path
    xlsx: Path
    data: ReportData


def _safe(run_id: str) -> str:
    return re.sub(r"[^0-9A-Za-z_.-]+", "_", run_id)[:120]


def write_html(data: ReportData, path: Path, **meta: str) -> None:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("cadre.reports", "."), autoescape=True, undefined=jinja2.StrictUndefined
    )
    path.write_text(env.get_template(_TEMPLATE).render(data=data, **meta), encoding="utf-8")


def write_xlsx(tables: list[Table], path: Path, heading: list[str]) -> None:
    """Every text cell is written as text: a value starting with =, +, - or @ never becomes a formula."""
    book = xlsxwriter.Workbook(
        str(path), {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    )
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "bg_color": "#EEEEFF", "border": 1, "text_wrap": True})
    for table in tables:
        sheet = book.add_worksheet(table.sheet)
        sheet.write_string(0, 0, table.title, bold)
        for i, line in enumerate(heading, start=1):
            sheet.write_string(i, 0, line)
        top = len(heading) + 2
        for c, label in enumerate(table.columns):
            sheet.write_string(top, c, label, head)
            sheet.set_column(c, c, 40 if c == 0 else 16)
        for r, row in enumerate(table.rows, start=top + 1):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, bool):
                    sheet.write_boolean(r, c, value)
                elif isinstance(value, int | float | Decimal):
                    sheet.write_number(r, c, float(value))
                else:
                    sheet.write_string(r, c, str(value))
        if table.note:
            sheet.write_string(top + len(table.rows) + 2, 0, table.note)
        sheet.freeze_panes(top + 1, 1)
    book.close()


def build(url: str, out: Path, run_id: str, published_at: object, gate_summary: str, docs: Path | None) -> ReportFiles:
    data = load(url, gate_summary, str(docs or ""))
    if isinstance(published_at, datetime):
        published_at = published_at.astimezone().strftime("%d/%m/%Y %H:%M %Z")
    folder = out / _safe(run_id)
    folder.mkdir(parents=True, exist_ok=True)
    generated = datetime.now().astimezone().strftime("%d/%m/%Y %H:%M %Z")
    html, xlsx = folder / "bao_cao.html", folder / "bao_cao.xlsx"
    write_html(data, html, run_id=run_id, published_at=str(published_at), generated_at=generated, docs=str(docs or ""))
    heading = [
        f"Ngày báo cáo của số liệu: {data.reporting_date:%d/%m/%Y}",
        f"Lần chạy: {run_id} · công bố lúc {published_at} · lập lúc {generated}",
    ]
    write_xlsx(data.sections, xlsx, heading)
    (folder / "run.json").write_text(
        json.dumps({"run_id": run_id, "reporting_date": str(data.reporting_date), "published_at": str(published_at)}),
        encoding="utf-8",
    )
    latest = out / "latest"
    staging = out / ".latest.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(folder, staging)
    shutil.rmtree(latest, ignore_errors=True)
    staging.rename(latest)
    return ReportFiles(folder, html, xlsx, data)
