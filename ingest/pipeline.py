"""Ingest a file end to end, stage by stage: read (:mod:`readers`), lay out (:mod:`layout`: header, kind,
commune headings, footer), read values (:mod:`rows`, words through :mod:`vocabulary`), check, load in one
transaction (:mod:`db`).

``ingest_paths`` is what ``cadre ingest`` and the Airflow tasks call. Each file gives one summary dict;
no file's failure stops the others, whatever it is: an exception becomes a typed rejection on the ledger
(``internal_error``). A file is read whole, planned (:func:`plan_file`), then its records are read in
chunks (:func:`process`) that stream into PostgreSQL one after the other while the next is prepared;
repeats and conflicts across chunks are settled (:func:`settle`) before the commit. The batch checks of a
run's small files are run together (:func:`ingest_files`), each file's transaction open until its outcome.
"""

from __future__ import annotations

import hashlib
import re
import time
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import polars as pl

from cadre import reference
from ingest import checks, db, layout, readers, units, values
from ingest import vocabulary as vocab
from ingest.errors import FileRejected
from ingest.kinds import RAW_TABLE, SELECT
from ingest.layout import MAX_HEADER_ROWS, SCAN_ROWS, Header
from ingest.rows import DATE_ROLES, Context, body, classify, flags, parse_values, row_keys, split
from ingest.text import detect_legacy, fold, fold_series, normalise, normalise_frame, normalise_series


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


def ingest_paths(
    paths: list[Path], url: str, kind: str | None = None, key: str | None = None, workers: int = 1, group: int = 0
):
    """Ingest every file under ``paths``; yields one summary per file, in the order of the files. ``key``: the
    pseudonym key (default: ``CADRE_PSEUDONYM_KEY`` or the instance's key file); another than the warehouse's
    is refused. ``workers`` > 1: runs of files in that many processes at once (each pays its imports, GX
    context and reference tables once, then keeps them for all its files), as the Airflow workers do; every
    file is still its own transaction, and which of two files of one district and date is in use is decided
    by their dates (``raw.current_batches``), never by which finished first. ``group``: files whose batch
    checks run together (default ``GROUP_FILES``)."""
    group = group or GROUP_FILES
    db.ensure_schema(url)
    db.use_pseudonym_key(url, key)
    files = discover(paths)
    if workers <= 1 or len(files) <= group:
        yield from ingest_files(files, url, kind, key=key, group=group)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from functools import partial

    runs = _runs(files, group)
    context = multiprocessing.get_context("spawn")  # no fork of a process with threads (GX, the load thread)
    with ProcessPoolExecutor(max_workers=min(workers, len(runs)), mp_context=context) as pool:
        one_run = partial(_ingest_run, url=url, kind=kind, key=key, group=group)
        done = zip(runs, pool.map(one_run, runs), strict=True)
        yield from _in_file_order(
            (index, summary) for run, summaries in done for (index, _), summary in zip(run, summaries, strict=True)
        )


def _in_file_order(done: Iterable[tuple[int, dict]]) -> Iterator[dict]:
    """Summaries given as (file index, summary) in any order, yielded in file order as soon as they can be."""
    held: dict[int, dict] = {}
    emitted = 0
    for index, summary in done:
        held[index] = summary
        while emitted in held:
            yield held.pop(emitted)
            emitted += 1


def _runs(files: list[Path], group: int) -> list[list[tuple[int, Path]]]:
    """Consecutive files, ``group`` to a run of one process, except that a file of the same content as
    an earlier one joins that one's run: two processes never load one content side by side (the second
    would wait for the first's commit, which may wait for its run's checks)."""
    runs: list[list[tuple[int, Path]]] = []
    run_of: dict[str, list] = {}
    for index, path in enumerate(files):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest not in run_of:
            if not runs or len(runs[-1]) >= group:
                runs.append([])
            run_of[digest] = runs[-1]
        run_of[digest].append((index, path))
    return runs


def _ingest_run(run: list[tuple[int, Path]], url: str, kind: str | None, key: str | None, group: int) -> list[dict]:
    return list(ingest_files([path for _, path in run], url, kind, key=key, group=group))


def ingest_file(path: Path, url: str, kind: str | None = None, before_commit=None, key: str | None = None) -> dict:
    """Ingest one file; ``before_commit(cursor, batch_id)`` is a hook for fault-injection tests."""
    return next(ingest_files([path], url, kind, key=key, before_commit=before_commit))


GROUP_FILES = 16  # files of one process whose batch checks run together: GX's fixed cost paid once for them
GROUP_ROWS = 50_000  # ...as long as they hold fewer rows than this (a bigger file is checked alone)


@dataclass
class Planned:
    """A file read and laid out, not yet written: whether files waiting for their checks must finish first."""

    kind: str
    district: str | None


@dataclass
class Checks:
    """A file written in its open transaction, waiting for its batch checks."""

    kind: str
    rows: pl.DataFrame
    delivery: checks.Delivery


@dataclass
class _Waiting:
    index: int
    steps: object  # the file's generator (_file_steps), suspended at its Checks
    sha256: str
    planned: Planned
    checks: Checks


def ingest_files(
    paths: list[Path],
    url: str,
    kind: str | None = None,
    key: str | None = None,
    before_commit=None,
    group: int = GROUP_FILES,
) -> Iterator[dict]:
    """Ingest files one after another in this process; yields their summaries in file order.

    Each file is written in its own transaction, then waits, the transaction open, until the batch checks of
    up to ``group`` small files run together (one GX run per suite: GX costs per run and expectation,
    not per row); then each commits, in file order. A file of the same content as one waiting, or of a
    district one waiting is of, first lets the waiting ones finish: what it is compared with (a file already
    loaded, the district's earlier delivery) is then what one file at a time would have shown it."""
    db.record_pseudonym_key(url, key)  # on record before any file's transaction reads it
    yield from _in_file_order(_ingest_each(paths, url, kind, key, before_commit, group))


def _ingest_each(paths: list[Path], url: str, kind, key, before_commit, group: int) -> Iterator[tuple[int, dict]]:
    """(file index, summary) of each file, as each finishes (see ``ingest_files``)."""
    waiting: list[_Waiting] = []

    def finish_waiting() -> Iterator[tuple[int, dict]]:
        for group_kind in dict.fromkeys(w.checks.kind for w in waiting):
            same_kind = [w for w in waiting if w.checks.kind == group_kind]
            try:
                outcomes = checks.validate_many(group_kind, [(w.checks.rows, w.checks.delivery) for w in same_kind])
            except Exception as exc:  # each file records it as its own internal error
                outcomes = [exc] * len(same_kind)
            for w, outcome in zip(same_kind, outcomes, strict=True):
                yield w.index, _resume(w.steps, outcome)
        waiting.clear()

    for index, path in enumerate(paths):
        meta = _describe(path, kind)
        if any(w.sha256 == meta["sha256"] for w in waiting):
            yield from finish_waiting()
        steps = _file_steps(path, meta, url, kind, key, before_commit)
        step = planned = _resume(steps, None)
        if isinstance(step, Planned):
            if step.district and any(w.planned.district == step.district for w in waiting):
                yield from finish_waiting()
            step = _resume(steps, None)
        if isinstance(step, Checks):
            waiting.append(_Waiting(index, steps, meta["sha256"], planned, step))
            if len(waiting) >= group or sum(w.checks.rows.height for w in waiting) >= GROUP_ROWS:
                yield from finish_waiting()
        else:
            yield index, step
    yield from finish_waiting()


def _resume(steps, value):
    """The next step of a file's generator: a ``Planned``, a ``Checks``, or its summary when it ends. An
    exception sent is raised where the generator waits."""
    try:
        return steps.throw(value) if isinstance(value, BaseException) else steps.send(value)
    except StopIteration as end:
        return end.value


def _describe(path: Path, kind: str | None) -> dict:
    data = path.read_bytes()
    return {
        "file_name": path.name,
        "file_path": str(path.resolve()),
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
        "kind": kind,
        "started_at": db.now(),
    }


CHUNK_ROWS = 25_000  # rows normalised (and held) at a time; the previous chunk streams into PostgreSQL meanwhile
FIRST_CHUNK_ROWS = 5_000
KEY = ["source_sheet", "source_row"]  # a row of a file


@dataclass
class SheetPlan:
    rows: pl.DataFrame  # the sheet's rows under its header: ``source_row``, ``column_<i>``, ``_layout``, ``_group``
    header: Header
    ctx: Context
    commune_text: str | None = None  # the title line naming the sheet's one commune (no commune column)
    communes: set[str] = field(default_factory=set)  # communes its commune headings name
    as_of: date | None = None  # the date an HR sheet's own title rows or name give
    class_named: str | None = None  # a code made of the class's name its title gives, where none is written
    filled: dict[int, frozenset[int]] = field(default_factory=dict)  # column -> grid rows a merge above filled


@dataclass
class Plan:
    """What a file is, before any row is normalised: its kind, file-level facts and each sheet's header."""

    kind: str
    info: dict  # reporting_date, district_code, class_code, legacy, sheets
    sheets: list[SheetPlan]
    names: list[str]  # the canonical columns of all sheets (a row's duplicate signature is over these)

    @property
    def rows_under_header(self) -> int:
        return sum(s.rows.height for s in self.sheets)


@dataclass
class Chunk:
    loaded: pl.DataFrame
    quarantined: pl.DataFrame
    keys: pl.DataFrame  # source_sheet, source_row, _sig, _person of every row not skipped
    checked: pl.DataFrame  # the loaded rows' columns the batch checks read, with source_sheet and source_row
    skipped: Counter
    skipped_rows: pl.DataFrame  # source_sheet, source_row, skip
    # the rows as read and typed (a file of few rows): where settle finds repeats and conflicts, without reading
    # their rows again
    prepared: pl.DataFrame | None = None
    sheet: int = 0  # which of the plan's sheets


