"""Contest flows in a real browser against the demo: an entrant sends a work with a file, reviewer1
scores an assignment, the organiser awards and publishes the results through the workflow."""

import re

import pytest
from playwright.sync_api import expect

from content.contests.demo import sample_pdf

from .conftest import DESKTOP, axe_violations

pytestmark = pytest.mark.browser

OPEN_CALL = "/contests/thalassaemia-day-video/"
IN_REVIEW = "/contests/birth-defects-day/"


@pytest.fixture
def pdf_file(tmp_path):
    path = tmp_path / "地贫科普-作者姓名.pdf"
    path.write_bytes(sample_pdf("browser"))
    return path


def admin_login(browser, base, username):
    context = browser.new_context(bypass_csp=True, locale="zh-CN", timezone_id="Asia/Shanghai", **DESKTOP)
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    tab.goto(f"{base}/admin/login/")
    tab.fill("input[name=username]", username)
    tab.fill("input[name=password]", "changeme")
    tab.locator("form button[type=submit]").first.click()
    tab.wait_for_url(re.compile(r"/admin/$"))
    return context, tab


@pytest.mark.parametrize(
    "path",
    ["/contests/", OPEN_CALL, IN_REVIEW, f"{OPEN_CALL}status/", "/contests/birth-defects-day-2025/results/"],
)
def test_public_contest_pages_have_no_serious_accessibility_violations(page, demo_server, path):
    page.goto(f"{demo_server}{path}")
    assert page.locator("h1").first.is_visible()
    assert axe_violations(page) == []
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1


def test_an_entrant_submits_a_work_with_a_file_and_can_follow_it(page, demo_server, pdf_file):
    page.goto(f"{demo_server}{OPEN_CALL}")
    form = page.locator("form.entry-form")
    form.get_by_label("作品名称").fill("地贫基因检测，一次说清")
    form.get_by_label("类别").select_option("article")
    form.locator("#id_summary").fill("用问答的方式讲解地贫筛查和基因检测。")
    form.get_by_label("文件").set_input_files(str(pdf_file))
    form.get_by_label("作者", exact=False).first.fill("王小明")
    form.get_by_label("联系人").fill("王小明")
    form.get_by_label("电子邮箱").fill("wangxm@example.org")
    form.get_by_label("电话").fill("13912345678")
    form.get_by_label("我已阅读并同意本次征集的规则。").check()
    form.get_by_label("如作品获奖，同意按上述许可协议发布。").check()
    form.get_by_label("同意按上述个人信息说明处理我的联系方式。").check()
    form.get_by_role("button", name="提交作品").click()

    page.wait_for_url(re.compile(r"/received/$"))
    expect(page.get_by_role("heading", name="已收到您的作品")).to_be_visible()
    code = page.locator(".tracking-code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    assert axe_violations(page) == []

    page.get_by_role("link", name="查看作品状态").click()
    expect(page.get_by_text("地贫基因检测，一次说清")).to_be_visible()
    expect(page.get_by_role("button", name="撤回作品")).to_be_visible()  # before the deadline
    expect(page.get_by_role("link", name=pdf_file.name)).to_be_visible()
    assert axe_violations(page) == []


def test_a_bad_file_is_refused_with_a_chinese_message(page, demo_server, tmp_path):
    fake = tmp_path / "作品.pdf"
    fake.write_bytes(b"MZ\x90\x00 this is not a pdf")
    page.goto(f"{demo_server}{OPEN_CALL}")
    form = page.locator("form.entry-form")
    form.get_by_label("作品名称").fill("假文件")
    form.get_by_label("类别").select_option("article")
    form.locator("#id_summary").fill("测试")
    form.get_by_label("文件").set_input_files(str(fake))
    form.get_by_role("button", name="提交作品").click()
    alert = page.get_by_role("alert")
    assert "不是本类别接受的文件类型" in alert.inner_text()
    assert axe_violations(page) == []


def test_reviewer1_scores_an_assignment_blind(browser, demo_server):
    context, tab = admin_login(browser, demo_server, "reviewer1")
    tab.goto(f"{demo_server}/admin/reviews/")
    rows = tab.locator("table.listing tbody tr")
    assert rows.count() >= 3
    own_ids = {
        int(re.search(r"/reviews/(\d+)/", href).group(1))
        for href in tab.locator("table.listing a").evaluate_all("links => links.map(a => a.href)")
    }
    pending = rows.filter(has_not_text="已提交").first
    code = pending.locator("td").first.inner_text()
    pending.get_by_role("link").first.click()
    tab.wait_for_selector("fieldset.criterion")
    assert f"评审 {code}" in tab.title()
    assert "@example.org" not in tab.content() and "13800138000" not in tab.content()
    for fieldset in tab.locator("fieldset.criterion").all():
        fieldset.locator("input[type=radio]").nth(3).check()  # level 4
    tab.get_by_role("button", name="提交评分").click()
    expect(tab.get_by_text("评分已提交。")).to_be_visible()
    expect(tab.get_by_text("满分 100", exact=False)).to_be_visible()
    # another reviewer's assignment cannot be opened, whatever its number
    someone_elses = min(set(range(1, max(own_ids) + 2)) - own_ids)
    assert tab.goto(f"{demo_server}/admin/reviews/{someone_elses}/").status == 404
    context.close()


def test_the_organiser_awards_and_publishes_the_results_through_the_workflow(browser, demo_server):
    context, tab = admin_login(browser, demo_server, "organiser")
    tab.get_by_role("link", name="作品征集").first.click()
    tab.get_by_role("link", name="预防出生缺陷日科普作品征集（示例数据）", exact=True).click()
    dashboard = tab.url
    tab.get_by_role("link", name="排名与评奖").click()
    top = tab.locator("table.listing tbody tr").first
    title = top.locator("td").nth(2).inner_text().split("\n")[0]
    top.locator("select").select_option("first")
    top.get_by_role("button", name="保存").click()
    expect(tab.get_by_text("一等奖").first).to_be_visible()

    tab.goto(dashboard)
    tab.get_by_role("button", name="起草结果页面").click()
    tab.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    # submit to the results workflow, then approve as the organisers' group
    edit_url = tab.url
    tab.evaluate("document.querySelector('button[name=\"action-submit\"]').click()")
    tab.wait_for_url(re.compile(r"/admin/pages/\d+/$"))  # Wagtail returns to the contest's listing
    tab.goto(edit_url)
    tab.wait_for_selector('button[data-workflow-action-name="approve"]', state="attached")
    tab.evaluate("document.querySelector('button[data-workflow-action-name=\"approve\"]').click()")
    tab.wait_for_url(re.compile(r"/admin/pages/\d+/$"))

    public = context.new_page()
    response = public.goto(f"{demo_server}{IN_REVIEW}results/")
    assert response.status == 200
    expect(public.get_by_role("heading", name="一等奖")).to_be_visible()
    expect(public.get_by_text(title).first).to_be_visible()
    assert axe_violations(public) == []
    context.close()
