"""The ``cadre`` command: ``warehouse``, ``sample``, ``ingest``, ``vocabulary``, ``quarantine replay``, ``dbt``,
``refresh``, ``access``, ``airflow``, ``demo``."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from cadre import settings as settings_mod
from cadre.warehouse import WarehouseError, warehouse
from ingest.db import PseudonymKeyChanged


def _print(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def _url(settings, component: str) -> str:
    """The login ``component`` uses (``access``): the roles are set up first on the embedded warehouse."""
    from cadre import access

    return access.url(settings, component)


def cmd_warehouse(args, settings) -> int:
    wh = warehouse(settings)
    if args.action == "url" and args.role != "owner":
        print(_url(settings, args.role))
        return 0
    if args.action == "url":
        print(wh.url())
        return 0
    status = {"start": wh.start, "stop": wh.stop, "status": wh.status}[args.action]()
    _print(status.as_dict())
    return 0 if status.running or args.action == "stop" else 1


def cmd_sample(args, settings) -> int:
    from cadre import progress
    from cadre.sample import generate

    with progress.phase(f"writing the {args.scale} sample into {args.out}"):
        written = generate(Path(args.out), seed=args.seed, scale=args.scale)
    _print(written)
    return 0


def cmd_ingest(args, settings) -> int:
    from cadre import progress
    from ingest import db
    from ingest.pipeline import discover, ingest_paths

    url = _url(settings, "loader")
    if args.new_pseudonym_key:
        db.ensure_schema(url)
        recomputed = db.use_pseudonym_key(url, new_key=True)
        print(json.dumps({"status": "new_pseudonym_key", "citizen_ids_recomputed": recomputed}), flush=True)
    ok = True
    paths = [Path(p) for p in args.paths]
    with progress.files(len(discover(paths)), "ingest") as done:
        for result in ingest_paths(paths, url, kind=args.kind, workers=args.workers):
            print(json.dumps(result, ensure_ascii=False, default=str), flush=True)
            done((result.get("rows_loaded") or 0) + (result.get("rows_quarantined") or 0))
            ok &= result["status"] in ("loaded", "duplicate", "superseded")
    return 0 if ok else 1


def cmd_vocabulary(args, settings) -> int:
    """The values the ingest could not read, most frequent first: each is one line in ingest/vocabulary.yaml."""
    from ingest import review

    entries = review.unmapped(_url(settings, "loader"))
    if args.json:
        for entry in entries:
            print(json.dumps(entry, ensure_ascii=False), flush=True)
        return 0
    if not entries:
        print("every value of the batches in use was read")
        return 0
    print(f"{'column':<12} {'count':>6}  value  (files)")
    for e in entries:
        files = ", ".join(e["files"][:3]) + (f" +{len(e['files']) - 3}" if len(e["files"]) > 3 else "")
        print(f"{e['column']:<12} {e['count']:>6}  {e['value']}  ({files})")
    print("teach a spelling with one line in ingest/vocabulary.yaml, then: cadre quarantine replay")
    return 0


def cmd_quarantine(args, settings) -> int:
    """Re-read quarantined rows and unknown levels of the batches in use with today's vocabulary."""
    from ingest import review

    results = review.replay(_url(settings, "loader"), every=args.all)
    for result in results:
        print(json.dumps(result, ensure_ascii=False, default=str), flush=True)
    if not results:  # stdout stays JSON lines; a person at a terminal is told why nothing happened
        print("nothing to replay: every batch in use was read with today's vocabulary (--all reads them again)",
              file=sys.stderr)  # fmt: skip
    return 0


def cmd_dbt(args, settings) -> int:
    """dbt against this instance's warehouse, target ``dev`` (``*__dev`` schemas, the batches in use now):
    the published schemas are written only by ``cadre refresh`` and the Airflow DAG."""
    from cadre import transform

    if any(a == "--target" or a.startswith("--target=") or a == "-t" for a in args.dbt_args):
        raise ValueError("`cadre dbt` builds the dev target (*__dev schemas); `cadre refresh` builds and publishes")
    return transform.run_dbt(settings, args.dbt_args, url=_url(settings, "transformer"))


