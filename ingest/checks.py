"""Batch checks before a batch may be used downstream: the GX suites in ``expectations/``."""

from __future__ import annotations

import polars as pl

from expectations.runner import CheckOutcome
from expectations.runner import validate as _validate


def validate(kind: str, loaded: pl.DataFrame, info: dict) -> CheckOutcome:
    return _validate(kind, loaded, info.get("reporting_date"))
