"""The quality gate of a warehouse refresh: suites on the candidate schemas, checked before publish.

dbt's own tests run after each model; these look at the refresh as a whole, the way a reader of the
reports would: counts against the previous publish, keys, shares that must add up, no personal data in
what BI tools see, and codes that exist in the reference data. Critical expectations stop the publish;
warnings are reported only. ``meta.why`` says why each exists.
"""

from __future__ import annotations

from dataclasses import dataclass

import great_expectations.expectations as gxe

from cadre import reference
from cadre.reference import project_var
from expectations.batch_suites import CRITICAL, WARNING, in_set

ID_LIKE = r"^[0-9]{9,12}$"
PERSONAL_COLUMNS = ("citizen_id", "birth_date", "dob", "full_name", "name_key", "phone", "person_key", "extras")

# A published count may grow (new files) but not collapse, nor jump beyond what new files can bring.
COUNT_FLOOR, COUNT_CEILING = 0.9, 1.5


@dataclass(frozen=True)
class Table:
    schema: str  # published schema; the candidate is schema + suffix
    name: str
    expectations: tuple[gxe.Expectation, ...]
    compare_count: bool = False  # check the row count against the previous publish


def _unique(*columns: str) -> gxe.Expectation:
    why = {"why": f"the grain is one row per {', '.join(columns)}"}
    if len(columns) == 1:
        return gxe.ExpectColumnValuesToBeUnique(column=columns[0], severity=CRITICAL, meta=why)
    return gxe.ExpectCompoundColumnsToBeUnique(column_list=list(columns), severity=CRITICAL, meta=why)


def _pseudonymous(column: str = "person_id") -> gxe.Expectation:
    return gxe.ExpectColumnValuesToNotMatchRegex(
        column=column, regex=ID_LIKE, severity=CRITICAL, meta={"why": "a citizen ID must never reach BI in clear"}
    )


def _rows(query: str, why: str, severity=CRITICAL) -> gxe.Expectation:
    return gxe.UnexpectedRowsExpectation(
        unexpected_rows_query=query, description=why, severity=severity, meta={"why": why}
    )


# The exact aggregates whose `_suppressed` tables BI tools, district offices and the report read: their counts
# of people that must never show 1 or 2, and the rows where they describe people (not a headcount of posts).
SUPPRESSED = {
    "rpt_qualification_structure": (("headcount",), "dimension <> 'total'"),
    "rpt_standards_by_title": (("below_standard", "lacking_professional", "lacking_political_theory"), "true"),
    "rpt_programme_needs_by_topic": (("not_completed",), "true"),
    "rpt_training_coverage": (("participations", "people"), "true"),
    "rpt_training_effectiveness": (("answers",), "true"),
}


def _small_cells_hidden(exact: str, counts: tuple[str, ...], describes_people: str, suffix: str) -> Table:
    floor = project_var("suppress_below")
    small = " or ".join(f"{c} between 1 and {floor - 1}" for c in counts)
    small = f"({describes_people}) and ({small})"
    return Table(
        "reporting",
        f"{exact}_suppressed",
        (
            _rows(
                f"select * from {{batch}} where {small}",
                f"no count of fewer than {floor} people reaches BI, a district office or the report",
            ),
            _rows(
                f"select shown.n, exact.n from (select count(*) as n from {{batch}}) as shown, "
                f'(select count(*) as n from "reporting{suffix}".{exact}) as exact where shown.n <> exact.n',
                f"the suppressed table has every row of {exact}: a hidden cell is null, never a missing row",
            ),
        ),
    )


