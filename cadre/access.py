"""Who reaches the warehouse as what: the roles, what each may read or write, and who sees which district.

- ``cadre_owner`` (no login): owns ``raw``, ``quarantine``, ``ops``, ``access``; used by no
  component.
- ``cadre_loader``: the ingest; writes ``raw`` and ``quarantine``.
- ``cadre_transformer``: dbt; reads ``raw``, builds (and owns) the ``*__candidate`` and ``*__dev`` schemas.
- ``cadre_publisher``: begin, gate, swap, grants, report; a member of ``cadre_transformer`` (it renames the
  schemas the transformer built) with the ``ops`` tables.
- ``cadre_bi`` (no login): ``reporting`` aggregates and ``reference``; no person-level row.
- ``cadre_analyst`` (no login): also the person-level (pseudonymous) marts, every district.
- ``cadre_district`` (no login): the person-level marts, only the rows of the districts granted (RLS).

``cadre_bi_reader`` is the login a BI tool uses (member of ``cadre_bi``; sessions carry a
``statement_timeout``). District roles (``cadre access grant-district ROLE DISTRICT``) are members of
``cadre_district``; the mapping table ``access.district_grants`` says which districts each sees, and every
person-level table carries a row-level security policy (forced, so its owner obeys it too) that reads it.
No role has BYPASSRLS, SUPERUSER, CREATEROLE or CREATEDB.

What each table built by dbt grants is declared in ``dbt_project.yml`` (``grants``, per folder) and checked
against ``READERS`` by the tests; nothing else grants (the published schemas' usage is granted by the swap).

A component finds its login in ``CADRE_LOADER_URL`` / ``CADRE_TRANSFORMER_URL`` / ``CADRE_PUBLISHER_URL`` /
``CADRE_BI_URL`` (a server, the compose stack), else it is derived from the administrator's URL (the embedded
warehouse's, or ``CADRE_WAREHOUSE_URL``), which ``setup`` uses once per process to create the roles.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from urllib.parse import quote, unquote, urlparse, urlunparse

import psycopg
from psycopg import sql

from cadre.settings import Settings, secret_file

OWNER, LOADER, TRANSFORMER, PUBLISHER = "cadre_owner", "cadre_loader", "cadre_transformer", "cadre_publisher"
BI, ANALYST, DISTRICT = "cadre_bi", "cadre_analyst", "cadre_district"
BI_LOGIN = "cadre_bi_reader"
COMPONENTS = {"loader": LOADER, "transformer": TRANSFORMER, "publisher": PUBLISHER, "bi": BI_LOGIN}
GROUPS = (OWNER, BI, ANALYST, DISTRICT)
STATEMENT_TIMEOUT = "60s"
IDLE_IN_TRANSACTION_TIMEOUT = "10min"

# Who may read each published schema, and the person-level tables among them (row-level security; never BI).
READERS = {"reference": (BI, ANALYST, DISTRICT), "reporting": (BI, ANALYST, DISTRICT), "marts": (ANALYST, DISTRICT)}
PERSON_LEVEL_READERS = (ANALYST, DISTRICT)
# exact aggregates of people (a `<name>_suppressed` beside each hides cells of 1-2 people for everyone else)
EXACT_COUNT_READERS = (ANALYST,)
OWNED = ("raw", "quarantine", "ops", "access")  # the schemas cadre_owner owns
_LOCK = 7_351_002  # advisory lock: one setup at a time

_ACCESS_DDL = """
create table if not exists access.district_grants (
    role_name name not null,
    district_code text not null,
    granted_at timestamptz not null default clock_timestamp(),
    primary key (role_name, district_code)
);
comment on table access.district_grants is 'Which districts'' rows each district role sees in person-level marts.';
create or replace function access.sees_all_districts() returns boolean language sql stable as $$
    select pg_has_role(current_user, 'cadre_transformer', 'usage')
        or pg_has_role(current_user, 'cadre_analyst', 'usage')
$$;
create or replace function access.visible_districts() returns text[] language sql stable as $$
    select coalesce(array_agg(distinct grants.district_code), '{}')
    from access.district_grants as grants
    inner join pg_roles as roles on roles.rolname = grants.role_name
    where pg_has_role(current_user, roles.oid, 'usage')
