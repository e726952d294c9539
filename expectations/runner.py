"""Run the batch suites on a batch's rows in memory (GX Core, pandas datasource, ephemeral context)."""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass, field
from datetime import date
from functools import cache

import numpy as np
import polars as pl

from ingest import people

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


@dataclass
class CheckOutcome:
    status: str  # passed | warned | failed
    failed: list[dict] = field(default_factory=list)


BATCH = "_batch"  # every checked row's batch: its position among the batches checked together
_building = threading.Lock()


def _context():
    """The validation definitions of every batch suite, built once per process (thread-safe)."""
    with _building:
        return _definitions()


def warm_up() -> None:
    """Build the GX context in the background (a file's read leaves the GIL free): the first batch of a
    process then does not wait for it."""
    threading.Thread(target=_context, name="gx-warm-up").start()  # not a daemon: never killed mid-build


@cache
def _definitions():
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    from expectations.batch_suites import suites

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = ctx.data_sources.add_pandas("ingest_batches")
    definitions = {}
    for name, expectations in suites().items():
        batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe(name)
        suite = ctx.suites.add(gx.ExpectationSuite(name=name, expectations=[e.copy() for e in expectations]))
        definitions[name] = ctx.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=suite))
    return definitions


_HR_COLUMNS = [
    *("full_name", "dob", "citizen_id", "title_code", "commune_code"),
    *("prof_level", "llct", "qlnn", "it", "lang"),
]
LEVELS = ("prof_level", "llct", "qlnn", "it", "lang")
# The loaded columns each kind's suites read (a kind not named: all), so a big file's checks hold only these.
INPUTS = {"hr": [*_HR_COLUMNS, "name_key", "flags"]}


@dataclass
class Delivery:
    """What the batch checks know of a file beyond its loaded rows."""

    reporting_date: date | None = None
    rows_in: int = 0  # rows under the header that are not skipped
    warnings: list[str] = field(default_factory=list)  # from the layout ("no_qualification_columns", ...)
    previous_headcount: int | None = None  # rows loaded from the district's delivery in use before this one


def frames_for(kind: str, rows: pl.DataFrame, delivery: Delivery) -> dict[str, pl.DataFrame]:
    """The tables each suite of ``kind`` looks at, derived from the batch's rows and the delivery."""
    if kind != "hr":
        from expectations.batch_suites import ASSETS  # GX: imported when a batch is checked, not by a duplicate

        return {ASSETS[kind][0]: rows}
    on = delivery.reporting_date or date.today()
    with_age = rows.select(
        *_HR_COLUMNS,
        people.age(on, pl.col("dob")).alias("age"),
        people.key_of_loaded().alias("person_key"),
    )
    headcount = rows.group_by("commune_code").len("headcount")
    loaded = rows.height
    flags = rows.get_column("flags") if "flags" in rows.columns else pl.Series([], dtype=pl.List(pl.Utf8))
    flagged = lambda mark: int(flags.list.contains(mark).sum()) if loaded else 0  # noqa: E731
    facts = pl.DataFrame(
        {
            "rows_in": [delivery.rows_in],
            "quarantined_share": [(delivery.rows_in - loaded) / delivery.rows_in if delivery.rows_in else 0.0],
            "headcount_ratio": [loaded / delivery.previous_headcount if delivery.previous_headcount else None],
            "other_district_share": [flagged("commune:other_district") / loaded if loaded else 0.0],
            "missing_qualification_columns": [int("no_qualification_columns" in delivery.warnings)],
        },
        schema_overrides={"headcount_ratio": pl.Float64},
    )
    # one column per qualification column: the share of its values nobody could read
    unknown = pl.DataFrame({c: [flagged(f"{c}:unmapped") / loaded if loaded else 0.0] for c in LEVELS})
    return {"hr_rows": with_age, "hr_commune_headcount": headcount, "hr_delivery": facts, "hr_unknown_values": unknown}


def _examples(result: dict) -> list:
    """What failed, as GX reports it: unexpected values, or the unexpected rows of a SQL expectation."""
    if result.get("partial_unexpected_list"):
        return [_value(v) if isinstance(v, dict) else v for v in result["partial_unexpected_list"]]
    rows = (result.get("details") or {}).get("unexpected_rows") or []
    return [dict(row) if not isinstance(row, dict) else row for row in rows]


def _value(entry: dict):
    """An unexpected row's values, without the batch it is of: one value, or the columns' values."""
    values = {k: v for k, v in entry.items() if k != BATCH}
    return next(iter(values.values())) if len(values) == 1 else values


def _text(value) -> str:
    """An example as a person reads it: a day as 2023-03-01 (GX hands pandas timestamps or numpy values)."""
    import pandas as pd

    if isinstance(value, tuple):
        return "(" + ", ".join(_text(v) for v in value) + ")"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, pd.Timestamp | np.datetime64):
        day = pd.Timestamp(value)
        return day.date().isoformat() if day == day.normalize() else day.isoformat()
    return str(value.item() if isinstance(value, np.generic) else value)