def _file_steps(path: Path, meta: dict, url: str, kind: str | None, key: str | None, before_commit):
    """One file's ingest as a generator: yields a ``Planned`` once the file is read and laid out, a ``Checks``
    once its rows are written (it is sent their outcome), and returns its summary.

    Chunks of rows are normalised while the previous chunk streams into PostgreSQL, all in one
    transaction; rows found to be duplicates or conflicts only once the whole file is seen are moved to
    quarantine before the commit, and the batch checks run meanwhile."""
    t0 = time.perf_counter()
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
    checks.warm_up()  # GX builds its context while the file is read (once per process)
    try:
        with db.Batch(url, key) as batch:  # connects while the file is read
            plan = plan_file(path, kind)
            yield Planned(plan.kind, plan.info.get("district_code") if plan.kind == "hr" else None)
            loaded = yield from _load(batch, plan, path, meta, before_commit)
        return {**summary, **loaded, "seconds": round(time.perf_counter() - t0, 3)}
    except FileRejected as exc:
        code, message = exc.code, exc.message
    except db.PseudonymKeyChanged:
        raise  # the instance's key, not the file: nothing loads until it is settled
    except Exception as exc:  # nothing of the file was committed: the ledger says what went wrong, the run goes on
        code, message = "internal_error", f"{type(exc).__name__}: {exc}"
    batch_id = db.record_rejection(url, meta, code, message)
    return {
        **summary,
        "kind": kind,
        "status": "rejected",
        "batch_id": batch_id,
        "reason_code": code,
        "reason": message,
        "seconds": round(time.perf_counter() - t0, 3),
    }


def _load(batch: db.Batch, plan: Plan, path: Path, meta: dict, before_commit) -> dict:
    info = plan.info
    meta.update(
        kind=plan.kind,
        district_code=_district(info),
        reporting_date=info.get("reporting_date"),
        sheets=info["sheets"],
        legacy_encoding=info.get("legacy"),
        source_modified=_modified(path),
        warnings=info.get("warnings", []),
        vocabulary=vocab.version(),
        contexts=[{"sheet": s.ctx.sheet, "from_row": s.header.data_start + 1, **s.ctx.state()} for s in plan.sheets],
    )
    batch.begin(meta, RAW_TABLE[plan.kind])
    previous = batch.previous_headcount(info) if plan.kind == "hr" else None
    chunks, skipped = [], Counter()
    for chunk in process(plan):
        batch.write(chunk.loaded, chunk.quarantined)
        chunks.append(replace(chunk, loaded=None, quarantined=None))  # written: what settle reads is kept
        skipped += chunk.skipped
    flagged, settled = settle(plan, chunks)
    batch.replace(flagged, settled)
    rows = pl.concat([c.checked for c in chunks], how="vertical_relaxed").join(flagged, on=KEY, how="anti")
    del chunks
    # counted from the sheets, independently of what was written: the load stops if they disagree
    rows_skipped = sum(skipped.values())
    rows_in = plan.rows_under_header - rows_skipped
    before = previous.result() if previous else None
    outcome = yield Checks(plan.kind, rows, checks.delivery(info, rows_in, before))  # the last chunks stream in
    result = batch.commit(rows_in, skipped, _batch_key(plan.kind, info, path, rows), outcome, before_commit)
    return {
        "kind": plan.kind,
        "district": _district(info),
        **({"units": vocab.REFORMED} if info.get("district_code") == vocab.REFORMED else {}),
        "reporting_date": info["reporting_date"].isoformat() if info.get("reporting_date") else None,
        "rows_in": rows_in,
        "rows_loaded": result["rows_loaded"],
        "rows_quarantined": result["rows_quarantined"],
        "rows_skipped": rows_skipped,
        "skipped": dict(skipped),
        "quarantined_by_reason": result["quarantined_by_reason"],
        "status": result["status"],
        "batch_id": result["batch_id"],
        "supersedes": result["superseded"],
        "checks": outcome.status,
        "checks_failed": outcome.failed,
        "warnings": info.get("warnings", []),
    }


def _column_named(text: str) -> str:
    """The column a header cell names for any kind of file, else its words."""
    return next((n for k in vocab.KINDS if (n := vocab.header_name(text, k))), fold(text))


def _side_by_side(sheet: readers.Sheet) -> list[readers.Sheet]:
    """A sheet whose list is printed in two halves side by side (its header written twice on one row, "STT | Họ và
    tên | ... | STT | Họ và tên | ..."): two sheets, the second named "<sheet> – bảng 2", each with the title rows
    above the header, the second down to the signature block under the first; else the sheet. Read as one table,
    the right half's people were no rows of their own, their posts read as the left half's people's."""
    grid = sheet.grid
    for r, row in enumerate(grid.head(SCAN_ROWS).rows()):
        cells = [(i, str(c).strip()) for i, c in enumerate(row) if c is not None and str(c).strip()]
        half = len(cells) // 2
        if half < 3 or len(cells) % 2 or any(t[0].isdigit() for _, t in cells):  # a header has no numbers, dates
            continue
        # the same header twice: the same words, or the same columns named another way ("Họ và tên" | "Họ tên")
        names = [_column_named(t) for _, t in cells[:half]]
        if "full_name" not in names or names != [_column_named(t) for _, t in cells[half:]]:
            continue
        cut, width = cells[half][0], grid.width
        left = [f"column_{i}" for i in range(cut)]
        right = [f"column_{i}" for i in range(cut, width)]
        renamed = {c: f"column_{k}" for k, c in enumerate(right)}
        above = grid.slice(0, r).select(  # the title rows, in the columns they are in (the first)
            [pl.col(left[k]).alias(f"column_{k}") if k < len(left) else pl.lit(None, pl.Utf8).alias(f"column_{k}")
             for k in range(len(right))]
        )  # fmt: skip
        # ... its rows down to the signature block under the left half (its signer's post in the right half's columns
        # is the block's, a row of it, no person)
        end = next(
            (
                k
                for k, line in enumerate(grid.slice(r + 1).select(left).rows(), start=r + 1)
                if any(c and (vocab.is_footer(c) or vocab.is_signer(c)) for c in line)
            ),
            grid.height,
        )
        second = pl.concat([above, grid.slice(r, end - r).select(right).rename(renamed)], how="vertical_relaxed")
        filled = {c - cut: rows for c, rows in sheet.filled.items() if c >= cut}
        return [
            replace(sheet, grid=grid.select(left), filled={c: v for c, v in sheet.filled.items() if c < cut}),
            replace(sheet, name=f"{sheet.name} – bảng 2", grid=second, filled=filled),
        ]
    return [sheet]


def _as_delimited(sheet: readers.Sheet) -> readers.Sheet | None:
    """A sheet whose rows are CSV lines in its first column (a CSV opened without splitting it, then saved: "STT,Họ và
    tên,Năm sinh,..."), as the table those lines are; None where the other columns hold anything, or where most lines
    do not hold as many fields (a record's "Quê quán: xã X, huyện Y" lines in one column)."""
    grid = sheet.grid
    if not grid.width or any(grid.get_column(c).null_count() < grid.height for c in grid.columns[1:]):
        return None
    lines = ["" if c is None else str(c) for c in grid.get_column(grid.columns[0]).to_list()]
    written = [line for line in lines if line.strip()]
    separator = max(",;\t", key=lambda d: sum(line.count(d) for line in written))
    fields, times = Counter(line.count(separator) for line in written).most_common(1)[0] if written else (0, 0)
    if fields < 2 or 2 * times < len(written):  # a table's lines: most of them with as many fields, three or more
        return None
    return replace(sheet, grid=readers.read_csv_text("\n".join(lines)), filled={})


def _as_form(sheet: readers.Sheet, legacy: str | None) -> readers.Sheet | None:
    """The sheet as a table of one row, if it is one person's record ("Họ và tên: ...", "Sinh ngày: ...")."""
    rows = [[normalise(c, legacy) for c in row] for row in sheet.grid.head(SCAN_ROWS * 4).rows()]
    table = layout.form_table(rows)
    return readers.Sheet(sheet.name, readers.text_grid(table), sheet.fonts) if table else None


def _grid_head(grid: pl.DataFrame, legacy: str | None) -> tuple[list[list], list[list]]:
    """The first rows of a grid, as read and normalised, where a header is looked for."""
    head = grid.head(SCAN_ROWS + MAX_HEADER_ROWS)
    raw = [list(r) for r in head.rows()]
    if legacy:  # cell by cell: a title or header cell typed in Unicode in a legacy sheet stays as typed
        return raw, [[normalise(c, legacy) for c in row] for row in raw]
    return raw, [list(r) for r in normalise_frame(head).rows()]


