import pytest
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase

from content.base.models import HomePage, LifeStage, StandardPage, Topic


@pytest.mark.django_db
def test_bare_migrate_makes_the_portal_home_page_the_default_sites_root(client):
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert not Page.objects.filter(depth=2, content_type__model="page").exists()  # no welcome page
    response = client.get("/")
    assert response.status_code == 200
    assert "预防出生缺陷" in response.content.decode()


@pytest.mark.django_db
def test_migrate_seeds_life_stages_and_topics():
    assert list(LifeStage.objects.values_list("name", flat=True)) == ["婚前", "孕前", "孕期", "新生儿", "儿童"]
    assert Topic.objects.filter(code="thalassemia", name="地中海贫血").exists()


class HomePageRulesTests(WagtailPageTestCase):
    def test_home_page_only_under_the_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_standard_page_can_be_created_under_home(self):
        self.assertCanCreateAt(HomePage, StandardPage)
