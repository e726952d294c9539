"""The vocabulary, table by table: posts, levels and headers as people write them -> what they mean.

Many spellings below are in no list of the vocabulary file on purpose (marked "unlisted"): they are
understood from their parts, which is the point."""

from __future__ import annotations

import re

import pytest

from cadre import reference
from ingest import vocabulary as vocab
from ingest.text import fold
from ingest.vocabulary import LevelReading, read_level, read_title


@pytest.mark.parametrize(
    ("raw", "code", "concurrent"),
    [
        ("Chủ tịch UBND", "CT_UBND", ()),
        ("Chủ tịch Hội LHPN", "CT_HLHPN", ()),
        ("CT Hội Nông dân", "CT_HND", ()),
        ("PBT TT ĐU, CT HĐND xã", "PBT_DU", ("CT_HDND",)),
        ("HUV, Bí thư Đảng uỷ xã", "BT_DU", ()),
        ("HUV, Bí thư Đảng uỷ xã Công Hải", "BT_DU", ()),  # the commune's name after the post
        ("Chủ tịch Uỷ ban nhân dân", "CT_UBND", ()),
        ("CT. HĐND", "CT_HDND", ()),
        ("ĐC-NN-XD-MT", "DC_XD", ()),
        ("Chu tich UBND", "CT_UBND", ()),  # no diacritics at all
        ("Pho Bi thu Dang uy", "PBT_DU", ()),
        ("Bí thư Ðoàn", "BT_DOAN", ()),  # the look-alike Eth for Đ
        ("Bí thư Đảng ủy kiêm Chủ tịnh Ủy ban nhân dân", "BT_DU", ("CT_UBND",)),  # a real typo ("tịnh")
        ("Phó bí thư Đảng ủy kiêm Chủ tịch Hội đồng nhân dân", "PBT_DU", ("CT_HDND",)),
        ("UVBTV ĐU, PCT HĐND xã", "PCT_HDND", ()),  # a membership is not a post
        ("Phó Bí thư - Chủ tịch UBND", "PBT_DU", ("CT_UBND",)),
        ("BT-CT HĐND", "BT_DU", ("CT_HDND",)),
        ("Bí thư, Chủ tịch HĐND phường", "BT_DU", ("CT_HDND",)),
        ("Bí thư kiêm CT HĐND", "BT_DU", ("CT_HDND",)),  # a bare "Bí thư" ends at "kiêm": the Party's
        ("Phó Bí thư kiêm Chủ tịch UBND", "PBT_DU", ("CT_UBND",)),
        ("CT Hội LH Phụ nữ", "CT_HLHPN", ()),
        ("Chủ tịch Hội Cựu CB", "CT_HCCB", ()),
        ("Chủ tịch Hội đồng ND", "CT_HDND", ()),
        ("Giám đốc (kiêm Phó CT UBND)", "PCT_UBND", ()),
        ("PCT UBND (phụ trách Kinh tế)", "PCT_UBND", ()),
        ("Phó Chủ tịch MTTQ / CT Hội CCB", "CT_HCCB", ("PCT_MTTQ",)),  # the cadre title is the primary post
        ("Chủ tịch UBMTTQVN", "CT_MTTQ", ()),
        ("Chủ tịch Ủy ban MTTQ Việt Nam xã", "CT_MTTQ", ()),
        ("Bí thư Đoàn TNCS HCM", "BT_DOAN", ()),
        ("Bí thư xã đoàn", "BT_DOAN", ()),
        ("Chủ tịch xã", "CT_UBND", ()),  # chairs the commune's People's Committee
        ("Xã đội trưởng", "CHT_QS", ()),
        ("Chỉ huy trưởng BCH Quân sự xã", "CHT_QS", ()),
        ("Công chức Tư pháp-Hộ tịch", "TP_HT", ()),
        ("CC VP-TK", "VP_TK", ()),
        ("Đảng ủy viên; Công chức Văn hoá - Xã hội", "VH_XH", ()),
        ("Kế toán ngân sách", "TC_KT", ()),
        ("TCA", "TRUONG_CA", ()),
        ("Trưởng Công an xã", "TRUONG_CA", ()),
        ("PBTTT", "PBT_DU", ()),  # written joined
        ("CTUBND", "CT_UBND", ()),  # unlisted: joined
        ("P.Chủ tịch HĐND phường", "PCT_HDND", ()),  # unlisted
        ("Phó CT. UBND thị trấn", "PCT_UBND", ()),  # unlisted
        ("CT Hội Liên hiệp Phụ nữ VN", "CT_HLHPN", ()),  # unlisted
        ("Chủ tịch Hội Cựu Chiến Binh Việt Nam xã Tiền An", "CT_HCCB", ()),
        ("BÍ THƯ ĐẢNG ỦY", "BT_DU", ()),
        ("Địa chính - Nông nghiệp - Xây dựng và Môi trường", "DC_XD", ()),  # "trường" is not "trưởng"
        ("Tài chính-Kế toán kiêm Thủ quỹ", "TC_KT", ("THU_QUY",)),
        ("Thủ quỹ kiêm Kế toán", "TC_KT", ("THU_QUY",)),  # a civil servant's post outranks a part-time one
        ("UVTV, PBT - CT UBND huyện", "PBT_DU", ("CT_UBND",)),
        ("P.Bí thư ĐU - CT HĐND", "PBT_DU", ("CT_HDND",)),  # "P." is the deputy, not a typo to forgive
        ("Chủ tịch Hội đồng nhân dân, Bí thư Đảng ủy", "CT_HDND", ("BT_DU",)),  # the first written is primary
        ("Phó Chủ tịch Thường trực UBND", "PCT_UBND", ()),  # unlisted
        ("PCTUBND", "PCT_UBND", ()),  # unlisted
        # part-time posts (người hoạt động không chuyên trách): known, never one of the titles
        ("Phó Chủ tịch UBMTTQ", "PCT_MTTQ", ()),
        ("Phó Trưởng Công an", "PTRUONG_CA", ()),
        ("Chủ tịch Hội Người cao tuổi", "CT_HNCT", ()),
        ("Phó CHT Quân sự xã", "PCHT_QS", ()),  # unlisted
        ("P.Chủ tịch Hội Phụ nữ", "PCT_HLHPN", ()),  # unlisted
        ("Văn thư - Lưu trữ - Thủ quỹ", "THU_QUY", ()),
        ("Văn phòng Đảng ủy", "VP_DU", ()),  # unlisted before the seventeenth session: refused unknown_title
        ("Cán bộ Dân số - KHHGĐ", "DAN_SO", ()),
        ("Phụ trách Đài truyền thanh", "TRUYEN_THANH", ()),  # "phụ trách" before the post is no portfolio
        ("Phó CAP", "PTRUONG_CA", ()),  # unlisted: a ward's deputy police head
        # the posts of a commune's offices after 1 July 2025 (field notes 2.4)
        ("Chánh Văn phòng HĐND và UBND", "CVP_UBND", ()),
        ("CVP Đảng ủy xã", "CVP_DU", ()),
        ("PCVP HĐND và UBND xã", "PCVP_UBND", ()),
        ("Chủ nhiệm Ủy ban Kiểm tra Đảng ủy", "CN_UBKT", ()),
        ("Trưởng Ban Xây dựng Đảng", "TB_XDD", ()),
        ("TP Phòng Văn hóa - Xã hội", "TP_VHXH", ()),
        ("Phó TP Phòng Kinh tế", "PTP_KT", ()),
        ("Trưởng phòng Kinh tế, Hạ tầng và Đô thị", "TP_KT", ()),  # a ward's office
        ("PGĐ Trung tâm PVHCC", "PGD_PVHCC", ()),
        ("Phó Giám đốc TT Phục vụ hành chính công", "PGD_PVHCC", ()),  # unlisted
        ("CV Phòng Văn hóa - Xã hội", "CV_2025", ()),
        ("Chuyên viên Phòng Kinh tế", "CV_2025", ()),
        ("Chuyên viên Văn phòng HĐND và UBND", "VP_TK", ()),  # the office's civil servant before July 2025
        ("CV VP-TK", "VP_TK", ()),  # "CV" before a post is no post of its own
        ("Bí thư Đảng ủy, Chủ tịch HĐND phường, Trưởng Ban XDĐ", "BT_DU", ("CT_HDND", "TB_XDD")),
        # a post without its body after one that names it is that body's: an acting chair
        ("Phó Chủ tịch UBND (Q.Chủ tịch)", "PCT_UBND", ("CT_UBND",)),
        ("P.CT HĐND - Quyền CT", "PCT_HDND", ("CT_HDND",)),  # unlisted
    ],
)
def test_posts_are_read_from_their_parts(raw, code, concurrent):
    reading = read_title(raw)
    assert (reading.code, reading.concurrent, reading.reason) == (code, concurrent, None)


