"""Every public page type answers in a bounded number of SQL queries, whatever the data size
(issue 10): an N+1 (a query per listed facility, article, message or entry) breaks the bound.

One test loads the demo (114 facilities, 30+ articles, messages, campaigns, a contest) in its own
rolled-back transaction and counts every page type there. Each page is fetched once to warm the caches
(site root paths, the service vocabulary, the search lexicon, renditions made on first view), then
counted: the steady state, where an N+1 still shows because it repeats on every request."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

MAX_QUERIES = 20


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test loads its own demo: nothing cached from another test's rows may serve it."""
    cache.clear()
    yield
    cache.clear()


def page_urls():
    """(label, url) of one page of each public type, with filters where the page has them."""
    from content.campaigns.models import CampaignIndexPage, CampaignPage
    from content.contests.models import ContestIndexPage, ContestPage
    from content.core_messages.models import CoreMessage, CoreMessagesPage
    from content.facilities.models import FacilityFinderPage
    from content.facilities.records import Facility
    from content.library.models import ResourceIndexPage, ResourcePage

    library = ResourceIndexPage.objects.live().first().url
    finder = FacilityFinderPage.objects.live().first().url
    messages_page = CoreMessagesPage.objects.live().first().url
    urls = [
        ("home", "/"),
        ("life stage entry", "/stages/pregnancy/"),
        ("library index", library),
        ("library index, filtered", f"{library}?life_stage=pregnancy&format=article"),
        ("library index, page 2", f"{library}?page=2"),
        ("library feed", f"{library}feed/"),
        ("resource page", ResourcePage.objects.live().order_by("pk").first().url),
        ("core messages", messages_page),
        ("core message card", f"{messages_page}{CoreMessage.objects.live().first().pk}/"),
        ("campaign index", CampaignIndexPage.objects.live().first().url),
        ("campaign page", CampaignPage.objects.live().order_by("-pk").first().url),
        ("facility finder", finder),
        ("facility finder, text", f"{finder}?q=唐筛"),
        ("facility finder, filters", f"{finder}?region=110000&service=prenatal_screening&free=1"),
        ("facility finder, distance", f"{finder}?near=39.92,116.44&sort=distance"),
        ("facility page", f"{finder}{Facility.objects.order_by('pk').first().pk}/"),
        ("site search", "/search/?q=叶酸"),
        ("site search, no query", "/search/"),
        ("contest index", ContestIndexPage.objects.live().first().url),
        ("contest page", ContestPage.objects.live().first().url),
    ]
    return urls


LABELS = ["home", "life stage entry", "library index", "library index, filtered", "library index, page 2",
          "library feed", "resource page", "core messages", "core message card", "campaign index",
          "campaign page", "facility finder", "facility finder, text", "facility finder, filters",
          "facility finder, distance", "facility page", "site search", "site search, no query",
          "contest index", "contest page"]


def count_queries(client, url) -> int:
    assert client.get(url).status_code == 200, url  # warm the caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries)


def test_every_public_page_type_answers_within_the_query_bound(demo, client):
    """One demo for all page types (loading it takes most of the time): every page is counted and every
    one over the bound is named, with its count. docs/performance.md (「Queries per page」) has the
    counts and what brought each page down."""
    urls = dict(page_urls())
    assert list(urls) == LABELS
    counts = {label: count_queries(client, url) for label, url in urls.items()}
    over = {f"{label} ({urls[label]})": n for label, n in counts.items() if n > MAX_QUERIES}
    assert over == {}, f"more than {MAX_QUERIES} queries: {over}"


def test_the_demo_has_enough_rows_for_an_n_plus_1_to_show(demo):
    from content.facilities.records import Facility
    from content.library.models import ResourcePage

    assert Facility.objects.count() >= 50 and ResourcePage.objects.live().count() >= 30
