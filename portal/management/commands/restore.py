from django.core.management.base import BaseCommand, CommandError

from portal.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into this site's database (or --database-url), "
        "with its media and private files; checks the row counts against the backup's manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--database-url", help="restore into this database instead (e.g. a fresh one)")
        parser.add_argument("--yes", action="store_true", help="do not ask before overwriting")

    def handle(self, *args, directory, database_url=None, yes=False, **options):
        if not yes and not database_url:
            answer = input("This replaces the site's database, media and private files. Type 'yes': ")
            if answer.strip() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            counts = restore(directory, database_url=database_url)
        except (BackupError, FileNotFoundError) as exc:
            raise CommandError(str(exc)) from exc
        summary = ", ".join(f"{label} {n}" for label, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Restored: {summary}"))
