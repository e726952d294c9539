from __future__ import annotations

import pytest

from tests.conftest import fresh_database


@pytest.fixture
def fresh_db(embedded_warehouse, warehouse_settings):
    """An empty database with the roles set up (``access.setup``); the administrator's URL."""
    from cadre import access

    url = fresh_database(embedded_warehouse, "cadre_orchestration")
    access.setup(warehouse_settings, url)
    return url


@pytest.fixture
def publisher(fresh_db, warehouse_settings) -> str:
    """The publisher's login to ``fresh_db`` (begin, gate, swap, report)."""
    from cadre import access

    return access.url(warehouse_settings, "publisher", fresh_db)


@pytest.fixture
def loader(fresh_db, warehouse_settings) -> str:
    """The ingest's login to ``fresh_db``."""
    from cadre import access

    return access.url(warehouse_settings, "loader", fresh_db)
