from __future__ import annotations

import pytest

from tests.conftest import fresh_database


@pytest.fixture
def fresh_db(embedded_warehouse):
    return fresh_database(embedded_warehouse, "cadre_orchestration")
