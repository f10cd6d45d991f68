"""Public entry: the form on the ContestPage, receipt email, and everything it must refuse."""

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from content.contests.entries import Entry, EntryFile
from tests.factories.contests import pdf_upload

from .conftest import entry_post, png_bytes

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


# Issue 18: a re-displayed form keeps a valid file, states its limits and speaks precise Chinese ----


def png_upload(name="海报.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def test_a_valid_file_is_kept_when_another_field_fails_and_sent_with_the_corrected_form(
    client, open_contest, private_media
):
    token = str(uuid.uuid4())
    response = post_entry(
        client, open_contest, files=[png_upload()], category="poster", email="not-an-email",
        submission_token=token,
    )
    html = response.content.decode()
    assert response.status_code == 400 and Entry.objects.count() == 0
    assert "已上传：海报.png" in html
    assert "请输入有效的电子邮箱地址，例如 name@example.org。" in html
    assert "Email" not in html.split("<footer")[0].split("entry-form")[1]  # no English in the form
    # the corrected form is sent without choosing the file again
    response = post_entry(client, open_contest, category="poster", submission_token=token)
    assert response.status_code == 302
    stored = Entry.objects.get().files.get()
    assert stored.original_name == "海报.png" and stored.kind == "png"
    assert stored.file.read() == png_bytes()
    assert list((private_media / "contests" / "pending").iterdir()) == []  # the kept copy is gone


def test_kept_files_belong_to_the_browser_that_uploaded_them(client, open_contest):
    from django.test import Client

    token = str(uuid.uuid4())
    post_entry(
        client, open_contest, files=[png_upload()], category="poster", email="bad", submission_token=token
    )
    other = Client()
    response = post_entry(other, open_contest, category="poster", submission_token=token)
    assert response.status_code == 400 and Entry.objects.count() == 0
    assert "已上传" not in response.content.decode()


def test_a_kept_file_that_no_longer_fits_the_category_asks_for_the_file_again(client, open_contest):
    token = str(uuid.uuid4())
    post_entry(
        client, open_contest, files=[png_upload()], category="poster", email="bad", submission_token=token
    )
    response = post_entry(client, open_contest, category="article", submission_token=token)
    assert response.status_code == 400
    assert "「海报.png」不是本类别接受的文件类型，请重新选择文件。" in response.content.decode()


def test_the_form_states_its_limits_and_names_each_missing_field(client, open_contest):
    html = client.get(open_contest.url).content.decode()
    assert "单个文件大小上限" in html and "PDF、Word (docx) 20.0\xa0MB" in html
    assert "每件作品最多 5 个文件" in html
    response = post_entry(
        client, open_contest, files=None, title="", consent_rules=None, consent_licence=None, email=""
    )
    html = response.content.decode()
    assert "请填写作品名称。" in html
    assert "请勾选同意本次征集的规则。" in html and "请填写电子邮箱。" in html
    assert "。：" not in html and "必填项" not in html and "必需字段" not in html
