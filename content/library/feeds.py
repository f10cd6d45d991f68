"""RSS 2.0 and Atom feeds of the resource library (the listing's filters apply)."""

import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed


def to_datetime(day: datetime.date) -> datetime.datetime:
    """Midnight of `day` in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


class ResourceRssFeed(Feed):
    def __init__(self, index_page):
        super().__init__()
        self.index_page = index_page

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return self.index_page

    def title(self, index_page):
        return index_page.title

    def link(self, index_page):
        return index_page.get_url(self.request)

    def description(self, index_page):
        return index_page.introduction or index_page.title

    def items(self, index_page):
        filters = index_page.filters_from(self.request.GET)
        return index_page.filtered_resources({**filters, "sort": "newest"})[:30]

    def item_title(self, resource):
        return resource.title

    def item_description(self, resource):
        return resource.summary

    def item_link(self, resource):
        return resource.get_url(self.request)

    def item_pubdate(self, resource):
        return to_datetime(resource.date_published)

    def item_updateddate(self, resource):
        return resource.last_published_at or to_datetime(resource.date_published)

    def item_categories(self, resource):
        return [topic.name for topic in resource.topics.all()] + [tag.name for tag in resource.tags.all()]


class ResourceAtomFeed(ResourceRssFeed):
    feed_type = Atom1Feed
    subtitle = ResourceRssFeed.description
