"""Ingest a file end to end: read, find the header, normalise, check, load in one transaction.

``ingest_paths`` is what ``cadre ingest`` and the Airflow tasks call. Each file gives one summary dict;
no file's failure stops the others.
"""

from __future__ import annotations

import hashlib
import re
import time
import zipfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from ingest import checks, db, readers
from ingest.errors import FileRejected
from ingest.headers import SCAN_ROWS, find_header
from ingest.kinds import RAW_TABLE, SELECT
from ingest.normalise import (
    Context,
    body,
    classify,
    district_from,
    duplicates,
    parse_values,
    reporting_date_from,
    split,
)
from ingest.text import detect_legacy, fold, normalise


def discover(paths: list[Path]) -> list[Path]:
    """Files under the given files/folders that look like deliveries (spreadsheets and CSV), sorted."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and not p.name.startswith((".", "~$")) and "truth" not in p.relative_to(path).parts
            )
        elif path.exists():
            out.append(path)
        else:
            raise FileNotFoundError(path)
    return out


def ingest_paths(paths: list[Path], url: str, kind: str | None = None):
    """Ingest every file under ``paths``; yields one summary per file as it finishes."""
    db.ensure_schema(url)
    for path in discover(paths):
        yield ingest_file(path, url, kind)


def ingest_file(path: Path, url: str, kind: str | None = None, before_commit=None) -> dict:
    """Ingest one file; ``before_commit(cursor, batch_id)`` is a hook for fault-injection tests."""
    started = db.now()
    t0 = time.perf_counter()
    data = path.read_bytes()
    meta = {
        "file_name": path.name,
        "file_path": str(path.resolve()),
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
        "kind": kind,
        "started_at": started,
    }
    summary = {"file": str(path), "sha256": meta["sha256"]}
    existing = db.loaded_batch(url, meta["sha256"])
    if existing:
        return {
            **summary,
            "kind": kind,
            "status": "duplicate",
            "batch_id": existing["batch_id"],
            "same_as": existing["file_name"],
            "seconds": round(time.perf_counter() - t0, 3),
        }
    try:
        parsed = parse_file(path, kind)
    except FileRejected as exc:
        batch_id = db.record_rejection(url, meta, exc.code, exc.message)
        return {
            **summary,
            "kind": kind,
            "status": "rejected",
            "batch_id": batch_id,
            "reason_code": exc.code,
            "reason": exc.message,
            "seconds": round(time.perf_counter() - t0, 3),
        }
    loaded, quarantined = parsed["loaded"], parsed["quarantined"]
    rows_in = parsed["rows_in"]
    if rows_in != loaded.height + quarantined.height:  # nothing lost, nothing twice
        raise AssertionError(f"{path}: {rows_in} rows in, {loaded.height} loaded + {quarantined.height} quarantined")
    meta.update(
        kind=parsed["kind"],
        batch_key=parsed["batch_key"],
        district_code=parsed.get("district_code"),
        reporting_date=parsed.get("reporting_date"),
        sheets=parsed["sheets"],
        legacy_encoding=parsed.get("legacy"),
        rows_in=rows_in,
        rows_loaded=loaded.height,
        rows_quarantined=quarantined.height,
        rows_skipped=sum(parsed["skipped"].values()),
        skipped=dict(parsed["skipped"]),
        source_modified=_modified(path),
    )
    # The checks run in a second thread while the rows stream into PostgreSQL; the load waits for them
    # before it commits, so the ledger records both in one transaction.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(checks.validate, parsed["kind"], loaded, parsed)
        result = db.load(url, meta, RAW_TABLE[parsed["kind"]], loaded, quarantined, pending.result, before_commit)
    outcome = result["checks"]
    reasons = (
        Counter(r for rs in quarantined.get_column("reasons").to_list() for r in rs)
        if quarantined.height
        else Counter()
    )
    return {
        **summary,
        "kind": parsed["kind"],
        "district": parsed.get("district_code"),
        "reporting_date": parsed["reporting_date"].isoformat() if parsed.get("reporting_date") else None,
        "rows_in": rows_in,
        "rows_loaded": loaded.height,
        "rows_quarantined": quarantined.height,
        "rows_skipped": meta["rows_skipped"],
        "skipped": dict(parsed["skipped"]),
        "quarantined_by_reason": dict(sorted(reasons.items())),
        "status": result["status"],
        "batch_id": result["batch_id"],
        "supersedes": result["superseded"],
        "checks": outcome.status,
        "checks_failed": outcome.failed,
        "seconds": round(time.perf_counter() - t0, 3),
    }


def parse_file(path: Path, kind: str | None = None) -> dict:
    """Everything about a file short of loading it: kind, keys, rows to load, rows to quarantine."""
    sheets = readers.read(path)
    frames, names_seen, info = [], set(), {"sheets": [], "skipped": Counter()}
    for sheet in sheets:
        head = sheet.grid.head(SCAN_ROWS + 2).rows()
        legacy = detect_legacy([c for row in sheet.grid.head(300).rows() for c in row if c], sheet.fonts)
        grid_head = [[normalise(c, legacy) for c in row] for row in head]
        try:
            header = find_header(grid_head, kind or info.get("kind"))
        except FileRejected as exc:
            if exc.code == "no_header" and len(sheets) > 1:
                continue  # a notes or cover sheet beside the data
            raise FileRejected(exc.code, f"sheet {sheet.name!r}: {exc.message}") from exc
        titles = [" ".join(str(c) for c in row if c) for row in grid_head[: header.row]]
        info.setdefault("kind", header.kind)
        info.setdefault("legacy", legacy)
        ctx = Context(kind=header.kind, sheet=sheet.name, legacy=legacy)
        if header.kind == "hr":
            info.setdefault("reporting_date", reporting_date_from(titles, path.name))
            info.setdefault("district_code", district_from(titles))
        if header.kind == "roster":
            info.setdefault("class_code", _class_code(titles))
        ctx.reporting_date, ctx.district_code = info.get("reporting_date"), info.get("district_code")
        ctx.class_code = info.get("class_code")
        frame, names = body(sheet.grid, header, ctx)
        frame = classify(frame, names, header)
        if header.kind == "hr" and ctx.district_code is None:
            ctx.district_code = info["district_code"] = _district_from_communes(frame)
        frames.append((parse_values(frame, names, ctx), ctx))
        info["rows_under_header"] = info.get("rows_under_header", 0) + frame.height
        names_seen.update(names)
        info["sheets"].append(sheet.name)
    if not frames:
        raise FileRejected("no_header", "no sheet has a header row naming known columns")
    kind = info["kind"]
    if kind == "hr" and info.get("reporting_date") is None:
        raise FileRejected("no_reporting_date", "no reporting date in the title rows or the file name")
    if kind == "hr" and info.get("district_code") is None:
        raise FileRejected("no_district", "the district is neither named in the title rows nor clear from the communes")
    combined = pl.concat([f for f, _ in frames], how="diagonal_relaxed")
    combined = duplicates(combined, sorted(names_seen))
    if kind == "roster" and "class_code" not in names_seen and not info.get("class_code"):
        raise FileRejected("no_class_code", "a roster without a class code (no 'Mã lớp' column nor title line)")
    outcome = split(combined, SELECT[kind](combined, frames[0][1]))
    info["skipped"] = outcome.skipped
    info.update(
        kind=kind,
        loaded=outcome.loaded,
        quarantined=outcome.quarantined,
        # counted from the sheets, independently of the split, so that the check in ingest_file can fail
        rows_in=info["rows_under_header"] - sum(outcome.skipped.values()),
        batch_key=_batch_key(kind, info, path, outcome.loaded),
    )
    return info


def _class_code(titles: list[str]) -> str | None:
    for text in titles:
        if m := re.search(r"M[ãa] l[ớo]p\s*:\s*(\S+)", text or "", flags=re.IGNORECASE):
            return m[1]
    return None


def _district_from_communes(frame: pl.DataFrame) -> str | None:
    from ingest import values

    if "commune" not in frame.columns:
        return None
    found = Counter()
    for name in frame.get_column("commune").drop_nulls().unique().to_list():
        code, _ = values.map_commune(name, None)
        if code:
            found[next(d for d, m in values.communes().items() if any(code in v for v in m.values()))] += 1
    return found.most_common(1)[0][0] if found else None


def _batch_key(kind: str, info: dict, path: Path, loaded: pl.DataFrame) -> str:
    if kind == "hr":
        return f"hr:{info['district_code']}:{info['reporting_date'].isoformat()}"
    if kind == "roster":
        codes = loaded.get_column("class_code").unique().drop_nulls().sort().to_list() if loaded.height else []
        return f"roster:{info.get('class_code') or ','.join(codes)}"
    if kind == "classes" and loaded.height:
        years = loaded.get_column("start_date").dt.year().drop_nulls()
        return f"classes:{years.min()}-{years.max()}"
    return f"{kind}:{fold(path.stem)}"


def _modified(path: Path) -> datetime:
    """When the sender last saved the file: the workbook's own record, else the file system's."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            with zipfile.ZipFile(path) as z:
                core = z.read("docProps/core.xml").decode("utf-8", "replace")
            if m := re.search(r"<dcterms:modified[^>]*>([^<]+)<", core):
                return datetime.fromisoformat(m[1].replace("Z", "+00:00"))
        except (KeyError, zipfile.BadZipFile, ValueError):
            pass
    return datetime.fromtimestamp(path.stat().st_mtime, UTC)
