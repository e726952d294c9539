"""The warehouse side of ingest: schema, ledger and the one-transaction load of a file."""

from __future__ import annotations

import atexit
import json
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path

import polars as pl
import psycopg

from expectations.runner import CheckOutcome

SCHEMA = Path(__file__).with_name("schema.sql")


def ensure_schema(url: str | None = None, conn: psycopg.Connection | None = None) -> None:
    """The raw and quarantine tables, created or brought up to date by their owner (``cadre access setup``,
    or an administrator's session); a component's login only checks that they exist."""
    if conn is None:
        with psycopg.connect(url, autocommit=True) as own:
            return ensure_schema(conn=own)
    from cadre.access import may_alter

    if not (may_alter(conn, "raw") and may_alter(conn, "quarantine")):
        if conn.execute("select to_regclass('raw.current_batches')").fetchone()[0] is None:
            raise RuntimeError(
                "the raw schema is not set up: run `cadre access setup` as the warehouse's administrator"
            )
        return
    conn.execute("select pg_advisory_lock(hashtext('cadre.ingest.schema'))")
    try:
        conn.execute(SCHEMA.read_text())
    finally:
        conn.execute("select pg_advisory_unlock(hashtext('cadre.ingest.schema'))")


def loaded_batch(url: str, sha256: str) -> dict | None:
    """The batch that already holds these exact bytes, if any (rejections do not count)."""

    def look_up(conn: psycopg.Connection) -> dict | None:
        with conn.cursor(row_factory=psycopg.rows.dict_row) as cur:
            cur.execute(
                "select batch_id, file_name, status from raw.ingest_batches where sha256 = %s and status <> 'rejected'",
                (sha256,),
            )
            return cur.fetchone()

    return _on_ledger(url, look_up)


_ledger: dict[str, psycopg.Connection] = {}  # this process's connection for look-ups, of the last warehouse used
_kept_lock = threading.Lock()


def _on_ledger(url: str, read: Callable[[psycopg.Connection], object]):
    """``read`` (a look-up: safe to run again) on this process's ledger connection, opened once and kept for
    the next file: a connection costs the server a process and an authentication, ~2,000 times in a
    national run. A connection the server ended (a restart, a dropped database) is replaced once."""
    for attempt in (1, 2):
        with _kept_lock:
            conn = _ledger.get(url)
            if conn is None or conn.closed:
                for other in _ledger.values():
                    other.close()
                _ledger.clear()
                conn = _ledger[url] = psycopg.connect(url, autocommit=True)
        try:
            return read(conn)
        except psycopg.OperationalError:
            conn.close()
            if attempt == 2:
                raise


class _Kept:
    """This process's ADBC connections of loads that ended, of the last warehouse used, for the next files'
    loads (each file is still its own transaction): taken back only after a round trip proves them alive."""

    def __init__(self, most: int):
        self.most, self.url, self.conns = most, None, []

    def take(self, url: str):
        with _kept_lock:
            conn = self.conns.pop() if self.url == url and self.conns else None
        if conn is None:
            return None
        try:
            with conn.cursor() as cur:
                cur.execute("select 1")
                cur.fetchall()
            return conn
        except Exception:
            _close_quietly(conn)
            return None

    def give_back(self, url: str, conn) -> None:
        with _kept_lock:
            if self.url != url:
                for old in self.conns:
                    _close_quietly(old)
                self.url, self.conns = url, []
            if len(self.conns) < self.most:
                self.conns.append(conn)
                return
        _close_quietly(conn)


def _close_quietly(conn) -> None:
    with suppress(Exception):  # a connection the server already ended
        conn.close()


def _close_kept() -> None:
    with _kept_lock:
        for conn in [*_kept.conns, *_ledger.values()]:
            _close_quietly(conn)
        _kept.conns.clear()
        _ledger.clear()


_kept = _Kept(most=16)  # as many as one process's files wait for their checks together (GROUP_FILES)
atexit.register(_close_kept)


