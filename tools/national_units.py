"""Write the country's administrative units before July 2025 as dbt seeds, from the open dataset of the
PyPI package ``vietnamadminunits`` (MIT): 63 provinces, 696 districts, 10,035 communes with their GSO codes.

The package is a build-time input, not a dependency: this script downloads its pinned wheel (hash-checked
by pip) unless given one, reads the SQLite dataset inside it and writes plain CSVs, sorted by code, NFC:

    .venv/bin/python tools/national_units.py [--wheel vietnamadminunits-1.0.4-py3-none-any.whl]

Quảng Ninh keeps its own seeds (``qn_*``: 2020 units, January 2025 changes, the July 2025 crosswalk), which
are more precise than a snapshot; the national seeds hold Quảng Ninh too, for lookups by code.
"""

from __future__ import annotations

import argparse
import csv
import sqlite3
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

PACKAGE = "vietnamadminunits==1.0.4"
SHA256 = "737ee3662e877290386c1c45ed4d71f2e5fae34ab6fb9c64bfb4cb74b216ea35"
DATASET = "vietnamadminunits/data/dataset.db"
SEEDS = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds" / "reference"


def _download(into: Path) -> Path:
    requirement = into / "requirement.txt"
    requirement.write_text(f"{PACKAGE} --hash=sha256:{SHA256}\n", encoding="utf-8")
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--require-hashes", "-r", str(requirement)]
    subprocess.run([*command, "-d", str(into)], check=True, stdout=subprocess.DEVNULL)
    return next(into.glob("vietnamadminunits-*.whl"))


def _nfc(value: str | None) -> str:
    return unicodedata.normalize("NFC", (value or "").strip())


def _write(name: str, columns: list[str], rows: list[tuple]) -> None:
    with open(SEEDS / f"{name}.csv", "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(columns)
        out.writerows(sorted(set(rows)))
    print(f"{name}.csv: {len(set(rows))} rows")


def write(wheel: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(wheel) as archive:
        path = Path(tmp) / "dataset.db"
        path.write_bytes(archive.read(DATASET))
        db = sqlite3.connect(path)
        units = db.execute(
            "select provinceCode, province, districtCode, district, districtType, wardCode, ward, wardType "
            "from admin_units_legacy"
        ).fetchall()
        db.close()
    provinces, districts, communes = [], [], []
    for p_code, province, d_code, district, d_type, c_code, commune, c_type in units:
        p_code = p_code.zfill(2)
        provinces.append((p_code, _nfc(province), "0" + p_code))
        districts.append((d_code.zfill(3), _nfc(district), _nfc(d_type).lower(), p_code))
        if c_code:  # a district without communes (an island district) has one row without a commune
            communes.append((c_code.zfill(5), _nfc(commune), _nfc(c_type).lower(), d_code.zfill(3), p_code))
    _write("vn_provinces_pre2025_07", ["province_code", "province_name", "cccd_prefix"], provinces)
    _write("vn_districts_pre2025_07", ["district_code", "district_name", "district_type", "province_code"], districts)
    _write(
        "vn_communes_pre2025_07",
        ["commune_code", "commune_name", "commune_type", "district_code", "province_code"],
        communes,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheel", type=Path, help="a downloaded vietnamadminunits wheel (default: download it)")
    args = parser.parse_args()
    if args.wheel:
        write(args.wheel)
        return
    with tempfile.TemporaryDirectory() as tmp:
        write(_download(Path(tmp)))


if __name__ == "__main__":
    main()
