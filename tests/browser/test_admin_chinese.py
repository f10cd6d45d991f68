"""The admin in Chinese for every demo role (issue 16): sign in as each role, open the screens that
role works in — the page editor with a validation error, workflow actions, snippets, reports, the
facility import, the contest views — and find no English interface string. Product names, file
formats and the demo's own data (user names, codes) are allowed."""

import json
import re
from dataclasses import dataclass

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


def page_explorer(s, label):
    s.open(f"/admin/pages/{library_index_id(s.tab)}/", label)


def resource_editor_with_an_error(s, label):
    s.open(f"/admin/pages/add/library/resourcepage/{library_index_id(s.tab)}/", "new resource")
    s.tab.locator("#id_title").fill("")
    # 保存草稿 without a title; the browser's own required-field check is bypassed so the server answers.
    s.tab.evaluate("""() => { const form = document.querySelector('button.action-save').form;
        form.noValidate = true; document.querySelector('button.action-save').click(); }""")
    expect(s.tab.get_by_text("由于存在验证错误，页面未能创建。").first).to_be_visible()
    s.check(label)


def aging_pages_report(s, label):
    s.open("/admin/reports/aging-pages/", label)
    # A page never published: its date and publisher say so (Wagtail printed "None").
    assert "从未发布" in s.tab.locator("main table").inner_text()


def users_list(s, label):
    s.open("/admin/users/", label)
    # The 「启用」 column reads 是/否 to a screen reader (Wagtail read out True/False).
    assert s.tab.locator("main td.status .w-sr-only").first.inner_text().strip() in ("是", "否")


@dataclass(frozen=True)
class Follow:
    """The first link matching `selector` on the screen before."""

    selector: str


# Each role's screens, in the order a person would open them: a path, a link to follow, or a step of its own.
SCREENS = [
    ("editor", "dashboard", "/admin/"),
    ("editor", "page sent back (workflow status)", Follow("#waiting-editor a[href*='/edit/']")),
    ("editor", "page explorer", page_explorer),
    ("editor", "page editor with a validation error", resource_editor_with_an_error),
    ("editor", "snippets", "/admin/snippets/"),
    ("editor", "core messages", "/admin/snippets/core_messages/coremessage/"),
    ("editor", "overdue review report", "/admin/reports/overdue-review/"),
    ("editor", "facility import", "/admin/facilities/import/"),
    ("editor", "facilities", "/admin/snippets/facilities/facility/"),
    ("editor", "images", "/admin/images/"),
    ("editor", "documents", "/admin/documents/"),
    ("medical_reviewer", "dashboard", "/admin/"),
    ("medical_reviewer", "page waiting for review (workflow actions)",
     Follow("#waiting-medical-review a[href*='/edit/']")),
    ("medical_reviewer", "overdue review report", "/admin/reports/overdue-review/"),
    ("organiser", "dashboard", "/admin/"),
    ("organiser", "contests", "/admin/contests/"),
    ("organiser", "contest dashboard",
     Follow("main a[href^='/admin/contests/'][href$='/']:not([href='/admin/contests/'])")),
    ("organiser", "ranking", Follow("main a[href*='/ranking/']")),
    ("reviewer1", "dashboard", "/admin/"),
    ("reviewer1", "my reviews", "/admin/reviews/"),
    ("reviewer1", "review form", Follow("main a[href^='/admin/reviews/'][href$='/']:not([href='/admin/reviews/'])")),
    ("admin", "dashboard", "/admin/"),
    ("admin", "locked pages report", "/admin/reports/locked/"),
    ("admin", "aging pages report", aging_pages_report),
    ("admin", "site history", "/admin/reports/site-history/"),
    ("admin", "workflows", "/admin/workflows/list/"),
    ("admin", "workflow tasks", "/admin/workflows/tasks/index/"),
    ("admin", "redirects", "/admin/redirects/"),
    ("admin", "users", users_list),
    ("admin", "groups", "/admin/groups/"),
]
ROLES = list(dict.fromkeys(role for role, _label, _step in SCREENS))


def visit(s, label, step):
    if isinstance(step, Follow):
        s.follow_first(step.selector, label)
    elif callable(step):
        step(s, label)
    else:
        s.open(step, label)


@pytest.mark.parametrize("username", ROLES)
def test_the_admin_shows_no_english_to_each_role(browser, demo_server, username):
    context, tab = sign_in(browser, demo_server, username)
    try:
        screens = Screens(tab, demo_server)
        for role, label, step in SCREENS:
            if role == username:
                visit(screens, label, step)
        assert not screens.problems, json.dumps(screens.problems, ensure_ascii=False, indent=1)
    finally:
        context.close()
