"""Value parsing, table by table: input -> expected, including the ugly inputs."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from ingest import values
from ingest.text import decode_legacy, detect_legacy, fold, normalise, normalise_frame, typed_in_unicode

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
        ("1965", "dob", (date(1965, 1, 1), None)),  # the year alone, as commune lists often give it
        ("1965.0", "dob", (date(1965, 1, 1), None)),  # ... from a number cell
        ("00/00/1965", "dob", (date(1965, 1, 1), None)),
        ("", "dob", (None, None)),
        (None, "dob", (None, None)),
    ],
)
def test_parse_date(raw, role, expected):
    assert values.parse_date(raw, role, ON) == expected


def test_a_year_alone_is_flagged():
    assert values.parse_date("1965", "dob", ON, flag=True) == (date(1965, 1, 1), None, "year_only")
    assert values.parse_date("05/03/1975", "dob", ON, flag=True) == (date(1975, 3, 5), None, None)


def test_a_birth_year_of_two_digits_takes_the_one_plausible_century():
    """ "75" in a birth-year column: 1975, by the rule a d/m/yy birth date follows (age 16-80), flagged as a
    year; "30" could be neither 1930 nor 2030; any other date column gives no year of two digits."""
    assert values.parse_date("75", "dob", ON, flag=True) == (date(1975, 1, 1), None, "year_only")
    assert values.parse_date("02", "dob", ON, flag=True) == (date(2002, 1, 1), None, "year_only")
    assert values.parse_date("30", "dob", ON) == (None, "ambiguous_date")
    assert values.parse_date("75", "event", ON) == (None, "invalid_date")


@pytest.mark.parametrize(
    ("titles", "file_name", "expected"),
    [
        (["DANH SÁCH CÁN BỘ (tính đến ngày 30/12/2020)"], "x.xlsx", date(2020, 12, 30)),
        (["(Tính đến ngày 30 tháng 6 năm 2022)"], "x.xlsx", date(2022, 6, 30)),
        (["Thời điểm báo cáo: 31.12.2021"], "x.xlsx", date(2021, 12, 31)),
        ([], "DS CBCC cap xa 31.12.2021.xlsx", date(2021, 12, 31)),
        ([], "ds-ly-lich-trich-ngang_31-12-2021.xlsx", date(2021, 12, 31)),
        ([], "193_ha_long_2020-12-30.xlsx", date(2020, 12, 30)),
        (["Tiên Yên, ngày ... tháng ... năm 2022"], "bao cao.xlsx", None),
        (
            ["(Kèm theo Báo cáo số 125/BC-UBND ngày 05/01/2022)", "Số liệu tính đến ngày 31/12/2021"],
            "x.xlsx",
            date(2021, 12, 31),
        ),
    ],
)
def test_reporting_date(titles, file_name, expected):
    assert values.reporting_date(titles, file_name) == expected


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
        # as Excel shows a number too long for its cell, saved so in a CSV: read where every digit is there
        ("2.2164420079E+10", ("022164420079", "zero_restored", None)),
        ("2,2164420079E+10", ("022164420079", "zero_restored", None)),
        ("1.01234567E+08", ("101234567", "old_id_9", None)),
        ("2.21644E+10", (None, None, "invalid_citizen_id")),  # rounded: its last digits are lost
        ("2.21644200795E+10", (None, None, "invalid_citizen_id")),  # a fraction: no ID
    ],
)
def test_parse_citizen_id(raw, expected):
    assert values.parse_citizen_id(raw) == expected


def test_normalise_cleans_invisible_and_odd_spaces():
    assert normalise("  Nguyễn\u00a0Văn\u200b  An\t") == "Nguyễn Văn An"
    assert normalise("Ðinh Thị Hà, ðội 3") == "Đinh Thị Hà, đội 3"  # the look-alike Eth is never Vietnamese
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


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ngày 12 tháng 5 năm 1974", (date(1974, 5, 12), None, None)),  # a birth date written out in words
        ("Ngày 03 tháng 02 năm 1985", (date(1985, 2, 3), None, None)),
        ("12/5/1974 (âm lịch)", (date(1974, 5, 12), None, None)),  # a remark in brackets after the date
        ("5/1974", (date(1974, 5, 1), None, "month_only")),  # the month and year only
        ("tháng 5/1974", (date(1974, 5, 1), None, "month_only")),
        ("00/05/1965", (date(1965, 5, 1), None, "month_only")),
        ("00/00/1965", (date(1965, 1, 1), None, "year_only")),
        ("??/??/1965", (date(1965, 1, 1), None, "year_only")),  # other placeholders for what is not known
        ("  /  /1965", (date(1965, 1, 1), None, "year_only")),
        ("--/--/1965", (date(1965, 1, 1), None, "year_only")),
        ("…/…/1965", (date(1965, 1, 1), None, "year_only")),
        ("/1965", (None, "invalid_date", None)),
        ("13/1974", (None, "invalid_date", None)),
        ("12-May-1974", (date(1974, 5, 12), None, None)),  # Excel's dd-mmm-yy display, exported as text
        ("12 thg 3, 1974", (date(1974, 3, 12), None, None)),  # Google Sheets' Vietnamese display, exported
        ("5-thg 11-80", (date(1980, 11, 5), None, None)),
        ("5-Dec-90", (date(1990, 12, 5), None, None)),
        ("1974/05/12", (date(1974, 5, 12), None, None)),  # year first
        ("19740512", (date(1974, 5, 12), None, None)),  # a program's yyyymmdd
        ("12051974", (date(1974, 5, 12), None, None)),  # typed without separators (never both readings)
        ("19741305", (None, "invalid_date", None)),  # neither reading is a date
        ("ngày 12/5/1974", (date(1974, 5, 12), None, None)),
        ("Sinh ngày: 03/04/1980", (date(1980, 4, 3), None, None)),
        ("(12/5/1974)", (date(1974, 5, 12), None, None)),
        ("12-Mai-1974", (None, "invalid_date", None)),  # no month of that name: refused, not guessed
        ("12/5/1974 0:00", (date(1974, 5, 12), None, None)),  # a database's export, midnight after the date
        ("'12/05/1974", (date(1974, 5, 12), None, None)),  # Excel's text prefix, typed into a CSV
        ("19/8/1972.", (date(1972, 8, 19), None, None)),  # a full stop after the date
        ("năm 1972", (date(1972, 1, 1), None, "year_only")),
        ("T3/1970", (date(1970, 3, 1), None, "month_only")),  # "tháng" cut to its letter
        ("T13/1970", (None, "invalid_date", None)),
        # year first without leading zeros, as a clerk types it, tried on 2026-12-06
        ("1979-8-5", (date(1979, 8, 5), None, None)),
        ("1986/11/2", (date(1986, 11, 2), None, None)),
        ("1979-8/5", (None, "invalid_date", None)),  # two separators that differ: no date
        # typed without diacritics, and years typed into cells formatted as dates, tried on 2026-12-07
        ("ngay 12 thang 5 nam 1974", (date(1974, 5, 12), None, None)),
        ("Sinh ngay: 03/04/1980", (date(1980, 4, 3), None, None)),
        ("1985 - 38 tuoi", (date(1985, 1, 1), None, "year_only")),
        ("1905-06-02 00:00:00", (date(1980, 1, 1), None, "year_only")),  # 1980 typed: Excel's day 1980
        ("02/06/1905", (date(1980, 1, 1), None, "year_only")),  # ... as a CSV saved from it shows it
        ("12/12/1905", (date(1905, 12, 12), None, None)),  # day 2173: no year of ours (then refused implausible)
        # a year shown with its thousands mark, as a CSV from a Vietnamese (or English) Windows keeps it, 2026-12-07
        ("1.979", (date(1979, 1, 1), None, "year_only")),
        ("1,988", (date(1988, 1, 1), None, "year_only")),
        ("1.079", (None, "invalid_date", None)),  # no year of ours
        # spaces or commas between the parts, a separator typed twice, "Th" for the month; tried on 2026-12-07
        ("25 08 1967", (date(1967, 8, 25), None, None)),
        ("25, 8, 1967", (date(1967, 8, 25), None, None)),
        ("25/8//1967", (date(1967, 8, 25), None, None)),
        ("25/Th8/1967", (date(1967, 8, 25), None, None)),
        ("25 tháng 08, 1967", (date(1967, 8, 25), None, None)),
        ("25 8 67", (None, "invalid_date", None)),  # a two-digit year between spaces: not a date we read
    ],
)
def test_birth_dates_as_clerks_write_them(raw, expected):
    assert values.parse_date(raw, "dob", ON, flag=True) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("'022167004567", ("022167004567", None, None)),  # Excel's text prefix typed as a character
        ("CCCD: 022167004567", ("022167004567", None, None)),
        ("022167004567 - 12/05/2021 - CA Quảng Ninh", ("022167004567", None, None)),  # number, date, place
        ("101234567, cấp ngày 3/4/2005", ("101234567", "old_id_9", None)),
        ("022.167.004.567", ("022167004567", None, None)),
        ("12/05/2021", (None, None, "invalid_citizen_id")),  # a date is no ID
        ("Chưa cấp", (None, "none_written", None)),  # none written: no ID, the row placed by name and birth date
        ("-", (None, "none_written", None)),
        ("0", (None, "none_written", None)),
        ("CCCD: chưa có", (None, "none_written", None)),
        # tried on 2026-12-07
        ("Số: 022167004567", ("022167004567", None, None)),
        ("Căn cước: 022167004567", ("022167004567", None, None)),
        ("101234567 - 022167004567", ("022167004567", None, None)),  # the old number and the new: the new
        ("CCCD số 022167004567", ("022167004567", None, None)),  # the label's words the other way round
    ],
)
def test_citizen_ids_with_what_clerks_add_to_them(raw, expected):
    assert values.parse_citizen_id(raw) == expected


@pytest.mark.parametrize(
    ("titles", "expected"),
    [
        (["DANH SÁCH CÁN BỘ CẤP XÃ THÁNG 6/2023"], date(2023, 6, 30)),  # the month's last day
        (["Số liệu đến tháng 12 năm 2022"], date(2022, 12, 31)),
        (["BÁO CÁO QUÝ IV/2022"], date(2022, 12, 31)),
        (["Quý 1 năm 2024"], date(2024, 3, 31)),
        (["BÁO CÁO 6 THÁNG ĐẦU NĂM 2023"], date(2023, 6, 30)),
        (["DANH SÁCH CBCC CẤP XÃ 9 THÁNG NĂM 2024"], date(2024, 9, 30)),  # the first nine months, not the year
        (["Báo cáo 3 tháng đầu năm 2024"], date(2024, 3, 31)),
        (["Biểu 01 - 2024 (9 tháng đầu năm)"], date(2024, 9, 30)),
        (["DANH SÁCH CBCC 6 THÁNG CUỐI NĂM 2023"], date(2023, 12, 31)),  # the last six months end with the year
        (["BIỂU THỐNG KÊ NĂM 2022"], date(2022, 12, 31)),
        (["DS can bo thang 2-2023"], date(2023, 2, 28)),
        (["DS CBCC Hai Ha T12-2024"], date(2024, 12, 31)),  # a file's name: "T" for the month, "Q" for the quarter
        (["Bao cao T6.2023"], date(2023, 6, 30)),
        (["BC Q3 2024"], date(2024, 9, 30)),
        (["Tổ 12 2024"], None),  # "tổ" is no month
        (["Thông tư 12/2024/TT-BNV"], None),
        (["CÁN BỘ NHIỆM KỲ 2021-2026"], None),  # a span of years is no reporting period
        (["DANH SÁCH NĂM 2031"], None),  # a year not yet over
        (["tháng 13/2022"], None),
        (["Tiên Yên, ngày ... tháng ... năm 2022"], None),  # a signature's date line, not yet filled in
        (["DANH SÁCH CBCC ĐẦU NĂM 2024"], date(2024, 1, 1)),  # as the year began, not as it ended
        (["DANH SÁCH CBCC ĐẦU NĂM 2026"], None),
    ],
)
def test_a_period_without_a_day_ends_on_its_last_day(titles, expected):
    assert values.period_end(titles, date(2025, 1, 1)) == expected


def test_vni_and_tcvn3_are_told_apart_without_a_font():
    """An .xls or a CSV records no font: the encoding whose decoding leaves no foreign character wins."""
    from viparse.normalize.encodings import CHARMAPS

    lines = ["Họ và tên", "Nguyễn Văn Trường", "Chủ tịch Ủy ban nhân dân xã Quảng Đức", "Trình độ chuyên môn"]
    for encoding in ("vni", "tcvn3"):
        to_legacy = {uni: seq for seq, uni in CHARMAPS[encoding].pairs}
        typed = ["".join(to_legacy.get(ch, ch) for ch in line) for line in lines]
        assert detect_legacy(typed, set()) == encoding
        assert [decode_legacy(t, encoding) for t in typed] == lines


def test_utf8_text_that_excel_read_as_ansi_is_read_back():
    """A UTF-8 export opened in Excel as Windows-1252 (or -1258) and saved again: what such sheets hold."""
    cp1252 = ["Há»\x8d vÃ\u00a0 tÃªn", "Nguyá»…n VÄƒn TrÆ°á»\x9dng", "Chá»§ tá»‹ch UBND xÃ£ Quáº£ng Ä\x90á»©c"]
    assert detect_legacy(cp1252, set()) == "mojibake"
    assert [decode_legacy(t, "mojibake") for t in cp1252] == [
        "Họ và tên",
        "Nguyễn Văn Trường",
        "Chủ tịch UBND xã Quảng Đức",
    ]
    cp1258 = ["XĂ£ HĂ\u00a0 LĂ¢u", "Ä\x90áº¡i há»\x8dc"]  # Vietnamese Windows: "Ã" shows as "Ă"
    assert detect_legacy(cp1258, set()) == "mojibake"
    assert [decode_legacy(t, "mojibake") for t in cp1258] == ["Xã Hà Lâu", "Đại học"]
    # Vietnamese capitals that are also Windows-1252 letters are not taken for it
    assert detect_legacy(["UBND XÃ ĐẠI DỰC", "CHỦ TỊCH ỦY BAN", "Nguyễn Thị Ánh"], set()) is None
    assert decode_legacy("XÃ ĐẠI DỰC", "mojibake") == "XÃ ĐẠI DỰC"  # a title retyped above garbled rows


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12/3 - 16/3/2023", ("12/3/2023", "16/3/2023", None)),
        ("từ 05/6/2023 đến 30/6/2023", ("05/6/2023", "30/6/2023", None)),
        ("10-12/9/2023", ("10/9/2023", "12/9/2023", None)),
        ("Ngày 15-17/5/2023", ("15/5/2023", "17/5/2023", None)),  # was (None, None)
        # a plan's month or quarter: its first and last day, flagged as no more than that (as a birth month is)
        ("Tháng 3/2023", ("1/3/2023", "31/3/2023", "month_only")),
        ("T11-12/2024", ("1/11/2024", "31/12/2024", "month_only")),
        ("Quý III/2024", ("1/7/2024", "30/9/2024", "quarter_only")),
        ("tháng 2 năm 2024", ("1/2/2024", "29/2/2024", "month_only")),
        ("Tháng 13/2023", (None, None, None)),
        ("Quý V/2024", (None, None, None)),
        ("năm 2024", (None, None, None)),  # a year is no time of a class
        # one day, days listed, a month inside more words, a remark after: tried on 2026-12-06
        ("12/5/2025", ("12/5/2025", "12/5/2025", None)),
        ("19/5/2025 (1 ngày)", ("19/5/2025", "19/5/2025", None)),
        ("Ngày 10, 11/3/2025", ("10/3/2025", "11/3/2025", None)),
        ("8, 9 và 10/4/2025", ("8/4/2025", "10/4/2025", None)),
        ("Tuần 3 tháng 6/2025", ("1/6/2025", "30/6/2025", "month_only")),
        ("Đợt 2 (tháng 7/2025)", ("1/7/2025", "31/7/2025", "month_only")),
        ("Tháng 5 và tháng 6/2025", ("1/5/2025", "30/6/2025", "month_only")),  # two months, the year once
        ("Tháng 5,6/2025", ("1/5/2025", "30/6/2025", "month_only")),
        ("Tháng 5, 7/2025", (None, None, None)),  # not one after the other: no span
        ("Tháng 3/2024 và 9/2024", (None, None, None)),  # two months apart, each with its year: no span, not March
        ("tháng 5/2024, tháng 7/2024", (None, None, None)),
        # the school's shorthand, tried on 2026-12-07
        ("9-13/VI/2025", ("9/6/2025", "13/6/2025", None)),
        ("tháng IX/2026", ("1/9/2026", "30/9/2026", "month_only")),
        ("Th.4/2026", ("1/4/2026", "30/4/2026", "month_only")),
        ("8.2026", ("1/8/2026", "31/8/2026", "month_only")),
        ("05 ngày, từ 18/5/2026", ("18/5/2026", "22/5/2026", None)),
        ("3 ngày (từ ngày 30/6/2025)", ("30/6/2025", "2/7/2025", None)),
        ("6 tháng đầu năm 2026", ("1/1/2026", "30/6/2026", "month_only")),
        ("6 tháng cuối năm 2026", ("1/7/2026", "31/12/2026", "month_only")),
        ("Quý VI/2026", (None, None, None)),
        # months without the word, and words without diacritics, tried on 2026-12-07
        ("10-12/2024", ("1/10/2024", "31/12/2024", "month_only")),  # not 10 December
        ("10-12/3/2024", ("10/3/2024", "12/3/2024", None)),  # days, their month written
        ("12-10/2024", ("12/10/2024", "12/10/2024", None)),  # not months running forward: a day
        ("Thang 3-4/2024", ("1/3/2024", "30/4/2024", "month_only")),
        ("Quy III/2024", ("1/7/2024", "30/9/2024", "quarter_only")),
        ("tu 05/6/2023 den 30/6/2023", ("05/6/2023", "30/6/2023", None)),
        ("6 thang dau nam 2026", ("1/1/2026", "30/6/2026", "month_only")),
        ("Dot 2 (thang 7/2025)", ("1/7/2025", "31/7/2025", "month_only")),
        ("Quý III/2024.", ("1/7/2024", "30/9/2024", "quarter_only")),  # a full stop after the cell's words
        ("12/5/2025.", ("12/5/2025", "12/5/2025", None)),
        ("05 ngày, từ 18.5.2026", ("18/5/2026", "22/5/2026", None)),  # the first day written with dots
        # days as a letter spells them, a month's letter twice, a part of a quarter (twelfth session)
        ("Từ ngày 20 đến ngày 24 tháng 5 năm 2024", ("20/5/2024", "24/5/2024", None)),
        ("Ngày 20 tháng 5 đến ngày 24 tháng 5 năm 2024", ("20/5/2024", "24/5/2024", None)),
        ("ngày 5 tháng 6/2024", ("5/6/2024", "5/6/2024", None)),
        ("T3-T5/2024", ("1/3/2024", "31/5/2024", "month_only")),
        ("Cuối quý II/2024", ("1/4/2024", "30/6/2024", "quarter_only")),
        # quarters one after another (thirteenth session); two apart are two classes: no span
        ("Quý II - III/2024", ("1/4/2024", "30/9/2024", "quarter_only")),
        ("Quý 2 đến quý 3 năm 2024", ("1/4/2024", "30/9/2024", "quarter_only")),
        ("Quý III - II/2024", (None, None, None)),
        ("Quý II, IV/2024", (None, None, None)),
        ("15 - 19 tháng 7 năm 2024", ("15/7/2024", "19/7/2024", None)),  # days, not their month
        ("Q3/2024", ("1/7/2024", "30/9/2024", "quarter_only")),
        ("Q.III/2024", ("1/7/2024", "30/9/2024", "quarter_only")),
        # a month or quarter spelled out (fourteenth session); "tháng năm" is a form's blanks as often as May
        ("Tháng Sáu 2024", ("1/6/2024", "30/6/2024", "month_only")),
        ("Tháng Mười Hai năm 2024", ("1/12/2024", "31/12/2024", "month_only")),
        ("Quý Hai/2024", ("1/4/2024", "30/6/2024", "quarter_only")),
        ("Tháng năm 2024", (None, None, None)),
    ],
)
def test_a_classs_dates_in_one_cell(raw, expected):
    assert values.parse_period(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("15-19/7", ("15/7/2025", "19/7/2025", "year_from_title")),
        ("22/9 - 26/9", ("22/9/2025", "26/9/2025", "year_from_title")),
        ("từ 3/11 đến 7/11", ("3/11/2025", "7/11/2025", "year_from_title")),
        ("Tháng 9", ("1/9/2025", "30/9/2025", "month_only")),
        ("Quý IV", ("1/10/2025", "31/12/2025", "quarter_only")),
        ("6 tháng cuối năm", ("1/7/2025", "31/12/2025", "month_only")),
        ("12-16/5/2024", ("12/5/2024", "16/5/2024", None)),  # a cell that gives its year keeps it
        ("29/12 - 02/01", (None, None, None)),  # over the new year: which year each day is of is not guessed
        ("Tháng 13", (None, None, None)),
    ],
)
def test_a_plans_days_without_a_year_are_of_the_plans_year(raw, expected):
    assert values.parse_period(raw, year=2025) == expected
    assert values.parse_period(raw) == (expected if "2024" in raw else (None, None, None))  # no year: none


@pytest.mark.parametrize(
    ("titles", "names", "expected"),
    [
        (["KẾ HOẠCH MỞ LỚP BỒI DƯỠNG NĂM 2025"], ["Sheet1", "ke hoach"], 2025),
        (["KẾ HOẠCH BỒI DƯỠNG GIAI ĐOẠN 2022-2025"], ["Sheet1", "ke hoach"], None),  # a span names no one year
        (["KẾ HOẠCH MỞ LỚP"], ["KH 2026", "ke hoach"], 2026),
        (["KẾ HOẠCH MỞ LỚP"], ["Sheet1", "ke hoach 2024 2025"], None),
        (["KẾ HOẠCH MỞ LỚP"], ["Sheet1", "ke hoach"], None),
    ],
)
def test_the_year_a_plan_is_for(titles, names, expected):
    assert values.plan_year(titles, names) == expected


@pytest.mark.parametrize(
    ("raw", "role", "expected"),
    [
        ("DB: 03/02/1998; CT: 03/02/1999", "event", date(1998, 2, 3)),  # a Party member's joining, then full
        ("19/5/2005 - 19/5/2006", "event", date(2005, 5, 19)),
        ("Dự bị 05/01/1995, chính thức 05/01/1996", "event", date(1995, 1, 5)),
        ("từ 01/7/2021 đến 30/6/2026", "end", date(2026, 6, 30)),  # a post's last day
        ("19/5/2006 - 19/5/2005", "event", None),  # out of order: not read
        ("19/5/2005 - 19/5/2006", "dob", None),  # no one has two birth dates
    ],
)
def test_two_days_in_one_cell(raw, role, expected):
    assert values.parse_date(raw, role, date(2024, 12, 31))[0] == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Từ 01/7/2021 đến nay", (date(2021, 7, 1), None, None)),
        ("01/7/2021 - nay", (date(2021, 7, 1), None, None)),
        ("6/2021 - nay", (date(2021, 6, 1), None, "month_only")),
        ("Từ tháng 6/2021 đến nay", (date(2021, 6, 1), None, "month_only")),
        ("Tháng 6 năm 2021", (date(2021, 6, 1), None, "month_only")),
        ("Nhiệm kỳ 2021-2026", (date(2021, 1, 1), None, "year_only")),  # a term: its first year
        ("2021 - 2026", (date(2021, 1, 1), None, "year_only")),
        ("2026 - 2021", (None, "invalid_date", None)),
        ("đến nay", (None, "invalid_date", None)),  # no day at all
    ],
)
def test_a_post_held_since_a_day(raw, expected):
    assert values.parse_date(raw, "event", date(2024, 12, 31), flag=True) == expected
    assert values.parse_date(raw, "dob", date(2024, 12, 31))[0] in (None, expected[0])  # a birth is no time held


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nghỉ hưu từ 01/10/2022", date(2022, 10, 1)),
        ("Đã chuyển công tác tháng 8/2022", date(2022, 8, 31)),
        ("ngày 15 tháng 6 năm 2022", date(2022, 6, 15)),
        ("nghỉ hưu năm 2022", date(2022, 12, 31)),
        ("Nghỉ theo NĐ 178/2024", date(2024, 12, 31)),  # the decree's number is no month
        ("Từ trần", None),
    ],
)
def test_the_date_a_note_gives(text, expected):
    assert values.date_in_text(text) == expected


def test_a_plain_date_read_without_python_is_what_parse_date_reads():
    """The fast path for the common spellings gives parse_date's date, and leaves every other cell to it."""
    cells = ["12/05/1974", "1/5/1974", "31/12/2001", "1974-05-12", "1974-05-12 00:00:00", "2003-02-28 00:00:00",
             "31/02/1974", "12/13/1974", "0002-01-01", "12/5/74", "5/1974", "1974", "12.05.1974", "ngày 12/5/1974",
             "1974-05-12 08:30:00", "", None]  # fmt: skip
    fast = pl.select(values.plain_date(pl.Series(cells, dtype=pl.Utf8))).to_series().to_list()
    for cell, value in zip(cells, fast, strict=True):
        if value is not None:
            assert (value, None, None) == values.parse_date(cell, "dob", date(2023, 12, 31), flag=True), cell
    read = {c for c, v in zip(cells, fast, strict=True) if v is not None}
    assert read == {"12/05/1974", "1/5/1974", "31/12/2001", "1974-05-12", "1974-05-12 00:00:00", "2003-02-28 00:00:00"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Nam", "Nam"), ("NỮ", "Nữ"), ("nu", "Nữ"), ("F", "Nữ"), ("Nam giới", "Nam"), ("Nữ giới", "Nữ"), ("x", None)],
)
def test_the_sex_as_written(raw, expected):
    from ingest.values import parse_sex

    assert parse_sex(raw) == expected


