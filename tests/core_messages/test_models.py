"""content/core_messages: the snippet, the page grouped by life stage, the card, the embed block."""

import pytest
from wagtail.test.utils import WagtailPageTestCase

from content.base.models import HomePage, LifeStage
from content.core_messages.blocks import CoreMessageBlock
from content.core_messages.models import CoreMessagesPage

from ..library.factories import CoreMessageFactory, CoreMessagesPageFactory, home_page


class TreeRulesTests(WagtailPageTestCase):
    def test_core_messages_page_sits_under_a_home_page_and_has_no_children(self):
        self.assertAllowedParentPageTypes(CoreMessagesPage, {HomePage})
        self.assertAllowedSubpageTypes(CoreMessagesPage, set())


@pytest.fixture
def messages_page(db):
    return CoreMessagesPageFactory(parent=home_page())


def stage(code):
    return LifeStage.objects.get(code=code)


def test_page_groups_live_messages_by_life_stage_in_stage_order(client, messages_page):
    CoreMessageFactory(life_stage=stage("newborn"), number=1, statement="宝宝出生后要做新生儿疾病筛查。")
    CoreMessageFactory(life_stage=stage("premarital"), number=2, statement="婚前第二条。")
    CoreMessageFactory(life_stage=stage("premarital"), number=1, statement="婚前第一条。")
    CoreMessageFactory(life_stage=stage("pregnancy"), number=1, statement="未审核的草稿。", live=False)
    html = client.get("/core-messages/").content.decode()
    assert html.index('id="stage-premarital"') < html.index('id="stage-newborn"')
    assert html.index("婚前第一条。") < html.index("婚前第二条。") < html.index("宝宝出生后要做新生儿疾病筛查。")
    assert "未审核的草稿。" not in html
    assert 'id="stage-pregnancy"' not in html  # a stage with no live message is left out


def test_message_card_is_shareable_and_printable(client, messages_page):
    message = CoreMessageFactory(life_stage=stage("preconception"), number=2,
                                 statement="从计划怀孕前3个月起每天补充叶酸。", source="四川省实施方案")
    response = client.get(f"/core-messages/{message.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in html and "从计划怀孕前3个月起每天补充叶酸。" in html
    assert "孕前 第2条" in html
    assert f'<link rel="canonical" href="http://localhost/core-messages/{message.pk}/">' in html
    assert '<meta property="og:title" content="从计划怀孕前3个月起每天补充叶酸。">' in html
    assert "data-print" in html and 'media="print"' in html
    assert client.get(f"/core-messages/{message.pk}/").status_code == 200
    draft = CoreMessageFactory(live=False)
    assert client.get(f"/core-messages/{draft.pk}/").status_code == 404
    assert client.get("/core-messages/999999/").status_code == 404


def test_embed_block_shows_a_live_message_with_its_card_link(rf, messages_page):
    message = CoreMessageFactory(life_stage=stage("pregnancy"), number=3, statement="孕妇应按时接受产前筛查。")
    request = rf.get("/", HTTP_HOST="localhost")
    html = CoreMessageBlock().render(message, context={"request": request})
    assert "孕妇应按时接受产前筛查。" in html and "孕期 第3条" in html
    assert f"/core-messages/{message.pk}/" in html
    message.live = False
    assert CoreMessageBlock().render(message, context={"request": request}).strip() == ""


def test_message_preview_renders_the_card(rf, messages_page):
    message = CoreMessageFactory(statement="预览中的信息。")
    request = rf.get("/", HTTP_HOST="localhost")
    response = message.serve_preview(request, message.default_preview_mode)
    assert "预览中的信息。" in response.render().content.decode()


def test_number_is_unique_within_a_stage(db):
    from django.db import IntegrityError, transaction

    CoreMessageFactory(life_stage=stage("child"), number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        CoreMessageFactory(life_stage=stage("child"), number=1)
    CoreMessageFactory(life_stage=stage("newborn"), number=1)  # another stage may reuse it


def test_message_card_carries_a_qr_code_of_its_url(client, messages_page):
    import re

    from content.base.qr import qr_svg

    message = CoreMessageFactory(life_stage=stage("premarital"), number=3, statement="婚前医学检查很重要。")
    html = client.get(f"/core-messages/{message.pk}/").content.decode()
    svg = re.search(r'<figure class="message-card__qr"><svg.*?</svg>', html, re.S).group(0)
    assert svg.endswith(qr_svg(f"http://localhost/core-messages/{message.pk}/", scale=3, title="扫码打开这条核心信息"))
