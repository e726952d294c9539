"""A Vietnam-sized sample for performance work: every province's district workbooks and a national roster.

Every unit is real: Quảng Ninh's of 2020 and the 62 other provinces' before July 2025, with their GSO codes
(the national seeds). One reporting date (the anchor), ~700 district workbooks, ~120k cadres, and ~1M
roster rows in consolidated per-province, per-year roster workbooks.
Nothing here is calibrated: it is volume with the same mess, not figures to check.
"""

from __future__ import annotations

import random
import re
import unicodedata
from datetime import date, timedelta
from pathlib import Path

from cadre import reference
from cadre.sample import courses, hr, population
from cadre.sample.population import ANCHOR
from cadre.sample.xlsx import title_block, workbook, write_cell

ROSTER_COLUMNS = ("STT", "Mã lớp", "Họ và tên", "Ngày sinh", "Số CCCD", "Chức danh", "Đơn vị", "Kết quả", "Điểm")


def _ascii(name: str) -> str:
    """ "Tiền Giang" -> "tien giang" (the sample's own, for folder and file names; not the ingest's fold)."""
    plain = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in plain if not unicodedata.combining(ch)).lower()


def _units(provinces: tuple[str, ...] | None) -> tuple[list[dict], list[dict]]:
    """Districts and communes of the whole country before July 2025 (the national seeds, real GSO codes):
    Quảng Ninh's 2020 ones, then the other provinces (those of the codes ``provinces``, all by default).
    Each district's files go to a folder named after its province, as a ministry receives them: ten
    districts are called Châu Thành."""
    home = reference.project_var("province")["code"]
    districts = [dict(d) for d in reference.rows("qn_districts_2020")]
    communes = [dict(c) for c in reference.rows("qn_communes_2020")]
    by_district: dict[str, list[dict]] = {}
    for c in reference.rows("vn_communes_pre2025_07"):
        by_district.setdefault(c["district_code"], []).append(c)
    others = [
        p
        for p in reference.rows("vn_provinces_pre2025_07")
        if p["province_code"] != home and (provinces is None or p["province_code"] in provinces)
    ]
    for province in others:
        folder = _ascii(re.sub(r"^(Tỉnh|Thành phố) ", "", province["province_name"])).title().replace(" ", "_")
        for d in reference.rows("vn_districts_pre2025_07"):
            if d["province_code"] != province["province_code"] or d["district_code"] not in by_district:
                continue
            districts.append(
                {
                    **d,
                    # with its kind: Tiền Giang has a Thị xã and a Huyện Cai Lậy
                    "codename": _ascii(re.sub(r"^Huyện ", "", d["district_name"])).replace(" ", "_"),
                    "province": province["province_name"],
                    "province_folder": folder,
                    "cccd_prefix": province["cccd_prefix"],
                }
            )
            communes += [{**c, "district_name": d["district_name"]} for c in by_district[d["district_code"]]]
    return districts, communes


def generate(out: Path, seed: int, provinces: tuple[str, ...] | None = None) -> dict:
    """Write the national volume; ``provinces`` (GSO codes) limits the other provinces (tests use a few)."""
    from cadre.sample import manifest, person_row, position_rows, write_csv

    out = Path(out)
    rng = random.Random(seed)
    districts, communes = _units(provinces)
    prefixes = [r["cccd_prefix"] for r in reference.rows("cccd_province_codes_63")]
    pop = population.build(rng, communes, prefixes, calibrate=False, dates=(ANCHOR,))
    writer = hr.Writer(rng, pop, out, (ANCHOR,), districts=districts)
    writer.write_all()
    roster_rows, class_rows = _rosters(rng, pop, out, districts)
    truth = out / "truth"
    write_csv(truth / "persons.csv", [person_row(p) for p in pop.persons.values()])
    write_csv(truth / "positions.csv", position_rows(pop))
    write_csv(truth / "hr_files.csv", writer.files)
    write_csv(truth / "hr_rows.csv", writer.rows)
    write_csv(truth / "roster_rows.csv", roster_rows)
    write_csv(truth / "classes.csv", class_rows)
    files = manifest(out)
    write_csv(truth / "manifest.csv", files)
    kinds: dict[str, int] = {}
    for f in files:
        kinds[f["kind"]] = kinds.get(f["kind"], 0) + 1
    cadres = sum(1 for h in pop.holdings(ANCHOR) if h.is_cadre)
    return {
        "out": str(out),
        "scale": "national",
        "files": kinds,
        "districts": len(districts),
        "communes": len(communes),
        "cadres": cadres,
        "hr_rows": len(writer.rows),
        "roster_rows": len(roster_rows),
    }


