"""manage.py backup / restore: a backup of the demo restores into an EMPTY database with the same
facilities, pages, contest entries and reviews, and the media and private files come back."""

import os
import sqlite3
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from wagtail.models import Page

from content.contests.entries import Entry, Review
from content.facilities.records import Facility

QUERIES = {
    "facilities": "SELECT name, licence_number FROM facilities_facility ORDER BY licence_number",
    "pages": "SELECT title, url_path FROM wagtailcore_page ORDER BY path",
    "entries": "SELECT tracking_code, title FROM contests_entry ORDER BY tracking_code",
    "reviews": "SELECT assignment_id, submitted_at IS NOT NULL FROM contests_review ORDER BY assignment_id",
}


@pytest.fixture
def committed_demo(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    call_command("load_demo", force=True, stdout=open(os.devnull, "w"))
    (tmp_path / "private" / "entries").mkdir(parents=True, exist_ok=True)
    (tmp_path / "private" / "entries" / "probe.pdf").write_bytes(b"%PDF-1.4 private probe")


def rows(cursor):
    found = {}
    for label, sql in QUERIES.items():
        cursor.execute(sql)
        found[label] = [tuple(row) for row in cursor.fetchall()]
    return found


@pytest.fixture
def empty_database():
    """A brand-new, empty database of the same kind as the test database."""
    if connection.vendor == "sqlite":
        path = Path(f"/tmp/portal-restore-{uuid.uuid4().hex}.sqlite3")
        yield f"sqlite:///{path}", lambda: sqlite3.connect(path)
        path.unlink(missing_ok=True)
        return
    import psycopg

    config = connection.settings_dict
    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    name = f"portal_restore_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    user = f"{config.get('USER') or ''}{':' + config['PASSWORD'] if config.get('PASSWORD') else ''}"
    url = f"postgres://{user}@{config.get('HOST') or '127.0.0.1'}:{config.get('PORT') or 5432}/{name}"
    yield url, lambda: psycopg.connect(dbname=name, **params)
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_an_empty_database(committed_demo, empty_database, tmp_path, settings):
    assert Facility.objects.count() > 100 and Entry.objects.exists() and Review.objects.exists()
    assert Page.objects.count() > 20
    with connection.cursor() as cursor:
        before = rows(cursor)

    backup_dir = tmp_path / "backup"
    call_command("backup", str(backup_dir), stdout=open(os.devnull, "w"))
    assert (backup_dir / "manifest.json").exists()

    url, connect = empty_database
    restored_media = tmp_path / "restored-private"
    settings.PRIVATE_MEDIA_ROOT = restored_media
    call_command("restore", str(backup_dir), "--database-url", url, stdout=open(os.devnull, "w"))

    restored = connect()
    try:
        after = rows(restored.cursor())
    finally:
        restored.close()
    assert after == before
    assert (restored_media / "entries" / "probe.pdf").read_bytes() == b"%PDF-1.4 private probe"


def test_restore_refuses_a_backup_of_the_other_database_kind(tmp_path):
    import json

    from django.core.management.base import CommandError

    (tmp_path / "manifest.json").write_text(
        json.dumps(
            {
                "vendor": "postgresql" if connection.vendor == "sqlite" else "sqlite",
                "database": "db",
                "counts": {},
            }
        )
    )
    other = "sqlite:////tmp/x.sqlite3" if connection.vendor == "sqlite" else "postgres://postgres@127.0.0.1/x"
    with pytest.raises(CommandError, match="restore it into"):
        call_command("restore", str(tmp_path), "--database-url", other)