def _plan_table(
    path: Path, sheet, start: int, legacy: str | None, kind: str | None, info: dict
) -> tuple[SheetPlan, int | None]:
    """The table whose header is the first at or below grid row ``start`` of a sheet, and where the next
    table of the sheet starts (a header naming other columns below its rows), if there is one."""
    raw, head = _grid_head(sheet.grid.slice(start), legacy)
    header = layout.find_header(head, raw, kind, _as_words(path.stem))
    titles = [" ".join(str(c) for c in row if c) for row in head[: header.row]]
    header.row += start
    info.setdefault("kind", header.kind)
    info.setdefault("legacy", legacy)
    if header.kind == "hr":
        # the date the list is as of, then the file's, its folder's or its sheet's ("31.12.2022"), then a period
        # the title names ("tháng 6/2023", "Quý IV/2022", "năm 2022"), then the date of a document the list came
        # with, then the file's or the sheet's period
        info["reporting_date"] = (
            info.get("reporting_date")
            or values.reporting_date(titles, path.name, documents=False)
            or values.reporting_date([], _folders(path))
            or values.reporting_date([], sheet.name)
            or values.period_end(titles)
            or values.reporting_date(titles, "")
            or values.period_end([_as_words(path.stem), _as_words(sheet.name)])
        )
        info.setdefault("title_lines", []).extend(titles)
        if _after_reform(info) and any(vocab.communes_named(t, vocab.REFORMED) for t in [*titles, path.stem]):
            info["district_code"] = info.get("district_code") or vocab.REFORMED  # "UBND PHƯỜNG HẠ LONG", 9/2025
        within = _provinces_named(info["title_lines"], path)
        info["district_code"] = info.get("district_code") or _one_district(titles, within)
    class_code = None  # each sheet's own (a class a sheet): its title's, else the sheet's name's
    if header.kind == "roster":
        class_code = _class_code(titles) or (_sheet_class_code(sheet.name) if sheet.name != path.stem else None)
    if header.kind == "survey" and not info.get("district_code"):  # "PHIẾU KHẢO SÁT ... HUYỆN BA CHẼ": its communes
        within = _provinces_named(titles, path)
        info["district_code"] = _one_district(titles, within)
    if header.kind == "classes":  # whose list: a province's school names its province
        named = _provinces_named(titles, path)
        info.setdefault("issuer", min(named) if len(named) == 1 else units.HOME)
    rows = sheet.grid.slice(header.data_start).with_row_index("source_row", offset=header.data_start + 1)
    for i in sorted(header.unnamed):  # no header and nothing in any row: a form's border, no column
        if f"column_{i}" not in rows.columns or rows.get_column(f"column_{i}").null_count() == rows.height:
            del header.extras[i]
    following = None
    for k in layout.header_rows_below(rows, header.kind, legacy):
        try:
            other = layout.find_header(*reversed(_grid_head(sheet.grid.slice(k), legacy)), header.kind)
        except FileRejected:
            continue
        if other.row <= 1 and other.columns != header.columns:  # the same columns again: a repeated header
            rows, following = rows.filter(pl.col("source_row") <= k), k
            break
    hidden = None  # rows hidden by hand, or filtered out: what the sender sees is the list
    if sheet.hidden_rows:
        shut = pl.col("source_row").is_in([r + 1 for r in sheet.hidden_rows])
        hidden = rows.filter(shut & pl.any_horizontal(pl.col(c).is_not_null() for c in rows.columns[1:]))
        rows = rows.filter(~shut)
    ctx = Context(kind=header.kind, sheet=sheet.name, legacy=legacy, class_code=class_code)
    if header.kind == "classes":
        ctx.year = values.plan_year(titles, [sheet.name, _as_words(path.stem)])
    if header.kind == "roster":
        ctx.completed = vocab.listed_as_completed(titles)
        ctx.province = _roster_province(titles, path)
    plan = SheetPlan(rows, header, ctx, filled=sheet.filled)
    _second_value_beside(plan)
    if header.kind == "hr":
        _phones_aside(plan)
    for name in DATE_ROLES:  # "3/15/1980": a column of dates written month first, read so throughout
        if name in header.names and (order := values.date_order(_raw_cells(plan, name).to_list())):
            ctx.date_orders[name] = order
            info["warnings"].append(f"dates_{order}: {sheet.name} {header.found.get(name, name)}")
    if header.kind == "roster" and not class_code:
        plan.class_named = _class_named(titles)  # a district's class, named, not coded
    if header.kind == "roster" and "class_code" not in header.names:  # a sheet of one class: its title's facts
        ctx.class_name, ctx.class_start, ctx.class_end = _class_facts([t for t in titles if t])
        ctx.after_reform = (ctx.class_start or "") >= vocab.REFORM_DATE.isoformat()
    if header.kind == "survey" and "submitted_at" in header.names:  # answers sent after the reform, most of them
        sent = [values.parse_date(c.split()[0] if c.strip() else c)[0] for c in _raw_cells(plan, "submitted_at")]
        ctx.after_reform = 2 * sum(d is not None and d >= vocab.REFORM_DATE for d in sent) > len(sent) > 0
    if header.kind == "hr":
        plan.as_of = (
            values.reporting_date(titles, "", documents=False)
            or values.reporting_date([], sheet.name)
            or values.period_end(titles)
        )
        _place(plan, [" ".join(str(c) for c in row if c) for row in raw[: header.row - start]], titles, info)
        plan.rows = layout.fold_posts(plan.rows, header)
    else:  # a roster's or a plan's headings ("I. HUYỆN TIÊN YÊN") and its signature block are nobody's rows
        found = layout.rows_of(plan.rows, header, legacy, None)
        plan.rows = layout.annotate(plan.rows, layout.Layout(found.marks, {}, classes=found.classes))
        plan.rows = layout.ditto(plan.rows, header)
        if header.kind == "roster" and found.classes and "class_code" not in header.names:
            _headed_classes(plan)
        if header.kind == "roster" and "commune" not in header.names:
            _class_commune(plan, [" ".join(str(c) for c in row if c) for row in raw[: header.row - start]], titles)
        if header.kind in ("roster", "survey") and "title" not in header.names and "commune" in header.names:
            units_ = _column_cells(plan, "commune")  # the post written into the unit: when most units give one
            if units_ and 2 * sum(vocab.read_title(u).code is not None for u in units_) >= len(units_):
                header.title_from = "commune"
                header.implied.add("title")
    plan.rows = _titles_repeated(plan.rows, titles, legacy)
    ctx.unit_column = any(n == "commune" and p is None for n, p in header.columns.values())
    if hidden is not None and hidden.height:  # kept, as skipped rows, after the shown ones have been laid out
        marked = hidden.with_columns(pl.lit("hidden_row").alias("_layout"))
        plan.rows = pl.concat([plan.rows, marked], how="diagonal_relaxed").sort("source_row")
        at = hidden.get_column("source_row").to_list()
        info["warnings"].append(
            f"sheet {sheet.name!r}: {len(at)} hidden rows not read (rows {', '.join(map(str, at[:10]))}"
            + (", ...)" if len(at) > 10 else ")")
        )
    return plan, following


def _titles_repeated(rows: pl.DataFrame, titles: list[str], legacy: str | None) -> pl.DataFrame:
    """A title line printed again under the table (each printed page repeats the sheet's title block above its
    repeated header): a ``header_repeat``, as the header it heads is, never a person."""
    lines = [t for t in titles if t]
    cells = [c for c in rows.columns if c.startswith("column_")]
    if not lines or not cells or "_layout" not in rows.columns:
        return rows
    # a title row is sparse: only such rows are joined and normalised, not every person's
    sparse = rows.filter(pl.col("_layout").is_null() & (pl.sum_horizontal(pl.col(c).is_not_null() for c in cells) <= 3))
    joined = normalise_series(sparse.select(pl.concat_str(cells, separator=" ", ignore_nulls=True)).to_series(), legacy)
    again = sparse.filter(pl.lit(joined).is_in(lines)).get_column("source_row")
    if not again.len():
        return rows
    repeat = pl.col("source_row").is_in(again.implode())
    return rows.with_columns(pl.when(repeat).then(pl.lit("header_repeat")).otherwise("_layout").alias("_layout"))


