"""Awarded works' files in the resource library (issue 14, issue 18): an image (and its renditions),
an MP4 or a document stays out of the public media folder, unreachable by any public URL, until the
contest's results page is published through the approval workflow and the work's library page is
live — and is private again as soon as either is unpublished."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from content.contests import services
from content.contests.awarded_resources import create_library_resource
from content.contests.models import ContestPage, ContestResultsPage
from content.library.models import ResourcePage
from tests.factories.contests import EntryFactory, SubmittedReviewFactory, pdf_upload

from .conftest import png_bytes
from .test_organiser import library_index

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.contests.media_urls")]

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


def entry_with(contest, users, title, category, upload):
    from django.core.files.uploadedfile import SimpleUploadedFile

    entry = EntryFactory(contest=contest, title=title, category=category, files=False)
    name, data, kind = upload
    services.store_files(entry, [(SimpleUploadedFile(name, data), kind)])
    for reviewer in ("reviewer1", "reviewer2"):
        SubmittedReviewFactory(assignment=services.assign(entry, users[reviewer], users["organiser"], notify=False))
    return entry


@pytest.fixture
def works(review_contest, users):
    """An awarded poster (PNG), video (MP4) and article (PDF), each drafted into the library."""
    library_index()
    poster = entry_with(review_contest, users, "海报作品", "poster", ("海报.png", png_bytes(), "png"))
    video = entry_with(review_contest, users, "视频作品", "video", ("视频.mp4", MP4, "mp4"))
    article = entry_with(review_contest, users, "文章作品", "article", ("文章.pdf", pdf_upload().read(), "pdf"))
    resources = {}
    for entry, level in ((poster, "first"), (video, "second"), (article, "third")):
        award = services.set_award(entry, level, users["organiser"])
        resources[entry.category] = create_library_resource(award, users["organiser"])
    return resources


def public_urls(resources):
    """What an anonymous visitor would try: the files' own URLs, a rendition, the public media path."""
    poster, video, article = resources["poster"], resources["video"], resources["article"]
    rendition = poster.image.get_rendition("width-20")
    return {
        "image": poster.image.file.url,
        "image in media": f"/media/{poster.image.file.name}",
        "rendition": rendition.url,
        "rendition in media": f"/media/{rendition.file.name}",
        "video": ResourcePage.objects.get(pk=video.pk).video_file.url,
        "video in media": f"/media/{video.video_file.name}",
        "document": article.document.url,
    }


def assert_private(client, resources, settings):
    for what, url in public_urls(resources).items():
        assert client.get(url).status_code in (403, 404), what
    media = settings.MEDIA_ROOT
    for name in (resources["poster"].image.file.name, resources["video"].video_file.name,
                 resources["article"].document.file.name):
        assert not (media / name).exists(), name  # not in the public media folder at all


def publish_results_through_the_workflow(client, contest, users, capture):
    ContestPage.objects.filter(pk=contest.pk).update(review_ends_at=timezone.now() - timedelta(hours=1))
    client.force_login(users["organiser"])
    with capture(execute=True):
        client.post(f"/admin/contests/{contest.pk}/publish/", {"action": "submit", "confirm": "yes"})
    page = ContestResultsPage.objects.child_of(contest).get()
    task_state = page.current_workflow_state.current_task_state
    client.force_login(users["approver"])
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    with capture(execute=True):
        assert client.post(url, {"comment": ""}).status_code == 302
    client.logout()
    page.refresh_from_db()
    assert page.live
    return page


def test_awarded_files_stay_private_until_results_and_library_pages_are_live_and_again_after_unpublishing(
    client, review_contest, users, works, settings, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    poster = works["poster"]
    # held: the content roles check the work in the library draft through the permission-checked view
    client.force_login(users["editor"])
    response = client.get(poster.image.file.url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff" and "sandbox" in response["Content-Security-Policy"]
    assert client.get(works["video"].video_file.url)["Content-Type"] == "video/mp4"
    assert client.get(works["article"].document.url).status_code == 200
    for role in ("reviewer1", "approver"):
        client.force_login(users[role])
        assert client.get(poster.image.file.url).status_code == 404
    client.logout()
    assert_private(client, works, settings)

    # the library pages pass medical review and go live: still private while the results are not out
    with capture(execute=True):
        for resource in works.values():
            ResourcePage.objects.get(pk=resource.pk).save_revision().publish()
    assert_private(client, works, settings)

    # the results are approved in the workflow: now every file is public
    results = publish_results_through_the_workflow(client, review_contest, users, capture)
    urls = public_urls(works)
    for what in ("image", "rendition", "video", "document"):
        response = client.get(urls[what])
        assert response.status_code == 200, what
    assert urls["image"] == urls["image in media"] and urls["video"] == urls["video in media"]
    poster.image.refresh_from_db()
    assert poster.image.collection.is_root()

    # a superuser withdraws the results: the files are private again, the URLs they had answer 404
    client.force_login(users["admin"])
    with capture(execute=True):
        response = client.post(reverse("wagtailadmin_pages:unpublish", args=[results.pk]))
    assert response.status_code == 302
    client.logout()
    for what in ("image", "rendition", "video", "document"):
        assert client.get(urls[what]).status_code in (403, 404), what
    assert_private(client, works, settings)


def test_unpublishing_the_library_page_holds_its_file_again(
    client, review_contest, users, works, settings, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    with capture(execute=True):
        for resource in works.values():
            ResourcePage.objects.get(pk=resource.pk).save_revision().publish()
    publish_results_through_the_workflow(client, review_contest, users, capture)
    image_url = works["poster"].image.file.url
    assert client.get(image_url).status_code == 200
    with capture(execute=True):
        ResourcePage.objects.get(pk=works["poster"].pk).unpublish()
    assert client.get(image_url).status_code == 404
    assert not (settings.MEDIA_ROOT / works["poster"].image.file.name).exists()
    assert client.get(works["video"].video_file.url).status_code == 200  # the other works stay public
