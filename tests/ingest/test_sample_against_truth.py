"""Every kind of mess the sample injects is normalised correctly or quarantined with the right reason."""

from __future__ import annotations

from collections import Counter

import pytest

from cadre.reference import CADRE_TITLES
from ingest.text import fold
from tests.conftest import query

FIELDS = ("full_name", "dob", "citizen_id", "commune_code", "title_code", "prof", "llct", "qlnn", "it", "lang")


@pytest.fixture(scope="module")
def hr_db(url, ingested, sample_dir):
    by_path = {r[0]: r[1] for r in query(url, "select batch_id, file_path from raw.ingest_batches where kind = 'hr'")}
    loaded = {
        (by_path[b], s, r): dict(zip(FIELDS, rest, strict=True))
        for b, s, r, *rest in query(
            url,
            "select batch_id, source_sheet, source_row, full_name, dob::text, citizen_id, commune_code, title_code, "
            "prof_level, llct, qlnn, it, lang from raw.hr_rows",
        )
    }
    quarantined = {
        (by_path[b], s, r): reasons
        for b, s, r, reasons in query(
            url, "select batch_id, source_sheet, source_row, reasons from quarantine.rows where kind = 'hr'"
        )
    }
    return loaded, quarantined


def _key(sample_dir, row):
    return str((sample_dir / row["file"]).resolve()), row["sheet"], int(row["row"])


def test_every_file_of_the_sample_loads(ingested, truth):
    assert len(ingested) == len(truth("manifest.csv"))
    statuses = Counter(r["status"] for r in ingested.values())
    assert statuses == {"loaded": len(ingested)}
    assert {r["kind"] for r in ingested.values()} == {"hr", "classes", "roster", "survey"}


def test_counts_per_hr_file_match_the_truth(ingested, truth):
    rows = truth("hr_rows.csv")
    for file, summary in ingested.items():
        if summary["kind"] != "hr":
            continue
        mine = [r for r in rows if r["file"] == file]
        expected = Counter(r["expected"] for r in mine)
        assert summary["rows_loaded"] == expected["loaded"], file
        assert summary["rows_quarantined"] == expected["quarantined"], file
        assert summary["rows_in"] == summary["rows_loaded"] + summary["rows_quarantined"]
        skipped = Counter(r["reasons"] for r in mine if r["expected"] == "skipped")
        skipped = Counter({("total_row" if k == "subtotal_row" else k): 0 for k in skipped}) + Counter(
            "total_row" if r["reasons"] == "subtotal_row" else r["reasons"] for r in mine if r["expected"] == "skipped"
        )
        assert summary["skipped"] == dict(skipped), file
        by_reason = Counter(r["reasons"] for r in mine if r["expected"] == "quarantined")
        for reason, n in by_reason.items():
            assert summary["quarantined_by_reason"].get(reason) == n, (file, reason)


def test_every_hr_row_lands_where_the_truth_says_with_the_true_values(sample_dir, truth, hr_db):
    loaded, quarantined = hr_db
    for row in truth("hr_rows.csv"):
        key = _key(sample_dir, row)
        if row["expected"] == "loaded":
            assert key in loaded, (row["file"], row["row"], quarantined.get(key))
            got = loaded[key]
            for field in FIELDS:
                assert (got[field] or "") == row[field], (row["file"], row["row"], field)
        elif row["expected"] == "quarantined":
            assert row["reasons"] in quarantined.get(key, []), (row["file"], row["row"], quarantined.get(key))
        else:
            assert key not in loaded
            assert key not in quarantined


@pytest.mark.parametrize(("district", "encoding"), [("198", "tcvn3"), ("195", None)])
def test_legacy_and_nfd_districts_read_as_clean_unicode(url, ingested, truth, district, encoding):
    rows = query(
        url,
        "select b.legacy_encoding, h.full_name, h.full_name_raw, h.title_raw from raw.hr_rows h "
        "join raw.ingest_batches b using (batch_id) where b.district_code = %s and b.reporting_date = '2020-12-30'",
        (district,),
    )
    assert rows
    assert {r[0] for r in rows} == {encoding}
    import unicodedata

    for _, name, raw, _ in rows:
        assert unicodedata.is_normalized("NFC", name)
        if encoding == "tcvn3" and not name.isascii():
            assert raw != name  # the original cell text is kept beside the clean value
    names = {r[1] for r in rows}
    true_names = {
        r["full_name"]
        for r in truth("hr_rows.csv")
        if r["district_code"] == district and r["reporting_date"] == "2020-12-30" and r["expected"] == "loaded"
    }
    assert names == true_names


def test_restored_and_old_ids_are_flagged(url):
    flags = dict(query(url, "select citizen_id_flag, count(*) from raw.hr_rows group by 1"))
    assert flags["zero_restored"] > 100
    assert flags["old_id_9"] > 100
    bad = query(url, "select count(*) from raw.hr_rows where citizen_id !~ '^([0-9]{12}|[0-9]{9})$'")
    assert bad == [(0,)]


def test_rosters_against_truth(url, ingested, truth, sample_dir):
    rows = truth("roster_rows.csv")
    got = {
        (f, s, r): (name, dob, code, completed, topics)
        for f, s, r, name, dob, code, completed, topics in query(
            url,
            "select b.file_path, r.source_sheet, r.source_row, r.full_name, r.dob::text, r.class_code, r.completed, "
            "r.topics_attended from raw.roster_rows r join raw.ingest_batches b using (batch_id)",
        )
    }
    assert len(got) == len(rows)
    for row in rows:
        name, dob, code, completed, topics = got[_key(sample_dir, row)]
        assert (dob, code) == (row["dob"], row["class_code"])
        assert fold(name) == fold(row["full_name"])  # rosters type names in capitals, old tone marks...
        assert completed == (row["completed"] == "true")
        if row["topics_completed"]:
            assert sorted(topics) == sorted(row["topics_completed"].split(";"))


def test_classes_and_survey_against_truth(url, truth, sample_dir):
    mine = f"{sample_dir.resolve()}/%"  # other tests load files of their own into the same warehouse
    classes = dict(
        query(
            url,
            "select class_code, participants from raw.course_classes join raw.ingest_batches "
            "using (batch_id) where file_path like %s",
            (mine,),
        )
    )
    assert classes == {r["class_code"]: int(r["participants"]) for r in truth("classes.csv")}
    answers = Counter(
        r[0] or ""
        for r in query(
            url,
            "select improvement from raw.survey_responses join "
            "raw.ingest_batches using (batch_id) where file_path like %s",
            (mine,),
        )
    )
    assert answers == Counter(r["improvement"] for r in truth("survey_rows.csv"))


def test_anchor_date_gives_the_reports_headcount(url, sample_dir):
    """Ingest alone already lets the warehouse reach the report's 1,714 cadres on 2020-12-30."""
    n = query(
        url,
        "select count(*) from raw.hr_rows h join raw.current_batches b using (batch_id) "
        "where b.reporting_date = '2020-12-30' and h.title_code = any(%s) and b.file_path like %s",
        (list(CADRE_TITLES), f"{sample_dir.resolve()}/%"),
    )
    assert n == [(1714,)]


def test_ledger_conserves_rows_and_records_checks(url, ingested, sample_dir):
    rows = query(
        url,
        "select rows_in, rows_loaded, rows_quarantined, checks from raw.ingest_batches where file_path like %s",
        (f"{sample_dir.resolve()}/%",),
    )
    assert len(rows) == len(ingested)
    for rows_in, loaded, quarantined, checks in rows:
        assert rows_in == loaded + quarantined
        assert checks in ("passed", "warned")