def plan_file(path: Path, kind: str | None = None) -> Plan:
    """Read a file and lay out each sheet (header, kind, commune headings, footer) and the file's district
    and reporting date, or refuse it. A sheet that is not a list (a cover, a summary table) beside one that is
    is skipped with a warning."""
    plans, info, refused = [], {"sheets": [], "warnings": []}, []
    sheets = [part for sheet in readers.read(path) for part in _side_by_side(sheet)]
    hidden = {s.name for s in sheets if s.hidden}
    for sheet in [s for s in sheets if not s.hidden] + [s for s in sheets if s.hidden]:
        if sheet.hidden:  # a lookup list, last period's copy: what the sender sees is the list, unless none is
            shown = any(p.ctx.sheet not in hidden for p in plans)
            said = "skipped: hidden in the workbook" if shown else "read: hidden, but no other sheet is a list"
            info["warnings"].append(f"sheet {sheet.name!r} {said}")
            if shown:
                continue
        legacy = detect_legacy([c for row in sheet.grid.head(300).rows() for c in row if c], sheet.fonts)
        start: int | None = 0
        record = False  # the sheet was read again as one person's record
        as_read, split = sheet, False  # ... or as CSV lines in one column (tried once)
        while start is not None:  # a sheet may hold several tables, one under the other ("I. CÁN BỘ", "II. ...")
            try:
                plan, start = _plan_table(path, sheet, start, legacy, kind or info.get("kind"), info)
            except FileRejected as exc:
                if exc.code == "no_header" and start == 0 and not split and (lines := _as_delimited(sheet)):
                    sheet, split = lines, True  # CSV text pasted into one column, read as its fields
                    continue
                sheet = as_read if split and not record else sheet  # ... not a table either: as read, for a record
                if exc.code == "no_header" and start == 0 and not record and (form := _as_form(sheet, legacy)):
                    # one person's record, read again as a table of one row of text already normalised
                    sheet, legacy, record = form, None, True
                    continue
                refused.append((sheet.name, exc))
                break
            above = plans[-1] if plans and plans[-1].ctx.sheet == sheet.name else None
            if above and above.commune_text and "commune" not in plan.header.names:  # the sheet's one commune
                plan.commune_text = above.commune_text
                plan.header.implied.add("commune")
            plans.append(plan)
            if sheet.name not in info["sheets"]:
                info["sheets"].append(sheet.name)
    if not plans and not refused:  # a workbook whose sheet list is empty or damaged
        raise FileRejected("no_sheet", "the workbook lists no sheet that can be read")
    if not plans:
        name, exc = next((r for r in refused if r[1].code != "no_header"), refused[0])
        raise FileRejected(exc.code, f"sheet {name!r}: {exc.message}" if len(sheets) > 1 else exc.message)
    info["warnings"] += [f"sheet {n!r} skipped: {e.message}" for n, e in refused if e.code != "no_header"]
    kind = info["kind"]
    if kind == "hr":
        plans = _sheets_within_others(_latest_lists(plans, info), info)
    if kind == "hr":
        texts = [*info["title_lines"], _as_words(path.stem), _folders(path)]
        within = units.provinces_named(texts, _folder_names(path))
        titled = info.get("district_code")
        # a list after the reform whose units are the new ones, even where its title names the district they were
        # in ("khu vực huyện Đầm Hà cũ"): the districts were abolished, so were the old communes
        if _after_reform(info) and (not titled or _home(titled)) and _names_new_units(plans):
            info["district_code"] = vocab.REFORMED
        named = info.get("district_code")
        # a province named decides; else the IDs' province only breaks what the names leave open
        for scope in [within] if within else [within, _province_of_ids(plans)]:
            info["district_code"] = (
                info.get("district_code")
                or _district_from_communes(plans, scope)
                or _one_district(texts[-2:], scope)  # the file's name, then its folders
            )
        if (
            not named
            and info["district_code"] != vocab.REFORMED
            and len(several := _districts_listed(plans, within)) > 1
        ):
            raise FileRejected(
                "several_districts",
                f"the list holds the communes of several districts ({units.describe(several)}): a list is one "
                "district's (its batch replaces that district's earlier list); send each district's list as a file "
                "of its own, or name the district in the title rows if the others' communes are there by mistake",
            )
        for s in plans:
            if "commune" not in s.header.names:
                raise FileRejected(
                    "missing_columns",
                    f"sheet {s.ctx.sheet!r}: hr file lacks a commune: no commune column, no commune headings "
                    f"between its rows and no commune named above its header",
                )
    if kind == "hr" and (said := _changes_only(info["title_lines"], plans)):
        raise FileRejected(
            "changes_list",
            f"the list holds the changes of a period ({said!r}), not everyone holding a post as of a date: loaded, it "
            "would replace the district's whole list of that date. Send the whole list as of the date (the changes "
            "in a note column: 'Nghỉ hưu từ 01/8/2024')",
        )
    if kind == "hr" and info.get("reporting_date") is None and (signed := _signed_on(plans)):
        info["reporting_date"] = signed  # nothing else dates the list: the day it was signed, said in a warning
        info["warnings"].append(f"reporting_date_from_signature: {signed.isoformat()}")
    if kind == "hr" and info.get("reporting_date") is None:
        raise FileRejected(
            "no_reporting_date",
            "no reporting date in the title rows, the file name or its folders: write it above the table "
            "('tính đến ngày 31/12/2023'), in the file's name ('..._31-12-2023.xlsx') or put the file in a "
            "folder named after it ('hr/2023-12-31/'), then ingest it again",
        )
    if kind == "hr" and not (_EARLIEST <= (on := info["reporting_date"]) <= date.today() + timedelta(days=62)):
        when = "before any list this warehouse keeps" if on < _EARLIEST else "after the day it is delivered"
        raise FileRejected(
            "implausible_reporting_date",
            f"the list is dated {on:%d/%m/%Y}, {when}: a slip of the year? Write the date the list is as of above "
            "the table ('tính đến ngày 31/12/2024') or in the file's name, then ingest it again",
        )
    if kind == "hr" and info.get("district_code") is None:
        named = set().union(*(units.districts_named(t, within) for t in texts))
        if len(named) > 1:
            raise FileRejected(
                "ambiguous_district",
                f"the district named could be any of {units.describe(named)}: name the province in the title rows "
                '("UBND TỈNH ...") or the file\'s folder, or list the communes',
            )
        raise FileRejected(
            "no_district",
            "the district is neither named in the title rows nor clear from the communes, the file name or its folders",
        )
    names = sorted({name for s in plans for name in s.header.names})
    if kind == "hr" and not set(names) & set(vocab.LEVELS):
        info["warnings"].append("no_qualification_columns")
    if kind == "roster":
        _class_codes(plans, names, info, path.stem)
        plans = _results_over_lists(plans, info)
    for s in plans:
        s.ctx.reporting_date, s.ctx.district_code = info.get("reporting_date"), info.get("district_code")
    return Plan(kind, info, plans, names)


def _class_codes(plans: list[SheetPlan], names: list[str], info: dict, stem: str) -> None:
    """Each roster sheet's class: the code its own title writes (a workbook of a year's classes, a sheet each),
    else the code of the sheet before it (a sheet without a title continues that one's list; the first sheets,
    the first code written); where no sheet writes one, the code the file's name gives ("DS hoc vien lop
    BD-CT-2024-07.xlsx"), and only then the code made of the class's name.
    ``info["class_code"]``: the file's one class, None when it has several."""
    coded = list(dict.fromkeys(s.ctx.class_code for s in plans if s.ctx.class_code))
    if not coded and "class_code" not in names and (code := _file_class_code(stem)):
        for s in plans:
            s.ctx.class_code = code
        coded = [code]
        info["warnings"].append(f"class_code_from_file_name: {code}")
    if (
        not coded
        and "class_code" not in names
        and (named := list(dict.fromkeys(s.class_named for s in plans if s.class_named)))
    ):
        for s in plans:
            s.ctx.class_code = s.class_named
        coded = named
        info["warnings"] += [f"class_code_from_title: {n}" for n in named]
    if "class_code" not in names and not coded:
        raise FileRejected(
            "no_class_code",
            "a roster without a class code (no 'Mã lớp' column, no class heading over its rows, no code in its titles "
            "— a title of several classes, 'CÁC LỚP', names none —, its sheet's name or file name)",
        )
    last, before = (coded[0] if coded else None), None
    for s in plans:
        s.ctx.class_code = last = s.ctx.class_code or last
        if last and s.ctx.class_name:  # the code at the end of its name ("Lớp trung cấp ... TCCT-K21"): no part of it
            s.ctx.class_name = re.sub(rf"(?i)\s+{re.escape(last)}\s*$", "", s.ctx.class_name) or s.ctx.class_name
        facts = ("class_name", "class_start", "class_end")
        for f in facts if before and before.ctx.class_code == last else ():  # ... the class's name and days too
            setattr(s.ctx, f, getattr(s.ctx, f) or getattr(before.ctx, f))
        before = s
    info["class_code"] = coded[0] if len(coded) == 1 else None  # several: the batch key lists them all


VERDICTS = {"result", "grade", "score"}


def _results_over_lists(plans: list[SheetPlan], info: dict) -> list[SheetPlan]:
    """A class's list of students beside its results, a sheet each ("DS hoc vien", "Ket qua"): the list is
    skipped with a warning where every student it names is on a results sheet of the class, so that each
    student counts once, with the results; where some are not, only the rows of those who are are skipped
    (``listed_with_results``), and the others load from the list, with no verdict."""
    kept = list(plans)
    for sheet in plans:
        if VERDICTS & set(sheet.header.names) or "class_code" in sheet.header.names:
            continue
        results = [o for o in plans if o.ctx.class_code == sheet.ctx.class_code and VERDICTS & set(o.header.names)]
        listed = {fold(n) for n in _raw_cells(sheet, "full_name").to_list()}
        with_results = {fold(n) for o in results for n in _raw_cells(o, "full_name").to_list()}
        if results and listed and listed <= with_results:
            kept = [k for k in kept if k is not sheet]
            info["sheets"].remove(sheet.ctx.sheet)
            info["warnings"].append(
                f"sheet {sheet.ctx.sheet!r} skipped: the list of class {sheet.ctx.class_code}'s students, each of "
                f"them on sheet {results[0].ctx.sheet!r} with their results"
            )
        elif results and listed & with_results and len(column := sheet.header.sources("full_name")) == 1:
            # some students on the list only (no result given them): those load from it, the others with their results
            cells = normalise_series(sheet.rows.get_column(f"column_{column[0][0]}").cast(pl.String), sheet.ctx.legacy)
            on_results = pl.col("_layout").is_null() & pl.lit(fold_series(cells).is_in(sorted(with_results)))
            mark = pl.when(on_results).then(pl.lit("listed_with_results")).otherwise(pl.col("_layout"))
            sheet.rows = sheet.rows.with_columns(mark.alias("_layout"))
            info["warnings"].append(
                f"sheet {sheet.ctx.sheet!r}: the students of class {sheet.ctx.class_code} also on sheet "
                f"{results[0].ctx.sheet!r} are read there, with their results; the others from this list"
            )
    return kept


def _sheets_within_others(plans: list[SheetPlan], info: dict) -> list[SheetPlan]:
    """A workbook's summary sheet of everyone beside a sheet per commune ("Tổng hợp" | "Đồng Tâm" | "Húc Động"),
    or a sheet copied: a sheet whose every person (by name and birth year) another sheet lists too is skipped with a
    warning, so that each person counts once (two sheets alike: the later one)."""
    people = [_people_listed(s) for s in plans]
    skipped: set[int] = set()
    for k, sheet in enumerate(plans):
        within = (
            o
            for o in range(len(plans))
            if o != k and o not in skipped and people[k] <= people[o] and (people[k] < people[o] or o < k)
        )
        if len(people[k]) >= 2 and (other := next(within, None)) is not None:
            skipped.add(k)
            info["sheets"].remove(sheet.ctx.sheet)
            info["warnings"].append(
                f"sheet {sheet.ctx.sheet!r} skipped: each person it lists is on sheet {plans[other].ctx.sheet!r}"
            )
    return [s for k, s in enumerate(plans) if k not in skipped]


