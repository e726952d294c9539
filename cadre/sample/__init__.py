"""The sample province: what Quảng Ninh's 13 districts and its training school would send, with ground truth.

``generate(out, seed)`` writes, deterministically (same seed, same bytes):

- ``hr/<reporting date>/*.xlsx``: one workbook per district per reporting date, each district in its own
  layout, with the mess real files have (see ``truth/README.md``);
- ``courses/classes/*.xlsx`` and ``courses/rosters/<year>/*.xlsx``: the training school's classes and rosters;
- ``surveys/*.csv``: the 2021 training survey;
- ``truth/``: who is behind every row, every injected defect, and the figures a warehouse must compute.
"""

from __future__ import annotations

import csv
import hashlib
import random
from collections import Counter
from dataclasses import asdict
from pathlib import Path

from cadre import reference
from cadre.sample import courses, hr, population, survey
from cadre.sample.population import ANCHOR, REPORTING_DATES

KINDS = ("hr", "courses", "surveys")


def generate(out: Path, seed: int = 2022, scale: str = "province") -> dict:
    """Write the sample under ``out`` and return a summary (files and rows per kind, headline figures)."""
    if scale != "province":
        from cadre.sample import national

        return national.generate(out, seed)
    out = Path(out)
    rng = random.Random(seed)
    communes = [dict(r) for r in reference.rows("qn_communes_2020")]
    prefixes = [r["cccd_prefix"] for r in reference.rows("cccd_province_codes_63")]
    pop = population.build(rng, communes, prefixes)

    hr_writer = hr.Writer(rng, pop, out, REPORTING_DATES)
    hr_writer.write_all()

    externals = courses.Externals(pop)
    respondents = courses.respondents_of(rng, pop)
    legacy = courses.legacy_classes(rng, pop, respondents)
    programme = courses.programme_classes(rng, pop, externals)
    rosters = courses.RosterWriter(rng, pop, out, externals)
    rosters.write_classes(
        legacy,
        Path("courses/classes/DS_lop_boi_duong_2016_2020.xlsx"),
        "DANH SÁCH CÁC LỚP BỒI DƯỠNG CÁN BỘ CẤP XÃ GIAI ĐOẠN 2016 - 2020",
    )
    rosters.write_classes(
        programme,
        Path("courses/classes/Chuong_trinh_boi_duong_2022_2025.xlsx"),
        "CÁC LỚP CHƯƠNG TRÌNH BỒI DƯỠNG CÁN BỘ CẤP XÃ GIAI ĐOẠN 2022 - 2025",
    )
    for k in legacy + programme:
        rosters.write_roster(k)
    trainings = Counter(p for k in legacy for p in k.members)
    survey_rows = survey.write(rng, pop, out, respondents, trainings)

    truth = out / "truth"
    figures = _figures(pop, legacy, survey_rows)
    write_csv(truth / "persons.csv", [person_row(p) for p in pop.persons.values()])
    write_csv(truth / "positions.csv", position_rows(pop))
    write_csv(truth / "hr_files.csv", hr_writer.files)
    write_csv(truth / "hr_rows.csv", hr_writer.rows)
    write_csv(truth / "classes.csv", rosters.class_rows)
    write_csv(truth / "roster_rows.csv", rosters.rows)
    write_csv(truth / "external_persons.csv", [{**x, "dob": x["dob"].isoformat()} for x in externals.people.values()])
    write_csv(truth / "survey_rows.csv", survey_rows)
    write_csv(truth / "figures.csv", figures)
    files = manifest(out)
    write_csv(truth / "manifest.csv", files)
    return _summary(out, files, hr_writer.rows, figures)


# -- truth tables -----------------------------------------------------------------------------------
def person_row(p: population.Person) -> dict:
    row = asdict(p)
    row["dob"] = p.dob.isoformat()
    row["party_date"] = p.party_date.isoformat() if p.party_date else ""
    return row


def position_rows(pop: population.Population) -> list[dict]:
    """One row per person per reporting date: where they sat and how qualified they were."""
    district_of = {c["commune_code"]: c["district_code"] for c in pop.communes}
    return [
        {
            "reporting_date": day.isoformat(),
            "person_id": h.person_id,
            "district_code": district_of[h.commune_code],
            "commune_code": h.commune_code,
            "title_code": h.title_code,
            "seat": h.seat,
            "is_cadre": h.is_cadre,
            "prof": h.prof,
            "llct": h.llct,
            "qlnn": h.qlnn,
            "it": h.it,
            "lang": h.lang,
            "appointed": h.appointed.isoformat(),
        }
        for day in sorted(pop.states)
        for h in pop.holdings(day)
    ]


def _share(n: int, total: int) -> str:
    return f"{100 * n / total:.2f}"


