"""Progress is drawn for a person at a terminal and never otherwise: stdout's JSON lines stay alone."""

from __future__ import annotations

import io

from rich.console import Console

from cadre import progress


def test_a_terminal_sees_files_done_of_all_and_rows_per_second():
    out = io.StringIO()
    with progress.files(3, "ingest", console=Console(file=out, force_terminal=True, width=120)) as done:
        for rows in (1000, 2000, 3000):
            done(rows)
    text = out.getvalue()
    assert "ingest" in text
    assert "3/3" in text
    assert "rows/s" in text


def test_nothing_is_drawn_when_stderr_is_not_a_terminal(capsys):
    with progress.files(2, "ingest") as done:
        done(10)
        done(20)
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out == ""


def test_a_refresh_phase_says_what_ran_and_how_long_on_a_terminal_only(capsys):
    out = io.StringIO()
    with progress.phase("quality gate", console=Console(file=out, force_terminal=True, width=120)):
        pass
    assert "✓ quality gate" in out.getvalue()
    with progress.phase("quality gate"):
        pass
    assert capsys.readouterr().err == ""
