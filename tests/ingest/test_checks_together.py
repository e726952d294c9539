"""The batch checks of many small files run together (one GX run per suite) and say, for each file, exactly
what checking it alone says: which expectations failed, how badly, with which examples; and the ingest of a
run of files that waits for them loads, refuses and supersedes as one file at a time does."""

from __future__ import annotations

import shutil
from datetime import date

import polars as pl
import pytest

from expectations import runner
from ingest import pipeline
from tests.conftest import fresh_database, query
from tests.ingest import builders

# one commune of each district, written here by hand (2020 names)
DISTRICTS = {
    "THÀNH PHỐ HẠ LONG": "Phường Hà Khánh",
    "THÀNH PHỐ MÓNG CÁI": "Phường Ka Long",
    "THÀNH PHỐ CẨM PHẢ": "Phường Mông Dương",
    "THÀNH PHỐ UÔNG BÍ": "Phường Vàng Danh",
    "HUYỆN BÌNH LIÊU": "Thị trấn Bình Liêu",
    "HUYỆN HẢI HÀ": "Thị trấn Quảng Hà",
}


def _hr(n: int, **changes) -> pl.DataFrame:
    rows = {
        "full_name": [f"Trần Thị {i}" for i in range(n)],
        "dob": [date(1980, 1 + i % 12, 1 + i % 28) for i in range(n)],
        "citizen_id": [f"0221800{i:05d}" for i in range(n)],
        "title_code": ["PCT_UBND"] * n,
        "commune_code": [f"0664{i % 3}" for i in range(n)],
        "prof_level": ["DH"] * n,
        "llct": ["TC"] * n,
        "qlnn": [None] * n,
        "it": [None] * n,
        "lang": [None] * n,
        "name_key": [f"tran thi {i}" for i in range(n)],
        "flags": [[] for _ in range(n)],
    }
    for column, values in changes.items():
        rows[column] = values
    text = {c: pl.Utf8 for c in rows if c not in ("dob", "flags")}
    return pl.DataFrame(rows, schema_overrides={**text, "dob": pl.Date, "flags": pl.List(pl.Utf8)})


def _delivery(rows_in: int, previous: int | None = None, warnings=()) -> runner.Delivery:
    return runner.Delivery(date(2023, 6, 30), rows_in, list(warnings), previous)


def test_checking_batches_together_says_for_each_what_checking_it_alone_says():
    good = _hr(30)
    twice = _hr(30, citizen_id=[f"0221800{i % 25:05d}" for i in range(30)])  # 5 people twice
    wrong = _hr(30, title_code=["PCT_UBND"] * 27 + ["TRUONG_THON", "X", "TRUONG_THON"], llct=["TC"] * 29 + ["ZZ"])
    nameless = _hr(30, full_name=[None if i in (4, 9) else f"Trần Thị {i}" for i in range(30)])
    flagged = _hr(30, flags=[["llct:unmapped"] if i < 6 else [] for i in range(30)])
    old = _hr(30, dob=[date(1930, 1, 1)] * 2 + [date(1980, 1, 1 + i) for i in range(28)])
    crowded = _hr(60, commune_code=["06649"] * 60)  # 60 in one commune: a warning per batch
    empty = _hr(0)
    batches = [
        (good, _delivery(30)),
        (twice, _delivery(30, previous=60)),  # half of the district's last delivery
        (wrong, _delivery(32)),  # two rows refused before the checks
        (empty, _delivery(12)),  # every row refused
        (nameless, _delivery(30, warnings=["no_qualification_columns"])),
        (flagged, _delivery(30)),
        (old, _delivery(30)),
        (crowded, _delivery(60)),
        (good, _delivery(30)),  # the same people as the first: another district's file, not a repeat
    ]
    together = runner.validate_many("hr", batches)
    alone = [runner.validate("hr", rows, delivery) for rows, delivery in batches]
    assert together == alone
    statuses = [o.status for o in alone]
    assert statuses == ["passed", "failed", "failed", "failed", "failed", "warned", "failed", "warned", "passed"]
    unique = next(f for f in alone[1].failed if f["expectation"] == "expect_compound_columns_to_be_unique")
    assert (unique["column_list"], unique["unexpected_count"]) == (["person_key"], 10)
    titles = next(f for f in alone[2].failed if f.get("column") == "title_code")
    assert (titles["unexpected_count"], sorted(set(titles["examples"]))) == (3, ["TRUONG_THON", "X"])


