"""``cadre ingest --workers``: files in several processes load exactly what one process loads, nothing lost,
nothing twice, and the summaries come back in the order of the files. Each process holds a run's files open
(their transactions) until their batch checks run together, so what one process holds must never be what
another waits for: found by the national benchmark, where both processes stopped for good."""

from __future__ import annotations

import shutil

from ingest.pipeline import discover, ingest_paths
from tests.conftest import fresh_database, query

KEY = "test-session-pseudonym-key"
COUNTS = (
    "select b.file_name, b.status, b.rows_loaded, b.rows_quarantined, "
    "(select count(*) from raw.hr_rows r where r.batch_id = b.batch_id) from raw.ingest_batches b order by 1"
)


def test_two_processes_load_what_one_loads_in_file_order(embedded_warehouse, sample_dir, tmp_path):
    files = sorted((sample_dir / "hr" / "2020-12-30").glob("*.xlsx"))[:7]
    # the first file again under another name, last: a copy two processes must not both load
    files.append(shutil.copy(files[0], tmp_path / "zz_copy_of_the_first.xlsx"))
    one = fresh_database(embedded_warehouse, "cadre_one_process")
    two = fresh_database(embedded_warehouse, "cadre_two_processes")
    serial = list(ingest_paths(files, one, key=KEY))
    # runs of two files: four runs in two processes, each holding files open while the other starts its next
    parallel = list(ingest_paths(files, two, key=KEY, workers=2, group=2))
    assert [r["file"] for r in parallel] == [str(p) for p in discover(files)]
    assert [r["status"] for r in parallel] == [r["status"] for r in serial] == ["loaded"] * 7 + ["duplicate"]
    assert query(two, COUNTS) == query(one, COUNTS)
    # and again: every file is a duplicate, nothing is loaded twice
    assert {r["status"] for r in ingest_paths(files, two, key=KEY, workers=2, group=2)} == {"duplicate"}
    assert query(two, COUNTS) == query(one, COUNTS)


def test_a_file_waiting_for_its_checks_holds_nothing_a_starting_run_waits_for(embedded_warehouse, tmp_path):
    """The deadlock the benchmark found: one process's files waited, transactions open, for their checks
    while the other process, starting its next run, waited to lock the pseudonym key those transactions had
    touched, and then held up the first process's next file. A waiting file now only reads the key."""
    import threading

    from ingest import checks, db, pipeline
    from tests.ingest import builders

    url = fresh_database(embedded_warehouse, "cadre_waiting_holds_nothing")
    path = builders.hr_xlsx(tmp_path / "a.xlsx", [builders.hr_row(i) for i in range(1, 21)], when="31/03/2023")
    db.record_pseudonym_key(url, KEY)
    steps = pipeline._file_steps(path, pipeline._describe(path, None), url, None, KEY, None)
    assert isinstance(pipeline._resume(steps, None), pipeline.Planned)
    waiting = pipeline._resume(steps, None)
    assert isinstance(waiting, pipeline.Checks)  # written, its transaction open
    starting = threading.Thread(target=db.record_pseudonym_key, args=(url, KEY), daemon=True)
    starting.start()
    starting.join(timeout=20)
    assert not starting.is_alive(), "a run starting waits for a file another run holds open"
    outcome = checks.validate_many(waiting.kind, [(waiting.rows, waiting.delivery)])[0]
    assert pipeline._resume(steps, outcome)["status"] == "loaded"
