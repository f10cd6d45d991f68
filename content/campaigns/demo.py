"""Demo: /campaigns/ with the last two editions of 预防出生缺陷日 (12 Sept) and 世界地贫日 (8 May), and the
coming 世界地贫日, all dated from the day the demo is loaded, so the home page and the index always show
a next edition with its countdown.
Themes, events and partners are sample data; the key messages are the demo core messages."""

import datetime

from django.utils import timezone
from wagtail.models import Site

from content.base.sharing import share_section
from content.core_messages.models import CoreMessage
from content.editorial.review import require_medical_review
from content.library.demo_media import demo_image, demo_pdf

from .models import FIXED_DAYS, CampaignDay, CampaignEvent, CampaignIndexPage, CampaignKeyMessage, CampaignPage


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def message(stage, number):
    return CoreMessage.objects.filter(life_stage__code=stage, number=number).first()


BEIJING, SICHUAN = "110000", "510000"  # provincial division codes of the demo sites


def next_day(today, month, day) -> datetime.date:
    """The date of (month, day) on or after today."""
    this_year = datetime.date(today.year, month, day)
    return this_year if this_year >= today else datetime.date(today.year + 1, month, day)


def last_day(today, month, day) -> datetime.date:
    """The date of (month, day) on or before today."""
    this_year = datetime.date(today.year, month, day)
    return this_year if this_year <= today else datetime.date(today.year - 1, month, day)


