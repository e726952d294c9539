"""Publishing swaps every candidate schema in at once, or nothing; the report writes text as text."""

from __future__ import annotations

import threading
from urllib.parse import urlparse

import openpyxl
import psycopg
import pytest

from cadre import publish as wap
from cadre.reports.build import write_xlsx
from cadre.reports.data import Table
from tests.conftest import query


def _candidate(url: str, value: int, skip: str | None = None) -> None:
    """What dbt builds: candidate schemas owned by the transformer, tables granted as dbt_project.yml says."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("set role cadre_transformer")
        for schema in wap.SCHEMAS:
            if schema != skip:
                conn.execute(f'create schema "{schema}{wap.SUFFIX}"')
        conn.execute(f"create table marts{wap.SUFFIX}.figures as select {value} as value")
        conn.execute(
            f"create table marts{wap.SUFFIX}.dim_date as "
            "select date '2021-12-31' as date_day, true as is_reporting_date"
        )
        conn.execute(f"grant select on marts{wap.SUFFIX}.figures to cadre_analyst")
        if skip != "reporting":
            conn.execute(f"create table reporting{wap.SUFFIX}.totals as select {value} as value")
            conn.execute(f"grant select on reporting{wap.SUFFIX}.totals to cadre_bi")


def _new_batch(url: str, key: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "insert into raw.ingest_batches (file_name, file_path, sha256, bytes, kind, batch_key, status, checks, "
            "rows_in, rows_loaded, rows_quarantined, started_at) "
            "values ('x.xlsx', '/x.xlsx', md5(%s) || md5(%s), 1, 'hr', %s, 'loaded', 'passed', 0, 0, 0, now())",
            (key, key, key),
        )


def _audited(url: str, run_id: str) -> wap.Inputs:
    """What a refresh does before its publish: take the lease (pinning the batches), pass the gate."""
    inputs, up_to_date = wap.take(url, run_id)
    assert not up_to_date
    wap.audited(url, run_id)
    return inputs


def test_publish_swaps_all_schemas_in_one_transaction(fresh_db):
    url = fresh_db
    _candidate(url, 1)
    _audited(url, "run-1")
    first = wap.publish(url, "run-1", ["marts.figures"])
    assert query(url, "select value from marts.figures") == [(1,)]
    assert first.row_counts == {"marts.figures": 1}
    assert str(first.latest_reporting_date) == "2021-12-31"
    assert query(url, "select count(*) from pg_namespace where nspname like '%%__candidate'") == [(0,)]
    # BI's role reads the published reporting aggregates, never marts, raw data or the restricted layers
    grants = query(
        url,
        "select has_table_privilege('cadre_bi', 'reporting.totals', 'select'), "
        "has_schema_privilege('cadre_bi', 'reporting', 'usage'), has_schema_privilege('cadre_bi', 'marts', 'usage'), "
        "has_table_privilege('cadre_bi', 'raw.hr_rows', 'select'), "
        "has_schema_privilege('cadre_bi', 'intermediate', 'usage'), "
        "has_schema_privilege('cadre_analyst', 'marts', 'usage')",
    )
    assert grants == [(True, True, False, False, False, True)]

    # a candidate missing a schema is refused whole: the published data and the log stay as they were
    _candidate(url, 2, skip="reporting")
    _new_batch(url, "hr:193:2022-06-30")
    _audited(url, "run-2")
    with pytest.raises(RuntimeError, match="reporting"):
        wap.publish(url, "run-2", ["marts.figures"])
    assert query(url, "select value from marts.figures") == [(1,)]
    assert query(url, "select run_id from ops.publishes") == [("run-1",)]
    wap.drop_candidates(url)
    wap.release(url, "run-2")
    assert query(url, "select count(*) from pg_namespace where nspname like '%%__candidate'") == [(0,)]


def test_one_refresh_at_a_time_and_only_an_audited_candidate_is_published(fresh_db):
    url = fresh_db
    _candidate(url, 1)
    inputs, _ = wap.take(url, "airflow-run")
    with pytest.raises(wap.RefreshRunning, match="airflow-run"):  # `cadre refresh` beside the DAG
        wap.take(url, "cli-run")
    with pytest.raises(wap.RefreshRunning):  # a run without the lease cannot publish
        wap.publish(url, "cli-run", [])
    with pytest.raises(RuntimeError, match="quality gate"):  # nor the holder before its gate passed
        wap.publish(url, "airflow-run", [])
    assert query(url, "select count(*) from ops.publishes") == [(0,)]
    assert query(url, "select batches from ops.build_inputs where target = 'candidate'") == [(inputs.batches,)]
    wap.audited(url, "airflow-run")
    published = wap.publish(url, "airflow-run", [])
    assert published.input_batches == inputs.batches
    assert query(url, "select count(*) from ops.refresh_lease") == [(0,)]  # the publish gave the lease up
    # a run that died leaves the lease to expire, then it is taken over
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "insert into ops.refresh_lease (run_id, expires_at) values ('dead-run', now() - interval '1 minute')"
        )
    _new_batch(url, "hr:193:2022-12-31")  # something new to build
    _inputs, up_to_date = wap.take(url, "next-run")
    assert not up_to_date
    assert query(url, "select run_id from ops.refresh_lease") == [("next-run",)]
    assert wap.release(url, "next-run")
    assert not wap.release(url, "next-run")


def test_is_current_compares_the_batches_in_use(fresh_db):
    url = fresh_db
    wap.ensure(url)
    assert not wap.is_current(url, wap.inputs(url))  # never published
    _candidate(url, 1)
    _audited(url, "run-1")
    wap.publish(url, "run-1", [])
    assert wap.is_current(url, wap.inputs(url))
    _new_batch(url, "hr:193:2021-12-31")  # a new batch that passed its checks arrives
    assert not wap.is_current(url, wap.inputs(url))
    _candidate(url, 2)
    _audited(url, "run-2")
    wap.publish(url, "run-2", [])
    assert wap.is_current(url, wap.inputs(url))
    with psycopg.connect(url, autocommit=True) as conn:  # the same batch read again with a new vocabulary
        conn.execute("update raw.ingest_batches set revision = revision + 1")
    assert not wap.is_current(url, wap.inputs(url))


def test_report_cells_that_look_like_formulas_stay_text(tmp_path):
    path = tmp_path / "r.xlsx"
    hostile = ["=1+1", "+A1", "-2+3", "@SUM(A1:A2)", '=HYPERLINK("http://x")']
    write_xlsx([Table("Kiểm tra", "Kiểm tra", ["Giá trị", "Số"], [[v, 1] for v in hostile])], path, ["Ngày báo cáo"])
    sheet = openpyxl.load_workbook(path)["Kiểm tra"]
    cells = [row[0] for row in sheet.iter_rows(min_row=4) if row[0].value in hostile]
    assert [c.value for c in cells] == hostile
    assert {c.data_type for c in cells} == {"s"}


def test_an_idle_bi_session_and_a_bi_view_live_with_a_publish(fresh_db, publisher):
    url = fresh_db
    _candidate(url, 1)
    _audited(publisher, "run-1")
    wap.publish(publisher, "run-1", [])
    with psycopg.connect(url, autocommit=True) as conn:  # an analysts' team: its own schema, built on the marts
        conn.execute("drop role if exists analysts_team")
        conn.execute("create role analysts_team nologin in role cadre_analyst")
        conn.execute("create schema bi_team authorization analysts_team")
        conn.execute("set role analysts_team")
        conn.execute("create view bi_team.tenfold as select value * 10 as value from marts.figures")
        conn.execute("create view bi_team.on_top as select value + 1 as value from bi_team.tenfold")
        conn.execute("grant usage on schema bi_team to cadre_bi")
        conn.execute("grant select on bi_team.on_top to cadre_bi")
        conn.execute("reset role")
        conn.execute("grant analysts_team to cadre_publisher")  # the team lets the publisher carry its views over
    bi = psycopg.connect(url)  # a dashboard that read the marts and left its transaction open
    assert bi.execute("select value from marts.figures").fetchone() == (1,)
    _candidate(url, 2)
    _new_batch(url, "hr:193:2023-06-30")
    _audited(publisher, "run-2")
    # the swap renames schemas: it does not wait for the idle reader (a bounded wait would raise instead)
    published = wap.publish(publisher, "run-2", [], lock_timeout="2s", attempts=1)
    assert query(url, "select value from bi_team.on_top") == [(21,)]  # the team's views read the new publish
    assert query(url, "select has_table_privilege('cadre_bi', 'bi_team.on_top', 'select')") == [(True,)]
    assert any("for now" in w for w in published.warnings)  # the retired tables wait for the reader
    bi.rollback()
    bi.close()
    assert wap.cleanup(publisher) == []
    assert query(url, "select count(*) from pg_namespace where nspname like '%%retired%%'") == [(0,)]
    assert query(url, "select value from bi_team.on_top") == [(21,)]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("drop schema bi_team cascade")
        conn.execute("drop role analysts_team")


def test_a_blocked_swap_waits_a_bounded_time_retries_and_then_says_why(fresh_db):
    url = fresh_db
    _candidate(url, 1)
    _audited(url, "run-1")
    holder = psycopg.connect(url, autocommit=True)
    holder.execute("select pg_advisory_lock(%s)", (wap._LOCK,))  # something holds what the swap needs
    with pytest.raises(wap.PublishBlocked, match="3 attempts"):
        wap.publish(url, "run-1", [], lock_timeout="100ms", attempts=3, backoff=0.05)
    assert query(url, "select count(*) from ops.publishes") == [(0,)]
    assert query(url, "select run_id from ops.refresh_lease") == [("run-1",)]  # kept: publish again later
    # released while the publish backs off: a later attempt goes through
    threading.Timer(0.5, holder.close).start()
    published = wap.publish(url, "run-1", [], lock_timeout="100ms", attempts=8, backoff=0.1)
    assert published.run_id == "run-1"
    assert query(url, "select value from marts.figures") == [(1,)]


def test_the_bi_login_reads_the_published_aggregates_only_and_its_queries_time_out(fresh_db, tmp_path):
    from cadre import access
    from cadre import settings as settings_mod

    url = fresh_db
    _candidate(url, 1)
    _audited(url, "run-1")
    wap.publish(url, "run-1", [])
    settings = settings_mod.load({"CADRE_HOME": str(tmp_path)})
    bi_url = access.bi_url(settings, url)
    assert access.bi_url(settings, url) == bi_url  # idempotent: the same login and password
    assert "cadre_bi_reader:" in bi_url
    assert urlparse(url).password not in bi_url
    with psycopg.connect(bi_url, autocommit=True) as bi:
        assert bi.execute("select current_user").fetchone() == ("cadre_bi_reader",)
        assert bi.execute("show statement_timeout").fetchone() == ("1min",)
        assert bi.execute("select value from reporting.totals").fetchone() == (1,)
        for forbidden in ("marts.figures", "raw.ingest_batches", "ops.refresh_lease", "raw.pseudonym_key_in_use"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                bi.execute(f"select * from {forbidden}")
        bi.execute("set statement_timeout = '200ms'")  # the role's 1 min, shortened for the test
        with pytest.raises(psycopg.errors.QueryCanceled):  # a runaway query is cancelled
            bi.execute("select pg_sleep(5)")


def test_a_candidate_whose_batches_were_read_again_while_it_built_is_not_published(fresh_db):
    url = fresh_db
    _candidate(url, 1)
    _new_batch(url, "hr:193:2024-06-30")
    _audited(url, "run-1")
    with psycopg.connect(url, autocommit=True) as conn:  # a quarantine replay rewrites the pinned batch's rows
        conn.execute("update raw.ingest_batches set revision = revision + 1")
    with pytest.raises(RuntimeError, match="read again"):
        wap.publish(url, "run-1", [])
    assert query(url, "select count(*) from ops.publishes") == [(0,)]
