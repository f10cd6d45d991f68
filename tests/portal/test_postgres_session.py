"""On PostgreSQL every connection runs without JIT and without parallel workers (short web queries:
docs/performance.md). The SQLite run has no such settings to check."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_postgres_connections_run_without_jit_or_parallel_workers():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite: no session options (this runs in the PostgreSQL run)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"
