"""Batch checks before a batch may be used downstream: the GX suites in ``expectations/``."""

from __future__ import annotations

import polars as pl

from expectations.runner import INPUTS, CheckOutcome, Delivery, warm_up
from expectations.runner import validate as _validate

__all__ = ["CheckOutcome", "Delivery", "columns", "validate", "warm_up"]


def validate(kind: str, loaded: pl.DataFrame, info: dict, rows_in: int, previous: int | None) -> CheckOutcome:
    """The batch suites of ``kind`` on the rows to load, knowing how many rows the file had and how many the
    district's delivery before it loaded."""
    delivery = Delivery(info.get("reporting_date"), rows_in, info.get("warnings", []), previous)
    return _validate(kind, loaded, delivery)


def columns(kind: str) -> list[str] | None:
    """The loaded columns the checks of ``kind`` read (None: all of them)."""
    return INPUTS.get(kind)