@pytest.mark.parametrize(
    ("raw", "reason", "candidates"),
    [
        ("Phó Chủ tịch", "ambiguous_title", ("PCT_HDND", "PCT_UBND")),  # of the Council or the Committee?
        ("Công an viên", "unknown_title", ()),  # a hamlet's part-time police: no commune post
        ("Chủ tịch", "ambiguous_title", ("CT_HDND", "CT_UBND")),
        ("Trưởng thôn", "unknown_title", ()),
        ("Trưởng thôn Bình Hải", "unknown_title", ()),
        ("Phó Chủ tịch", "ambiguous_title", ("PCT_MTTQ", "PCT_HLHPN")),  # or of the Front, of a union
        ("Giám đốc", "unknown_title", ()),  # of which office is not guessed
        ("Chủ nhiệm", "unknown_title", ()),
        ("Chuyên viên", "unknown_title", ()),
        ("Trưởng phòng", "unknown_title", ()),
        ("Chủ tịch công đoàn", "unknown_title", ()),
        ("Bí thư Chi bộ thôn 3", "unknown_title", ()),
        ("Cán bộ Công an xã", "unknown_title", ()),  # a commune policeman: no post ("Văn phòng Đảng ủy" is one)
        ("nguyên Bí thư Đảng ủy xã", "unknown_title", ()),  # a former post is not held
        ("Bí thư Đảng ủy, Chủ tịch", "ambiguous_title", ("CT_HDND", "CT_UBND")),  # the Party has no chair
    ],
)
def test_posts_that_cannot_place_a_person(raw, reason, candidates):
    reading = read_title(raw)
    assert (reading.code, reading.reason) == (None, reason)
    for code in candidates:
        assert code in reading.note


def test_an_ambiguous_post_names_the_cadre_titles_first():
    """A reviewer reads the likely candidates first: the cadre titles, then the part-time posts."""
    note = read_title("Phó Chủ tịch").note
    assert note.startswith("Phó Chủ tịch: PCT_HDND or PCT_UBND or ")
    assert "PCT_MTTQ" in note


def test_every_seed_title_is_read_as_itself():
    """The seed is the one list of codes: its own names and abbreviations read back to its codes."""
    for row in reference.rows("cadre_titles"):
        for name in row["title_vi"].split("|"):
            assert read_title(name.split("(")[0]).code == row["title_code"], name
        for abbreviation in row["common_abbrev"].split(";"):
            assert read_title(abbreviation.split("(")[0]).code == row["title_code"], abbreviation


