"""District HR workbooks: one per district per reporting date, each district in its own layout and mess."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from cadre import reference
from cadre.sample.encoding import encode
from cadre.sample.population import ANCHOR, Holding, Person, Population
from cadre.sample.xlsx import workbook

# How Vietnamese HR forms head each column (the generator's own list, independent of ingest's vocabulary).
HEADERS = {
    "stt": ("STT", "TT", "Số TT"),
    "full_name": ("Họ và tên", "Họ tên", "HỌ VÀ TÊN", "Ho va ten", "Họ và tên cán bộ"),
    "dob": ("Ngày sinh", "Ngày, tháng, năm sinh", "Ngày tháng năm sinh", "NS", "Ngay sinh"),
    "sex": ("Giới tính", "Nam/Nữ", "GT", "Gioi tinh"),
    "ethnicity": ("Dân tộc", "DT", "Dan toc"),
    "citizen_id": ("Số CCCD", "CCCD/CMND", "Số định danh cá nhân", "Số CMND/CCCD", "So CCCD"),
    "commune": ("Đơn vị", "Xã, phường, thị trấn", "Xã/phường/TT", "Đơn vị công tác", "Xa phuong"),
    "title": ("Chức danh", "Chức vụ", "Chức vụ, chức danh", "Chuc danh"),
    "prof_level": ("Trình độ chuyên môn", "Chuyên môn", "TĐCM", "Trình độ CM"),
    "prof_field": ("Chuyên ngành", "Ngành đào tạo", "Chuyên ngành đào tạo"),
    "llct": ("Lý luận chính trị", "LLCT", "Trình độ LLCT", "Chính trị"),
    "qlnn": ("Quản lý nhà nước", "QLNN", "Trình độ QLNN", "Quản lý NN"),
    "it": ("Tin học", "Trình độ tin học"),
    "lang": ("Ngoại ngữ", "Trình độ ngoại ngữ"),
    "party_date": ("Ngày vào Đảng", "Ngày vào ĐCSVN", "Ngày kết nạp Đảng"),
    "appointment_date": ("Ngày bổ nhiệm", "Ngày bầu/bổ nhiệm", "Ngày giữ chức danh", "Thời gian giữ chức vụ"),
    # columns ingest does not need: kept as extras
    "phone": ("Số điện thoại", "Điện thoại", "SĐT"),
    "hometown": ("Quê quán",),
    "van_hoa": ("Trình độ văn hóa", "Văn hóa", "GDPT"),
    "note": ("Ghi chú",),
}
# Under a two-row header these sit below one merged "Trình độ" cell, with short names.
QUALIFICATION_GROUP = ("prof_level", "prof_field", "llct", "qlnn", "it", "lang")
SHORT = {
    "prof_level": "Chuyên môn",
    "prof_field": "Chuyên ngành",
    "llct": "LLCT",
    "qlnn": "QLNN",
    "it": "Tin học",
    "lang": "Ngoại ngữ",
}
CORE = ("stt", "full_name", "dob", "sex", "ethnicity", "citizen_id", "commune", "title")
DATE_FIELDS = ("dob", "party_date", "appointment_date")

# Roles that make the mess land at known places (district GSO code -> trait).
TCVN3_DISTRICT = "198"  # Bình Liêu types in .VnTime
NFD_DISTRICT = "195"  # Cẩm Phả's exports are NFD
NUMERIC_ID_DISTRICTS = ("200", "203")
TWO_ROW_HEADER = ("193", "196", "205")
INDEX_ROW = ("206",)  # a "(1) (2) (3)" row of column numbers under the header
SPLIT_SHEETS = ("194", "205")
DATE_STYLES = {
    "196": "dmy",
    "199": "dmy",
    "201": "dmy",
    "202": "dmy_short",
    "207": "dmy_short",
    "193": "mixed",
    "206": "mixed",
}


@dataclass
class Layout:
    district: dict
    columns: list[str]
    headers: dict[str, str]
    encoding: str
    date_style: str
    numeric_ids: bool
    two_row_header: bool
    index_row: bool
    split_sheets: bool
    subtotals: bool
    blank_between: bool
    grand_total: bool
    short_commune: bool
    old_tone_style: bool
    habits: dict[str, int] = field(default_factory=dict)


def _traits(rng: random.Random, code: str, province: bool) -> dict:
    """The mess of one district: fixed roles in Quảng Ninh (so tests know where it is), drawn elsewhere."""
    if province:
        return {
            "encoding": "tcvn3" if code == TCVN3_DISTRICT else ("nfd" if code == NFD_DISTRICT else "unicode"),
            "date_style": DATE_STYLES.get(code, "excel"),
            "numeric_ids": code in NUMERIC_ID_DISTRICTS,
            "two_row_header": code in TWO_ROW_HEADER,
            "index_row": code in INDEX_ROW,
            "split_sheets": code in SPLIT_SHEETS,
        }
    roll = rng.random()
    return {
        "encoding": "tcvn3" if roll < 0.03 else ("nfd" if roll < 0.06 else "unicode"),
        "date_style": rng.choices(("excel", "dmy", "dmy_short", "mixed"), weights=(6, 2, 1, 1))[0],
        "numeric_ids": rng.random() < 0.15,
        "two_row_header": rng.random() < 0.25,
        "index_row": rng.random() < 0.1,
        "split_sheets": rng.random() < 0.15,
    }


def layouts(rng: random.Random, districts: list[dict] | None = None) -> dict[str, Layout]:
    """One layout per district (Quảng Ninh's 13 unless ``districts`` says otherwise)."""
    province = districts is None
    out = {}
    for d in reference.rows("qn_districts_2020") if province else districts:
        code = d["district_code"]
        middle = ["sex", "ethnicity", "citizen_id"]
        rng.shuffle(middle)
        quals = list(QUALIFICATION_GROUP)
        if rng.random() < 0.5:
            quals[2], quals[3] = quals[3], quals[2]
        dates = ["party_date", "appointment_date"]
        rng.shuffle(dates)
        extras = [e for e in ("phone", "hometown", "van_hoa", "note") if rng.random() < 0.5]
        if rng.random() < 0.5:
            columns = ["stt", "full_name", "dob", *middle, "commune", "title", *quals, *dates, *extras]
        else:
            columns = ["stt", "commune", "full_name", "title", "dob", *middle, *quals, *dates, *extras]
        out[code] = Layout(
            district=d,
            columns=columns,
            headers={f: rng.choice(v) for f, v in HEADERS.items()},
            **_traits(rng, code, province),
            subtotals=rng.random() < 0.4,
            blank_between=rng.random() < 0.4,
            grand_total=rng.random() < 0.8,
            short_commune=rng.random() < 0.3,
            old_tone_style=rng.random() < 0.3,
            habits={dim: rng.randrange(100) for dim in ("prof", "llct", "qlnn", "it", "lang", "title")},
        )
    return out


# -- value spellings ---------------------------------------------------------------------------------
def _clean(variant: str) -> str:
    return re.sub(r"\s*\([^)]*\)", "", variant).strip()


# How people write posts and levels in real HR sheets (the field notes on public Vietnamese HR spreadsheets),
# beyond the reference's own spellings: the generator writes them too, so the ingest is tested on them. This
# list is the generator's own; the ingest never reads it (it must understand these from their parts).
FIELD_SPELLINGS: dict[str, dict[str, list[str]]] = {
    "title": {
        "BT_DU": ["Bí thư Đảng ủy xã", "BT ĐU", "HUV, Bí thư Đảng uỷ xã", "Bí thư"],
        "PBT_DU": ["Phó Bí thư Thường trực Đảng ủy", "Phó Bí thư TT ĐU", "P.Bí thư ĐU", "Phó Bí thư"],
        "CT_HDND": ["Chủ tịch HĐND xã", "CT.HĐND", "Chủ tịch Hội đồng nhân dân"],
        "PCT_HDND": ["Phó Chủ tịch HĐND", "PCT HĐND xã", "Phó CT HĐND", "P.CT HĐND"],
        "CT_UBND": ["Chủ tịch UBND xã", "CT.UBND", "Chủ tịch Ủy ban nhân dân xã"],
        "PCT_UBND": ["Phó Chủ tịch UBND", "PCT UBND xã", "Phó CT.UBND", "P.CT UBND"],
        "CT_MTTQ": ["Chủ tịch UBMTTQ Việt Nam", "CT UBMTTQ xã", "Chủ tịch MTTQ", "Chủ tịch UB MTTQ VN"],
        "BT_DOAN": ["Bí thư Đoàn TNCS HCM", "BT Đoàn TN", "Bí thư Xã đoàn", "Bí thư Đoàn xã"],
        "CT_HLHPN": ["Chủ tịch Hội LHPN", "CT Hội LHPN xã", "Chủ tịch Hội Phụ nữ", "CT HPN"],
        "CT_HND": ["Chủ tịch Hội Nông dân xã", "CT Hội Nông dân", "CT Hội ND", "Chủ tịch HND"],
        "CT_HCCB": ["Chủ tịch Hội CCB", "CT Hội CCB xã", "Chủ tịch Hội Cựu chiến binh"],
        "TRUONG_CA": ["Trưởng Công an xã", "Trưởng CA xã"],
        "CHT_QS": ["Chỉ huy trưởng Quân sự", "CHT BCHQS", "Chỉ huy trưởng BCH Quân sự xã"],
        "VP_TK": ["Công chức Văn phòng - Thống kê", "VP - TK", "CC VP-TK"],
        "DC_XD": ["Địa chính - Xây dựng", "Công chức Địa chính - Nông nghiệp - Xây dựng và Môi trường", "CB ĐC-XD"],
        "TC_KT": ["Tài chính - Kế toán", "CB TC-KT", "Công chức Tài chính - Kế toán"],
        "TP_HT": ["Công chức Tư pháp - Hộ tịch", "Tư pháp-HT", "CC Tư pháp"],
        "VH_XH": ["Văn hoá - Xã hội", "VH-XH", "Công chức Văn hóa - Xã hội"],
    },
    "prof": {
        "DH": ["ĐH Luật", "Cử nhân Kinh tế", "Kỹ sư Nông nghiệp", "Đại học chuyên ngành Quản lý đất đai", "CN Luật"],
        "THS": ["Th.S Quản lý kinh tế", "Thạc sỹ", "ThS QLKT"],
        "TC": ["TC Kế toán", "Trung cấp Luật"],
        "CD": ["CĐ Sư phạm"],
    },
    "llct": {
        "TC": ["TC LLCT", "Trung cấp lý luận chính trị", "Trung cấp chính trị - hành chính"],
        "CC": ["Cao cấp LLCT", "Cao cấp lý luận chính trị"],
        "CN": ["Cử nhân chính trị"],
        "SC": ["Sơ cấp chính trị"],
    },
    "qlnn": {
        "CV": ["Đã BD QLNN ngạch CV", "QLNN ngạch chuyên viên"],
        "CVC": ["CV chính", "Bồi dưỡng ngạch Chuyên viên chính"],
        "CQBD": ["Chưa BD", "Chưa"],
    },
    "it": {"CB": ["UDCNTT CB", "ứng dụng CNTT cơ bản"], "B": ["Tin học B"]},
    "lang": {"BAC3": ["Tiếng Anh B1", "Anh B"], "BAC2": ["Tiếng Anh A2"]},
}


def spellings() -> dict[str, dict[str, list[str]]]:
    """dimension -> code -> every spelling the reference lists (label, abbreviations, variants), then the
    field notes' spellings."""
    out: dict[str, dict[str, list[str]]] = {}
    for dim, seed, filt in (
        ("prof", "level_professional", None),
        ("llct", "level_political_theory", None),
        ("qlnn", "level_state_management", None),
        ("it", "level_general_it_lang", "tin_hoc"),
        ("lang", "level_general_it_lang", "ngoai_ngu"),
    ):
        for row in reference.rows(seed):
            if filt and row["dimension"] != filt:
                continue
            clean = {k: _clean(v or "") for k, v in row.items()}  # notes in brackets may hold a ";"
            spelled = reference.variants(clean, "label_vi", "variants_seen")
            out.setdefault(dim, {})[row["code"]] = list(dict.fromkeys(s for s in spelled if s))
    for row in reference.rows("cadre_titles"):
        names = [_clean(n) for n in row["title_vi"].split("|")]
        spelled = names + [v.strip() for v in _clean(row["common_abbrev"]).split(";")]
        out.setdefault("title", {})[row["title_code"]] = list(dict.fromkeys(s for s in spelled if s))
    for dim, codes in FIELD_SPELLINGS.items():
        for code, spelled in codes.items():
            out[dim][code] = list(dict.fromkeys(out[dim].get(code, []) + spelled))
    return out


OLD_TONES = {
    "òa": "oà",
    "óa": "oá",
    "ỏa": "oả",
    "õa": "oã",
    "ọa": "oạ",
    "òe": "oè",
    "óe": "oé",
    "ọe": "oẹ",
    "ùy": "uỳ",
    "úy": "uý",
    "ủy": "uỷ",
    "ũy": "uỹ",
    "ụy": "uỵ",
}


def old_tone_style(text: str) -> str:
    """Tone marks placed the old way ("Hoà", "Thuỷ"), as many keyboards still type them."""
    for new, old in OLD_TONES.items():
        text = text.replace(new, old)
    return text


# -- writing -------------------------------------------------------------------------------------------
@dataclass
class Row:
    kind: str  # data | blank | subtotal | total | index
    cells: dict[str, object]
    truth: dict[str, object] = field(default_factory=dict)


class Writer:
    """Writes the HR workbooks and records, for each row, who it is and what ingest must do with it."""

    def __init__(
        self,
        rng: random.Random,
        pop: Population,
        out: Path,
        reporting_dates: tuple[date, ...],
        districts: list[dict] | None = None,
    ):
        self.rng = rng
        self.pop = pop
        self.out = out
        self.dates = reporting_dates
        self.layouts = layouts(rng, districts)
        self.spell = spellings()
        self.communes = {c["commune_code"]: c for c in pop.communes}
        self.files: list[dict] = []
        self.rows: list[dict] = []
        self.defects: list[dict] = []
        self.extra_seq = 0
        # "Đầm Hà" alone names both the town and the commune: clerks keep the kind where the name is shared
        short: dict[tuple[str, str], list[str]] = {}
        for c in pop.communes:
            bare = re.sub(r"^(Xã|Phường|Thị trấn)\s+", "", c["commune_name"])
            short.setdefault((c["district_code"], bare), []).append(c["commune_code"])
        self.ambiguous_short = {code for codes in short.values() if len(codes) > 1 for code in codes}

    def write_all(self) -> None:
        for day in self.dates:
            by_district: dict[str, list[Holding]] = {}
            for h in self.pop.holdings(day):
                by_district.setdefault(self.communes[h.commune_code]["district_code"], []).append(h)
            for code in sorted(self.layouts):
                self.write_file(self.layouts[code], day, by_district.get(code, []))

    # one workbook
    def write_file(self, lay: Layout, day: date, holdings: list[Holding]) -> None:
        d = lay.district
        name = _file_name(d, day, int(d["district_code"]) % 3)
        rel = Path("hr") / day.isoformat() / d.get("province_folder", "") / name  # national: a folder per province
        sheets = (
            [("Cán bộ", [h for h in holdings if h.is_cadre]), ("Công chức", [h for h in holdings if not h.is_cadre])]
            if lay.split_sheets
            else [(self.rng.choice(("DS CBCC", "Sheet1", "Danh sách", "Tong hop")), holdings)]
        )
        wb = workbook(self.out / rel, day, f"Phòng Nội vụ {d['district_name']}")
        font = {"font_name": ".VnTime"} if lay.encoding == "tcvn3" else {"font_name": "Times New Roman"}
        fmt = {
            "text": wb.add_format(font),
            "date": wb.add_format({**font, "num_format": "dd/mm/yyyy"}),
            "id": wb.add_format({**font, "num_format": "0"}),
            "head": wb.add_format(
                {**font, "bold": True, "align": "center", "valign": "vcenter", "border": 1, "text_wrap": True}
            ),
            "title": wb.add_format(
                {**font, "bold": True, "align": "center"}
                | ({"font_name": ".VnTimeH"} if lay.encoding == "tcvn3" else {})
            ),
        }
        for sheet_name, members in sheets:
            ws = wb.add_worksheet(sheet_name)
            rows = self._rows(lay, day, members)
            header_row = self._write_head(ws, lay, day, fmt, sheet_name)
            first = header_row + (2 if lay.two_row_header else 1)
            for i, row in enumerate(rows):
                r = first + i  # 0-based
                self._write_row(ws, lay, row, r, fmt)
                self.rows.append(
                    {
                        "file": rel.as_posix(),
                        "sheet": sheet_name,
                        "row": r + 1,
                        "kind": row.kind,
                        "reporting_date": day.isoformat(),
                        "district_code": d["district_code"],
                        **row.truth,
                    }
                )
            ws.set_column(0, len(lay.columns) - 1, 16)
            self.files.append(
                {
                    "file": rel.as_posix(),
                    "sheet": sheet_name,
                    "district_code": d["district_code"],
                    "reporting_date": day.isoformat(),
                    "header_row": header_row + 1,
                    "header_rows": 2 if lay.two_row_header else 1,
                    "first_data_row": first + 1,
                    "last_row": first + len(rows),
                    "encoding": lay.encoding,
                    "date_style": lay.date_style,
                    "numeric_ids": lay.numeric_ids,
                    "index_row": lay.index_row,
                    "columns": ";".join(
                        f"{c}={lay.headers[c] if c not in SHORT or not lay.two_row_header else SHORT[c]}"
                        for c in lay.columns
                    ),
                }
            )
        wb.close()

    def _write_head(self, ws, lay: Layout, day: date, fmt, sheet_name: str) -> int:
        enc = lay.encoding
        d = lay.district
        last = len(lay.columns) - 1
        kind = (
            "CÁN BỘ" if sheet_name == "Cán bộ" else ("CÔNG CHỨC" if sheet_name == "Công chức" else "CÁN BỘ, CÔNG CHỨC")
        )
        when = day.strftime("%d/%m/%Y")
        lines = [
            f"ỦY BAN NHÂN DÂN {d['district_name'].upper()}",
            "PHÒNG NỘI VỤ",
            "",
            f"DANH SÁCH {kind} CẤP XÃ",
            self.rng.choice((f"(Số liệu tính đến ngày {when})", f"Thời điểm báo cáo: {when}", f"(Tính đến {when})")),
        ]
        if self.rng.random() < 0.3:
            lines = lines[3:]
        for r, text in enumerate(lines):
            if not text:
                continue
            value = encode(text, enc)
            if r in (0, 1) and len(lines) == 5:
                ws.merge_range(r, 0, r, min(3, last), value, fmt["title"])
            else:
                ws.merge_range(r, 0, r, last, value, fmt["title"])
        header = len(lines) + 1  # one empty row under the titles
        if lay.two_row_header:
            group = [i for i, c in enumerate(lay.columns) if c in QUALIFICATION_GROUP]
            for i, c in enumerate(lay.columns):
                if c in QUALIFICATION_GROUP:
                    ws.write_string(header + 1, i, encode(SHORT[c], enc), fmt["head"])
                else:
                    ws.merge_range(header, i, header + 1, i, encode(lay.headers[c], enc), fmt["head"])
            ws.merge_range(header, group[0], header, group[-1], encode("Trình độ", enc), fmt["head"])
        else:
            for i, c in enumerate(lay.columns):
                ws.write_string(header, i, encode(lay.headers[c], enc), fmt["head"])
        return header

    def _rows(self, lay: Layout, day: date, members: list[Holding]) -> list[Row]:
        rows: list[Row] = []
        if lay.index_row:
            rows.append(
                Row(
                    "index",
                    {c: f"({i + 1})" for i, c in enumerate(lay.columns)},
                    {"expected": "skipped", "reasons": "index_row"},
                )
            )
        n = 0
        by_commune: dict[str, list[Holding]] = {}
        for h in members:
            by_commune.setdefault(h.commune_code, []).append(h)
        for ci, (commune, group) in enumerate(by_commune.items()):
            start = len(rows)
            for h in group:
                n += 1
                rows.append(self._data_row(lay, day, h, n))
            self._vacancies(lay, day, commune, rows)
            if lay.subtotals:
                rows.append(
                    Row(
                        "subtotal",
                        {"stt": "Cộng", "full_name": f"{len(rows) - start} người"},
                        {"expected": "skipped", "reasons": "subtotal_row"},
                    )
                )
            if lay.blank_between and ci < len(by_commune) - 1:
                rows.append(Row("blank", {}, {"expected": "skipped", "reasons": "blank_row"}))
        self._inject(lay, day, rows)
        if lay.grand_total:
            total = sum(1 for r in rows if r.kind == "data")
            rows.append(
                Row(
                    "total",
                    {"full_name": "Tổng cộng", "stt": "", "title": f"{total}"},
                    {"expected": "skipped", "reasons": "total_row"},
                )
            )
        return rows

    def _spell(self, lay: Layout, dim: str, code: str) -> str:
        options = self.spell[dim][code]
        if self.rng.random() < 0.7:
            return options[lay.habits[dim] % len(options)]
        return self.rng.choice(options)

    def _data_row(self, lay: Layout, day: date, h: Holding, n: int) -> Row:
        p: Person = self.pop.persons[h.person_id]
        commune = self.communes[h.commune_code]
        commune_name = commune["commune_name"]
        if lay.short_commune and commune["commune_code"] not in self.ambiguous_short:
            commune_name = re.sub(r"^(Xã|Phường|Thị trấn)\s+", "", commune_name)
        if lay.old_tone_style:
            commune_name = old_tone_style(commune_name)
        cells = {
            "stt": n,
            "full_name": p.full_name,
            "dob": p.dob,
            "sex": p.sex,
            "ethnicity": p.ethnicity,
            "citizen_id": p.id_on(day),
            "commune": commune_name,
            "title": self._spell(lay, "title", h.title_code),
            "prof_level": self._spell(lay, "prof", h.prof),
            "prof_field": p.prof_field if h.prof not in ("CQDT",) else "",
            "llct": self._spell(lay, "llct", h.llct),
            "qlnn": self._spell(lay, "qlnn", h.qlnn),
            "it": self._spell(lay, "it", h.it) if h.it else "",
            "lang": self._spell(lay, "lang", h.lang) if h.lang else "",
            "party_date": p.party_date,
            "appointment_date": h.appointed,
            "phone": p.phone,
            "hometown": "Quảng Ninh" if p.cccd.startswith("022") else "",
            "van_hoa": "12/12" if p.van_hoa == "THPT" else "9/12",
            "note": "",
            # a "mixed" district switches date style from row to row (a copy of the row keeps it)
            "_date_style": self.rng.choice(("excel", "dmy", "dmy_short")) if lay.date_style == "mixed" else None,
        }
        truth = {
            "expected": "loaded",
            "reasons": "",
            "person_id": p.person_id,
            "commune_code": h.commune_code,
            "title_code": h.title_code,
            "is_cadre": h.is_cadre,
            "full_name": p.full_name,
            "dob": p.dob.isoformat(),
            "citizen_id": p.id_on(day),
            "prof": h.prof,
            "llct": h.llct,
            "qlnn": h.qlnn,
            "it": h.it,
            "lang": h.lang,
            "defects": "",
        }
        if len(truth["citizen_id"]) == 9:
            truth["defects"] = "old_id_9"
        return Row("data", cells, truth)

    def _vacancies(self, lay: Layout, day: date, commune: str, rows: list[Row]) -> None:
        """Some districts list vacant posts as rows with no name: ingest must quarantine them."""
        if self.rng.random() < 0.04:
            title = self.rng.choice(("PCT_UBND", "CT_HND", "BT_DOAN"))
            name = self.communes[commune]["commune_name"]
            rows.append(
                Row(
                    "data",
                    {"commune": name, "title": self._spell(lay, "title", title), "note": "Khuyết"},
                    {
                        "expected": "quarantined",
                        "reasons": "missing_name",
                        "commune_code": commune,
                        "title_code": title,
                        "defects": "no_name",
                    },
                )
            )

    def _inject(self, lay: Layout, day: date, rows: list[Row]) -> None:
        """The defects a person must look at, placed so that the anchor date's 1,714 cadres all load."""
        rng = self.rng
        data = [r for r in rows if r.kind == "data" and r.truth.get("person_id")]
        if not data:
            return

        def spare(row: Row) -> bool:  # a row whose quarantine loses no calibrated cadre
            return not (day == ANCHOR and row.truth["is_cadre"]) and not row.truth["defects"]

        # An exact repeat (copy-paste): the first copy loads, the repeat is quarantined.
        used: set[int] = set()
        if rng.random() < 0.3:
            src = rng.choice([r for r in data if not r.truth["defects"]])
            used.add(id(src))
            dup = Row(
                "data",
                dict(src.cells),
                {**src.truth, "expected": "quarantined", "reasons": "duplicate_row", "defects": "exact_duplicate"},
            )
            rows.insert(rows.index(src) + 1, dup)
        candidates = [r for r in data if spare(r) and id(r) not in used]
        rng.shuffle(candidates)
        # Two different rows for one person: both wait for a person to resolve them.
        if candidates and rng.random() < 0.25:
            src = candidates.pop()
            other = dict(src.cells)
            upgraded = {"TC": "CC", "SC": "TC", "CQDT": "SC", "CC": "TC", "CN": "TC"}[src.truth["llct"]]
            other["llct"] = self._spell(lay, "llct", upgraded)
            src.truth.update(expected="quarantined", reasons="person_conflict", defects="conflicting_duplicate")
            rows.insert(rows.index(src) + rng.randint(1, 3), Row("data", other, {**src.truth, "llct": upgraded}))
        # A birth year typed 20xx for 19xx.
        if candidates and rng.random() < 0.2:
            src = candidates.pop()
            dob = src.cells["dob"]
            src.cells["dob"] = f"{dob:%d/%m}/{dob.year + 100}"  # typed by hand, as text
            src.truth.update(expected="quarantined", reasons="dob_in_future", defects="future_dob")
        # An impossible date, only where dates are typed as text.
        if candidates and lay.date_style in ("dmy", "dmy_short", "mixed") and rng.random() < 0.5:
            src = candidates.pop()
            src.cells["dob"] = f"31/02/{src.cells['dob'].year}"
            src.truth.update(expected="quarantined", reasons="invalid_date", defects="impossible_date")
        # Someone who is no commune cadre or civil servant (a hamlet head) listed by mistake.
        if rng.random() < 0.15:
            src = rng.choice(data)
            name = rng.choice(("Nguyễn Văn Thôn", "Lê Thị Bản", "Trần Văn Khu", "Phạm Văn Xóm"))
            cells = {
                "stt": src.cells["stt"],
                "full_name": name,
                "commune": src.cells["commune"],
                "dob": date(rng.randint(1960, 1990), rng.randint(1, 12), rng.randint(1, 28)),
                "sex": "Nữ" if " Thị " in name else "Nam",
                "ethnicity": "Kinh",
                # no post of the titles' seed
                "title": rng.choice(("Trưởng thôn", "Công an viên", "Cán bộ không chuyên trách")),
            }
            rows.insert(
                rows.index(src) + 1,
                Row(
                    "data",
                    cells,
                    {
                        "expected": "quarantined",
                        "reasons": "unknown_title",
                        "commune_code": src.truth["commune_code"],
                        "defects": "unknown_title",
                        "full_name": name,
                        "dob": cells["dob"].isoformat(),
                    },
                ),
            )

    def _write_row(self, ws, lay: Layout, row: Row, r: int, fmt) -> None:
        for i, col in enumerate(lay.columns):
            value = row.cells.get(col)
            if value is None or value == "":
                continue
            if col in DATE_FIELDS and isinstance(value, date):
                self._write_date(ws, lay, r, i, value, fmt, row)
            elif col == "citizen_id" and lay.numeric_ids and str(value).isdigit():
                ws.write_number(r, i, int(value), fmt["id"])
                if str(value).startswith("0") and row.truth.get("expected") != "skipped":
                    row.truth["defects"] = _add(row.truth["defects"], "id_lost_leading_zero")
            elif isinstance(value, int):
                ws.write_number(r, i, value, fmt["text"])
            else:
                ws.write_string(r, i, encode(str(value), lay.encoding), fmt["text"])

    def _write_date(self, ws, lay: Layout, r: int, i: int, value: date, fmt, row: Row) -> None:
        style = row.cells.get("_date_style") or lay.date_style
        if style == "excel":
            ws.write_datetime(r, i, datetime(value.year, value.month, value.day), fmt["date"])
            return
        text = value.strftime("%d/%m/%Y") if style == "dmy" else f"{value.day}/{value.month}/{value.year % 100:02d}"
        ws.write_string(r, i, text, fmt["text"])
        if style == "dmy_short" and row.truth.get("expected") == "loaded":
            row.truth["defects"] = _add(row.truth["defects"], "date_two_digit_year")


def _add(existing: str, code: str) -> str:
    parts = [p for p in existing.split(";") if p]
    if code not in parts:
        parts.append(code)
    return ";".join(parts)


def _file_name(d: dict, day: date, style: int) -> str:
    codename = d["codename"]
    if style == 0:
        return f"{d['district_code']}_{codename}_{day.isoformat()}.xlsx"
    if style == 1:
        return f"DS CBCC cap xa {codename.replace('_', ' ').title()} {day:%d.%m.%Y}.xlsx"
    return f"BaoCao_CBCX_{codename.title().replace('_', '')}_{day:%d%m%Y}.xlsx"
