"""Reference data (administrative units, titles, qualification scales, programme topics).

The CSVs live once, as dbt seeds under ``dbt_project/seeds/reference``; Python code reads the same files,
so the sample generator, the ingest synonym tables and the warehouse cannot disagree.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parents[1] / "dbt_project"
SEEDS = PROJECT / "seeds" / "reference"


@cache
def project_var(name: str):
    """A var of dbt_project.yml (the one home of the report's constants: the province, the small-cell
    threshold), for the Python code that needs it too."""
    return yaml.safe_load((PROJECT / "dbt_project.yml").read_text(encoding="utf-8"))["vars"][name]


@cache
def rows(name: str) -> tuple[dict[str, str], ...]:
    """All rows of the seed ``name`` (without ``.csv``), as dicts of text."""
    with open(SEEDS / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def variants(row: dict[str, str], *columns: str) -> list[str]:
    """Every spelling of a reference value: its code, its label and the ``;``-separated variants."""
    seen: list[str] = []
    for column in columns:
        for value in (row.get(column) or "").split(";"):
            value = value.strip()
            if value and value not in seen:
                seen.append(value)
    return seen


# The 11 cadre titles (cán bộ), as the seed says: its one home.
CADRE_TITLES = tuple(r["title_code"] for r in rows("cadre_titles") if r["group"] == "can_bo")


def district_codes() -> set[str]:
    """The GSO codes of the districts (before July 2025) the person-level rows carry."""
    return {r["district_code"] for r in rows("qn_districts_2020")}