def _failure(suite: str, r, unexpected_count, examples: list) -> dict:
    """One expectation that did not pass, in plain fields (for JSON, logs, errors)."""
    cfg, found = r.expectation_config, r.result or {}
    kwargs = {k: v for k, v in cfg.kwargs.items() if k in ("column", "column_A", "column_B")}
    if "column_list" in cfg.kwargs:
        kwargs["column_list"] = [c for c in cfg.kwargs["column_list"] if c != BATCH]
    return {
        "suite": suite,
        "expectation": cfg.type,
        **kwargs,
        "severity": str(cfg.severity.value),
        "unexpected_count": unexpected_count,
        "observed": found.get("observed_value"),
        "examples": [_text(v) for v in examples[:5]],
        "why": (cfg.meta or {}).get("why"),
    }


def failures(suite: str, result) -> list[dict]:
    """The expectations of one validation result that did not pass."""
    return [
        _failure(suite, r, (r.result or {}).get("unexpected_count"), _examples(r.result or {}))
        for r in result.results
        if not r.success
    ]


def _per_batch(suite: str, result, n: int) -> list[list[dict]]:
    """The failures of a run over ``n`` batches, each told to the batches whose rows it names (a failure of
    no row, e.g. a row count, to all of them)."""
    out: list[list[dict]] = [[] for _ in range(n)]
    for r in result.results:
        if r.success:
            continue
        index = (r.result or {}).get("unexpected_index_list")
        if not index:
            for failed in out:
                failed.append(_failure(suite, r, (r.result or {}).get("unexpected_count"), _examples(r.result or {})))
            continue
        rows: dict[int, list] = {}
        pair = [r.expectation_config.kwargs.get(c) for c in ("column_A", "column_B")]
        for entry in index:  # a pair as GX lists it alone: (A, B)
            rows.setdefault(int(entry[BATCH]), []).append(tuple(entry[c] for c in pair) if pair[0] else _value(entry))
        for position, values in rows.items():
            out[position].append(_failure(suite, r, len(values), values))
    return out


def outcome(failed: list[dict]) -> CheckOutcome:
    if any(f["severity"] == "critical" for f in failed):
        return CheckOutcome("failed", failed)
    return CheckOutcome("warned" if failed else "passed", failed)


JOINT = {"result_format": "COMPLETE", "unexpected_index_column_names": [BATCH], "return_unexpected_index_query": False}


def validate(kind: str, rows: pl.DataFrame, delivery: Delivery | None = None) -> CheckOutcome:
    return validate_many(kind, [(rows, delivery or Delivery())])[0]


def validate_many(kind: str, batches: list[tuple[pl.DataFrame, Delivery]]) -> list[CheckOutcome]:
    """The batch suites of ``kind`` on several batches in one GX run per suite: GX's cost is per run and per
    expectation, hardly per row, so a run of many small files pays it once. Every row carries its batch's
    position (``_batch``), uniqueness is within a batch, and each failure goes to the batches whose rows it
    names, with their own count and examples. A batch without rows is checked alone (its row count fails)."""
    alone = [i for i, (rows, _) in enumerate(batches) if rows.height == 0 or len(batches) == 1]
    joint = [i for i in range(len(batches)) if i not in alone]
    failed: dict[int, list[dict]] = {}
    for group in [[i] for i in alone] + ([joint] if joint else []):
        for position, found in zip(group, _run(kind, [batches[i] for i in group]), strict=True):
            failed[position] = found
    return [outcome(failed[i]) for i in range(len(batches))]


def _run(kind: str, group: list[tuple[pl.DataFrame, Delivery]]) -> list[list[dict]]:
    definitions = _context()
    frames: dict[str, list[pl.DataFrame]] = {}
    for position, (rows, delivery) in enumerate(group):
        for asset, frame in frames_for(kind, rows, delivery).items():
            frames.setdefault(asset, []).append(frame.with_columns(pl.lit(position, pl.Int32).alias(BATCH)))
    failed: list[list[dict]] = [[] for _ in group]
    for asset, parts in frames.items():
        data = {"dataframe": pl.concat(parts, how="vertical_relaxed").to_pandas()}
        # whether anything fails first, at half the cost of a run that says what and where (most batches pass)
        if definitions[asset].run(batch_parameters=data, result_format="BOOLEAN_ONLY").success:
            continue
        if len(group) == 1:
            failed[0] += failures(asset, definitions[asset].run(batch_parameters=data, result_format="BASIC"))
            continue
        result = definitions[asset].run(batch_parameters=data, result_format=JOINT)
        for position, found in enumerate(_per_batch(asset, result, len(group))):
            failed[position] += found
    return failed
