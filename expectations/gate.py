"""Run the quality gate on a candidate refresh through a GX Core checkpoint, and keep Data Docs.

The GX project lives in ``$CADRE_HOME/gx`` (a file context, so Data Docs persist between runs). Its
PostgreSQL data source reads the URL from the environment variable ``CADRE_GX_URL`` (GX's ``${VAR}``
substitution): no credential is written into the GX project.
"""

from __future__ import annotations

import contextlib
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from cadre.settings import Settings
from expectations.publish_suites import Table, count_expectation, tables
from expectations.runner import CheckOutcome, failures, outcome

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

SOURCE = "warehouse_candidate"
CHECKPOINT = "publish_gate"


@dataclass
class GateResult:
    outcome: CheckOutcome
    docs: Path | None = None
    suites: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.outcome.status != "failed"

    def summary(self) -> str:
        lines = [f"quality gate: {self.outcome.status} ({len(self.suites)} suites)"]
        for f in self.outcome.failed:
            where = f.get("column") or ",".join(f.get("column_list") or [])
            lines.append(
                f"  [{f['severity']}] {f['suite']}: {f['expectation']}{f' ({where})' if where else ''}"
                f" — {_found(f)}"
                f"{': ' + '; '.join(f['examples']) if f['examples'] else ''} — {f['why']}"
            )
        if self.docs:
            lines.append(f"  Data Docs: {self.docs}")
        return "\n".join(lines)


def _found(failure: dict) -> str:
    if failure.get("unexpected_count") is not None:
        return f"{failure['unexpected_count']} unexpected"
    if failure.get("observed") is not None:
        return f"observed {failure['observed']}"
    return "failed"


def _context(home: Path):
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    ctx = gx.get_context(mode="file", project_root_dir=str(home))
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    return ctx


def _replace(collection, name: str) -> None:
    """Forget ``name`` so the suites as code are the only truth (GX keeps them in the file context)."""
    from great_expectations.exceptions import DataContextError

    with contextlib.suppress(DataContextError):
        collection.delete(name)


def run(url: str, settings: Settings, suffix: str, previous_counts: dict[str, int]) -> GateResult:
    """Validate the candidate schemas (``marts{suffix}``, ``reporting{suffix}``) against the suites, with
    row counts compared to ``previous_counts`` ({"schema.table": rows} of the current publish)."""
    import great_expectations as gx
    from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

    os.environ["CADRE_GX_URL"] = url
    ctx = _context(settings.gx_dir)
    _replace(ctx.checkpoints, CHECKPOINT)
    chosen: list[Table] = tables(suffix)
    for t in chosen:
        _replace(ctx.validation_definitions, t.name)
        _replace(ctx.suites, t.name)
    if SOURCE in [d.name for d in ctx.data_sources.all().values()]:
        ctx.data_sources.delete(SOURCE)
    source = ctx.data_sources.add_postgres(SOURCE, connection_string="${CADRE_GX_URL}")
    definitions = []
    for t in chosen:
        expectations = [e.copy() for e in t.expectations]
        previous = previous_counts.get(f"{t.schema}.{t.name}")
        if t.compare_count and previous:
            expectations.append(count_expectation(previous))
        asset = source.add_table_asset(t.name, table_name=t.name, schema_name=f"{t.schema}{suffix}")
        suite = ctx.suites.add(gx.ExpectationSuite(name=t.name, expectations=expectations))
        definitions.append(
            ctx.validation_definitions.add(
                gx.ValidationDefinition(name=t.name, data=asset.add_batch_definition_whole_table(t.name), suite=suite)
            )
        )
    checkpoint = ctx.checkpoints.add(
        gx.Checkpoint(
            name=CHECKPOINT,
            validation_definitions=definitions,
            result_format="SUMMARY",
        )
    )
    result = checkpoint.run()
    # Data Docs once for the whole run (GX's UpdateDataDocsAction builds the site once per suite: 16 times the
    # index and every suite's page, ~6 s of a 13 s gate at national scale)
    ctx.build_data_docs(
        resource_identifiers=[
            identifier
            for key, validation in result.run_results.items()
            for identifier in (key, ExpectationSuiteIdentifier(name=validation.suite_name))
        ],
        build_index=True,
    )
    failed = []
    for validation in result.run_results.values():
        failed += failures(validation.suite_name, validation)
    docs = settings.data_docs
    return GateResult(outcome(failed), docs if docs.exists() else None, [t.name for t in chosen])
