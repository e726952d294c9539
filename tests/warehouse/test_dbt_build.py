"""dbt builds the warehouse from what ingest loaded: seeds, staging, and their data tests all pass."""

from __future__ import annotations

from cadre.reference import CADRE_TITLES
from tests.conftest import query


def test_dbt_build_passes(built):
    assert built.returncode == 0, built.stdout[-3000:]
    assert "Completed successfully" in built.stdout


def test_seeds_keep_codes_as_text(built, url):
    codes = query(url, "select commune_code from reference.qn_communes_2020 where commune_name = 'Phường Hà Khánh'")
    assert codes == [("06649",)]


def test_staging_sees_the_reports_headcount(built, url, sample_dir):
    n = query(
        url,
        "select count(*) from staging.stg_raw__hr_rows h join staging.stg_raw__ingest_batches b using (batch_id) "
        "where b.reporting_date = '2020-12-30' and h.title_code = any(%s) and b.file_name = any(%s)",
        (list(CADRE_TITLES), [p.name for p in (sample_dir / "hr" / "2020-12-30").glob("*.xlsx")]),
    )
    assert n == [(1714,)]


def test_qualification_structure_reproduces_the_report(built, url, truth):
    got = dict(
        query(
            url,
            "select indicator_code, headcount from reporting.rpt_qualification_structure "
            "where scope = 'province' and reporting_date = '2020-12-30'",
        )
    )
    shares = dict(
        query(
            url,
            "select indicator_code, share_pct::text from reporting.rpt_qualification_structure "
            "where scope = 'province' and reporting_date = '2020-12-30'",
        )
    )
    figures = {r["figure"]: r for r in truth("figures.csv")}
    for code in (
        "cadre_headcount",
        "prof_university_or_higher",
        "prof_masters",
        "prof_college_or_intermediate",
        "llct_bachelor_or_advanced",
        "llct_intermediate",
        "llct_untrained_or_elementary",
        "qlnn_specialist_or_principal",
    ):
        assert got[code] == int(figures[code]["value"]), code
        if figures[code]["share"]:
            assert shares[code] == figures[code]["share"], code
    assert (got["cadre_headcount"], got["prof_university_or_higher"], shares["prof_university_or_higher"]) == (
        1714,
        1536,
        "89.61",
    )
    districts = query(
        url,
        "select count(distinct scope_name), sum(headcount) from reporting.rpt_qualification_structure "
        "where scope = 'district' and reporting_date = '2020-12-30' "
        "and indicator_code = 'cadre_headcount'",
    )
    assert districts == [(13, 1714)]


def test_the_audit_flags_what_the_report_could_not_have_printed(built, url):
    findings = dict(query(url, "select indicator_code, finding from reporting.rpt_published_figures_audit"))
    assert findings["llct_untrained_or_elementary"].startswith("impossible")  # 219 + 1,448 + 77 = 1,744 > 1,714
    assert findings["llct_intermediate"].startswith("impossible")
    assert findings["qlnn_specialist_or_principal"] == "printed share does not follow from the printed count"
    assert findings["prof_university_or_higher"] == "consistent"
    assert findings["cadre_headcount"] == "consistent"
    row = query(
        url,
        "select printed_dimension_sum, share_of_printed_count::text, computed_count from "
        "reporting.rpt_published_figures_audit where indicator_code = 'qlnn_specialist_or_principal'",
    )
    assert row == [(None, "90.55", 1552)]


def test_training_coverage_2016_2020(built, url, truth):
    rows = {
        r[0]: r[1:]
        for r in query(
            url,
            "select category_code, participations, people, "
            "trainings_per_person_5y::text from reporting.rpt_training_coverage",
        )
    }
    figures = {r["figure"]: r["value"] for r in truth("figures.csv")}
    for code in ("BT_CT", "CHU_CHOT", "XD_DANG", "DOAN_THE", "KHAC"):
        assert rows[code][0] == int(figures[f"participations_2016_2020_{code}"])
    assert rows["TOTAL"] == (1612, 501, figures["trainings_per_cadre_5y"])


def test_training_effectiveness_shares(built, url, truth):
    shares = {
        (q, a): (n, s)
        for q, a, n, s in query(
            url, "select question, answer_code, answers, share_pct::text from reporting.rpt_training_effectiveness"
        )
    }
    figures = {r["figure"]: r for r in truth("figures.csv")}
    for code in ("RTC", "KTC", "TC", "KDK"):
        assert shares[("improvement", code)] == (
            int(figures[f"survey_improvement_{code}"]["value"]),
            figures[f"survey_improvement_{code}"]["share"],
        )
    assert shares[("necessity", "RAT_CAN")] == (377, figures["survey_very_necessary"]["share"])
