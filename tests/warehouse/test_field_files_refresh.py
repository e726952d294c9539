"""The hand-made field files (tests/fixtures), not the sample, through the whole refresh: most district lists
have no citizen ID column, and rosters come before (or without) their class lists. Real ingest, real dbt into
the candidate, the GX gate, the publish."""

from __future__ import annotations

import pytest

from cadre import refresh
from cadre import settings as settings_mod
from ingest import people
from ingest.pipeline import ingest_paths
from tests.conftest import fresh_database, query
from tests.fixtures.score import fixtures
from tests.ingest import builders


@pytest.fixture(scope="module")
def published(embedded_warehouse, tmp_path_factory):
    url = fresh_database(embedded_warehouse, "cadre_field_refresh")
    settings = settings_mod.load(
        {"CADRE_HOME": str(tmp_path_factory.mktemp("field_refresh")), "CADRE_WAREHOUSE_URL": url}
    )
    key = settings_mod.pseudonym_key(settings)
    # no ID column and birth years only: two "Nguyễn Văn Hùng" born in 1970 in two wards are two people
    namesakes = [builders.hr_row(1, "Nguyễn Văn Hùng", "Chủ tịch UBND"),
                 builders.hr_row(2, "Nguyễn Văn Hùng", "Chủ tịch UBND", commune="Phường Hà Phong"),
                 builders.hr_row(3, "Trần Thị Lan", "Bí thư Đảng ủy")]  # fmt: skip
    for row in namesakes:
        row[2], row[3] = "1970", None
    extra = builders.hr_xlsx(tmp_path_factory.mktemp("namesakes") / "ha_long.xlsx", namesakes, when="31/12/2024")
    loaded = list(ingest_paths([*fixtures(validity="valid"), extra], url, key=key))
    refused = [(r["file"], r.get("reason")) for r in loaded if r["status"] != "loaded"]
    assert not refused, refused
    return refresh.run(settings, url, "field-1"), url, key


def test_files_without_ids_publish(published):
    result, url, _ = published
    assert result["status"] == "published", result
    rules = dict(query(url, "select match_rule, count(*) from intermediate.int_hr_rows_identified group by 1"))
    assert rules.get("name_dob", 0) > 50  # most of the hand-made lists have no ID column
    assert query(url, "select count(*) from marts.dim_person where person_id is null") == [(0,)]


def test_a_person_without_an_id_has_the_ingests_pseudonym_of_name_and_birth_date(published):
    _, url, key = published
    ((name_key, dob, person_id),) = query(
        url,
        "select distinct h.name_key, h.dob, p.person_id from raw.hr_rows h "
        "join marts.fct_cadre_positions p on p.reporting_date = '2021-12-31' and p.commune_code = h.commune_code "
        "and p.title_code = h.title_code "
        "where h.full_name = 'Đặng Văn Thành' and h.citizen_id is null",
    )
    assert person_id == people.pseudonym(key, f"{name_key}|{dob.isoformat()}")
    assert name_key not in person_id
    assert dob.isoformat() not in person_id


def _chair_of_dai_duc(url: str) -> str:
    """The person id of Lý Thị Mai, chair of Xã Đại Dực's People's Committee in the 2021 HR list (fixture 01)."""
    ((person_id,),) = query(
        url,
        "select distinct person_id from marts.fct_cadre_positions "
        "where commune_code = '06868' and title_code = 'CT_UBND' and reporting_date = '2021-12-31'",
    )
    return person_id


def test_a_roster_line_finds_its_cadre_and_its_class_without_a_class_list(published):
    _, url, _ = published
    hr_person = _chair_of_dai_duc(url)
    trained = query(
        url,
        "select t.person_id, d.class_code, d.category_code from marts.fct_training_participations t "
        "join marts.dim_course d using (class_code) where t.class_code = 'BD-2023-07'",
    )
    assert hr_person in {p for p, _, _ in trained}  # Lý Thị Mai of Xã Đại Dực, in the HR list and the roster
    assert {(c, cat) for _, c, cat in trained} == {("BD-2023-07", None)}  # listed by no class list: facts unknown


def test_a_class_only_a_roster_names_has_the_name_and_days_the_roster_gives(published):
    """A district centre's roster of an uncoded class (its name and days in the title rows) and a school's export
    (each row's "TenLop", "TuNgay", "DenNgay"): no class list sends either class, yet both are dated classes."""
    _, url, _ = published
    classes = query(
        url,
        "select class_name, start_date, end_date, days, category_code from marts.dim_course "
        "where class_code in ('QLNN-CV-K3-2024', "
        "'LOP-BOI-DUONG-KIEN-THUC-QUOC-PHONG-VA-AN-NINH-DOI-TUONG-4-NAM-2024-20240419') order by start_date",
    )
    assert [(n, str(s), str(e), d, c) for n, s, e, d, c in classes] == [
        ("Lớp bồi dưỡng kiến thức quốc phòng và an ninh đối tượng 4 năm 2024", "2024-04-15", "2024-04-19", 5, None),
        ("Bồi dưỡng QLNN ngạch chuyên viên K3", "2024-05-06", "2024-06-14", 40, None),
    ]