YEARS = range(2016, 2026)
CLASSES_PER_DISTRICT_YEAR = 4
CATEGORIES = ("BT_CT", "CHU_CHOT", "XD_DANG", "DOAN_THE", "KHAC")


def _rosters(rng: random.Random, pop: population.Population, out: Path, districts: list[dict]) -> tuple[list, list]:
    """Every person in post attends 3-5 classes of their district over 2016-2025 (never one class twice); one
    consolidated roster and one class list per province and year. The truth of both."""
    province_of = {d["district_code"]: d.get("province", "Tỉnh Quảng Ninh") for d in districts}
    commune = {c["commune_code"]: c for c in pop.communes}
    slots = [(year, n) for year in YEARS for n in range(1, CLASSES_PER_DISTRICT_YEAR + 1)]
    by_file: dict[tuple[str, int], list[tuple]] = {}
    classes: dict[str, courses.Klass] = {}
    for h in pop.holdings(ANCHOR):
        c = commune[h.commune_code]
        province = province_of[c["district_code"]]
        for year, n in rng.sample(slots, rng.choice((3, 4, 4, 5, 5))):
            code = f"{year % 100:02d}-{c['district_code']}-{n:02d}"
            if code not in classes:
                classes[code] = _klass(rng, code, year, c["district_name"])
            classes[code].members.append(h.person_id)
            by_file.setdefault((province, year), []).append((pop.persons[h.person_id], h, c, code))
    roster_truth, class_truth = [], []
    for n, ((province, year), members) in enumerate(sorted(by_file.items(), key=lambda kv: (kv[0][0], kv[0][1]))):
        rel = Path("courses") / "rosters_national" / str(year) / f"roster_{n:04d}_{year}.xlsx"
        roster_truth += _roster(rng, out, rel, province, year, members)
        listed = sorted({code for *_, code in members})
        rel = Path("courses") / "classes_national" / str(year) / f"classes_{n:04d}_{year}.xlsx"
        school = f"Trường Chính trị {province}"
        title = f"DANH SÁCH LỚP BỒI DƯỠNG NĂM {year}"
        class_truth += courses.write_class_list(out, rel, [classes[c] for c in listed], title, school)
    return roster_truth, class_truth


def _klass(rng: random.Random, code: str, year: int, district: str) -> courses.Klass:
    start = date(year, rng.randint(1, 11), rng.randint(1, 28))
    category = rng.choice(CATEGORIES)
    name = next(r["label_vi"] for r in reference.rows("course_categories") if r["category_code"] == category)
    end = start + timedelta(days=rng.randint(2, 9))
    return courses.Klass(code, f"{name} ({district})", category, "Huyện", [], start, end, "", district, [])


def _roster(rng: random.Random, out: Path, rel: Path, province: str, year: int, members: list[tuple]) -> list[dict]:
    wb = workbook(out / rel, date(year, 12, 31), province)
    text, day = wb.add_format({}), wb.add_format({"num_format": "dd/mm/yyyy"})
    ws = wb.add_worksheet("Học viên")
    header = title_block(
        ws, [f"TỔNG HỢP HỌC VIÊN BỒI DƯỠNG NĂM {year}", province], len(ROSTER_COLUMNS), wb.add_format({"bold": True})
    )
    for i, name in enumerate(ROSTER_COLUMNS):
        ws.write_string(header, i, name, text)
    titles, truth = hr.spellings()["title"], []
    for i, (p, h, c, klass) in enumerate(members):
        completed = rng.random() < 0.95
        values = (
            i + 1,
            klass,
            p.full_name,
            p.dob,
            p.id_on(ANCHOR) if rng.random() < 0.4 else "",
            rng.choice(titles[h.title_code]),
            c["commune_name"],
            "Hoàn thành" if completed else "Không hoàn thành",
            round(rng.uniform(5, 9.8), 1),
        )
        r = header + 1 + i
        for col, v in enumerate(values):
            write_cell(ws, r, col, v, text, day)
        truth.append(
            {
                "file": rel.as_posix(),
                "sheet": "Học viên",
                "row": r + 1,
                "class_code": klass,
                "person_id": h.person_id,
                "completed": completed,
            }
        )
    wb.close()
    return truth
