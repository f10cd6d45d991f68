"""`make run` (the dev profile) shows the public the portal's Chinese error pages, not Django's
debug pages."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def dev_settings(extra_env):
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    env.update({"DJANGO_SETTINGS_MODULE": "portal.settings.dev", **extra_env})
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.SERVE_MEDIA, s.DEMO_CONTENT_ALLOWED)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_make_run_serves_with_debug_off_unless_debug_1_is_set():
    assert dev_settings({}) == ["False", "True", "True"]  # media still served, demo still loads
    assert dev_settings({"DEBUG": "1"})[0] == "True"


@pytest.mark.django_db
def test_with_debug_off_a_mistyped_url_gets_the_chinese_404(client, settings):
    settings.DEBUG = False
    response = client.get("/libary/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in body
    assert "URLconf" not in body and "Page not found" not in body


@pytest.mark.django_db
def test_with_debug_1_the_developer_gets_the_debug_page(client, settings):
    # What DEBUG=1 make run is for; and why it must not be the default.
    settings.DEBUG = True
    response = client.get("/libary/no-such-page/")
    assert response.status_code == 404
    assert "URLconf" in response.content.decode() or "Page not found" in response.content.decode()
