from django.core.management.base import BaseCommand, CommandError

from content.contests import pending


class Command(BaseCommand):
    help = (
        "Delete the files kept for entry forms that were refused and never sent again "
        "(private storage, contests/pending/), once they are older than --older-than hours."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=float,
            default=pending.MAX_AGE / 3600,
            metavar="HOURS",
            help=f"Age in hours (default {pending.MAX_AGE // 3600}, the time a form keeps its files).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Only say how many files would be deleted.")

    def handle(self, *args, older_than, dry_run, **options):
        if older_than < 0:
            raise CommandError("--older-than must be zero or more hours.")
        count = pending.clean_up_abandoned(max_age=older_than * 3600, dry_run=dry_run)
        verb = "would be deleted" if dry_run else "deleted"
        self.stdout.write(f"{count} pending upload(s) {verb} (older than {older_than:g} hours).")
