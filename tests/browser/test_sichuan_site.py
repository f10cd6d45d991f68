"""Browser suite: the Sichuan site is whole. Every link of its header, home page and footer, clicked,
lands on the Sichuan site (the shared library, campaigns and contests are aliases there), unless the
link says where it goes (「前往北京市…」, the filing numbers); each page reached passes axe."""

from urllib.parse import urlsplit

import pytest

from .conftest import DESKTOP, axe_violations

pytestmark = pytest.mark.browser

AREAS = {"header": "header", "home": "main", "footer": "footer"}
# Links that may leave the site, because their text says where they go.
LABELLED = ("前往北京市", "ICP备", "公网安备")


def links_of(tab, selector):
    """[(index among the area's links, href, text)] of the links a person can see and click."""
    return tab.eval_on_selector_all(
        f"{selector} a[href]",
        "els => els.map((a, i) => [i, a.getAttribute('href'), a.innerText.trim(), a.getClientRects().length])"
        ".filter(link => link[3] > 0).map(link => link.slice(0, 3))")


def test_every_header_home_and_footer_link_stays_on_the_sichuan_site(browser, demo_server):
    port = urlsplit(demo_server).port
    home = f"http://sichuan.localhost:{port}/"
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", bypass_csp=True, **DESKTOP)
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    tab.goto(home)
    seen, checked_pages, problems = set(), set(), []
    for area, selector in AREAS.items():
        for index, href, text in links_of(tab, selector):
            if href.startswith(("#", "mailto:", "tel:")) or (area, href) in seen:
                continue
            seen.add((area, href))
            target = urlsplit(href if "://" in href else f"http://sichuan.localhost:{port}{href}")
            if target.hostname not in ("sichuan.localhost", "localhost", "127.0.0.1"):
                # Outside the demo (the filing registry): not followed offline, but it must say so.
                if not any(label in text for label in LABELLED):
                    problems.append(f"{area}: {href} ({text!r}) leaves for {target.hostname} unlabelled")
                continue
            tab.goto(home)
            tab.locator(f"{selector} a[href]").nth(index).click()
            tab.wait_for_load_state()
            landed = urlsplit(tab.url)
            if landed.hostname != "sichuan.localhost" and not any(label in text for label in LABELLED):
                problems.append(f"{area}: {text!r} ({href}) landed on {tab.url}")
                continue
            if landed.hostname == "sichuan.localhost":
                heading = tab.get_by_role("heading", level=1)
                assert heading.count() >= 1, tab.url
                brand = tab.locator(".site-brand__name").inner_text()
                assert brand == "四川省出生缺陷防治科普平台", (tab.url, brand)
                if landed.path not in checked_pages:
                    checked_pages.add(landed.path)
                    violations = axe_violations(tab)
                    if violations:
                        problems.append(f"axe on {tab.url}: {violations}")
    context.close()
    assert problems == []
    # The shared sections were among the pages reached, on the Sichuan host.
    assert {"/library/", "/campaigns/", "/contests/", "/facilities/", "/core-messages/"} <= checked_pages