def record_rejection(url: str, meta: dict, code: str, message: str) -> int:
    """A refused file is on the ledger once per content; a re-delivery updates that entry."""
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "update raw.ingest_batches set file_name = %(file_name)s, file_path = %(file_path)s, "
            "reject_code = %(code)s, error = %(error)s, started_at = %(started_at)s, finished_at = clock_timestamp(), "
            "attempts = attempts + 1 where sha256 = %(sha256)s and status = 'rejected' returning batch_id",
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


class Batch:
    """One file's load: its ledger row, raw rows and quarantined rows, all in ONE transaction.

    Every database step runs on one worker thread, in order: the connection opens while the file is read,
    and each chunk streams in (ADBC's COPY releases the GIL) while the caller prepares the next. At most
    ``DEPTH`` steps wait, so memory stays bounded. A crash or kill before :meth:`commit` leaves nothing.
    """

    DEPTH = 2

    def __init__(self, url: str, key: str | None = None):
        from ingest import people

        self._key = key or people.key_in_use()
        self._conn = self._cur = None
        self._url, self._committed = url, False
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-load")
        self._pending: deque[Future] = deque()
        self._submit(self._connect, url)

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._pool.shutdown(wait=True)  # never close the connection under a running COPY
        if self._conn is None:
            return
        try:
            self._cur.close()
            if not self._committed:
                self._conn.rollback()  # nothing of a load that did not commit stays
        except Exception:
            _close_quietly(self._conn)  # closed without a commit, PostgreSQL rolls everything back
            return
        _kept.give_back(self._url, self._conn)

    def _submit(self, fn: Callable, *args) -> Future:
        while len(self._pending) >= self.DEPTH:
            self._pending.popleft().result()  # a failed step fails the load here
        future = self._pool.submit(fn, *args)
        self._pending.append(future)
        return future

    def begin(self, meta: dict, table: str) -> None:
        """The ledger row (counts follow at commit) for rows going to ``raw.<table>``."""
        self._submit(self._begin, meta, table)

    def previous_headcount(self, info: dict) -> Future:
        """(A future of) the rows loaded from the same district's delivery in use for the latest reporting
        date up to this one: what this file's headcount is compared with."""
        return self._submit(self._previous_headcount, info.get("district_code"), _iso(info.get("reporting_date")))

    def _previous_headcount(self, district: str | None, day: str | None) -> int | None:
        if not district or not day:
            return None
        self._cur.execute(
            "select rows_loaded from raw.current_batches where kind = 'hr' and district_code = $1 "
            "and reporting_date <= $2::date and batch_id <> $3 order by reporting_date desc, batch_id desc limit 1",
            (district, day, self.batch_id),
        )
        row = self._cur.fetchone()
        return row[0] if row else None

    def reopen(self, batch_id: int, meta: dict, table: str) -> None:
        """Work on a batch already on the ledger (a replay), its ledger row locked until the commit."""
        self._submit(self._reopen, batch_id, meta, table)

    def _reopen(self, batch_id: int, meta: dict, table: str) -> None:
        self.meta, self.table, self.batch_id = meta, table, batch_id
        self._cur.execute("select 1 from raw.ingest_batches where batch_id = $1 for update", (batch_id,))
        self._cur.fetchall()
        self._columns = self._table_columns(table)

    def query(self, sql: str, params: tuple = ()) -> pl.DataFrame:
        """Rows read inside the batch's transaction (what it wrote so far included)."""

        def run() -> pl.DataFrame:
            self._cur.execute(sql, params)
            return pl.from_arrow(self._cur.fetch_arrow_table())

        return self._submit(run).result()

    def execute(self, sql: str, params: tuple = ()) -> None:
        self._submit(self._cur.execute, sql, params)

    def write(self, loaded: pl.DataFrame, quarantined: pl.DataFrame) -> None:
        """Append rows to the raw table and refused rows to quarantine."""
        self._submit(self._write, loaded, quarantined)

    def replace(self, rows: pl.DataFrame, quarantined: pl.DataFrame | None) -> None:
        """Take ``rows`` (source_sheet, source_row) back from raw or quarantine and quarantine them anew."""
        if rows.height:
            self._submit(self._replace, rows, quarantined)

    def commit(self, rows_in: int, skipped: dict, batch_key: str, outcome: CheckOutcome, before_commit=None) -> dict:
        """Count what was written, check it against ``rows_in``, record counts and checks, supersede, commit.

        ``before_commit(cursor, batch_id)`` is a hook for fault-injection tests."""
        done = self._submit(self._commit, rows_in, skipped, batch_key, outcome, before_commit)
        while self._pending:
            self._pending.popleft().result()
        return done.result()

    def _connect(self, url: str) -> None:
        import adbc_driver_postgresql.dbapi as adbc

        self._conn = _kept.take(url)
        if self._conn is not None:
            self._cur = self._conn.cursor()
            return
        self._conn = adbc.connect(url)
        self._cur = self._conn.cursor()
        # a batch waits for no lock forever: two processes, each holding a file open for its checks, could each
        # wait for the other's (the same content loaded by both); the file is then rejected, not the run hung
        self._cur.execute(f"set lock_timeout = '{LOCK_TIMEOUT_S}s'")

    def _begin(self, meta: dict, table: str) -> None:
        self.meta, self.table = meta, table
        self._cur.execute(
            "insert into raw.ingest_batches (file_name, file_path, sha256, bytes, kind, district_code, "
            "reporting_date, sheets, legacy_encoding, rows_in, rows_loaded, rows_quarantined, status, started_at, "
            "source_modified) values ($1, $2, $3, $4, $5, $6, $7::date, string_to_array($8, '|'), $9, 0, 0, 0, "
            "'loaded', $10::timestamptz, $11::timestamptz) returning batch_id",
            (
                meta["file_name"], meta["file_path"], meta["sha256"], meta["bytes"], meta["kind"],
                meta.get("district_code"), _iso(meta.get("reporting_date")), "|".join(meta["sheets"]),
                meta.get("legacy_encoding"), meta["started_at"].isoformat(), meta["source_modified"].isoformat(),
            ),
        )  # fmt: skip
        self.batch_id = self._cur.fetchone()[0]
        self._columns = self._table_columns(table)
        if "citizen_pseudonym" in self._columns:
            _same_key(self._cur, self._key)

    def _table_columns(self, table: str) -> list[str]:
        self._cur.execute(
            "select column_name from information_schema.columns where table_schema = 'raw' and table_name = $1 "
            "order by ordinal_position",
            (table,),
        )
        return [r[0] for r in self._cur.fetchall()]  # COPY is positional: the table's own order

    def _commit(self, rows_in: int, skipped: dict, batch_key: str, outcome: CheckOutcome, before_commit) -> dict:
        cur, batch_id = self._cur, self.batch_id
        cur.execute(f"select count(*) from raw.{self.table} where batch_id = $1", (batch_id,))
        loaded = cur.fetchone()[0]
        cur.execute(
            "select r, count(*) from quarantine.rows, unnest(reasons) as r where batch_id = $1 group by r order by r",
            (batch_id,),
        )
        reasons = dict(cur.fetchall())
        cur.execute("select count(*) from quarantine.rows where batch_id = $1", (batch_id,))
        quarantined = cur.fetchone()[0]
        if rows_in != loaded + quarantined:  # nothing lost, nothing twice
            name = self.meta["file_name"]
            raise AssertionError(f"{name}: {rows_in} rows in, {loaded} loaded + {quarantined} quarantined")
        cur.execute(
            "update raw.ingest_batches set batch_key = $1, rows_in = $2, rows_loaded = $3, rows_quarantined = $4, "
            "rows_skipped = $5, skipped = $6::jsonb, checks = $7, checks_detail = $8::jsonb, warnings = $9::jsonb, "
            "vocabulary = $10, revision = revision + $12, contexts = coalesce($13::jsonb, contexts), "
            "finished_at = clock_timestamp() where batch_id = $11",
            (
                batch_key, rows_in, loaded, quarantined, sum(skipped.values()), json.dumps(dict(skipped)),
                outcome.status, json.dumps(outcome.failed, ensure_ascii=False, default=str),
                json.dumps(self.meta.get("warnings") or [], ensure_ascii=False), self.meta.get("vocabulary"),
                batch_id, int(bool(self.meta.get("replay"))),
                json.dumps(self.meta["contexts"], ensure_ascii=False) if self.meta.get("contexts") else None,
            ),
        )  # fmt: skip
        if before_commit:
            before_commit(cur, batch_id)
        status, superseded = _supersede(cur, batch_id, batch_key, outcome.status)
        self._conn.commit()
        self._committed = True
        return {
            "batch_id": batch_id,
            "status": status,
            "superseded": superseded,
            "rows_loaded": loaded,
            "rows_quarantined": quarantined,
            "quarantined_by_reason": reasons,
        }

    def _write(self, loaded: pl.DataFrame, quarantined: pl.DataFrame) -> None:
        from ingest import people

        if loaded.height:
            data = loaded.with_columns(pl.lit(self.batch_id, pl.Int64).alias("batch_id"))
            if "citizen_pseudonym" in self._columns:
                person = people.key_of_loaded()  # no ID: the name and birth date (and commune)
                data = data.with_columns(people.pseudonyms(person, self._key).alias("citizen_pseudonym"))
            data = data.select(self._columns)
            self._cur.adbc_ingest(self.table, data.to_arrow(), mode="append", db_schema_name="raw")
        if quarantined.height:
            self._quarantine(quarantined)

    def _quarantine(self, quarantined: pl.DataFrame) -> None:
        q = quarantined.with_columns(pl.col("reasons").list.join("|"), pl.lit(self.meta["kind"]).alias("kind"))
        casts = {"reasons": "string_to_array(reasons, '|')", "details": "details::jsonb", "cells": "cells::jsonb"}
        _insert_cast(self._cur, "quarantine.rows", q, self.batch_id, casts)

    def _replace(self, rows: pl.DataFrame, quarantined: pl.DataFrame | None) -> None:
        with _temporary(self._cur, "ingest_taken_back", rows) as taken:
            for target in (f"raw.{self.table}", "quarantine.rows"):
                self._cur.execute(
                    f"delete from {target} as t using {taken} as k where t.batch_id = $1 "
                    "and t.source_sheet = k.source_sheet and t.source_row = k.source_row",
                    (self.batch_id,),
                )
        if quarantined is not None and quarantined.height:
            self._quarantine(quarantined)


