"""``cadre demo``'s landing folder; the whole demo through Airflow is tests/orchestration/test_end_to_end.py."""

from __future__ import annotations

import subprocess
import sys


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
