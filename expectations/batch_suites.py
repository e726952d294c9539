"""One suite per raw data asset, checked on each ingested batch before it may be used downstream.

Critical expectations fail the batch (it stays in raw for inspection, marked failed in the ledger);
warnings are reported only. Each expectation's ``meta.why`` says why it exists.
"""

from __future__ import annotations

from functools import cache

import great_expectations.expectations as gxe

from cadre import reference
from expectations.runner import BATCH

CRITICAL, WARNING = "critical", "warning"


def _codes(seed: str, dimension: str | None = None) -> list[str]:
    return sorted({r["code"] for r in reference.rows(seed) if dimension is None or r["dimension"] == dimension})


def _some_rows() -> gxe.Expectation:
    return gxe.ExpectTableRowCountToBeBetween(
        min_value=1, severity=CRITICAL, meta={"why": "a file whose every row was refused has nothing to use"}
    )


def in_set(column: str, values: list[str], why: str) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToBeInSet(column=column, value_set=values, severity=CRITICAL, meta={"why": why})


def _not_null(column: str, why: str) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToNotBeNull(column=column, severity=CRITICAL, meta={"why": why})


@cache
def suites() -> dict[str, list[gxe.Expectation]]:
    titles = sorted(r["title_code"] for r in reference.rows("cadre_titles"))
    levels = {
        "prof_level": _codes("level_professional"),
        "llct": _codes("level_political_theory"),
        "qlnn": _codes("level_state_management"),
        "it": _codes("level_general_it_lang", "tin_hoc"),
        "lang": _codes("level_general_it_lang", "ngoai_ngu"),
    }
    hr = [
        _some_rows(),
        _not_null("full_name", "a person without a name cannot be counted or matched"),
        _not_null("person_key", "a person is placed by the citizen ID, else the name with the birth date"),
        _not_null("title_code", "headcounts are by title"),
        _not_null("commune_code", "headcounts are by commune"),
        in_set("title_code", titles, "only the commune cadre and civil-servant titles are in scope"),
        *[in_set(c, v, f"{c} must be a code of its reference scale") for c, v in levels.items()],
        gxe.ExpectColumnValuesToMatchRegex(
            column="citizen_id",
            regex=r"^(?:\d{12}|\d{9})$",
            severity=CRITICAL,
            meta={"why": "IDs are 12 digits (9 for old ID cards)"},
        ),
        _between("age", 16, 80, CRITICAL, "a birth date giving an age outside 16-80 is a typing error"),
        _unique_per_batch(
            ["person_key"], "one row per person per file (a person: the citizen ID, else folded name and birth date)"
        ),
    ]
    hr_communes = [
        _between(
            "headcount",
            5,
            40,
            WARNING,
            "a commune has about 20 cadres and civil servants; far fewer is a partial submission, far more a "
            "double entry",
        ),
    ]
    roster = [
        _some_rows(),
        _not_null("full_name", "an attendee without a name cannot be matched"),
        gxe.ExpectColumnValuesToNotBeNull(
            column="dob",
            severity=WARNING,
            meta={"why": "birth date is half of the identity key: without it a line is matched by name and commune"},
        ),
        _not_null("class_code", "a participation belongs to a class"),
        _between("score", 0, 10, CRITICAL, "scores are on the 10-point scale"),
        _unique_per_batch(["class_code", "name_key", "dob"], "one row per person per class"),
    ]
    survey = [
        _some_rows(),
        gxe.ExpectColumnValuesToNotBeNull(
            column="full_name",
            severity=WARNING,
            meta={"why": "an unnamed answer (an anonymous form) counts in its survey's shares, matched to no one"},
        ),
        in_set(
            "improvement",
            [r["code"] for r in reference.rows("training_eval_scales") if r["question"] == "improvement"],
            "the survey's four-step scale (training_eval_scales)",
        ),
        _between("trainings_2016_2020", 0, 60, CRITICAL, "at most about one course a month"),
    ]
    classes = [
        _some_rows(),
        _not_null("class_code", "rosters refer to classes by code"),
        _unique_per_batch(["class_code"], "a class code names one class"),
        _not_null("start_date", "coverage is counted by period"),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="end_date",
            column_B="start_date",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            severity=CRITICAL,
            meta={"why": "a class ends after it starts"},
        ),
    ]
    delivery = [
        _between(
            "quarantined_share", 0, 0.05, WARNING, "more than 5 % of a file's rows refused: look at the quarantine"
        ),
        _between(
            "quarantined_share", 0, 0.30, CRITICAL, "more than 30 % refused: the file is not used until corrected"
        ),
        _between(
            "headcount_ratio",
            0.8,
            1.2,
            WARNING,
            "a district's headcount moves little between deliveries: +-20 % is a partial or doubled file",
        ),
        _between("other_district_share", 0, 0.0, WARNING, "communes of another district in the file: a copied sheet?"),
        _between(
            "other_district_share", 0, 0.5, CRITICAL, "most communes belong to another district: the file is misnamed"
        ),
        _between(
            "missing_qualification_columns", 0, 0, WARNING, "no qualification column: the people load, levels unknown"
        ),
    ]
    unknown = [
        _between(
            c,
            0,
            0,
            WARNING,
            f"values of the {c} column not read as a level (loaded as unknown): see `cadre vocabulary`",
        )
        for c in levels
    ]
    return {
        "hr_rows": hr,
        "hr_commune_headcount": hr_communes,
        "hr_delivery": delivery,
        "hr_unknown_values": unknown,
        "roster_rows": roster,
        "survey_responses": survey,
        "course_classes": classes,
    }


def _unique_per_batch(columns: list[str], why: str) -> gxe.Expectation:
    """Unique within a batch, whichever batches are checked together (a row missing a value is not compared:
    its own expectation fails it)."""
    return gxe.ExpectCompoundColumnsToBeUnique(
        column_list=[BATCH, *columns], ignore_row_if="any_value_is_missing", severity=CRITICAL, meta={"why": why}
    )


def _between(column: str, least: float, most: float, severity: str, why: str) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToBeBetween(
        column=column, min_value=least, max_value=most, severity=severity, meta={"why": why}
    )


ASSETS = {
    "hr": ("hr_rows", "hr_commune_headcount", "hr_delivery", "hr_unknown_values"),
    "roster": ("roster_rows",),
    "survey": ("survey_responses",),
    "classes": ("course_classes",),
}