LOCK_TIMEOUT_S = 120


class PseudonymKeyChanged(RuntimeError):
    """The pseudonym key is not the one the warehouse's person ids were made with."""


def _key_changed_message() -> str:
    return (
        "the pseudonym key (CADRE_PSEUDONYM_KEY or $CADRE_HOME/pseudonym.key) is not the one the warehouse's "
        "person ids were made with: a new key changes every person id. Restore the key, or recompute them "
        "all on purpose: cadre ingest --new-pseudonym-key"
    )


def _same_key(cur, key: str) -> None:
    """In the batch's transaction: the key on record must be this one (nothing loads otherwise); the first
    key is recorded. Only read when a key is on record: a batch waiting for its checks then holds no lock a
    ``lock table`` of the key would wait for."""
    from ingest import people

    cur.execute("select fingerprint from raw.pseudonym_key_in_use")
    row = cur.fetchone()
    if row is None:
        cur.execute(
            "insert into raw.pseudonym_key_in_use (fingerprint) values ($1) on conflict do nothing",
            (people.fingerprint(key),),
        )
        cur.execute("select fingerprint from raw.pseudonym_key_in_use")
        row = cur.fetchone()
    if row[0] != people.fingerprint(key):
        raise PseudonymKeyChanged(_key_changed_message())


