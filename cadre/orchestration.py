"""What the DAGs share, and the local Airflow this project runs (``make demo``, ``make airflow``).

DAG files in ``dags/`` only wire tasks; the task bodies are the functions of ``cadre.landing`` and
``cadre.refresh``. This module holds the task defaults (retries with backoff, timeouts, the failure
callback) and the launcher that gives Airflow its home, metadata database and warehouse settings.
"""

from __future__ import annotations

import hashlib
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


def warehouse_url(component: str) -> str:
    """The login a task works with (``loader``, ``transformer``, ``publisher``), from the environment Airflow's
    processes were given (``CADRE_<COMPONENT>_URL``): no task logs in as the administrator."""
    from cadre import access
    from cadre.settings import load

    return access.url(load(), component)


AIRFLOW_LOGIN = "cadre_airflow"  # owns Airflow's metadata database on the embedded cluster; nothing of the warehouse


def metadata_url(settings: Settings, url: str) -> str:
    """Airflow's metadata database: ``AIRFLOW__DATABASE__SQL_ALCHEMY_CONN`` when set; beside the embedded
    warehouse, a database of its cluster named after this instance's home (PostgreSQL: the LocalExecutor runs
    tasks in parallel; instances sharing a cluster, like the tests', keep apart); else SQLite (one at a time)."""
    from urllib.parse import urlparse, urlunparse

    from cadre import access

    if os.environ.get("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"):
        return os.environ["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    if settings.external_url:
        return f"sqlite:///{settings.airflow_home / 'airflow.db'}"
    login = urlparse(access.login_url(url, AIRFLOW_LOGIN, access.password(settings, AIRFLOW_LOGIN, url)))
    database = "airflow_" + hashlib.sha256(str(settings.home).encode()).hexdigest()[:8]
    return urlunparse(login._replace(scheme="postgresql+psycopg2", path=f"/{database}", query=""))


def _metadata_env(metadata: str) -> dict[str, str]:
    """Airflow's settings for its metadata database; on PostgreSQL its async engine drives psycopg 3 (asyncpg,
    Airflow's default there, is not in the lock)."""
    env = {"AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata}
    if metadata.startswith("postgresql+psycopg2://"):
        env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC"] = metadata.replace("+psycopg2://", "+psycopg://", 1)
    return env


def _metadata_database(settings: Settings, url: str, metadata: str) -> bool:
    """Create the embedded cluster's metadata database and its login when missing; True when it was created."""
    from urllib.parse import unquote, urlparse

    import psycopg
    from psycopg import sql

    from cadre import access

    if not metadata.startswith("postgresql+psycopg2://") or settings.external_url:
        return False
    parts = urlparse(metadata)
    database = parts.path.lstrip("/")
    with psycopg.connect(url, autocommit=True) as conn:
        access.login_role(conn, AIRFLOW_LOGIN, unquote(parts.password))
        if conn.execute("select 1 from pg_database where datname = %s", (database,)).fetchone():
            return False
        conn.execute(
            sql.SQL("create database {} owner {}").format(sql.Identifier(database), sql.Identifier(AIRFLOW_LOGIN))
        )
    return True


def airflow_env(settings: Settings, url: str) -> dict[str, str]:
    """The environment of every Airflow process of this instance: its home under ``$CADRE_HOME/airflow``, its
    metadata database (``metadata_url``), the LocalExecutor, the DAGs of this repository, and each component's
    login to the warehouse (``url`` is the administrator's: it sets the roles up and is not handed on)."""
    from cadre import access

    home = settings.airflow_home
    components = ("loader", "transformer", "publisher")
    logins = {f"CADRE_{c.upper()}_URL": access.url(settings, c, url, set_up=False) for c in components}
    return transform.env(
        settings,
        logins["CADRE_TRANSFORMER_URL"],  # dbt's profile (Cosmos): the transformer's login
        CADRE_HOME=str(settings.home),
        **logins,
        AIRFLOW_HOME=str(home),
        AIRFLOW__CORE__DAGS_FOLDER=str(DAGS_FOLDER),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION="False",
        AIRFLOW__CORE__EXECUTOR="LocalExecutor",
        **_metadata_env(metadata_url(settings, url)),
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
    from cadre import access

    access.ensure(settings, url)  # the logins airflow_env hands the tasks exist
    env = airflow_env(settings, url)
    settings.airflow_home.mkdir(parents=True, exist_ok=True)
    metadata = env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    created = _metadata_database(settings, url, metadata)
    stamp = settings.airflow_home / f".migrated-{hashlib.sha256(metadata.encode()).hexdigest()[:12]}"
    if created or not stamp.exists():
        subprocess.run([transform.tool("airflow"), "db", "migrate"], env=env, check=True, capture_output=True)
        stamp.touch()
    build_manifest(settings, url)
    return env


def airflow(settings: Settings, url: str, args: list[str], capture: bool = False) -> subprocess.CompletedProcess:
    env = prepare(settings, url)
    return subprocess.run(
        [transform.tool("airflow"), *args], env=env, check=False, capture_output=capture, text=True, cwd=ROOT
    )
