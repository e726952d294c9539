"""Batch checks before a batch may be used downstream: the GX suites in ``expectations/``."""

from __future__ import annotations

import polars as pl

from expectations.runner import INPUTS, CheckOutcome
from expectations.runner import validate as _validate


def validate(kind: str, loaded: pl.DataFrame, info: dict) -> CheckOutcome:
    return _validate(kind, loaded, info.get("reporting_date"))


def columns(kind: str) -> list[str] | None:
    """The loaded columns the checks of ``kind`` read (None: all of them)."""
    return INPUTS.get(kind)