def record_pseudonym_key(url: str, key: str | None = None) -> None:
    """The key's fingerprint on record (committed, without locking the table: files of other processes may
    be waiting for their checks), or ``PseudonymKeyChanged``."""
    from ingest import people

    key = key or people.key_in_use()
    mine, recorded = people.fingerprint(key), "select fingerprint from raw.pseudonym_key_in_use"
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(recorded).fetchone()
        if row is None:
            insert = "insert into raw.pseudonym_key_in_use (fingerprint) values (%s) on conflict do nothing"
            conn.execute(insert, (mine,))
            row = conn.execute(recorded).fetchone()
    if row[0] != mine:
        raise PseudonymKeyChanged(_key_changed_message())


def _record_key(conn, key: str, new_key: bool) -> None:
    from ingest import people

    conn.execute("lock table raw.pseudonym_key_in_use in exclusive mode")
    row = conn.execute("select fingerprint from raw.pseudonym_key_in_use").fetchone()
    mine = people.fingerprint(key)
    if row and row[0] != mine and not new_key:
        raise PseudonymKeyChanged(_key_changed_message())
    if not row or row[0] != mine:
        conn.execute(
            "insert into raw.pseudonym_key_in_use (fingerprint) values (%s) on conflict (only_row) "
            "do update set fingerprint = excluded.fingerprint, since = clock_timestamp()",
            (mine,),
        )


