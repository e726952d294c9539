"""Batch checks before a batch may be used downstream: the GX suites in ``expectations/``."""

from __future__ import annotations

import polars as pl

from expectations.runner import INPUTS, CheckOutcome, warm_up
from expectations.runner import validate as _validate

__all__ = ["CheckOutcome", "columns", "validate", "warm_up"]


def validate(kind: str, loaded: pl.DataFrame, info: dict) -> CheckOutcome:
    return _validate(kind, loaded, info.get("reporting_date"))


def columns(kind: str) -> list[str] | None:
    """The loaded columns the checks of ``kind`` read (None: all of them)."""
    return INPUTS.get(kind)