def tables(suffix: str) -> list[Table]:
    titles = sorted(r["title_code"] for r in reference.rows("cadre_titles"))
    forbidden = ", ".join(f"'{c}'" for c in PERSONAL_COLUMNS)
    schemas = f"'marts{suffix}', 'reporting{suffix}'"
    return [
        Table(
            "marts",
            "fct_cadre_positions",
            (
                _unique("person_id", "reporting_date"),
                _pseudonymous(),
                _rows(
                    "select commune_code from {batch} where commune_code not in "
                    f'(select commune_code from "marts{suffix}".dim_commune)',
                    "every post is in a commune of the reference lists (the home province's, the country's)",
                ),
                in_set("title_code", titles, "titles are reference codes"),
                _rows(
                    "select reporting_date, count(*) as listed, count(distinct person_id) as people from {batch} "
                    "group by 1 having count(*) <> count(distinct person_id)",
                    "each person is counted once per reporting date",
                ),
            ),
            compare_count=True,
        ),
        Table(
            "marts",
            "fct_cadre_posts",
            (
                _unique("person_id", "reporting_date", "title_code"),
                _pseudonymous(),
                _rows(
                    "select posts.reporting_date, posts.commune_code, posts.title_code, count(*) as holders "
                    f'from {{batch}} as posts join "reference{suffix}".cadre_titles as titles using (title_code) '
                    "where titles.max_per_commune is not null group by 1, 2, 3, titles.max_per_commune "
                    "having count(*) > titles.max_per_commune",
                    "a commune has one head per cadre title and at most two deputies (cadre_titles.max_per_commune, "
                    "Decree 33/2023), counting concurrent posts: more holders mean a file counted people twice",
                ),
            ),
        ),
        Table("marts", "dim_person", (_unique("person_id"), _pseudonymous()), compare_count=True),
        Table(
            "marts",
            "fct_training_participations",
            (_unique("participation_id"), _pseudonymous()),
            compare_count=True,
        ),
        Table(
            "reporting",
            "rpt_qualification_structure",
            (
                _unique("reporting_date", "scope", "scope_code", "indicator_code"),
                gxe.ExpectColumnValuesToBeBetween(
                    column="share_pct", min_value=0, max_value=100, severity=CRITICAL, meta={"why": "a share"}
                ),
                _rows(
                    "select structure.reporting_date, structure.headcount, facts.people from "
                    "(select reporting_date, sum(headcount) as headcount from {batch} "
                    "where scope = 'province' and indicator_code = 'cadre_headcount' group by 1) as structure "
                    "full join (select reporting_date, count(distinct person_id) as people "
                    f'from "marts{suffix}".fct_cadre_positions where is_cadre group by 1) as facts '
                    "using (reporting_date) where structure.headcount is distinct from facts.people",
                    "the published headcount of every date (its provinces together) is the number of distinct "
                    "cadres in the facts",
                ),
                _rows(
                    "select reporting_date, scope, scope_code, dimension, sum(headcount) as counted, "
                    "max(cadres_total) as cadres from {batch} "
                    f'where indicator_code in (select indicator_code from "reference{suffix}".report_indicators '
                    "where is_group) group by 1, 2, 3, 4 having sum(headcount) <> max(cadres_total)",
                    "the groups of one qualification scale add up to all cadres (100 %): the report's printed "
                    "political-theory groups did not",
                ),
            ),
        ),
        Table(
            "reporting",
            "rpt_training_effectiveness",
            (
                _rows(
                    "select survey_batch_id, question, sum(share_pct) as total from {batch} "
                    "group by 1, 2 having abs(sum(share_pct) - 100) > 0.05",
                    "the answers to one question add up to 100 % (to rounding)",
                ),
            ),
        ),
        Table(
            "reporting",
            "rpt_standards_gap",
            (_unique("person_id", "reporting_date", "title_code"), _pseudonymous()),
        ),
        Table("reporting", "rpt_source_conflicts", (_unique("person_id", "reporting_date"), _pseudonymous())),
        Table("reporting", "rpt_programme_needs", (_unique("person_id", "topic_code"), _pseudonymous())),
        Table(
            "reporting",
            "rpt_published_figures_audit",
            (
                _unique("reporting_date", "indicator_code"),
                _rows(
                    "select table_schema, table_name, column_name from information_schema.columns "
                    f"where table_schema in ({schemas}) and column_name in ({forbidden}) "
                    "and exists (select 1 from {batch})",
                    "no personal column (ID, name, birth date, phone) in a mart or report",
                ),
            ),
        ),
        Table(
            "reporting",
            "rpt_training_coverage",
            (
                gxe.ExpectTableRowCountToBeBetween(
                    min_value=2, severity=WARNING, meta={"why": "coverage has categories and a total"}
                ),
            ),
        ),
        *(_small_cells_hidden(exact, counts, where, suffix) for exact, (counts, where) in SUPPRESSED.items()),
    ]


def count_expectation(previous: int) -> gxe.Expectation:
    return gxe.ExpectTableRowCountToBeBetween(
        min_value=int(previous * COUNT_FLOOR),
        max_value=int(previous * COUNT_CEILING) + 1,
        severity=CRITICAL,
        meta={
            "why": f"the previous publish had {previous} rows: a refresh loses at most "
            f"{100 - COUNT_FLOOR * 100:.0f} % and grows by at most {COUNT_CEILING * 100 - 100:.0f} %"
        },
    )
