from __future__ import annotations

import psycopg
import pytest

from ingest import db


@pytest.fixture
def fresh_db(embedded_warehouse):
    """An empty database of its own on the session's PostgreSQL, with the raw schema."""
    admin = embedded_warehouse.url()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("drop database if exists cadre_orchestration with (force)")
        conn.execute("create database cadre_orchestration")
    url = admin.rsplit("/", 1)[0] + "/cadre_orchestration"
    db.ensure_schema(url)
    return url
