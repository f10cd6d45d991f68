from django import template
from wagtail.models import Site

from content.targets.charts import trend_chart
from content.targets.models import Indicator, TargetsPage

register = template.Library()


@register.inclusion_tag("targets/includes/trend_chart.html")
def indicator_chart(indicator, heading_id=""):
    values = [(v.year, v.value) for v in indicator.sorted_values]
    chart = (
        trend_chart(values, indicator.target_value, indicator.target_year, indicator.unit) if values else None
    )
    return {"indicator": indicator, "chart": chart, "heading_id": heading_id}


@register.inclusion_tag("targets/includes/progress_strip.html", takes_context=True)
def targets_progress(context):
    """The home page's 「2027 目标进展」 strip: how many of the site's targets are met, and a link."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    page = TargetsPage.for_site(site)
    if page is None:
        return {"page": None}
    indicators = list(
        Indicator.objects.live().for_province(page.province(request)).prefetch_related("values")
    )
    gaps = [indicator.gap for indicator in indicators]
    return {
        "request": request,
        "page": page,
        "total": len(indicators),
        "met": sum(1 for gap in gaps if gap and gap.met),
        "not_met": sum(1 for gap in gaps if gap and not gap.met),
        "no_data": sum(1 for gap in gaps if gap is None),
        "sample": any(indicator.has_sample_values for indicator in indicators),
    }
