"""The people behind the sample: who holds which commune post on each reporting date, and how well trained.

The state on the anchor date (2020-12-30) is built first and calibrated exactly to the workshop report;
earlier dates are derived backwards (people not yet appointed, qualifications not yet earned, cadres
rotated between communes) and later dates forwards (retirements, the 2021 elections, promotions of
civil servants, upgrades). Everything is drawn from one seeded ``random.Random``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from cadre.reference import CADRE_TITLES
from cadre.sample import names

REPORTING_DATES = (date(2019, 12, 31), date(2020, 6, 30), date(2020, 12, 30), date(2021, 12, 31))
ANCHOR = date(2020, 12, 30)

CIVIL_SERVANT_SEATS = (
    ("TRUONG_CA", 1),
    ("CHT_QS", 1),
    ("VP_TK", 2),
    ("DC_XD", 2),
    ("TC_KT", 1),
    ("TP_HT", 2),
    ("VH_XH", 2),
)

# Ordinal scales, low -> high (codes of dbt_project/seeds/reference/level_*.csv).
PROF = ("CQDT", "SC", "TC", "CD", "DH", "THS", "TS")
LLCT = ("CQDT", "SC", "TC", "CC", "CN")  # CN ranks with CC
QLNN = ("CQBD", "CS", "CV", "CVC", "CVCC")

# The report's 2020-12-30 cadre corps (1,714), split into every level so that each printed total holds.
# Printed: 1,536 university+ (179 master's), 148 college/intermediate; LLCT 219 bachelor/advanced,
# 1,448 intermediate and "77" untrained/elementary, which cannot be (1,714 - 219 - 1,448 = 47);
# QLNN 1,552 specialist or principal specialist.
ANCHOR_HEADCOUNT = 1714
ANCHOR_LEVELS = {
    "prof": {"THS": 179, "DH": 1357, "CD": 38, "TC": 110, "SC": 8, "CQDT": 22},
    "llct": {"CC": 176, "CN": 43, "TC": 1448, "SC": 35, "CQDT": 12},
    "qlnn": {"CVC": 161, "CV": 1391, "CS": 57, "CQBD": 105},
}
TITLE_RANK = {
    "BT_DU": 10,
    "CT_UBND": 9,
    "CT_HDND": 9,
    "PBT_DU": 8,
    "PCT_UBND": 7,
    "PCT_HDND": 7,
    "CT_MTTQ": 6,
    "CT_HLHPN": 5,
    "CT_HCCB": 4,
    "CT_HND": 4,
    "BT_DOAN": 4,
}
PROF_FIELDS = (
    "Luật",
    "Kinh tế",
    "Hành chính",
    "Xây dựng Đảng và chính quyền nhà nước",
    "Quản lý đất đai",
    "Kế toán",
    "Nông nghiệp",
    "Sư phạm",
    "Quản trị kinh doanh",
    "Văn hóa",
    "Công nghệ thông tin",
    "Chính trị học",
    "Tài chính - Ngân hàng",
    "Xã hội học",
    "Quân sự cơ sở",
)
IT_LEVELS = ("A", "B", "CB", "C", "NC")
LANG_LEVELS = ("BAC1", "BAC2", "BAC3", "BAC4")


@dataclass
class Person:
    person_id: str
    full_name: str
    sex: str
    dob: date
    ethnicity: str
    cccd: str
    cmnd: str  # old 9-digit ID, "" if the person never had one on file
    id_mode: str  # "cccd" | "cmnd_until_2021" | "cmnd"
    party_date: date | None
    prof_field: str
    van_hoa: str
    phone: str
    home_district: str

    def id_on(self, day: date) -> str:
        """The ID a district would write for this person on ``day``."""
        if self.id_mode == "cmnd" or (self.id_mode == "cmnd_until_2021" and day < date(2021, 7, 1)):
            return self.cmnd
        return self.cccd


@dataclass(frozen=True)
class Holding:
    person_id: str
    commune_code: str
    title_code: str
    seat: int
    prof: str
    llct: str
    qlnn: str
    it: str
    lang: str
    appointed: date

    @property
    def is_cadre(self) -> bool:
        return self.title_code in CADRE_TITLES

    @property
    def slot(self) -> tuple[str, str, int]:
        return (self.commune_code, self.title_code, self.seat)


@dataclass
class Population:
    communes: list[dict]  # rows of qn_communes_2020 (or synthetic ones at national scale)
    persons: dict[str, Person] = field(default_factory=dict)
    states: dict[date, dict[tuple, Holding]] = field(default_factory=dict)

    def holdings(self, day: date) -> list[Holding]:
        order = {c["commune_code"]: i for i, c in enumerate(self.communes)}
        ranks = {t: i for i, t in enumerate(CADRE_TITLES + tuple(t for t, _ in CIVIL_SERVANT_SEATS))}
        return sorted(self.states[day].values(), key=lambda h: (order[h.commune_code], ranks[h.title_code], h.seat))


class _Builder:
    def __init__(self, rng: random.Random, communes: list[dict], cccd_prefixes: list[str]):
        self.rng = rng
        self.pop = Population(communes=communes)
        self.district_of = {c["commune_code"]: c["district_code"] for c in communes}
        self.cccd_prefixes = cccd_prefixes
        self.used_ids: set[str] = set()

    # -- people ------------------------------------------------------------------------------------
    def new_person(self, title: str, commune_code: str, on: date) -> Person:
        rng = self.rng
        sex = "Nữ" if (title == "CT_HLHPN" or rng.random() < (0.22 if title in CADRE_TITLES else 0.45)) else "Nam"
        if title == "CT_HLHPN":
            sex = "Nữ"
        low, high = {"BT_DOAN": (24, 34), "CT_HCCB": (48, 59)}.get(title, (28, 57))
        age = rng.randint(low, high)
        dob = date(on.year - age, 1, 1) + timedelta(days=rng.randrange(365))
        district = self.district_of[commune_code]
        prefix = "022" if rng.random() < 0.85 else rng.choice(self.cccd_prefixes)
        century_sex = ("0" if sex == "Nam" else "1") if dob.year < 2000 else ("2" if sex == "Nam" else "3")
        cccd = self._unique(lambda: f"{prefix}{century_sex}{dob.year % 100:02d}{rng.randrange(10**6):06d}")
        roll = rng.random()
        id_mode = "cccd" if roll < 0.88 else ("cmnd_until_2021" if roll < 0.96 else "cmnd")
        cmnd = self._unique(lambda: f"10{rng.randrange(10**7):07d}") if id_mode != "cccd" else ""
        party = None
        if title in CADRE_TITLES or rng.random() < 0.6:
            party = dob + timedelta(days=365 * rng.randint(20, 30) + rng.randrange(365))
            # before the first reporting date: the person may be listed on every date
            party = min(party, REPORTING_DATES[0] - timedelta(days=30))
        person = Person(
            person_id=f"P{len(self.pop.persons) + 1:06d}",
            full_name=names.full_name(rng, sex),
            sex=sex,
            dob=dob,
            ethnicity=names.ethnicity(rng, district),
            cccd=cccd,
            cmnd=cmnd,
            id_mode=id_mode,
            party_date=party,
            prof_field=rng.choice(PROF_FIELDS),
            van_hoa="THPT" if rng.random() < 0.97 else "THCS",
            phone=self._unique(lambda: f"09{rng.randrange(10**8):08d}"),
            home_district=district,
        )
        self.pop.persons[person.person_id] = person
        return person

    def _unique(self, make) -> str:
        while True:
            value = make()
            if value not in self.used_ids:
                self.used_ids.add(value)
                return value

    def random_levels(self, cadre: bool) -> dict[str, str]:
        rng = self.rng
        prof = rng.choices(PROF, weights=(2, 2, 20, 8, 62, 6, 0) if not cadre else (1, 1, 6, 2, 80, 10, 0))[0]
        return {
            "prof": prof,
            "llct": rng.choices(LLCT, weights=(25, 40, 30, 4, 1) if not cadre else (1, 2, 85, 10, 2))[0],
            "qlnn": rng.choices(QLNN, weights=(45, 20, 33, 2, 0) if not cadre else (6, 3, 81, 10, 0))[0],
            "it": rng.choices((*IT_LEVELS, ""), weights=(15, 25, 40, 5, 5, 10))[0],
            "lang": rng.choices((*LANG_LEVELS, ""), weights=(10, 35, 25, 5, 25))[0],
        }

    def hold(self, person: Person, slot: tuple, levels: dict, appointed: date) -> Holding:
        commune, title, seat = slot
        return Holding(person.person_id, commune, title, seat, appointed=appointed, **levels)

    # -- slots ---------------------------------------------------------------------------------------
    def slots(self) -> tuple[list[tuple], list[tuple]]:
        cadre_slots, cs_slots = [], []
        for c in self.pop.communes:
            code = c["commune_code"]
            for title in CADRE_TITLES:
                if title == "CT_HND" and c.get("commune_type") == "phường" and self.rng.random() < 0.6:
                    continue  # no Farmers' Union in most urban wards
                seats = 2 if title == "PCT_UBND" and self.rng.random() < 0.4 else 1
                cadre_slots += [(code, title, s) for s in range(1, seats + 1)]
            for title, seats in CIVIL_SERVANT_SEATS:
                cs_slots += [(code, title, s) for s in range(1, seats + 1)]
        return cadre_slots, cs_slots


def _calibrated_levels(rng: random.Random, holdings: list[tuple], counts: dict[str, dict[str, int]]):
    """Assign exactly ``counts`` of each level, higher levels going (noisily) to higher-ranked titles."""
    out: list[dict[str, str]] = [{} for _ in holdings]
    for dim, scale in (("prof", PROF), ("llct", LLCT), ("qlnn", QLNN)):
        pool = [code for code in reversed(scale) for _ in range(counts[dim].get(code, 0))]
        assert len(pool) == len(holdings), (dim, len(pool), len(holdings))
        order = sorted(range(len(holdings)), key=lambda i: -(TITLE_RANK[holdings[i][1]] + rng.gauss(0, 4)))
        for i, code in zip(order, pool, strict=False):
            out[i][dim] = code
    return out


UP = {
    "prof": {"CD": "DH", "DH": "THS", "TC": "CD"},
    "llct": {"CQDT": "SC", "SC": "TC", "TC": "CC"},
    "qlnn": {"CQBD": "CS", "CS": "CV", "CV": "CVC"},
}
DOWN = {dim: {v: k for k, v in moves.items()} for dim, moves in UP.items()}


def _shift(rng: random.Random, h: Holding, moves: dict) -> Holding:
    dims = [d for d in ("llct", "qlnn", "prof") if getattr(h, d) in moves[d]]
    if not dims:
        return h
    dim = rng.choice(dims)
    return replace(h, **{dim: moves[dim][getattr(h, dim)]})


def build(
    rng: random.Random,
    communes: list[dict],
    cccd_prefixes: list[str],
    calibrate: bool = True,
    dates: tuple[date, ...] = REPORTING_DATES,
) -> Population:
    """The population on each of ``dates`` (the anchor always; calibrated to the report when ``calibrate``)."""
    b = _Builder(rng, communes, cccd_prefixes)
    cadre_slots, cs_slots = b.slots()
    # Anchor date: exactly 1,714 cadres (province scale) or ~88% of cadre seats filled.
    n_cadres = ANCHOR_HEADCOUNT if calibrate else round(len(cadre_slots) * 0.88)
    if n_cadres > len(cadre_slots):
        raise ValueError(f"only {len(cadre_slots)} cadre seats for {n_cadres} cadres")
    filled = sorted(rng.sample(range(len(cadre_slots)), n_cadres))
    anchor_slots = [cadre_slots[i] for i in filled]
    if calibrate:
        levels = _calibrated_levels(rng, anchor_slots, ANCHOR_LEVELS)
    else:
        levels = [b.random_levels(True) for _ in anchor_slots]
    state: dict[tuple, Holding] = {}
    for slot, lv in zip(anchor_slots, levels, strict=False):
        person = b.new_person(slot[1], slot[0], ANCHOR)
        extra = b.random_levels(True)
        lv = {**lv, "it": extra["it"], "lang": extra["lang"]}
        state[slot] = b.hold(person, slot, lv, _appointed_before(rng, ANCHOR, person))
    for slot in cs_slots:
        if rng.random() < 0.9:
            person = b.new_person(slot[1], slot[0], ANCHOR)
            state[slot] = b.hold(person, slot, b.random_levels(False), _appointed_before(rng, ANCHOR, person))
    pop = b.pop
    pop.states[ANCHOR] = state
    dates = tuple(sorted({*dates, ANCHOR}))
    anchor_i = dates.index(ANCHOR)
    for i in range(anchor_i - 1, -1, -1):
        pop.states[dates[i]] = _step(
            b, pop.states[dates[i + 1]], dates[i], dates[i + 1], backwards=True, all_slots=cadre_slots + cs_slots
        )
    for i in range(anchor_i + 1, len(dates)):
        pop.states[dates[i]] = _step(
            b, pop.states[dates[i - 1]], dates[i], dates[i - 1], backwards=False, all_slots=cadre_slots + cs_slots
        )
    return pop


def _appointed_before(rng: random.Random, on: date, person: Person) -> date:
    earliest = max(date(person.dob.year + 23, 1, 1), date(2005, 1, 1))
    span = max((on - earliest).days, 30)
    return earliest + timedelta(days=rng.randrange(span))


def _between(rng: random.Random, a: date, b: date) -> date:
    lo, hi = min(a, b), max(a, b)
    return lo + timedelta(days=1 + rng.randrange(max((hi - lo).days - 1, 1)))


def _step(
    b: _Builder, known: dict[tuple, Holding], day: date, known_day: date, *, backwards: bool, all_slots: list[tuple]
) -> dict[tuple, Holding]:
    """The state on ``day`` from the state on ``known_day`` (earlier when ``backwards``)."""
    rng = b.rng
    turnover = 0.05 if backwards else 0.12  # the 2021 elections renewed many posts
    moved = _between(rng, day, known_day)
    state: dict[tuple, Holding] = {}
    to_fill: list[tuple] = []
    for slot in all_slots:
        h = known.get(slot)
        # Going back, a holder appointed after `day` was not yet in post: a predecessor was (or nobody).
        if h is not None and (not backwards or h.appointed <= day) and rng.random() > turnover:
            state[slot] = _shift(rng, h, DOWN if backwards else UP) if rng.random() < 0.07 else h
        elif rng.random() >= (0.25 if h is not None else 0.6):
            to_fill.append(slot)  # otherwise the seat is vacant on `day`
    for slot in to_fill:
        if backwards:
            person = b.new_person(slot[1], slot[0], day)  # someone who left before `known_day`
            levels = b.random_levels(slot[1] in CADRE_TITLES)
            state[slot] = b.hold(person, slot, levels, _appointed_before(rng, day, person))
        else:
            state[slot] = _appoint(b, known, state, slot, day, moved)
    _rotate(rng, state, None if backwards else moved)
    return state


def _appoint(b: _Builder, known: dict, state: dict, slot: tuple, day: date, moved: date) -> Holding:
    """A new holder for ``slot``: often a civil servant of the same commune is promoted into a cadre post."""
    rng = b.rng
    if slot[1] in CADRE_TITLES and rng.random() < 0.3:
        candidates = [
            s
            for s, h in state.items()
            if s[0] == slot[0] and s[1] not in CADRE_TITLES and h.person_id == known.get(s, h).person_id
        ]
        if candidates:
            source = rng.choice(sorted(candidates))
            promoted = state.pop(source)
            return replace(promoted, commune_code=slot[0], title_code=slot[1], seat=slot[2], appointed=moved)
    person = b.new_person(slot[1], slot[0], day)
    return b.hold(person, slot, b.random_levels(slot[1] in CADRE_TITLES), moved)


def _rotate(rng: random.Random, state: dict[tuple, Holding], moved: date | None) -> None:
    """Rotate some cadres (luân chuyển): two holders of the same title swap communes, often across districts.

    ``moved`` is the date of the rotation when stepping forwards; stepping backwards (``None``) the swap
    happened after this state, so the appointment dates stay as they were.
    """
    by_title: dict[str, list[tuple]] = {}
    for slot in sorted(state):
        if slot[1] in CADRE_TITLES:
            by_title.setdefault(slot[1], []).append(slot)
    for title in sorted(by_title):
        slots = by_title[title]
        rng.shuffle(slots)
        n_pairs = max(1, round(len(slots) * 0.01))
        for a, b in zip(slots[0 : 2 * n_pairs : 2], slots[1 : 2 * n_pairs : 2], strict=False):
            ha, hb = state[a], state[b]
            state[a] = replace(hb, commune_code=a[0], seat=a[2], appointed=moved or hb.appointed)
            state[b] = replace(ha, commune_code=b[0], seat=b[2], appointed=moved or ha.appointed)