@pytest.mark.parametrize(
    ("column", "raw", "expected"),
    [
        ("prof_level", "TC", LevelReading("TC")),
        ("llct", "TC", LevelReading("TC")),
        ("prof_level", "CN", LevelReading("DH")),  # "CN" is a university degree in the education column...
        ("llct", "CN", LevelReading("CN")),  # ...and a bachelor of political theory in the LLCT column
        ("prof_level", "ĐH Luật", LevelReading("DH", "Luật")),
        ("prof_level", "Cử nhân Kinh tế", LevelReading("DH", "Kinh tế")),
        ("prof_level", "Kỹ sư Nông nghiệp", LevelReading("DH", "Nông nghiệp")),
        ("prof_level", "Th.S Quản lý kinh tế", LevelReading("THS", "Quản lý kinh tế")),
        ("prof_level", "Th. Sỹ Kinh tế", LevelReading("THS", "Kinh tế")),
        ("prof_level", "ThS QLKT", LevelReading("THS", "QLKT")),
        ("prof_level", "TC Kế toán", LevelReading("TC", "Kế toán")),
        ("prof_level", "Đại học chuyên ngành Quản lý đất đai", LevelReading("DH", "Quản lý đất đai")),
        ("prof_level", "Đại học - Luật", LevelReading("DH", "Luật")),
        ("prof_level", "ĐH: Luật", LevelReading("DH", "Luật")),
        ("prof_level", "ĐH Vật lý; ĐH Hành c", LevelReading("DH", "Vật lý")),  # truncated at the column width
        ("prof_level", "TC; Đại học Luật", LevelReading("DH", "Luật")),  # the highest of two
        ("prof_level", "Đang học ĐH luật", LevelReading("DH", "Luật", "in_progress")),
        ("prof_level", "Cử nhân luật", LevelReading("DH", "Luật")),  # one field however it is cased
        ("prof_level", "TC; đang h", LevelReading("TC", None, "in_progress")),
        ("prof_level", "Cao dẳng", LevelReading("CD")),  # Đ typed as d
        ("prof_level", "Dại học", LevelReading("DH")),
        ("prof_level", "ĐHSP", LevelReading("DH", "SP")),  # unlisted: level and field joined
        ("prof_level", "Chưa qua đào tạo", LevelReading("CQDT")),
        ("prof_level", "12/12", LevelReading("CQDT")),  # general school finished and no more: no professional training
        ("prof_level", "9/12 (Tốt nghiệp THCS)", LevelReading("CQDT")),
        ("prof_level", "12/9/2020", LevelReading(None, None, "unmapped")),  # a date, no schooling
        ("prof_level", "ĐH/ThS", LevelReading("THS")),  # both held
        ("prof_level", "Đại học/Luật", LevelReading("DH", "Luật")),  # the level and its field
        ("lang", "Tiếng Dao", LevelReading(None, None, "ethnic_language")),  # no foreign language, nothing unread
        ("lang", "Anh B; Tiếng dân tộc (Mông)", LevelReading("BAC3")),
        ("lang", "Tiếng Hoa", LevelReading(None, None, "unmapped")),  # a people of the country, and China's language
        ("llct", "TC LLCT", LevelReading("TC")),
        ("llct", "Cao cấp LLCT-HC", LevelReading("CC")),
        ("llct", "Cử nhân chính trị", LevelReading("CN")),
        ("llct", "Trung cấp lý luận chính trị", LevelReading("TC")),
        ("llct", "Trung Cấp Chính Trị - Hành Chính", LevelReading("TC")),
        ("llct", "TĐ TC LLCT", LevelReading("TC")),
        ("llct", "Sơ cấp chính trị", LevelReading("SC")),
        ("llct", "Chưa", LevelReading("CQDT")),
        ("llct", "Trung cấp llct - hc", LevelReading("TC")),  # unlisted casing and abbreviation
        ("qlnn", "Đã BD QLNN ngạch CV", LevelReading("CV")),
        ("qlnn", "Bồi dưỡng QLNN ngạch chuyên viên khóa 79", LevelReading("CV")),
        ("qlnn", "Chuyên viên và tương đương", LevelReading("CV")),
        ("qlnn", "CV chính", LevelReading("CVC")),
        ("qlnn", "Chưa BD", LevelReading("CQBD")),
        ("qlnn", "Chưa qua đào tạo", LevelReading("CQBD")),
        ("qlnn", "-", LevelReading("CQBD")),
        ("qlnn", "Không", LevelReading("CQBD")),
        ("qlnn", "Có", LevelReading(None, None, "unmapped")),  # something, but which level?
        ("it", "Chứng chỉ A", LevelReading("A")),
        ("it", "Ứng dụng CNTT cơ bản", LevelReading("CB")),
        ("it", "Tin học văn phòng", LevelReading(None, None, "unmapped")),
        ("it", "Tin học cơ bản", LevelReading("CB")),
        ("prof_level", "Đại học Luật (VB2)", LevelReading("DH", "Luật")),  # unlisted: a remark in brackets
        ("prof_level", "Đại học (tại chức)", LevelReading("DH")),  # how it was studied is not the field
        ("prof_level", "Cử nhân Luật, Thạc sĩ QLKT", LevelReading("THS", "QLKT")),
        # a professional title is the degree only when no level follows it
        ("prof_level", "Cử nhân cao đẳng", LevelReading("CD")),
        ("prof_level", "Dược sĩ cao đẳng", LevelReading("CD")),
        ("prof_level", "Dược sĩ đại học", LevelReading("DH")),
        ("prof_level", "KS. Cao đẳng xây dựng", LevelReading("CD", "Xây dựng")),
        # "đa" and "cơ" fold as "đã" and "có": after a level they begin the field
        ("prof_level", "Kỹ sư cơ khí", LevelReading("DH", "Cơ khí")),
        ("prof_level", "Bác sĩ đa khoa", LevelReading("DH", "Đa khoa")),
        # a medical specialist's degree ranks with the master's (level I) or the doctorate (level II)
        ("prof_level", "Bác sỹ CK I", LevelReading("THS")),
        ("prof_level", "BSCKII", LevelReading("TS")),
        ("prof_level", "Dược sĩ chuyên khoa cấp I", LevelReading("THS")),
        ("prof_level", "Trung học sư phạm", LevelReading("TC")),
        ("prof_level", "Tiến sĩ (CK II)", LevelReading("TS")),  # the equivalent in brackets is no field
        ("prof_level", "Tiến Sỹ Khoa Học", LevelReading("TSKH")),
        ("prof_level", "Hộ sinh trung học", LevelReading("TC")),
        ("lang", "Chứng chỉ A", LevelReading("BAC2")),
        ("lang", "Tiếng Anh B1", LevelReading("BAC3")),
        ("lang", "Anh B", LevelReading("BAC3")),
        ("lang", "Không", LevelReading()),  # no certificate: nothing, not an unknown
        ("lang", "Anh, Hoa, Nhật", LevelReading(None, None, "unmapped")),
        ("llct", "", LevelReading()),
        ("qlnn", "(không)", LevelReading("CQBD")),  # the whole cell in brackets (field notes §3.7)
        ("llct", "(chưa có)", LevelReading("CQDT")),
        ("prof_level", "(chưa có bằng CM)", LevelReading("CQDT")),  # nothing held has no field of study
        ("prof_level", "(khác)", LevelReading(None, None, "unmapped")),
        ("it", "CC A", LevelReading("A")),  # "CC" is "chứng chỉ" here, not the level C
        ("it", "CC B tin học", LevelReading("B")),
        ("lang", "CC B tiếng Anh", LevelReading("BAC3")),
        ("prof_level", "Đang học ĐH", LevelReading("DH", None, "in_progress")),  # the cue is no field of study
        ("prof_level", "Y sĩ", LevelReading("TC")),
        # spellings tried on 2026-12-06 that were unmapped or misread
        ("prof_level", "Kĩ sư nông nghiệp", LevelReading("DH", "Nông nghiệp")),  # kĩ = kỹ
        ("prof_level", "T.cấp Kế toán", LevelReading("TC", "Kế toán")),
        ("prof_level", "ĐH (VB2) Luật", LevelReading("DH", "Luật")),  # a second degree: the field is Luật
        ("prof_level", "Y sỹ", LevelReading("TC")),
        ("llct", "Đảng viên mới", LevelReading("CQDT")),  # "Đảng" folds to "dang": no "đang học"
        ("llct", "Đang TC", LevelReading("TC", None, "in_progress")),
        # a degree in IT or in a language, tried on 2026-12-07: beyond the IT standard's advanced level; a language's
        # graduates' standard is level 5
        ("it", "Trung cấp tin học", LevelReading("NC")),
        ("it", "Cao đẳng CNTT", LevelReading("NC")),
        ("it", "Tin học B", LevelReading("B")),
        ("lang", "Cử nhân Anh văn", LevelReading("BAC5")),
        ("lang", "ĐH tiếng Anh", LevelReading("BAC5")),
        ("lang", "TOEIC 450", LevelReading(None, None, "unmapped")),  # a score: no conversion is guessed
        ("prof_level", "Đ/H Kinh tế", LevelReading("DH", "Kinh tế")),  # a letter / a letter: one abbreviation
        ("llct", "T/C", LevelReading("TC")),
    ],
)
def test_levels_by_the_column_they_sit_in(column, raw, expected):
    assert read_level(column, raw) == expected


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("Họ và tên", "full_name"),
        ("HỌ VÀ TÊN (*)", "full_name"),
        ("Ho va ten", "full_name"),
        ("Ngày, tháng, năm sinh (định dạng dd-mm-yyyy)", "dob"),
        ("Ngày tháng \nnăm sinh", "dob"),
        ("Ngày Sinh (d/m/Y)", "dob"),
        ("Số định danh cá nhân (CCCD 12 số)", "citizen_id"),
        ("Số CMND/CCCD", "citizen_id"),
        ("CHỨC VỤ (*)", "title"),
        ("Chức vụ/Chức danh", "title"),
        ("Nghề nghiệp, chức vụ", "title"),
        ("Chức vụ quy hoạch", vocab.IGNORED),  # a planned post, not the one held
        ("Thời gian giữ chức vụ", "appointment_date"),
        ("Cơ quan, tổ chức công tác (1)", "commune"),
        ("Lý luận\n Chính trị", "llct"),
        ("Trình Độ QLNC", "qlnn"),
        ("Trình độ văn hóa", vocab.IGNORED),
        ("Trình độ tin học", "it"),
        ("Trình độ", "prof_level"),
        ("1. Trình độ chuyên môn:", "prof_level"),
        ("Nơi sinh", vocab.IGNORED),
        ("Tiếng dân tộc", vocab.IGNORED),
        ("Số thứ tự", "stt"),
        ("Xã/Phường/Thị trấn", "commune"),
        ("Trình độ ngoại ngữ (nếu có)", "lang"),
        ("Năm vào Đảng", "party_date"),
        ("Đơn vị công tác hiện nay", "commune"),  # unlisted
        ("TRÌNH ĐỘ CHÍNH TRỊ", "llct"),
        ("Hệ số lương", vocab.IGNORED),
        ("Lương hiện hưởng", None),
        ("Họ và tên đệm", "name_family"),  # family and middle names, beside "Tên"
        ("Họ, tên đệm", "name_family"),
        ("Họ, chữ đệm và tên", "full_name"),
        ("Chức vụ được bầu/bổ nhiệm", "title"),  # not the appointment's date
        ("Bằng cấp", "prof_level"),
        ("Nơi làm việc", "commune"),
        ("Quản lý hành chính nhà nước", "qlnn"),
        ("Chức vụ, đơn vị công tác", "title_unit"),  # one column for both
        # spellings tried on 2026-12-06 that named nothing or the wrong column
        ("Sinh năm", "dob"),
        ("Năm, tháng sinh", "dob"),
        ("Tên cán bộ", "full_name"),
        ("Tên xã", "commune"),
        ("CV hiện tại", "title"),
        ("Trình độ CT", "llct"),  # was read as a typo of "Trình độ CM"
        ("QL nhà nước", "qlnn"),
        ("CV", "title"),  # the post ("CV " in real headers); under a QLNN block, its "Chuyên viên" leaf (layout)
        ("C.vụ", "title"),
        ("T.độ CM", "prof_level"),
        ("TĐTH", "it"),
        ("TĐNN", "lang"),
        ("NTNS", "dob"),
        ("Xã/TT", "commune"),
        ("Đơn vị tổ chức", vocab.IGNORED),  # a class's organiser, as a whole cell only
        ("Đơn vị, tổ chức công tác", "commune"),
    ],
)
def test_headers(header, name):
    assert vocab.header_name(header, "hr") == name


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("Kết quả học tập", "result"),
        ("Đạt/Không đạt", "result"),  # the result column named by its two answers
        ("Đạt / Chưa đạt", "result"),
        ("Xếp loại tốt nghiệp", "grade"),
        ("Điểm bài thu hoạch", "score"),
        ("Đơn vị cử đi học", "commune"),
        ("Tình trạng học tập", vocab.IGNORED),
        # a school's short labels and a form's question about the class (2026-12-07)
        ("ĐTB", "score"),
        ("Kết quả xếp loại", "grade"),
        ("Được cấp chứng chỉ", "result"),
        ("Đánh giá chung về khóa học", vocab.IGNORED),  # not the class attended
        ("Khóa học", "class_code"),
        # "điểm" (a mark) inside words that name no mark (fourteenth session)
        ("Địa điểm học", vocab.IGNORED),
        ("Thời điểm bổ nhiệm", vocab.IGNORED),
        ("Điểm danh", vocab.IGNORED),
        ("Tổng điểm", "score"),
    ],
)
def test_roster_headers(header, name):
    assert vocab.header_name(header, "roster") == name


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("Tên lớp bồi dưỡng", "class_name"),
        ("Khai giảng", "start_date"),
        ("Bế giảng", "end_date"),
        ("Từ ngày - Đến ngày", "period"),  # both days in one cell
        ("Số lượng học viên", "participants"),
        ("Chuyên đề bồi dưỡng", "topics"),
    ],
)
def test_class_plan_headers(header, name):
    assert vocab.header_name(header, "classes") == name


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
        ("1. Xã Đài Xuyên", "203", "06997"),  # a numbered commune heading
        ("06973", "202", "06973"),  # a database export's GSO code
        ("6973", "202", "06973"),  # the same as a number cell: its first zero lost
        ("06988 - Xã Đồn Đạc", "202", "06988"),
        ("06862", "202", None),  # Thị trấn Tiên Yên: a code of another district is not this one's
        ("1974", "202", None),  # no unit has this code
        # a name's first word cut to its letter, in a narrow column (tried on 2026-12-07)
        ("Q.Đức", "201", "06925"),
        ("xã Q. Long", "201", "06946"),
        ("TT Q.Hà", "201", "06922"),
        ("Q.Đức", None, None),  # without its district: not guessed among the country's
        ("Q. Hải", "201", None),  # no commune of Hải Hà is so named
        # its district after it with no comma nor dash (fourteenth session)
        ("Quảng Lâm huyện Đầm Hà", "200", "06898"),
        ("Xa Quang Lam huyen Dam Ha", "200", "06898"),
        ("Phường Hà Khẩu TP Hạ Long", "193", "06655"),
    ],
)
def test_communes_by_name(raw, district, code):
    assert vocab.map_commune(raw, district)[0] == code


