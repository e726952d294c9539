"""Pseudonyms are computed by the ingest with HMAC where the key is; the warehouse keeps a fingerprint of the
key, never the key; another key is refused unless asked for, since it would change every person id."""

from __future__ import annotations

import hashlib
import hmac
import os
import subprocess
import sys

import psycopg
import pytest

from ingest import db
from ingest.pipeline import ingest_paths
from tests.conftest import fresh_database, query


def _hmac(key: str, value: str) -> str:
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()


def test_a_changed_key_is_refused_unless_asked_for(embedded_warehouse, sample_dir, tmp_path):
    url = fresh_database(embedded_warehouse, "cadre_keys")
    first, second = sorted((sample_dir / "hr" / "2020-12-30").glob("*.xlsx"))[:2]
    assert [r["status"] for r in ingest_paths([first], url, key="key-one")] == ["loaded"]
    rows = query(url, "select citizen_id, citizen_pseudonym from raw.hr_rows where citizen_id is not null")
    assert rows
    assert all(p == _hmac("key-one", c) for c, p in rows)
    assert "key-one" not in str(query(url, "select * from raw.pseudonym_key_in_use"))

    # another key: nothing loads, and the ledger does not even record an attempt
    batches = query(url, "select count(*) from raw.ingest_batches")
    with pytest.raises(db.PseudonymKeyChanged, match="--new-pseudonym-key"):
        list(ingest_paths([second], url, key="key-two"))
    assert query(url, "select count(*) from raw.ingest_batches") == batches
    env = {**os.environ, "CADRE_WAREHOUSE_URL": url, "CADRE_HOME": str(tmp_path), "CADRE_PSEUDONYM_KEY": "key-two"}
    cli = subprocess.run(
        [sys.executable, "-m", "cadre.cli", "ingest", str(second)], env=env, capture_output=True, text=True
    )
    assert cli.returncode == 2
    assert "changes every person id" in cli.stderr

    # asked for: every id is recomputed with the new key, and the next file loads with it
    assert db.use_pseudonym_key(url, "key-two", new_key=True) == len({c for c, _ in rows})
    assert [r["status"] for r in ingest_paths([second], url, key="key-two")] == ["loaded"]
    rows = query(url, "select citizen_id, citizen_pseudonym from raw.hr_rows where citizen_id is not null")
    assert all(p == _hmac("key-two", c) for c, p in rows)

    # rows loaded before the ingest computed pseudonyms get theirs on the next ingest
    with_ids = query(url, "select count(distinct citizen_id) from raw.hr_rows where citizen_id is not null")[0][0]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("update raw.hr_rows set citizen_pseudonym = null")
    assert db.use_pseudonym_key(url, "key-two") == with_ids
    assert query(
        url, "select count(*) from raw.hr_rows where citizen_id is not null and citizen_pseudonym is null"
    ) == [(0,)]
