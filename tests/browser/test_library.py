"""Browser: the resource library and a resource page, on desktop and phone, with axe."""

import json
import re

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from content.editorial.wagtail_hooks import HealthContentChecker

from .conftest import AXE_JS, axe_violations

pytestmark = pytest.mark.browser


def test_library_filters_without_javascript_and_is_accessible(page, demo_server):
    page.goto(f"{demo_server}/library/")
    assert page.get_by_role("heading", level=1).inner_text() == "科普资源库"
    assert axe_violations(page) == []
    page.get_by_label("主题").select_option("thalassemia")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_load_state()
    assert "topic=thalassemia" in page.url
    titles = page.locator(".resource-card__title").all_inner_texts()
    assert "地中海贫血携带者能生健康宝宝吗" in titles
    assert all(re.search("地贫|地中海贫血|携带者", title) for title in titles)
    assert axe_violations(page) == []


def test_library_paginates(page, demo_server):
    page.goto(f"{demo_server}/library/")
    page.get_by_role("link", name="下一页").click()
    page.wait_for_load_state()
    assert "page=2" in page.url
    assert page.locator(".resource-card").count() > 0


def test_resource_page_shows_review_dates_sources_and_finder_link(page, demo_server):
    page.goto(f"{demo_server}/library/?topic=thalassemia")
    page.get_by_role("link", name="地中海贫血携带者能生健康宝宝吗").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "地中海贫血携带者能生健康宝宝吗"
    assert page.get_by_text("最近审核").is_visible()
    assert page.get_by_role("heading", name="参考来源").is_visible()
    finder = page.get_by_role("link", name=re.compile("查找提供地中海贫血防控的机构"))
    assert finder.get_attribute("href") == "/facilities/?service=thalassemia"
    assert axe_violations(page) == []


def test_infographic_has_alt_text_and_a_text_version(page, demo_server):
    page.goto(f"{demo_server}/library/?format=infographic")
    page.get_by_role("link", name="一图读懂新生儿疾病筛查").click()
    page.wait_for_load_state()
    image = page.locator(".resource-media img")
    assert "足跟血" in image.get_attribute("alt")
    assert page.get_by_role("heading", name="文字版").is_visible()
    assert axe_violations(page) == []


def test_life_stage_journey_from_the_home_page(page, demo_server):
    page.goto(f"{demo_server}/")
    page.get_by_role("link", name=re.compile("准备怀孕")).click()
    page.wait_for_load_state()
    assert page.url.endswith("/stages/preconception/")
    assert page.get_by_text("从计划怀孕前3个月起每天补充叶酸，可预防神经管缺陷。").first.is_visible()
    assert page.locator('a[href="/facilities/?service=preconception_checkup"]').count() == 1
    assert axe_violations(page) == []


def test_content_check_flags_a_resource_without_sources(page, demo_server):
    """The admin's content checker runs these axe rules in the editor; run them on a public page."""
    spec = json.dumps(HealthContentChecker().get_axe_spec(None), cls=DjangoJSONEncoder)
    page.goto(f"{demo_server}/library/?topic=folic_acid")
    page.get_by_role("link", name="增补叶酸为什么能预防神经管缺陷").click()
    page.wait_for_load_state()

    def failing(rule):
        return page.evaluate(
            f"""async () => {{ axe.configure({spec});
                const r = await axe.run(document, {{runOnly: {{type: 'rule', values: ['{rule}']}}}});
                return r.violations.length; }}""")

    page.add_script_tag(path=str(AXE_JS))
    assert failing("portal-missing-sources") == 0  # imported with its source
    page.evaluate("document.querySelectorAll('.resource-sources cite').forEach(c => c.remove())")
    assert failing("portal-missing-sources") == 1
