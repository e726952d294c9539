"""The steps of a warehouse refresh (write-audit-publish), each one Airflow task of ``warehouse_refresh``
and, in the same order, ``cadre refresh`` without Airflow.

1. ``begin``: clear any half-built candidate; say which raw batches this refresh builds from (none to do
   when the published warehouse was built from exactly these).
2. build the candidate: dbt seeds, then each model with its tests (``dbt build``), into ``*__candidate``.
3. ``audit``: the quality gate (GX checkpoint on the candidate, Data Docs kept); raises ``GateFailed``.
4. ``publish``: one transaction renames the candidate schemas in.
5. ``report``: the Vietnamese HTML and XLSX report of what was published.
"""

from __future__ import annotations

from dataclasses import dataclass

from cadre import publish as wap
from cadre import transform
from cadre.settings import Settings

CANDIDATE_ENV = {"CADRE_SCHEMA_SUFFIX": wap.SUFFIX}


def gate_summary_path(settings: Settings):
    """The last quality gate's summary, kept beside the Data Docs."""
    return settings.gx_dir / "last_gate.txt"


class GateFailed(Exception):
    """The candidate refresh did not pass a critical expectation: it is not published."""


@dataclass(frozen=True)
class Begun:
    inputs: wap.Inputs
    up_to_date: bool

    @property
    def batches(self) -> list[int]:
        return self.inputs.batches


def _counted() -> list[str]:
    from expectations.publish_suites import tables

    return [f"{t.schema}.{t.name}" for t in tables(wap.SUFFIX) if t.compare_count]


def begin(settings: Settings, url: str) -> Begun:
    wap.ensure(url)
    transform.install_pseudonym_key(settings, url)
    inputs = wap.inputs(url)
    if wap.is_current(url, inputs):
        return Begun(inputs, True)
    wap.drop_candidates(url)
    return Begun(inputs, False)


def build_candidate(settings: Settings, url: str) -> None:
    """The candidate in one dbt invocation (Airflow runs it model by model through Cosmos instead)."""
    for args in (["seed"], ["build", "--exclude", "resource_type:seed"]):
        code = transform.run_dbt(settings, args, url=url, **CANDIDATE_ENV)
        if code:
            raise RuntimeError(f"dbt {args[0]} of the candidate failed (exit {code}); nothing was published")


def audit(settings: Settings, url: str):
    """The quality gate on the candidate; its ``GateResult``, or ``GateFailed`` with the summary."""
    from expectations import gate  # GX: imported when a task runs, never when a DAG file is parsed

    previous = wap.row_counts(url, _counted())
    result = gate.run(url, settings, wap.SUFFIX, previous)
    gate_summary_path(settings).write_text(result.summary() + "\n", encoding="utf-8")
    if not result.passed:
        raise GateFailed(result.summary())
    return result


def publish(url: str, run_id: str, inputs: wap.Inputs) -> wap.Publish:
    return wap.publish(url, run_id, _counted(), inputs)


def report(settings: Settings, url: str, run_id: str, published: wap.Publish, gate_summary: str):
    from cadre.reports import build

    docs = settings.data_docs
    return build(
        url, settings.reports_dir, run_id, published.published_at, gate_summary, docs if docs.exists() else None
    )


def run(settings: Settings, url: str, run_id: str) -> dict:
    """The whole refresh without Airflow (``cadre refresh``)."""
    begun = begin(settings, url)
    if begun.up_to_date:
        return {"status": "up_to_date", "batches": len(begun.batches)}
    build_candidate(settings, url)
    result = audit(settings, url)
    published = publish(url, run_id, begun.inputs)
    files = report(settings, url, run_id, published, result.outcome.status)
    return {"status": "published", "publish_id": published.publish_id, "report": str(files.html)}
