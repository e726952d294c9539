"""A Vietnam-sized sample for performance work: every province's district workbooks and a national roster.

Quảng Ninh keeps its real districts and communes; the 62 other provinces get synthetic districts and
communes (real province names and citizen-ID prefixes). One reporting date (the anchor), ~700 district
workbooks, ~120k cadres, and ~1M roster rows in consolidated per-province, per-year roster workbooks.
Nothing here is calibrated: it is volume with the same mess, not figures to check.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from cadre import reference
from cadre.sample import hr, population
from cadre.sample.population import ANCHOR
from cadre.sample.xlsx import title_block, workbook, write_cell

SYLLABLES = (
    "An",
    "Bình",
    "Cẩm",
    "Đông",
    "Hà",
    "Hòa",
    "Hưng",
    "Kim",
    "Lạc",
    "Long",
    "Minh",
    "Nam",
    "Ninh",
    "Phú",
    "Phúc",
    "Quang",
    "Sơn",
    "Tân",
    "Thanh",
    "Thạch",
    "Thuận",
    "Tiến",
    "Trung",
    "Vĩnh",
    "Xuân",
    "Yên",
    "Hải",
    "Lâm",
    "Mỹ",
    "Nghĩa",
    "Phong",
    "Thái",
    "Thịnh",
    "Thủy",
    "Trường",
    "Văn",
    "Việt",
    "Hồng",
    "Đức",
    "Lợi",
)
ROSTER_COLUMNS = ("STT", "Mã lớp", "Họ và tên", "Ngày sinh", "Số CCCD", "Chức danh", "Đơn vị", "Kết quả", "Điểm")


def _units(rng: random.Random, provinces: int | None) -> tuple[list[dict], list[dict]]:
    """Districts and communes of the whole country: Quảng Ninh's real ones, synthetic ones elsewhere."""
    districts = [dict(d) for d in reference.rows("qn_districts_2020")]
    communes = [dict(c) for c in reference.rows("qn_communes_2020")]
    district_code, commune_code = 300, 10000
    others = [p for p in reference.rows("cccd_province_codes_63") if p["cccd_prefix"] != "022"]
    for province in others[:provinces]:
        used: set[str] = set()
        for _ in range(rng.randint(8, 14)):
            name = _place(rng, used)
            kind = rng.choice(("huyện", "huyện", "huyện", "thị xã", "thành phố"))
            d = {
                "district_code": str(district_code),
                "district_name": f"{kind.capitalize()} {name}",
                "district_type": kind,
                "codename": f"d{district_code}",
                "province": province["province_name_pre2025"],
                "cccd_prefix": province["cccd_prefix"],
            }
            districts.append(d)
            for _ in range(rng.randint(12, 22)):
                ctype = rng.choice(("xã", "xã", "xã", "phường", "thị trấn"))
                communes.append(
                    {
                        "commune_code": f"{commune_code:05d}",
                        "commune_name": f"{ctype.capitalize()} {_place(rng, used)}",
                        "commune_type": ctype,
                        "district_code": d["district_code"],
                        "district_name": d["district_name"],
                    }
                )
                commune_code += 1
            district_code += 1
    return districts, communes


def _place(rng: random.Random, used: set[str]) -> str:
    while True:
        name = f"{rng.choice(SYLLABLES)} {rng.choice(SYLLABLES).lower()}".title()
        if name not in used and name.split()[0] != name.split()[1]:
            used.add(name)
            return name


def generate(out: Path, seed: int, provinces: int | None = None) -> dict:
    """Write the national volume; ``provinces`` limits the synthetic provinces (tests use a few)."""
    from cadre.sample import manifest, person_row, position_rows, write_csv

    out = Path(out)
    rng = random.Random(seed)
    districts, communes = _units(rng, provinces)
    prefixes = [r["cccd_prefix"] for r in reference.rows("cccd_province_codes_63")]
    pop = population.build(rng, communes, prefixes, calibrate=False, dates=(ANCHOR,))
    writer = hr.Writer(rng, pop, out, (ANCHOR,), districts=districts)
    writer.write_all()
    roster_rows = _rosters(rng, pop, out, districts)
    truth = out / "truth"
    write_csv(truth / "persons.csv", [person_row(p) for p in pop.persons.values()])
    write_csv(truth / "positions.csv", position_rows(pop))
    write_csv(truth / "hr_files.csv", writer.files)
    write_csv(truth / "hr_rows.csv", writer.rows)
    write_csv(truth / "roster_rows.csv", roster_rows)
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


def _rosters(rng: random.Random, pop: population.Population, out: Path, districts: list[dict]) -> list[dict]:
    """Every person in post attends ~4 classes over 2016-2025; one consolidated roster per province and year."""
    province_of = {d["district_code"]: d.get("province", "Tỉnh Quảng Ninh") for d in districts}
    commune = {c["commune_code"]: c for c in pop.communes}
    titles = hr.spellings()["title"]
    by_file: dict[tuple[str, int], list[tuple]] = {}
    for h in pop.holdings(ANCHOR):
        c = commune[h.commune_code]
        province = province_of[c["district_code"]]
        for _ in range(rng.choice((3, 4, 4, 5, 5))):
            year = rng.randint(2016, 2025)
            by_file.setdefault((province, year), []).append((h, c))
    truth = []
    for n, ((province, year), members) in enumerate(sorted(by_file.items(), key=lambda kv: (kv[0][0], kv[0][1]))):
        rel = Path("courses") / "rosters_national" / str(year) / f"roster_{n:04d}_{year}.xlsx"
        wb = workbook(out / rel, date(year, 12, 31), province)
        text, day = wb.add_format({}), wb.add_format({"num_format": "dd/mm/yyyy"})
        ws = wb.add_worksheet("Học viên")
        header = title_block(
            ws,
            [f"TỔNG HỢP HỌC VIÊN BỒI DƯỠNG NĂM {year}", province],
            len(ROSTER_COLUMNS),
            wb.add_format({"bold": True}),
        )
        for i, name in enumerate(ROSTER_COLUMNS):
            ws.write_string(header, i, name, text)
        for i, (h, c) in enumerate(members):
            p = pop.persons[h.person_id]
            klass = f"{year % 100:02d}-{c['district_code']}-{rng.randint(1, 40):02d}"
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