def _figures(pop: population.Population, legacy: list, survey_rows: list[dict]) -> list[dict]:
    """The report's figures: printed value, the value true in the sample, and whether the print holds."""
    cadres = [h for h in pop.holdings(ANCHOR) if h.is_cadre]
    n = len(cadres)
    prof = Counter(h.prof for h in cadres)
    llct = Counter(h.llct for h in cadres)
    qlnn = Counter(h.qlnn for h in cadres)
    uni = prof["DH"] + prof["THS"] + prof["TS"]
    coll = prof["CD"] + prof["TC"]
    adv = llct["CC"] + llct["CN"]
    low = llct["CQDT"] + llct["SC"]
    spec = qlnn["CV"] + qlnn["CVC"]
    f = [
        ("cadre_headcount", n, "1714", "", ""),
        ("prof_university_or_higher", uni, "1536", _share(uni, n), "89.61"),
        ("prof_masters", prof["THS"], "179", _share(prof["THS"], n), ""),
        ("prof_college_or_intermediate", coll, "148", _share(coll, n), "8.63"),
        ("llct_bachelor_or_advanced", adv, "219", _share(adv, n), "12.78"),
        ("llct_intermediate", llct["TC"], "1448", _share(llct["TC"], n), "84.48"),
        ("llct_untrained_or_elementary", low, "77", _share(low, n), "4.49"),
        ("qlnn_specialist_or_principal", spec, "1552", _share(spec, n), "84.48"),
    ]
    rows = [
        {
            "figure": k,
            "value": v,
            "printed_value": pv,
            "share": s,
            "printed_share": ps,
            "consistent": str(v) == pv and (not ps or s == ps),
        }
        for k, v, pv, s, ps in f
    ]
    notes = {
        "llct_untrained_or_elementary": "printed 77 makes LLCT sum to 1,744 > 1,714; consistent remainder is 47",
        "qlnn_specialist_or_principal": "printed share 84.48 repeats the line above; 1,552/1,714 = 90.55",
    }
    for r in rows:
        r["note"] = notes.get(r["figure"], "")
    participations = Counter(k.category for k in legacy for _ in k.members)
    for cat in reference.rows("course_categories"):
        code = cat["category_code"]
        rows.append(
            {
                "figure": f"participations_2016_2020_{code}",
                "value": participations[code],
                "printed_value": cat["participations_2016_2020_printed"],
                "share": "",
                "printed_share": "",
                "consistent": str(participations[code]) == cat["participations_2016_2020_printed"],
                "note": "",
            }
        )
    total = sum(participations.values())
    people = len({p for k in legacy for p in k.members})
    rows.append(
        {
            "figure": "participations_2016_2020_total",
            "value": total,
            "printed_value": "1612",
            "share": "",
            "printed_share": "",
            "consistent": total == 1612,
            "note": "",
        }
    )
    rows.append(
        {
            "figure": "trainings_per_cadre_5y",
            "value": f"{total / people:.2f}",
            "printed_value": "3",
            "share": "",
            "printed_share": "",
            "consistent": round(total / people) == 3,
            "note": f"{total} participations by {people} surveyed cadres",
        }
    )
    answered = len(survey_rows)
    rows.append(
        {
            "figure": "survey_respondents",
            "value": answered,
            "printed_value": "501",
            "share": "",
            "printed_share": "",
            "consistent": answered == 501,
            "note": "",
        }
    )
    imp = Counter(r["improvement"] for r in survey_rows)
    for code, printed in survey.PRINTED_IMPROVEMENT.items():
        s = _share(imp[code], answered)
        rows.append(
            {
                "figure": f"survey_improvement_{code}",
                "value": imp[code],
                "printed_value": "",
                "share": s,
                "printed_share": f"{printed:.2f}",
                "consistent": s == f"{printed:.2f}",
                "note": "no count of 501 answers gives the printed share; nearest count used"
                if s != f"{printed:.2f}"
                else "",
            }
        )
    very = sum(1 for r in survey_rows if r["necessity"] == "RAT_CAN")
    s = _share(very, answered)
    rows.append(
        {
            "figure": "survey_very_necessary",
            "value": very,
            "printed_value": "",
            "share": s,
            "printed_share": f"{survey.PRINTED_VERY_NECESSARY:.2f}",
            "consistent": s == f"{survey.PRINTED_VERY_NECESSARY:.2f}",
            "note": "no count of 501 answers gives 75.24 %; nearest count used",
        }
    )
    return rows


def write_csv(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    columns: list[str] = []
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        w = csv.DictWriter(handle, columns, restval="", lineterminator="\n")
        w.writeheader()
        for row in rows:
            w.writerow({k: _text(v) for k, v in row.items()})


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return str(value)


def manifest(out: Path) -> list[dict]:
    rows = []
    for kind in KINDS:
        for path in sorted((out / kind).rglob("*")):
            if path.is_file():
                data = path.read_bytes()
                rows.append(
                    {
                        "file": path.relative_to(out).as_posix(),
                        "kind": kind,
                        "bytes": len(data),
                        "sha256": hashlib.sha256(data).hexdigest(),
                    }
                )
    return rows


def _summary(out: Path, manifest: list[dict], hr_rows: list[dict], figures: list[dict]) -> dict:
    files = Counter(m["kind"] for m in manifest)
    expected = Counter(r["expected"] for r in hr_rows)
    return {
        "out": str(out),
        "files": dict(files),
        "hr_rows": dict(expected),
        "figures": {f["figure"]: f["value"] for f in figures},
        "inconsistent_printed_figures": [f["figure"] for f in figures if not f["consistent"]],
    }