@pytest.mark.parametrize(
    ("cells", "order"),
    [
        (["15/03/1980", "05/04/1981", "1/1/1990"], None),  # day first, as Vietnamese lists write dates
        (["3/15/1980", "4/5/1981", "12/25/1982"], "month_first"),  # an Excel (US) CSV
        (["4/5/1981", "2/3/2008"], None),  # nothing says month first: read day first
        (["3/15/1980", "25/12/1982"], None),  # both orders in one column: each cell read as it can be
        # an Excel set to month first: the day-first dates it could not take stayed text, those it took are dates
        (["25/03/1980", "19/08/1982", "1981-04-05 00:00:00", "1985-07-12 00:00:00"], "day_month_swapped"),
        (["25/03/1980", "1981-04-05 00:00:00", "1985-07-12 00:00:00"], None),  # one text date: too little to say
        (["25/03/1980", "19/08/1982", "1981-04-05 00:00:00", "1985-07-25 00:00:00"], None),  # a date past the 12th
        (["05/03/1980", "19/08/1982", "1981-04-05 00:00:00", "1985-07-12 00:00:00"], None),  # a text date it could take
    ],
)
def test_the_order_of_a_columns_dates(cells, order):
    assert values.date_order(cells) == order


def test_dates_turned_day_first():
    assert values.reordered("3/15/1980", "month_first") == "15/3/1980"
    assert values.reordered("1981-04-05 00:00:00", "day_month_swapped") == "1981-05-04"
    assert values.reordered("25/03/1980", "day_month_swapped") == "25/03/1980"  # text stayed as typed
    assert values.reordered("1980", "month_first") == "1980"


