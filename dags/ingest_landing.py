"""Ingest what the districts and the training school delivered into the landing folder.

Mapped tasks per source (HR workbooks, course records, surveys): one per new file, or groups of files when
a delivery has more than ``landing.MAX_TASKS`` (a national one); a bad file fails its own task, whose other
files still load, and never the other tasks. Once every file of the run is in, ``raw_tables_updated``
updates the Assets of the raw tables, which schedules the warehouse refresh once per delivery (never on
half of it). When the vocabulary file changed, the quarantined rows and unknown levels of the batches in
use are read again (``replay_quarantine``). Logic: ``cadre.landing``.
"""

from __future__ import annotations

from airflow.sdk import dag, get_current_context, task
from airflow.sdk.exceptions import AirflowFailException

from cadre import landing
from cadre.orchestration import DEFAULT_ARGS, START_DATE, warehouse_url
from cadre.settings import load

SETTINGS = load()
ASSETS = landing.assets(SETTINGS)


@dag(
    dag_id="ingest_landing",
    schedule="@hourly",
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["cadre", "ingest"],
    doc_md=__doc__,
)
def ingest_landing():
    loads, found = [], {}
    for source in ASSETS:

        @task(task_id=f"find_{source}")
        def find(source: str = source) -> list[list[str]]:
            return landing.batches(landing.new_files(load(), warehouse_url("loader"), source))

        @task(task_id=f"ingest_{source}", map_index_template="{{ delivered_file }}")
        def ingest(paths: list[str]) -> list[dict]:
            more = f" (+{len(paths) - 1})" if len(paths) > 1 else ""
            get_current_context()["delivered_file"] = paths[0].rsplit("/", 1)[-1] + more
            try:
                return landing.ingest_all(paths, warehouse_url("loader"))
            except landing.BadFile as exc:
                raise AirflowFailException(str(exc)) from exc  # bad data: no retry

        found[source] = find()
        loads.append(ingest.expand(paths=found[source]))

    @task.short_circuit(task_id="anything_delivered", trigger_rule="all_done")
    def anything_delivered(hr: list[list[str]], courses: list[list[str]], surveys: list[list[str]]) -> bool:
        return bool(hr or courses or surveys)

    @task(task_id="raw_tables_updated", outlets=[a for outlets in ASSETS.values() for a in outlets])
    def raw_tables_updated() -> None:
        """One asset event per delivery, once every file of it is in: the refresh never starts on half of it
        (files ingested one by one would each trigger it, and publish a warehouse of some districts)."""

    @task.short_circuit(task_id="vocabulary_changed", trigger_rule="all_done")
    def vocabulary_changed() -> bool:
        return landing.replay_due(warehouse_url("loader"))

    @task(task_id="replay_quarantine", outlets=[a for outlets in ASSETS.values() for a in outlets])
    def replay() -> list[dict]:
        return landing.replay(warehouse_url("loader"))

    loads >> anything_delivered(**found) >> raw_tables_updated()
    loads >> vocabulary_changed() >> replay()


ingest_landing()
