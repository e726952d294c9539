"""Lists as districts and communes send them: each signed on its own day, some by a commune for itself. The
province's count on a date is every district's, or commune's, latest list on or before it; two communes' lists
of one day both count. Real files, real ingest, the real refresh (dbt into the candidate, the gate, the publish)."""

from __future__ import annotations

from datetime import datetime

import pytest

from cadre import refresh
from cadre import settings as settings_mod
from ingest.pipeline import ingest_file
from tests.conftest import fresh_database, query
from tests.ingest import builders

CAM_PHA = "ỦY BAN NHÂN DÂN THÀNH PHỐ CẨM PHẢ"
DAI_XUYEN = "ỦY BAN NHÂN DÂN XÃ ĐÀI XUYÊN"
BINH_DAN = "ỦY BAN NHÂN DÂN XÃ BÌNH DÂN"


@pytest.fixture(scope="module")
def published(embedded_warehouse, tmp_path_factory):
    url = fresh_database(embedded_warehouse, "cadre_as_of")
    tmp = tmp_path_factory.mktemp("as_of")
    settings = settings_mod.load({"CADRE_HOME": str(tmp / "home"), "CADRE_WAREHOUSE_URL": url})
    row = builders.hr_row
    ha_long = [row(1, title="Chủ tịch UBND"), row(2, title="Bí thư Đảng ủy"), row(3, commune="Phường Hà Phong")]
    sent = [
        # Hạ Long's list of 30 June, then of 31 December: the vice-chair of Hà Phong is no more, one of Hà Khẩu came
        builders.hr_xlsx(tmp / "ha_long_t6.xlsx", ha_long, when="30/06/2024", modified=datetime(2024, 7, 2)),
        builders.hr_xlsx(
            tmp / "ha_long_t12.xlsx",
            [*ha_long[:2], row(9, commune="Phường Hà Khẩu")],
            when="31/12/2024",
            modified=datetime(2025, 1, 3),
        ),
        # Cẩm Phả signed its list two days earlier
        builders.hr_xlsx(
            tmp / "cam_pha.xlsx",
            [row(4, commune="Phường Cẩm Sơn"), row(5, title="Bí thư Đảng ủy", commune="Phường Cẩm Sơn")],
            when="28/06/2024",
            authority=CAM_PHA,
        ),
        # two communes of Vân Đồn sent their own lists of one day
        builders.hr_xlsx(
            tmp / "dai_xuyen.xlsx",
            [row(6, commune="Xã Đài Xuyên"), row(7, title="Chủ tịch HĐND", commune="Xã Đài Xuyên")],
            when="30/06/2024",
            authority=DAI_XUYEN,
        ),
        builders.hr_xlsx(tmp / "binh_dan.xlsx", [row(8, commune="Xã Bình Dân")], when="30/06/2024", authority=BINH_DAN),
    ]
    results = [ingest_file(f, url) for f in sent]
    assert [r["status"] for r in results] == ["loaded"] * 5, results
    assert refresh.run(settings, url, "as-of")["status"] == "published"
    return url


def test_each_district_counts_as_of_its_latest_list(published):
    counted = dict(
        query(
            published,
            "select reporting_date::text, headcount from reporting.rpt_qualification_structure "
            "where scope = 'province' and indicator_code = 'cadre_headcount'",
        )
    )
    # 28 June: Cẩm Phả's list alone; 30 June: Hạ Long's 3, Cẩm Phả's 2 of two days before, the two communes' 3;
    # 31 December: Hạ Long's 3 of that day, the others as of their June lists. Before, a date counted its own
    # day's lists only (3 on 31 December), and one commune's list replaced the other's.
    assert counted == {"2024-06-28": 2, "2024-06-30": 8, "2024-12-31": 8}
    by_district = {
        code: (cadres, str(listed))
        for code, cadres, listed in query(
            published,
            "select district_code, cadres, latest_list_on from reporting.rpt_district_summary "
            "where reporting_date = '2024-12-31'",
        )
    }
    # each with the date of the list it counts as of
    assert by_district == {"193": (3, "2024-12-31"), "195": (2, "2024-06-28"), "203": (3, "2024-06-30")}
    listed = query(
        published,
        "select listed_on::text, count(*) from marts.fct_cadre_positions where reporting_date = '2024-12-31' "
        "group by 1 order by 1",
    )
    assert listed == [("2024-06-28", 2), ("2024-06-30", 3), ("2024-12-31", 3)]
    gone = query(
        published,
        "select count(*) from marts.fct_cadre_positions p join marts.dim_person d using (person_id) "
        "where p.reporting_date = '2024-12-31' and d.last_reported_on = '2024-06-30' and p.district_code = '193'",
    )
    assert gone == [(0,)]  # Hạ Long's December list closed out the one it left out


def test_who_needs_the_programme_now_is_everyone_in_post_now(published):
    people = query(published, "select count(distinct person_id) from reporting.rpt_programme_needs")
    assert people == [(8,)]


def test_the_report_says_which_lists_a_date_counts(published):
    """A section of one date says the oldest list it counts: on 31 December, Cẩm Phả's of 28 June (before, no
    section said that a district's figures were months old)."""
    from cadre.reports import data

    report = data.load(published, "", "")
    notes = {t.sheet: t.note for t in report.sections}
    assert report.reporting_date.isoformat() == "2024-12-31"
    for sheet in ("Theo huyện", "Chức danh", "Chưa đạt chuẩn", "Nhu cầu 2022-2025"):
        assert "danh sách cũ nhất đang dùng: Thành phố Cẩm Phả, ngày 28/06/2024" in notes[sheet], (sheet, notes[sheet])
