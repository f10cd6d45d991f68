"""PIPL: entrants' contact data is kept only as long as the contest needs it."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .entries import Entry
from .models import ContestPage, ContestResultsPage

PURGED = _("Contact deleted")  # what an entry's contact name reads after the purge


def results_published_at(contest):
    """When the contest's results page first went live, or None."""
    results = ContestResultsPage.objects.child_of(contest).live().first()
    if results is None:
        return None
    return results.first_published_at


def purge_contacts(days, now=None, dry_run=False) -> int:
    now = now or timezone.now()
    cutoff = now - timedelta(days=days)
    due = []
    for contest in ContestPage.objects.originals():
        published = results_published_at(contest)
        if published is not None and published <= cutoff:
            due.append(contest.pk)
    entries = Entry.objects.filter(contest_id__in=due, contact_purged_at=None)
    if dry_run:
        return entries.count()
    with transaction.atomic():
        return entries.update(contact_name=PURGED, email="", phone="", contact_purged_at=now)
