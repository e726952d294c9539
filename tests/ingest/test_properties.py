"""Properties: normalising twice changes nothing; for generated workbooks rows are conserved; only typed
rejections are raised."""

from __future__ import annotations

import tempfile
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cadre.sample.hr import spellings
from ingest import values
from ingest.errors import ROW_REASONS, FileRejected
from ingest.pipeline import parse_file
from ingest.text import fold, normalise, normalise_series
from tests.ingest import builders

VIET = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
texty = st.text(
    alphabet=st.sampled_from(VIET + VIET.upper() + " \u00a0\u200b\t0123456789/.-,()" + "\u0301\u0323"), max_size=40
)


@given(texty)
def test_normalising_twice_changes_nothing(text):
    once = normalise(text)
    assert normalise(once) == once
    assert fold(fold(text)) == fold(text)


@given(st.lists(texty, min_size=1, max_size=20))
def test_the_vectorised_normaliser_agrees_with_the_scalar_one(texts):
    assert normalise_series(pl.Series(texts, dtype=pl.Utf8)).to_list() == [normalise(t) for t in texts]


@given(st.one_of(texty, st.from_regex(r"\d{1,2}/\d{1,2}/\d{2,4}", fullmatch=True)), st.sampled_from(["dob", "event"]))
def test_dates_parse_or_give_a_known_reason(raw, role):
    value, reason = values.parse_date(raw, role)
    assert (value is None) or (reason is None)
    assert reason is None or reason in ROW_REASONS


@given(st.one_of(texty, st.from_regex(r"\d{8,13}(\.0)?", fullmatch=True)))
def test_ids_parse_or_give_a_known_reason(raw):
    value, _flag, reason = values.parse_citizen_id(raw)
    assert value is None or (value.isdigit() and len(value) in (9, 12))
    assert reason is None or reason in ROW_REASONS


TITLES = [v for vs in spellings()["title"].values() for v in vs] + ["Trưởng thôn", ""]
LLCT = [v for vs in spellings()["llct"].values() for v in vs] + ["không rõ", ""]
cell_row = st.one_of(
    st.tuples(
        st.one_of(st.just(None), texty),
        st.sampled_from(["01/02/1980", "31/02/1980", "1980-05-06 00:00:00", "5/6/75", "", "x"]),
        st.sampled_from(["022180000123", "22180000123", "101234567", "12", ""]),
        st.sampled_from(["Phường Hà Khánh", "Hà Khánh", "Xã Nowhere", ""]),
        st.sampled_from(TITLES),
        st.sampled_from(LLCT),
    ),
    st.just("blank"),
    st.just("total"),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(cell_row, min_size=0, max_size=25))
def test_generated_workbooks_conserve_rows(rows):
    grid = []
    for i, row in enumerate(rows, start=1):
        if row == "blank":
            grid.append([None] * 9)
        elif row == "total":
            grid.append(["Cộng", f"{i} người", None, None, None, None, None, None, None])
        else:
            name, dob, cid, commune, title, llct = row
            grid.append(
                [
                    i,
                    name,
                    dob or None,
                    cid or None,
                    commune or None,
                    title or None,
                    "Đại học",
                    llct or None,
                    "Chuyên viên",
                ]
            )
    with tempfile.TemporaryDirectory() as tmp:
        path = builders.hr_xlsx(Path(tmp) / "gen.xlsx", grid, when="30/12/2020")
        try:
            parsed, rejected = parse_file(path), None
        except FileRejected as exc:  # the only exception allowed: a typed rejection
            parsed, rejected = None, exc
    if rejected is not None:
        assert rejected.code in ("no_header", "missing_columns", "no_district", "no_reporting_date")
        assert rejected.message
        return
    assert parsed["rows_in"] == parsed["loaded"].height + parsed["quarantined"].height
    trailing_blank = len(grid) - max((i + 1 for i, r in enumerate(grid) if any(c is not None for c in r)), default=0)
    assert parsed["rows_in"] + sum(parsed["skipped"].values()) == len(grid) - trailing_blank
    for reasons in parsed["quarantined"].get_column("reasons").to_list():
        assert reasons
        assert set(reasons) <= set(ROW_REASONS)


code_cell = st.one_of(
    st.integers(0, 6), st.sampled_from(["(1)", "(2)", "3.0", "", "12345678901234567890", "x"]), st.just(None)
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(code_cell, min_size=4, max_size=4), min_size=1, max_size=12))
def test_anonymous_forms_typed_as_codes_conserve_rows(rows):
    """Rows of small numbers only (a form's answers as codes, a row numbering the columns), with numbers too long
    for any code: each row is loaded, quarantined or skipped with a reason; nothing raises but a typed refusal."""
    header = [
        "Phiếu số",
        "Số lần tham gia bồi dưỡng",
        "Mức độ cải thiện (1: Không đáng kể; 2: Tích cực; 3: Khá tích cực; 4: Rất tích cực)",
        "Mức độ cần thiết (1: Không cần thiết; 2: Cần thiết; 3: Rất cần thiết)",
    ]
    grid = [["TỔNG HỢP PHIẾU KHẢO SÁT (KHÔNG GHI TÊN) - HUYỆN TIÊN YÊN"], [], header, *rows]
    with tempfile.TemporaryDirectory() as tmp:
        path = builders.sheet_xlsx(Path(tmp) / "phieu.xlsx", grid)
        try:
            parsed, rejected = parse_file(path), None
        except FileRejected as exc:  # the only exception allowed: a typed refusal
            parsed, rejected = None, exc
    if rejected is not None:
        assert rejected.code in ("no_header", "missing_columns")
        assert rejected.message
        return
    written = [r for r in rows if any(c not in (None, "") for c in r)]
    trailing = len(rows) - max((i + 1 for i, r in enumerate(rows) if any(c not in (None, "") for c in r)), default=0)
    assert parsed["rows_in"] == parsed["loaded"].height + parsed["quarantined"].height
    assert parsed["rows_in"] + sum(parsed["skipped"].values()) == len(rows) - trailing
    assert parsed["rows_in"] <= len(written)
