"""One source of settings: every component (CLI, Airflow, dbt, GX) reads these environment variables.

- ``CADRE_HOME``: folder of this instance (embedded warehouse data, landing folder, run artefacts).
  Default ``.local`` under the current directory. Independent instances (tests, benchmarks) use their own.
- ``CADRE_WAREHOUSE_URL``: an existing PostgreSQL (``postgresql://user:pass@host:port/db``). When set,
  nothing embedded is started and everything points there.
- ``CADRE_PG_PORT``: TCP port of the embedded warehouse on 127.0.0.1 (default 54329).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PORT = 54329


@dataclass(frozen=True)
class Settings:
    home: Path
    external_url: str | None
    port: int

    @property
    def landing(self) -> Path:
        return self.home / "landing"

    @property
    def warehouse_dir(self) -> Path:
        return self.home / "warehouse"

    @property
    def reports_dir(self) -> Path:
        return self.home / "reports"

    @property
    def gx_dir(self) -> Path:
        return self.home / "gx"

    @property
    def data_docs(self) -> Path:
        """The index of the GX Data Docs the quality gate keeps (the file context lives in gx_dir/gx)."""
        return self.gx_dir / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"

    @property
    def airflow_home(self) -> Path:
        return self.home / "airflow"


def load(env: dict[str, str] | None = None) -> Settings:
    """Read the settings from ``env`` (default: the process environment)."""
    env = os.environ if env is None else env
    home = Path(env.get("CADRE_HOME") or ".local").expanduser().resolve()
    port_text = env.get("CADRE_PG_PORT") or str(DEFAULT_PORT)
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ValueError(f"CADRE_PG_PORT must be a TCP port number, got {port_text!r}")
    return Settings(home=home, external_url=env.get("CADRE_WAREHOUSE_URL") or None, port=int(port_text))


# Query parameters of the warehouse URL and the libpq environment variables that carry them to dbt (whose
# profile has no field for most of them); psycopg, GX and Airflow read them from the URL itself.
LIBPQ_PARAMETERS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "sslnegotiation": "PGSSLNEGOTIATION",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "options": "PGOPTIONS",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "gssencmode": "PGGSSENCMODE",
    "channel_binding": "PGCHANNELBINDING",
}


def db_env(url: str) -> dict[str, str]:
    """The warehouse URL as the separate variables dbt's profile reads (``CADRE_DB_*``), and its query
    parameters (``?sslmode=verify-full&sslrootcert=...``) as the libpq variables dbt's driver reads. A
    parameter that could not reach every component is refused, naming it."""
    from urllib.parse import parse_qsl, unquote, urlparse

    parts = urlparse(url)
    env = {
        "CADRE_DB_HOST": parts.hostname or "127.0.0.1",
        "CADRE_DB_PORT": str(parts.port or 5432),
        "CADRE_DB_USER": unquote(parts.username or ""),
        "CADRE_DB_PASSWORD": unquote(parts.password or ""),
        "CADRE_DB_NAME": (parts.path or "/").lstrip("/") or "postgres",
    }
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        if name not in LIBPQ_PARAMETERS:
            known = ", ".join(sorted(LIBPQ_PARAMETERS))
            raise ValueError(f"CADRE_WAREHOUSE_URL: parameter {name!r} is not passed on to dbt (known: {known})")
        env[LIBPQ_PARAMETERS[name]] = value
    return env


def pseudonym_key(settings: Settings, env: dict[str, str] | None = None) -> str:
    """The key of the pseudonymous person ids: ``CADRE_PSEUDONYM_KEY``, else one generated once per
    CADRE_HOME and kept there (0600). Never in the repository."""
    import os
    import secrets

    env = os.environ if env is None else env
    if env.get("CADRE_PSEUDONYM_KEY"):
        return env["CADRE_PSEUDONYM_KEY"]
    return secret_file(settings.home / "pseudonym.key", lambda: secrets.token_hex(32))


def secret_file(path: Path, make) -> str:
    """The secret kept in ``path``, made by ``make()`` and written owner-only the first time."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_secret(path, make() + "\n")
    return path.read_text(encoding="utf-8").strip()


def write_secret(path: Path, text: str) -> None:
    """Create ``path`` readable by its owner only from the first byte (never briefly world-readable), or
    fail if it exists."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
