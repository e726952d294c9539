"""Write-audit-publish for the dbt warehouse.

dbt builds a refresh into candidate schemas (``marts__candidate``, ...; see the ``generate_schema_name``
macro), the quality gate audits them there, and ``publish`` swaps every candidate schema for its published
twin by renaming schemas in one PostgreSQL transaction. Analysts and BI tools, which read ``marts`` and
``reporting``, see either the previous publish or the new one, never a half-built or failing refresh.

``ops.publishes`` logs each publish with the set of raw batches it was built from, so a refresh with no
new input can say so and do nothing.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from datetime import datetime

import psycopg

SCHEMAS = ("reference", "staging", "intermediate", "marts", "reporting")
SUFFIX = "__candidate"
_RETIRED = "__retired"
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
"""

# The role BI tools and analysts are granted: the published marts and reports, never raw, quarantine or
# intermediate (personal data). Give a login role membership: `grant cadre_bi to metabase;`.
BI_ROLE = "cadre_bi"
BI_SCHEMAS = ("marts", "reporting", "reference")


@dataclass(frozen=True)
class Publish:
    publish_id: int
    run_id: str
    published_at: datetime
    input_batches: list[int]
    latest_reporting_date: object
    row_counts: dict
    input_revision: int = 0


def ensure(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(DDL)
        exists = conn.execute("select 1 from pg_roles where rolname = %s", (BI_ROLE,)).fetchone()
        # an external warehouse whose user may not create roles: grants are skipped
        if not exists:
            with contextlib.suppress(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"create role {BI_ROLE} nologin")


@dataclass(frozen=True)
class Inputs:
    """What a refresh builds from: the raw batches in use and how many times they were read again."""

    batches: list[int]
    revision: int


def input_batches(conn: psycopg.Connection) -> Inputs:
    """The raw batches downstream uses now (newest correction per delivery, checks not failed)."""
    rows = conn.execute("select batch_id, revision from raw.current_batches order by batch_id").fetchall()
    return Inputs([r[0] for r in rows], sum(r[1] for r in rows))


def last(url: str) -> Publish | None:
    """The newest publish (``ensure`` must have run: the log table exists)."""
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "select publish_id, run_id, published_at, input_batches, latest_reporting_date, row_counts, "
            "input_revision from ops.publishes order by publish_id desc limit 1"
        ).fetchone()
    return Publish(*row) if row else None


def is_current(url: str, inputs: Inputs) -> bool:
    """The published warehouse was built from exactly these ``inputs`` (the batches in use now, read as
    many times): a refresh would change nothing."""
    previous = last(url)
    if previous is None:
        return False
    with psycopg.connect(url) as conn:
        same = inputs.batches == list(previous.input_batches) and inputs.revision == previous.input_revision
        return same and _published(conn, "reporting")


def _published(conn: psycopg.Connection, schema: str) -> bool:
    return conn.execute("select exists (select from pg_namespace where nspname = %s)", (schema,)).fetchone()[0]


def drop_candidates(url: str) -> None:
    """Remove what a failed or interrupted refresh left behind, before building a new candidate."""
    with psycopg.connect(url, autocommit=True) as conn:
        for schema in SCHEMAS:
            conn.execute(f'drop schema if exists "{schema}{SUFFIX}" cascade')


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


def publish(url: str, run_id: str, counted: list[str], inputs: Inputs) -> Publish:
    """Swap every candidate schema in, in one transaction, and log it with the ``inputs`` it was built
    from. Raises if a candidate is missing (nothing is swapped then)."""
    ensure(url)
    counts = row_counts(url, counted, SUFFIX)
    with psycopg.connect(url) as conn, conn.transaction():
        conn.execute("select pg_advisory_xact_lock(%s)", (_LOCK,))
        missing = [s for s in SCHEMAS if not _published(conn, f"{s}{SUFFIX}")]
        if missing:
            raise RuntimeError(f"cannot publish: candidate schemas missing: {', '.join(missing)}")
        for schema in SCHEMAS:
            if _published(conn, schema):
                conn.execute(f'alter schema "{schema}" rename to "{schema}{_RETIRED}"')
            conn.execute(f'alter schema "{schema}{SUFFIX}" rename to "{schema}"')
            conn.execute(f'drop schema if exists "{schema}{_RETIRED}" cascade')
        if conn.execute("select 1 from pg_roles where rolname = %s", (BI_ROLE,)).fetchone():
            for schema in BI_SCHEMAS:  # the swapped-in schemas are new objects: grant again, in the same transaction
                conn.execute(f'grant usage on schema "{schema}" to {BI_ROLE}')
                conn.execute(f'grant select on all tables in schema "{schema}" to {BI_ROLE}')
        latest = conn.execute("select max(date_day) from marts.dim_date where is_reporting_date").fetchone()[0]
        row = conn.execute(
            "insert into ops.publishes (run_id, input_batches, latest_reporting_date, row_counts, input_revision) "
            "values (%s, %s, %s, %s, %s) returning publish_id, run_id, published_at, input_batches, "
            "latest_reporting_date, row_counts, input_revision",
            (run_id, inputs.batches, latest, json.dumps(counts), inputs.revision),
        ).fetchone()
    return Publish(*row)