def test_rows_typed_in_unicode_in_a_legacy_sheet_stay_as_typed():
    """A template in .VnTime with people added in Unicode: each row read in the encoding it was typed in (read as
    TCVN3, "Xã" is "Xó", "Lâu" "Lõu", "Tô" "Tụ"). Tried on 2026-12-06."""
    tcvn3 = ["Hoµng V\u00a8n Th\u00beng", "X\u00b7 Ho\u00b5nh M\u00ab"]  # "Hoàng Văn Thắng", "Xã Hoành Mô"
    frame = pl.DataFrame({"name": [tcvn3[0], "Tô Thị Lâu", "Mai"], "unit": [tcvn3[1], "Xã Đồng Văn", "Hà Lâu"]})
    assert typed_in_unicode(frame).to_list() == [False, True, False]  # "Mai | Hà Lâu": nothing says Unicode
    assert normalise_frame(frame, "tcvn3").rows() == [
        ("Hoàng Văn Thắng", "Xã Hoành Mô"),
        ("Tô Thị Lâu", "Xã Đồng Văn"),
        ("Mai", "Hà Lõu"),  # as the sheet's encoding reads it
    ]
    assert normalise("Xã Đồng Văn", "tcvn3") == "Xã Đồng Văn"  # a title or header cell alike
    assert normalise("X\u00b7 Ho\u00b5nh M\u00ab", "tcvn3") == "Xã Hoành Mô"