def test_a_code_points_at_its_district():
    assert vocab.commune_districts("6973") == {"202"}
    assert vocab.commune_districts("28540") == {"821"}  # Xã Điềm Hy, Châu Thành (Tiền Giang)


def test_communes_named_in_a_title_line():
    assert vocab.communes_named("ĐẢNG ỦY - UBND XÃ QUẢNG LA", "193") == {"07054"}
    assert vocab.communes_named("DANH SÁCH CÁN BỘ, CÔNG CHỨC CẤP XÃ NĂM 2021", "193") == set()
    # a kind cut to its letter and a full stop; "P." before a post is "Phó", not the Phường Chũ of Bắc Giang
    assert vocab.communes_named("1. UBND x. Quảng Tân (4 người)", None) == {"06913"}
    assert vocab.communes_named("P.Chủ tịch UBND xã Hà Lâu", None) == {"06865"}


@pytest.mark.parametrize(
    ("line", "footer"),
    [
        ("NGƯỜI LẬP BIỂU", True),
        ("(Ký, ghi rõ họ tên)", True),
        ("KT. CHỦ TỊCH", True),
        ("TM. ỦY BAN NHÂN DÂN", True),
        ("Tiên Yên, ngày 10 tháng 01 năm 2022", True),
        ("………,ngày…tháng…năm 20…...", True),
        ("Nơi nhận:", True),
        ("Chủ tịch UBND", False),  # a post, in a row of a person without a birth date
        ("Nguyễn Văn Thắng", False),
    ],
)
def test_footer_lines(line, footer):
    assert vocab.is_footer(line) is footer


