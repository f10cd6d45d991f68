"""The admin in Chinese for every demo role (issue 16): sign in as each role, open the screens that
role works in — the page editor with a validation error, workflow actions, snippets, reports, the
facility import, the contest views — and find no English interface string. Product names, file
formats and the demo's own data (user names, codes) are allowed."""

import json
import re

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP

pytestmark = pytest.mark.browser

# Words that are not interface strings to translate: product and format names, the demo accounts.
ALLOWED = {
    "wagtail", "django", "api", "csv", "xlsx", "xls", "url", "urls", "pdf", "json", "html", "seo", "ical",
    "ics", "jpg", "jpeg", "png", "gif", "webp", "avif", "svg", "mp4", "docx", "pptx", "zip", "txt", "utf",
    "bom",
    "gb18030", "id", "ids", "icp", "wcag", "nipt", "dna", "pku", "cah", "ddh", "chd", "g6pd", "nt",
    "admin", "editor", "medical_reviewer", "organiser", "reviewer", "approver", "localhost", "sichuan", "http", "https",
    "www", "example", "org", "changeme", "markdown", "wechat", "sms", "email", "tab", "esc", "enter", "ctrl",
    "shift", "alt", "cmd", "draftail", "axe", "leaflet", "openstreetmap", "osm", "qr", "the", "min",
}
URL = re.compile(r"(https?://|www\.)\S+")
IDENTIFIER = re.compile(r"\b\w+_\w+\b")  # user names such as medical_reviewer, field names
WORD_RUN = re.compile(r"[A-Za-z][A-Za-z'’]*(?:[ \-][A-Za-z][A-Za-z'’]*)*")

COLLECT_TEXT = """() => {
  const out = [];
  const skip = 'script,style,noscript,svg,code,pre,textarea,[contenteditable],[data-draftail-input]';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const parent = walker.currentNode.parentElement;
    // What a person meets: shown on screen or read out (w-sr-only text counts), not display:none.
    if (!parent || parent.closest(skip) || !parent.checkVisibility({visibilityProperty: true})) continue;
    const text = walker.currentNode.textContent.trim();
    if (text) out.push(text);
  }
  for (const el of document.querySelectorAll('[placeholder],[title],[aria-label],[alt],input[type=submit]')) {
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    for (const name of ['placeholder', 'title', 'aria-label', 'alt']) {
      if (el.getAttribute(name)) out.push(el.getAttribute(name));
    }
    if (el.matches('input[type=submit]')) out.push(el.value);
  }
  out.push(document.title);
  return out;
}"""


def english_in(texts) -> list[str]:
    found = []
    for text in texts:
        if text.lstrip().startswith("<"):  # markup shown as an example (a help text), not a sentence
            continue
        for run in WORD_RUN.findall(IDENTIFIER.sub("", URL.sub("", text))):
            words = [w for w in re.split(r"[ \-]", run) if w]
            # Upper-case tokens are codes and acronyms (entry codes such as WDDVWHZ, NIPT).
            if any(len(w) >= 3 and not w.isupper() and w.lower().strip("'’") not in ALLOWED for w in words):
                found.append(f"{run!r} in {text[:80]!r}")
    return found


def sign_in(browser, base, username):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", bypass_csp=True, **DESKTOP)
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    tab.goto(f"{base}/admin/login/")
    tab.fill("input[name=username]", username)
    tab.fill("input[name=password]", "changeme")
    tab.locator("form button[type=submit]").first.click()
    tab.wait_for_url(re.compile(r"/admin/$"))
    return context, tab


class Screens:
    def __init__(self, tab, base):
        self.tab, self.base, self.problems = tab, base, {}

    def check(self, label):
        self.tab.wait_for_load_state("networkidle")
        found = english_in(self.tab.evaluate(COLLECT_TEXT))
        if found:
            self.problems[f"{label} ({self.tab.url})"] = sorted(set(found))

    def open(self, path, label=None):
        response = self.tab.goto(path if path.startswith("http") else f"{self.base}{path}")
        assert response.status < 400, f"{path}: {response.status}"
        self.check(label or path)

    def follow_first(self, selector, label):
        href = self.tab.locator(selector).first.get_attribute("href")
        assert href, f"{label}: no link {selector}"
        self.open(href, label)