def _people_listed(sheet: SheetPlan) -> set[tuple[str, str]]:
    """(folded name, birth year, else the birth cell as written) of each person a sheet lists, in its people's rows:
    a summary may write "12/03/1975" where a commune's sheet writes "1975"."""
    rows = sheet.rows.filter(pl.col("_layout").is_null()) if "_layout" in sheet.rows.columns else sheet.rows
    name = next((i for i, p in sheet.header.sources("full_name") if p in (None, "with_dob")), None)
    birth = next((i for i, p in sheet.header.sources("dob") if p is None), None)
    if name is None or f"column_{name}" not in rows.columns:
        return set()
    names = normalise_series(rows.get_column(f"column_{name}").cast(pl.String), sheet.ctx.legacy).to_list()
    births = rows.get_column(f"column_{birth}").cast(pl.String).to_list() if birth is not None else [None] * len(names)
    return {(fold(n), _birth_year(b)) for n, b in zip(names, births, strict=True) if n}


def _birth_year(cell: str | None) -> str:
    """The year a birth cell gives ("12/03/1975", "1975", the serial number of a date cell, 27465), else the cell."""
    if m := re.search(r"(?<!\d)(?:19|20)\d\d(?!\d)", text := str(cell or "")):
        return m[0]
    day = values.parse_date(text, "dob")[0] if text else None
    return str(day.year) if day else text


# a list of changes, in its words as written ("Điện Biên Đông", a district, folds to the same letters), or typed
# without marks after the words of a list
_EARLIEST = date(2000, 1, 1)  # no commune list of this warehouse is older; a later date than ~2 months ahead, a slip
_CHANGES = re.compile(
    r"\b(?:biến động|tăng,? giảm|tăng và giảm)\b"
    # ... or a list of those who came or left only ("DANH SÁCH CÁN BỘ NGHỈ HƯU NĂM 2024", "... TUYỂN DỤNG MỚI")
    r"|\bdanh sách\b.*\b(?:nghỉ hưu|thôi việc|nghỉ việc|tăng mới|tuyển dụng mới|bổ nhiệm mới)\b"
)
_CHANGES_BARE = re.compile(
    r"\b(?:danh sach|bao cao)\b.*\b(?:bien dong|tang giam|tang va giam|nghi huu|thoi viec|nghi viec|tang moi"
    r"|tuyen dung moi|bo nhiem moi)\b"
)


def _changes_only(titles: list[str], plans: list[SheetPlan]) -> str | None:
    """What says an HR file lists only a period's changes: a title line ("DANH SÁCH BIẾN ĐỘNG CÁN BỘ QUÝ III", "BÁO CÁO
    TĂNG, GIẢM"; not a count of them, "số lượng, chất lượng và biến động"), or columns "Tăng" | "Giảm" with every
    person marked under one of them."""
    for line in titles:
        bare = fold(line)
        typed_bare = bare == (normalise(line) or "").lower() and "dien bien dong" not in bare
        changes = _CHANGES.search((normalise(line) or "").lower()) or (typed_bare and _CHANGES_BARE.search(bare))
        if changes and "so luong" not in bare:
            return line.strip()
    for sheet in plans:  # each person marked under "Tăng" or "Giảm" (a whole list marks only its changes so)
        marks = [f"column_{i}" for i, label in sheet.header.extras.items() if fold(label) in ("tang", "giam")]
        rows = sheet.rows.filter(pl.col("_layout").is_null()) if "_layout" in sheet.rows.columns else sheet.rows
        name = next((f"column_{i}" for i, _ in sheet.header.sources("full_name")), None)
        if len(marks) == 2 and name in rows.columns and all(c in rows.columns for c in marks):
            people = rows.filter(pl.col(name).is_not_null())
            if people.height and people.filter(pl.all_horizontal(pl.col(c).is_null() for c in marks)).is_empty():
                return "Tăng | Giảm"
    return None


def _latest_lists(plans: list[SheetPlan], info: dict) -> list[SheetPlan]:
    """The sheets of the latest date a workbook's sheets give of themselves ("T6-2024" beside "T12-2024", each
    titled with its date): an earlier list is superseded by the later one, and is skipped with a warning
    rather than counted again under the later date."""
    dated = {s.as_of for s in plans if s.as_of}
    if len(dated) < 2:
        return plans
    latest = max(dated)
    info["reporting_date"] = latest
    kept = [s for s in plans if not s.as_of or s.as_of == latest]
    for name in dict.fromkeys(s.ctx.sheet for s in plans if s.as_of and s.as_of < latest):
        as_of = next(s.as_of for s in plans if s.ctx.sheet == name)
        info["warnings"].append(
            f"sheet {name!r} skipped: a list as of {as_of:%d/%m/%Y}, older than sheet "
            f"{next(s.ctx.sheet for s in kept if s.as_of == latest)!r} as of {latest:%d/%m/%Y}; "
            "send it as a file of its own to load that date"
        )
        if all(s.ctx.sheet != name for s in kept):
            info["sheets"].remove(name)
    return kept


def _place(plan: SheetPlan, raw_titles: list[str], titles: list[str], info: dict) -> None:
    """Where an HR sheet's people are: commune headings among its rows (and the signature block under
    them), else the one commune its title rows name when it has no commune column, or its sheet's name, or
    the posts ("Chủ tịch UBND xã Quảng Lâm")."""
    header = plan.header
    found = layout.rows_of(plan.rows, header, plan.ctx.legacy, info.get("district_code"))
    plan.rows = layout.fold_continuations(layout.annotate(plan.rows, found), header, plan.filled)
    plan.rows = layout.ditto(plan.rows, header)
    plan.communes = found.communes
    if found.groups:
        header.implied.add("commune")
    _organisation_column(plan, info.get("district_code"))
    if plan.ctx.organisation is None and "_body" not in plan.rows.columns and _names_one_organisation(plan.ctx.sheet):
        plan.rows = plan.rows.with_columns(pl.lit(plan.ctx.sheet).alias("_body"))  # a sheet per body: "HĐND", "UBND"
    if plan.ctx.organisation is None and "_body" in plan.rows.columns:  # people headed by their organisation
        plan.ctx.organisation = f"extra__{layout.BODY}"
    _district_column_aside(plan, info.get("district_code"))
    if any(n == "commune" for n, _ in header.columns.values()):
        for i, part in header.sources("commune"):
            if part is None:  # written once for the rows of its commune: carried down over the blanks
                plan.rows = layout.carry_down(plan.rows, i)
        return
    district = info.get("district_code")
    if not found.groups and (i := _unit_column_unnamed(plan, district)) is not None:
        header.found["commune"] = header.extras.pop(i)
        header.unnamed.discard(i)
        header.columns[i] = ("commune", None)
        plan.rows = layout.carry_down(plan.rows, i)
        return
    for raw_title, title in zip(raw_titles, titles, strict=True):
        if len(vocab.communes_named(title, district)) == 1:  # under commune headings: the rows above the first
            plan.commune_text = raw_title
            header.implied.add("commune")
            return
    if found.groups:
        return
    # one sheet per commune, named after it ("Quang Duc", "Xa Quang Son", "TT.TienYen"); a sheet named after a
    # district ("Tien Yen") names no commune, unless a commune's kind comes first ("TT.TienYen": Thị trấn Tiên Yên)
    named = _as_words(plan.ctx.sheet)
    home = reference.project_var("province")["code"]
    code = vocab.map_commune(named, district, None if district else home)[0]
    of_commune = vocab.split_unit(named)[0] in ("xa", "phuong", "thi tran")
    if (of_commune or not units.districts_named(named, set())) and (
        code or len(vocab.communes_named(named, district)) == 1
    ):
        plan.commune_text = named
        header.implied.add("commune")
        return
    # the unit written into the post ("Chủ tịch UBND xã Quảng Lâm"): when most posts name one commune
    posts = _column_cells(plan, "title")
    naming = sum(len(vocab.communes_named(post, district)) == 1 for post in posts)
    if posts and 2 * naming >= len(posts):
        header.commune_from = "title"
        header.implied.add("commune")


def _district_column_aside(plan: SheetPlan, district: str | None) -> None:
    """A unit column that names only the district ("Huyện Tiên Yên" on every row): no commune's, kept aside, so that
    the commune is read where else the list gives it (the posts: "Chủ tịch UBND xã Hải Lạng")."""
    at = _one_column(plan.header, "commune")
    cells = _column_cells(plan, "commune")
    if (
        at is None
        or not cells
        or any(
            vocab.map_commune(c, district)[0] or vocab.communes_named(c, district) or not units.district_in_cell(c)
            for c in set(cells)
        )
    ):
        return
    _set_aside(plan.header, at, "commune")


def _one_column(header: Header, role: str) -> int | None:
    """The one column read plainly as ``role`` (no part of a composed value), if one."""
    at = [i for i, (n, part) in header.columns.items() if n == role and part is None]
    return at[0] if len(at) == 1 else None


def _set_aside(header: Header, at: int, role: str) -> None:
    """Column ``at``, read as ``role``, kept aside instead: an extra under its header."""
    header.extras[at] = header.found.pop(role, f"Cột {at + 1}")
    del header.columns[at]


# how a degree was studied, no field of it ("Tại chức", "Chính quy"), folded
_STUDY_MODE = re.compile(
    r"^(?:he )?(?:chinh quy|tai chuc|(?:dao tao )?tu xa|lien thong|van bang 2|vb2|vua lam vua hoc)$"
)


def _a_field(cell: str) -> bool:
    """A field of study is words: no level ("Đại học"), no number, no mode of study ("Tại chức")."""
    return not (vocab.read_level("prof_level", cell).code or _STUDY_MODE.match(fold(cell)) or re.search(r"\d", cell))


