"""The DAG folder imports cleanly, quickly, and without touching a database, the network or dbt."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

from cadre import orchestration
from cadre import settings as settings_mod


@pytest.fixture(scope="module")
def bag(tmp_path_factory):
    home = tmp_path_factory.mktemp("dagbag_home")
    settings = settings_mod.load({"CADRE_HOME": str(home)})
    # a warehouse that does not exist: parsing must not need one
    url = "postgresql://nobody:secret@127.0.0.1:9/nothing"
    orchestration.build_manifest(settings, url)  # what `make demo` / `make airflow` do first
    env = orchestration.airflow_env(settings, url)
    probe = Path(__file__).with_name("dagbag_probe.py")
    run = subprocess.run(
        [sys.executable, str(probe), str(orchestration.DAGS_FOLDER)], env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    print(f"DagBag: {result['seconds']:.2f} s for {len(result['per_file'])} files: {result['per_file']}")
    return result


def test_every_dag_imports_without_errors(bag):
    assert bag["import_errors"] == {}
    assert set(bag["dags"]) == {"ingest_landing", "warehouse_refresh"}


def test_parsing_does_no_database_network_or_dbt_work(bag):
    assert bag["calls"] == []


def test_every_task_has_a_timeout_and_a_failure_callback(bag):
    for dag_id, dag in bag["dags"].items():
        for task_id, task in dag["tasks"].items():
            assert task["execution_timeout"], (dag_id, task_id)
            assert task["on_failure_callback"], (dag_id, task_id)


def test_runs_never_overlap_and_transient_errors_retry_with_backoff(bag):
    assert all(d["max_active_runs"] == 1 for d in bag["dags"].values())
    ingest = bag["dags"]["ingest_landing"]["tasks"]
    assert ingest["ingest_hr"]["retries"] >= 1
    assert ingest["ingest_hr"]["retry_exponential_backoff"]
    # the quality gate and the publish are not retried: a failed check is bad data, not bad luck
    refresh = bag["dags"]["warehouse_refresh"]["tasks"]
    assert refresh["quality_gate"]["retries"] == 0
    assert refresh["publish"]["retries"] == 0


def test_ingest_maps_one_task_per_file_and_updates_the_raw_assets(bag):
    tasks = bag["dags"]["ingest_landing"]["tasks"]
    assert {t for t in tasks if t.startswith("ingest_")} == {"ingest_hr", "ingest_courses", "ingest_surveys"}
    assert all(tasks[f"ingest_{s}"]["mapped"] for s in ("hr", "courses", "surveys"))
    # the raw assets are updated once per delivery, after every file: the refresh never starts on half of it
    assert all(not tasks[f"ingest_{s}"]["outlets"] for s in ("hr", "courses", "surveys"))
    tables = [u.rsplit("/", 1)[-1] for u in tasks["raw_tables_updated"]["outlets"]]
    assert tables == ["hr_rows", "course_classes", "roster_rows", "survey_responses"]
    assert tasks["raw_tables_updated"]["outlets"][0].startswith("postgres://127.0.0.1:9/nothing/raw/")
    assert {"ingest_hr", "ingest_courses", "ingest_surveys"} <= set(tasks["anything_delivered"]["upstream"])


def test_ingest_replays_the_quarantine_when_the_vocabulary_changed(bag):
    """A vocabulary fix reaches the warehouse: the replay task updates every raw asset, so the refresh runs."""
    tasks = bag["dags"]["ingest_landing"]["tasks"]
    assert {"vocabulary_changed", "replay_quarantine"} <= set(tasks)
    tables = {u.rsplit("/", 1)[-1] for u in tasks["replay_quarantine"]["outlets"]}
    assert tables == {"hr_rows", "course_classes", "roster_rows", "survey_responses"}


def test_the_refresh_is_data_aware_and_runs_dbt_model_by_model(bag):
    refresh = bag["dags"]["warehouse_refresh"]
    assert refresh["timetable"] == "AssetTriggeredTimetable"
    for table in ("hr_rows", "course_classes", "roster_rows", "survey_responses"):
        assert f"raw/{table}" in refresh["assets"]
    tasks = refresh["tasks"]
    models = [t for t in tasks if t.startswith("dbt_candidate.")]
    assert "dbt_candidate.fct_cadre_positions_model_build" in tasks
    assert "dbt_candidate.rpt_qualification_structure_model_build" in tasks
    assert len(models) >= 26
    assert not [t for t in tasks if "seed" in t and t.startswith("dbt_candidate.")]  # seeds: one task before


def test_local_airflow_runs_the_local_executor_on_postgresql_and_never_holds_the_administrators_login(tmp_path):
    admin = "postgresql://admin:admin-secret@127.0.0.1:5999/cadre"
    env = orchestration.airflow_env(settings_mod.load({"CADRE_HOME": str(tmp_path / "a")}), admin)
    other = orchestration.airflow_env(settings_mod.load({"CADRE_HOME": str(tmp_path / "b")}), admin)
    assert env["AIRFLOW__CORE__EXECUTOR"] == "LocalExecutor"
    meta = urlparse(env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"])
    assert (meta.scheme, meta.username, meta.port) == ("postgresql+psycopg2", orchestration.AIRFLOW_LOGIN, 5999)
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC"].startswith("postgresql+psycopg://")
    # two instances sharing a cluster keep their metadata apart
    assert other["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] != env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    assert urlparse(env["CADRE_LOADER_URL"]).username == "cadre_loader"
    assert env["CADRE_DB_USER"] == "cadre_transformer"
    leaked = [k for k, v in env.items() if "admin-secret" in v and k not in os.environ]
    assert leaked == []
