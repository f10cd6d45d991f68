"""The contest's emails, rendered from the Chinese templates in templates/contests/email/ and sent
through the task queue (tasks.deliver_email) once the transaction that caused them has committed."""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .tasks import enqueue_email

SITE_NAME = _("Birth Defect Prevention Portal")


def site_name(contest):
    """The signature: the name of the provincial site the contest belongs to."""
    from content.base.models import SiteSettings

    site = contest.get_site() if contest is not None else None
    return (SiteSettings.for_site(site).site_name if site else "") or str(SITE_NAME)


def _send(template, recipient, context):
    context = {"site_name": site_name(context.get("contest")), **context}
    subject = " ".join(render_to_string(f"contests/email/{template}_subject.txt", context).split())
    body = render_to_string(f"contests/email/{template}.txt", context)
    # Rendered now (the objects are at hand), queued after commit: a rolled-back change sends nothing,
    # and a mail server that is down never turns the request into an error.
    transaction.on_commit(lambda: enqueue_email(subject, body, [recipient]))


def admin_url(name, *args):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(name, args=args)


def send_receipt(entry, status_url):
    _send("receipt", entry.email, {"entry": entry, "contest": entry.contest, "status_url": status_url})


def _reviewer_context(reviewer, assignments):
    return {
        "reviewer_name": reviewer.get_full_name() or reviewer.get_username(),
        "assignments": assignments,
        "workspace_url": admin_url("reviews:index"),
    }


def send_assignment_notice(reviewer, contest, assignments):
    if reviewer.email and assignments:
        _send("assignment", reviewer.email, {**_reviewer_context(reviewer, assignments), "contest": contest})


def send_reminder(reviewer, assignments):
    if reviewer.email and assignments:
        _send("reminder", reviewer.email, _reviewer_context(reviewer, assignments))


def send_result(entry, award, results_url):
    if entry.email:
        _send(
            "result",
            entry.email,
            {
                "entry": entry,
                "contest": entry.contest,
                "award": award,
                "results_url": results_url,
                "retention_days": settings.CONTEST_CONTACT_RETENTION_DAYS,
            },
        )