$$;
"""


def _env_name(component: str) -> str:
    return f"CADRE_{component.upper()}_URL"


def login_url(admin_url: str, login: str, password: str) -> str:
    """``admin_url`` with another login (host, port, database and query parameters kept)."""
    parts = urlparse(admin_url)
    netloc = f"{quote(login, safe='')}:{quote(password, safe='')}@{parts.hostname}:{parts.port or 5432}"
    return urlunparse(parts._replace(netloc=netloc))


def password(settings: Settings, login: str, admin_url: str | None) -> str:
    """A login's password: the one its ``CADRE_<COMPONENT>_URL`` names (the compose stack), else derived from
    the administrator's (HMAC: one-way; every process holding the administrator's URL agrees, and logins are
    the cluster's, shared by its databases), else from a key generated once into ``$CADRE_HOME`` (0600)."""
    component = next((c for c, role in COMPONENTS.items() if role == login), login)
    given = os.environ.get(_env_name(component))
    if given and urlparse(given).password:
        return unquote(urlparse(given).password)
    parts = urlparse(admin_url or "")
    secret = unquote(parts.password) if parts.password else secret_file(settings.home / "roles.key", _new_secret)
    seed = f"{parts.hostname}:{parts.port}:{unquote(parts.username or '')}:{login}"
    return hmac.new(secret.encode(), seed.encode(), hashlib.sha256).hexdigest()[:32]


def _new_secret() -> str:
    return secrets.token_urlsafe(32)


_done: set[tuple[str, int]] = set()


def url(settings: Settings, component: str, admin_url: str | None = None, set_up: bool = True) -> str:
    """The URL ``component`` (loader, transformer, publisher, bi) logs in with: ``CADRE_<COMPONENT>_URL``,
    else derived from the administrator's URL after ``setup`` (once per process; ``set_up=False``: the URL
    alone, no connection)."""
    if component not in COMPONENTS:
        raise ValueError(f"unknown component {component!r} (known: {', '.join(COMPONENTS)})")
    given = os.environ.get(_env_name(component))
    if given:
        return given
    if admin_url is None:
        from cadre.warehouse import warehouse

        wh = warehouse(settings)
        wh.start()
        admin_url = wh.url()
    if set_up and not ensure(settings, admin_url):
        # an external warehouse whose one user may not create roles: it does everything, as before roles
        logging.getLogger("cadre.access").warning("%s cannot create roles: every component uses it", _user(admin_url))
        return admin_url
    login = COMPONENTS[component]
    return login_url(admin_url, login, password(settings, login, admin_url))


def _user(url: str) -> str:
    return unquote(urlparse(url).username or "")


def bi_url(settings: Settings, admin_url: str) -> str:
    """The URL a BI tool connects with (``cadre warehouse url --role bi``)."""
    return url(settings, "bi", admin_url)


def administers(conn: psycopg.Connection) -> bool:
    """The session may create roles (a superuser or a CREATEROLE administrator): it may run ``setup``."""
    return conn.execute("select rolsuper or rolcreaterole from pg_roles where rolname = current_user").fetchone()[0]


def may_alter(conn: psycopg.Connection, schema: str) -> bool:
    """DDL on ``schema`` is for its owner: true when the schema is missing (to be created) or the session acts
    as its owner. A component's login runs no DDL; ``setup`` (or the owner) does."""
    row = conn.execute(
        "select pg_has_role(nspowner, 'usage') from pg_namespace where nspname = %s", (schema,)
    ).fetchone()
    return row is None or row[0]


def ensure(settings: Settings, admin_url: str) -> bool:
    """``setup`` when ``admin_url`` may administer roles and it has not run on this database in this process
    (tests and the CLI hand library functions the administrator's URL; components hand theirs, and nothing
    happens). False when ``admin_url`` may not administer roles."""
    with psycopg.connect(admin_url) as conn:
        if not administers(conn):
            return False
        database = conn.execute("select oid from pg_database where datname = current_database()").fetchone()[0]
    if (admin_url, database) not in _done:  # a database dropped and made again under the same name is new
        setup(settings, admin_url)
        _done.add((admin_url, database))
    return True


def login_role(conn: psycopg.Connection, name: str, secret: str) -> None:
    """A login ``name`` with ``secret`` and no administrative attribute, created or brought to that state."""
    _role(conn, name, login=True, secret=secret)


def _role(conn: psycopg.Connection, name: str, login: bool, secret: str | None = None) -> None:
    options = ("login" if login else "nologin") + " nosuperuser nocreatedb nocreaterole nobypassrls"
    if secret is not None:
        options += " password " + sql.Literal(secret).as_string(conn)
    exists = conn.execute("select 1 from pg_roles where rolname = %s", (name,)).fetchone()
    if not exists:
        try:
            conn.execute(sql.SQL("create role {} " + options).format(sql.Identifier(name)))
            return
        except psycopg.errors.DuplicateObject:  # another database of the cluster made it just now
            pass
    conn.execute(sql.SQL("alter role {} " + options).format(sql.Identifier(name)))