@pytest.mark.parametrize(
    ("column", "raw", "expected"),
    [
        ("llct", "TC; đang học CC", ("TC", None, "in_progress")),  # studying for CC: holds TC
        ("llct", "CC (đang học)", ("CC", None, "in_progress")),
        ("prof_level", "ĐH Luật; đang học ThS", ("DH", "Luật", "in_progress")),
        ("prof_level", "KS DH", ("DH", None, None)),  # level words again are no field of study
        ("prof_level", "TCCN", ("TC", None, None)),
        ("prof_level", "TC Chuyên Nghiệp", ("TC", None, None)),
        ("prof_level", "Dưới đại học", (None, None, "unmapped")),  # below it, but which level is not said
        ("prof_level", "Cao dẳng", ("CD", None, None)),  # "đang" must not be read inside "Cao đẳng"
        ("llct", "Nhận thức về Đảng", ("CQDT", None, None)),  # nor inside "Đảng"
        ("qlnn", "CS", ("CS", None, None)),
        # two degrees on two lines of one cell (the line break is a space once normalised): the higher counts
        ("prof_level", "Đại học Luật\nThạc sĩ QLKT", ("THS", "QLKT", None)),
        ("prof_level", "Trung cấp Kế toán Đại học Luật", ("DH", "Luật", None)),
        ("prof_level", "Trung cấp Luật (đang học ĐH Luật)", ("TC", "Luật", "in_progress")),  # not held yet
        ("prof_level", "ĐH CN Sinh học", ("DH", "CN Sinh học", None)),  # no higher degree: one field
    ],
)
def test_levels_being_studied_and_level_words(column, raw, expected):
    from ingest.vocabulary import read_level

    got = read_level(column, raw)
    assert (got.code, got.field, got.flag) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Kinh", ("Kinh", None)),
        ("H'Mông", ("Mông", None)),  # the field notes' spellings of one group (§3.8)
        ("HMông", ("Mông", None)),
        ("Hmông", ("Mông", None)),
        ("Khơ Me", ("Khơ-me", None)),
        ("Khmer", ("Khơ-me", None)),
        ("Ê-đê", ("Ê-đê", None)),
        ("K'Ho", ("Cơ-ho", None)),
        ("Sán Chỉ", ("Sán Chay", None)),  # a part of the Sán Chay group in the list of 54
        ("Thanh Phán", ("Dao", None)),  # a Dao subgroup written without its group (Ba Chẽ, Bình Liêu)
        ("Dân tộc Dao", ("Dao", None)),
        ("Dao Thanh Phán", ("Dao", None)),  # a subgroup the list names
        ("Dao (Thanh Y)", ("Dao", None)),  # unlisted: a remark in brackets
        ("Người Kinh", ("Kinh", None)),
        ("DAO", ("Dao", None)),
        ("Kinh tế", ("Kinh tế", "unmapped")),  # no ethnic group: kept as written, for a look
        ("", (None, None)),
    ],
)
def test_ethnicities_are_the_54_groups(raw, expected):
    assert vocab.read_ethnicity(raw) == expected


@pytest.mark.parametrize(
    ("header", "legend"),
    [
        ("Giới tính (Nam: 1, Nữ: 0)", {"1": "Nam", "0": "Nu"}),
        ("GT (1 = Nam; 0 = Nữ)", {"1": "Nam", "0": "Nu"}),
        ("Giới tính (nam:1; nữ:2)", {"1": "Nam", "2": "Nu"}),
        ("Giới tính", {}),
        ("Nam/Nữ", {}),
        ("Giới tính (Nam: 1)", {}),  # half a legend says nothing of the other codes
    ],
)
def test_a_sex_column_coded_as_its_header_says(header, legend):
    from ingest.layout import _sex_legend

    assert _sex_legend(header) == legend


@pytest.mark.parametrize(
    ("unit", "code"),
    [
        ("Xã Hà Lâu - huyện Tiên Yên", "06865"),  # the district after the commune
        ("Phường Hà Khánh - TP Hạ Long", "06649"),
        ("Xã Hà Lâu/H. Tiên Yên", "06865"),
        ("xã Đồng Tiến (Cô Tô)", "07195"),  # a remark in brackets
        ("TT Cô Tô", "07192"),
        ("X. Đồng Tiến", "07195"),
    ],
)
def test_a_unit_cell_names_its_commune_whatever_follows(unit, code):
    assert vocab.map_commune(unit, None) == (code, None)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("PCT phụ trách VH-XH", "PCT_UBND"),  # a portfolio is no post; a deputy chair with one is the UBND's
        ("PCT UBND (phụ trách Kinh tế)", "PCT_UBND"),
        ("Phó Chủ tịch phụ trách kinh tế", "PCT_UBND"),
        ("Văn phòng HĐND-UBND", "VP_TK"),
    ],
)
def test_a_portfolio_is_not_a_post(raw, code):
    assert (read_title(raw).code, read_title(raw).concurrent) == (code, ())


@pytest.mark.parametrize(
    ("cell", "organisation"),
    [("Đảng ủy", True), ("HĐND xã", True), ("UBND", True), ("MTTQ", True), ("Văn phòng UBND", True),
     ("Hội Phụ nữ", True), ("Xã Hà Lâu", False), ("Chủ tịch UBND", False), ("Thôn Khe Lọng", False)],
)  # fmt: skip
def test_a_unit_cell_that_names_an_organisation(cell, organisation):
    assert vocab.names_organisation(cell) is organisation


@pytest.mark.parametrize(
    ("title", "organisation", "code"),
    [("Chủ tịch", "HĐND", "CT_HDND"), ("Phó Chủ tịch", "UBND", "PCT_UBND"), ("Bí thư", "Đảng ủy", "BT_DU"),
     ("Chủ tịch UBND", "Đảng ủy", "CT_UBND"),  # a post that says its organisation keeps it
     ("Chủ tịch", None, None)],
)  # fmt: skip
def test_a_post_read_with_the_organisation_beside_it(title, organisation, code):
    assert read_title(title, organisation).code == code


