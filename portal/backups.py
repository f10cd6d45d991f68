"""Backups: the database (pg_dump custom format, or SQLite's online backup API), public media and
private contest files, with a manifest of what was in it; and the restore of all three.

`manage.py backup [DIR]` and `manage.py restore DIR [--database-url URL]` are thin wrappers."""

import json
import os
import sqlite3
import subprocess
import tarfile
from datetime import datetime
from pathlib import Path

import dj_database_url
from django.conf import settings
from django.db import connection

# What a restore is checked against: the tables an operator would miss first.
COUNTED_TABLES = {
    "facilities": "facilities_facility",
    "pages": "wagtailcore_page",
    "entries": "contests_entry",
    "reviews": "contests_review",
    "core_messages": "core_messages_coremessage",
    "images": "wagtailimages_image",
    "documents": "wagtaildocs_document",
}


class BackupError(Exception):
    pass


def _pg_env(config: dict) -> dict:
    env = {**os.environ}
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if config.get(key):
            env[variable] = str(config[key])
    return env


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:2000]}")


def count_rows(cursor) -> dict:
    counts = {}
    for label, table in COUNTED_TABLES.items():
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 (fixed table names)
        counts[label] = cursor.fetchone()[0]
    return counts


def _archive(source: Path, target: Path) -> int:
    files = [p for p in source.rglob("*") if p.is_file()] if source.exists() else []
    with tarfile.open(target, "w:gz") as archive:
        for path in files:
            archive.add(path, arcname=str(path.relative_to(source)))
    return len(files)


def backup(directory: Path | None = None) -> Path:
    directory = Path(
        directory or settings.BASE_DIR / "var" / "backups" / datetime.now().strftime("%Y%m%d-%H%M%S")
    )
    directory.mkdir(parents=True, exist_ok=False)
    config = connection.settings_dict
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(directory / "db.sqlite3")
        with target:
            connection.connection.backup(target)  # consistent while the site keeps serving
        target.close()
        database_file = "db.sqlite3"
    elif connection.vendor == "postgresql":
        database_file = "db.dump"
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(directory / database_file),
                config["NAME"],
            ],
            _pg_env(config),
        )
    else:
        raise BackupError(f"no backup method for {connection.vendor}")
    with connection.cursor() as cursor:
        counts = count_rows(cursor)
    manifest = {
        "created": datetime.now().astimezone().isoformat(timespec="seconds"),
        "vendor": connection.vendor,
        "database": database_file,
        "counts": counts,
        "media_files": _archive(Path(settings.MEDIA_ROOT), directory / "media.tar.gz"),
        "private_files": _archive(Path(settings.PRIVATE_MEDIA_ROOT), directory / "private.tar.gz"),
    }
    (directory / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return directory


def _extract(archive: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(target, filter="data")  # refuses absolute paths, .. and links out of target


def restore(directory: Path, database_url: str | None = None, media_root=None, private_root=None) -> dict:
    """Restore into the database named by `database_url` (default: this site's); return its counts."""
    directory = Path(directory)
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    config = dj_database_url.parse(database_url) if database_url else connection.settings_dict
    engine = config["ENGINE"]
    if "sqlite" in engine:
        if manifest["vendor"] != "sqlite":
            raise BackupError("this backup is of a PostgreSQL database; restore it into PostgreSQL")
        source = sqlite3.connect(directory / manifest["database"])
        if not database_url:
            connection.close()
        target = sqlite3.connect(config["NAME"])
        with target:
            source.backup(target)
        source.close()
        cursor = target.cursor()
        counts = count_rows(cursor)
        target.close()
    elif "postgresql" in engine:
        if manifest["vendor"] != "postgresql":
            raise BackupError("this backup is of a SQLite database; restore it into SQLite")
        if not database_url:
            connection.close()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--dbname",
                config["NAME"],
                str(directory / manifest["database"]),
            ],
            _pg_env(config),
        )
        import psycopg

        with psycopg.connect(
            dbname=config["NAME"],
            host=config.get("HOST") or None,
            port=config.get("PORT") or None,
            user=config.get("USER") or None,
            password=config.get("PASSWORD") or None,
        ) as conn:
            counts = count_rows(conn.cursor())
    else:
        raise BackupError(f"no restore method for {engine}")
    for name, root in (
        ("media.tar.gz", media_root or settings.MEDIA_ROOT),
        ("private.tar.gz", private_root or settings.PRIVATE_MEDIA_ROOT),
    ):
        if (directory / name).exists():
            _extract(directory / name, Path(root))
    if counts != manifest["counts"]:
        raise BackupError(f"restored counts {counts} differ from the backup's {manifest['counts']}")
    return counts