def test_roster_and_class_list_checks_together_equal_alone():
    roster = pl.DataFrame(
        {
            "full_name": ["A", "B", "C", None],
            "dob": [date(1980, 1, 1), None, date(1982, 1, 1), date(1983, 1, 1)],
            "class_code": ["K1", "K1", "K1", "K2"],
            "score": [7.0, 8.0, 11.0, 6.0],
            "name_key": ["a", "b", "c", None],
        }
    )
    twice = pl.concat([roster.head(1), roster.head(1)])  # one person twice in one class
    batches = [(roster, runner.Delivery()), (twice, runner.Delivery()), (roster.head(1), runner.Delivery())]
    assert runner.validate_many("roster", batches) == [runner.validate("roster", r, d) for r, d in batches]
    assert [o.status for o in runner.validate_many("roster", batches)] == ["failed", "failed", "passed"]
    classes = pl.DataFrame(
        {
            "class_code": ["K1", "K2", "K2"],
            "start_date": [date(2023, 3, 1), date(2023, 3, 5), date(2023, 4, 1)],
            "end_date": [date(2023, 3, 4), date(2023, 3, 1), date(2023, 4, 2)],
        }
    )
    batches = [(classes, runner.Delivery()), (classes.head(1), runner.Delivery())]
    together = runner.validate_many("classes", batches)
    assert together == [runner.validate("classes", r, d) for r, d in batches]
    assert {f["expectation"] for f in together[0].failed} == {
        "expect_compound_columns_to_be_unique",
        "expect_column_pair_values_a_to_be_greater_than_b",
    }


@pytest.fixture
def delivery(tmp_path):
    """Files of six districts, as a province sends them: good ones, a broken one, one with a level nobody
    listed, a crowded commune, a district's two deliveries, and one file twice under two names."""
    out = tmp_path / "in"
    files = []
    for n, (district, commune) in enumerate(DISTRICTS.items()):
        rows = [builders.hr_row(i, commune=commune) for i in range(1, 21)]
        if n == 1:
            rows = [builders.hr_row(i, commune=commune, title="Trưởng thôn") for i in range(1, 4)]
        if n == 2:
            rows = [builders.hr_row(i, commune=commune, llct="Lớp học nghị quyết") for i in range(1, 21)]
        if n == 3:
            rows = [builders.hr_row(i, commune=commune) for i in range(1, 46)]
        authority = f"ỦY BAN NHÂN DÂN {district}"
        files.append(builders.hr_xlsx(out / f"{n}_a.xlsx", rows, when="31/03/2023", authority=authority))
    halved = [builders.hr_row(i, commune=DISTRICTS["HUYỆN HẢI HÀ"]) for i in range(1, 10)]
    later = out / "9_later.xlsx"
    files.append(builders.hr_xlsx(later, halved, when="30/06/2023", authority="ỦY BAN NHÂN DÂN HUYỆN HẢI HÀ"))
    files.append(shutil.copy(files[0], out / "z_copy.xlsx"))
    return files


def _summaries(results: list[dict]) -> list[tuple]:
    keep = ("kind", "district", "status", "rows_loaded", "rows_quarantined", "checks", "checks_failed", "same_as")
    return [tuple(r.get(k) for k in keep) for r in results]


def test_a_run_checked_together_loads_what_one_file_at_a_time_loads(embedded_warehouse, delivery):
    alone_url = fresh_database(embedded_warehouse, "cadre_checks_alone")
    together_url = fresh_database(embedded_warehouse, "cadre_checks_together")
    alone = [pipeline.ingest_file(path, alone_url) for path in delivery]
    together = list(pipeline.ingest_files(delivery, together_url))
    assert _summaries(together) == _summaries(alone)
    assert [r["status"] for r in together][-1] == "duplicate"
    assert {r["checks"] for r in together if r["status"] != "duplicate"} == {"passed", "warned", "failed"}
    halved = together[-2]
    assert ("hr_delivery", "headcount_ratio") in {(f["suite"], f.get("column")) for f in halved["checks_failed"]}
    ledger = "select file_name, status, checks, rows_loaded, superseded_by is not null from raw.ingest_batches "
    ledger += "order by file_name"
    assert query(together_url, ledger) == query(alone_url, ledger)
    rows = "select count(*), count(distinct batch_id) from raw.current_batches join raw.hr_rows using (batch_id)"
    assert query(together_url, rows) == query(alone_url, rows)