@pytest.mark.parametrize(
    ("post", "organisation", "code"),
    [
        ("Chánh Văn phòng", "Văn phòng Đảng ủy", "CVP_DU"),  # the words the two share are written once
        ("CVP", "Văn phòng Đảng ủy", "CVP_DU"),
        ("Chánh Văn phòng", "Văn phòng HĐND và UBND", "CVP_UBND"),
        ("Trưởng phòng", "Phòng Kinh tế, Hạ tầng và Đô thị", "TP_KT"),
        ("TP", "Phòng Văn hóa - Xã hội", "TP_VHXH"),
        ("Chủ nhiệm", "Ủy ban Kiểm tra", "CN_UBKT"),
        ("Chủ tịch", "3. Ủy ban nhân dân phường Mạo Khê", "CT_UBND"),
        ("Phó Chủ tịch", "Thường trực HĐND", "PCT_HDND"),
        ("Bí thư", "Xã đoàn", "BT_DOAN"),  # "Bí thư" alone is the Party's only by default
        ("Bí thư Đảng ủy", "Ủy ban nhân dân phường Mạo Khê", "BT_DU"),  # what the post says outranks its heading
        ("Chánh Văn phòng", None, None),  # of which office is not guessed
    ],
)
def test_a_post_written_short_is_read_with_its_organisation(post, organisation, code):
    assert read_title(post, organisation).code == code


@pytest.mark.parametrize(
    ("text", "heads"),
    [
        ("Thường trực Đảng ủy", True),
        ("2. Văn phòng Đảng ủy", True),
        ("1.3. Ủy ban nhân dân phường Mạo Khê", True),
        ("Phòng Kinh tế, Hạ tầng và Đô thị", True),
        ("UBND xã Đông Ngũ", True),
        ("MTTQ", True),
        ("Đoàn Thị Lan", False),  # a family name that is also the youth union's word
        ("ĐOÀN VĂN HẬU", False),
        ("Văn phòng - Thống kê", False),  # a civil servant's post, not a body
        ("Nguyễn Văn Phòng", False),
    ],
)
def test_a_row_heading_its_peoples_organisation(text, heads):
    from ingest.vocabulary import heads_organisation

    assert heads_organisation(text) is heads


@pytest.mark.parametrize(
    ("text", "role", "left"),
    [
        ("Nghỉ hưu từ 01/10/2022", "note", True),
        ("Nghỉ hưu từ 01/3/2023", "note", False),  # after the list's date
        ("Đã chuyển công tác tháng 12/2022", "note", True),  # a month counts to its end
        ("nghỉ hưu 2023", "note", False),
        ("Thôi giữ chức vụ từ 01/10/2022", "note", True),  # the longest phrase: no "giữ chức"
        ("Điều động giữ chức vụ Bí thư từ 01/6/2022", "note", False),  # the post reached
        ("Chuyển đến từ xã Hà Lâu", "note", False),
        ("Dự kiến nghỉ hưu 3/2022", "note", False),  # dated before, but yet to come when written
        ("Đủ tuổi nghỉ hưu", "note", False),
        ("Kết thúc tập sự 01/2022", "note", False),  # "kết thúc" says it only in a status
        ("Từ trần", "note", True),
        ("Giảm do nghỉ hưu", "note", True),
        ("Tăng do điều động", "note", False),  # someone added to the list
        ("Nghỉ theo NĐ 178/2024", "note", False),  # a decree of 2024: after this list
        ("Đã kết thúc", "status", True),
        ("Nghỉ thai sản", "status", False),
        ("Đang hoạt động", "status", False),
        ("Chuyển công tác", "end_reason", True),  # any reason says the post ended
        ("-", "end_reason", False),
        ("Không", "end_reason", False),
    ],
)
def test_a_note_says_whether_the_person_had_left_the_post_by_the_lists_date(text, role, left):
    from datetime import date

    assert vocab.left_post(text, role, date(2022, 12, 31)) is left


@pytest.mark.parametrize(
    ("label", "role"),
    [
        ("Ghi chú", "note"),
        ("GHI CHÚ (2)", "note"),
        ("Tình trạng", "status"),
        ("Lý do kết thúc", "end_reason"),
        ("Lý do", None),
        ("Ghi chép", None),
    ],
)
def test_which_extra_columns_are_read_for_departures(label, role):
    assert vocab.note_column(label) == role


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("Dấu thời gian", "submitted_at"),
        ("Anh/chị đã tham gia bao nhiêu lớp bồi dưỡng giai đoạn 2016-2020?", "trainings_2016_2020"),
        ("Mức độ cải thiện sau khi tham gia bồi dưỡng", "improvement"),
        # questions as a form words them, tried on 2026-12-06
        ("Anh/chị đang công tác tại xã nào?", "commune"),
        ("Sau bồi dưỡng, năng lực của anh/chị được cải thiện như thế nào?", "improvement"),
        ("Việc cập nhật kiến thức có cần thiết không?", "necessity"),
        ("Đề xuất nội dung cần bồi dưỡng thêm", None),
        ("Số lượt tham gia các lớp bồi dưỡng giai đoạn 2016 - 2020", "trainings_2016_2020"),  # 2026-12-07
        ("Anh (chị) đánh giá thế nào về sự thay đổi sau khi học?", "improvement"),
        ("Hiệu quả áp dụng vào thực tiễn công tác", None),  # another question: how it is applied
    ],
)
def test_survey_questions(header, name):
    assert vocab.header_name(header, "survey") == name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chưa tốt nghiệp", False),  # "not yet" is not done, though "tốt nghiệp" alone is
        ("Không tốt nghiệp (nợ môn)", False),
        ("Nợ bài thu hoạch", False),
        ("Chưa cấp chứng chỉ", False),
        ("Đã cấp chứng chỉ", True),
        ("Tốt nghiệp loại khá", True),
        ("Chuyển lớp sau", None),  # says nothing of this course's outcome
        # a pass negated by an abbreviation, and the short verdicts, tried on 2026-12-06
        ("K.Đạt", False),
        ("ko đạt", False),
        ("Chưa HT", False),
        ("Chưa đủ ĐK cấp CC", False),
        ("Đ", True),
        ("KĐ", False),
        ("HTXS", True),
        ("✓", True),
        ("K", None),  # "Khá" or "Không"? nothing said
        # an absence noted after a pass is a remark; alone, or before one, it is the verdict (2026-12-07)
        ("Hoàn thành - vắng 1 buổi có phép", True),
        ("Đạt (vắng 1 buổi)", True),
        ("Vắng", False),
        ("Vắng, không đạt", False),
        ("Không hoàn thành - vắng 3 buổi", False),
        ("Giỏi (8,5)", True),  # a grade typed where the mark goes
        # "Có" (yes) says it as the whole cell; in a note it tells of an absence excused (2026-12-07)
        ("Có", True),
        ("x", True),
        ("Có phép", None),
        ("Nghỉ có phép 05/3", None),
        ("Có lý do (ốm)", None),
        ("Có chứng chỉ", True),
        # passed an exam, a certificate given (2026-12-07, fourteenth session); "Đỗ" is a family name too
        ("Đỗ", True),
        ("Thi đỗ", True),
        ("Không đỗ", False),
        ("Đỗ Văn Hùng", None),
        ("Đã cấp CC", True),
        ("Chưa cấp GCN", False),
    ],
)
def test_what_a_roster_says_of_a_course(text, expected):
    assert vocab.completed(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Bảo lưu", True), ("Hoãn thi", True), ("Chuyển lớp sau", True), ("Khá", False), ("Hoãn thi - không đạt", False)],
)
def test_a_course_not_over_is_no_verdict_even_where_a_grade_goes(text, expected):
    assert vocab.pending(text) is expected


