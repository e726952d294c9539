"""Who reaches the warehouse as what. Today: the login a BI tool uses.

``cadre_bi`` (created by ``publish.ensure``) is the group granted the published ``marts``, ``reporting`` and
``reference`` schemas, never ``raw``, ``quarantine``, ``intermediate`` or ``restricted``. A BI tool logs in
as ``cadre_bi_reader``, a member of it whose sessions carry a ``statement_timeout`` (a runaway dashboard
query is cancelled, not left to hold the warehouse) and an ``idle_in_transaction_session_timeout``; its
password is generated once into ``$CADRE_HOME/bi.password`` (0600)."""

from __future__ import annotations

import secrets
from urllib.parse import quote, urlparse, urlunparse

import psycopg
from psycopg import sql

from cadre import publish
from cadre.settings import Settings, secret_file

BI_LOGIN = "cadre_bi_reader"
STATEMENT_TIMEOUT = "60s"
IDLE_IN_TRANSACTION_TIMEOUT = "10min"


def bi_url(settings: Settings, url: str) -> str:
    """The URL a BI tool connects with (``cadre warehouse url --role bi``); creates or updates the login."""
    publish.ensure(url)
    password = secret_file(settings.home / "bi.password", lambda: secrets.token_urlsafe(24))
    role = sql.Identifier(BI_LOGIN)
    with psycopg.connect(url, autocommit=True) as conn:
        exists = conn.execute("select 1 from pg_roles where rolname = %s", (BI_LOGIN,)).fetchone()
        verb = "alter" if exists else "create"
        conn.execute(sql.SQL(verb + " role {} login password {}").format(role, sql.Literal(password)))
        conn.execute(sql.SQL("grant {} to {}").format(sql.Identifier(publish.BI_ROLE), role))
        for setting, value in (
            ("statement_timeout", STATEMENT_TIMEOUT),
            ("idle_in_transaction_session_timeout", IDLE_IN_TRANSACTION_TIMEOUT),
        ):
            conn.execute(sql.SQL("alter role {} set {} = {}").format(role, sql.Identifier(setting), sql.Literal(value)))
    parts = urlparse(url)
    netloc = f"{BI_LOGIN}:{quote(password, safe='')}@{parts.hostname}:{parts.port or 5432}"
    return urlunparse(parts._replace(netloc=netloc))