def _second_value_beside(plan: SheetPlan) -> None:
    """A header merged over two columns, the one beside it with no header of its own: "Họ tên, năm sinh" over the
    name and the birth date, "Họ và tên, chức vụ" over the name and the post, "Chức vụ" over two posts held,
    "Trình độ chuyên môn" over the level and its field. Read so where most of that column's cells are what the
    header names (dates, posts; a field of study: words that are no level)."""
    header = plan.header
    for i, (name, part) in list(header.columns.items()):
        if i + 1 not in header.unnamed or (name == "full_name" and part not in layout.WITH_PARTS):
            continue
        if name == "full_name":
            other = layout.WITH_PARTS[part]
        elif name in ("title", "prof_level") and part is None:
            other = "title" if name == "title" else "prof_field"
        else:
            continue
        cells = plan.rows.get_column(f"column_{i + 1}", default=None)
        cells = cells.drop_nulls().cast(pl.String).to_list() if cells is not None else []
        if other == "dob":
            fits = [values.parse_date(c)[0] is not None for c in cells]
        elif other == "title":
            fits = [vocab.read_title(c).code is not None for c in cells]
        else:  # "Luật", "Quản lý kinh tế"
            fits = [_a_field(c) for c in cells]
        if not cells or 2 * sum(fits) < len(cells) or (other == "prof_field" and other in header.names):
            continue
        if name == "full_name":
            header.columns[i] = ("full_name", None)
        header.columns[i + 1] = (other, None)
        header.extras.pop(i + 1, None)
        header.unnamed.discard(i + 1)
        header.found.setdefault(other, header.found[name])


_PHONE = re.compile(r"^\+?[\d\s.\-()]{9,}$")


def _phones_aside(plan: SheetPlan) -> None:
    """An ethnicity column whose cells are mostly phone numbers ("DT" typed for "ĐT", điện thoại) is kept aside
    as an extra under its header, and a column kept aside whose header names the ethnicity ("Dan toc") read."""
    header = plan.header
    at = _one_column(header, "ethnicity")
    cells = _raw_cells(plan, "ethnicity").to_list()
    phones = sum(bool(_PHONE.match(c.strip())) and sum(ch.isdigit() for ch in c) >= 9 for c in cells)
    if at is None or not cells or 2 * phones < len(cells):
        return
    _set_aside(header, at, "ethnicity")
    for i, label in list(header.extras.items()):
        if vocab.header_name(label, "hr") == "ethnicity":
            header.found["ethnicity"] = header.extras.pop(i)
            header.columns[i] = ("ethnicity", None)
            return


def _unit_column_unnamed(plan: SheetPlan, district: str | None) -> int | None:
    """A column with no header whose every cell beside a person names one commune of the district (the commune's
    name merged down beside its people's rows, "Đơn vị" never written above it), if the sheet has one."""
    people = plan.rows.filter(pl.col("_layout").is_null()) if "_layout" in plan.rows.columns else plan.rows
    for i in sorted(plan.header.unnamed):
        column = f"column_{i}"
        if column not in people.columns or people.schema[column] != pl.String:
            continue
        cells = set(normalise_series(people.get_column(column), plan.ctx.legacy).drop_nulls().to_list())
        if cells and all(vocab.map_commune(c, district)[0] for c in cells):
            return i
    return None


def _class_commune(plan: SheetPlan, raw_titles: list[str], titles: list[str]) -> None:
    """A roster without a unit column whose title rows name the one commune its students are of ("DANH SÁCH HỌC
    VIÊN LỚP BỒI DƯỠNG CÁN BỘ, CÔNG CHỨC XÃ ĐỒNG RUI"): that commune, in the one district they name ("TRUNG TÂM
    CHÍNH TRỊ HUYỆN TIÊN YÊN") or the roster's province. Where the class was held ("tổ chức tại xã ...") is not
    whose its students are."""
    districts = {d for t in titles for d in units.districts_named(t)}
    district = districts.pop() if len(districts) == 1 else None
    province = plan.ctx.province
    for raw_title, title in zip(raw_titles, titles, strict=True):
        if re.search(r"\b(tai|dia diem|dia ban)\b", fold(title)):
            continue
        named = vocab.communes_named(title, district)
        if province and not district:
            named = vocab.communes_in_province(named, province)
        if len(named) == 1:
            plan.commune_text = raw_title
            plan.ctx.district_code = district or vocab.commune_district().get(next(iter(named)))
            plan.header.implied.add("commune")
            return


def _names_one_organisation(name: str) -> bool:
    """A sheet named after one body of a commune ("HĐND", "UBND", "Đảng ủy", "MTTQ"): a bare "Chủ tịch" on it is
    that body's. Two bodies ("HĐND-UBND", "HĐND và UBND") name none."""
    return vocab.names_organisation(name) and not re.search(r"[-–,&/+]|\bv[àa]\b", name, re.IGNORECASE)


def _organisation_column(plan: SheetPlan, district: str | None) -> None:
    """A unit column that names no commune but the organisations of one ("Đảng ủy", "HĐND", "UBND", "MTTQ":
    a commune's own list) is kept as an extra that completes the posts ("Chủ tịch" beside "HĐND"); the commune
    is then the one a unit column beside it names ("Cơ quan" | "Xã"), else the title rows or the sheet name."""
    header = plan.header
    at = next((i for i, (n, p) in header.columns.items() if n == "commune" and p is None), None)
    cells = _column_cells(plan, "commune") if at is not None else []
    # (in the district, where known: "ĐU" for "Đảng ủy" is also a Thị trấn Đu of Thái Nguyên)
    if not cells or any(vocab.communes_named(c, district) or vocab.map_commune(c, district)[0] for c in cells):
        return
    if 2 * sum(vocab.names_organisation(c) for c in cells) < len(cells):
        return
    label = header.found.get("commune") or "Đơn vị"
    del header.columns[at]
    header.found.pop("commune", None)
    header.extras[at] = label if label not in header.extras.values() else f"{label} ({at})"
    plan.ctx.organisation = f"extra__{header.extras[at]}"
    for i, extra in sorted(header.extras.items()):  # a unit column beside it, kept as a second one ("Cơ quan" | "Xã")
        if i != at and vocab.header_name(extra, header.kind) == "commune":
            header.columns[i] = ("commune", None)
            header.found["commune"] = extra
            del header.extras[i]
            break


def _prepare(rows: pl.DataFrame, sheet: SheetPlan, plan: Plan) -> pl.DataFrame:
    """Compose, normalise, classify, type and key some rows of a sheet."""
    records = layout.records(rows, sheet.header, sheet.ctx.sheet, sheet.commune_text)
    frame, names = body(records, sheet.ctx)
    frame = classify(frame, names, sheet.header.found.get("full_name"))
    return row_keys(parse_values(frame, names, sheet.ctx), plan.names)


def _slices(height: int, size: int, first: int):
    """(offset, length) of a sheet's chunks; an empty sheet still gives its one (empty) chunk."""
    offset = 0
    while offset < height or offset == 0:
        length = first if offset == 0 else size
        yield offset, length
        offset += length


def process(plan: Plan):
    """The file's rows in chunks: what to load, what to quarantine (duplicates not yet known). The file's
    first chunk is short, so that the first COPY starts sooner."""
    wanted = checks.columns(plan.kind)
    size = CHUNK_ROWS
    first = min(FIRST_CHUNK_ROWS, size)
    keep = plan.rows_under_header <= KEPT_ROWS
    for index, sheet in enumerate(plan.sheets):
        for offset, length in _slices(sheet.rows.height, size, first):
            first = size
            frame = _prepare(sheet.rows.slice(offset, length), sheet, plan)
            outcome = split(frame, SELECT[plan.kind](frame, sheet.ctx))
            loaded = outcome.loaded
            yield Chunk(
                loaded,
                outcome.quarantined,
                frame.filter(pl.col("skip").is_null()).select(*KEY, "_sig", "_person"),
                loaded.select(*KEY, *wanted) if wanted else loaded,
                outcome.skipped,
                frame.filter(pl.col("skip").is_not_null()).select(*KEY, "skip"),
                frame if keep else None,
                index,
            )


KEPT_ROWS = 20_000  # a file of at most these rows keeps its typed rows until settle (the most files; a few MB)


def settle(plan: Plan, chunks: list[Chunk]) -> tuple[pl.DataFrame, pl.DataFrame | None]:
    """Once the whole file is seen: the rows to take back (repeats and conflicts, wherever they went) and
    their quarantine rows with every reason (from the rows the chunks kept typed, else read again)."""
    marked = flags(pl.concat([c.keys for c in chunks]))
    parts = []
    kept = all(c.prepared is not None for c in chunks)
    for index, sheet in enumerate(plan.sheets) if marked.height else ():
        mine = marked.filter(pl.col("source_sheet") == sheet.ctx.sheet).drop("source_sheet", "_sig", "_person")
        if kept and mine.height:
            typed = pl.concat([c.prepared for c in chunks if c.sheet == index], how="diagonal_relaxed")
            frame = typed.join(mine, on="source_row", how="inner", maintain_order="left")
            parts.append(split(frame, []).quarantined)
            continue
        for offset in range(0, mine.height, CHUNK_ROWS):
            part = mine.slice(offset, CHUNK_ROWS)
            rows = sheet.rows.join(part.select(pl.col("source_row").cast(pl.UInt32)), on="source_row", how="semi")
            frame = _prepare(rows, sheet, plan).join(part, on="source_row", how="left")
            parts.append(split(frame, []).quarantined)
    return marked.select(KEY), (pl.concat(parts) if parts else None)


def parse_file(path: Path, kind: str | None = None) -> dict:
    """The whole file in memory, as :func:`ingest_file` would load it (for tests and small files)."""
    plan = plan_file(path, kind)
    chunks = list(process(plan))
    flagged, settled = settle(plan, chunks)
    loaded = pl.concat([c.loaded for c in chunks], how="vertical_relaxed").join(flagged, on=KEY, how="anti")
    quarantined = pl.concat(
        [c.quarantined.join(flagged, on=KEY, how="anti") for c in chunks] + ([settled] if settled is not None else [])
    )
    skipped = sum((c.skipped for c in chunks), Counter())
    return {
        **plan.info,
        "district_code": _district(plan.info),  # as the ledger records it
        "units": plan.info.get("district_code") if plan.info.get("district_code") == vocab.REFORMED else None,
        "kind": plan.kind,
        "loaded": loaded,
        "quarantined": quarantined,
        "skipped": skipped,
        "skipped_rows": pl.concat([c.skipped_rows for c in chunks]),
        "rows_in": plan.rows_under_header - sum(skipped.values()),
    }


