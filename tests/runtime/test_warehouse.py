"""The embedded warehouse is a real PostgreSQL on TCP 127.0.0.1; an external URL replaces it entirely."""

from __future__ import annotations

import os
import subprocess
import sys
from urllib.parse import urlparse

import psycopg
import pytest

from cadre import settings as settings_mod
from cadre.warehouse import EmbeddedWarehouse, ExternalWarehouse, redact, warehouse


def test_start_gives_a_tcp_url_to_a_real_postgres(embedded_warehouse, warehouse_settings):
    url = embedded_warehouse.url()
    parsed = urlparse(url)
    assert parsed.scheme == "postgresql"
    assert parsed.hostname == "127.0.0.1"
    assert parsed.port == warehouse_settings.port
    with psycopg.connect(url) as conn:
        version = conn.execute("show server_version").fetchone()[0]
        assert version.startswith("18.")
        # Vietnamese text round-trips and case-maps (builtin C.UTF-8 locale)
        assert conn.execute("select upper(%s)", ("hòa ủy",)).fetchone()[0] == "HÒA ỦY"


def test_start_is_idempotent(embedded_warehouse):
    pid = embedded_warehouse.status().pid
    again = embedded_warehouse.start()
    assert again.running
    assert again.pid == pid


def test_data_lives_under_cadre_home_and_the_password_is_not_world_readable(embedded_warehouse, warehouse_settings):
    assert embedded_warehouse.data.is_relative_to(warehouse_settings.home)
    assert (embedded_warehouse.data / "PG_VERSION").read_text().strip() == "18"
    assert oct(embedded_warehouse.secret.stat().st_mode & 0o777) == "0o600"


def test_password_is_required_over_tcp(embedded_warehouse):
    parsed = urlparse(embedded_warehouse.url())
    bad = f"postgresql://cadre:wrong@127.0.0.1:{parsed.port}/cadre"
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(bad, connect_timeout=5)


def test_status_reports_without_the_password(embedded_warehouse):
    shown = embedded_warehouse.status().as_dict()
    assert shown["running"] is True
    assert "***" in shown["url"]
    assert embedded_warehouse.secret.read_text().strip() not in shown["url"]


def test_stop_then_start_keeps_the_data(tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    wh = EmbeddedWarehouse(settings_mod.load({"CADRE_HOME": str(tmp_path / "home"), "CADRE_PG_PORT": str(port)}))
    wh.start()
    try:
        with psycopg.connect(wh.url(), autocommit=True) as conn:
            conn.execute("create table kept (x int)")
            conn.execute("insert into kept values (42)")
        assert not wh.stop().running
        assert not wh.stop().running  # stopping a stopped warehouse is fine
        wh.start()
        with psycopg.connect(wh.url()) as conn:
            assert conn.execute("select x from kept").fetchone() == (42,)
    finally:
        wh.stop()


def test_a_taken_port_gives_a_clear_error(embedded_warehouse, tmp_path):
    from cadre.warehouse import WarehouseError

    taken = urlparse(embedded_warehouse.url()).port
    other = EmbeddedWarehouse(settings_mod.load({"CADRE_HOME": str(tmp_path / "h2"), "CADRE_PG_PORT": str(taken)}))
    with pytest.raises(WarehouseError, match="CADRE_PG_PORT"):
        other.start()


def test_external_url_replaces_the_embedded_warehouse(embedded_warehouse, tmp_path):
    home = tmp_path / "external-home"
    s = settings_mod.load({"CADRE_HOME": str(home), "CADRE_WAREHOUSE_URL": embedded_warehouse.url()})
    wh = warehouse(s)
    assert isinstance(wh, ExternalWarehouse)
    status = wh.start()
    assert status.mode == "external"
    assert status.running
    assert wh.url() == embedded_warehouse.url()
    assert not (home / "warehouse").exists(), "nothing embedded may be created"


def test_external_url_that_is_down_reports_not_running():
    s = settings_mod.load({"CADRE_WAREHOUSE_URL": "postgresql://x:y@127.0.0.1:1/none"})
    assert warehouse(s).status().running is False


def test_cli_url_and_status(embedded_warehouse, warehouse_settings):
    env = {**os.environ, "CADRE_HOME": str(warehouse_settings.home), "CADRE_PG_PORT": str(warehouse_settings.port)}
    env.pop("CADRE_WAREHOUSE_URL", None)
    url = subprocess.run(
        [sys.executable, "-m", "cadre.cli", "warehouse", "url"], env=env, check=True, capture_output=True, text=True
    ).stdout.strip()
    assert url == embedded_warehouse.url()
    status = subprocess.run(
        [sys.executable, "-m", "cadre.cli", "warehouse", "status"], env=env, check=True, capture_output=True, text=True
    ).stdout
    assert '"running": true' in status
    assert redact(url) in status


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://cadre:s3cret@127.0.0.1:5432/cadre", "postgresql://cadre:***@127.0.0.1:5432/cadre"),
        ("postgresql://cadre@127.0.0.1/cadre", "postgresql://cadre@127.0.0.1/cadre"),
        ("postgresql://127.0.0.1/cadre", "postgresql://127.0.0.1/cadre"),
    ],
)
def test_redact(url, shown):
    assert redact(url) == shown


def test_settings_reject_a_bad_port():
    with pytest.raises(ValueError, match="CADRE_PG_PORT"):
        settings_mod.load({"CADRE_PG_PORT": "postgres"})


def test_url_parameters_reach_dbt_and_unknown_ones_are_refused():
    env = settings_mod.db_env("postgresql://u:p%40ss@db.example:6432/cadre?sslmode=verify-full&sslrootcert=/etc/ca.pem")
    assert env["CADRE_DB_PASSWORD"] == "p@ss"
    assert (env["PGSSLMODE"], env["PGSSLROOTCERT"], env["CADRE_DB_PORT"]) == ("verify-full", "/etc/ca.pem", "6432")
    with pytest.raises(ValueError, match="'sslmod'"):
        settings_mod.db_env("postgresql://u:p@h/db?sslmod=require")


def test_sslmode_of_the_url_reaches_dbt(embedded_warehouse, tmp_path):
    """The embedded warehouse speaks no TLS: dbt (run with exactly the environment `cadre dbt` gives it)
    refuses it when the URL asks for TLS, and connects when the URL says not to use it — so the parameter got
    to dbt's driver."""
    from cadre import transform

    settings = settings_mod.load({"CADRE_HOME": str(tmp_path)})
    url = embedded_warehouse.url()

    def debug(query: str) -> subprocess.CompletedProcess:
        env = transform.env(settings, f"{url}?{query}")
        command = [transform.tool("dbt"), "debug", "--connection", "--target", "dev"]
        command += ["--project-dir", str(transform.PROJECT_DIR), "--profiles-dir", str(transform.PROJECT_DIR)]
        return subprocess.run(command, env=env, capture_output=True, text=True, check=False)

    refused = debug("sslmode=require")
    assert refused.returncode != 0
    assert "SSL" in refused.stdout + refused.stderr
    allowed = debug("sslmode=disable")
    assert allowed.returncode == 0, allowed.stdout[-2000:]