def editions(today=None) -> list[dict]:
    """The demo's editions, dated from today so the demo never runs out of a coming campaign: the next
    世界地贫日 (with its events, Beijing's and Sichuan's) and the two before it, the last two
    预防出生缺陷日. Events are (days from the campaign day, hour[, minute]). The first is the coming one."""
    today = today or timezone.localdate()
    thal = next_day(today, *FIXED_DAYS[CampaignDay.THALASSAEMIA_DAY]).year
    birth = last_day(today, *FIXED_DAYS[CampaignDay.BIRTH_DEFECTS_DAY]).year
    return [
        {
            "slug": f"thalassaemia-day-{thal}", "title": f"{thal}年世界地贫日", "day": CampaignDay.THALASSAEMIA_DAY,
            "date": datetime.date(thal, 5, 8), "theme": "婚前孕前查地贫，守护健康下一代（示例主题）",
            "slogan": "夫妇同查地贫，孕育健康宝宝",
            "introduction": "结合“世界地贫日”“预防出生缺陷日”等出生缺陷相关宣传日加强主题宣传，"
                            "多形式、多渠道开展地中海贫血防控知识宣传。（示例数据）",
            "body": "深入实施地贫防控公共卫生服务项目，提高携带同型地贫基因夫妇孕期产前诊断率，强化咨询指导和高风险夫妇"
                    "孕期追踪、产前诊断、遗传咨询、妊娠结局随访等服务，减少重型地贫发生。鼓励各地将地中海贫血防控服务"
                    "纳入婚前保健和孕前保健服务统筹开展。（摘自《四川省出生缺陷防治能力提升计划实施方案（2023-2027年）》，"
                    "示例数据）",
            "messages": [("premarital", 2), ("pregnancy", 4)],
            "services": ["thalassemia", "premarital_checkup", "prenatal_diagnosis", "genetic_counseling"],
            "events": [
                ("地贫筛查与遗传咨询进社区", "community", (0, 9), "丰台区", "示例社区卫生服务中心",
                 "丰台区妇幼保健院（示例）", "备婚备孕夫妇"),
                ("地贫防控知识进企业", "company", (-1, 14), "朝阳区", "示例产业园多功能厅",
                 "朝阳区妇幼保健院（示例）", "企业职工"),
                ("地贫防控科普进校园", "school", (2, 15), "海淀区", "示例大学学生活动中心",
                 "北京市出生缺陷防治管理中心（示例）", "大学生"),
                # Shown on the Sichuan site only (the edition is shared by both sites).
                ("地贫筛查与婚育咨询进社区（成都）", "community", (0, 9), "武侯区", "示例社区卫生服务中心",
                 "武侯区妇幼保健院（示例）", "备婚备孕夫妇", SICHUAN),
                ("地贫防控知识进校园（成都）", "school", (1, 15), "锦江区", "示例中学报告厅",
                 "四川省出生缺陷防治管理中心（示例）", "中学生", SICHUAN),
            ],
        },
        {
            "slug": f"birth-defects-day-{birth}", "title": f"{birth}年预防出生缺陷日",
            "day": CampaignDay.BIRTH_DEFECTS_DAY,
            "date": datetime.date(birth, 9, 12), "theme": "健康孕育，预防出生缺陷（示例主题）",
            "slogan": "三级预防，守护每个家庭的健康起点",
            "introduction": "结合“预防出生缺陷日”，组织开展出生缺陷防治健康知识进企业、进社区、进校园活动，"
                            "加强重点人群宣教，营造全社会支持出生缺陷防治氛围。（示例数据）",
            "messages": [("premarital", 1), ("preconception", 2), ("pregnancy", 1), ("newborn", 1)],
            "services": [
                "premarital_checkup",
                "preconception_checkup",
                "prenatal_screening",
                "newborn_metabolic_screening",
            ],
            "events": [
                ("婚育健康知识进社区：孕前优生咨询义诊", "community", (0, 9), "朝阳区",
                 "示例社区卫生服务中心广场", "朝阳区妇幼保健院（示例）", "计划怀孕的夫妇、社区居民"),
                ("女职工孕期劳动保护讲座", "company", (-1, 14), "海淀区", "示例科技园报告厅",
                 "海淀区出生缺陷防治管理中心（示例）", "企业女职工"),
                ("出生缺陷防治科普进校园", "school", (2, 10), "西城区", "示例大学医学院",
                 "北京市妇幼保健院（示例）", "大学生"),
            ],
        },
        {
            "slug": f"birth-defects-day-{birth - 1}", "title": f"{birth - 1}年预防出生缺陷日",
            "day": CampaignDay.BIRTH_DEFECTS_DAY,
            "date": datetime.date(birth - 1, 9, 12), "theme": "关口前移，优生优育（示例主题）", "slogan": "",
            "introduction": f"{birth - 1}年预防出生缺陷日宣传活动回顾。（示例数据）",
            "messages": [("preconception", 1), ("newborn", 2)],
            "services": ["preconception_checkup", "newborn_hearing_screening"],
            "events": [
                ("新生儿听力筛查科普进社区", "community", (0, 9, 30), "东城区", "示例街道社区活动中心",
                 "东城区妇幼保健院（示例）", "新手父母"),
            ],
        },
        {
            "slug": f"thalassaemia-day-{thal - 1}", "title": f"{thal - 1}年世界地贫日",
            "day": CampaignDay.THALASSAEMIA_DAY,
            "date": datetime.date(thal - 1, 5, 8), "theme": "早筛查、早诊断，远离重型地贫（示例主题）",
            "slogan": "婚前孕前查地贫，健康孕育有保障",
            "introduction": "结合“世界地贫日”加强主题宣传：深入实施地贫防控公共卫生服务项目，提高携带同型地贫基因夫妇"
                            "孕期产前诊断率，减少重型地贫发生。（示例数据）",
            "messages": [("premarital", 2), ("pregnancy", 4)],
            "services": ["thalassemia", "prenatal_diagnosis", "genetic_counseling"],
            "events": [
                ("地贫筛查咨询进社区", "community", (0, 9), "丰台区", "示例社区卫生服务站",
                 "丰台区妇幼保健院（示例）", "备婚备孕人群"),
                ("地贫防控知识进校园", "school", (1, 15), "海淀区", "示例学院礼堂",
                 "北京市出生缺陷防治管理中心（示例）", "在校学生"),
            ],
        },
        {
            # Beijing's own edition (its events were in Beijing only): the Sichuan site neither lists
            # nor serves it, nor finds it in its search or sitemap.
            "slug": f"thalassaemia-day-{thal - 2}", "title": f"{thal - 2}年世界地贫日",
            "day": CampaignDay.THALASSAEMIA_DAY, "provinces": BEIJING,
            "date": datetime.date(thal - 2, 5, 8), "theme": "认识地中海贫血（示例主题）", "slogan": "",
            "introduction": f"{thal - 2}年北京市世界地贫日宣传活动回顾。（示例数据）",
            "messages": [("premarital", 2)],
            "services": ["thalassemia"],
            "events": [
                ("地贫携带者咨询日", "community", (0, 9), "朝阳区", "示例妇幼保健院门诊大厅",
                 "朝阳区妇幼保健院（示例）", "育龄夫妇"),
            ],
        },
    ]


