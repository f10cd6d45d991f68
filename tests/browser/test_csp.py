"""The Content-Security-Policy in real Chromium: no page of the public site, and no main screen of the
admin, is refused anything by the policy (no `securitypolicyviolation`, no CSP console error).

These contexts, unlike the others, do NOT bypass the CSP: that is the point."""

import re
from urllib.parse import urlsplit

import pytest

from .conftest import DESKTOP

pytestmark = pytest.mark.browser

WATCH = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(
    `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


class Watcher:
    def __init__(self, context):
        self.console = []
        context.add_init_script(WATCH)
        context.on("console", self._console)

    def _console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def visit(self, tab, url, wait=None):
        response = tab.goto(url, wait_until="load")
        if wait:
            tab.wait_for_selector(wait, state="attached")
        tab.wait_for_timeout(300)  # late scripts (deferred, web components) get to run
        violations = tab.evaluate("window.__cspViolations") + self.console
        self.console = []
        return response, violations


@pytest.fixture
def csp_context(browser):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **DESKTOP)  # no bypass_csp
    yield context, Watcher(context)
    context.close()


def first_link(tab, pattern):
    hrefs = tab.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    return next(h for h in hrefs if re.fullmatch(pattern, h))


def test_every_public_page_type_runs_under_the_csp(demo_server, csp_context):
    context, watcher = csp_context
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    response, violations = watcher.visit(tab, f"{demo_server}/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert violations == []
    tab.goto(f"{demo_server}/library/")
    resource = first_link(tab, r"/library/[^/?]+/")
    tab.goto(f"{demo_server}/facilities/")
    facility = first_link(tab, r"/facilities/\d+/")
    tab.goto(f"{demo_server}/campaigns/")
    campaign = first_link(tab, r"/campaigns/[^/?]+/")
    pages = [
        "/library/",
        resource,
        "/library/?life_stage=pregnancy",
        "/core-messages/",
        "/campaigns/",
        campaign,
        "/facilities/",
        "/facilities/?q=唐筛",
        facility,
        "/contests/",
        "/contests/thalassaemia-day-video/",
        "/contests/thalassaemia-day-video/status/",
        "/search/?q=叶酸",
        "/no-such-page/",
        "/api/docs/",
    ]
    for path in pages:
        response, violations = watcher.visit(tab, f"{demo_server}{path}")
        assert response.status in (200, 404), path
        assert violations == [], path
    # the 四川 site, on its own host name
    sichuan = demo_server.replace("127.0.0.1", "sichuan.localhost")
    response, violations = watcher.visit(tab, f"{sichuan}/facilities/")
    assert response.status == 200 and violations == []


def test_the_finder_script_still_works_under_the_csp(demo_server, csp_context):
    context, watcher = csp_context
    tab = context.new_page()
    response, violations = watcher.visit(tab, f"{demo_server}/search/?q=叶酸")
    tab.fill("#site-search-q", "ye")
    tab.wait_for_timeout(800)  # the suggestion script fetches /api/search/suggest/ (connect-src 'self')
    assert tab.evaluate("window.__cspViolations") == [] and watcher.console == []


def test_the_admin_main_screens_run_under_the_csp(demo_server, csp_context):
    context, watcher = csp_context
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    response, violations = watcher.visit(tab, f"{demo_server}/admin/login/")
    assert violations == []
    tab.fill("input[name=username]", "admin")
    tab.fill("input[name=password]", "changeme")
    tab.locator("form button[type=submit]").first.click()
    tab.wait_for_url(re.compile(r"/admin/$"))
    assert tab.evaluate("window.__cspViolations") == [], "dashboard"

    # A public page as a signed-in editor carries the userbar, which links to the page editor.
    editors = []
    for public in ("/library/", "/campaigns/", "/contests/thalassaemia-day-video/"):
        tab.goto(f"{demo_server}{public}")
        child = (
            first_link(tab, rf"{public}[^/?]+/") if public != "/contests/thalassaemia-day-video/" else public
        )
        tab.goto(f"{demo_server}{child}")
        editors.append(
            urlsplit(tab.eval_on_selector("wagtail-userbar a[href$='/edit/']", "a => a.href")).path
        )
    screens = [
        ("/admin/", None),
        *[
            (url, "form#page-edit-form") for url in editors
        ],  # resource, campaign (dates, inline panels), contest
        ("/admin/pages/", None),
        ("/admin/snippets/", None),
        ("/admin/snippets/core_messages/coremessage/", None),
        ("/admin/snippets/core_messages/coremessage/add/", "form"),
        ("/admin/images/", None),
        ("/admin/images/multiple/add/", None),
        ("/admin/documents/", None),
        ("/admin/facilities/import/", "form"),
        ("/admin/reports/overdue-review/", None),
        ("/admin/contests/", None),
        ("/admin/users/", None),
    ]
    for url, wait in screens:
        response, violations = watcher.visit(tab, f"{demo_server}{url}", wait=wait)
        assert response.status == 200, url
        assert "script-src" in response.headers["content-security-policy"], url
        assert violations == [], url
