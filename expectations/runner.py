"""Run the batch suites on a batch's rows in memory (GX Core, pandas datasource, ephemeral context)."""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass, field
from datetime import date
from functools import cache

import polars as pl

from ingest import people

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


@dataclass
class CheckOutcome:
    status: str  # passed | warned | failed
    failed: list[dict] = field(default_factory=list)


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
        people.key(pl.col("citizen_id"), pl.col("name_key"), pl.col("dob")).alias("person_key"),
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
        return result["partial_unexpected_list"]
    rows = (result.get("details") or {}).get("unexpected_rows") or []
    return [dict(row) if not isinstance(row, dict) else row for row in rows]


def failures(suite: str, result) -> list[dict]:
    """The expectations of one validation result that did not pass, in plain fields (for JSON, logs, errors)."""
    failed = []
    for r in result.results:
        if r.success:
            continue
        cfg = r.expectation_config
        kwargs = {k: v for k, v in cfg.kwargs.items() if k in ("column", "column_list", "column_A", "column_B")}
        examples = _examples(r.result or {})[:5]
        failed.append(
            {
                "suite": suite,
                "expectation": cfg.type,
                **kwargs,
                "severity": str(cfg.severity.value),
                "unexpected_count": (r.result or {}).get("unexpected_count"),
                "observed": (r.result or {}).get("observed_value"),
                "examples": [str(v) for v in examples],
                "why": (cfg.meta or {}).get("why"),
            }
        )
    return failed


def outcome(failed: list[dict]) -> CheckOutcome:
    if any(f["severity"] == "critical" for f in failed):
        return CheckOutcome("failed", failed)
    return CheckOutcome("warned" if failed else "passed", failed)


def validate(kind: str, rows: pl.DataFrame, delivery: Delivery | None = None) -> CheckOutcome:
    definitions = _context()
    failed = []
    for asset, frame in frames_for(kind, rows, delivery or Delivery()).items():
        result = definitions[asset].run(batch_parameters={"dataframe": frame.to_pandas()}, result_format="BASIC")
        failed += failures(asset, result)
    return outcome(failed)
