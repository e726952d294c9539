"""``cadre demo`` (what ``make demo`` runs): warehouse up, sample in the landing folder; a re-run changes nothing."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


@pytest.fixture
def own_home(tmp_path):
    """A CADRE_HOME of its own: the demo starts (and here stops) its own warehouse."""
    from cadre import settings as settings_mod
    from cadre.warehouse import EmbeddedWarehouse
    from tests.conftest import free_port

    settings = settings_mod.load({"CADRE_HOME": str(tmp_path / "home"), "CADRE_PG_PORT": str(free_port())})
    yield settings
    EmbeddedWarehouse(settings).stop()


def test_demo_twice(own_home):
    warehouse_settings = own_home
    env = {**os.environ, "CADRE_HOME": str(warehouse_settings.home), "CADRE_PG_PORT": str(warehouse_settings.port)}
    env.pop("CADRE_WAREHOUSE_URL", None)
    run = [sys.executable, "-m", "cadre.cli", "demo"]
    first = subprocess.run(run, env=env, capture_output=True, text=True, check=True).stdout
    landing = warehouse_settings.landing
    assert "cadres on 2020-12-30: 1714" in first
    assert (landing / "truth" / "manifest.csv").exists()
    assert len(list((landing / "hr").rglob("*.xlsx"))) == 52
    before = {p: p.stat().st_mtime_ns for p in landing.rglob("*") if p.is_file()}

    assert "ingest     126 files: 126 loaded" in first
    second = subprocess.run(run, env=env, capture_output=True, text=True, check=True).stdout
    assert "unchanged" in second
    assert "nothing new" in second
    after = {p: p.stat().st_mtime_ns for p in landing.rglob("*") if p.is_file()}
    assert after == before, "a second demo must not rewrite the landing folder"


def test_demo_rewrites_a_damaged_landing_folder(warehouse_settings, embedded_warehouse):
    from cadre.demo import write_sample

    landing = warehouse_settings.home / "damaged"
    write_sample(landing, seed=2022)
    victim = next((landing / "hr").rglob("*.xlsx"))
    victim.write_bytes(b"truncated")
    _, written = write_sample(landing, seed=2022)
    assert written
    assert victim.stat().st_size > 1000


def test_sample_command(tmp_path):
    out = tmp_path / "s"
    result = subprocess.run(
        [sys.executable, "-m", "cadre.cli", "sample", "--out", str(out), "--seed", "5"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert '"cadre_headcount": 1714' in result.stdout
    assert (out / "surveys").is_dir()
    assert (out / "truth" / "figures.csv").exists()
