"""dbt, pointed at this instance's warehouse: the one place that turns settings into the environment
dbt's profile reads (``CADRE_DB_*``, the pseudonym key). The CLI, sqlfluff, Airflow and tests use it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cadre import settings as settings_mod
from cadre.warehouse import warehouse

PROJECT_DIR = Path(__file__).resolve().parents[1] / "dbt_project"


def env(settings: settings_mod.Settings, url: str | None = None, **extra: str) -> dict[str, str]:
    """The process environment for dbt (or sqlfluff's dbt templater) against ``url`` (default: the
    instance's warehouse, started if embedded)."""
    if url is None:
        wh = warehouse(settings)
        wh.start()
        url = wh.url()
    return {
        **os.environ,
        **settings_mod.db_env(url),
        "CADRE_PSEUDONYM_KEY": settings_mod.pseudonym_key(settings),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        **extra,
    }


def tool(name: str) -> str:
    """A console script of this virtual environment (dbt, sqlfluff)."""
    return str(Path(sys.executable).with_name(name))


def run_dbt(settings: settings_mod.Settings, args: list[str], url: str | None = None, **extra: str) -> int:
    command = [tool("dbt"), *args, "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)]
    return subprocess.run(command, env=env(settings, url, **extra), check=False).returncode


def run_sqlfluff(settings: settings_mod.Settings, args: list[str], url: str | None = None) -> int:
    """sqlfluff with the dbt templater (it connects to the warehouse to compile), from the repo root where
    ``.sqlfluff`` lives."""
    root = PROJECT_DIR.parent
    return subprocess.run([tool("sqlfluff"), *args], env=env(settings, url), cwd=root, check=False).returncode
