"""Write-audit-publish for the dbt warehouse.

dbt builds a refresh into candidate schemas (``marts__candidate``, ...; see the ``generate_schema_name``
macro), the quality gate audits them there, and ``publish`` swaps every candidate schema for its published
twin by renaming schemas in one PostgreSQL transaction. Analysts and BI tools, which read ``marts`` and
``reporting``, see either the previous publish or the new one, never a half-built or failing refresh.

``ops.publishes`` logs each publish with the set of raw batches it was built from, so a refresh with no
new input can say so and do nothing.

A refresh holds one lease (``ops.refresh_lease``) from ``begin`` to ``publish``: a second refresh (the CLI
beside the Airflow DAG) is told that one is running and never builds over its candidate. ``begin`` pins the
batches the candidate reads (``ops.build_inputs``, read by the ``batches_in_use`` macro): a file ingested
mid-refresh waits for the next one. ``audited`` marks the candidate as passed by the quality gate, and
``publish`` swaps in only a candidate of the lease's own run that passed.
"""

from __future__ import annotations

import dataclasses
import json
import time
from dataclasses import dataclass
from datetime import datetime

import psycopg

SCHEMAS = ("reference", "staging", "intermediate", "marts", "reporting")
CANDIDATE = "candidate"  # the dbt target of the refresh; it builds into schemas with this suffix
SUFFIX = f"__{CANDIDATE}"
LEASE_HOURS = 6  # a lease older than this is taken over: its run died without releasing it
_RETIRED = "__retired"
LOCK_TIMEOUT = "5s"  # the longest one attempt of the swap waits for a lock
ATTEMPTS, BACKOFF = 5, 1.0  # attempts in all; seconds before the second, doubling
_LOCK = 7_351_001  # advisory lock: one publish at a time

DDL = """
create schema if not exists ops;
create table if not exists ops.publishes (
    publish_id bigint generated always as identity primary key,
    run_id text not null,
    published_at timestamptz not null default clock_timestamp(),
    input_batches bigint[] not null,
    latest_reporting_date date,
    row_counts jsonb not null
);
comment on table ops.publishes is 'Each publish of the warehouse: the run, when, the raw batches it was built from.';
-- since the vocabulary replay: how many times the batches in use had been read again (a replay changes rows,
-- not batch ids)
alter table ops.publishes add column if not exists input_revision bigint not null default 0;
create table if not exists ops.build_inputs (
    target text primary key,
    run_id text,
    batches bigint[] not null,
    revision bigint not null,
    pinned_at timestamptz not null default clock_timestamp()
);
comment on table ops.build_inputs is 'Per dbt target, the raw batches its build reads, pinned when it began.';
create table if not exists ops.refresh_lease (
    only_row boolean primary key default true check (only_row),
    run_id text not null,
    taken_at timestamptz not null default clock_timestamp(),
    expires_at timestamptz not null,
    audited_at timestamptz
);
comment on table ops.refresh_lease is 'The refresh running now, from begin to publish: one at a time.';
"""


@dataclass(frozen=True)
class Publish:
    publish_id: int
    run_id: str
    published_at: datetime
    input_batches: list[int]
    latest_reporting_date: object
    row_counts: dict
    input_revision: int = 0
    warnings: tuple[str, ...] = ()  # BI objects the publish could not carry over


def ensure(url: str) -> None:
    """The ops tables, created or brought up to date by their owner; a component's login runs no DDL."""
    from cadre.access import may_alter

    with psycopg.connect(url, autocommit=True) as conn:
        if may_alter(conn, "ops"):
            conn.execute(DDL)


@dataclass(frozen=True)
class Inputs:
    """What a refresh builds from: the raw batches in use and how many times they were read again."""

    batches: list[int]
    revision: int


def input_batches(conn: psycopg.Connection) -> Inputs:
    """The raw batches downstream uses now (newest correction per delivery, checks not failed)."""
    rows = conn.execute("select batch_id, revision from raw.current_batches order by batch_id").fetchall()
    return Inputs([r[0] for r in rows], sum(r[1] for r in rows))


class RefreshRunning(RuntimeError):
    """Another refresh holds the lease: this one must wait (or its lease was taken over)."""


def pin(conn: psycopg.Connection, target: str, inputs: Inputs, run_id: str | None = None) -> None:
    """The batches the dbt build of ``target`` reads (``batches_in_use`` macro), until pinned again."""
    conn.execute(
        "insert into ops.build_inputs (target, run_id, batches, revision) values (%s, %s, %s, %s) "
        "on conflict (target) do update set run_id = excluded.run_id, batches = excluded.batches, "
        "revision = excluded.revision, pinned_at = clock_timestamp()",
        (target, run_id, inputs.batches, inputs.revision),
    )


