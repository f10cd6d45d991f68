"""The public contest forms refuse a cross-site post (CSRF), and an uploaded name cannot choose where
the file is stored."""

from pathlib import Path

import pytest
from django.test import Client

from content.contests.entries import Entry
from tests.factories.contests import pdf_upload

from .conftest import entry_post

pytestmark = pytest.mark.django_db


def test_an_entry_posted_without_the_csrf_token_is_refused_and_nothing_stored(open_contest, private_media):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(open_contest.url, {**entry_post(), "files": [pdf_upload()]}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 403
    assert Entry.objects.count() == 0


def test_an_entry_posted_with_the_token_from_the_form_is_received(open_contest, private_media):
    browser = Client(enforce_csrf_checks=True)
    assert browser.get(open_contest.url).status_code == 200
    token = browser.cookies["csrftoken"].value
    response = browser.post(open_contest.url, {**entry_post(), "files": [pdf_upload()],
                                               "csrfmiddlewaretoken": token}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 302 and Entry.objects.count() == 1


def test_the_status_look_up_refuses_a_post_without_the_token(open_contest):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(open_contest.status_url, {"tracking_code": "ABCD-1234", "email": "a@example.org"})
    assert response.status_code == 403


@pytest.mark.parametrize("name", ["../../../../portal/settings/evil.pdf", "..\\..\\evil.pdf", "/etc/passwd.pdf",
                                  "作品\x00.pdf"])
def test_a_hostile_file_name_is_stored_inside_the_private_folder_under_a_name_of_its_own(
    client, open_contest, private_media, name
):
    response = client.post(open_contest.url, {**entry_post(), "files": [pdf_upload(name)]}, REMOTE_ADDR="10.0.0.3")
    assert response.status_code in (302, 400)  # received, or refused with the form: never a 500
    for stored in (f.file for e in Entry.objects.all() for f in e.files.all()):
        path = Path(stored.path).resolve()
        assert Path(private_media).resolve() in path.parents
        assert ".." not in stored.name and "passwd" not in path.name and "evil" not in path.name
