from django.conf import settings
from django.core.management.base import BaseCommand

from content.contests.privacy import purge_contacts


class Command(BaseCommand):
    help = (
        "Delete entrants' contact data (contact person, email, phone) of contests whose results were "
        "published more than N days ago. Titles, authors as credited, scores and awards stay."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.CONTEST_CONTACT_RETENTION_DAYS,
            help="Days after the results are published (default: CONTEST_CONTACT_RETENTION_DAYS).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only say how many entries would be purged."
        )

    def handle(self, *args, days, dry_run, **options):
        count = purge_contacts(days=days, dry_run=dry_run)
        verb = "would be purged" if dry_run else "purged"
        self.stdout.write(
            f"{count} entries' contact data {verb} (results published more than {days} days ago)."
        )