def pin_current(url: str, target: str) -> Inputs:
    """Pin the batches in use now for ``target`` (a developer's build: ``cadre dbt``)."""
    ensure(url)
    with psycopg.connect(url) as conn, conn.transaction():
        inputs = input_batches(conn)
        pin(conn, target, inputs)
    return inputs


def holder(conn: psycopg.Connection) -> tuple | None:
    """(run_id, taken_at, audited_at) of the live lease, if any."""
    return conn.execute(
        "select run_id, taken_at, audited_at from ops.refresh_lease where expires_at > clock_timestamp()"
    ).fetchone()


def take(url: str, run_id: str) -> tuple[Inputs, bool]:
    """Begin a refresh: (the batches in use, whether the publish is already built from exactly them). When
    it is not, the lease is taken for ``run_id`` and those batches are pinned for the candidate, in one
    transaction. Raises ``RefreshRunning`` when another run holds the lease."""
    ensure(url)
    with psycopg.connect(url) as conn, conn.transaction():
        conn.execute("lock table ops.refresh_lease in exclusive mode")  # begins one at a time
        held = holder(conn)
        if held and held[0] != run_id:
            raise RefreshRunning(f"a refresh is running: run {held[0]} since {held[1]:%Y-%m-%d %H:%M:%S %Z}")
        inputs = input_batches(conn)
        if _is_current(conn, inputs):
            return inputs, True
        conn.execute(
            "insert into ops.refresh_lease (run_id, expires_at) "
            "values (%s, clock_timestamp() + make_interval(hours => %s)) "
            "on conflict (only_row) do update set run_id = excluded.run_id, taken_at = clock_timestamp(), "
            "expires_at = excluded.expires_at, audited_at = null",
            (run_id, LEASE_HOURS),
        )
        pin(conn, CANDIDATE, inputs, run_id)
    return inputs, False


def audited(url: str, run_id: str) -> None:
    """The quality gate passed ``run_id``'s candidate: it may be published."""
    with psycopg.connect(url) as conn, conn.transaction():
        done = conn.execute(
            "update ops.refresh_lease set audited_at = clock_timestamp() where run_id = %s", (run_id,)
        ).rowcount
    if not done:
        raise RefreshRunning(f"run {run_id} does not hold the refresh lease: its candidate is not marked audited")


def release(url: str, run_id: str) -> bool:
    """Give the lease up (a refresh that failed or published); False when ``run_id`` did not hold it."""
    ensure(url)
    with psycopg.connect(url) as conn, conn.transaction():
        return bool(conn.execute("delete from ops.refresh_lease where run_id = %s", (run_id,)).rowcount)


def last(url: str) -> Publish | None:
    """The newest publish (``ensure`` must have run: the log table exists)."""
    return _publish_row(url, "order by publish_id desc limit 1")


def is_current(url: str, inputs: Inputs) -> bool:
    """The published warehouse was built from exactly these ``inputs`` (the batches in use now, read as
    many times): a refresh would change nothing."""
    with psycopg.connect(url) as conn:
        return _is_current(conn, inputs)


def _is_current(conn: psycopg.Connection, inputs: Inputs) -> bool:
    previous = conn.execute(
        "select input_batches, input_revision from ops.publishes order by publish_id desc limit 1"
    ).fetchone()
    if previous is None:
        return False
    same = inputs.batches == list(previous[0]) and inputs.revision == previous[1]
    return same and _published(conn, "reporting")


def _published(conn: psycopg.Connection, schema: str) -> bool:
    return conn.execute("select exists (select from pg_namespace where nspname = %s)", (schema,)).fetchone()[0]


def drop_candidates(url: str) -> None:
    """Remove what a failed or interrupted refresh left behind, before building a new candidate, and the
    retired schemas of earlier publishes nobody uses any more."""
    with psycopg.connect(url, autocommit=True) as conn:
        for schema in SCHEMAS:
            conn.execute(f'drop schema if exists "{schema}{SUFFIX}" cascade')
    cleanup(url)


def row_counts(url: str, tables: list[str], suffix: str = "") -> dict[str, int]:
    """Rows of ``schema.table`` (with ``suffix`` on the schema) for those that exist."""
    counts = {}
    with psycopg.connect(url) as conn:
        for name in tables:
            schema, table = name.split(".")
            exists = conn.execute("select to_regclass(%s)", (f'"{schema}{suffix}"."{table}"',)).fetchone()[0]
            if exists:
                counts[name] = conn.execute(f'select count(*) from "{schema}{suffix}"."{table}"').fetchone()[0]
    return counts


