from django.core.management.base import BaseCommand, CommandError

from portal.backups import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database, public media and private contest files into DIR (default var/backups/<time>/)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", help="a new directory for this backup")

    def handle(self, *args, directory=None, **options):
        try:
            path = backup(directory)
        except (BackupError, FileExistsError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path}"))