def cmd_sqlfluff(args, settings) -> int:
    """sqlfluff (dbt templater, config in .sqlfluff) against this instance's warehouse."""
    from cadre import transform

    url = _url(settings, "transformer")
    return transform.run_sqlfluff(settings, args.sqlfluff_args or ["lint", "dbt_project"], url=url)


def cmd_refresh(args, settings) -> int:
    """Write-audit-publish without Airflow: build the candidate, check it, publish it, write the report."""
    from datetime import UTC, datetime

    from cadre import refresh

    url, dbt_url = _url(settings, "publisher"), _url(settings, "transformer")
    run_id = args.run_id or f"manual__{datetime.now(UTC):%Y-%m-%dT%H:%M:%S}"
    waited = 0.0
    while True:
        try:
            result = refresh.run(settings, url, run_id, dbt_url=dbt_url)
            break
        except refresh.RefreshRunning as exc:
            if waited >= args.wait:
                print(json.dumps({"status": "refresh_running", "reason": str(exc)}, ensure_ascii=False))
                return 75  # EX_TEMPFAIL: try again later
            time.sleep(min(10.0, args.wait - waited))
            waited += 10.0
        except refresh.GateFailed as exc:
            print(json.dumps({"status": "not_published", "reason": str(exc)}, ensure_ascii=False))
            return 1
    print(json.dumps(result, ensure_ascii=False))
    return 0


def cmd_airflow(args, settings) -> int:
    """Airflow of this instance (home and metadata database under $CADRE_HOME/airflow, the DAGs of this
    repository, the warehouse), e.g. `cadre airflow standalone` or `cadre airflow dags list`."""
    from cadre import orchestration

    wh = warehouse(settings)
    wh.start()
    return orchestration.airflow(settings, wh.url(), args.airflow_args or ["standalone"]).returncode


def cmd_access(args, settings) -> int:
    """The roles and who sees which district: ``setup``, ``show``, ``grant-district``, ``revoke-district``."""
    from cadre import access, reference

    wh = warehouse(settings)
    wh.start()
    admin = wh.url()
    if args.action == "setup":
        access.setup(settings, admin)
        _print(access.show(admin))
        return 0
    if args.action == "show":
        rows = access.show(admin)
        if args.json:
            for row in rows:
                print(json.dumps(row, ensure_ascii=False), flush=True)
            return 0
        print(f"{'role':<24} {'login':<5} {'member of':<36} {'districts':<12} schemas")
        for r in rows:
            districts = "all" if r["districts"] == ["*"] else (",".join(r["districts"]) or "-")
            flag = "  BYPASSES RLS" if r["bypasses_rls"] else ""
            member = ",".join(r["member_of"]) or "-"
            print(f"{r['role']:<24} {'yes' if r['login'] else 'no':<5} {member:<36} {districts:<12} "
                  f"{','.join(r['schemas']) or '-'}{flag}")  # fmt: skip
        return 0
    if not (args.role and args.district):
        raise ValueError(f"cadre access {args.action} ROLE DISTRICT")
    access.ensure(settings, admin)
    if args.action == "grant-district":
        access.grant_district(admin, args.role, args.district, reference.district_codes())
    elif not access.revoke_district(admin, args.role, args.district):
        raise ValueError(f"{args.role} had not been granted district {args.district}")
    _print([r for r in access.show(admin) if r["role"] == args.role])
    return 0


