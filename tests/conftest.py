"""Shared fixtures: one sample province per session, one real embedded PostgreSQL per session."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from cadre import settings as settings_mod
from cadre.sample import generate
from cadre.warehouse import EmbeddedWarehouse

SEED = 2022


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