def _owner_of_everything_in(conn: psycopg.Connection, schema: str, owner: str) -> None:
    """``owner`` owns ``schema`` and the relations in it (objects a superuser made before roles existed)."""
    conn.execute(sql.SQL("alter schema {} owner to {}").format(sql.Identifier(schema), sql.Identifier(owner)))
    relations = conn.execute(
        "select c.relname, c.relkind from pg_class as c join pg_namespace as n on n.oid = c.relnamespace "
        "where n.nspname = %s and c.relkind in ('r', 'v', 'm', 'p', 'f') and pg_get_userbyid(c.relowner) <> %s",
        (schema, owner),
    ).fetchall()
    for name, kind in relations:
        verb = {"v": "view", "m": "materialized view"}.get(kind, "table")
        conn.execute(
            sql.SQL("alter " + verb + " {}.{} owner to {}").format(
                sql.Identifier(schema), sql.Identifier(name), sql.Identifier(owner)
            )
        )


def setup(settings: Settings, admin_url: str) -> None:
    """Create (or bring up to date) the roles, the owned schemas and their tables, the grants and the access
    mapping. Idempotent; run by an administrator (``cadre access setup``, or the first component of a
    process on the embedded warehouse)."""
    from cadre import publish
    from ingest import db

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute("select pg_advisory_lock(%s)", (_LOCK,))
        try:
            for group in GROUPS:
                _role(conn, group, login=False)
            for login in (LOADER, TRANSFORMER, PUBLISHER, BI_LOGIN):
                login_role(conn, login, password(settings, login, admin_url))
            for member, group in ((PUBLISHER, TRANSFORMER), (BI_LOGIN, BI)):
                conn.execute(sql.SQL("grant {} to {}").format(sql.Identifier(group), sql.Identifier(member)))
            me = conn.execute("select current_user").fetchone()[0]
            if not conn.execute("select rolsuper from pg_roles where rolname = current_user").fetchone()[0]:
                conn.execute(sql.SQL("grant {} to {}").format(sql.Identifier(OWNER), sql.Identifier(me)))
                conn.execute(sql.SQL("grant {} to {}").format(sql.Identifier(TRANSFORMER), sql.Identifier(me)))
            for setting, value in (
                ("statement_timeout", STATEMENT_TIMEOUT),
                ("idle_in_transaction_session_timeout", IDLE_IN_TRANSACTION_TIMEOUT),
            ):
                conn.execute(
                    sql.SQL("alter role {} set {} = {}").format(
                        sql.Identifier(BI_LOGIN), sql.Identifier(setting), sql.Literal(value)
                    )
                )
            database = conn.execute("select current_database()").fetchone()[0]
            db_id = sql.Identifier(database)
            conn.execute(sql.SQL("revoke create on database {} from public").format(db_id))
            for role in (OWNER, LOADER, TRANSFORMER, PUBLISHER, BI, ANALYST, DISTRICT):
                conn.execute(sql.SQL("grant connect on database {} to {}").format(db_id, sql.Identifier(role)))
            for role in (OWNER, TRANSFORMER, PUBLISHER):  # create schemas (the candidate's) and rename them
                conn.execute(sql.SQL("grant create on database {} to {}").format(db_id, sql.Identifier(role)))

            for schema in OWNED:
                conn.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier(schema)))
                _owner_of_everything_in(conn, schema, OWNER)
            ours = [
                r[0]
                for r in conn.execute(
                    "select nspname from pg_namespace where nspname like any(%s)", (_built_patterns(),)
                )
                if publish.is_ours(r[0])
            ]
            for schema in ours:  # what dbt built before roles existed: the transformer's from now on
                _owner_of_everything_in(conn, schema, TRANSFORMER)

            conn.execute(sql.SQL("set role {}").format(sql.Identifier(OWNER)))
            db.ensure_schema(conn=conn)
            conn.execute(publish.DDL)
            conn.execute(_ACCESS_DDL)
            conn.execute("reset role")
            # the key of earlier releases, kept in the database: pseudonyms are computed by the ingest now
            conn.execute("drop schema if exists restricted cascade")
            _grants(conn)
        finally:
            conn.execute("select pg_advisory_unlock(%s)", (_LOCK,))


def _built_patterns() -> list[str]:
    from cadre import publish

    return [s for schema in publish.SCHEMAS for s in (schema, f"{schema}\\_\\_%")]


