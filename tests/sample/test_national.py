"""The national volume uses the same machinery: every row it writes is in its truth, and it is deterministic.

The full volume (~700 workbooks, ~1M roster rows, about 3 minutes) is what the benchmarks use; here a
few provinces show the machinery holds.
"""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from cadre.sample import national
from ingest.pipeline import plan_file
from tests.sample.readers import sheet

PROVINCES = ("82", "83")  # Tiền Giang and Bến Tre: each has a district called Châu Thành


@pytest.fixture(scope="module")
def small_nation(tmp_path_factory):
    out = tmp_path_factory.mktemp("nation")
    return out, national.generate(out, seed=11, provinces=PROVINCES)


def test_other_provinces_get_their_own_districts_and_ids(small_nation):
    out, summary = small_nation
    assert summary["districts"] == 13 + 11 + 9  # their real districts (GSO list before July 2025)
    assert summary["files"]["hr"] == summary["districts"]
    with open(out / "truth" / "persons.csv", encoding="utf-8") as handle:
        prefixes = Counter(r["cccd"][:3] for r in csv.DictReader(handle))
    assert len(prefixes) > 3


def test_every_roster_row_is_in_its_file(small_nation):
    out, summary = small_nation
    with open(out / "truth" / "roster_rows.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == summary["roster_rows"] > 3 * summary["cadres"]
    per_file = Counter(r["file"] for r in rows)
    for file, n in per_file.items():
        data = sheet(out / file, "Học viên")
        assert len(data) - 4 == n  # two title rows, an empty row, the header


def test_national_sample_is_deterministic(small_nation, tmp_path):
    out, _ = small_nation
    national.generate(tmp_path, seed=11, provinces=PROVINCES)
    for name in ("manifest.csv", "hr_rows.csv"):
        assert (tmp_path / "truth" / name).read_bytes() == (out / "truth" / name).read_bytes()


def test_the_ingest_places_every_district_file_of_the_nation_in_its_real_district(small_nation):
    """Two districts are called Châu Thành here (821, 831); the folder named after the province tells them
    apart, as it would at the ministry."""
    out, _ = small_nation
    with open(out / "truth" / "hr_files.csv", encoding="utf-8") as handle:
        expected = {r["file"]: r["district_code"] for r in csv.DictReader(handle)}
    got = {f: plan_file(out / f).info["district_code"] for f in expected}
    assert got == expected
    assert {"821", "831"} <= set(got.values())


def test_every_roster_class_is_in_a_class_list_and_nobody_sits_in_one_class_twice(small_nation):
    """Without the class lists every roster row fails dbt's relationship to the classes, and the refresh stops;
    a person listed twice in one class is a conflict the ingest quarantines."""
    out, _ = small_nation
    with open(out / "truth" / "roster_rows.csv", encoding="utf-8") as handle:
        rosters = list(csv.DictReader(handle))
    with open(out / "truth" / "classes.csv", encoding="utf-8") as handle:
        classes = list(csv.DictReader(handle))
    listed = Counter(r["class_code"] for r in classes)
    assert max(listed.values()) == 1  # a class is listed once
    assert {r["class_code"] for r in rosters} == set(listed)
    seats = Counter((r["class_code"], r["person_id"]) for r in rosters)
    assert max(seats.values()) == 1
    participants = Counter(r["class_code"] for r in rosters)
    assert all(int(r["participants"]) == participants[r["class_code"]] for r in classes)
    for file, n in Counter(r["file"] for r in classes).items():
        assert plan_file(out / file).kind == "classes"
        assert len(sheet(out / file, "Danh sách lớp")) - 4 == n
