"""A file loads in one transaction: a failure or a kill mid-COPY leaves nothing; loading again loads it once."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time

import psycopg

from cadre.sample.big import hr_frame, write_csv
from ingest import db, pipeline
from ingest.pipeline import ingest_file
from tests.conftest import fresh_database, query
from tests.ingest import builders


def _batches(url, sha):
    return query(url, "select batch_id, status from raw.ingest_batches where sha256 = %s", (sha,))


def test_a_failure_before_commit_leaves_no_rows_and_a_typed_rejection(url, tmp_path):
    path = builders.hr_xlsx(tmp_path / "crash.xlsx", [builders.hr_row(i) for i in range(1, 6)], when="30/11/2022")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    rows_before = query(url, "select count(*) from raw.hr_rows")[0][0]

    def crash(cursor, batch_id):
        raise RuntimeError("the machine lost power")

    failed = ingest_file(path, url, before_commit=crash)  # never raises: the run goes on with the next file
    assert (failed["status"], failed["reason_code"]) == ("rejected", "internal_error")
    assert failed["reason"] == "RuntimeError: the machine lost power"
    assert [status for _, status in _batches(url, sha)] == ["rejected"]
    assert query(url, "select count(*) from raw.hr_rows")[0][0] == rows_before
    result = ingest_file(path, url)
    assert (result["status"], result["rows_loaded"]) == ("loaded", 5)


def test_a_connection_kept_for_the_next_file_carries_nothing_of_a_failed_load(url, tmp_path):
    """A process keeps its connections for its next files: the next load runs on the same server process,
    and nothing of the failed load before it comes with it."""
    failing = builders.hr_xlsx(tmp_path / "a.xlsx", [builders.hr_row(i) for i in range(1, 4)], when="31/10/2022")
    next_one = builders.hr_xlsx(tmp_path / "b.xlsx", [builders.hr_row(i) for i in range(4, 6)], when="31/10/2022")
    servers = []

    def server(cursor):
        cursor.execute("select pg_backend_pid()")
        servers.append(cursor.fetchone()[0])

    def crash(cursor, batch_id):
        server(cursor)
        raise RuntimeError("the machine lost power")

    assert ingest_file(failing, url, before_commit=crash)["status"] == "rejected"
    result = ingest_file(next_one, url, before_commit=lambda cursor, batch_id: server(cursor))
    assert servers[0] == servers[1]
    assert (result["status"], result["rows_loaded"]) == ("loaded", 2)
    sha = hashlib.sha256(failing.read_bytes()).hexdigest()
    assert [status for _, status in _batches(url, sha)] == ["rejected"]
    assert query(url, "select count(*) from raw.hr_rows where batch_id = %s", (result["batch_id"],))[0][0] == 2


def test_connections_the_server_ended_are_replaced(embedded_warehouse, tmp_path):
    """The server ends every connection this process keeps (a restart, an administrator): the next file
    opens new ones and loads."""
    url = fresh_database(embedded_warehouse, "cadre_connections_ended")
    first = builders.hr_xlsx(tmp_path / "c.xlsx", [builders.hr_row(i) for i in range(1, 3)], when="30/09/2022")
    then = builders.hr_xlsx(tmp_path / "d.xlsx", [builders.hr_row(i) for i in range(3, 5)], when="30/09/2022")
    assert ingest_file(first, url)["status"] == "loaded"
    with psycopg.connect(url, autocommit=True) as admin:
        ended = admin.execute(
            "select count(*) from (select pg_terminate_backend(pid) from pg_stat_activity "
            "where datname = current_database() and pid <> pg_backend_pid()) as t"
        ).fetchone()[0]
    assert ended >= 2  # the ledger's and a load's, kept
    result = ingest_file(then, url)
    assert (result["status"], result["rows_loaded"]) == ("loaded", 2)


def test_killing_the_loader_mid_copy_leaves_nothing(url, warehouse_settings, tmp_path):
    n = 300_000
    path = write_csv(hr_frame(n, seed=9), tmp_path / "BaoCao_HaLong_31122022.csv", when="31/12/2022")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    rows_before = query(url, "select count(*) from raw.hr_rows")[0][0]
    env = {**os.environ, "CADRE_HOME": str(warehouse_settings.home), "CADRE_PG_PORT": str(warehouse_settings.port)}
    env.pop("CADRE_WAREHOUSE_URL", None)
    loader = subprocess.Popen(
        [sys.executable, "-m", "cadre.cli", "ingest", str(path)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    seen_copy = False
    with psycopg.connect(url, autocommit=True) as watch:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and loader.poll() is None:
            active = watch.execute(
                "select count(*) from pg_stat_activity where query ilike 'copy%%raw%%hr_rows%%' and state = 'active'"
            ).fetchone()[0]
            if active:
                seen_copy = True
                loader.send_signal(signal.SIGKILL)
                break
            time.sleep(0.005)
        loader.wait(30)
        assert seen_copy, "the loader finished before the COPY could be caught"
        # the server notices the dead client and rolls its transaction back
        while watch.execute(
            "select count(*) from pg_stat_activity where query ilike 'copy%%raw%%hr_rows%%'"
        ).fetchone()[0]:
            time.sleep(0.05)
    assert _batches(url, sha) == []
    assert query(url, "select count(*) from raw.hr_rows")[0][0] == rows_before
    result = ingest_file(path, url)
    assert (result["status"], result["rows_loaded"]) == ("loaded", n)
    again = ingest_file(path, url)
    assert again["status"] == "duplicate"
    assert query(url, "select count(*) from raw.hr_rows where batch_id = %s", (result["batch_id"],)) == [(n,)]


def test_a_row_lost_on_the_way_stops_the_load(url, tmp_path, monkeypatch):
    """rows_in is counted from the sheet, apart from the split: a row dropped by a bug cannot go unnoticed."""
    from ingest import pipeline

    real_split = pipeline.split

    def leaky_split(frame, select_loaded):
        outcome = real_split(frame, select_loaded)
        outcome.loaded = outcome.loaded.head(outcome.loaded.height - 1)
        return outcome

    monkeypatch.setattr(pipeline, "split", leaky_split)
    path = builders.hr_xlsx(tmp_path / "leak.xlsx", [builders.hr_row(i) for i in range(1, 6)], when="31/08/2022")
    result = ingest_file(path, url)
    assert (result["status"], result["reason_code"]) == ("rejected", "internal_error")
    assert "5 rows in, 4 loaded" in result["reason"]
    assert query(url, "select count(*) from raw.hr_rows where batch_id = %s", (result["batch_id"],)) == [(0,)]


def test_at_most_two_chunks_wait_for_the_database(url, tmp_path, monkeypatch):
    """Memory stays bounded: when PostgreSQL is slower than normalising, the next chunk waits instead of
    piling up beside the load thread."""
    monkeypatch.setattr(pipeline, "FIRST_CHUNK_ROWS", 3)
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 3)
    waiting = []
    write, submit = db.Batch._write, db.Batch._submit

    def slow_write(self, loaded, quarantined):
        time.sleep(0.05)  # a slow server
        write(self, loaded, quarantined)

    def counting_submit(self, fn, *args):
        future = submit(self, fn, *args)
        waiting.append(sum(not f.done() for f in self._pending))
        return future

    monkeypatch.setattr(db.Batch, "_write", slow_write)
    monkeypatch.setattr(db.Batch, "_submit", counting_submit)
    path = builders.hr_xlsx(tmp_path / "slow.xlsx", [builders.hr_row(i) for i in range(1, 22)], when="31/05/2022")
    result = ingest_file(path, url)
    assert (result["status"], result["rows_loaded"]) == ("loaded", 21)
    assert len(waiting) >= 9  # connect, begin, 7 chunks, commit
    assert max(waiting) == db.Batch.DEPTH  # the queue was full, and never fuller