_CLASS = r"l[ớo]p(?:\s*h[ọo]c)?"  # "lớp", "lớp học", "lop"
_CODE = r"([A-Z0-9][\w./\-]*\d[\w./\-]*)"  # a class's code: "BD-2023-07", "K45", "QLNN.K3.2024"


def _class_code(titles: list[str]) -> str | None:
    """The class code a roster's title rows give: "Mã lớp: BD-2023-07", "Mã số lớp - BD-2023-07",
    "Ký hiệu lớp: ...", "Mã lớp học BD-2023-07"."""
    label = rf"(?:m[ãa]\s*(?:s[ốo]\s*)?|k[ýy]\s*hi[ệe]u\s*){_CLASS}"
    for text in titles:
        if m := re.search(rf"\b{label}\s*[:\-–]?\s*{_CODE}", text or "", flags=re.IGNORECASE):
            return m[1].rstrip(".,;)")
    return None


def _file_class_code(stem: str) -> str | None:
    """The class code a roster's file name writes after "lớp" ("DS hoc vien lop BD-CT-2024-07", "KQ_lop_K45"): a
    word with a letter and a digit, as a school codes its classes ("lop 2024" is a year, "lop boi duong" a name)."""
    text = unicodedata.normalize("NFC", stem).replace("_", " ")
    m = re.search(rf"(?<![^\W\d_])(?:m[ãa]\s*(?:s[ốo]\s*)?)?{_CLASS}\s*[:\-–]?\s*{_CODE}", text, flags=re.IGNORECASE)
    code = m[1].rstrip(".,;)-") if m else None
    return code if code and re.search(r"[^\W\d_]", code) else None


# a sheet named after its class, as a school codes one ("BD-2024-01", "K12", "QLNN.K3.2024"): capitals and digits;
# never a sheet's default name, a list's or a month ("Sheet1", "DS2", "T6-2024")
_SHEET_CODE = re.compile(r"(?=.*\d)[A-ZĐ][A-ZĐ0-9]*(?:[-./][A-ZĐ0-9]+)*")
_NO_CLASS = re.compile(r"(?:SHEET|DS|TRANG|BANG|BIEU|TO|PAGE|DATA)\d*|(?:T|TH|Q)?\d{1,2}[-./]\d{2,4}")


def _sheet_class_code(name: str) -> str | None:
    """The class a roster's sheet is named after: "BD-2024-01", "K12", or "Lớp K7" as a file name writes one."""
    text = unicodedata.normalize("NFC", name).strip()
    if _SHEET_CODE.fullmatch(text) and not _NO_CLASS.fullmatch(text):
        return text
    return _file_class_code(text)


# what goes before a class's days in its title ("Thời gian học:", "Khóa ngày", "Khai giảng ngày")
_DAYS_LEAD = re.compile(
    r"(?i)^.*?(?:th[ờo]i\s*gian(?:\s*(?:h[ọo]c|t[ổo]\s*ch[ứu]c|b[ồo]i\s*d[ưu][ỡo]ng|đ[àa]o\s*t[ạa]o))?|"
    r"kh[óo]a\s*ng[àa]y|khai\s*gi[ảa]ng(?:\s*ng[àa]y)?|h[ọo]c\s*t[ừu]\s*ng[àa]y)\s*[:.]?\s*"
)


def _class_facts(titles: list[str]) -> tuple[str | None, str | None, str | None]:
    """A roster's class as its title rows name it: its name, from "Lớp" on ("Lớp bồi dưỡng kiến thức quốc phòng
    và an ninh đối tượng 4 năm 2024", its code, its days or a bracket after it aside), and its first and last days
    (ISO) from a line, a bracket or the end of a line that gives them ("(Từ ngày 15/4 đến ngày 19/4/2024)",
    "Thời gian học: 06/5/2024 - 14/6/2024", "..., từ ngày 06/5/2024 đến 10/5/2024"); an opening day alone
    ("Khai giảng: 06/5/2024") is the first day only."""
    name = start = end = None
    for text in titles:
        if name is None and (m := re.search(rf"(?i)(?<![^\W\d_]){_ONE_CLASS}{_CLASS}\b(?!\s*[:\-–])", text)):
            named = re.split(_NAME_ENDS, text[m.start() :], maxsplit=1)[0].strip(" .,;:-–")
            if len(fold(named).split()) > 2:
                name = named
        for part in [] if start else _day_parts(text):
            opening = bool(re.match(r"(?i).*khai\s*gi[ảa]ng", part))
            first, last, flag = values.parse_period(_DAYS_LEAD.sub("", part.strip("()[] ")))
            first, last = (values.parse_date(d, "event")[0] if d else None for d in (first, last))
            if first and last and not flag:
                start, end = first.isoformat(), None if opening and first == last else last.isoformat()
                break
    return name, start, end


# where a class's name in a title ends: its code, a bracket, its days ("Lớp ... (Từ 06/5 - 14/6/2024)", "Lớp ...,
# mã lớp: CĐS-01", "Lớp học tổ chức từ 06-10/5/2024")
_NAME_ENDS = re.compile(
    rf"(?i)\s*[,;\-–]?\s*(?:(?:m[ãa]\s*(?:s[ốo]\s*)?|k[ýy]\s*hi[ệe]u\s*){_CLASS}\b|\(|\bt[ừu]\s+(?:ng[àa]y\s+)?\d|"
    r"\bt[ổo]\s*ch[ứu]c\b|\bkhai\s*gi[ảa]ng\b|\bth[ờo]i\s*gian\b)"
)


def _day_parts(text: str) -> list[str]:
    """Where a title line may give a class's days: the whole line, each bracket in it, and what follows its first
    "từ" before a day ("Tổ chức tại Hội trường, từ ngày 06/5/2024 đến 10/5/2024")."""
    parts = [text, *re.findall(r"\(([^)]*)\)", text)]
    if m := re.search(r"(?i)\bt[ừu]\s+(?:ng[àa]y\s+)?\d.*$", text):
        parts.append(m[0])
    return parts


def _headed_classes(plan: SheetPlan) -> None:
    """A roster of several classes, each under a heading of its own ("Lớp BD-2024-11: Bồi dưỡng cán bộ chủ chốt
    cấp xã (06/5 - 10/5/2024)"): each row's class code, name and days are its heading's, as a class column and
    the title of a one-class roster would give them (and the title's, of all the classes, give none)."""
    heads = plan.rows.get_column("_class")
    facts = {h: _class_heading_facts(h) for h in heads.drop_nulls().unique().to_list()}
    for i, column in enumerate(("_class_code", "_class_name", "_class_start", "_class_end")):
        said = {h: f[i] for h, f in facts.items() if f[i]}
        if said:
            column_of = heads.replace_strict(said, default=None, return_dtype=pl.Utf8)
            plan.rows = plan.rows.with_columns(column_of.alias(column))
            plan.header.implied.add(next(n for n, c in layout.HEADED.items() if c == column))
    plan.ctx.class_name = plan.ctx.class_start = plan.ctx.class_end = plan.class_named = None


def _class_heading_facts(text: str) -> tuple[str | None, str | None, str | None, str | None]:
    """(code, name, first day, last day) of a class heading: "Lớp BD-2024-11: Bồi dưỡng cán bộ chủ chốt cấp xã
    (06/5 - 10/5/2024)" is BD-2024-11, named "Bồi dưỡng cán bộ chủ chốt cấp xã"; a heading that codes none is
    coded by its name and days, as an uncoded roster's title is."""
    name, start, end = _class_facts([text])
    m = re.match(rf"\s*(?i:{_CLASS}|kh[óo]a(?:\s*h[ọo]c)?)\s*(?:s[ốo]\s*)?[:\-–]?\s*{_CODE}", text)
    code = m[1].rstrip(".,;:)-") if m and re.search(r"[^\W\d_]", m[1]) else None
    if code:
        rest = re.split(r"\s*\(", text[m.end() :], maxsplit=1)[0].strip(" .,;:-–")
        name = rest or name
    return code or _class_named([text]), name, start, end


_PLURAL = {"cac", "nhung"}  # "các lớp", "những lớp" (folded): classes, not a class
_ONE_CLASS = r"(?<!c[áa]c )(?<!nh[ữu]ng )"  # ... as the words before "lớp" in a title say it


def _class_named(titles: list[str]) -> str | None:
    """A code for a class its roster names but does not code ("DANH SÁCH HỌC VIÊN LỚP BỒI DƯỠNG CÁN BỘ CHỦ
    CHỐT CẤP XÃ NĂM 2019", "(Từ ngày 15/4/2019 ...)"): the class's name from "lớp" on, folded, and the first
    date the title rows give, so that another roster of that class gets the same code and another cohort not."""
    for text in titles:
        folded = fold(re.sub(r"\([^)]*\)", " ", text or "")).split()
        if "lop" in folded and folded[max(folded.index("lop") - 1, 0)] in _PLURAL:
            continue  # "DANH SÁCH HỌC VIÊN CÁC LỚP ...": several classes, not one
        if "lop" in folded and len(folded) - folded.index("lop") > 2:
            name = "-".join(folded[folded.index("lop") :])[:80].rstrip("-").upper()
            day = values.reporting_date(titles, "")
            return f"{name}-{day:%Y%m%d}" if day else name
    return None


def _folders(path: Path) -> str:
    """The two folders above a file, as words ("hr/2021-12-31/Tien_Yen/"): where the landing folder says
    the date or the district when neither the sheet nor the file's name does."""
    return " ".join(_as_words(part) for part in path.parent.parts[-2:])


