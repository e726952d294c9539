"""One person, one count: two districts list one cadre on one date (a transfer both offices still show),
one cadre holds two posts, and a file arrives while a refresh runs. Real files, real ingest, the real
refresh (dbt into the candidate, the GX gate, the publish, the report)."""

from __future__ import annotations

from datetime import datetime

import pytest

from cadre import refresh
from cadre import settings as settings_mod
from ingest.pipeline import ingest_file
from tests.conftest import fresh_database, query
from tests.ingest import builders

DAY = "31/12/2021"
CAM_PHA = "ỦY BAN NHÂN DÂN THÀNH PHỐ CẨM PHẢ"
VAN_DON = "ỦY BAN NHÂN DÂN HUYỆN VÂN ĐỒN"
MOVED = 9  # the person both Hạ Long and Cẩm Phả list


def _headcount(url: str) -> int:
    return query(
        url,
        "select headcount from reporting.rpt_qualification_structure "
        "where scope = 'province' and indicator_code = 'cadre_headcount' and reporting_date = '2021-12-31'",
    )[0][0]


@pytest.fixture(scope="module")
def counted(embedded_warehouse, tmp_path_factory):
    url = fresh_database(embedded_warehouse, "cadre_counting")
    tmp = tmp_path_factory.mktemp("counting")
    settings = settings_mod.load({"CADRE_HOME": str(tmp / "home"), "CADRE_WAREHOUSE_URL": url})
    ha_long = [
        builders.hr_row(1, title="Bí thư Đảng ủy, Chủ tịch HĐND"),  # one person, two posts
        builders.hr_row(2, title="Chủ tịch UBND"),
        builders.hr_row(3, title="Phó Chủ tịch UBND"),
        builders.hr_row(MOVED, title="Chủ tịch Hội Nông dân"),
    ]
    cam_pha = [
        builders.hr_row(4, title="Chủ tịch UBND", commune="Phường Cẩm Sơn"),
        builders.hr_row(MOVED, title="Chủ tịch MTTQ", commune="Phường Cẩm Sơn"),  # received later: newer file
    ]
    files = [
        builders.hr_xlsx(tmp / "ha_long.xlsx", ha_long, when=DAY, modified=datetime(2022, 1, 5, 8)),
        builders.hr_xlsx(tmp / "cam_pha.xlsx", cam_pha, when=DAY, modified=datetime(2022, 1, 9, 8), authority=CAM_PHA),
    ]
    loaded = [ingest_file(f, url) for f in files]
    assert [r["status"] for r in loaded] == ["loaded", "loaded"], loaded

    begun = refresh.begin(settings, url, "run-1")
    # a district's file arrives while run-1 builds: it is not in run-1's publish
    late = builders.hr_xlsx(
        tmp / "van_don.xlsx",
        [builders.hr_row(i, title=t, commune="Thị trấn Cái Rồng") for i, t in ((6, "Chủ tịch UBND"), (7, "Bí thư ĐU"))],
        when=DAY,
        authority=VAN_DON,
    )
    late_result = ingest_file(late, url)
    assert late_result["status"] == "loaded", late_result
    with pytest.raises(refresh.RefreshRunning, match="run-1"):  # a second refresh beside it is told so
        refresh.begin(settings, url, "run-2")
    refresh.build_candidate(settings, url)
    refresh.audit(settings, url, "run-1")
    first = refresh.publish(url, "run-1")
    facts = {
        "headcount": _headcount(url),
        "positions": query(url, "select count(*), count(distinct person_id) from marts.fct_cadre_positions"),
        "conflicts": query(
            url,
            "select source_rule, district_codes, counted_district_code, counted_title_code, sources_vi "
            "from reporting.rpt_source_conflicts",
        ),
        "posts": dict(
            query(
                url,
                "select title_code, array[holders, primary_holders, concurrent_holders] "
                "from reporting.rpt_posts_by_title where reporting_date = '2021-12-31'",
            )
        ),
        "quality": query(url, "select source_conflicts from reporting.rpt_data_quality where batch_kind = 'hr'"),
    }
    second = refresh.run(settings, url, "run-2")
    facts["after_next_refresh"] = _headcount(url)
    return {"url": url, "begun": begun, "late": late_result, "first": first, "second": second, **facts}


def test_a_person_two_districts_list_counts_once_and_the_conflict_is_listed(counted):
    assert counted["headcount"] == 5  # six rows, five people
    assert counted["positions"] == [(5, 5)]
    [(rule, districts, district, title, sources)] = counted["conflicts"]
    assert (rule, districts, district, title) == ("newer_file", "193;195", "195", "CT_MTTQ")
    assert sources.startswith("Thành phố Cẩm Phả: Chủ tịch Ủy ban Mặt trận")
    assert "Thành phố Hạ Long" in sources
    assert counted["quality"] == [(1,)]  # and the report's data-quality section says so


def test_a_concurrent_holding_counts_once_in_the_headcount_and_once_per_post(counted):
    posts = counted["posts"]
    assert posts["BT_DU"] == [1, 1, 0]
    assert posts["CT_HDND"] == [1, 0, 1]
    assert sum(h for h, _p, _c in posts.values()) == 6  # posts held, for five people
    assert "CT_HND" not in posts  # the moved person's post in the file that lost is not counted


def test_a_file_ingested_during_a_refresh_waits_for_the_next(counted):
    late = counted["late"]["batch_id"]
    assert late not in counted["begun"].batches
    assert late not in counted["first"].input_batches
    assert sorted(counted["first"].input_batches) == sorted(counted["begun"].batches)
    assert counted["after_next_refresh"] == 7
    assert counted["second"]["status"] == "published"
    assert query(counted["url"], "select count(*) from ops.refresh_lease") == [(0,)]  # given up
