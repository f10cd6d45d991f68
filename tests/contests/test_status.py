"""The entrant's status page: tracking code + email, withdraw and replace files before the deadline."""

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from content.contests.entries import Entry
from tests.factories.contests import EntryFactory, pdf_upload

pytestmark = pytest.mark.django_db


def look_up(client, contest, entry, email=None):
    return client.post(
        contest.status_url,
        {"tracking_code": entry.tracking_code.lower(), "email": email or entry.email.upper()},
    )


def test_tracking_code_and_email_open_the_status_page(client, open_contest):
    entry = EntryFactory(contest=open_contest)
    response = look_up(client, open_contest, entry)
    assert response.status_code == 302
    page = client.get(open_contest.status_entry_url).content.decode()
    assert entry.title in page and entry.tracking_code in page


def test_a_wrong_email_reveals_nothing(client, open_contest):
    entry = EntryFactory(contest=open_contest)
    response = look_up(client, open_contest, entry, email="someone@example.org")
    assert response.status_code == 404
    assert entry.title not in response.content.decode()
    assert client.get(open_contest.status_entry_url).status_code == 302  # back to the look-up


def test_look_ups_are_rate_limited(client, open_contest, settings):
    settings.CONTEST_STATUS_RATE_LIMIT = (3, 3600)
    entry = EntryFactory(contest=open_contest)
    for _ in range(3):
        look_up(client, open_contest, entry, email="guess@example.org")
    assert look_up(client, open_contest, entry).status_code == 429


def test_withdraw_before_the_deadline_deletes_the_files(
    client, open_contest, django_capture_on_commit_callbacks
):
    entry = EntryFactory(contest=open_contest)
    path = Path(entry.files.get().file.path)
    look_up(client, open_contest, entry)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(open_contest.status_entry_url, {"action": "withdraw"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == Entry.Status.WITHDRAWN
    assert entry.files.count() == 0 and not path.exists()


def test_replace_files_before_the_deadline(client, open_contest, django_capture_on_commit_callbacks):
    entry = EntryFactory(contest=open_contest)
    old = Path(entry.files.get().file.path)
    look_up(client, open_contest, entry)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            open_contest.status_entry_url, {"action": "replace", "files": [pdf_upload("v2.pdf")]}
        )
    assert response.status_code == 302
    assert list(entry.files.values_list("original_name", flat=True)) == ["v2.pdf"]
    assert not old.exists()


def test_replacement_files_are_checked_too(client, open_contest):
    entry = EntryFactory(contest=open_contest)
    look_up(client, open_contest, entry)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        open_contest.status_entry_url,
        {"action": "replace", "files": [SimpleUploadedFile("x.pdf", b"not a pdf")]},
    )
    assert response.status_code == 400
    assert entry.files.get().original_name == "作品-张三.pdf"


def test_nothing_changes_after_the_deadline(client, review_contest):
    entry = EntryFactory(contest=review_contest)
    look_up(client, review_contest, entry)
    page = client.get(review_contest.status_entry_url).content.decode()
    assert 'value="withdraw"' not in page
    assert client.post(review_contest.status_entry_url, {"action": "withdraw"}).status_code == 403
    assert (
        client.post(
            review_contest.status_entry_url, {"action": "replace", "files": [pdf_upload("late.pdf")]}
        ).status_code
        == 403
    )
    entry.refresh_from_db()
    assert entry.status == Entry.Status.SUBMITTED
    assert entry.files.get().original_name == "作品-张三.pdf"


def test_purged_contacts_cannot_be_looked_up(client, open_contest):
    entry = EntryFactory(contest=open_contest)
    Entry.objects.filter(pk=entry.pk).update(contact_purged_at=timezone.now() - timedelta(days=1))
    assert look_up(client, open_contest, entry).status_code == 404


@pytest.mark.parametrize("typed", ["{plain}", "{spaced}", "{lower}"])
def test_tracking_code_without_hyphens_spaces_or_lower_case_finds_the_entry(client, open_contest, typed):
    from tests.factories.contests import EntryFactory

    entry = EntryFactory(contest=open_contest)
    plain = entry.tracking_code.replace("-", "")
    code = typed.format(plain=plain, spaced=entry.tracking_code.replace("-", " "), lower=plain.lower())
    response = client.post(open_contest.status_url, {"tracking_code": code, "email": entry.email})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_a_replayed_submission_token_from_another_browser_only_says_received(client, open_contest):
    """Issue 14: the token is not a password. Only the browser that made the entry gets its receipt,
    files and withdraw/replace; another browser posting the same token learns only 「已收到」."""
    from django.test import Client

    from .conftest import entry_post

    token = str(uuid.uuid4())
    data = entry_post(contest_token=token)
    assert client.post(open_contest.url, {**data, "files": [pdf_upload()]}).status_code == 302
    entry = Entry.objects.get()
    # the same browser posting again (double click, reload) sees its receipt
    again = client.post(open_contest.url, {**data, "files": [pdf_upload()]})
    assert again.status_code == 302 and again["Location"].endswith("/received/")
    attacker = Client()
    response = attacker.post(open_contest.url, {**data, "files": [pdf_upload()]}, REMOTE_ADDR="10.9.9.9")
    html = response.content.decode()
    assert response.status_code == 200 and "此表单已经提交，作品已收到。" in html
    assert entry.tracking_code not in html
    assert attacker.get(open_contest.status_entry_url)["Location"].endswith("/status/")
    assert attacker.get(f"/contest-files/{entry.files.get().key}/").status_code == 404
    attacker.post(open_contest.status_entry_url, {"action": "withdraw"})
    entry.refresh_from_db()
    assert entry.status == "submitted" and Entry.objects.count() == 1
