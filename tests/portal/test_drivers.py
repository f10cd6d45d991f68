"""The production services' drivers install with the project (`pip install -e .`), not as extras."""

import importlib.metadata


def test_postgresql_driver_imports_and_django_can_load_its_backend():
    import psycopg
    from django.db.backends.postgresql import base  # raises ImproperlyConfigured without a driver

    assert psycopg.pq.version() > 0  # the bundled libpq is usable, not just the Python wrapper
    assert base.Database is psycopg


def test_postgresql_driver_is_a_runtime_dependency():
    requirements = importlib.metadata.requires("birth-defect-portal") or []
    runtime = [r for r in requirements if "extra ==" not in r]
    assert any(r.lower().startswith("psycopg[binary]") for r in runtime), runtime
