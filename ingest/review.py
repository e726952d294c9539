"""Review and replay: what the ingest could not read, and reading it again once the vocabulary can.

``unmapped`` lists the distinct values that did not map (column, value, count, files), most frequent first:
titles and communes of quarantined rows, qualification values loaded as unknown. The fix is one line in
``ingest/vocabulary.yaml``; ``replay`` then re-reads, batch by batch and each in one transaction, the
quarantined rows with today's vocabulary (moving into raw those that now pass, with their source sheet and
row) and the unknown levels of loaded rows, checks the batch again and updates the ledger, so that
``rows_in = rows_loaded + rows_quarantined`` still holds and the refresh picks the rows up (the batch's
``revision`` changes). Rows refused as repeats or conflicts wait for a corrected file, not a vocabulary.
"""

from __future__ import annotations

import json

import polars as pl
import psycopg

from ingest import checks, db
from ingest import vocabulary as vocab
from ingest.kinds import RAW_TABLE, SELECT
from ingest.rows import Context, body, classify, parse_values, row_keys, split
from ingest.text import normalise

KEY = ["source_sheet", "source_row"]
NOT_REPLAYED = {"duplicate_row", "person_conflict"}  # a file's own contradictions: a corrected file settles them
_REASON_COLUMNS = {
    "unknown_title": ("title",),
    "ambiguous_title": ("title",),
    "unknown_commune": ("commune",),
    "ambiguous_commune": ("commune",),
    "unmapped_value": ("improvement", "necessity"),
}
_BATCHES = (
    "select batch_id, kind, file_name, district_code, reporting_date, legacy_encoding, rows_in, skipped, batch_key, "
    "warnings, vocabulary, contexts from raw.ingest_batches where status = 'loaded'"
)


def unmapped(url: str) -> list[dict]:
    """The values of the batches in use that the vocabulary did not read: column, value, count, files."""
    found: dict[tuple[str, str], dict] = {}

    def add(column: str, raw: str | None, legacy: str | None, file_name: str, n: int = 1) -> None:
        value = normalise(raw, legacy)
        if not value:
            return
        entry = found.setdefault((column, value), {"column": column, "value": value, "count": 0, "files": set()})
        entry["count"] += n
        entry["files"].add(file_name)

    db.ensure_schema(url)
    with psycopg.connect(url) as conn:
        for column in vocab.LEVELS:
            rows = conn.execute(
                f"select r.{column}_raw, b.legacy_encoding, b.file_name, count(*) from raw.hr_rows as r "
                "join raw.ingest_batches as b using (batch_id) where b.status = 'loaded' "
                f"and '{column}:unmapped' = any(r.flags) group by 1, 2, 3"
            )
            for raw, legacy, file_name, n in rows:
                add(column, raw, legacy, file_name, n)
        rows = conn.execute(
            "select q.reasons, q.cells, b.legacy_encoding, b.file_name from quarantine.rows as q "
            "join raw.ingest_batches as b using (batch_id) where b.status = 'loaded' "
            "and q.reasons && %s::text[]",
            (list(_REASON_COLUMNS),),
        )
        for reasons, cells, legacy, file_name in rows:
            for reason in reasons:
                for column in _REASON_COLUMNS.get(reason, ()):
                    add(column, (cells or {}).get(column), legacy, file_name)
    out = [{**e, "files": sorted(e["files"])} for e in found.values()]
    return sorted(out, key=lambda e: (-e["count"], e["column"], e["value"]))


def replay(url: str, every: bool = False) -> list[dict]:
    """Re-read the batches in use read with another vocabulary than today's (``every``: all of them)."""
    db.ensure_schema(url)
    version = vocab.version()
    with psycopg.connect(url) as conn, conn.cursor(row_factory=psycopg.rows.dict_row) as cur:
        cur.execute(_BATCHES + ("" if every else " and vocabulary is distinct from %s") + " order by batch_id",
                    () if every else (version,))  # fmt: skip
        batches = cur.fetchall()
    return [_replay(url, b, version) for b in batches]


def _records(refused: pl.DataFrame) -> pl.DataFrame:
    """Quarantined rows back as records: the cells as read, under their column names."""
    cells = [json.loads(c) for c in refused.get_column("cells").to_list()]
    names = sorted({k for c in cells for k in c if k != "extras"})
    extras = sorted({k for c in cells for k in (c.get("extras") or {})})
    data = {
        "source_sheet": refused.get_column("source_sheet").to_list(),
        "source_row": refused.get_column("source_row").cast(pl.Int32).to_list(),
    }
    data |= {f"{n}__raw": [c.get(n) for c in cells] for n in names}
    data |= {f"extra__{e}": [(c.get("extras") or {}).get(e) for c in cells] for e in extras}
    schema = dict.fromkeys(data, pl.Utf8) | {"source_row": pl.Int32}
    frame = pl.DataFrame(data, schema=schema)
    return frame.with_columns(pl.lit(None, pl.Utf8).alias("_layout"), pl.lit(False).alias("_blank"))


