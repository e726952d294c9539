"""Course records of the training school: the classes it ran and who sat in them.

2016-2020: 1,612 participations in five categories (108 + 171 + 209 + 351 + 773), all by the 501 cadres
the survey later asked (about three trainings each in five years). 2022-2025: the programme's classes,
one per target group and cohort, 5 days over 8 topics (4 common + 4 of the group), with attendance per
topic. Rosters name people the way rosters do: name, birth date, unit, sometimes an ID; never our keys.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from cadre import reference
from cadre.sample.hr import old_tone_style, spellings
from cadre.sample.population import ANCHOR, REPORTING_DATES, Population
from cadre.sample.xlsx import title_block, workbook, write_cell

SCHOOL = "Trường Đào tạo cán bộ Nguyễn Văn Cừ"
ELIGIBLE = {
    "BT_CT": ("BT_DU", "PBT_DU", "CT_UBND", "PCT_UBND"),
    "CHU_CHOT": ("BT_DU", "PBT_DU", "CT_HDND", "PCT_HDND", "CT_UBND", "PCT_UBND", "CT_MTTQ"),
    "XD_DANG": ("BT_DU", "PBT_DU", "CT_MTTQ", "BT_DOAN", "CT_HLHPN", "CT_HND", "CT_HCCB", "VP_TK"),
    "DOAN_THE": ("CT_MTTQ", "BT_DOAN", "CT_HLHPN", "CT_HND", "CT_HCCB"),
}


@dataclass
class Klass:
    code: str
    name: str
    category: str
    level: str
    topics: list[str]
    start: date
    end: date
    target_group: str
    place: str
    members: list[str]


def _split(total: int, size: int) -> list[int]:
    n = max(1, round(total / size))
    return [total // n + (1 if i < total % n else 0) for i in range(n)]


def legacy_classes(rng: random.Random, pop: Population, respondents: list[str]) -> list[Klass]:
    """The 2016-2020 classes: sizes add up to each category's printed count; every respondent sits in one or more."""
    title_of = _title_at(pop, REPORTING_DATES[0])
    quota = dict.fromkeys(respondents, 1)
    for p in rng.choices(
        respondents,
        k=sum(int(c["participations_2016_2020_printed"]) for c in reference.rows("course_categories"))
        - len(respondents),
    ):
        quota[p] += 1
    classes: list[Klass] = []
    for cat in reference.rows("course_categories"):
        code = cat["category_code"]
        for i, size in enumerate(_split(int(cat["participations_2016_2020_printed"]), 38)):
            year = 2016 + (i * 5) // max(1, len(_split(int(cat["participations_2016_2020_printed"]), 38)))
            start = date(year, rng.randint(3, 11), rng.randint(1, 20))
            days = 5 if code in ("BT_CT", "CHU_CHOT") else rng.choice((3, 4, 5))
            pool = [p for p in respondents if quota[p] > 0]
            weights = [quota[p] * (4 if title_of.get(p) in ELIGIBLE.get(code, ()) else 1) for p in pool]
            members = _sample(rng, pool, weights, size)
            if len(members) < size:  # quotas ran dry: someone takes one more training than planned
                others = [p for p in respondents if p not in set(members)]
                members += rng.sample(others, size - len(members))
            for p in members:
                quota[p] = max(0, quota[p] - 1)
            level = "Tỉnh" if code in ("BT_CT", "CHU_CHOT") or rng.random() < 0.5 else "Huyện"
            classes.append(
                Klass(
                    f"BD{year % 100:02d}-{code}-{i + 1:02d}",
                    f"Lớp {cat['label_vi'].lower()} khóa {i + 1}",
                    code,
                    level,
                    [],
                    start,
                    start + timedelta(days=days - 1),
                    "",
                    SCHOOL if level == "Tỉnh" else "Trung tâm Chính trị cấp huyện",
                    members,
                )
            )
    _repair(rng, classes, respondents)
    return classes


