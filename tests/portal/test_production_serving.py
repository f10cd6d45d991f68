"""The production profile as it is served: gunicorn (gunicorn.conf.py) + WhiteNoise, on a real socket.

One server for the module: a fresh SQLite database, `collectstatic` with the hashed, compressed
storage, then `gunicorn -c gunicorn.conf.py` under portal.settings.production — what `make serve` runs."""

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    work = tmp_path_factory.mktemp("serve")
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "ELASTICSEARCH_URL")},
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "serving-test-" + "k9Z!" * 14,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SERVE_MEDIA": "1",
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
        "PRIVATE_MEDIA_ROOT": str(work / "private"),
        "WEB_CONCURRENCY": "2",
        "PORT": str(port),
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run(manage + command, env=env, cwd=ROOT, check=True, capture_output=True, timeout=400)
    private = work / "private" / "entries" / "secret.pdf"
    private.parent.mkdir(parents=True)
    private.write_bytes(b"%PDF-1.4 private entry")
    (work / "media").mkdir()
    log = (work / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            if get(port, "/healthz")[0] == 200:
                break
        except OSError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            server.kill()
            raise RuntimeError("gunicorn did not start:\n" + (work / "gunicorn.log").read_text())
        time.sleep(0.3)
    yield {"port": port, "static_root": work / "static", "log": work / "gunicorn.log"}
    server.terminate()
    server.wait(timeout=20)
    log.close()


def get(port, raw_path, headers=None):
    """A request whose path goes on the wire exactly as written (no client-side normalisation)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    connection.putrequest("GET", raw_path, skip_host=True, skip_accept_encoding=True)
    for name, value in {"Host": "127.0.0.1", **(headers or {})}.items():
        connection.putheader(name, value)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def test_hashed_static_files_are_compressed_and_cached_for_years(production_server):
    manifest = json.loads((production_server["static_root"] / "staticfiles.json").read_text())["paths"]
    hashed = manifest["wagtailadmin/js/core.js"]
    assert hashed != "wagtailadmin/js/core.js"
    status, headers, body = get(production_server["port"], f"/static/{hashed}", {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers.get("content-encoding") == "gzip"
    assert "max-age=315360000" in headers["cache-control"] and "immutable" in headers["cache-control"]


@pytest.mark.parametrize(
    "path",
    [
        "/static/..%2f..%2fportal/settings/base.py",
        "/static/../portal/settings/base.py",
        "/static/%2e%2e/%2e%2e/portal/settings/base.py",
        "/static/..%5c..%5cportal/settings/base.py",
        "/media/..%2fprivate/entries/secret.pdf",
        "/media/../private/entries/secret.pdf",
        "/media/entries/secret.pdf",
        "/static/..%2fprivate/entries/secret.pdf",
    ],
)
def test_no_path_reaches_source_or_private_files(production_server, path):
    status, headers, body = get(production_server["port"], path)
    assert status in (400, 404), (status, body[:200])
    assert b"SECRET_KEY" not in body and b"private entry" not in body
    if status == 404:
        assert "页面不存在" in body.decode()


def test_pages_carry_the_security_headers(production_server):
    status, headers, body = get(production_server["port"], "/healthz", {"X-Forwarded-Proto": "https"})
    assert status == 200
    assert headers["strict-transport-security"].startswith("max-age=31536000")
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in headers["permissions-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    csp = headers["content-security-policy"]
    assert "script-src 'self'" in csp and "object-src 'none'" in csp and "frame-ancestors 'self'" in csp
    assert len(headers["x-request-id"]) >= 16


def test_each_request_is_one_json_log_line_with_its_id(production_server):
    _, headers, _ = get(production_server["port"], "/healthz?probe=log", {"X-Request-ID": "probe-12345678"})
    assert headers["x-request-id"] == "probe-12345678"
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        lines = [
            json.loads(line)
            for line in production_server["log"].read_text().splitlines()
            if line.startswith("{") and '"portal.requests"' in line
        ]
        mine = [line for line in lines if line.get("request_id") == "probe-12345678"]
        if mine:
            break
        time.sleep(0.2)
    assert len(mine) == 1
    assert mine[0]["path"] == "/healthz" and mine[0]["status"] == 200 and mine[0]["user"] == "anonymous"
    assert mine[0]["duration_ms"] >= 0


def test_a_forged_request_id_is_replaced(production_server):
    _, headers, _ = get(production_server["port"], "/healthz", {"X-Request-ID": 'x" injected\\n'})
    assert headers["x-request-id"] != 'x" injected\\n' and headers["x-request-id"].isalnum()
