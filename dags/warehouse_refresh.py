"""Refresh the warehouse when raw data changed: write, audit, publish, report.

dbt builds a candidate (``*__candidate`` schemas) model by model through Cosmos, each model followed by its
tests (``dbt build``), rendered from a manifest built ahead (no dbt call when this file is parsed). The
quality gate (GX checkpoint) audits the candidate; only then is it published by one atomic schema swap,
and the report of that publish written. A failure anywhere leaves the previous publish and reports as they
were. The run holds the refresh lease from ``begin`` to ``publish`` (``release`` gives it up whatever
happened), so ``cadre refresh`` beside it waits or says that a refresh is running; the candidate reads only
the batches ``begin`` pinned. Logic: ``cadre.refresh``.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import AssetAny, TriggerRule, dag, get_current_context, task
from airflow.sdk.exceptions import AirflowFailException
from cosmos import DbtTaskGroup, ExecutionConfig, ProfileConfig, ProjectConfig, RenderConfig
from cosmos.constants import ExecutionMode, InvocationMode, LoadMode, TestBehavior

from cadre import landing, refresh, transform
from cadre.orchestration import DEFAULT_ARGS, MANIFEST, START_DATE, warehouse_url
from cadre.publish import CANDIDATE
from cadre.settings import load

SETTINGS = load()
RAW = [asset for outlets in landing.assets(SETTINGS).values() for asset in outlets]


@dag(
    dag_id="warehouse_refresh",
    schedule=AssetAny(*RAW),  # any raw table that received a batch
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,  # two refreshes must never build the same candidate schemas
    default_args=DEFAULT_ARGS,
    tags=["cadre", "dbt", "quality"],
    doc_md=__doc__,
)
def warehouse_refresh():
    @task.short_circuit(task_id="begin")
    def begin() -> dict:
        """Takes the lease and pins the batches to build from; skips the whole refresh when the publish is
        already built from them."""
        run_id = get_current_context()["run_id"]
        try:
            begun = refresh.begin(load(), warehouse_url("publisher"), run_id)
        except refresh.RefreshRunning as exc:
            raise AirflowFailException(str(exc)) from exc
        return {} if begun.up_to_date else {"batches": begun.batches, "revision": begun.inputs.revision}

    @task(task_id="seed_candidate")
    def seed() -> None:
        if transform.run_dbt(load(), ["seed"], url=warehouse_url("transformer"), target=CANDIDATE):
            raise AirflowFailException("dbt seed of the candidate failed")

    models = DbtTaskGroup(
        group_id="dbt_candidate",
        project_config=ProjectConfig(dbt_project_path=transform.PROJECT_DIR, manifest_path=MANIFEST),
        profile_config=ProfileConfig(
            profile_name="cadre", target_name=CANDIDATE, profiles_yml_filepath=transform.PROJECT_DIR / "profiles.yml"
        ),
        execution_config=ExecutionConfig(
            execution_mode=ExecutionMode.LOCAL,
            invocation_mode=InvocationMode.DBT_RUNNER,
            dbt_executable_path=transform.tool("dbt"),
        ),
        render_config=RenderConfig(
            load_method=LoadMode.DBT_MANIFEST,
            test_behavior=TestBehavior.BUILD,
            exclude=["resource_type:seed"],
            should_detach_multiple_parents_tests=True,  # a relationship test runs once both models exist
        ),
        operator_args={"install_deps": False, "execution_timeout": timedelta(minutes=20)},
        default_args={**DEFAULT_ARGS, "retries": 1},
    )

    @task(task_id="quality_gate", retries=0)
    def quality_gate() -> str:
        try:
            return refresh.audit(load(), warehouse_url("publisher"), get_current_context()["run_id"]).summary()
        except refresh.GateFailed as exc:
            raise AirflowFailException(f"not published:\n{exc}") from exc

    @task(task_id="publish", retries=0)
    def publish() -> int:
        return refresh.publish(warehouse_url("publisher"), get_current_context()["run_id"]).publish_id

    @task(task_id="report")
    def report(publish_id: int, gate_summary: str) -> str:
        from cadre import publish as wap

        settings, url = load(), warehouse_url("publisher")
        published = wap.get(url, publish_id)  # the publish this run made, not whichever is the latest
        files = refresh.report(settings, url, published.run_id, published, gate_summary.splitlines()[0])
        return str(files.html)

    @task(task_id="release", trigger_rule=TriggerRule.ALL_DONE, retries=0)
    def release() -> bool:
        """Gives the lease up whatever happened (a no-op after the publish, which gave it up)."""
        return refresh.release(warehouse_url("publisher"), get_current_context()["run_id"])

    batches = begin()
    gate = quality_gate()
    published = publish()
    batches >> seed() >> models >> gate >> published
    published >> release()
    report(published, gate)


warehouse_refresh()
