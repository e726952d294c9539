"""Run by test_dagbag in a fresh interpreter with the project's Airflow environment: load the DAG folder
while any socket connection or subprocess (a database, the network, dbt) is recorded, and print JSON."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time

calls: list[str] = []
_connect, _popen = socket.socket.connect, subprocess.Popen.__init__


def _no_connect(self, address):
    calls.append(f"socket.connect {address}")
    return _connect(self, address)


def _no_popen(self, args, *a, **k):
    if list(args)[:2] != ["file", "-b"]:  # platform.architecture(), which croniter calls on import
        calls.append(f"subprocess {args}")
    return _popen(self, args, *a, **k)


socket.socket.connect = _no_connect
subprocess.Popen.__init__ = _no_popen

from airflow.dag_processing.dagbag import DagBag  # noqa: E402

started = time.perf_counter()
bag = DagBag(dag_folder=sys.argv[1])
seconds = time.perf_counter() - started
dags = {}
for dag_id, dag in bag.dags.items():
    dags[dag_id] = {
        "max_active_runs": dag.max_active_runs,
        "timetable": type(dag.timetable).__name__,
        "assets": str(getattr(dag.timetable, "asset_condition", "")),
        "tasks": {
            t.task_id: {
                "execution_timeout": t.execution_timeout.total_seconds() if t.execution_timeout else None,
                "retries": t.retries,
                "retry_exponential_backoff": bool(t.retry_exponential_backoff),
                "outlets": [getattr(o, "uri", str(o)) for o in t.outlets],
                "mapped": type(t).__name__ == "MappedOperator" or hasattr(t, "expand_input"),
                "on_failure_callback": bool(t.on_failure_callback),
                "upstream": sorted(t.upstream_task_ids),
            }
            for t in dag.tasks
        },
    }
print(
    json.dumps(
        {
            "import_errors": {str(k): str(v) for k, v in bag.import_errors.items()},
            "dags": dags,
            "seconds": seconds,
            "per_file": {s.file: s.duration.total_seconds() for s in bag.dagbag_stats},
            "calls": calls,
        }
    )
)