def inputs(url: str) -> Inputs:
    """The batches a refresh starting now builds from; ``publish`` records them."""
    with psycopg.connect(url) as conn:
        return input_batches(conn)


class PublishBlocked(RuntimeError):
    """The swap could not take its locks within ``lock_timeout`` on any attempt: nothing was published."""


def publish(
    url: str,
    run_id: str,
    counted: list[str],
    lock_timeout: str = LOCK_TIMEOUT,
    attempts: int = ATTEMPTS,
    backoff: float = BACKOFF,
) -> Publish:
    """Swap every candidate schema in, in one transaction, log it with the batches pinned for it, and give
    the lease up. Raises (nothing swapped) unless ``run_id`` holds the lease and its candidate passed the
    gate, or when a candidate schema is missing.

    The swap renames schemas: it never waits for a reader of the published tables (an idle BI transaction),
    and each attempt waits at most ``lock_timeout`` for a lock; a blocked attempt is retried after
    ``backoff`` seconds, doubling, ``attempts`` times in all, then ``PublishBlocked``. Views of other
    schemas built on the published tables (a BI team's own) are pointed at the new tables in the same
    transaction; the retired tables are dropped afterwards, when nobody else depends on them (``cleanup``)."""
    ensure(url)
    counts = row_counts(url, counted, SUFFIX)
    for attempt in range(1, attempts + 1):
        try:
            published = _swap(url, run_id, counts, lock_timeout)
            break
        except psycopg.errors.LockNotAvailable as exc:
            if attempt == attempts:
                raise PublishBlocked(
                    f"not published: the swap waited {lock_timeout} for a lock on each of {attempts} attempts "
                    f"({str(exc).strip()}); the candidate and the lease are kept, publish again later"
                ) from exc
            time.sleep(backoff * 2 ** (attempt - 1))
    kept = cleanup(url, lock_timeout)
    return dataclasses.replace(published, warnings=published.warnings + tuple(kept))


def is_ours(schema: str) -> bool:
    return any(schema == s or schema.startswith(f"{s}__") for s in SCHEMAS)


def _dependent_views(conn: psycopg.Connection, schemas: list[str]) -> list[tuple]:
    """(oid, schema, name, kind, definition) of every view or materialized view built on a table of ``schemas``,
    in creation order; definitions fully qualified when the search path is ``pg_catalog``."""
    return conn.execute(
        "select distinct view.oid, view_ns.nspname, view.relname, view.relkind, pg_get_viewdef(view.oid) "
        "from pg_depend as dep join pg_rewrite as rule on rule.oid = dep.objid "
        "join pg_class as view on view.oid = rule.ev_class "
        "join pg_namespace as view_ns on view_ns.oid = view.relnamespace "
        "join pg_class as base on base.oid = dep.refobjid "
        "join pg_namespace as base_ns on base_ns.oid = base.relnamespace "
        "where dep.classid = 'pg_rewrite'::regclass and dep.refclassid = 'pg_class'::regclass "
        "and base_ns.nspname = any(%s) and view.oid <> base.oid order by view.oid",
        (schemas,),
    ).fetchall()