def library_index_id(tab):
    return tab.evaluate("""async () => {
        const home = (await (await fetch('/admin/api/main/pages/?child_of=1')).json()).items[0].id;
        const children = (await (await fetch(`/admin/api/main/pages/?child_of=${home}`)).json()).items;
        return children.find((page) => page.meta.type === 'library.ResourceIndexPage').id; }""")


def editor_screens(s):
    s.open("/admin/", "dashboard")
    s.follow_first("#waiting-editor a[href*='/edit/']", "page sent back (workflow status)")
    index = library_index_id(s.tab)
    s.open(f"/admin/pages/{index}/", "page explorer")
    s.open(f"/admin/pages/add/library/resourcepage/{index}/", "new resource")
    s.tab.locator("#id_title").fill("")
    # 保存草稿 without a title; the browser's own required-field check is bypassed so the server answers.
    s.tab.evaluate("""() => { const form = document.querySelector('button.action-save').form;
        form.noValidate = true; document.querySelector('button.action-save').click(); }""")
    expect(s.tab.get_by_text("由于存在验证错误，页面未能创建。").first).to_be_visible()
    s.check("page editor with a validation error")
    s.open("/admin/snippets/", "snippets")
    s.open("/admin/snippets/core_messages/coremessage/", "core messages")
    s.open("/admin/reports/overdue-review/", "overdue review report")
    s.open("/admin/facilities/import/", "facility import")
    s.open("/admin/snippets/facilities/facility/", "facilities")
    s.open("/admin/images/", "images")
    s.open("/admin/documents/", "documents")


def medical_reviewer_screens(s):
    s.open("/admin/", "dashboard")
    s.follow_first("#waiting-medical-review a[href*='/edit/']", "page waiting for review (workflow actions)")
    s.open("/admin/reports/overdue-review/", "overdue review report")


def organiser_screens(s):
    s.open("/admin/", "dashboard")
    s.open("/admin/contests/", "contests")
    s.follow_first("main a[href^='/admin/contests/'][href$='/']:not([href='/admin/contests/'])",
                   "contest dashboard")
    s.follow_first("main a[href*='/ranking/']", "ranking")


def reviewer_screens(s):
    s.open("/admin/", "dashboard")
    s.open("/admin/reviews/", "my reviews")
    s.follow_first("main a[href^='/admin/reviews/'][href$='/']:not([href='/admin/reviews/'])", "review form")


def admin_screens(s):
    s.open("/admin/", "dashboard")
    s.open("/admin/reports/locked/", "locked pages report")
    s.open("/admin/reports/aging-pages/", "aging pages report")
    # A page never published: its date and publisher say so (Wagtail printed "None").
    assert "从未发布" in s.tab.locator("main table").inner_text()
    s.open("/admin/reports/site-history/", "site history")
    s.open("/admin/workflows/list/", "workflows")
    s.open("/admin/workflows/tasks/index/", "workflow tasks")
    s.open("/admin/redirects/", "redirects")
    s.open("/admin/users/", "users")
    # The 「启用」 column reads 是/否 to a screen reader (Wagtail read out True/False).
    assert s.tab.locator("main td.status .w-sr-only").first.inner_text().strip() in ("是", "否")
    s.open("/admin/groups/", "groups")


ROLES = {
    "editor": editor_screens,
    "medical_reviewer": medical_reviewer_screens,
    "organiser": organiser_screens,
    "reviewer1": reviewer_screens,
    "admin": admin_screens,
}


@pytest.mark.parametrize("username", list(ROLES))
def test_the_admin_shows_no_english_to_each_role(browser, demo_server, username):
    context, tab = sign_in(browser, demo_server, username)
    try:
        screens = Screens(tab, demo_server)
        ROLES[username](screens)
        assert not screens.problems, json.dumps(screens.problems, ensure_ascii=False, indent=1)
    finally:
        context.close()
