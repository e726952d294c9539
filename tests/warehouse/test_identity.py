"""Identity resolution measured against the sample's ground truth: precision >= 0.995, recall >= 0.98 over
roster and survey rows; unmatched rows are kept and countable."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import pytest

from tests.conftest import query


def _by_location(wh_url, table, id_column):
    """row id -> (file path, sheet, row)."""
    rows = query(
        wh_url,
        f"select t.{id_column}, b.file_path, t.source_sheet, t.source_row from {table} t "
        "join raw.ingest_batches b using (batch_id)",
    )
    return {rid: (str(Path(path).resolve()), sheet, row) for rid, path, sheet, row in rows}


@pytest.fixture(scope="module")
def measured(built, wh_url, truth, sample_dir):
    def key(r):
        return str((sample_dir / r["file"]).resolve()), r["sheet"], int(r["row"])

    hr_truth = {key(r): r["person_id"] for r in truth("hr_rows.csv") if r.get("person_id")}
    hr_loc = _by_location(wh_url, "raw.hr_rows", "batch_id || ':' || source_sheet || ':' || source_row")
    person_of_key: dict[str, Counter] = defaultdict(Counter)
    for hr_row_id, person_key in query(wh_url, "select hr_row_id, person_key from intermediate.int_hr_rows_identified"):
        true = hr_truth.get(hr_loc.get(hr_row_id))
        if true:
            person_of_key[person_key][true] += 1
    key_to_person = {k: c.most_common(1)[0][0] for k, c in person_of_key.items()}
    split_keys = {k for k, c in person_of_key.items() if len(c) > 1}

    roster_truth = {key(r): (r["person_id"], r["in_hr"] == "true") for r in truth("roster_rows.csv")}
    survey_truth = {
        (str((sample_dir / r["file"]).resolve()), int(r["row"])): (r["person_id"], True)
        for r in truth("survey_rows.csv")
    }
    roster_loc = _by_location(wh_url, "raw.roster_rows", "batch_id || ':' || source_sheet || ':' || source_row")
    survey_loc = {
        rid: (str(Path(p).resolve()), row)
        for rid, p, _, row in query(
            wh_url,
            "select batch_id || ':' || source_sheet || ':' || source_row, b.file_path, source_sheet, source_row "
            "from raw.survey_responses join raw.ingest_batches b using (batch_id)",
        )
    }
    outcome = Counter()
    rules = Counter()
    for kind, row_id, person_key, rule in query(
        wh_url,
        "select source_kind, training_row_id, person_key, match_rule from intermediate.int_training_rows_identified",
    ):
        if kind == "roster":
            true, in_hr = roster_truth.get(roster_loc.get(row_id), (None, None))
        else:
            true, in_hr = survey_truth.get(survey_loc.get(row_id), (None, None))
        if true is None:
            continue  # a row of another test's file
        rules[rule] += 1
        if person_key is None:
            outcome["missed" if in_hr else "rightly_unmatched"] += 1
        elif key_to_person.get(person_key) == true:
            outcome["correct"] += 1
        else:
            outcome["wrong"] += 1
    return outcome, rules, split_keys


def test_hr_rows_of_one_person_share_one_key(measured):
    _, _, split_keys = measured
    assert not split_keys  # no key mixes two true people


def test_precision_and_recall(measured):
    outcome, rules, _ = measured
    matched = outcome["correct"] + outcome["wrong"]
    precision = outcome["correct"] / matched
    recall = outcome["correct"] / (outcome["correct"] + outcome["wrong"] + outcome["missed"])
    print(f"identity: precision {precision:.4f}, recall {recall:.4f}, {dict(outcome)}, rules {dict(rules)}")
    assert precision >= 0.995
    assert recall >= 0.98
    assert outcome["rightly_unmatched"] > 0  # people appointed after the last HR file stay unmatched, counted
