"""E-mails go through the task queue: a mail server that is down never breaks the entrant's request."""

import logging
import socket

import pytest
from django.core import mail

from content.contests import tasks
from content.contests.entries import Entry
from tests.factories.contests import pdf_upload

from .conftest import entry_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_port():
    """A local TCP port with nothing listening on it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_mail_server_down_the_entrant_still_gets_the_receipt_and_code(
    client, open_contest, settings, closed_port, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port, 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    with caplog.at_level(logging.ERROR, logger="content.contests.tasks"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                open_contest.url, {**entry_post(), "files": [pdf_upload()]}, REMOTE_ADDR="10.0.0.9"
            )
    assert response.status_code == 302
    entry = Entry.objects.get()
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    assert entry.tracking_code in receipt.content.decode()
    assert "contest e-mail" in caplog.text  # the failure is logged, not shown


def test_a_failed_send_is_retried_later_on_a_backend_that_can_defer(settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import task_backends

    backend = task_backends["default"]
    backend.clear()

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(tasks, "send_mail", refuse)
    assert tasks.deliver_email.call("主题", "正文", ["a@example.org"]) is False
    [retry] = backend.results
    assert retry.args == ["主题", "正文", ["a@example.org"], 2]
    assert retry.task.run_after is not None
    # after the last attempt it stops
    assert tasks.deliver_email.call("主题", "正文", ["a@example.org"], tasks.MAX_ATTEMPTS) is False
    assert len(backend.results) == 1


def test_a_sent_mail_arrives_through_the_queue(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tasks.enqueue_email("主题", "正文", ["a@example.org"])
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
