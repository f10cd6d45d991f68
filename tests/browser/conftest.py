"""Browser tests: Playwright driving Debian's Chromium against a real server with the demo loaded.

The server is a separate `runserver` process on its own SQLite file, set up once per session
(migrate, load_demo, update_index), exactly as `make run` does. Without Chromium the tests are
skipped with a printed reason, except in CI (CI=true), where its absence fails the run."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}


def pytest_collection_modifyitems(config, items):
    missing = [path for path in (CHROMIUM, AXE_JS) if not Path(path).exists()]
    if not missing:
        return
    reason = f"browser tests need {', '.join(map(str, missing))} (apt-get install chromium; npm ci)"
    if os.environ.get("CI"):
        raise pytest.UsageError(f"CI: {reason}")
    print(f"\nSKIPPING browser tests: {reason}")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


def pytest_collection_finish(session):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def demo_server():
    """Base URL of a running portal with the demo loaded."""
    workdir = Path(tempfile.mkdtemp(prefix="portal-browser-"))
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "MEDIA_ROOT": str(workdir / "media"),
        "PRIVATE_MEDIA_ROOT": str(workdir / "private"),
        "DEMO_PORT": str(port),
    }
    env.pop("ELASTICSEARCH_URL", None)
    if env.get("REDIS_URL"):
        # The demo server has a database of its own, so a Redis database of its own too: cached
        # suggestions or pages of the test process's database must never reach it.
        from urllib.parse import urlsplit, urlunsplit

        import redis

        env["REDIS_URL"] = urlunsplit(urlsplit(env["REDIS_URL"])._replace(path="/14"))
        redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "--noinput", "-v0"], ["load_demo"], ["update_index"]):
        subprocess.run(manage + command, env=env, cwd=ROOT, check=True, capture_output=True)
    server = subprocess.Popen(manage + ["runserver", "--noreload", f"127.0.0.1:{port}"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError("the demo server did not start") from None
            time.sleep(0.3)
    yield base
    server.terminate()
    server.wait(timeout=10)
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture(params=["desktop", "phone"])
def page(request, browser):
    """A fresh page on a desktop and on a phone viewport, with Chinese locale."""
    options = DESKTOP if request.param == "desktop" else PHONE
    context = browser.new_context(bypass_csp=True, locale="zh-CN", timezone_id="Asia/Shanghai", **options)
    tab = context.new_page()
    tab.set_default_timeout(30_000)  # generous: CI shares two cores with the server
    yield tab
    context.close()


def axe_violations(page, impacts=("serious", "critical")):
    """Run axe-core (WCAG 2.1 A/AA rules) in the page; return the violations of the given impacts.

    axe-core is injected as an inline script, which the site's CSP forbids: every context that
    calls this is made with bypass_csp=True. tests/browser/test_csp.py checks the CSP itself."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] for n in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in impacts
    ]