def _swap(url: str, run_id: str, counts: dict, lock_timeout: str) -> Publish:
    warnings: list[str] = []
    with psycopg.connect(url) as conn, conn.transaction():
        conn.execute(f"set local lock_timeout = '{lock_timeout}'")
        conn.execute("set local search_path = pg_catalog")  # view definitions are read fully qualified
        conn.execute("select pg_advisory_xact_lock(%s)", (_LOCK,))
        lease = conn.execute("select run_id, audited_at from ops.refresh_lease for update").fetchone()
        if lease is None or lease[0] != run_id:
            raise RefreshRunning(f"cannot publish: run {run_id} does not hold the refresh lease ({lease and lease[0]})")
        if lease[1] is None:
            raise RuntimeError(f"cannot publish: the candidate of run {run_id} has not passed the quality gate")
        pinned = conn.execute(
            "select batches, revision from ops.build_inputs where target = %s and run_id = %s", (CANDIDATE, run_id)
        ).fetchone()
        inputs = Inputs(list(pinned[0]), pinned[1])
        now_read = conn.execute(
            "select coalesce(sum(revision), 0) from raw.ingest_batches where batch_id = any(%s)", (inputs.batches,)
        ).fetchone()[0]
        if now_read != inputs.revision:  # `cadre quarantine replay` rewrote rows the candidate may have read
            raise RuntimeError(
                f"cannot publish: batches of run {run_id} were read again while it built (revision "
                f"{inputs.revision} -> {now_read}); refresh again"
            )
        missing = [s for s in SCHEMAS if not _published(conn, f"{s}{SUFFIX}")]
        if missing:
            raise RuntimeError(f"cannot publish: candidate schemas missing: {', '.join(missing)}")
        # other teams' views on the published tables, read before the rename (they name `marts.x`)
        views = [v for v in _dependent_views(conn, list(SCHEMAS)) if not is_ours(v[1]) and v[3] == "v"]
        stamp = conn.execute("select to_char(clock_timestamp(), 'YYYYMMDDHH24MISSUS')").fetchone()[0]
        for schema in SCHEMAS:
            if _published(conn, schema):
                conn.execute(f'alter schema "{schema}" rename to "{schema}{_RETIRED}_{stamp}"')
            conn.execute(f'alter schema "{schema}{SUFFIX}" rename to "{schema}"')
        for _oid, schema, name, _kind, definition in views:
            try:
                with conn.transaction():  # a savepoint: a view the new tables cannot carry stays on the old
                    conn.execute(f'create or replace view "{schema}"."{name}" as {definition}')
            except psycopg.Error as exc:
                warnings.append(f"{schema}.{name} still reads the previous publish: {str(exc).strip()}")
        _grant_usage(conn)
        latest = conn.execute("select max(date_day) from marts.dim_date where is_reporting_date").fetchone()[0]
        row = conn.execute(
            "insert into ops.publishes (run_id, input_batches, latest_reporting_date, row_counts, input_revision) "
            f"values (%s, %s, %s, %s, %s) returning {_PUBLISH_COLUMNS}",
            (run_id, inputs.batches, latest, json.dumps(counts), inputs.revision),
        ).fetchone()
        conn.execute("delete from ops.refresh_lease where run_id = %s", (run_id,))
    return Publish(*row, warnings=tuple(warnings))


def _grant_usage(conn: psycopg.Connection) -> None:
    """The swapped-in schemas are new objects: their readers (``access.READERS``) get usage again, in the swap's
    transaction. Tables carry their own grants, made by dbt from ``dbt_project.yml``."""
    from cadre.access import READERS

    roles = {
        r[0]
        for r in conn.execute(
            "select rolname from pg_roles where rolname = any(%s)",
            (sorted({role for readers in READERS.values() for role in readers}),),
        )
    }
    for schema, readers in READERS.items():
        for role in readers:
            if role in roles:
                conn.execute(f'grant usage on schema "{schema}" to "{role}"')


def cleanup(url: str, lock_timeout: str = LOCK_TIMEOUT) -> list[str]:
    """Drop the retired schemas of earlier publishes that nobody else depends on, each waiting at most
    ``lock_timeout`` (a reader still in them: tried again next time). Never drops another team's object:
    a retired schema something outside depends on is kept, and said so."""
    kept = []
    with psycopg.connect(url, autocommit=True) as conn:
        retired = [
            r[0]
            for r in conn.execute("select nspname from pg_namespace where nspname like %s", (f"%{_RETIRED}_%",))
            if is_ours(r[0])
        ]
        for schema in retired:
            outside = [f"{v[1]}.{v[2]}" for v in _dependent_views(conn, [schema]) if v[1] != schema]
            if outside:
                kept.append(f"kept {schema}: {', '.join(outside)} depends on it")
                continue
            try:
                with conn.transaction():
                    conn.execute(f"set local lock_timeout = '{lock_timeout}'")
                    conn.execute(f'drop schema "{schema}" cascade')
            except psycopg.errors.LockNotAvailable:
                kept.append(f"kept {schema} for now: a reader is still in it")
    return kept


def get(url: str, publish_id: int) -> Publish:
    published = _publish_row(url, "where publish_id = %s", (publish_id,))
    if published is None:
        raise LookupError(f"no publish #{publish_id}")
    return published


_PUBLISH_COLUMNS = "publish_id, run_id, published_at, input_batches, latest_reporting_date, row_counts, input_revision"


def _publish_row(url: str, clause: str, params: tuple = ()) -> Publish | None:
    with psycopg.connect(url) as conn:
        row = conn.execute(f"select {_PUBLISH_COLUMNS} from ops.publishes {clause}", params).fetchone()
    return Publish(*row) if row else None
