"""Publishing swaps every candidate schema in at once, or nothing; the report writes text as text."""

from __future__ import annotations

import openpyxl
import psycopg
import pytest

from cadre import publish as wap
from cadre.reports.build import write_xlsx
from cadre.reports.data import Table
from tests.conftest import query


def _candidate(url: str, value: int, skip: str | None = None) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        for schema in wap.SCHEMAS:
            if schema != skip:
                conn.execute(f'create schema "{schema}{wap.SUFFIX}"')
        conn.execute(f"create table marts{wap.SUFFIX}.figures as select {value} as value")
        conn.execute(
            f"create table marts{wap.SUFFIX}.dim_date as "
            "select date '2021-12-31' as date_day, true as is_reporting_date"
        )


def test_publish_swaps_all_schemas_in_one_transaction(fresh_db):
    url = fresh_db
    _candidate(url, 1)
    first = wap.publish(url, "run-1", ["marts.figures"], wap.Inputs([7], 0))
    assert query(url, "select value from marts.figures") == [(1,)]
    assert first.row_counts == {"marts.figures": 1}
    assert str(first.latest_reporting_date) == "2021-12-31"
    assert query(url, "select count(*) from pg_namespace where nspname like '%%__candidate'") == [(0,)]
    # BI's role reads what was published, never raw data or the restricted layers
    grants = query(
        url,
        "select has_table_privilege('cadre_bi', 'marts.figures', 'select'), "
        "has_table_privilege('cadre_bi', 'raw.hr_rows', 'select'), "
        "has_schema_privilege('cadre_bi', 'intermediate', 'usage')",
    )
    assert grants == [(True, False, False)]

    # a candidate missing a schema is refused whole: the published data and the log stay as they were
    _candidate(url, 2, skip="reporting")
    with pytest.raises(RuntimeError, match="reporting"):
        wap.publish(url, "run-2", ["marts.figures"], wap.Inputs([7, 8], 0))
    assert query(url, "select value from marts.figures") == [(1,)]
    assert query(url, "select run_id from ops.publishes") == [("run-1",)]
    wap.drop_candidates(url)
    assert query(url, "select count(*) from pg_namespace where nspname like '%%__candidate'") == [(0,)]


def test_is_current_compares_the_batches_in_use(fresh_db):
    url = fresh_db
    wap.ensure(url)
    assert not wap.is_current(url, wap.inputs(url))  # never published
    _candidate(url, 1)
    wap.publish(url, "run-1", [], wap.inputs(url))
    assert wap.is_current(url, wap.inputs(url))
    with psycopg.connect(url, autocommit=True) as conn:  # a new batch that passed its checks arrives
        conn.execute(
            "insert into raw.ingest_batches (file_name, file_path, sha256, bytes, kind, batch_key, status, checks, "
            "rows_in, rows_loaded, rows_quarantined, started_at) "
            "values ('x.xlsx', '/x.xlsx', repeat('a', 64), 1, 'hr', 'hr:193:2021-12-31', 'loaded', 'passed', "
            "0, 0, 0, now())"
        )
    assert not wap.is_current(url, wap.inputs(url))
    _candidate(url, 2)
    wap.publish(url, "run-2", [], wap.inputs(url))
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
