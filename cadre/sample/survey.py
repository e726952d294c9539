"""The training survey: 501 cadres of 51 communes, exported from an online form as UTF-8 CSV with a BOM.

The printed shares (26.84 / 36.23 / 24.27 / 9 %, 75.24 % "very necessary") are not reachable with 501
answers (no count k gives k/501 = 26.84 %); the sample uses the nearest counts and the ground truth
records both, so the audit of published figures has something true to say.
"""

from __future__ import annotations

import csv
import io
import random
import re
from datetime import datetime, timedelta
from pathlib import Path

from cadre.sample.hr import old_tone_style, spellings
from cadre.sample.population import ANCHOR, Population

PRINTED_IMPROVEMENT = {"RTC": 26.84, "KTC": 36.23, "TC": 24.27, "KDK": 9.0}
PRINTED_VERY_NECESSARY = 75.24
IMPROVEMENT_LABEL = {"RTC": "Rất tích cực", "KTC": "Khá tích cực", "TC": "Tích cực", "KDK": "Không đáng kể", "": ""}
NECESSITY_LABEL = {"RAT_CAN": "Rất cần thiết", "CAN": "Cần thiết", "KHONG_CAN": "Không cần thiết", "": ""}
COLUMNS = (
    "Dấu thời gian",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Xã/phường/thị trấn",
    "Huyện/thị xã/thành phố",
    "Chức danh hiện nay",
    "Số lần tham gia bồi dưỡng (2016-2020)",
    "Mức độ cải thiện sau khi tham gia bồi dưỡng",
    "Mức độ cần thiết của việc cập nhật kiến thức",
)


def answer_counts(n: int) -> tuple[dict[str, int], dict[str, int]]:
    """Counts nearest the printed shares for ``n`` answers; the rest blank."""
    improvement = {k: round(v * n / 100) for k, v in PRINTED_IMPROVEMENT.items()}
    improvement[""] = n - sum(improvement.values())
    very = round(PRINTED_VERY_NECESSARY * n / 100)
    necessity = {"RAT_CAN": very, "CAN": round((n - very) * 0.88), "KHONG_CAN": round((n - very) * 0.05)}
    necessity[""] = n - sum(necessity.values())
    return improvement, necessity


def write(
    rng: random.Random, pop: Population, out: Path, respondents: list[str], trainings: dict[str, int]
) -> list[dict]:
    rel = Path("surveys") / "khao_sat_can_bo_cap_xa_2021.csv"
    improvement, necessity = answer_counts(len(respondents))
    ratings = [k for k, c in improvement.items() for _ in range(c)]
    needs = [k for k, c in necessity.items() for _ in range(c)]
    rng.shuffle(ratings)
    rng.shuffle(needs)
    order = list(respondents)
    rng.shuffle(order)
    holding = {h.person_id: h for h in pop.holdings(ANCHOR)}
    communes = {c["commune_code"]: c for c in pop.communes}
    titles = spellings()["title"]
    buffer = io.StringIO()
    w = csv.writer(buffer, lineterminator="\r\n")
    w.writerow(COLUMNS)
    truth = []
    stamp = datetime(2021, 10, 4, 8, 0, 0)
    for i, pid in enumerate(order):
        p, h = pop.persons[pid], holding[pid]
        c = communes[h.commune_code]
        stamp += timedelta(seconds=rng.randint(30, 5400))
        name = p.full_name if rng.random() > 0.1 else old_tone_style(p.full_name)
        unit = c["commune_name"] if rng.random() < 0.6 else re.sub(r"^(Xã|Phường|Thị trấn)\s+", "", c["commune_name"])
        title = rng.choice(titles[h.title_code])
        w.writerow(
            (
                f"{stamp.day}/{stamp.month}/{stamp.year} {stamp:%H:%M:%S}",
                name,
                p.dob.strftime("%d/%m/%Y"),
                p.sex,
                unit,
                c["district_name"],
                title,
                trainings.get(pid, 0),
                IMPROVEMENT_LABEL[ratings[i]],
                NECESSITY_LABEL[needs[i]],
            )
        )
        truth.append(
            {
                "file": rel.as_posix(),
                "sheet": "",
                "row": i + 2,
                "person_id": pid,
                "in_hr": True,
                "full_name": p.full_name,
                "dob": p.dob.isoformat(),
                "commune_code": h.commune_code,
                "title_code": h.title_code,
                "improvement": ratings[i],
                "necessity": needs[i],
                "trainings_2016_2020": trainings.get(pid, 0),
            }
        )
    path = out / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return truth