def use_pseudonym_key(url: str, key: str | None = None, new_key: bool = False) -> int:
    """Make every HR row carry its pseudonym under ``key`` (rows loaded before pseudonyms were computed by the
    ingest, or all of them when ``new_key`` says the key changed on purpose); returns the citizen IDs
    (re)computed. Refuses another key than the recorded one unless ``new_key``. One transaction."""
    from ingest import people

    key = key or people.key_in_use()
    with psycopg.connect(url) as conn, conn.transaction():
        _record_key(conn, key, new_key)
        missing = "" if new_key else " and citizen_pseudonym is null"
        inexact = "flags && array['dob:year_only', 'dob:month_only']"
        person = (  # people.key, in SQL
            f"coalesce(citizen_id, name_key || '|' || to_char(dob, 'YYYY-MM-DD') "
            f"|| case when {inexact} then '|' || commune_code else '' end)"
        )
        ids = [
            r[0] for r in conn.execute(f"select distinct {person} from raw.hr_rows where {person} is not null{missing}")
        ]
        if ids:
            conn.execute("create temporary table pseudonyms (person text primary key, p text) on commit drop")
            with conn.cursor().copy("copy pseudonyms (person, p) from stdin") as copy:
                for value in ids:
                    copy.write_row((value, people.pseudonym(key, value)))
            conn.execute(
                f"update raw.hr_rows as h set citizen_pseudonym = p.p from pseudonyms as p "
                f"where {person} = p.person and h.citizen_pseudonym is distinct from p.p"
            )
    return len(ids)


def _insert_cast(cur, target: str, frame: pl.DataFrame, batch_id: int, casts: dict[str, str]) -> None:
    """For the few columns COPY cannot type (jsonb, arrays): a temporary table, then INSERT ... SELECT."""
    select = ", ".join(casts.get(c, c) for c in frame.columns)
    with _temporary(cur, "ingest_" + target.replace(".", "_"), frame) as temp:
        cur.execute(
            f"insert into {target} (batch_id, {', '.join(frame.columns)}) select {batch_id}, {select} from {temp}"
        )


@contextmanager
def _temporary(cur, name: str, frame: pl.DataFrame):
    """``frame`` as the temporary table ``name`` (Arrow COPY) for the statements of the block."""
    cur.execute(f"drop table if exists {name}")
    cur.adbc_ingest(name, frame.to_arrow(), mode="create", temporary=True)
    yield name
    cur.execute(f"drop table {name}")


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _supersede(cur, batch_id: int, batch_key: str, checks: str) -> tuple[str, list[int]]:
    """Among loaded batches of the same key, the one in use wins: which that is, is said once, by the view
    ``raw.current_batches`` (the most recent source, a source without a date last; ties: the later load).

    A batch whose checks failed never supersedes anything (the last good file stays in use)."""
    if checks == "failed":
        return "loaded", []
    cur.execute("select batch_id from raw.current_batches where batch_key = $1", (batch_key,))
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