def _grants(conn: psycopg.Connection) -> None:
    """The allow list of the owned schemas (what each component writes or reads), and the same for tables the
    owner creates later (default privileges)."""
    allow = [
        ("raw", LOADER, "select, insert, update, delete"),
        ("quarantine", LOADER, "select, insert, update, delete"),
        ("raw", TRANSFORMER, "select"),
        ("quarantine", TRANSFORMER, "select"),
        ("raw", PUBLISHER, "select"),
        ("ops", PUBLISHER, "select, insert, update, delete"),
        ("access", TRANSFORMER, "select"),
        ("access", BI, ""),  # usage only: BI reading a person-level table is told "permission denied for table"
        ("access", ANALYST, "select"),
        ("access", DISTRICT, "select"),
    ]
    defaults = "alter default privileges for role {owner} in schema {schema} grant "
    for schema, role, privileges in allow:
        target = {"owner": sql.Identifier(OWNER), "schema": sql.Identifier(schema), "role": sql.Identifier(role)}
        conn.execute(sql.SQL("grant usage on schema {schema} to {role}").format(**target))
        if not privileges:
            continue
        conn.execute(sql.SQL("grant " + privileges + " on all tables in schema {schema} to {role}").format(**target))
        conn.execute(sql.SQL(defaults + privileges + " on tables to {role}").format(**target))
        if "insert" in privileges:
            conn.execute(sql.SQL("grant usage, select on all sequences in schema {schema} to {role}").format(**target))
            conn.execute(sql.SQL(defaults + "usage, select on sequences to {role}").format(**target))
    # a developer's `cadre dbt` pins the batches its dev build reads
    conn.execute(sql.SQL("grant usage on schema ops to {}").format(sql.Identifier(TRANSFORMER)))
    conn.execute(sql.SQL("grant select, insert, update on ops.build_inputs to {}").format(sql.Identifier(TRANSFORMER)))


# --- who sees which district ---------------------------------------------------------------------------------


def grant_district(admin_url: str, role: str, district_code: str, known: set[str]) -> None:
    """Let ``role`` (created, NOLOGIN, when missing) read the person-level rows of ``district_code``."""
    if district_code not in known:
        raise ValueError(f"unknown district {district_code!r} (known: {', '.join(sorted(known))})")
    if role in (OWNER, LOADER, TRANSFORMER, PUBLISHER, BI, BI_LOGIN, ANALYST, DISTRICT):
        raise ValueError(f"{role} is one of the warehouse's own roles; grant districts to a role of a person or office")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("select 1 from pg_roles where rolname = %s", (role,)).fetchone():
            conn.execute(sql.SQL("create role {} nologin").format(sql.Identifier(role)))
        elif conn.execute("select rolsuper or rolbypassrls from pg_roles where rolname = %s", (role,)).fetchone()[0]:
            raise ValueError(
                f"{role} bypasses row-level security (superuser or BYPASSRLS): it would see every district"
            )
        conn.execute(sql.SQL("grant {} to {}").format(sql.Identifier(DISTRICT), sql.Identifier(role)))
        conn.execute(
            "insert into access.district_grants (role_name, district_code) values (%s, %s) on conflict do nothing",
            (role, district_code),
        )


def revoke_district(admin_url: str, role: str, district_code: str) -> bool:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        return bool(
            conn.execute(
                "delete from access.district_grants where role_name = %s and district_code = %s", (role, district_code)
            ).rowcount
        )


def show(admin_url: str) -> list[dict]:
    """Every role that reaches the warehouse: whether it logs in, its groups, the schemas it reads, the
    districts it sees in person-level marts."""
    with psycopg.connect(admin_url) as conn:
        rows = conn.execute(
            """
            with ours as (
                select r.oid, r.rolname, r.rolcanlogin, r.rolsuper, r.rolbypassrls
                from pg_roles as r
                where r.rolname like 'cadre\\_%%'
                    or r.rolname in (select role_name from access.district_grants)
                    or pg_has_role(r.oid, 'cadre_bi', 'member') or pg_has_role(r.oid, 'cadre_analyst', 'member')
                    or pg_has_role(r.oid, 'cadre_district', 'member')
            )
            select
                ours.rolname,
                ours.rolcanlogin,
                ours.rolsuper or ours.rolbypassrls,
                array(
                    select g.rolname from pg_auth_members as m join pg_roles as g on g.oid = m.roleid
                    where m.member = ours.oid order by 1
                ),
                array(
                    select n.nspname from pg_namespace as n
                    where has_schema_privilege(ours.oid, n.oid, 'usage') and n.nspname not like 'pg\\_%%'
                        and n.nspname not in ('information_schema', 'public') order by 1
                ),
                case
                    when pg_has_role(ours.oid, 'cadre_transformer', 'usage')
                        or pg_has_role(ours.oid, 'cadre_analyst', 'usage') or ours.rolsuper then array['*']
                    else array(
                        select distinct g.district_code from access.district_grants as g
                        join pg_roles as gr on gr.rolname = g.role_name
                        where pg_has_role(ours.oid, gr.oid, 'usage') order by 1
                    )
                end
            from ours
            order by ours.rolname
            """
        ).fetchall()
    return [
        {"role": r[0], "login": r[1], "bypasses_rls": r[2], "member_of": r[3], "schemas": r[4], "districts": r[5]}
        for r in rows
    ]
