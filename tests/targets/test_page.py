"""The /targets/ page on both demo sites, the home strip, and the page's query budget."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.test.utils import WagtailPageTestCase

from content.base.models import HomePage
from content.targets.models import Indicator, ReportedValue, TargetsPage

STAGE_ORDER = ["premarital", "preconception", "pregnancy", "newborn", "child"]


class TreeRulesTests(WagtailPageTestCase):
    def test_targets_page_sits_under_a_home_page_and_has_no_children(self):
        self.assertAllowedParentPageTypes(TargetsPage, {HomePage})
        self.assertAllowedSubpageTypes(TargetsPage, set())


def articles(html):
    return dict(
        re.findall(r'<article class="indicator[^"]*" id="indicator-([a-z0-9_]+)"(.*?)</article>', html, re.S)
    )


@pytest.mark.parametrize(
    ("host", "province", "count"), [("localhost", "110000", 18), ("sichuan.localhost", "510000", 14)]
)
def test_each_site_shows_every_indicator_of_its_province_with_target_value_gap_chart_and_table(
    client, demo, host, province, count
):
    response = client.get("/targets/", HTTP_HOST=host)
    assert response.status_code == 200
    html = response.content.decode()
    found = articles(html)
    assert set(found) == set(Indicator.objects.for_province(province).values_list("code", flat=True))
    assert len(found) == count
    for indicator in Indicator.objects.for_province(province).with_values():
        body = found[indicator.code]
        assert indicator.name in body
        assert f"<dd data-target>{indicator.target_text}</dd>" in body
        latest = indicator.latest
        assert f"{latest.value_text}{indicator.unit}" in body and f"（{latest.year}年）" in body
        assert indicator.gap.text in body
        assert "<svg" in body and 'role="img"' in body
        # the numbers are readable without the chart: one table row per year, with its source and date
        for value in indicator.sorted_values:
            assert re.search(
                rf'<th scope="row">{value.year}</th><td>{re.escape(value.value_text + indicator.unit)}</td>',
                body,
            )
            assert value.source in body and value.reported_on.isoformat() in body
        if indicator.service:
            assert f'href="/facilities/?service={indicator.service}"' in body
        assert "示例数据" in body
    # grouped by life stage, in the programme's order
    positions = [html.index(f'id="stage-{code}"') for code in STAGE_ORDER]
    assert positions == sorted(positions)
    assert "以下报告值为演示用的示例数据" in html
    assert "还差" in html and "已达标" in html
    assert 'media="print"' in html


def test_beijing_shows_ddh_and_sichuan_does_not(client, demo):
    assert "新生儿髋关节发育不良筛查率" in client.get("/targets/", HTTP_HOST="localhost").content.decode()
    sichuan = client.get("/targets/", HTTP_HOST="sichuan.localhost").content.decode()
    assert "髋关节" not in sichuan and "新生儿听力障碍筛查率" in sichuan
    assert "四川省" in sichuan and "北京市妇幼健康统计年报" not in sichuan


def test_indicators_link_to_the_library_filtered_by_topic(client, demo):
    html = client.get("/targets/", HTTP_HOST="localhost").content.decode()
    body = articles(html)["ddh_screening_rate"]
    assert 'href="/library/?topic=ddh"' in body


def test_a_draft_indicator_is_not_shown(client, demo):
    indicator = Indicator.objects.get(province_code="110000", code="ddh_intervention_rate")
    indicator.live = False
    indicator.save()
    assert "ddh_intervention_rate" not in articles(
        client.get("/targets/", HTTP_HOST="localhost").content.decode()
    )


def test_home_strip_counts_met_targets_and_links_to_the_page(client, demo):
    for host, province in (("localhost", "110000"), ("sichuan.localhost", "510000")):
        html = client.get("/", HTTP_HOST=host).content.decode()
        strip = re.search(r'<section class="container targets-strip".*?</section>', html, re.S).group(0)
        indicators = list(Indicator.objects.live().for_province(province).prefetch_related("values"))
        met = sum(1 for i in indicators if i.gap.met)
        assert "2027 目标进展" in strip
        assert f"已达标 {met} 项" in strip and f"未达标 {len(indicators) - met} 项" in strip
        assert f"共 {len(indicators)} 项目标" in strip
        assert 'href="/targets/"' in strip


def test_page_query_count_is_bounded_and_does_not_grow_with_the_indicators(
    client, demo, django_assert_max_num_queries
):
    client.get("/targets/", HTTP_HOST="sichuan.localhost")  # warm the site and settings caches
    with django_assert_max_num_queries(30):
        assert client.get("/targets/", HTTP_HOST="sichuan.localhost").status_code == 200
    client.get("/targets/", HTTP_HOST="localhost")  # each site's navigation is built once per content version
    with CaptureQueriesContext(connection) as before:
        client.get("/targets/", HTTP_HOST="localhost")
    extra = Indicator.objects.get(province_code="110000", code="ddh_screening_rate")
    extra.pk, extra.code, extra.name = None, "extra_rate", "额外指标"
    extra.save()
    extra.values = [ReportedValue(year=2025, value=50, source="年报")]
    extra.save()
    client.get("/targets/", HTTP_HOST="localhost")
    with CaptureQueriesContext(connection) as after:
        html = client.get("/targets/", HTTP_HOST="localhost").content.decode()
    assert "额外指标" in html
    assert len(after.captured_queries) == len(before.captured_queries) <= 25