def cmd_demo(args, settings) -> int:
    from cadre import demo

    return demo.run(settings, seed=args.seed)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="cadre", description="Warehouse of commune cadres' qualifications and training.")
    sub = p.add_subparsers(dest="command", required=True)
    w = sub.add_parser("warehouse", help="the embedded PostgreSQL (or the external one in CADRE_WAREHOUSE_URL)")
    w.add_argument("action", choices=("start", "stop", "status", "url"))
    w.add_argument(
        "--role",
        choices=("owner", "bi", "loader", "transformer", "publisher"),
        default="owner",
        help="url: another login than the administrator's, e.g. bi: the BI tool's (reporting and reference only)",
    )
    w.set_defaults(func=cmd_warehouse)
    s = sub.add_parser("sample", help="write the sample province (source files + ground truth)")
    s.add_argument("--out", required=True, help="folder to write into (hr/, courses/, surveys/, truth/)")
    s.add_argument("--seed", type=int, default=2022)
    s.add_argument("--scale", choices=("province", "national"), default="province")
    s.set_defaults(func=cmd_sample)
    i = sub.add_parser("ingest", help="load files or folders into the warehouse; one JSON line per file")
    i.add_argument("paths", nargs="+", help="files or folders (folders are searched recursively)")
    i.add_argument("--kind", choices=("hr", "classes", "roster", "survey"), help="skip kind detection")
    i.add_argument(
        "--workers",
        type=int,
        default=1,
        help="files ingested at once, each in its own process (e.g. the number of cores); lines stay in file order",
    )
    i.add_argument(
        "--new-pseudonym-key",
        action="store_true",
        help="the pseudonym key changed on purpose: recompute every person id with it (refused otherwise)",
    )
    i.set_defaults(func=cmd_ingest)
    v = sub.add_parser("vocabulary", help="the values the ingest could not read, most frequent first")
    v.add_argument("--json", action="store_true", help="one JSON line per value")
    v.set_defaults(func=cmd_vocabulary)
    q = sub.add_parser("quarantine", help="quarantined rows: `cadre quarantine replay` re-reads them")
    q.add_argument("action", choices=("replay",))
    q.add_argument("--all", action="store_true", help="every batch in use, not only those read with another vocabulary")
    q.set_defaults(func=cmd_quarantine)
    b = sub.add_parser("dbt", help="run dbt on this warehouse, e.g. `cadre dbt build`")
    b.add_argument("dbt_args", nargs=argparse.REMAINDER, help="arguments for dbt")
    b.set_defaults(func=cmd_dbt)
    f = sub.add_parser("sqlfluff", help="lint the dbt models, e.g. `cadre sqlfluff lint dbt_project/models`")
    f.add_argument("sqlfluff_args", nargs=argparse.REMAINDER, help="arguments for sqlfluff (default: lint dbt_project)")
    f.set_defaults(func=cmd_sqlfluff)
    r = sub.add_parser("refresh", help="build, check and publish the warehouse and its report (no Airflow)")
    r.add_argument("--run-id", help="name of this run in the publish log and the report")
    r.add_argument(
        "--wait", type=float, default=0, metavar="SECONDS", help="while another refresh runs, wait up to this long"
    )
    r.set_defaults(func=cmd_refresh)
    a = sub.add_parser("airflow", help="Airflow for this instance, e.g. `cadre airflow standalone` (the UI)")
    a.add_argument("airflow_args", nargs=argparse.REMAINDER, help="arguments for airflow (default: standalone)")
    a.set_defaults(func=cmd_airflow)
    c = sub.add_parser("access", help="roles and who sees which district, e.g. `cadre access show`")
    c.add_argument("action", choices=("setup", "show", "grant-district", "revoke-district"))
    c.add_argument("role", nargs="?", help="grant-district/revoke-district: the role (created NOLOGIN when missing)")
    c.add_argument("district", nargs="?", help="grant-district/revoke-district: the district code, e.g. 193")
    c.add_argument("--json", action="store_true", help="show: one JSON line per role")
    c.set_defaults(func=cmd_access)
    d = sub.add_parser("demo", help="the main job: warehouse up, sample province into the landing folder")
    d.add_argument("--seed", type=int, default=2022)
    d.set_defaults(func=cmd_demo)
    return p


# Files cadre and the processes it starts (Airflow, dbt, PostgreSQL) write — landing copies, reports, logs,
# Data Docs — are readable by their owner only: they may hold personal data.
UMASK = 0o077


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    os.umask(UMASK)
    try:
        settings = settings_mod.load()
        return args.func(args, settings)
    except (WarehouseError, ValueError, PseudonymKeyChanged) as exc:
        print(f"cadre: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
