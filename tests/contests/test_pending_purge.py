"""`manage.py purge_pending_uploads`: kept files of refused entry forms are deleted once abandoned."""

import io
import os
import time
import uuid

import pytest
from django.core.management import CommandError, call_command

from .test_entry_form import png_upload, post_entry


def kept_files(private_media):
    folder = private_media / "contests" / "pending"
    return sorted(folder.iterdir()) if folder.exists() else []


def age(path, hours):
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_an_abandoned_kept_file_is_deleted_and_a_fresh_one_stays(client, open_contest, private_media):
    from django.test import Client

    post_entry(client, open_contest, files=[png_upload()], category="poster", email="bad",
               submission_token=str(uuid.uuid4()))
    [old] = kept_files(private_media)
    fresh_token = str(uuid.uuid4())
    fresh_browser = Client()
    post_entry(fresh_browser, open_contest, files=[png_upload("新海报.png")], category="poster", email="bad",
               submission_token=fresh_token)
    assert len(kept_files(private_media)) == 2
    age(old, 7)  # nobody posts a form for seven hours: only the cron job can clean up

    out = io.StringIO()
    call_command("purge_pending_uploads", dry_run=True, stdout=out)
    assert "1 pending upload(s) would be deleted" in out.getvalue() and len(kept_files(private_media)) == 2
    call_command("purge_pending_uploads", stdout=out)
    [left] = kept_files(private_media)
    assert left != old and not old.exists()

    # the fresh form still carries its file: the corrected post stores the entry with it
    response = post_entry(fresh_browser, open_contest, category="poster", submission_token=fresh_token)
    assert response.status_code == 302
    assert open_contest.entries.get().files.get().original_name == "新海报.png"
    assert kept_files(private_media) == []


def test_a_purged_file_is_no_longer_offered_and_the_form_asks_for_it_again(client, open_contest, private_media):
    token = str(uuid.uuid4())
    post_entry(client, open_contest, files=[png_upload()], category="poster", email="bad", submission_token=token)
    [kept] = kept_files(private_media)
    age(kept, 2)
    call_command("purge_pending_uploads", older_than=1, stdout=io.StringIO())
    assert kept_files(private_media) == []
    response = post_entry(client, open_contest, category="poster", submission_token=token)
    assert response.status_code == 400 and open_contest.entries.count() == 0
    assert "已上传" not in response.content.decode()


def test_a_negative_age_is_refused(db):
    with pytest.raises(CommandError, match="--older-than"):
        call_command("purge_pending_uploads", older_than=-1, stdout=io.StringIO())
