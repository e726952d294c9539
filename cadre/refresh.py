"""The steps of a warehouse refresh (write-audit-publish), each one Airflow task of ``warehouse_refresh``
and, in the same order, ``cadre refresh`` without Airflow.

1. ``begin``: take the refresh lease (or say that another refresh runs), pin the raw batches this refresh
   builds from (nothing to do when the published warehouse was built from exactly these), clear any
   half-built candidate.
2. build the candidate: dbt seeds, then each model with its tests (``dbt build``), into ``*__candidate``
   (dbt target ``candidate``), reading only the pinned batches.
3. ``audit``: the quality gate (GX checkpoint on the candidate, Data Docs kept); raises ``GateFailed``;
   marks the candidate audited when it passes.
4. ``publish``: one transaction renames the candidate schemas in and gives the lease up.
5. ``report``: the Vietnamese HTML and XLSX report of that publish.

A refresh that fails gives the lease up (``release``); one whose process died leaves it to expire.
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass

from cadre import publish as wap
from cadre import transform
from cadre.settings import Settings

RefreshRunning = wap.RefreshRunning


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


def begin(settings: Settings, url: str, run_id: str) -> Begun:
    """Raises ``RefreshRunning`` when another run holds the lease."""
    from cadre import access

    access.ensure(settings, url)  # given an administrator's URL (tests): roles and grants first
    wap.ensure(url)
    inputs, up_to_date = wap.take(url, run_id)
    if not up_to_date:
        wap.drop_candidates(url)
    return Begun(inputs, up_to_date)


def build_candidate(settings: Settings, url: str) -> None:
    """The candidate in one dbt invocation, seeds, models and tests in the order of their graph (Airflow
    seeds first, then runs it model by model through Cosmos)."""
    code = transform.run_dbt(settings, ["build"], url=url, target=wap.CANDIDATE)
    if code:
        raise RuntimeError(f"dbt build of the candidate failed (exit {code}); nothing was published")


def audit(settings: Settings, url: str, run_id: str):
    """The quality gate on ``run_id``'s candidate; its ``GateResult``, or ``GateFailed`` with the summary."""
    from expectations import gate  # GX: imported when a task runs, never when a DAG file is parsed

    previous = wap.row_counts(url, _counted())
    result = gate.run(url, settings, wap.SUFFIX, previous)
    gate_summary_path(settings).write_text(result.summary() + "\n", encoding="utf-8")
    if not result.passed:
        raise GateFailed(result.summary())
    wap.audited(url, run_id)
    return result


def publish(url: str, run_id: str) -> wap.Publish:
    published = wap.publish(url, run_id, _counted())
    for warning in published.warnings:  # BI objects the publish could not carry over, retired schemas kept
        logging.getLogger("cadre").warning("publish #%s: %s", published.publish_id, warning)
    return published


def release(url: str, run_id: str) -> bool:
    return wap.release(url, run_id)


def report(settings: Settings, url: str, run_id: str, published: wap.Publish, gate_summary: str):
    from cadre.reports import build

    docs = settings.data_docs
    return build(
        url, settings.reports_dir, run_id, published.published_at, gate_summary, docs if docs.exists() else None
    )


def run(settings: Settings, url: str, run_id: str, dbt_url: str | None = None) -> dict:
    """The whole refresh without Airflow (``cadre refresh``): dbt logs in with ``dbt_url`` (the transformer's),
    every other step with ``url`` (the publisher's). The result says how long each step took (``seconds``)."""
    begun = begin(settings, url, run_id)
    if begun.up_to_date:
        return {"status": "up_to_date", "batches": len(begun.batches)}
    seconds: dict[str, float] = {}
    try:
        with _step(seconds, "dbt", "dbt build of the candidate"):
            build_candidate(settings, dbt_url or url)
        with _step(seconds, "gate", "quality gate"):
            result = audit(settings, url, run_id)
        with _step(seconds, "publish", "publish"):
            published = publish(url, run_id)
    finally:
        release(url, run_id)  # a no-op after the publish, which gave it up
    with _step(seconds, "report", "report"):
        files = report(settings, url, run_id, published, result.outcome.status)
    done = {"status": "published", "publish_id": published.publish_id, "report": str(files.html), "seconds": seconds}
    return {**done, "warnings": list(published.warnings)} if published.warnings else done


@contextmanager
def _step(seconds: dict[str, float], key: str, name: str):
    from cadre import progress

    started = time.perf_counter()
    with progress.phase(name):
        yield
    seconds[key] = round(time.perf_counter() - started, 1)
