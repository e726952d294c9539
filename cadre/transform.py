"""dbt, pointed at this instance's warehouse: the one place that turns settings into the environment
dbt's profile reads (``CADRE_DB_*``). The CLI, sqlfluff, Airflow and tests use it.

dbt never sees the pseudonym key: the ingest computes the pseudonyms (HMAC) where the key is, and the
``pseudonym`` macro looks them up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cadre import settings as settings_mod
from cadre.warehouse import warehouse

PROJECT_DIR = Path(__file__).resolve().parents[1] / "dbt_project"


def _resolve(settings: settings_mod.Settings, url: str | None) -> str:
    """``url``, or the instance's warehouse, started if embedded."""
    if url is not None:
        return url
    wh = warehouse(settings)
    wh.start()
    return wh.url()


def env(settings: settings_mod.Settings, url: str | None = None, **extra: str) -> dict[str, str]:
    """The process environment for dbt (or sqlfluff's dbt templater) against ``url`` (default: the
    instance's warehouse, started if embedded)."""
    url = _resolve(settings, url)
    return {
        **os.environ,
        **settings_mod.db_env(url),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        **extra,
    }


def tool(name: str) -> str:
    """A console script of this virtual environment (dbt, sqlfluff)."""
    return str(Path(sys.executable).with_name(name))


def run_dbt(
    settings: settings_mod.Settings, args: list[str], url: str | None = None, target: str = "dev", **extra: str
) -> int:
    """dbt with this instance's profile and ``target``: ``dev`` (a developer's build, into ``*__dev``
    schemas, reading the batches in use now, pinned first) or ``candidate`` (the refresh, whose ``begin``
    pinned its batches). No target writes the published schemas."""
    from cadre import access, publish

    url = _resolve(settings, url)
    environment = env(settings, url, **extra)
    if args[:1] != ["parse"]:
        access.ensure(settings, url)  # an administrator's URL (tests, a developer): roles, grants, the key
        if target == "dev" and args[:1] in (["build"], ["run"], ["test"], ["seed"], ["show"], ["compile"]):
            publish.pin_current(url, target)
    command = [tool("dbt"), *args, "--target", target, "--project-dir", str(PROJECT_DIR)]
    command += ["--profiles-dir", str(PROJECT_DIR)]
    return subprocess.run(command, env=environment, check=False).returncode


def run_sqlfluff(settings: settings_mod.Settings, args: list[str], url: str | None = None) -> int:
    """sqlfluff with the dbt templater (it connects to the warehouse to compile), from the repo root where
    ``.sqlfluff`` lives."""
    root = PROJECT_DIR.parent
    return subprocess.run([tool("sqlfluff"), *args], env=env(settings, url), cwd=root, check=False).returncode
