"""Demo: a sample facility list for Beijing and Sichuan (示例数据), a few referral links, and a
facility finder page at /facilities/ on each provincial site. Idempotent."""

from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from content.base.models import HomePage

from .importer import import_file
from .models import FacilityFinderPage
from .records import Facility

SAMPLE_FILE = Path(__file__).parent / "demo_data" / "facilities_sample.csv"
SOURCE = "示例数据（按政府公布名单的格式编制，非真实机构信息）"
# screening facility licence → its designated diagnosis centre (对口产前诊断机构)
REFERRALS = {
    "京母婴许字〔2024〕0024号": "京母婴许字〔2024〕0025号",
    "京母婴许字〔2022〕0026号": "京母婴许字〔2024〕0025号",
    "京母婴许字〔2023〕0001号": "京母婴许字〔2024〕0015号",
    "川母婴许字〔2024〕0066号": "川母婴许字〔2024〕0063号",
    "川母婴许字〔2025〕0068号": "川母婴许字〔2024〕0063号",
    "川母婴许字〔2024〕0071号": "川母婴许字〔2024〕0063号",
    "川母婴许字〔2023〕0098号": "川母婴许字〔2025〕0097号",
    "川母婴许字〔2023〕0101号": "川母婴许字〔2025〕0100号",
    "川母婴许字〔2024〕0104号": "川母婴许字〔2023〕0103号",
    "川母婴许字〔2025〕0107号": "川母婴许字〔2023〕0106号",
    "川母婴许字〔2023〕0110号": "川母婴许字〔2024〕0109号",
    "川母婴许字〔2024〕0113号": "川母婴许字〔2023〕0112号",
}
# Entries last checked long ago show 「信息可能已变更，请致电确认」.
STALE = ["京母婴许字〔2023〕0029号", "川母婴许字〔2023〕0069号"]

FINDERS = {
    "home": ("查找持证机构", "婚检、孕检、唐筛、无创DNA、产前诊断、新生儿筛查……输入您需要的服务或所在区，"
                          "找到离您最近的持证机构。（机构信息为示例数据）"),
    "sichuan": ("查找持证机构", "四川省母婴保健技术服务持证机构查询：按服务、地区和距离查找。（机构信息为示例数据）"),
}


def load_facilities(stdout) -> None:
    plan = import_file(SAMPLE_FILE, source=SOURCE)
    if not plan.ok:
        raise RuntimeError("demo facility list is invalid: " + "; ".join(plan.report_lines()[:5]))
    by_licence = {f.licence_number: f for f in Facility.objects.filter(
        licence_number__in=list(REFERRALS) + list(REFERRALS.values()) + STALE)}
    for screening, centre in REFERRALS.items():
        if screening in by_licence and centre in by_licence:
            facility = by_licence[screening]
            if facility.referral_centre_id != by_licence[centre].pk:
                facility.referral_centre = by_licence[centre]
                facility.save(update_fields=["referral_centre"])
    stale_date = timezone.localdate() - timedelta(days=200)
    Facility.objects.filter(licence_number__in=STALE).update(last_verified=stale_date)
    stdout.write(f"facilities: {Facility.objects.count()} sample facilities ({plan.summary()})")


def load_finder_pages() -> None:
    for home in HomePage.objects.all():
        title, introduction = FINDERS.get(home.slug, FINDERS["home"])
        if FacilityFinderPage.objects.child_of(home).exists():
            continue
        page = FacilityFinderPage(title=title, slug="facilities", introduction=introduction, show_in_menus=True)
        home.add_child(instance=page)
        page.save_revision().publish()


def load(stdout):
    load_facilities(stdout)
    load_finder_pages()