@pytest.mark.parametrize(
    ("titles", "expected"),
    [
        (["DANH SÁCH HỌC VIÊN ĐỦ ĐIỀU KIỆN CẤP GIẤY CHỨNG NHẬN", "Lớp bồi dưỡng cán bộ chủ chốt"], True),
        (["QUYẾT ĐỊNH CÔNG NHẬN TỐT NGHIỆP", "Lớp Trung cấp LLCT-HC K45"], True),
        (["Danh sách học viên đề nghị cấp chứng chỉ"], True),
        (["DANH SÁCH HỌC VIÊN KHÔNG ĐỦ ĐIỀU KIỆN CẤP GIẤY CHỨNG NHẬN"], False),
        (["Danh sách học viên chưa hoàn thành khóa học"], False),
        # a list for issuing certificates, marks, the class's own words: nothing said of everyone
        (["DANH SÁCH CẤP CHỨNG CHỈ LỚP BỒI DƯỠNG KIẾN THỨC QLNN"], None),
        (["BẢNG TỔNG HỢP KẾT QUẢ HỌC TẬP", "Lớp Trung cấp LLCT-HC (hệ không tập trung)"], None),
        (["DANH SÁCH HỌC VIÊN", "Lớp bồi dưỡng kỹ năng hoàn thành nhiệm vụ được giao"], None),
    ],
)
def test_what_a_rosters_title_says_of_everyone_listed(titles, expected):
    assert vocab.listed_as_completed(titles) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quảng Ninh, ngày 22/4/2024", True),
        ("Đầm Hà, ngày 10-3-2025", True),
        ("Hạ Long, ngày 10 tháng 3 năm 2025", True),
        ("Xã Quảng Long", False),
        ("Nguyễn Văn An", False),
    ],
)
def test_a_place_and_date_under_a_table_is_its_footer(text, expected):
    assert vocab.is_footer(text) is expected


@pytest.mark.parametrize(
    ("question", "text", "expected"),
    [
        ("necessity", "Rất cần thiết", "RAT_CAN"),
        ("necessity", "Rất cần", "RAT_CAN"),  # the label cut short
        ("necessity", "Cần", "CAN"),
        ("necessity", "Chưa cần thiết", "KHONG_CAN"),
        ("necessity", "Rất cần thiết, cần bồi dưỡng thường xuyên", "RAT_CAN"),  # a remark after the label
        ("necessity", "Ít cần thiết", None),  # between two levels: not guessed
        ("improvement", "4. Rất tích cực", "RTC"),  # the option's number
        ("improvement", "RTC", "RTC"),  # the scale's code
        ("improvement", "Không cải thiện", "KDK"),
        ("improvement", "Có cải thiện", None),  # any level of improvement
        ("improvement", "Rất tích cực; Tích cực", None),  # two levels ticked
        ("improvement", "Tích cực", "TC"),
        ("improvement", "b) Khá tích cực", "KTC"),  # the option's letter, as the form listed it
        ("necessity", "A. Rất cần thiết", "RAT_CAN"),
        ("improvement", "Rất TC", "RTC"),  # the degree written out before the code, 2026-12-07
        ("improvement", "Khá TC", "KTC"),
        ("necessity", "Chưa thật cần thiết", "KHONG_CAN"),
    ],
)
def test_survey_answers_as_typed(question, text, expected):
    assert vocab.read_answer(question, text) == expected


@pytest.mark.parametrize(
    ("text", "total"),
    [
        ("Cộng: 05 người", True),
        ("Trong đó:", True),
        ("- Nữ: 02 người", True),  # the breakdown under a total
        ("- Dân tộc thiểu số: 05 người", True),
        ("- Đảng viên: 05 đ/c", True),
        ("XÃ HOÀNH MÔ (03 người)", False),  # a commune's heading that counts its people
        ("Nông Thị Nữ", False),
        ("Nam", False),
        ("Tống Văn Trọng", False),
    ],
)
def test_total_rows(text, total):
    assert bool(re.match(vocab.TOTAL, fold(text))) is total


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Chức vụ trước đây", vocab.IGNORED),  # a post of before: kept as an extra, never joined to the post held
        ("Chức vụ cũ", vocab.IGNORED),
        ("Chức danh dự kiến", vocab.IGNORED),  # a post planned
        ("Chức vụ đề nghị", vocab.IGNORED),
        ("Đơn vị trước sắp xếp", vocab.IGNORED),
        ("Đơn vị cử đi học", "commune"),  # "cử" folds as "cũ" does: "cũ" is matched with its marks
        ("Đơn vị cũ", vocab.IGNORED),
        ("Đơn vị (cũ)", vocab.IGNORED),
        ("Họ tên bố", vocab.IGNORED),  # "bố" folds as "bộ" does ("Tên cán bộ")
        ("Tên cán bộ", "full_name"),
        ("Chức Vụ CQ", "title"),  # one letter from "chức vụ cũ": exact words only
        ("Chuyên môn đang học", vocab.IGNORED),  # a degree being studied for is not held yet
        ("Năm vào ngành", vocab.IGNORED),  # the year one joined the sector: no field of study
        ("Họ và tên vợ (chồng)", vocab.IGNORED),  # another person's
        ("Chức vụ của vợ/chồng", vocab.IGNORED),
        ("Đơn vị đào tạo", vocab.IGNORED),  # where one studied, not one's unit
        ("Họ và tên", "full_name"),
        ("Chức vụ kiêm nhiệm", "title"),  # held now, beside the other
        ("Chức vụ sau sắp xếp", "title"),
        ("Chức vụ hiện tại", "title"),
        ("Đơn vị công tác", "commune"),
    ],
)
def test_a_post_or_unit_of_another_time_is_not_the_one_held(header, expected):
    assert vocab.header_name(header, "hr") == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Bồi dưỡng nghiệp vụ công tác Đoàn thể", "DOAN_THE"),
        ("Lớp bồi dưỡng cán bộ chủ chốt cấp xã năm 2024", "CHU_CHOT"),
        ("Bồi dưỡng kiến thức QLNN cho CBCC cấp xã", None),  # says none: not guessed
        ("Tập huấn kỹ năng số và các nội dung khác", None),  # "khác" in a name is no category
    ],
)
def test_the_category_a_class_name_says(name, expected):
    assert vocab.category_in(name) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Chưa", True),
        ("-", True),
        ("0", True),
        ("Quần chúng", True),  # not a Party member
        ("(không)", True),
        ("đến nay", True),  # still held
        ("x", False),  # a member, the day not typed: flagged, not blank
        ("Đảng viên", False),
        ("Không rõ", False),  # a day not known is no "none"
        ("Chưa rõ ngày", False),
    ],
)
def test_a_date_cell_that_says_there_is_none(cell, expected):
    assert vocab.says_no_date(cell) is expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("Công an trưởng", "TRUONG_CA"),  # older names of the commune police's head and deputy
        ("Trưởng ban Công an xã", "TRUONG_CA"),
        ("Phó Công an trưởng", "PTRUONG_CA"),
        ("Chỉ huy phó BCHQS", "PCHT_QS"),
        ("Ch.tịch UBND", "CT_UBND"),
        ("Công chức LĐ-TB và XH", "VH_XH"),
        ("Cán bộ Đài TT", "TRUYEN_THANH"),
        ("Công chức Phòng Kinh tế", "CV_2025"),  # a civil servant of a commune's office after 1 July 2025
        ("Công chức Văn phòng Đảng ủy", "CV_2025"),
        ("Cán bộ Văn phòng Đảng ủy", "VP_DU"),  # the part-time post before July 2025 (field notes 2.3)
        ("Công chức VP Đảng ủy", "CV_2025"),
        ("Công chức Văn phòng - Thống kê", "VP_TK"),
    ],
)
def test_posts_by_the_names_communes_give_them(raw, code):
    assert read_title(raw).code == code


