from django import template
from django.utils import timezone
from wagtail.models import Site

from content.base.request_memo import default_site, public
from content.campaigns.models import CampaignIndexPage

register = template.Library()


@register.inclusion_tag("campaigns/includes/next_campaign.html", takes_context=True)
def next_campaign(context):
    """The current site's next campaign edition (or, between seasons, the latest one). A site without
    campaigns of its own (the Sichuan demo) shows the default site's, linked there."""
    request = context.get("request")
    indexes = public(CampaignIndexPage.objects.live())
    site = Site.find_for_request(request) if request else None
    if site is None:
        index = indexes.first()
    else:
        index = indexes.descendant_of(site.root_page).first()
        default = None if site.is_default_site else default_site()
        if index is None and default is not None:
            index = indexes.descendant_of(default.root_page).first()
    edition = index.featured_edition() if index else None
    days = edition.days_until() if edition else None
    return {"request": request, "edition": edition, "index": index, "days_until": days,
            "today": timezone.localdate()}
