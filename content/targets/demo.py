"""Demo: reported values 2023–2025 for every seeded indicator (marked 示例数据) and the /targets/ page on
both sites, each showing its own province. Idempotent."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from wagtail.models import Site

from content.base.models import SiteSettings

from .models import Indicator, ReportedValue, TargetsPage

YEARS = (2023, 2024, 2025)
SOURCES = {"110000": "北京市妇幼健康统计年报（示例数据）", "510000": "四川省妇幼健康统计年报（示例数据）"}
# How far below its target each indicator starts in 2023 (percentage points), in the province's order.
SHORTFALLS = [5.8, 3.1, 1.6, 7.2, 0.9, 2.4, 4.5]
# ‰ indicators that must fall: 2023, 2024, 2025.
MORTALITY = {
    ("110000", "infant_mortality_birth_defects"): ("1.32", "1.18", "0.96"),
    ("110000", "under5_mortality_birth_defects"): ("1.41", "1.30", "1.16"),
    ("510000", "infant_mortality_birth_defects"): ("1.45", "1.27", "1.12"),
    ("510000", "under5_mortality_birth_defects"): ("1.62", "1.44", "1.29"),
}
INTRODUCTION = (
    "《出生缺陷防治能力提升计划（2023—2027年）》为本省定下了到2027年要达到的目标。这里逐项列出每个目标、"
    "最新报告值和还差多少，数据可下载。"
)


def demo_values(indicator, index):
    """Three years of plausible values: every third indicator reaches its target by 2025."""
    if (indicator.province_code, indicator.code) in MORTALITY:
        return [Decimal(v) for v in MORTALITY[(indicator.province_code, indicator.code)]]
    target = Decimal(indicator.target_value)
    short = Decimal(str(SHORTFALLS[index % len(SHORTFALLS)]))
    last = target + min(short / 3, (Decimal(100) - target) / 2) if index % 3 == 0 else target - short / 4
    values = [target - short, target - short / 2, last]
    return [v.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) for v in values]


def targets_page(home):
    page = TargetsPage.objects.child_of(home).filter(slug="targets").first()
    if page is None:
        page = TargetsPage(
            title="2027 目标进展",
            slug="targets",
            show_in_menus=True,
            introduction=INTRODUCTION,
            search_description="本省出生缺陷防治2027年目标：每项指标的目标值、最新报告值和差距。",
        )
        home.add_child(instance=page)
        page.save_revision().publish()
    return page


def load(stdout):
    sites = [site for site in Site.objects.all() if SiteSettings.for_site(site).province_code in SOURCES]
    pages = [targets_page(site.root_page) for site in sites]
    filled = 0
    for province in SOURCES:
        for index, indicator in enumerate(
            Indicator.objects.for_province(province).order_by("life_stage__sort_order", "sort_order")
        ):
            if indicator.values.exists():
                continue
            indicator.values = [
                ReportedValue(
                    year=year,
                    value=value,
                    source=SOURCES[province],
                    sample_data=True,
                    reported_on=datetime.date(year + 1, 4, 30),
                )
                for year, value in zip(YEARS, demo_values(indicator, index), strict=True)
            ]
            indicator.save()
            indicator.save_revision().publish()
            filled += 1
    stdout.write(f"targets: values for {filled} indicators, pages on {len(pages)} sites")
