"""A refresh after a corrected file publishes what a refresh from scratch publishes on the same input: the
national bench's "one district again" is a refresh of a warehouse already built, and what it publishes must
not depend on what was built before it. Two warehouses of their own, real files, real ingest, the real refresh
(dbt into the candidate, the GX gate, the publish, the report)."""

from __future__ import annotations

from datetime import datetime

import psycopg

from cadre import refresh
from cadre import settings as settings_mod
from ingest.pipeline import ingest_file
from tests.conftest import fresh_database, query
from tests.ingest import builders

DAY = "31/12/2021"
CAM_PHA = "ỦY BAN NHÂN DÂN THÀNH PHỐ CẨM PHẢ"


def _files(tmp) -> tuple[list, object]:
    """Hạ Long's and Cẩm Phả's lists of one date, and Hạ Long's corrected list, received later: one post
    changed, one person gone, one come."""
    ha_long = [builders.hr_row(i, title=t) for i, t in ((1, "Bí thư Đảng ủy"), (2, "Chủ tịch UBND"), (3, "PCT UBND"))]
    corrected = [
        builders.hr_row(1, title="Bí thư Đảng ủy, Chủ tịch HĐND"),
        builders.hr_row(2, title="Chủ tịch UBND"),
        builders.hr_row(5, title="Chủ tịch Hội Nông dân"),
    ]
    cam_pha = [builders.hr_row(i, title="Chủ tịch UBND", commune="Phường Cẩm Sơn") for i in (4,)]
    first = [
        builders.hr_xlsx(tmp / "ha_long.xlsx", ha_long, when=DAY, modified=datetime(2022, 1, 5, 8)),
        builders.hr_xlsx(tmp / "cam_pha.xlsx", cam_pha, when=DAY, modified=datetime(2022, 1, 6, 8), authority=CAM_PHA),
    ]
    fix = builders.hr_xlsx(tmp / "ha_long_sua.xlsx", corrected, when=DAY, modified=datetime(2022, 1, 20, 8))
    return first, fix


def _published(url: str) -> dict[str, list[tuple]]:
    """Every table of the published marts and reporting schemas, its rows sorted."""
    tables = query(
        url,
        "select table_schema, table_name from information_schema.tables "
        "where table_schema in ('marts', 'reporting') and table_type = 'BASE TABLE' order by 1, 2",
    )
    out = {}
    with psycopg.connect(url) as conn:
        for schema, table in tables:
            rows = conn.execute(f'select * from "{schema}"."{table}"').fetchall()
            out[f"{schema}.{table}"] = sorted(rows, key=repr)
    return out


def test_a_refresh_after_a_corrected_file_publishes_what_a_refresh_from_scratch_does(embedded_warehouse, tmp_path):
    first, fix = _files(tmp_path)

    again = fresh_database(embedded_warehouse, "cadre_refresh_again")
    home = settings_mod.load({"CADRE_HOME": str(tmp_path / "again"), "CADRE_WAREHOUSE_URL": again})
    assert [ingest_file(f, again)["status"] for f in first] == ["loaded", "loaded"]
    assert refresh.run(home, again, "before")["status"] == "published"
    before = _published(again)
    assert ingest_file(fix, again)["status"] == "loaded"
    assert refresh.run(home, again, "after")["status"] == "published"

    scratch = fresh_database(embedded_warehouse, "cadre_refresh_scratch")
    home = settings_mod.load({"CADRE_HOME": str(tmp_path / "scratch"), "CADRE_WAREHOUSE_URL": scratch})
    assert [ingest_file(f, scratch)["status"] for f in [*first, fix]] == ["loaded", "loaded", "loaded"]
    assert refresh.run(home, scratch, "once")["status"] == "published"

    after, once = _published(again), _published(scratch)
    assert after.keys() == once.keys()
    assert len(after) > 20
    assert {name: rows for name, rows in after.items() if rows != once[name]} == {}
    # ... and the correction did change what was published (the comparison is not of two empty warehouses)
    assert before["marts.fct_cadre_posts"] != after["marts.fct_cadre_posts"]
    held = query(
        again,
        "select title_code, holders from reporting.rpt_posts_by_title "
        "where reporting_date = '2021-12-31' and title_code in ('CT_HDND', 'CT_HND', 'PCT_UBND') order by 1",
    )
    assert held == [("CT_HDND", 1), ("CT_HND", 1)]
