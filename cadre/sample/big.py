"""One large district HR sheet (100k-500k rows) for benchmarks and load tests: valid rows, real layout."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import polars as pl

from cadre import reference
from cadre.sample import names
from cadre.sample.hr import spellings
from cadre.sample.xlsx import workbook

HEADER = (
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Dân tộc",
    "Số CCCD",
    "Đơn vị",
    "Chức danh",
    "Trình độ chuyên môn",
    "Chuyên ngành",
    "Lý luận chính trị",
    "Quản lý nhà nước",
    "Tin học",
    "Ngoại ngữ",
    "Ngày vào Đảng",
    "Ngày bổ nhiệm",
    "Số điện thoại",
    "Quê quán",
    "Trình độ văn hóa",
    "Ghi chú",
)


def title_lines(when: str) -> tuple[str, ...]:
    return (
        "ỦY BAN NHÂN DÂN THÀNH PHỐ HẠ LONG",
        "DANH SÁCH CÁN BỘ, CÔNG CHỨC CẤP XÃ",
        f"(Số liệu tính đến ngày {when})",
    )


def hr_frame(n: int, seed: int = 1) -> pl.DataFrame:
    """``n`` valid rows of Hạ Long's layout (20 columns), every person distinct."""
    rng = random.Random(seed)
    communes = [c["commune_name"] for c in reference.rows("qn_communes_2020") if c["district_code"] == "193"]
    spell = spellings()
    pick = {dim: [v for vs in spell[dim].values() for v in vs] for dim in ("prof", "llct", "qlnn", "it", "lang")}
    titles = [v for code, vs in spell["title"].items() for v in vs]
    rows = []
    for i in range(n):
        sex = "Nữ" if rng.random() < 0.4 else "Nam"
        dob = date(1965, 1, 1) + timedelta(days=rng.randrange(365 * 30))
        cccd = f"022{'0' if sex == 'Nam' else '1'}{dob.year % 100:02d}{i:06d}"
        rows.append(
            (
                str(i + 1),
                names.full_name(rng, sex),
                dob.strftime("%d/%m/%Y"),
                sex,
                "Kinh",
                cccd,
                rng.choice(communes),
                rng.choice(titles),
                rng.choice(pick["prof"]),
                "Luật",
                rng.choice(pick["llct"]),
                rng.choice(pick["qlnn"]),
                rng.choice(pick["it"]),
                rng.choice(pick["lang"]),
                f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2005",
                f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2016",
                f"09{i:08d}",
                "Quảng Ninh",
                "12/12",
                "",
            )
        )
    return pl.DataFrame(rows, schema=list(HEADER), orient="row")


def write_xlsx(frame: pl.DataFrame, path: Path, when: str = "30/12/2020") -> Path:
    wb = workbook(path, date(2020, 12, 30), "Phòng Nội vụ Thành phố Hạ Long")
    wb.use_zip64()
    ws = wb.add_worksheet("DS CBCC")
    lines = title_lines(when)
    for r, line in enumerate(lines):
        ws.write_string(r, 0, line)
    header = len(lines) + 1
    for c, name in enumerate(frame.columns):
        ws.write_string(header, c, name)
    for r, row in enumerate(frame.iter_rows(), start=header + 1):
        for c, value in enumerate(row):
            if value:
                ws.write_string(r, c, value)
    wb.close()
    return path


def write_csv(frame: pl.DataFrame, path: Path, when: str = "30/12/2020") -> Path:
    """The same sheet as a CSV export (title lines above the header, as spreadsheets export them)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        for line in title_lines(when):
            handle.write(line + "\n")
        handle.write("\n")
    with open(path, "a", encoding="utf-8", newline="") as handle:
        frame.write_csv(handle)
    return path