def test_a_class_dated_by_its_roster_alone_counts_in_the_period_total(published):
    """Tiên Yên's 2019 roster (a class no class list sends, dated by its title): its lines are participations of
    2016-2020, in a row of their own (no category), and the rows add up to the total."""
    _, url, _ = published
    ((rostered,),) = query(
        url,
        "select count(*) from marts.fct_training_participations t join marts.dim_course d using (class_code) "
        "where d.category_code is null and extract(year from d.start_date) between 2016 and 2020",
    )
    assert rostered >= 3  # its three lines, at least
    ((total, by_category, uncategorised),) = query(
        url,
        "select sum(participations) filter (where category_code = 'TOTAL'), "
        "sum(participations) filter (where category_code <> 'TOTAL'), "
        "sum(participations) filter (where category_code = 'CHUA_PHAN_LOAI') from reporting.rpt_training_coverage",
    )
    assert uncategorised == rostered
    assert total == by_category


def test_namesakes_born_the_same_year_in_two_communes_are_two_people(published):
    _, url, _ = published
    headcount = query(
        url,
        "select headcount from reporting.rpt_qualification_structure "
        "where scope = 'district' and scope_code = '193' and indicator_code = 'cadre_headcount' "
        "and reporting_date = '2024-12-31'",
    )
    assert headcount == [(3,)]  # Hạ Long's list of that date (Hải Hà's, fixture 40, is of the same date)
    people_of_date = query(url, "select count(distinct person_id) from marts.fct_cadre_positions "
                                "where reporting_date = '2024-12-31' and district_code = '193'")  # fmt: skip
    assert people_of_date == [(3,)]


def test_a_roster_without_birth_dates_finds_its_cadre_by_name_and_commune(published):
    _, url, _ = published
    hr_person = _chair_of_dai_duc(url)
    trained = query(
        url,
        "select t.person_id, t.match_rule, d.category_code, d.start_date from marts.fct_training_participations t "
        "join marts.dim_course d using (class_code) where t.class_code = 'BD-2023-08'",
    )
    assert (hr_person, "name_commune_no_dob") in {(p, rule) for p, rule, _, _ in trained}
    assert {(cat, str(start)) for _, _, cat, start in trained} == {("KHAC", "2023-06-05")}  # the class plan's


def test_a_part_time_post_is_held_but_never_counted_as_a_cadre(published):
    """Trần Văn Sinh, deputy military commander of Xã Đồng Tiến (fixture 20, a part-time post): in the posts
    by title under his group (with Hà Văn Thắng of Xã Đông Ngũ, fixture 36), in no cadre headcount of the
    commune."""
    _, url, _ = published
    posts = query(
        url,
        "select title_group, title_group_rank, holders from reporting.rpt_posts_by_title "
        "where reporting_date = '2023-12-31' and title_code = 'PCHT_QS'",
    )
    assert posts == [("khong_chuyen_trach", 4, 2)]
    positions = query(
        url,
        "select p.title_code, t.title_group from marts.fct_cadre_positions p join marts.dim_title t using (title_code) "
        "where p.reporting_date = '2023-12-31' and p.commune_code = '07195' order by 1",
    )
    assert ("PCHT_QS", "khong_chuyen_trach") in positions
    cadres = {c for c, g in positions if g == "can_bo"}
    (headcount,) = query(
        url,
        "select count(*) from intermediate.int_cadre_positions "
        "where reporting_date = '2023-12-31' and commune_code = '07195' and is_cadre",
    )
    assert (headcount[0], cadres) == (1, {"CT_MTTQ"})


def test_the_posts_of_a_communes_offices_after_the_reform_publish_under_their_group(published):
    """Xã Quảng Hà's list of August 2025 (fixture 39): posts written short under the unit column's bodies."""
    _, url, _ = published
    posts = query(
        url,
        "select title_code from reporting.rpt_posts_by_title "
        "where reporting_date = '2025-08-05' and title_group = 'co_quan_2025' order by 1",
    )
    assert [p for (p,) in posts] == ["CN_UBKT", "CVP_DU", "CVP_UBND", "CV_2025", "PCVP_UBND", "PGD_PVHCC", "TP_VHXH"]


def test_an_anonymous_surveys_answers_count_matched_to_no_one(published):
    """Forms that ask no name: all five answers count in their survey's shares (two alike are two answers),
    and none is matched to a person."""
    _, url, _ = published
    shares = query(
        url,
        "select answer_code, answers, respondents from reporting.rpt_training_effectiveness "
        "where survey_file = 'khao_sat_khong_ghi_ten_2022.xlsx' and question = 'improvement' order by 1",
    )
    assert shares == [("KDK", 1, 5), ("KTC", 2, 5), ("RTC", 1, 5), ("TC", 1, 5)]
    matched = query(
        url,
        "select count(*), count(responses.person_id) from marts.fct_survey_responses as responses "
        "inner join raw.ingest_batches as batches on responses.survey_batch_id = batches.batch_id "
        "where batches.file_name = 'khao_sat_khong_ghi_ten_2022.xlsx'",
    )
    assert matched == [(5, 0)]
