"""Value parsing, table by table: input -> expected, including the ugly inputs."""

from __future__ import annotations

from datetime import date

import pytest

from ingest import values
from ingest.text import decode_legacy, detect_legacy, fold, normalise

ON = date(2020, 12, 30)


@pytest.mark.parametrize(
    ("raw", "role", "expected"),
    [
        ("1988-01-18 00:00:00", "dob", (date(1988, 1, 18), None)),  # an Excel date cell read as text
        ("05/03/1975", "dob", (date(1975, 3, 5), None)),
        ("5/3/75", "dob", (date(1975, 3, 5), None)),
        ("5.3.1975", "dob", (date(1975, 3, 5), None)),
        ("1975-03-05", "dob", (date(1975, 3, 5), None)),
        ("27458", "dob", (date(1975, 3, 5), None)),  # an Excel serial that reached us as a number
        ("31/02/1978", "dob", (None, "invalid_date")),
        ("12/25/1980", "dob", (None, "ambiguous_date")),  # month/day order: never swapped silently
        ("28/02/20", "dob", (None, "ambiguous_date")),  # 1920 or 2020: neither is a working adult
        ("3/4/05", "event", (date(2005, 4, 3), None)),
        ("30/11/20", "event", (date(2020, 11, 30), None)),
        ("không rõ", "dob", (None, "invalid_date")),
        ("", "dob", (None, None)),
        (None, "dob", (None, None)),
    ],
)
def test_parse_date(raw, role, expected):
    assert values.parse_date(raw, role, ON) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("022164420079", ("022164420079", None, None)),
        ("22164420079", ("022164420079", "zero_restored", None)),
        ("22164420079.0", ("022164420079", "zero_restored", None)),
        ("1169058506", ("001169058506", "zero_restored", None)),
        ("022 164 420 079", ("022164420079", None, None)),
        ("101234567", ("101234567", "old_id_9", None)),
        ("999164420079", (None, None, "invalid_citizen_id")),  # no province has code 999
        ("12345", (None, None, "invalid_citizen_id")),
        ("0221644200x9", (None, None, "invalid_citizen_id")),
        ("", (None, None, None)),
    ],
)
def test_parse_citizen_id(raw, expected):
    assert values.parse_citizen_id(raw) == expected


@pytest.mark.parametrize(
    ("field", "raw", "code"),
    [
        ("prof_level", "TC", "TC"),
        ("llct", "TC", "TC"),
        ("prof_level", "CN", "DH"),  # "CN" is a university degree in the education column...
        ("llct", "CN", "CN"),  # ...and a bachelor of political theory in the LLCT column
        ("llct", "Trung cấp LLCT - hành chính", "TC"),
        ("llct", "trung cap llct hanh chinh", "TC"),
        ("qlnn", "Chuyên viên và tương đương", "CV"),
        ("qlnn", "Chưa qua đào tạo", "CQBD"),
        ("lang", "Chứng chỉ A", "BAC2"),
        ("it", "Chứng chỉ A", "A"),
        ("title", "Chủ tịch Uỷ ban nhân dân", "CT_UBND"),
        ("title", "CT. HĐND", "CT_HDND"),
        ("title", "PBT TT ĐU", "PBT_DU"),
        ("title", "ĐC-NN-XD-MT", "DC_XD"),
    ],
)
def test_values_map_by_their_column(field, raw, code):
    assert values.map_value(field, raw) == (code, None)


def test_unmapped_values_are_refused_with_a_reason():
    assert values.map_value("llct", "Tiến sĩ chính trị") == (None, "unmapped_value")
    assert values.map_value("title", "Trưởng thôn") == (None, "unknown_title")
    assert values.map_value("llct", "") == (None, None)


@pytest.mark.parametrize(
    ("raw", "district", "code"),
    [
        ("Thị trấn Đầm Hà", "200", "06895"),
        ("Xã Đầm Hà", "200", "06916"),
        ("TT. Đầm Hà", "200", "06895"),
        ("Đầm Hà", "200", None),  # the town or the commune? a person decides
        ("Phương Đông", "196", "06832"),  # a name that starts like "phường"
        ("Phường Hoà Lạc", "194", "06718"),
        ("Thị trấn Bình Liêu, Huyện Bình Liêu", "198", "06838"),
    ],
)
def test_communes_by_name(raw, district, code):
    assert values.map_commune(raw, district)[0] == code


def test_normalise_cleans_invisible_and_odd_spaces():
    assert normalise("  Nguyễn\u00a0Văn\u200b  An\t") == "Nguyễn Văn An"
    assert normalise("Nguye\u0302\u0303n") == "Nguyễn"  # NFD -> NFC
    assert normalise("   ") is None


def test_fold_ignores_case_marks_and_tone_placement():
    assert fold("Phường Hoà Lạc") == fold("PHƯỜNG HÒA LẠC") == "phuong hoa lac"
    assert fold("Đặng Thị Thuỷ") == fold("dang thi thuy")


def test_tcvn3_is_detected_and_decoded():
    cells = ["NguyÔn C«ng C\u00adêng", "ThÞ trÊn B×nh Liªu", "Chñ tÞch Uû ban nh©n d©n"]
    assert detect_legacy(cells) == "tcvn3"
    assert detect_legacy(["Nguyễn Công Cường", "Thị trấn Bình Liêu"]) is None
    assert detect_legacy(["Nguyễn Công Cường"], {".VnTime"}) is None  # a .Vn font with Unicode text
    assert decode_legacy(cells[0], "tcvn3") == "Nguyễn Công Cường"
