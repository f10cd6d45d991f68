"""Public entry: the form on the ContestPage, receipt email, and everything it must refuse."""

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from content.contests.models import Entry, EntryFile

from .conftest import entry_post, pdf_upload, png_bytes

pytestmark = pytest.mark.django_db


def post_entry(client, contest, files=None, **overrides):
    data = entry_post(**overrides)
    if files is not None:
        data["files"] = files
    return client.post(contest.url, data, REMOTE_ADDR=overrides.pop("addr", "10.0.0.1"))


def test_the_form_is_on_the_contest_page(client, open_contest):
    response = client.get(open_contest.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in html
    assert 'name="submission_token"' in html
    assert "科学性" in html  # the rubric is shown to entrants


def test_a_valid_entry_is_stored_privately_and_receipted(
    client, open_contest, private_media, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_entry(client, open_contest, files=[pdf_upload()])
    assert response.status_code == 302
    assert response["Location"].endswith("/received/")
    entry = Entry.objects.get()
    assert entry.contest_id == open_contest.pk and entry.status == "submitted"
    stored = entry.files.get()
    path = Path(stored.file.path)
    assert path.is_file()
    assert private_media in path.parents
    assert Path(settings.MEDIA_ROOT) not in path.parents
    assert "张三" not in path.name  # the stored name does not carry the original
    # receipt email with the tracking code, in Chinese
    assert len(mail.outbox) == 1
    assert entry.tracking_code in mail.outbox[0].body
    assert "查询码" in mail.outbox[0].body
    assert mail.outbox[0].to == ["zhangsan@example.org"]
    receipt = client.get(response["Location"])
    assert entry.tracking_code in receipt.content.decode()


def test_video_entries_may_give_a_link_instead_of_a_file(client, open_contest):
    response = post_entry(client, open_contest, category="video", video_url="https://v.example.org/1")
    assert response.status_code == 302
    assert Entry.objects.get().files.count() == 0


def test_an_article_cannot_be_just_a_link(client, open_contest):
    response = post_entry(client, open_contest, video_url="https://v.example.org/1")
    assert response.status_code == 400
    assert Entry.objects.count() == 0


def test_the_same_form_posted_twice_is_one_entry(client, open_contest, django_capture_on_commit_callbacks):
    token = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        first = post_entry(client, open_contest, files=[pdf_upload()], contest_token=token)
        second = post_entry(client, open_contest, files=[pdf_upload()], contest_token=token)
    assert first.status_code == second.status_code == 302
    assert Entry.objects.count() == 1
    assert EntryFile.objects.count() == 1
    assert len(mail.outbox) == 1


def test_entries_after_the_deadline_are_refused(client, open_contest):
    open_contest.closes_at = timezone.now() - timedelta(seconds=1)
    open_contest.save()
    response = post_entry(client, open_contest, files=[pdf_upload()])
    assert response.status_code == 403
    assert Entry.objects.count() == 0
    assert "本次征集已截止" in response.content.decode()
    assert 'name="submission_token"' not in client.get(open_contest.url).content.decode()


def test_entries_before_opening_are_refused(client, open_contest):
    open_contest.opens_at = timezone.now() + timedelta(days=1)
    open_contest.save()
    assert post_entry(client, open_contest, files=[pdf_upload()]).status_code == 403
    assert Entry.objects.count() == 0


def test_honeypot_stores_nothing(client, open_contest):
    response = post_entry(client, open_contest, files=[pdf_upload()], website="http://spam.example")
    assert response.status_code == 400
    assert Entry.objects.count() == 0 and EntryFile.objects.count() == 0


def test_rate_limit_per_address(client, open_contest, settings):
    settings.CONTEST_ENTRY_RATE_LIMIT = (2, 3600)
    for _ in range(2):
        assert post_entry(client, open_contest, files=[pdf_upload()]).status_code == 302
    blocked = post_entry(client, open_contest, files=[pdf_upload()])
    assert blocked.status_code == 429
    assert Entry.objects.count() == 2
    # another address is not affected
    other = client.post(open_contest.url, {**entry_post(), "files": [pdf_upload()]}, REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 302


@pytest.mark.parametrize(
    "files, fragment",
    [
        ([SimpleUploadedFile("virus.pdf", b"MZ\x90\x00" + b"\x00" * 200)], "virus.pdf"),
        ([SimpleUploadedFile("poster.png", png_bytes())], "poster.png"),  # an image is not an article
        ([pdf_upload(f"{i}.pdf") for i in range(6)], "5"),
    ],
)
def test_bad_files_are_refused_with_a_message_and_nothing_stored(
    client, open_contest, files, fragment, private_media
):
    response = post_entry(client, open_contest, files=files)
    assert response.status_code == 400
    assert fragment in response.content.decode()
    assert Entry.objects.count() == 0
    assert not any(private_media.rglob("*.*")) if private_media.exists() else True


def test_missing_consent_is_refused(client, open_contest):
    response = post_entry(client, open_contest, files=[pdf_upload()], consent_privacy=None)
    assert response.status_code == 400
    assert Entry.objects.count() == 0


def test_a_category_the_contest_does_not_offer_is_refused(client, open_contest):
    open_contest.categories = ["article"]
    open_contest.save()
    response = post_entry(
        client, open_contest, category="poster", files=[SimpleUploadedFile("p.png", png_bytes())]
    )
    assert response.status_code == 400
    assert Entry.objects.count() == 0


def test_errors_are_listed_with_links_to_the_fields(client, open_contest):
    html = post_entry(client, open_contest, title="", files=[pdf_upload()]).content.decode()
    assert 'href="#id_title"' in html
    assert 'role="alert"' in html