def test_a_unicode_sheet_with_rows_pasted_from_a_tcvn3_file_is_read_as_both():
    unicode = ["Nguyễn Văn Hưởng", "Bí thư Đảng ủy", "Xã An Sinh", "Đỗ Thị Hà", "Chủ tịch UBND"] * 3
    pasted = ["Lª V\u00a8n C\u00adêng", "Chñ tÞch UBND", "X\u00b7 B\u00d7nh Kh\u00aa"]  # TCVN3 through cp1252
    assert detect_legacy(unicode + pasted) == "tcvn3"  # the Unicode rows are kept as typed row by row
    assert detect_legacy([*unicode, "37°C ±2", "Ghi chú: ×2 §3", "© 2024 ®"]) is None  # symbols are no encoding
    assert detect_legacy(unicode + pasted[:2]) is None  # two cells: too little to say


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("7.5", 7.5), ("7,5", 7.5), ("8,5/10", 8.5), ("8.5 điểm", 8.5), ("Giỏi (8,5)", 8.5), ("10", 10.0),
     ("7,5 - 8", None), ("Vắng", None), (None, None)],
)  # fmt: skip
def test_a_rosters_score_is_the_one_number_its_cell_gives(cell, expected):
    from ingest.kinds import _score

    got = pl.DataFrame({"s": [cell]}, schema={"s": pl.Utf8}).select(_score(pl.col("s"))).item()
    assert got == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hải Hà, ngày 05 tháng 01 năm 2025", date(2025, 1, 5)),
        ("Hạ Long, ngày 5/1/2025", date(2025, 1, 5)),
        ("ngày ... tháng ... năm 20...", None),  # a form's blanks
        ("tháng 01 năm 2025", None),  # no day: no signature's date
        ("ngày 31 tháng 2 năm 2025", None),
        ("TRƯỞNG PHÒNG", None),
    ],
)
def test_the_day_a_signature_line_gives(text, expected):
    assert values.signed_on(text) == expected


