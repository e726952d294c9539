"""What the DAGs share, and the local Airflow this project runs (``make demo``, ``make airflow``).

DAG files in ``dags/`` only wire tasks; the task bodies are the functions of ``cadre.landing`` and
``cadre.refresh``. This module holds the task defaults (retries with backoff, timeouts, the failure
callback) and the launcher that gives Airflow its home, metadata database and warehouse settings.
"""

from __future__ import annotations

import logging
import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cadre import transform
from cadre.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
DAGS_FOLDER = ROOT / "dags"
# The refresh's own manifest (parsed with the candidate schemas), apart from what `cadre dbt` writes in target/
MANIFEST_DIR = transform.PROJECT_DIR / "target" / "airflow"
MANIFEST = MANIFEST_DIR / "manifest.json"
START_DATE = datetime(2019, 1, 1, tzinfo=UTC)

log = logging.getLogger("cadre.orchestration")


def log_failure(context) -> None:
    """A clear line per failed task: which DAG, task, try and why (correctness never depends on it)."""
    ti = context.get("task_instance") or context.get("ti")
    error = context.get("exception")
    log.error(
        "cadre: task failed: dag=%s task=%s map_index=%s try=%s run=%s: %s",
        getattr(ti, "dag_id", "?"),
        getattr(ti, "task_id", "?"),
        getattr(ti, "map_index", -1),
        getattr(ti, "try_number", "?"),
        context.get("run_id"),
        error,
    )


DEFAULT_ARGS = {
    "owner": "cadre-data",
    "retries": 2,  # transient errors (connection lost, lock timeout); bad data raises AirflowFailException
    "retry_delay": timedelta(seconds=20),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=10),
    "execution_timeout": timedelta(minutes=30),
    "on_failure_callback": log_failure,
}


def warehouse_url() -> str:
    """The warehouse a task works on, from the environment Airflow's processes were given (at run time:
    reading the embedded warehouse's password file is I/O a DAG file must not do when parsed)."""
    from cadre.settings import load
    from cadre.warehouse import warehouse

    return warehouse(load()).url()


def airflow_env(settings: Settings, url: str) -> dict[str, str]:
    """The environment of every Airflow process of this instance: its home and metadata database under
    ``$CADRE_HOME/airflow`` (SQLite: local, one user), the DAGs of this repository, and the warehouse."""
    home = settings.airflow_home
    return transform.env(
        settings,
        url,
        CADRE_HOME=str(settings.home),
        CADRE_WAREHOUSE_URL=url,
        AIRFLOW_HOME=str(home),
        AIRFLOW__CORE__DAGS_FOLDER=str(DAGS_FOLDER),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION="False",
        AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=f"sqlite:///{home / 'airflow.db'}",
        AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS="admin:admin",
        AIRFLOW__LOGGING__BASE_LOG_FOLDER=str(home / "logs"),
        AIRFLOW__COSMOS__CACHE_DIR=str(home / "cosmos"),
        AIRFLOW__COSMOS__PROPAGATE_LOGS="False",
        AIRFLOW__API__HOST="127.0.0.1",  # the UI of a local instance listens locally
        AIRFLOW__API__PORT=os.environ.get("CADRE_AIRFLOW_PORT", "8080"),
        # `airflow standalone` starts its components as `airflow ...` from PATH
        PATH=f"{Path(transform.tool('airflow')).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        SCARF_ANALYTICS="false",
        DO_NOT_TRACK="true",
        NO_PROXY="*",
    )


def _stale(target: Path, sources: list[Path]) -> bool:
    if not target.exists():
        return True
    built = target.stat().st_mtime
    return any(p.stat().st_mtime > built for p in sources)


def build_manifest(settings: Settings, url: str) -> Path:
    """The dbt manifest Cosmos renders the refresh from, rebuilt when a file of the dbt project changed, so
    no dbt runs when a DAG file is parsed. Parsing connects to no database."""
    project = transform.PROJECT_DIR
    sources = [p for p in project.rglob("*") if p.is_file() and not {"target", "logs"} & set(p.parts)]
    if _stale(MANIFEST, sources):
        args = ["parse", "--quiet", "--target-path", str(MANIFEST_DIR)]
        if transform.run_dbt(settings, args, url=url, target="candidate"):
            raise RuntimeError(f"dbt parse failed: the refresh DAG needs {MANIFEST}")
    return MANIFEST


def prepare(settings: Settings, url: str) -> dict[str, str]:
    """Once per change: migrate Airflow's metadata database and build the manifest. Returns the
    environment of Airflow's processes."""
    env = airflow_env(settings, url)
    settings.airflow_home.mkdir(parents=True, exist_ok=True)
    stamp = settings.airflow_home / ".migrated"
    if not stamp.exists():
        subprocess.run([transform.tool("airflow"), "db", "migrate"], env=env, check=True, capture_output=True)
        stamp.touch()
    build_manifest(settings, url)
    return env


def airflow(settings: Settings, url: str, args: list[str], capture: bool = False) -> subprocess.CompletedProcess:
    env = prepare(settings, url)
    return subprocess.run(
        [transform.tool("airflow"), *args], env=env, check=False, capture_output=capture, text=True, cwd=ROOT
    )
