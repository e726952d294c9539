"""The warehouse side of ingest: schema, ledger and the one-transaction load of a file."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import polars as pl
import psycopg

from expectations.runner import CheckOutcome

SCHEMA = Path(__file__).with_name("schema.sql")


def ensure_schema(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("select pg_advisory_lock(hashtext('cadre.ingest.schema'))")
        try:
            conn.execute(SCHEMA.read_text())
        finally:
            conn.execute("select pg_advisory_unlock(hashtext('cadre.ingest.schema'))")


def loaded_batch(url: str, sha256: str) -> dict | None:
    """The batch that already holds these exact bytes, if any (rejections do not count)."""
    with psycopg.connect(url) as conn, conn.cursor(row_factory=psycopg.rows.dict_row) as cur:
        cur.execute(
            "select batch_id, file_name, status from raw.ingest_batches where sha256 = %s and status <> 'rejected'",
            (sha256,),
        )
        return cur.fetchone()


def record_rejection(url: str, meta: dict, code: str, message: str) -> int:
    """A refused file is on the ledger once per content; a re-delivery updates that entry."""
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "update raw.ingest_batches set file_name = %(file_name)s, file_path = %(file_path)s, "
            "reject_code = %(code)s, error = %(error)s, started_at = %(started_at)s, finished_at = clock_timestamp() "
            "where sha256 = %(sha256)s and status = 'rejected' returning batch_id",
            {**meta, "code": code, "error": message},
        ).fetchone()
        if row is None:
            row = conn.execute(
                "insert into raw.ingest_batches (file_name, file_path, sha256, bytes, kind, status, reject_code, "
                "error, started_at) values (%(file_name)s, %(file_path)s, %(sha256)s, %(bytes)s, %(kind)s, "
                "'rejected', %(code)s, %(error)s, %(started_at)s) returning batch_id",
                {**meta, "code": code, "error": message},
            ).fetchone()
        return row[0]


def load(
    url: str,
    meta: dict,
    table: str,
    loaded: pl.DataFrame,
    quarantined: pl.DataFrame,
    checks: Callable[[], CheckOutcome],
    before_commit: Callable | None = None,
) -> dict:
    """Ledger row, raw rows and quarantined rows in ONE transaction; then supersede by recency.

    ``checks`` is waited for after the rows are copied (it may run meanwhile in another thread); its
    outcome is written to the ledger in the same transaction. A crash or kill before commit leaves nothing.
    Returns ``{"batch_id", "status", "superseded", "checks"}``.
    """
    import adbc_driver_postgresql.dbapi as adbc

    with adbc.connect(url) as conn, conn.cursor() as cur:
        cur.execute("select pg_advisory_xact_lock(hashtext($1))", (meta["batch_key"],))
        cur.execute(
            "insert into raw.ingest_batches (file_name, file_path, sha256, bytes, kind, batch_key, district_code, "
            "reporting_date, sheets, legacy_encoding, rows_in, rows_loaded, rows_quarantined, rows_skipped, skipped, "
            "status, started_at, source_modified) values ($1, $2, $3, $4, $5, $6, $7, $8::date, "
            "string_to_array($9, '|'), $10, $11, $12, $13, $14, $15::jsonb, 'loaded', $16::timestamptz, "
            "$17::timestamptz) returning batch_id",
            (
                meta["file_name"], meta["file_path"], meta["sha256"], meta["bytes"], meta["kind"], meta["batch_key"],
                meta.get("district_code"), _iso(meta.get("reporting_date")), "|".join(meta["sheets"]),
                meta.get("legacy_encoding"), meta["rows_in"], meta["rows_loaded"], meta["rows_quarantined"],
                meta["rows_skipped"], json.dumps(meta["skipped"]), meta["started_at"].isoformat(),
                meta["source_modified"].isoformat(),
            ),
        )  # fmt: skip
        batch_id = cur.fetchone()[0]
        if loaded.height:
            _append(cur, "raw", table, loaded, batch_id)
        if quarantined.height:
            q = quarantined.with_columns(pl.col("reasons").list.join("|"), pl.lit(meta["kind"]).alias("kind"))
            casts = {"reasons": "string_to_array(reasons, '|')", "details": "details::jsonb", "cells": "cells::jsonb"}
            _insert_cast(cur, "quarantine.rows", q, batch_id, casts)
        outcome = checks()
        cur.execute(
            "update raw.ingest_batches set checks = $1, checks_detail = $2::jsonb, finished_at = clock_timestamp() "
            "where batch_id = $3",
            (outcome.status, json.dumps(outcome.failed, ensure_ascii=False, default=str), batch_id),
        )
        if before_commit:
            before_commit(cur, batch_id)
        status, superseded = _supersede(cur, batch_id, meta["batch_key"], outcome.status)
        conn.commit()
    return {"batch_id": batch_id, "status": status, "superseded": superseded, "checks": outcome}


def _append(cur, schema: str, table: str, frame: pl.DataFrame, batch_id: int) -> None:
    """Arrow binary COPY straight into the raw table (column types match the Arrow types), columns in the
    table's own order (COPY is positional)."""
    cur.execute(
        "select column_name from information_schema.columns where table_schema = $1 and table_name = $2 "
        "order by ordinal_position",
        (schema, table),
    )
    columns = [r[0] for r in cur.fetchall()]
    data = frame.with_columns(pl.lit(batch_id, pl.Int64).alias("batch_id")).select(columns)
    cur.adbc_ingest(table, data.to_arrow(), mode="append", db_schema_name=schema)


def _insert_cast(cur, target: str, frame: pl.DataFrame, batch_id: int, casts: dict[str, str]) -> None:
    """For the few columns COPY cannot type (jsonb, arrays): a temporary table, then INSERT ... SELECT."""
    temp = "ingest_" + target.replace(".", "_")
    cur.execute(f"drop table if exists {temp}")
    cur.adbc_ingest(temp, frame.to_arrow(), mode="create", temporary=True)
    select = ", ".join(casts.get(c, c) for c in frame.columns)
    cur.execute(f"insert into {target} (batch_id, {', '.join(frame.columns)}) select {batch_id}, {select} from {temp}")
    cur.execute(f"drop table {temp}")


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _supersede(cur, batch_id: int, batch_key: str, checks: str) -> tuple[str, list[int]]:
    """Among loaded batches of the same key, the most recent source wins (ties: the later load).

    A batch whose checks failed never supersedes anything (the last good file stays in use)."""
    if checks == "failed":
        return "loaded", []
    cur.execute(
        "select batch_id from raw.ingest_batches where batch_key = $1 and status = 'loaded' "
        "and checks in ('passed', 'warned') order by source_modified desc, batch_id desc limit 1",
        (batch_key,),
    )
    newest = cur.fetchone()[0]
    cur.execute(
        "update raw.ingest_batches set status = 'superseded', superseded_by = $1 where batch_key = $2 "
        "and status = 'loaded' and batch_id <> $1 and checks in ('passed', 'warned') returning batch_id",
        (newest, batch_key),
    )
    superseded = sorted(r[0] for r in cur.fetchall())
    return ("superseded" if newest != batch_id else "loaded"), superseded


def now() -> datetime:
    from datetime import UTC

    return datetime.now(UTC)
