"""content/base/slugs.py, slug_migration.py and the slug field: shareable ASCII page addresses."""

from urllib.parse import quote, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Revision, Site
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from content.base.slug_migration import move_pages_to_ascii_slugs
from content.base.slugs import pinyin_slug
from content.library.models import ResourcePage
from tests.library.factories import ResourceIndexPageFactory, ResourcePageFactory, home_page


@pytest.mark.parametrize(("title", "slug"), [
    ("备孕女性为什么要补叶酸", "beiyun-nvxing-weishenme-yao-bu"),
    ("2026年预防出生缺陷日", "2026-nian-yufang-chusheng-quexian"),
    ("无创DNA产前检测：适合谁？", "wuchuang-dna-chanqian-jiance-shihe"),
    ("NIPT 与羊水穿刺", "nipt-yu-yangshui-chuanci"),
    ("About us", "about-us"),
    ("！？", ""),
])
def test_pinyin_slug_is_short_ascii_from_the_first_words(title, slug):
    # Word boundaries follow the segmenter, whose vocabulary grows with the domain terms loaded.
    made = pinyin_slug(title)
    assert made.isascii() and len(made) <= 40
    assert made.replace("-", "").startswith(slug.replace("-", "")) and bool(made) == bool(slug)
    assert len(pinyin_slug("出生缺陷三级预防" * 20)) <= 40


@pytest.fixture
def library(db):
    return ResourceIndexPageFactory(parent=home_page())


def test_a_new_page_gets_a_pinyin_slug_unique_among_its_siblings(library):
    first = ResourcePageFactory(parent=library, title="叶酸怎么补", slug="")
    second = ResourcePageFactory(parent=library, title="叶酸怎么补", slug="")
    typed = ResourcePageFactory(parent=library, title="孕期营养", slug="孕期营养")
    slug = pinyin_slug("叶酸怎么补")
    assert slug.startswith("yesuan") and slug.isascii()
    assert (first.slug, second.slug, typed.slug) == (slug, f"{slug}-2", pinyin_slug("孕期营养"))
    assert typed.slug.startswith("yunqi") and first.url_path == f"/home/library/{slug}/"


def test_the_editor_creates_a_page_with_a_pinyin_slug_when_the_slug_is_left_empty(client, library):
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(admin)
    add_url = reverse("wagtailadmin_pages:add", args=["library", "resourcepage", library.pk])
    form = client.get(add_url).content.decode()
    assert 'data-controller="w-slug portal-pinyin-slug"' in form  # the field follows the title as pinyin
    assert "js/admin/pinyin-slug.js" in form

    data = nested_form_data({
        "title": "新生儿听力筛查", "slug": "", "summary": "摘要。", "format": "article",
        "date_published": "2026-01-10", "body": streamfield([]), "sources": inline_formset([]),
        "comments": inline_formset([]), "text_version": rich_text(""), "transcript": "", "video_url": "",
        "image_alt": "", "reviewer": "", "last_reviewed": "", "next_review": "", "tags": "",
        "seo_title": "", "search_description": "", "go_live_at": "", "expire_at": "",
    })
    response = client.post(add_url, data)
    assert response.status_code == 302
    slug = ResourcePage.objects.get(title="新生儿听力筛查").slug
    assert slug == pinyin_slug("新生儿听力筛查") and slug.startswith("xinshenger") and slug.isascii()

    # The slug field asks the server for the same slug, made unique under the parent.
    answer = client.get(reverse("pinyin_slug"), {"title": "新生儿听力筛查", "parent": library.pk}).json()
    assert answer == {"slug": f"{slug}-2"}
    assert client.get(reverse("pinyin_slug"), {"title": ""}).json() == {"slug": ""}


def test_pages_with_chinese_slugs_move_and_their_old_addresses_redirect_permanently(client, library):
    page = ResourcePageFactory(parent=library, title="地贫筛查")
    page.save_revision().publish()
    # As the demo had it before slugs were pinyin: the Chinese title as the slug.
    Page.objects.filter(pk=page.pk).update(slug="地贫筛查", url_path="/home/library/地贫筛查/")
    old_content = {**page.latest_revision.content, "slug": "地贫筛查"}
    Revision.objects.filter(object_id=str(page.pk)).update(content=old_content)
    old_url = "/library/" + quote("地贫筛查") + "/"
    assert client.get(old_url).status_code == 200

    moved = move_pages_to_ascii_slugs(Page, Revision, Site, Redirect)
    new = pinyin_slug("地贫筛查")
    assert new.startswith("dipin") and moved == [("/home/library/地贫筛查/", f"/home/library/{new}/")]
    response = client.get(old_url)
    assert response.status_code == 301 and response["Location"].endswith(f"/library/{new}/")
    assert client.get(f"/library/{new}/").status_code == 200
    # An editor opening the page sees the new slug, so the next publish keeps it.
    assert page.get_latest_revision_as_object().slug == new
    assert move_pages_to_ascii_slugs(Page, Revision, Site, Redirect) == []  # idempotent


def test_every_demo_page_has_an_ascii_slug(demo, client):
    slugs = list(Page.objects.filter(depth__gt=2).values_list("slug", flat=True))
    assert len(slugs) > 50 and all(slug.isascii() for slug in slugs), [s for s in slugs if not s.isascii()]
    resource = ResourcePage.objects.live().first()
    assert client.get(resource.url).status_code == 200
    assert len(urlsplit(resource.url).path) <= 50  # /library/ + at most 40 characters
