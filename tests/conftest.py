"""Shared fixtures: one sample province per session, one real embedded PostgreSQL per session."""

from __future__ import annotations

import csv
import os
import socket
from pathlib import Path

import psycopg
import pytest

from cadre import settings as settings_mod
from cadre.sample import generate
from cadre.warehouse import EmbeddedWarehouse
from ingest.pipeline import ingest_paths

SEED = 2022
# One pseudonym key for the whole session, in-process and in every `cadre` child: the ingest refuses a key other
# than the one a warehouse's person ids were made with, and tests ingest into shared databases from both.
os.environ.setdefault("CADRE_PSEUDONYM_KEY", "test-session-pseudonym-key")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    generate(out, seed=SEED)
    return out


@pytest.fixture(scope="session")
def warehouse_settings(tmp_path_factory) -> settings_mod.Settings:
    home = tmp_path_factory.mktemp("cadre_home")
    return settings_mod.load({"CADRE_HOME": str(home), "CADRE_PG_PORT": str(free_port())})


@pytest.fixture(scope="session")
def embedded_warehouse(warehouse_settings):
    wh = EmbeddedWarehouse(warehouse_settings)
    wh.start()
    yield wh
    wh.stop()


@pytest.fixture
def clean_env(monkeypatch):
    """No CADRE_* variable from the developer's shell leaks into a test."""
    for key in list(os.environ):
        if key.startswith("CADRE_"):
            monkeypatch.delenv(key)
    return monkeypatch


@pytest.fixture(scope="session")
def url(embedded_warehouse) -> str:
    from ingest import db

    db.ensure_schema(embedded_warehouse.url())
    return embedded_warehouse.url()


@pytest.fixture(scope="session")
def ingested(sample_dir, url) -> dict[str, dict]:
    """file (relative to the sample) -> its JSON summary."""
    results = list(ingest_paths([sample_dir], url))
    return {str(r["file"]).removeprefix(str(sample_dir) + "/"): r for r in results}


@pytest.fixture(scope="session")
def truth(sample_dir):
    def read(name: str) -> list[dict]:
        with open(sample_dir / "truth" / name, encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    return read


def fresh_database(embedded_warehouse, name: str) -> str:
    """An empty database ``name`` of its own on the session's PostgreSQL, with the raw schema; its URL."""
    from ingest import db

    admin = embedded_warehouse.url()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"drop database if exists {name} with (force)")
        conn.execute(f"create database {name}")
    url = admin.rsplit("/", 1)[0] + f"/{name}"
    db.ensure_schema(url)
    return url


def query(url: str, sql: str, params=()) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchall()
