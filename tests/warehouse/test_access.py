"""Who reads what, proven by logging in as each role on the warehouse `cadre refresh` built (whose dbt ran as
the transformer and whose begin, gate, swap and report ran as the publisher)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import psycopg
import pytest

from cadre import access
from tests.conftest import query

PUBLISHED = tuple(access.READERS)
RESTRICTED = ("raw", "quarantine", "ops", "staging", "intermediate")


def _tables(url: str, schemas: tuple[str, ...]) -> list[tuple[str, str, bool, bool, bool]]:
    """(schema, table, has a person_id column, RLS enabled, RLS forced) of every table and view in ``schemas``."""
    return query(
        url,
        "select n.nspname, c.relname, "
        "exists (select from pg_attribute a where a.attrelid = c.oid and a.attname = 'person_id' "
        "and not a.attisdropped), "
        "c.relrowsecurity, c.relforcerowsecurity "
        "from pg_class c join pg_namespace n on n.oid = c.relnamespace "
        "where n.nspname = any(%s) and c.relkind in ('r', 'v', 'm', 'p') order by 1, 2",
        (list(schemas),),
    )


def _login(admin: str, role: str, password: str = "district-pass") -> str:
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"alter role {role} login password '{password}'")
    return access.login_url(admin, role, password)


@pytest.fixture(scope="module")
def bi(built, wh_url, warehouse_settings) -> str:
    assert built.returncode == 0, built.stderr[-3000:]
    return access.url(warehouse_settings, "bi", wh_url)


def test_the_components_built_the_warehouse_under_their_own_roles(built, wh_url):
    assert built.returncode == 0, built.stderr[-3000:]
    owners = query(
        wh_url,
        "select distinct n.nspname, pg_get_userbyid(c.relowner) from pg_class c "
        "join pg_namespace n on n.oid = c.relnamespace where n.nspname = any(%s) and c.relkind in ('r', 'v')",
        ([*list(PUBLISHED), "staging", "intermediate", "raw", "quarantine", "ops"],),
    )
    by_schema = {}
    for schema, owner in owners:
        by_schema.setdefault(schema, set()).add(owner)
    assert by_schema["marts"] == by_schema["reporting"] == by_schema["intermediate"] == {access.TRANSFORMER}
    assert by_schema["raw"] == by_schema["ops"] == {access.OWNER}
    # no role of the warehouse can get around row-level security, none is an administrator
    flags = query(
        wh_url,
        "select rolname from pg_roles "
        "where (rolname like 'cadre\\_%%' or pg_has_role(oid, 'cadre_district', 'member')) "
        "and (rolsuper or rolbypassrls or rolcreaterole or rolcreatedb)",
    )
    assert flags == [("cadre",)] or flags == []  # the embedded cluster's administrator, which no component uses


def test_bi_reads_the_suppressed_aggregates_and_nothing_person_level_exact_or_restricted(bi, wh_url):
    tables = _tables(wh_url, PUBLISHED + RESTRICTED)
    with psycopg.connect(bi, autocommit=True) as conn:
        assert conn.execute("select current_user").fetchone() == (access.BI_LOGIN,)
        readable, denied = [], []
        for schema, table, person_level, _, _ in tables:
            try:
                conn.execute(f'select * from "{schema}"."{table}" limit 1')
                readable.append((schema, table, person_level))
            except psycopg.errors.InsufficientPrivilege:
                denied.append((schema, table))
        for key in ("raw.pseudonym_key_in_use", "access.district_grants"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"select * from {key}")
    assert {s for s, _, _ in readable} == {"reporting", "reference"}
    assert not [t for t in readable if t[2]], "BI read a person-level table"
    assert ("reporting", "rpt_district_summary", False) in readable
    assert ("reporting", "rpt_standards_by_title_suppressed", False) in readable
    assert ("reporting", "rpt_standards_by_title") in denied  # exact counts of 1-2 people
    assert ("reporting", "rpt_standards_gap") in denied
    assert ("marts", "fct_cadre_positions") in denied
    assert ("raw", "hr_rows") in denied
    assert ("intermediate", "int_cadre_positions") in denied


def test_every_table_carries_exactly_its_allow_listed_grants_and_person_rows_are_row_secured(built, wh_url):
    """What a new model gets: its folder's readers, or — when it has a person_id — the person-level readers
    and a forced row-level security policy. A model that forgets either fails here."""
    assert built.returncode == 0
    grants = {}
    for schema, table, grantee in query(
        wh_url,
        "select table_schema, table_name, grantee from information_schema.role_table_grants "
        "where table_schema = any(%s) and grantee <> %s",
        (list(PUBLISHED + RESTRICTED), access.TRANSFORMER),
    ):
        grants.setdefault((schema, table), set()).add(grantee)
    problems = []
    tables = _tables(wh_url, (*PUBLISHED, "staging", "intermediate"))
    names = {(schema, table) for schema, table, *_ in tables}
    for schema, table, person_level, rls, forced in tables:
        if (schema, f"{table}_suppressed") in names:  # exact counts of people: analysts only
            expected = set(access.EXACT_COUNT_READERS)
        elif schema in PUBLISHED:
            expected = set(access.PERSON_LEVEL_READERS if person_level else access.READERS[schema])
        else:
            expected = set()
        if grants.get((schema, table), set()) != expected:
            problems.append(f"{schema}.{table}: granted {sorted(grants.get((schema, table), set()))}")
        if person_level and schema in PUBLISHED and not (rls and forced):
            problems.append(f"{schema}.{table}: person-level without forced row-level security")
    assert not problems, problems
    # a view dbt builds reads with its reader's rights
    options = query(wh_url, "select reloptions from pg_class where oid = 'staging.stg_raw__hr_rows'::regclass")
    assert options == [(["security_invoker=true"],)]


def test_a_district_role_sees_its_own_district_only_also_through_a_view(built, wh_url, warehouse_settings):
    assert built.returncode == 0
    access.grant_district(wh_url, "officer_ha_long", "193", {"193", "194"})
    officer = _login(wh_url, "officer_ha_long")
    with psycopg.connect(wh_url, autocommit=True) as conn:  # an analysts' team's view over the marts
        conn.execute("create schema if not exists team")
        conn.execute(
            "create or replace view team.positions with (security_invoker = true) as "
            "select district_code, person_id from marts.fct_cadre_positions"
        )
        conn.execute("grant usage on schema team to cadre_district")
        conn.execute("grant select on team.positions to cadre_district")
    totals = dict(query(wh_url, "select district_code, count(*) from marts.fct_cadre_positions group by 1"))
    assert len(totals) == 13
    with psycopg.connect(officer) as conn:
        seen = dict(conn.execute("select district_code, count(*) from marts.fct_cadre_positions group by 1").fetchall())
        assert seen == {"193": totals["193"]}
        assert conn.execute(
            "select count(*) from marts.fct_cadre_positions where district_code = '194'"
        ).fetchone() == (0,)
        assert dict(conn.execute("select district_code, count(*) from team.positions group by 1").fetchall()) == seen
        assert {r[0] for r in conn.execute("select distinct last_district_code from marts.dim_person")} == {"193"}
        assert {r[0] for r in conn.execute("select distinct district_code from reporting.rpt_standards_gap")} <= {"193"}
        # training rows follow their person: only people of the district, never the unmatched
        participations = conn.execute(
            "select count(*), count(*) filter (where person_id is null or person_id not in "
            "(select person_id from marts.dim_person)) from marts.fct_training_participations"
        ).fetchone()
        assert participations[0] > 0
        assert participations[1] == 0
        # the aggregates stay whole: they describe the province
        assert conn.execute("select count(*) from reporting.rpt_district_summary").fetchone()[0] > 1
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("select * from raw.hr_rows")
    # another district granted: both are seen; revoked: none
    access.grant_district(wh_url, "officer_ha_long", "194", {"193", "194"})
    with psycopg.connect(officer) as conn:
        both = {r[0] for r in conn.execute("select distinct district_code from marts.fct_cadre_positions")}
    assert both == {"193", "194"}
    assert access.revoke_district(wh_url, "officer_ha_long", "193")
    assert access.revoke_district(wh_url, "officer_ha_long", "194")
    with psycopg.connect(officer) as conn:
        assert conn.execute("select count(*) from marts.fct_cadre_positions").fetchone() == (0,)
    with pytest.raises(ValueError, match="unknown district"):
        access.grant_district(wh_url, "officer_ha_long", "999", {"193"})
    with pytest.raises(ValueError, match="own roles"):
        access.grant_district(wh_url, access.BI, "193", {"193"})


def test_cadre_access_grants_and_shows_who_sees_what(built, wh_url, warehouse_settings):
    assert built.returncode == 0
    env = {**os.environ, "CADRE_HOME": str(warehouse_settings.home), "CADRE_WAREHOUSE_URL": wh_url}

    def cadre(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "cadre.cli", "access", *args], env=env, capture_output=True, text=True
        )

    granted = cadre("grant-district", "officer_mong_cai", "194")
    assert granted.returncode == 0, granted.stderr
    shown = {r["role"]: r for r in map(json.loads, cadre("show", "--json").stdout.splitlines())}
    assert shown["officer_mong_cai"]["districts"] == ["194"]
    assert shown["officer_mong_cai"]["member_of"] == [access.DISTRICT]
    assert shown[access.BI_LOGIN]["schemas"] == ["access", "reference", "reporting"]
    assert shown[access.ANALYST]["districts"] == ["*"]
    assert not any(r["bypasses_rls"] for name, r in shown.items() if name != "cadre")
    refused = cadre("grant-district", "officer_mong_cai", "99x")
    assert refused.returncode == 2
    assert "unknown district '99x'" in refused.stderr
    table = cadre("show").stdout
    assert "officer_mong_cai" in table
    assert "194" in table
