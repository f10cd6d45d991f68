"""Settings profiles: production refuses to start without its secrets and passes check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, env_overrides, drop=()):
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_overrides)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_a_secret(missing):
    env = {"DJANGO_SETTINGS_MODULE": "portal.settings.production", "SECRET_KEY": "x" * 60,
           "ALLOWED_HOSTS": "fuyou.example.cn"}
    del env[missing]
    result = run_manage("check", env_overrides=env, drop=(missing,))
    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr


def test_production_passes_check_deploy_without_warnings():
    env = {"DJANGO_SETTINGS_MODULE": "portal.settings.production",
           "SECRET_KEY": "k3y-for-the-deploy-check-" + "x9Q!" * 12, "ALLOWED_HOSTS": "fuyou.example.cn"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=env)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path, monkeypatch):
    from portal.settings.base import database_from_env

    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = database_from_env(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert config["OPTIONS"]["timeout"] >= 5


def test_database_url_selects_postgresql(monkeypatch):
    from portal.settings.base import database_from_env

    monkeypatch.setenv("DATABASE_URL", "postgres://portal:pw@db.internal:5432/portal")
    config = database_from_env("sqlite:///unused")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["HOST"] == "db.internal"
    assert config["NAME"] == "portal"


def test_the_site_speaks_simplified_chinese(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"


def test_redis_cache_round_trip_when_redis_url_is_set():
    """With REDIS_URL the cache (and sessions, written through to the database) live in Redis:
    a real round trip through a real server."""
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
    code = (
        "import django; django.setup();"
        "from django.core.cache import cache; from django.conf import settings;"
        "assert settings.CACHES['default']['BACKEND'] == 'django_redis.cache.RedisCache';"
        "assert settings.SESSION_ENGINE == 'django.contrib.sessions.backends.cached_db';"
        "cache.set('healthcheck', '叶酸', 30); print(cache.get('healthcheck'))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test", "REDIS_URL": url}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    if result.returncode != 0 and "ConnectionError" in result.stderr and not os.environ.get("CI"):
        pytest.skip(f"no Redis server at {url}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "叶酸"
