"""Progress of long work for a person at a terminal: files done of all, rows per second, the phase. On
stderr, and only when stderr is a terminal: piped or under Airflow, nothing is drawn and stdout keeps its
JSON lines alone."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def files(total: int, phase: str, console=None) -> Iterator:
    """A callable ``done(rows)`` to call once per finished file; draws a bar when on a terminal."""
    if console is None and not sys.stderr.isatty():
        yield lambda rows=0: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = console or Console(stderr=True)
    started, rows_done = time.perf_counter(), 0
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("files · {task.fields[rate]} rows/s"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as bar:
        task = bar.add_task(phase, total=total, rate="–")

        def done(rows: int = 0) -> None:
            nonlocal rows_done
            rows_done += rows
            rate = rows_done / max(time.perf_counter() - started, 1e-6)
            bar.update(task, advance=1, rate=f"{rate:,.0f}")

        yield done


@contextmanager
def phase(name: str, console=None) -> Iterator[None]:
    """A step of long work (``cadre refresh``: dbt build, gate, publish, report): a spinner while it runs,
    then its time, on a terminal only."""
    if console is None and not sys.stderr.isatty():
        yield
        return
    from rich.console import Console

    console = console or Console(stderr=True)
    started = time.perf_counter()
    with console.status(f"{name}…"):
        yield
    console.print(f"✓ {name} ({time.perf_counter() - started:,.1f} s)")
