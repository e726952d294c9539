"""``make demo`` end to end: the sample province through Airflow (ingest DAG, then the refresh DAG with
Cosmos, the quality gate and the publish), in a CADRE_HOME and embedded warehouse of its own. Then the
same data again (nothing changes), then a district file that passes ingest but doubles a commune's
cadres (the refresh is not published, the previous reports stay, and the failure names the expectation).
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from datetime import UTC, datetime

import openpyxl
import psycopg
import pytest

from cadre import settings as settings_mod
from cadre.warehouse import EmbeddedWarehouse
from tests.conftest import free_port


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    settings = settings_mod.load(
        {"CADRE_HOME": str(tmp_path_factory.mktemp("e2e") / "home"), "CADRE_PG_PORT": str(free_port())}
    )
    yield settings
    EmbeddedWarehouse(settings).stop()


def demo(settings) -> subprocess.CompletedProcess:
    env = {**os.environ, "CADRE_HOME": str(settings.home), "CADRE_PG_PORT": str(settings.port)}
    env.pop("CADRE_WAREHOUSE_URL", None)
    return subprocess.run([sys.executable, "-m", "cadre.cli", "demo"], env=env, capture_output=True, text=True)


def sql(settings, query: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(EmbeddedWarehouse(settings).url()) as conn:
        return conn.execute(query, params).fetchall()


@pytest.fixture(scope="module")
def first(home):
    run = demo(home)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return run.stdout


@pytest.fixture(scope="module")
def second(home, first):
    reports = home.reports_dir / "latest" / "run.json"
    before = reports.read_text()
    run = demo(home)
    assert run.returncode == 0, run.stdout[-3000:]
    assert reports.read_text() == before
    return run.stdout


def _delivered(home) -> int:
    """The source files the sample wrote into the landing folder (its manifest)."""
    manifest = home.landing / "truth" / "manifest.csv"
    return len(manifest.read_text(encoding="utf-8").splitlines()) - 1


def test_airflow_ingests_the_landing_folder_and_publishes(home, first):
    assert "airflow    ingest_landing: success" in first
    n = _delivered(home)
    assert f"ingest     {n} files: {n} loaded" in first
    assert "airflow    warehouse_refresh: success" in first
    assert "published #1" in first
    assert "on 2020-12-30: cadres 1714 (100.00 %), university or higher 1536 (89.61 %)" in first
    published = sql(home, "select count(*), max(run_id) from ops.publishes")
    assert published[0][0] == 1
    assert published[0][1].startswith("manual__")
    figures = dict(
        sql(
            home,
            "select indicator_code, headcount from reporting.rpt_qualification_structure "
            "where scope = 'province' and reporting_date = '2020-12-30'",
        )
    )
    assert (figures["cadre_headcount"], figures["prof_masters"], figures["llct_bachelor_or_advanced"]) == (
        1714,
        179,
        219,
    )
    assert figures["qlnn_specialist_or_principal"] == 1552
    # no candidate schema is left behind once published
    assert sql(home, "select count(*) from pg_namespace where nspname like '%%__candidate'") == [(0,)]
    # landing files, reports and logs (personal data, some of them) are not readable by other users
    written = [p for folder in ("landing", "reports", "airflow/logs") for p in (home.home / folder).rglob("*")]
    assert len(written) > 100
    readable = [str(p) for p in written if p.stat().st_mode & 0o007]
    assert readable == []


def test_the_report_states_its_date_and_run_and_writes_text_as_text(home, first):
    latest = home.reports_dir / "latest"
    run = json.loads((latest / "run.json").read_text())
    html = (latest / "bao_cao.html").read_text(encoding="utf-8")
    assert "Ngày báo cáo của số liệu: <b>31/12/2021</b>" in html
    assert run["run_id"] in html
    assert "Cơ cấu trình độ cán bộ cấp xã" in html
    assert "<svg" in html
    assert "Kiểm tra số liệu đã công bố" in html
    book = openpyxl.load_workbook(latest / "bao_cao.xlsx")
    assert book.sheetnames[0] == "Cơ cấu trình độ"
    sheet = book["Cơ cấu trình độ"]
    cells = {c.value: c for row in sheet.iter_rows() for c in row if c.value is not None}
    assert "Tổng số cán bộ cấp xã" in cells
    assert any(str(v).startswith("Ngày báo cáo của số liệu: 31/12/2021") for v in cells)
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    docs = home.data_docs
    assert docs.exists()
    # the gate's Data Docs hold a page of this run's result for every suite, and every suite's own page
    from expectations.publish_suites import tables

    suites = {t.name for t in tables("")}
    assert {p.name for p in (docs.parent / "validations").iterdir()} >= suites
    assert {p.stem for p in (docs.parent / "expectations").glob("*.html")} >= suites


def test_running_again_changes_nothing_and_says_so(home, second):
    assert "nothing new" in second
    assert "up to date: publish #1" in second
    assert sql(home, "select count(*) from ops.publishes") == [(1,)]
    assert sql(home, "select count(*) from raw.ingest_batches") == [(_delivered(home),)]


def _double_a_commune(settings) -> str:
    """A corrected HR file for one district and date, newer than the first, in which the cadres of one
    commune are relabelled as another's: every row is valid and every person is once in the file, so
    ingest loads it; the second commune now has two chairs, two secretaries..."""
    landing = settings.landing
    with open(landing / "truth" / "hr_files.csv", encoding="utf-8") as handle:
        spec = next(r for r in csv.DictReader(handle) if r["file"].startswith("hr/2021-12-31/207_"))
    header = dict(part.split("=", 1) for part in spec["columns"].split(";"))["commune"]
    source = landing / spec["file"]
    book = openpyxl.load_workbook(source)
    sheet = book[spec["sheet"]]
    top = int(spec["header_row"]) + int(spec["header_rows"]) - 1
    column = next(c.column for row in sheet.iter_rows(max_row=top) for c in row if c.value == header)
    rows = range(int(spec["first_data_row"]), int(spec["last_row"]) + 1)
    communes = [v for r in rows if (v := sheet.cell(r, column).value) and not str(v).startswith(("Cộng", "Tổng"))]
    keep, move = sorted(set(communes), key=communes.index)[:2]
    for r in rows:
        if sheet.cell(r, column).value == move:
            sheet.cell(r, column).value = keep
    book.properties.modified = datetime.now(UTC).replace(tzinfo=None)
    target = source.with_name(source.stem + " (sua lai).xlsx")
    book.save(target)
    return target.name


def test_a_refresh_that_fails_the_gate_is_not_published(home, second):
    reports_before = (home.reports_dir / "latest" / "run.json").read_text()
    published_before = sql(home, "select publish_id, run_id from ops.publishes")
    name = _double_a_commune(home)
    run = demo(home)
    out = run.stdout
    assert run.returncode == 1, out[-3000:]
    assert "ingest     1 files: 1 loaded" in out  # the file itself passes ingest
    assert "warehouse_refresh: FAILED" in out
    assert "not published" in out
    assert "fct_cadre_posts: unexpected_rows_expectation" in out  # names the expectation
    assert "one head per cadre title" in out
    # the previous publish and its reports stay; no half-built schema is visible to BI
    assert sql(home, "select publish_id, run_id from ops.publishes") == published_before
    assert (home.reports_dir / "latest" / "run.json").read_text() == reports_before
    holders = sql(
        home,
        "select max(n) from (select count(*) as n from marts.fct_cadre_positions where is_cadre "
        "and reporting_date = '2021-12-31' group by commune_code, title_code) as seats",
    )
    assert holders == [(2,)]  # at most two deputies; never two chairs
    assert sql(home, "select count(*) from ops.publishes") == [(1,)]
    assert sql(home, "select count(*) from ops.refresh_lease") == [(0,)]  # the failed run gave the lease up
    loaded = sql(
        home, "select status, checks in ('passed', 'warned') from raw.ingest_batches where file_name = %s", (name,)
    )
    assert loaded == [("loaded", True)]