@pytest.mark.parametrize(
    ("cell", "says_as_above"),
    [
        ("nt", True),
        ("-nt-", True),
        ("N.T", True),
        ("n/t", True),
        ("Như trên", True),
        ("NHU TREN", True),
        ('"', True),
        ("“", True),
        ("〃", True),
        ("-//-", True),
        ('- " -', True),
        ("NTT", False),
        ("Nam", False),
        ("Nông thôn", False),
        ("TC", False),
        ("-", False),  # nothing held, in a level column
        ("Như trên đã nêu, nghỉ hưu", False),
    ],
)
def test_a_cell_that_says_as_the_row_above(cell, says_as_above):
    from ingest import layout

    assert pl.Series([cell]).str.contains(layout._DITTO).item() is says_as_above


@pytest.mark.parametrize(
    ("cell", "says"),
    [
        ("Vũ Thị Xuân\nLê Văn Hạ", "full_name: Vũ Thị Xuân; Lê Văn Hạ"),
        ("PHẠM VĂN AN\nĐỖ THỊ BÌNH", "full_name: PHẠM VĂN AN; ĐỖ THỊ BÌNH"),
        ("Vũ\u00a0Thị\u00a0Xuân\nLê\u00a0Văn\u00a0Hạ", "full_name: Vũ\u00a0Thị\u00a0Xuân; Lê\u00a0Văn\u00a0Hạ"),
        ("Vũ Thị Xuân", None),  # one person
        ("Ngô Thị Hằng\n(nghỉ thai sản)", None),  # a remark
        ("Tô Văn Phúc\nChủ tịch HĐND", None),  # a post
        ("Đặng Văn Tùng\nXã Quảng Phong", None),  # a unit
        ("Lò Văn Sơn\nUBND Xã Quảng Lâm", None),  # a body
        ("Trần Văn Minh\nSN 1972", None),  # a birth year
        ("Hà Thị\nThu Trang", None),  # a name wrapped after its middle name
    ],
)
def test_two_people_in_one_name_cell(cell, says):
    from ingest.rows import _several_people

    assert _several_people(cell) == says
    assert _several_people(cell, "05/06/1978\n02/02/1980") == says  # a birth date a line: two people's
    assert _several_people(cell, "05/06/1978") is None  # one birth date: one person, the name wrapped


@pytest.mark.parametrize(
    ("post", "before", "after"),
    [
        ("Văn phòng Đảng ủy", "VP_DU", "CV_2025"),  # a part-time post, then a civil servant of the Party's office
        ("Văn phòng HĐND và UBND", "VP_TK", "CV_2025"),  # a civil servant's post, then one of the office's staff
        ("Chánh Văn phòng Đảng ủy", "CVP_DU", "CVP_DU"),
        ("Văn thư - Lưu trữ - Thủ quỹ", "THU_QUY", "THU_QUY"),
        ("Chuyên viên phụ trách KH&CN - CĐS", None, "CV_2025"),  # field notes 2.4: a staffer, of an office
        ("Chuyên viên", None, "CV_2025"),
        ("Trưởng thôn", None, None),  # no commune post, before or after
    ],
)
def test_an_office_post_before_and_after_the_july_2025_reform(post, before, after):
    from ingest.rows import _title

    assert _title(post)[0] == before
    assert _title(post, reformed=True)[0] == after
