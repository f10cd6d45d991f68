import datetime

import factory
import wagtail_factories
from wagtail.models import Site

from content.base.models import LifeStage, Topic
from content.campaigns.models import CampaignEvent, CampaignIndexPage, CampaignPage
from content.core_messages.models import CoreMessage, CoreMessagesPage
from content.library.models import ResourceIndexPage, ResourcePage


def home_page():
    return Site.objects.get(is_default_site=True).root_page.specific


class ResourceIndexPageFactory(wagtail_factories.PageFactory):
    title = "科普资源库"
    slug = "library"
    show_in_menus = True

    class Meta:
        model = ResourceIndexPage


class ResourcePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"科普资源{n}")
    summary = "一段摘要。"
    format = "article"
    date_published = datetime.date(2026, 1, 10)

    class Meta:
        model = ResourcePage

    @factory.post_generation
    def classify(page, create, extracted, **kwargs):
        """ResourcePageFactory(classify={"stages": [...], "topics": [...], "tags": [...]})"""
        if not extracted:
            return
        page.life_stages = list(LifeStage.objects.filter(code__in=extracted.get("stages", [])))
        page.topics = list(Topic.objects.filter(code__in=extracted.get("topics", [])))
        page.tags.set(extracted.get("tags", []))
        page.save()


class CoreMessagesPageFactory(wagtail_factories.PageFactory):
    title = "健康教育核心信息"
    slug = "core-messages"

    class Meta:
        model = CoreMessagesPage


class CoreMessageFactory(factory.django.DjangoModelFactory):
    life_stage = factory.LazyFunction(lambda: LifeStage.objects.get(code="preconception"))
    number = factory.Sequence(lambda n: n + 1)
    statement = factory.Sequence(lambda n: f"核心信息第{n}条。")
    explanation = "<p>解释。</p>"
    source = "出生缺陷防治能力提升计划"

    class Meta:
        model = CoreMessage


class CampaignIndexPageFactory(wagtail_factories.PageFactory):
    title = "宣传活动"
    slug = "campaigns"

    class Meta:
        model = CampaignIndexPage


class CampaignPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"宣传日{n}")
    day = "thalassaemia_day"
    date = datetime.date(2026, 5, 8)
    theme = "早筛查、早诊断"

    class Meta:
        model = CampaignPage


class CampaignEventFactory(factory.django.DjangoModelFactory):
    title = "地贫筛查咨询进社区"
    kind = "community"
    starts_at = factory.LazyFunction(lambda: datetime.datetime(2026, 5, 8, 1, 0, tzinfo=datetime.UTC))
    place = "示例社区卫生服务站"
    district = "丰台区"
    organiser = "丰台区妇幼保健院"
    audience = "备婚备孕人群"

    class Meta:
        model = CampaignEvent
