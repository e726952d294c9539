"""``cadre ingest --workers``: files in several processes load exactly what one process loads, nothing lost,
nothing twice, and the summaries come back in the order of the files."""

from __future__ import annotations

from ingest.pipeline import discover, ingest_paths
from tests.conftest import fresh_database, query

KEY = "test-session-pseudonym-key"
COUNTS = (
    "select b.file_name, b.status, b.rows_loaded, b.rows_quarantined, "
    "(select count(*) from raw.hr_rows r where r.batch_id = b.batch_id) from raw.ingest_batches b order by 1"
)


def test_two_processes_load_what_one_loads_in_file_order(embedded_warehouse, sample_dir):
    files = sorted((sample_dir / "hr" / "2020-12-30").glob("*.xlsx"))[:6]
    one = fresh_database(embedded_warehouse, "cadre_one_process")
    two = fresh_database(embedded_warehouse, "cadre_two_processes")
    serial = list(ingest_paths(files, one, key=KEY))
    parallel = list(ingest_paths(files, two, key=KEY, workers=2))
    assert [r["file"] for r in parallel] == [str(p) for p in discover(files)]
    assert [r["status"] for r in parallel] == [r["status"] for r in serial] == ["loaded"] * 6
    assert query(two, COUNTS) == query(one, COUNTS)
    # and again: every file is a duplicate, nothing is loaded twice
    assert {r["status"] for r in ingest_paths(files, two, key=KEY, workers=2)} == {"duplicate"}
    assert query(two, COUNTS) == query(one, COUNTS)