@pytest.mark.parametrize(
    ("header", "kind", "expected"),
    [
        ("Q.lý NN", "hr", "qlnn"),
        ("QLHC nhà nước", "hr", "qlnn"),
        ("Số CMTND", "hr", "citizen_id"),
        ("Ngày vào ĐCS", "hr", "party_date"),
        ("Thời gian đảm nhiệm chức vụ", "hr", "appointment_date"),  # a time, not the post
        ("Ngày vào cơ quan", "hr", vocab.IGNORED),  # a day of a career, not the unit
        ("Cơ quan, tổ chức công tác (1)", "hr", "commune"),
        ("KQ", "roster", "result"),
        ("Lớp", "roster", "class_code"),  # a year's results in one sheet: each row's class
        ("Xếp loại lớp", "roster", "grade"),
        ("Nội dung", "classes", "class_name"),  # a plan whose one column of what is taught names each class
        ("Đơn vị chủ trì", "classes", vocab.IGNORED),  # the school in charge, no unit of anyone
        ("Số lần được cử đi bồi dưỡng (2016-2020)", "survey", "trainings_2016_2020"),
        ("Đã giữ chức vụ", "hr", vocab.IGNORED),  # the posts held before, no appointment day (2026-12-07)
        ("Ngày giữ chức vụ", "hr", "appointment_date"),
        ("Thời gian đảm nhiệm chức vụ", "roster", vocab.IGNORED),  # a day, never a roster's post column
        ("Ngày giữ chức vụ", "roster", vocab.IGNORED),
    ],
)
def test_headers_as_lists_write_them(header, kind, expected):
    assert vocab.header_name(header, kind) == expected


@pytest.mark.parametrize(
    ("header", "kind", "expected"),
    [
        ("H.tên", "hr", "full_name"),
        ("H.và tên", "roster", "full_name"),
        ("C.danh", "hr", "title"),
        ("Đ.vị", "roster", "commune"),
        ("D.tộc", "hr", "ethnicity"),
        ("Tr.độ CM", "hr", "prof_level"),
        ("T.Học", "hr", "it"),  # Tin học, not the "Tên" of "Tên học viên"
        ("Trình độ N.ngữ", "hr", "lang"),
        ("Q.quán", "hr", vocab.IGNORED),
        ("N.sinh", "hr", None),  # ngày, năm or nơi sinh: no guess
        ("TT. Họ và tên", "hr", "full_name"),  # a number's dot cuts no word
    ],
)
def test_a_word_cut_short_with_a_dot_is_read_whole_where_only_one_fits(header, kind, expected):
    assert vocab.header_name(header, kind) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Đảng viên (ngày vào Đảng)", "party_date"),  # the whole cell, bracket too, is a phrase: it wins
        ("Đảng viên (x)", vocab.IGNORED),
        ("Đảng viên", vocab.IGNORED),
    ],
)
def test_a_bracket_that_names_the_column_as_a_whole_phrase_wins(header, expected):
    assert vocab.header_name(header, "hr") == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (
            "Trình độ CM: Đại học Luật | Trình độ LLCT: Sơ cấp",
            {"prof_level": "Đại học Luật", "llct": "Sơ cấp"},
        ),
        (
            "* CM: ĐH Xây dựng * Tin học: Cơ bản * Ngoại ngữ: Tiếng Anh A2",
            {"prof_level": "ĐH Xây dựng", "it": "Cơ bản", "lang": "Tiếng Anh A2"},
        ),
        ("Lý luận chính trị : Trung cấp; Quản lý nhà nước : Chuyên viên", {"llct": "Trung cấp", "qlnn": "Chuyên viên"}),
        ("ĐH Luật (Tin học: B)", {"prof_level": "ĐH Luật", "it": "B"}),  # a degree before any label
        ("CM: ĐH Luật (VB2); LLCT: TC", {"prof_level": "ĐH Luật (VB2)", "llct": "TC"}),
        ("GDPT: 12/12; CM: Trung cấp Y", {"prof_level": "Trung cấp Y"}),  # schooling is no qualification's part
        ("Đại học: Luật", None),  # a level, no label
        ("Chuyên môn - Đại học", None),  # no colon
        ("Ngày 12/5: ĐH", None),
        ("ĐH Kế toán / TC LLCT / CV", None),
    ],
)
def test_a_qualification_cell_that_labels_its_parts(cell, expected):
    assert vocab.labelled_levels(cell) == expected


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Công chức Văn phòng - Thống kê P. Hà Khẩu, TP Hạ Long", {"06655"}),  # "P." before a commune's name
        ("PCT UBND P.Cao Xanh", {"06658"}),
        ("P.Chủ tịch UBND xã Hà Lâu", {"06865"}),  # "P." before a post: "Phó", no Phường Chũ
        ("P. Bí thư Đảng ủy", set()),
        ("P.CT UBND", set()),
    ],
)
def test_a_phuong_cut_to_p_dot_in_a_longer_text(text, codes):
    assert vocab.communes_named(text, None) == codes
