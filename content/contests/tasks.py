"""Background work of the contests: every e-mail is sent here, from the task queue, never in a request.

A mail server that is down or refuses a message must not break the page that caused the e-mail: the
task logs the failure and, on a backend that can defer work (the database worker in production),
tries again later; after the last attempt it gives up, logged."""

import logging
from datetime import timedelta

from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 4
RETRY_DELAYS = (60, 600, 3600)  # seconds before attempts 2, 3 and 4


@task()
def deliver_email(subject: str, body: str, recipients: list[str], attempt: int = 1) -> bool:
    """Send one rendered e-mail; True when the mail server accepted it."""
    try:
        send_mail(subject, body, None, recipients, fail_silently=False)
    except Exception:  # SMTP, DNS, refused connection, bad address: all are "not sent this time"
        logger.exception("contest e-mail to %d recipient(s) failed (attempt %d of %d)", len(recipients), attempt,
                         MAX_ATTEMPTS)
        schedule_retry(subject, body, recipients, attempt)
        return False
    logger.info("contest e-mail sent to %d recipient(s): %s", len(recipients), subject)
    return True


def schedule_retry(subject, body, recipients, attempt):
    if attempt >= MAX_ATTEMPTS or not deliver_email.get_backend().supports_defer:
        logger.error("contest e-mail given up after %d attempt(s): %s", attempt, subject)
        return
    delay = timedelta(seconds=RETRY_DELAYS[attempt - 1])
    deliver_email.using(run_after=timezone.now() + delay).enqueue(subject, body, recipients, attempt + 1)


def enqueue_email(subject, body, recipients):
    """Queue an e-mail; a queue that refuses it is logged and never raised into the request."""
    try:
        deliver_email.enqueue(subject, body, list(recipients))
    except Exception:
        logger.exception("contest e-mail could not be queued: %s", subject)