def _folder_names(path: Path) -> list[str]:
    """The three folders above a file, each as words (a folder may be named after the province)."""
    return [_as_words(part) for part in path.parent.parts[-3:]]


def _as_words(name: str) -> str:
    """A file or folder name as words: "Tien_Yen", "tien-yen" and "TienYen" all say "Tien Yen", "DSHocVien"
    "DS Hoc Vien" (a date's hyphens, "2021-12-31", stay)."""
    w = re.sub(r"(?<=[^\W\d_])-+(?=[^\W\d_])", " ", name.replace("_", " "))
    starts = [  # a capital after a small letter, or the capital that starts a word after capitals ("DS|Hoc")
        c.isupper() and i > 0 and (w[i - 1].islower() or (w[i - 1].isupper() and w[i + 1 : i + 2].islower()))
        for i, c in enumerate(w)
    ]
    return "".join(f" {c}" if start else c for c, start in zip(w, starts, strict=True))


def _provinces_named(titles: list[str], path: Path) -> set[str]:
    """The provinces a sheet's title rows, the file's name or its folders name ("UBND TỈNH TIỀN GIANG")."""
    return units.provinces_named([*titles, _as_words(path.stem)], _folder_names(path))


def _roster_province(titles: list[str], path: Path) -> str | None:
    """The one province a roster's title rows, file name or folders name ("TRƯỜNG CHÍNH TRỊ TỈNH QUẢNG NINH"),
    or whose districts they name ("TRUNG TÂM CHÍNH TRỊ HUYỆN ĐẦM HÀ"); None for none or several."""
    named = _provinces_named(titles, path)
    if not named:
        named = {vocab.district_province().get(d) for t in titles for d in units.districts_named(t)}
    return named.pop() if len(named) == 1 else None


def _signed_on(plans: list[SheetPlan]) -> date | None:
    """The day the signature under the first list that has one was written ("Hải Hà, ngày 05 tháng 01 năm
    2025"): what a list that names no date shows, as of the day it was signed."""
    for s in plans:
        if "_layout" not in s.rows.columns:
            continue
        footer = s.rows.filter(pl.col("_layout") == "footer_row").select(pl.col("^column_.*$").cast(pl.Utf8))
        for cell in (c for row in footer.rows() for c in row if c):
            if day := values.signed_on(normalise(cell, s.ctx.legacy)):
                return day
    return None


def _one_district(texts: list[str], within: set[str]) -> str | None:
    """The district of the first text that names exactly one (ingest/units.py), else None."""
    for text in texts:
        named = units.districts_named(text, within)
        if len(named) == 1:
            return named.pop()
    return None


def _column_cells(sheet: SheetPlan, role: str) -> list[str]:
    """The distinct cells of the sheet's columns of ``role``, normalised."""
    values = normalise_series(_raw_cells(sheet, role), sheet.ctx.legacy)
    return sorted(set(values.drop_nulls().to_list()))


def _raw_cells(sheet: SheetPlan, role: str) -> pl.Series:
    """The cells of the sheet's columns of ``role`` as read, not the rows hidden in the sheet."""
    rows = sheet.rows
    if "_layout" in rows.columns:
        rows = rows.filter(pl.col("_layout").ne_missing("hidden_row"))
    columns = [f"column_{i}" for i, (name, _) in sheet.header.columns.items() if name == role]
    present = [rows.get_column(c).cast(pl.String) for c in columns if c in rows.columns]
    return pl.concat(present).drop_nulls() if present else pl.Series([], dtype=pl.Utf8)


def _province_of_ids(plans: list[SheetPlan]) -> set[str]:
    """The province that issued most of the file's citizen IDs, as evidence when no text names one."""
    province = units.province_of_ids(c.strip() for s in plans for c in _column_cells(s, "citizen_id"))
    return {province} if province else set()


def _district(info: dict) -> str | None:
    """The district the ledger records: none for a list of the July 2025 communes (its batch key says so)."""
    return None if info.get("district_code") == vocab.REFORMED else info.get("district_code")


def _after_reform(info: dict) -> bool:
    """A list as of 1 July 2025 or later: its communes may be the new ones, under no district."""
    return info.get("reporting_date") is not None and info["reporting_date"] >= vocab.REFORM_DATE


def _home(district: str) -> bool:
    return vocab.district_province().get(district) == units.HOME


def _names_new_units(plans: list[SheetPlan]) -> bool:
    """Whether most of the communes the sheets name (in a column, a title, headings) are July 2025 units, and no fewer
    than are older ones (36 of the 54 new units kept an old commune's name: a list after the reform means the new
    one)."""
    cells = [c for s in plans for c in [*_column_cells(s, "commune"), *([s.commune_text] if s.commune_text else [])]]
    cells += [h for s in plans if "_group" in s.rows.columns for h in s.rows.get_column("_group").drop_nulls().unique()]
    new = sum(vocab.map_commune(c, vocab.REFORMED)[0] is not None for c in cells)
    old = sum(vocab.map_commune(c, None)[0] is not None for c in cells)
    return bool(cells) and 2 * new >= len(cells) and new >= old


def _districts_listed(plans: list[SheetPlan], within: set[str]) -> set[str]:
    """The districts of which a list names two communes or more, by the commune names only one district of the
    provinces named (else the home province) has: a province's consolidated list names several; a district's
    list with one person of a neighbour's commune names one."""
    named: dict[str, set[str]] = {}
    for sheet in plans:
        for cell in _column_cells(sheet, "commune"):
            if len(districts := units.in_provinces(vocab.commune_districts(cell), within)) == 1:
                named.setdefault(districts.pop(), set()).add(vocab.unit_key(cell))
    return {district for district, communes in named.items() if len(communes) >= 2}


def _district_from_communes(plans: list[SheetPlan], within: set[str]) -> str | None:
    """The district most of the sheets' communes point at (commune cells, headings, the title line that
    names the commune), within the provinces named."""
    codes: set[str] = set()
    votes: list[set[str]] = []
    for sheet in plans:
        codes |= {c for c in sheet.communes if c}
        votes += [vocab.commune_districts(name) for name in _column_cells(sheet, "commune")]
        if sheet.commune_text:
            codes |= vocab.communes_named(normalise(sheet.commune_text, sheet.ctx.legacy), None)
            votes.append(vocab.commune_districts(sheet.commune_text))  # a sheet named after its commune
        if sheet.header.commune_from:
            votes += [vocab.commune_districts(c) for c in _column_cells(sheet, sheet.header.commune_from)]
    votes += [{vocab.commune_district()[c]} for c in codes]
    return units.district_of_votes(votes, within)


def _batch_key(kind: str, info: dict, path: Path, loaded: pl.DataFrame) -> str:
    """What a file is a version of: a later file of the same key supersedes it. An HR list of one commune's people
    only is that commune's list of its date, not its district's: it replaces that commune's earlier list, and the
    district's list of the same date and the other communes' lists stay in use beside it. A list of two communes
    or more, even one of mostly one commune, is its district's: it covers the district (person history closes out
    whoever it leaves out), and a small district list is often mostly one commune. A list whose title names one
    commune ("DANH SÁCH CÁN BỘ XÃ ĐỒNG TIẾN", "UBND XÃ ĐỒNG TIẾN"), all of whose people but one in ten at most are
    of that commune, is that commune's, though one is of another (seconded from a neighbour, a unit mistyped):
    taken for the district's, it would close out every other commune's people."""
    if kind == "hr":
        communes = loaded.get_column("commune_code").drop_nulls() if loaded.height else pl.Series([], dtype=pl.Utf8)
        codes = communes.unique().to_list()
        whole = units.HOME if info["district_code"] == vocab.REFORMED else None  # after the reform: the province
        unit = codes[0] if len(codes) == 1 else whole
        titled = _titled_commune(info)
        if len(codes) > 1 and titled in codes and 10 * (communes != titled).sum() <= communes.len():
            unit = titled
        return ":".join(p for p in ("hr", info["district_code"], unit, info["reporting_date"].isoformat()) if p)
    if kind == "roster":
        codes = loaded.get_column("class_code").unique().drop_nulls().sort().to_list() if loaded.height else []
        classes = info.get("class_code") or ",".join(codes)
        if len(classes) > 200:  # a year's consolidated roster: hundreds of classes; the same set, the same key
            classes = f"{len(codes)} classes {hashlib.sha256(classes.encode()).hexdigest()[:20]}"
        return f"roster:{classes}"
    if kind == "classes" and loaded.height:  # a school's list of the same years replaces its previous one
        years = loaded.get_column("start_date").dt.year().drop_nulls()
        issuer = "" if info.get("issuer", units.HOME) == units.HOME else f"{info['issuer']}:"
        return f"classes:{issuer}{years.min()}-{years.max()}"
    return f"{kind}:{fold(path.stem)}"


def _titled_commune(info: dict) -> str | None:
    """The one commune an HR list's title lines name, with its kind ("XÃ ĐỒNG TIẾN"), in its district; else None."""
    named = {c for line in info.get("title_lines") or () for c in vocab.communes_named(line, info["district_code"])}
    return named.pop() if len(named) == 1 else None


def _modified(path: Path) -> datetime:
    """When the sender last saved the file: the workbook's own record, else the file system's. A workbook
    that says it was saved after it arrived (a wrong clock, an edited record) is not believed."""
    arrived = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            with zipfile.ZipFile(path) as z:
                core = z.read("docProps/core.xml").decode("utf-8", "replace")
            if m := re.search(r"<dcterms:modified[^>]*>([^<]+)<", core):
                saved = datetime.fromisoformat(m[1].replace("Z", "+00:00"))
                if saved.tzinfo is None:
                    saved = saved.replace(tzinfo=UTC)
                return min(saved, arrived)
        except (KeyError, zipfile.BadZipFile, ValueError):
            pass
    return arrived
