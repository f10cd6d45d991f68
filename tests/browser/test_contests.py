"""Contest flows in a real browser against the demo: an entrant sends a work with a file, reviewer1
scores an assignment, the organiser awards and submits the results through the publication gate, and
the results approver publishes them."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

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
    tab.get_by_role("button", name="提交评分", exact=True).click()
    # irreversible, so confirmed first
    expect(tab.get_by_role("heading", name="确认提交评分？")).to_be_visible()
    assert axe_violations(tab) == []
    tab.get_by_role("button", name="确认提交评分").click()
    expect(tab.get_by_text("评分已提交。")).to_be_visible()
    expect(tab.get_by_text("满分 100", exact=False)).to_be_visible()
    # another reviewer's assignment cannot be opened, whatever its number
    someone_elses = min(set(range(1, max(own_ids) + 2)) - own_ids)
    assert tab.goto(f"{demo_server}/admin/reviews/{someone_elses}/").status == 404
    context.close()


def test_results_cannot_go_live_before_the_gate_opens_and_need_a_separate_approver(browser, demo_server):
    """Issue 18: as organiser during the review phase the results cannot be submitted; once the
    review has closed and every gap and disagreement is accounted for, they are submitted; the
    organiser still cannot publish them; the results approver approves, and only then are they live."""
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

    # 1. in the middle of the review phase: the gate is closed, the button disabled
    tab.goto(dashboard)
    tab.get_by_role("link", name="核对并提交结果").click()
    publish_url = tab.url
    problems = tab.locator("ul.gate-problems")
    expect(problems).to_contain_text("评审阶段尚未结束")
    expect(problems).to_contain_text("评分份数不足")
    expect(tab.get_by_role("button", name="提交结果审批")).to_be_disabled()
    expect(tab.locator("section", has_text="将要公布的内容")).to_contain_text(title)
    expect(tab.get_by_role("heading", name=re.compile(r"发送邮件的对象（\d+）"))).to_be_visible()
    assert axe_violations(tab) == []
    assert context.new_page().goto(f"{demo_server}{IN_REVIEW}results/").status == 404

    # 2. the panel finishes early: the organiser closes the review phase on the contest page
    tab.goto(dashboard)
    tab.get_by_role("link", name="编辑征集页面").click()
    tab.wait_for_selector("#id_review_ends_at")
    yesterday = (datetime.now(ZoneInfo("Asia/Shanghai")) - timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    tab.fill("#id_review_ends_at", yesterday)
    tab.evaluate("document.querySelector('button[name=\"action-publish\"]').click()")
    tab.wait_for_url(re.compile(r"/admin/pages/\d+/$"))

    # 3. reasons for the missing reviews and the disagreements, then the gate opens
    tab.goto(publish_url)
    expect(problems).not_to_contain_text("评审阶段尚未结束")
    for _round in range(30):
        empty = tab.evaluate(
            "[...document.querySelectorAll('input[name=reason]')].find(i => !i.value)?.id || ''"
        )
        if not empty:
            break
        tab.fill(f"#{empty}", "评审组会议已讨论")
        tab.locator(f"#{empty} ~ button").click()
        expect(tab.get_by_text("的说明。").first).to_be_visible()
    expect(tab.get_by_text("所有条件均已满足")).to_be_visible()
    tab.get_by_label("我已核对上述获奖作品和邮件收件人。").check()
    tab.get_by_role("button", name="提交结果审批").click()
    expect(tab.get_by_text("结果已提交审批")).to_be_visible()
    tab.get_by_role("link", name="打开结果页面").click()
    tab.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    edit_url = tab.url
    # the organiser can neither publish nor approve
    assert tab.locator('button[name="action-publish"]').count() == 0
    assert tab.locator('button[data-workflow-action-name="approve"]').count() == 0
    assert context.new_page().goto(f"{demo_server}{IN_REVIEW}results/").status == 404
    context.close()

    # 4. the results approver approves; now they are live
    context, tab = admin_login(browser, demo_server, "approver")
    tab.goto(edit_url)
    tab.wait_for_selector('button[data-workflow-action-name="approve"]', state="attached")
    tab.evaluate("document.querySelector('button[data-workflow-action-name=\"approve\"]').click()")
    tab.wait_for_url(re.compile(r"/admin/$"))  # back to the dashboard: approvers have no explorer
    public = context.new_page()
    response = public.goto(f"{demo_server}{IN_REVIEW}results/")
    assert response.status == 200
    expect(public.get_by_role("heading", name="一等奖")).to_be_visible()
    expect(public.get_by_text(title).first).to_be_visible()
    assert axe_violations(public) == []
    context.close()

    # 5. reviews are locked
    context, tab = admin_login(browser, demo_server, "reviewer1")
    tab.goto(f"{demo_server}/admin/reviews/")
    tab.locator("table.listing a").first.click()
    expect(tab.get_by_text("评分和奖项已锁定")).to_be_visible()
    assert tab.get_by_role("button", name="提交评分").count() == 0
    context.close()


def test_a_valid_poster_survives_a_bad_email_and_is_sent_with_the_corrected_form(page, demo_server, tmp_path):
    """Issue 18: the PNG attached to an entry refused for its e-mail address is kept and shown as
    「已上传：…」; the corrected form is sent without choosing the file again."""
    import io

    from PIL import Image

    poster = tmp_path / "叶酸海报.png"
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (10, 120, 200)).save(buffer, "PNG")
    poster.write_bytes(buffer.getvalue())
    page.goto(f"{demo_server}{OPEN_CALL}")
    form = page.locator("form.entry-form")
    expect(form.locator("#id_files_hint")).to_contain_text("单个文件大小上限")
    form.get_by_label("作品名称").fill("叶酸海报")
    form.get_by_label("类别").select_option("poster")
    form.locator("#id_summary").fill("一张海报讲清楚叶酸。")
    form.get_by_label("文件").set_input_files(str(poster))
    form.get_by_label("作者", exact=False).first.fill("李小红")
    form.get_by_label("联系人").fill("李小红")
    form.get_by_label("电子邮箱").fill("lixh-at-example.org")
    form.get_by_label("电话").fill("13912345678")
    form.get_by_label("我已阅读并同意本次征集的规则。").check()
    form.get_by_label("如作品获奖，同意按上述许可协议发布。").check()
    # the privacy consent is left unticked: a second error, named precisely
    form.get_by_role("button", name="提交作品").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("请输入有效的电子邮箱地址")
    expect(alert).to_contain_text("请勾选同意按个人信息说明处理您的联系方式。")
    assert "。：" not in alert.inner_text() and "Email" not in alert.inner_text()
    expect(page.locator("#pending-files")).to_contain_text("已上传：叶酸海报.png")
    assert axe_violations(page) == []

    form = page.locator("form.entry-form")
    form.get_by_label("电子邮箱").fill("lixh@example.org")
    form.get_by_label("我已阅读并同意本次征集的规则。").check()
    form.get_by_label("如作品获奖，同意按上述许可协议发布。").check()
    form.get_by_label("同意按上述个人信息说明处理我的联系方式。").check()
    form.get_by_role("button", name="提交作品").click()
    page.wait_for_url(re.compile(r"/received/$"))
    page.get_by_role("link", name="查看作品状态").click()
    expect(page.get_by_role("link", name="叶酸海报.png")).to_be_visible()