def _sample(rng: random.Random, pool: list[str], weights: list[float], k: int) -> list[str]:
    """k distinct items, drawn with the given weights (Efraimidis-Spirakis keys)."""
    keyed = sorted(zip(pool, weights, strict=False), key=lambda pw: -(rng.random() ** (1.0 / pw[1])))
    chosen = [p for p, _ in keyed[:k]]
    return chosen


def _repair(rng: random.Random, classes: list[Klass], respondents: list[str]) -> None:
    """Everyone surveyed took part at least once: swap a missing one in for someone with several trainings."""
    counts: dict[str, int] = dict.fromkeys(respondents, 0)
    for k in classes:
        for p in k.members:
            counts[p] += 1
    for p in [p for p in respondents if counts[p] == 0]:
        for k in classes:
            swap = next((m for m in k.members if counts[m] > 1), None)
            if swap and p not in k.members:
                k.members[k.members.index(swap)] = p
                counts[swap] -= 1
                counts[p] += 1
                break


def programme_classes(rng: random.Random, pop: Population, externals: Externals) -> list[Klass]:
    """The 2022-2025 programme: for each target group, cohorts of ~45 over four years."""
    groups = {g["target_group"]: g for g in reference.rows("target_groups")}
    topics = reference.rows("programme_topics")
    last = REPORTING_DATES[-1]
    classes = []
    for code, g in groups.items():
        titles = g["title_codes"].split(";")
        eligible = sorted(h.person_id for h in pop.holdings(last) if h.title_code in titles)
        attending = [p for p in eligible if rng.random() < 0.75]
        rng.shuffle(attending)
        attending += externals.make(rng, max(1, len(attending) // 30), titles)
        sizes = _split(len(attending), 45)
        group_topics = [t["topic_code"] for t in topics if t["target_group"] in ("ALL", code)]
        for i, size in enumerate(sizes):
            year = 2022 + (i * 4) // len(sizes)
            start = date(year, rng.randint(3, 10), rng.randint(1, 20))
            members, attending = attending[:size], attending[size:]
            classes.append(
                Klass(
                    f"CT{year % 100:02d}-{code}-{i + 1:02d}",
                    f"Bồi dưỡng cán bộ cấp xã giai đoạn 2022-2025: {g['label_vi']} (khóa {i + 1})",
                    "CT_2022_2025",
                    "Tỉnh",
                    group_topics,
                    start,
                    start + timedelta(days=4),
                    code,
                    SCHOOL,
                    members,
                )
            )
    return classes


class Externals:
    """People on programme rosters who are in no HR workbook (appointed after the last reporting date)."""

    def __init__(self, pop: Population):
        self.pop = pop
        self.people: dict[str, dict] = {}

    def make(self, rng: random.Random, n: int, titles: list[str]) -> list[str]:
        from cadre.sample import names

        out = []
        for _ in range(n):
            sex = rng.choice(("Nam", "Nữ"))
            pid = f"X{len(self.people) + 1:05d}"
            commune = rng.choice(self.pop.communes)
            self.people[pid] = {
                "person_id": pid,
                "full_name": names.full_name(rng, sex),
                "sex": sex,
                "dob": date(rng.randint(1970, 1995), rng.randint(1, 12), rng.randint(1, 28)),
                "commune_code": commune["commune_code"],
                "title_code": rng.choice(titles),
            }
            out.append(pid)
        return out


def _title_at(pop: Population, day: date) -> dict[str, str]:
    return {h.person_id: h.title_code for h in pop.holdings(day)}


class RosterWriter:
    def __init__(self, rng: random.Random, pop: Population, out: Path, externals: Externals):
        self.rng = rng
        self.pop = pop
        self.out = out
        self.externals = externals
        self.spell = spellings()["title"]
        self.communes = {c["commune_code"]: c for c in pop.communes}
        self.rows: list[dict] = []
        self.class_rows: list[dict] = []
        self.where = self._index()

    def _index(self) -> dict[str, list[tuple[date, str, str]]]:
        where: dict[str, list[tuple[date, str, str]]] = {}
        for day in REPORTING_DATES:
            for h in self.pop.holdings(day):
                where.setdefault(h.person_id, []).append((day, h.commune_code, h.title_code))
        return where

    def _at(self, person_id: str, on: date) -> tuple[str, str]:
        if person_id in self.externals.people:
            x = self.externals.people[person_id]
            return x["commune_code"], x["title_code"]
        seen = self.where[person_id]
        before = [s for s in seen if s[0] <= on]
        _, commune, title = before[-1] if before else seen[0]
        return commune, title

    def write_classes(self, classes: list[Klass], rel: Path, title: str) -> None:
        self.class_rows += write_class_list(self.out, rel, classes, title)

    def write_roster(self, k: Klass) -> None:
        rng = self.rng
        rel = Path("courses") / "rosters" / str(k.start.year) / f"{k.code}.xlsx"
        template = "C" if k.topics else ("A" if k.start.year <= 2018 else "B")
        upper = template == "A" and rng.random() < 0.35
        wb = workbook(self.out / rel, k.end, SCHOOL)
        text, day = wb.add_format({"font_name": "Times New Roman"}), wb.add_format({"num_format": "dd/mm/yyyy"})
        head = wb.add_format({"bold": True, "border": 1, "text_wrap": True, "align": "center"})
        ws = wb.add_worksheet("Học viên")
        cols = {
            "A": ["STT", "Họ và tên", "Ngày sinh", "Chức vụ", "Đơn vị", "Kết quả", "Ghi chú"],
            "B": [
                "STT",
                "Họ và tên",
                "Ngày sinh",
                "Số CCCD/CMND",
                "Chức danh",
                "Xã, phường, thị trấn",
                "Huyện, thị xã, thành phố",
                "Điểm",
                "Xếp loại",
            ],
            "C": [
                "STT",
                "Họ và tên",
                "Ngày sinh",
                "Số CCCD",
                "Chức danh",
                "Đơn vị",
                *[f"CĐ {t}" for t in k.topics],
                "Điểm TB",
                "Kết quả",
            ],
        }[template]
        header = title_block(
            ws,
            [
                SCHOOL.upper(),
                "DANH SÁCH HỌC VIÊN",
                k.name,
                f"Mã lớp: {k.code}",
                f"Thời gian: {k.start:%d/%m/%Y} - {k.end:%d/%m/%Y}",
            ],
            len(cols),
            wb.add_format({"bold": True, "align": "center"}),
        )
        for c, name in enumerate(cols):
            ws.write_string(header, c, name, head)
        for i, pid in enumerate(k.members):
            r = header + 1 + i
            person = self.pop.persons.get(pid)
            ext = self.externals.people.get(pid)
            full_name = person.full_name if person else ext["full_name"]
            dob = person.dob if person else ext["dob"]
            commune_code, title = self._at(pid, k.start)
            commune = self.communes[commune_code]
            written_name = full_name.upper() if upper else full_name
            if rng.random() < 0.15:
                written_name = old_tone_style(written_name)
            if rng.random() < 0.05:
                written_name = written_name.replace(" ", "  ", 1)
            unit = commune["commune_name"]
            if rng.random() < 0.4:
                unit = re.sub(r"^(Xã|Phường|Thị trấn)\s+", "", unit)
            if template == "A" and rng.random() < 0.5:
                unit = f"{unit}, {commune['district_name']}"
            dob_cell = dob.strftime("%d/%m/%Y") if template == "A" else dob
            pid_text = ""
            if person and template != "A" and rng.random() < 0.35:
                pid_text = person.id_on(k.start)
            completed = rng.random() < 0.96
            score = round(rng.uniform(6.5, 9.8) if completed else rng.uniform(3.0, 4.9), 1)
            missing: list[str] = []
            if template == "C" and rng.random() < 0.12:
                missing = sorted(rng.sample(k.topics, rng.randint(1, 3)))
                completed = False
            grade = "Giỏi" if score >= 8 else ("Khá" if score >= 6.5 else ("Trung bình" if score >= 5 else "Không đạt"))
            values = {
                "STT": i + 1,
                "Họ và tên": written_name,
                "Ngày sinh": dob_cell,
                "Chức vụ": self._title(title),
                "Chức danh": self._title(title),
                "Đơn vị": unit,
                "Xã, phường, thị trấn": unit,
                "Huyện, thị xã, thành phố": commune["district_name"],
                "Số CCCD/CMND": pid_text,
                "Số CCCD": pid_text,
                "Kết quả": "Hoàn thành" if completed else "Không hoàn thành",
                "Điểm": score,
                "Điểm TB": score,
                "Xếp loại": grade,
                "Ghi chú": "",
            }
            for t in k.topics:
                values[f"CĐ {t}"] = "" if t in missing else "x"
            for c, name in enumerate(cols):
                write_cell(ws, r, c, values[name], text, day)
            self.rows.append(
                {
                    "file": rel.as_posix(),
                    "sheet": "Học viên",
                    "row": r + 1,
                    "class_code": k.code,
                    "person_id": pid,
                    "in_hr": person is not None,
                    "full_name": full_name,
                    "dob": dob.isoformat(),
                    "commune_code": commune_code,
                    "title_code": title,
                    "completed": completed,
                    "score": score,
                    "citizen_id": pid_text,
                    "topics_completed": ";".join(t for t in k.topics if t not in missing),
                }
            )
        wb.close()

    def _title(self, code: str) -> str:
        options = self.spell[code]
        return options[0] if self.rng.random() < 0.6 else self.rng.choice(options)


def respondents_of(rng: random.Random, pop: Population, n_communes: int = 51, n_people: int = 501) -> list[str]:
    """The surveyed: 501 people in post on the anchor date, in 51 communes spread over all 13 districts."""
    by_district: dict[str, list[str]] = {}
    for c in pop.communes:
        by_district.setdefault(c["district_code"], []).append(c["commune_code"])
    chosen = [rng.choice(v) for _, v in sorted(by_district.items())]
    rest = sorted({c["commune_code"] for c in pop.communes} - set(chosen))
    chosen += rng.sample(rest, n_communes - len(chosen))
    people = sorted(h.person_id for h in pop.holdings(ANCHOR) if h.commune_code in set(chosen))
    return sorted(rng.sample(people, n_people))


def write_class_list(out: Path, rel: Path, classes: list[Klass], title: str, school: str = SCHOOL) -> list[dict]:
    """A class list (danh sách lớp) of a training school at ``out / rel``; its rows as the truth knows them."""
    truth = []
    wb = workbook(out / rel, max(k.end for k in classes), school)
    text, day = wb.add_format({"font_name": "Times New Roman"}), wb.add_format({"num_format": "dd/mm/yyyy"})
    head = wb.add_format({"bold": True, "border": 1, "text_wrap": True})
    ws = wb.add_worksheet("Danh sách lớp")
    header = title_block(ws, [school.upper(), title], 10, wb.add_format({"bold": True, "align": "center"}))
    cols = [
        "Mã lớp",
        "Tên lớp",
        "Loại lớp",
        "Cấp tổ chức",
        "Chuyên đề",
        "Từ ngày",
        "Đến ngày",
        "Đối tượng",
        "Địa điểm",
        "Số học viên",
    ]
    for c, name in enumerate(cols):
        ws.write_string(header, c, name, head)
    for i, k in enumerate(classes):
        r = header + 1 + i
        values = [
            k.code,
            k.name,
            k.category,
            k.level,
            ";".join(k.topics),
            k.start,
            k.end,
            k.target_group,
            k.place,
            len(k.members),
        ]
        for c, v in enumerate(values):
            write_cell(ws, r, c, v, text, day)
        truth.append(
            {
                "file": rel.as_posix(),
                "sheet": "Danh sách lớp",
                "row": r + 1,
                "class_code": k.code,
                "category": k.category,
                "level": k.level,
                "topics": ";".join(k.topics),
                "start_date": k.start.isoformat(),
                "end_date": k.end.isoformat(),
                "target_group": k.target_group,
                "participants": len(k.members),
            }
        )
    wb.close()
    return truth
