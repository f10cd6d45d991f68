"""Demo: the two provincial sites, their settings, the roles and one account per role."""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from wagtail.models import Page, Site

from .models import HomePage, SiteSettings, StandardPage
from .roles import (
    CONTEST_ORGANISER,
    CONTEST_REVIEWER,
    EDITOR,
    FACILITY_MANAGER,
    MEDICAL_REVIEWER,
    ensure_roles,
)

SAMPLE = "示例数据"

BEIJING = {
    "site_name": "北京市出生缺陷防治科普平台",
    "organisation": "北京市卫生健康委员会（示例数据）",
    "province_code": "110000",
    "icp_number": "京ICP备00000000号（示例）",
    "public_security_number": "京公网安备 11000000000000号（示例）",
    "contact_phone": "12320",
    "contact_email": "fuyou@example.org",
    "contact_address": "北京市（示例地址）",
    "hero_title": "预防出生缺陷，守护每个家庭",
    "hero_text": "婚前、孕前、孕期、新生儿和儿童，每个阶段都有该做的检查。"
                 "在这里了解科学知识，找到离您最近的持证机构。（本站内容为示例数据）",
}
SICHUAN = {
    "site_name": "四川省出生缺陷防治科普平台",
    "organisation": "四川省卫生健康委员会（示例数据）",
    "province_code": "510000",
    "icp_number": "蜀ICP备00000000号（示例）",
    "public_security_number": "川公网安备 51000000000000号（示例）",
    "contact_phone": "12320",
    "contact_email": "fuyou-sc@example.org",
    "contact_address": "四川省成都市（示例地址）",
    "hero_title": "健康孕育，远离出生缺陷",
    "hero_text": "四川省出生缺陷综合防治：婚前孕前保健、产前筛查与诊断、新生儿疾病筛查，一站查询。"
                 "（本站内容为示例数据）",
}

ACCOUNTS = [
    # username, display name, groups, superuser
    ("admin", "平台管理员", [], True),
    ("editor", "内容编辑", [EDITOR, FACILITY_MANAGER], False),
    ("medical_reviewer", "医学审核专家", [MEDICAL_REVIEWER], False),
    ("organiser", "竞赛组织者", [CONTEST_ORGANISER], False),
    ("reviewer1", "评审专家一", [CONTEST_REVIEWER], False),
    ("reviewer2", "评审专家二", [CONTEST_REVIEWER], False),
    ("reviewer3", "评审专家三", [CONTEST_REVIEWER], False),
]

STANDARD_PAGES = [
    ("about", "关于本站",
     "本站是出生缺陷防治科普平台的示例站点，介绍出生缺陷三级预防知识，提供持证母婴保健服务机构查询。"),
    ("privacy", "隐私政策",
     "本站依照《中华人民共和国个人信息保护法》处理个人信息。机构查询不需要登录；"
     "定位信息只在您的浏览器中使用。"),
    ("accessibility", "无障碍声明", "本站按照 WCAG 2.1 AA 级设计：可用键盘操作，支持读屏软件，提供大字版。"),
]


def demo_port() -> int:
    """The port `make run` serves on, so links between the two demo sites work."""
    return int(os.environ.get("DEMO_PORT", "8000"))


def get_or_create_child(parent, model, slug, **fields):
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing:
        return existing
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def configure_home(home, data):
    home.title = data["site_name"]
    home.draft_title = data["site_name"]
    home.hero_title = data["hero_title"]
    home.hero_text = data["hero_text"]
    home.save_revision().publish()


def configure_settings(site, data):
    site_settings = SiteSettings.for_site(site)
    for field in ("site_name", "organisation", "province_code", "icp_number", "public_security_number",
                  "contact_phone", "contact_email", "contact_address"):
        setattr(site_settings, field, data[field])
    site_settings.sample_data = True
    site_settings.footer_note = f"<p>本站所有页面、机构和账号均为{SAMPLE}，仅用于演示。</p>"
    site_settings.save()


def load_sites():
    beijing_site = Site.objects.get(is_default_site=True)
    beijing_home = beijing_site.root_page.specific
    configure_home(beijing_home, BEIJING)
    beijing_site.site_name = BEIJING["site_name"]
    beijing_site.hostname = "localhost"
    beijing_site.port = demo_port()
    beijing_site.save()
    configure_settings(beijing_site, BEIJING)

    root = Page.get_first_root_node()
    sichuan_home = HomePage.objects.child_of(root).filter(slug="sichuan").first()
    if sichuan_home is None:
        sichuan_home = HomePage(title=SICHUAN["site_name"], slug="sichuan", hero_title=SICHUAN["hero_title"])
        root.add_child(instance=sichuan_home)
    configure_home(sichuan_home, SICHUAN)
    sichuan_site, _ = Site.objects.update_or_create(
        hostname="sichuan.localhost",
        defaults={
            "port": demo_port(),
            "root_page": sichuan_home,
            "site_name": SICHUAN["site_name"],
            "is_default_site": False,
        },
    )
    configure_settings(sichuan_site, SICHUAN)

    for site, home in ((beijing_site, beijing_home), (sichuan_site, sichuan_home)):
        for slug, title, text in STANDARD_PAGES:
            get_or_create_child(home, StandardPage, slug, title=title, introduction=text, show_in_menus=False)
        # 关于本站, 隐私政策 and 无障碍声明 are out of the menu: the footer is where people look for them.
        site_settings = SiteSettings.for_site(site)
        site_settings.footer_links = [("link", {"title": title, "url": f"{site.root_url}/{slug}/"})
                                      for slug, title, _text in STANDARD_PAGES]
        site_settings.save()
    return beijing_home, sichuan_home


def load_accounts():
    groups = ensure_roles()
    User = get_user_model()
    for username, name, group_names, superuser in ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": name, "email": f"{username}@example.org", "is_staff": superuser,
                      "is_superuser": superuser},
        )
        if created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
        user.groups.add(*(groups[g] for g in group_names))


def load(stdout):
    load_sites()
    load_accounts()
    stdout.write(f"base: two sites (北京 on the default host, 四川 on sichuan.localhost), {len(ACCOUNTS)} accounts")
