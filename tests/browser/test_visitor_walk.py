"""Browser suite: a visitor's walk through each provincial site — home → 科普资源库 → a resource →
查找持证机构 (a 婚检 query, a facility, back) → 宣传活动 → the featured edition → its finder link →
科普作品征集 → a call — by clicking, as a person would. Every step answers, stays on the site's own host
under its own header, leads somewhere (a heading, results), and passes axe."""

import re
from urllib.parse import urlsplit

import pytest

from .conftest import DESKTOP, axe_violations

pytestmark = pytest.mark.browser

SITES = {
    "localhost": ("北京市出生缺陷防治科普平台", "北京市"),
    "sichuan.localhost": ("四川省出生缺陷防治科普平台", "四川省"),
}


class Walk:
    def __init__(self, tab, host, brand):
        self.tab, self.host, self.brand = tab, host, brand
        self.statuses, self.problems, self.checked = [], [], set()
        tab.on("response", lambda r: r.request.resource_type == "document"
               and self.statuses.append((r.status, r.url)))

    def arrived(self, step):
        """The page a click led to: this site, this header, a heading, no error, axe clean."""
        self.tab.wait_for_load_state()
        landed = urlsplit(self.tab.url)
        if landed.hostname != self.host:
            self.problems.append(f"{step}: left for {self.tab.url}")
            return
        failed = [(status, url) for status, url in self.statuses if status >= 400]
        if failed:
            self.problems.append(f"{step}: {failed}")
        self.statuses.clear()
        brand = self.tab.locator(".site-brand__name").inner_text()
        if brand != self.brand:
            self.problems.append(f"{step}: header {brand!r} on {self.tab.url}")
        if self.tab.get_by_role("heading", level=1).count() < 1:
            self.problems.append(f"{step}: no heading on {self.tab.url}")
        if landed.path not in self.checked:
            self.checked.add(landed.path)
            violations = axe_violations(self.tab)
            if violations:
                self.problems.append(f"axe on {self.tab.url}: {violations}")

    def click(self, locator, step):
        locator.first.click()
        self.arrived(step)

    def nav(self, name):
        self.click(self.tab.locator(".site-nav").get_by_role("link", name=name, exact=True), name)


@pytest.mark.parametrize("hostname", list(SITES))
def test_a_visitor_walks_the_site_without_leaving_it(browser, demo_server, hostname):
    brand, province = SITES[hostname]
    port = urlsplit(demo_server).port
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", bypass_csp=True, **DESKTOP)
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    walk = Walk(tab, hostname, brand)
    tab.goto(f"http://{hostname}:{port}/")
    walk.arrived("home")

    walk.nav("科普资源库")
    assert urlsplit(tab.url).path == "/library/"
    walk.click(tab.locator(".resource-card__title a"), "a resource")
    assert urlsplit(tab.url).path.startswith("/library/") and urlsplit(tab.url).path != "/library/"

    walk.nav("查找持证机构")
    tab.fill("#finder-q", "婚检")
    tab.locator("#finder-q").press("Enter")
    walk.arrived("finder: 婚检")
    count = int(re.search(r"\d+", tab.locator("#finder-results-heading").inner_text()).group())
    assert count > 0, hostname
    first = tab.locator(".facility-card").first
    assert province in first.locator(".facility-card__address").inner_text()  # the site's own province first
    walk.click(first.locator(".facility-card__name a"), "a facility")
    walk.click(tab.locator("a.facility-back"), "back to the finder")
    assert tab.locator("#finder-q").input_value() == "婚检"  # the query the visitor came from

    walk.nav("宣传活动")
    walk.click(tab.locator("#featured-title a"), "the featured edition")
    assert urlsplit(tab.url).path.startswith("/campaigns/") and urlsplit(tab.url).path != "/campaigns/"
    walk.click(tab.locator(".finder-block a.button"), "the edition's finder link")
    heading = tab.locator("#finder-results-heading").inner_text()
    assert int(re.search(r"\d+", heading).group()) > 0, heading

    walk.nav("科普作品征集")
    walk.click(tab.locator(".contest-card h3 a"), "a call for entries")
    assert urlsplit(tab.url).path.startswith("/contests/") and urlsplit(tab.url).path != "/contests/"

    context.close()
    assert walk.problems == []