def campaign_index(home):
    index = CampaignIndexPage.objects.child_of(home).filter(slug="campaigns").first()
    if index is None:
        index = CampaignIndexPage(title="宣传活动", slug="campaigns", show_in_menus=True,
                                  introduction="预防出生缺陷日（9月12日）和世界地贫日（5月8日）宣传活动：主题、核心信息、"
                                               "宣传物料和进社区、进企业、进校园活动。（示例数据）",
                                  search_description="预防出生缺陷日、世界地贫日宣传活动。")
        home.add_child(instance=index)
        index.save_revision().publish()
    return index


def share_card(title, theme, colour):
    """The 社交媒体分享图: a 1200×630 PNG (the size WeChat and Weibo previews use), its own document, not
    the poster PDF."""
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    existing = Document.objects.filter(title=title).first()
    if existing:
        return existing
    image = demo_image(title, [theme], size=(1200, 630), colour=colour)
    with image.file.open("rb") as source:
        content = source.read()
    document = Document(title=title)
    document.file.save(f"share-{image.pk}.png", ContentFile(content), save=False)
    document.save()
    return document


def build(index, data):
    hero = demo_image(f"{data['title']}主视觉（示例）", [data["theme"]], size=(1280, 800),
                      colour=(168, 50, 30) if data["day"] == CampaignDay.THALASSAEMIA_DAY else (11, 95, 86))
    colour = (168, 50, 30) if data["day"] == CampaignDay.THALASSAEMIA_DAY else (11, 95, 86)
    poster = demo_pdf(f"{data['title']}宣传海报（示例）", f"{data['date']:%Y} campaign poster (sample)")
    social = share_card(f"{data['title']}社交媒体分享图（示例）", data["theme"], colour)
    page = CampaignPage(
        title=data["title"], slug=data["slug"], day=data["day"], date=data["date"], theme=data["theme"],
        slogan=data["slogan"], introduction=data["introduction"], hero_image=hero,
        provinces=data.get("provinces", ""),
        hero_alt=f"{data['title']}宣传主视觉", search_description=data["theme"],
        # The introduction is the page's lead; the body adds to it rather than repeating it.
        body=([{"type": "paragraph", "value": f"<p>{data['body']}</p>"}] if data.get("body") else []) + [
            {"type": "finder", "value": {"title": "查找提供相关服务的机构", "services": data["services"]}},
        ],
        toolkit=[{"type": "file", "value": {"document": poster.pk, "title": "宣传海报（PDF）", "kind": "poster"}},
                 {"type": "file",
                  "value": {"document": social.pk, "title": "社交媒体分享图（PNG）", "kind": "social"}}],
        partners=[{"type": "partner", "value": {"name": "市妇幼保健院（示例）", "url": ""}},
                  {"type": "partner", "value": {"name": "市出生缺陷防治管理中心（示例）", "url": ""}}],
    )
    page.key_messages = [CampaignKeyMessage(message=found) for found in
                         (message(stage, number) for stage, number in data["messages"]) if found]
    page.events = [
        CampaignEvent(title=title, kind=kind, starts_at=at(data["date"] + datetime.timedelta(days=when[0]), *when[1:]),
                      ends_at=at(data["date"] + datetime.timedelta(days=when[0]), when[1] + 2, *when[2:]),
                      district=district, place=place,
                      organiser=organiser, audience=audience, registration_url="",
                      description="现场提供免费咨询和科普资料。（示例活动）",
                      # The demo's events are in Beijing districts unless marked with another province.
                      provinces=(province or [BEIJING])[0])
        for title, kind, when, district, place, organiser, audience, *province in data["events"]
    ]
    index.add_child(instance=page)
    page.save_revision().publish()


def load(stdout):
    home = Site.objects.get(is_default_site=True).root_page
    index = campaign_index(home)
    require_medical_review(pages=[index])
    created = 0
    for data in editions():
        if not CampaignPage.objects.child_of(index).filter(slug=data["slug"]).exists():
            build(index, data)
            created += 1
    # A demo loaded before events carried provinces: its events are Beijing's.
    CampaignEvent.objects.filter(page__in=index.get_children(), provinces="").update(provinces=BEIJING)
    share_section(index)
    stdout.write(f"campaigns: {created} editions created")