def _replay(url: str, ledger: dict, version: str) -> dict:
    kind, batch_id = ledger["kind"], ledger["batch_id"]
    table = RAW_TABLE[kind]
    scope = vocab.scope_of(ledger["district_code"], ledger["batch_key"])
    ctx = Context(kind=kind, sheet="", reporting_date=ledger["reporting_date"],
                  district_code=scope, legacy=ledger["legacy_encoding"])  # fmt: skip
    meta = {"kind": kind, "file_name": ledger["file_name"], "warnings": ledger["warnings"] or [],
            "vocabulary": version}  # fmt: skip
    with db.Batch(url) as batch:
        batch.reopen(batch_id, meta, table)
        refused = batch.query(
            "select source_sheet, source_row, reasons, cells::text as cells from quarantine.rows where batch_id = $1",
            (batch_id,),
        )
        again = refused.filter(~pl.col("reasons").list.eval(pl.element().is_in(list(NOT_REPLAYED))).list.any())
        moved = 0
        if again.height:
            loaded, quarantined = _read_again(batch, again, ctx, kind, ledger["contexts"] or [])
            batch.replace(again.select(KEY), quarantined)  # take them back, refuse again what still fails
            if loaded.height:
                batch.write(loaded, quarantined.clear())
            moved = loaded.height
        remapped = _remap(batch, batch_id, ctx.legacy) if kind == "hr" else 0
        meta["replay"] = bool(moved or remapped)
        wanted = checks.columns(kind)
        rows = batch.query(f"select {', '.join(wanted) if wanted else '*'} from raw.{table} where batch_id = $1",
                           (batch_id,))  # fmt: skip
        info = {"reporting_date": ledger["reporting_date"], "district_code": ledger["district_code"],
                "warnings": meta["warnings"]}  # fmt: skip
        previous = batch.previous_headcount(info).result() if kind == "hr" else None
        outcome = checks.validate(kind, rows, info, ledger["rows_in"], previous)
        result = batch.commit(ledger["rows_in"], ledger["skipped"] or {}, ledger["batch_key"], outcome)
    return {
        "batch_id": batch_id,
        "file": ledger["file_name"],
        "moved_to_raw": moved,
        "values_read_again": remapped,
        "rows_loaded": result["rows_loaded"],
        "rows_quarantined": result["rows_quarantined"],
        "quarantined_by_reason": result["quarantined_by_reason"],
        "checks": outcome.status,
        "status": result["status"],
    }


def _read_again(batch: db.Batch, refused: pl.DataFrame, ctx: Context, kind: str, contexts: list[dict]):
    """(rows that now load, rows still refused) of quarantined rows read with today's vocabulary, each with what
    its sheet said of its rows (``contexts``, as the ledger keeps them). A row that would give a person loaded in
    the batch a second row stays refused as a conflict."""
    loaded_persons = (
        batch.query(
            "select distinct coalesce(citizen_id, name_key || '|' || dob::text) as person from raw.hr_rows "
            "where batch_id = $1",
            (batch.batch_id,),
        ).get_column("person")
        if kind == "hr"
        else None
    )
    loaded, quarantined = [], []
    for rows, sheet_ctx in _by_sheet(refused, ctx, contexts):
        frame, names = body(_records(rows), sheet_ctx)
        frame = row_keys(parse_values(classify(frame, names, None), names, sheet_ctx), names)
        if loaded_persons is not None:
            clash = (~pl.col("_bad") & pl.col("_person").is_in(loaded_persons.implode())).fill_null(False)
            frame = frame.with_columns(clash.alias("_conflict"))
        outcome = split(frame, SELECT[kind](frame, sheet_ctx))
        loaded.append(outcome.loaded)
        quarantined.append(outcome.quarantined)
    return pl.concat(loaded, how="diagonal_relaxed"), pl.concat(quarantined, how="diagonal_relaxed")


def _by_sheet(refused: pl.DataFrame, ctx: Context, contexts: list[dict]):
    """The refused rows of each table of the file, with the context its sheet was read with (a batch loaded
    before the ledger kept contexts: the file's, for all)."""
    if not contexts:
        yield refused, ctx
        return
    tables = sorted(contexts, key=lambda c: (c["sheet"], c["from_row"]))
    starts = pl.DataFrame(
        {
            "source_sheet": [c["sheet"] for c in tables],
            "from_row": [c["from_row"] for c in tables],
            "_table": list(range(len(tables))),
        },
        schema={"source_sheet": pl.Utf8, "from_row": pl.Int32, "_table": pl.Int64},
    )
    rows = refused.with_columns(pl.col("source_row").cast(pl.Int32)).sort("source_row")
    placed = rows.join_asof(starts.sort("from_row"), left_on="source_row", right_on="from_row", by="source_sheet")
    for (table,), part in placed.group_by("_table", maintain_order=True):
        state = tables[table] if table is not None else {}
        yield part.drop("from_row", "_table"), ctx.of_sheet(state.get("sheet", ctx.sheet), state)


def _remap(batch: db.Batch, batch_id: int, legacy: str | None) -> int:
    """Qualification values loaded as unknown that the vocabulary reads now: their codes filled in (the text
    as read is never changed). The number of rows read again."""
    total = 0
    for column in vocab.LEVELS:
        values = batch.query(
            f"select {column}_raw as raw, count(*) as n from raw.hr_rows where batch_id = $1 "
            f"and '{column}:unmapped' = any(flags) group by 1",
            (batch_id,),
        )
        for raw, n in values.iter_rows():
            reading = vocab.read_level(column, normalise(raw, legacy))
            if not reading.code:
                continue
            progress = f" || array['{column}:in_progress']" if reading.flag == "in_progress" else ""
            study = ", prof_field = coalesce(prof_field, $4)" if column == "prof_level" else ""
            params = (reading.code, batch_id, raw) + ((reading.field,) if column == "prof_level" else ())
            batch.execute(
                f"update raw.hr_rows set {column} = $1, flags = array_remove(flags, '{column}:unmapped'){progress}"
                f"{study} where batch_id = $2 and {column}_raw = $3 and '{column}:unmapped' = any(flags)",
                params,
            )
            total += n
    return total
