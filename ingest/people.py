"""Who a row is about, before the warehouse's identity rules, and how old they are: the one home of the
person key with which the ingest finds a person twice in a file and the batch checks count people."""

from __future__ import annotations

from datetime import date

import polars as pl


def key(citizen_id: pl.Expr, name_key: pl.Expr, dob: pl.Expr) -> pl.Expr:
    """The citizen ID, else the folded name and the birth date (null when neither places the person)."""
    by_name = pl.when(name_key.is_not_null() & dob.is_not_null()).then(name_key + pl.lit("|") + dob.cast(pl.Utf8))
    return pl.coalesce(citizen_id, by_name)


def age(on: date, dob: pl.Expr) -> pl.Expr:
    """Age in years (fractional) on the date ``on``."""
    return (pl.lit(on) - dob).dt.total_days() / 365.25
