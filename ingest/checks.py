"""Batch checks before a batch may be used downstream: the GX suites in ``expectations/``."""

from __future__ import annotations

import polars as pl

from expectations.runner import INPUTS, CheckOutcome, Delivery, validate_many, warm_up

__all__ = ["CheckOutcome", "Delivery", "columns", "delivery", "validate", "validate_many", "warm_up"]


def delivery(info: dict, rows_in: int, previous: int | None) -> Delivery:
    """What the checks know of a file beyond its loaded rows: its date and warnings, how many rows it had, how
    many the district's delivery before it loaded."""
    return Delivery(info.get("reporting_date"), rows_in, info.get("warnings", []), previous)


def validate(kind: str, loaded: pl.DataFrame, info: dict, rows_in: int, previous: int | None) -> CheckOutcome:
    """The batch suites of ``kind`` on one file's rows to load."""
    return validate_many(kind, [(loaded, delivery(info, rows_in, previous))])[0]


def columns(kind: str) -> list[str] | None:
    """The loaded columns the checks of ``kind`` read (None: all of them)."""
    return INPUTS.get(kind)
