"""The people move as real cadres do between reporting dates, and the truth stays coherent."""

from __future__ import annotations

import csv
import itertools
from collections import Counter, defaultdict

import pytest

from cadre import reference

DATES = ("2019-12-31", "2020-06-30", "2020-12-30", "2021-12-31")
ORDINAL = {"llct": ["CQDT", "SC", "TC", "CC", "CN"], "qlnn": ["CQBD", "CS", "CV", "CVC", "CVCC"]}


@pytest.fixture(scope="module")
def positions(sample_dir):
    with open(sample_dir / "truth" / "positions.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by = defaultdict(dict)
    for r in rows:
        by[r["reporting_date"]][r["person_id"]] = r
    return by


def test_every_reporting_date_is_present_and_nobody_holds_two_posts(positions):
    assert sorted(positions) == list(DATES)
    for day in DATES:
        assert len(positions[day]) > 3000


def test_people_retire_get_appointed_and_transfer(positions):
    for a, b in itertools.pairwise(DATES):
        before, after = positions[a], positions[b]
        assert set(before) - set(after), f"nobody left between {a} and {b}"
        assert set(after) - set(before), f"nobody was appointed between {a} and {b}"
        moved = [p for p in set(before) & set(after) if before[p]["commune_code"] != after[p]["commune_code"]]
        assert moved, f"nobody transferred between {a} and {b}"
        across = [p for p in moved if before[p]["district_code"] != after[p]["district_code"]]
        assert across, f"nobody moved between districts between {a} and {b}"


def test_qualifications_only_rise_and_some_do(positions):
    rises = Counter()
    for a, b in itertools.pairwise(DATES):
        for p in set(positions[a]) & set(positions[b]):
            for dim, scale in ORDINAL.items():
                old, new = scale.index(positions[a][p][dim]), scale.index(positions[b][p][dim])
                assert new >= old or {positions[a][p][dim], positions[b][p][dim]} == {"CC", "CN"}
                rises[dim] += new > old
    assert rises["llct"] > 10
    assert rises["qlnn"] > 10


def test_civil_servants_are_listed_and_some_are_promoted_to_cadre_posts(positions):
    last, before = positions["2021-12-31"], positions["2020-12-30"]
    assert any(r["is_cadre"] == "false" for r in last.values())
    promoted = [
        p for p in set(last) & set(before) if before[p]["is_cadre"] == "false" and last[p]["is_cadre"] == "true"
    ]
    assert promoted


def test_citizen_ids_are_well_formed(sample_dir):
    with open(sample_dir / "truth" / "persons.csv", encoding="utf-8") as handle:
        persons = list(csv.DictReader(handle))
    provinces = {r["cccd_prefix"] for r in reference.rows("cccd_province_codes_63")}
    for p in persons:
        cccd = p["cccd"]
        assert len(cccd) == 12
        assert cccd.isdigit()
        assert cccd[:3] in provinces
        assert cccd[4:6] == p["dob"][2:4]
        assert cccd[3] == ("0" if p["sex"] == "Nam" else "1")
        assert p["cmnd"] == "" or (len(p["cmnd"]) == 9 and p["cmnd"].isdigit())
    assert len({p["cccd"] for p in persons}) == len(persons)
    assert Counter(p["id_mode"] for p in persons)["cmnd"] > 0
