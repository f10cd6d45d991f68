"""The main navigation and the home page's section cards are cached per content version
(content/base/navigation.py): what an editor changes in the tree shows on the very next request."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from content.base.models import SiteSettings
from tests.library.factories import ResourceIndexPageFactory, home_page


@pytest.fixture
def library(db):
    SiteSettings.for_site(Site.objects.get(is_default_site=True))  # made on first use: a change of its own
    cache.clear()
    page = ResourceIndexPageFactory(parent=home_page(), introduction="每一篇都经医学专家审核。")
    page.save_revision().publish()
    yield page
    cache.clear()


def nav(client):
    html = client.get("/").content.decode()
    return html[html.index('class="site-nav'):html.index("</nav>", html.index('class="site-nav'))], html


def test_a_section_shows_in_the_navigation_and_as_a_home_card(client, library):
    menu, html = nav(client)
    assert '<a href="/library/"' in menu and "科普资源库" in menu
    assert "每一篇都经医学专家审核。" in html  # the section card's summary


def test_a_renamed_section_shows_on_the_next_request(client, library):
    nav(client)  # cached
    library.title = "科普园地"
    library.save_revision().publish()
    menu, html = nav(client)
    assert "科普园地" in menu and "科普资源库" not in menu


def test_a_section_taken_out_of_the_menu_or_unpublished_leaves_it(client, library):
    nav(client)
    library.show_in_menus = False
    library.save_revision().publish()
    assert "/library/" not in nav(client)[0]

    library.show_in_menus = True
    library.save_revision().publish()
    assert "/library/" in nav(client)[0]
    library.unpublish()
    assert "/library/" not in nav(client)[0]


def test_a_section_made_private_leaves_the_public_navigation(client, library):
    nav(client)
    PageViewRestriction.objects.create(page=library, restriction_type=PageViewRestriction.LOGIN)
    menu, html = nav(client)
    assert "/library/" not in menu and "每一篇都经医学专家审核。" not in html


def test_the_navigation_is_not_rebuilt_on_every_request(client, library):
    nav(client)
    with CaptureQueriesContext(connection) as queries:
        nav(client)
    menu_queries = [q for q in queries.captured_queries if "show_in_menus" in q["sql"].partition(" WHERE ")[2]]
    assert menu_queries == []
