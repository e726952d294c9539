"""Who a row is about, before the warehouse's identity rules, and how old they are: the one home of the
person key with which the ingest finds a person twice in a file and the batch checks count people."""

from __future__ import annotations

import hashlib
import hmac
from datetime import date

import polars as pl


def key(
    citizen_id: pl.Expr, name_key: pl.Expr, dob: pl.Expr, commune: pl.Expr | None = None, exact: pl.Expr | None = None
) -> pl.Expr:
    """The citizen ID, else the folded name and the birth date (null when neither places the person); a birth
    date that is a year or a month only (not ``exact``) is the commune's too: two "Nguyễn Văn Hùng" born in 1970
    in two communes are two people. dbt keys them alike (macro ``person_key_without_id``)."""
    by_name = pl.when(name_key.is_not_null() & dob.is_not_null()).then(name_key + pl.lit("|") + dob.cast(pl.Utf8))
    if commune is not None and exact is not None:
        by_name = pl.when(exact.fill_null(True) | commune.is_null()).then(by_name).otherwise(by_name + "|" + commune)
    return pl.coalesce(citizen_id, by_name)


INEXACT_DOB = ("dob:year_only", "dob:month_only")  # the flags of a birth date that is no day


def key_of_loaded() -> pl.Expr:
    """:func:`key` of a loaded HR row (``citizen_id``, ``name_key``, ``dob``, ``commune_code``, ``flags``)."""
    exact = ~pl.any_horizontal(pl.col("flags").list.contains(f).fill_null(False) for f in INEXACT_DOB)
    return key(pl.col("citizen_id"), pl.col("name_key"), pl.col("dob"), pl.col("commune_code"), exact)


def age(on: date, dob: pl.Expr) -> pl.Expr:
    """Age in years (fractional) on the date ``on``."""
    return (pl.lit(on) - dob).dt.total_days() / 365.25


def pseudonym(key: str, value: str) -> str:
    """The pseudonymous id of a person key: HMAC-SHA256 under the pseudonym key, computed where the key is
    (the ingest); the key itself never reaches the database."""
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()


def pseudonyms(values: pl.Expr, key: str) -> pl.Expr:
    return values.map_elements(lambda v: pseudonym(key, v), return_dtype=pl.Utf8, skip_nulls=True)


def fingerprint(key: str) -> str:
    """What the warehouse keeps of the key: enough to tell that the key changed, nothing to recover it."""
    return pseudonym(key, "cadre:pseudonym-key-fingerprint")


def key_in_use() -> str:
    """``CADRE_PSEUDONYM_KEY``, else the key generated once into ``$CADRE_HOME/pseudonym.key``."""
    from cadre import settings

    return settings.pseudonym_key(settings.load())


_COMRADE = r"(?i)^(?:đ\s*/\s*c|đ\.\s*c|đồng chí)\.?\s+"  # "Đ/c Nguyễn Văn A", "Đồng chí ..."
_MR_MRS = r"(?i)^(?:ông|bà)\s+"


def without_honorific(names: pl.Series) -> pl.Series:
    """Each name without the form of address written before it: "Đ/c", "Đồng chí", "Ô." always; "Ông", "Bà"
    only before three more words ("Bà Lục Thị Hiền"; "Ông Ích Khiêm" is a family name). A remark in brackets
    after it ("Hoàng Văn Sinh (Bí thư)"), a footnote's mark ("Trần Thị Bình*", "Lê Văn An¹") or a stop typed
    after it ("Nguyễn Văn An.") is no part of it either. Step by step, each on the column the step before made
    (one expression nesting the steps would evaluate the first ones again in each later one)."""

    def step(expr: pl.Expr) -> pl.Series:
        return pl.select(expr).to_series().alias(names.name)

    name = pl.lit(names)
    bracketed = (
        name.str.replace_all(r"\s*\([^)]*\)", "")
        .str.replace(r"\s*[*¹²³⁴⁵⁶⁷⁸⁹]+$", "")
        .str.replace(r"[\s.,;:\-–]+$", "")  # a stop typed after it ("Nguyễn Văn An.")
        .str.strip_chars()
    )
    name = pl.lit(step(pl.when(bracketed.str.contains(r"\S")).then(bracketed).otherwise(name)))
    comrade = name.str.contains(_COMRADE) & name.str.contains(r"\S\s+\S")
    name = pl.lit(step(pl.when(comrade).then(name.str.replace(_COMRADE, "")).otherwise(name)))
    rest = name.str.slice(2).str.strip_chars_start()  # after "Ô.": a name of two words or more
    short = (name.str.starts_with("Ô.") | name.str.starts_with("ô.")) & rest.str.contains(" ", literal=True)
    name = pl.lit(step(pl.when(short).then(rest).otherwise(name)))
    words = name.str.strip_chars().str.count_matches(r"\s+") + 1
    return step(pl.when(name.str.contains(_MR_MRS) & (words >= 4)).then(name.str.replace(_MR_MRS, "")).otherwise(name))
