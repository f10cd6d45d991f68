from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from content.library.importer import ImportFailed, import_resources


class Command(BaseCommand):
    help = ("Import resources from a JSON Lines file (one object per line: title, summary, body_markdown, format, "
            "life_stages, topics, tags, published_at, source, reviewed_at) into the library. Idempotent by title; "
            "any bad line → a report and nothing written.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--parent", default="library",
                            help="Slug of the library index page (created under the home page if missing).")
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; write nothing.")

    def handle(self, *args, file, parent, dry_run, **options):
        if not file.exists():
            raise CommandError(f"{file}: no such file")
        with file.open(encoding="utf-8-sig") as lines:
            try:
                outcome = import_resources(lines, parent_slug=parent, dry_run=dry_run)
            except ImportFailed as failure:
                for problem in failure.problems:
                    self.stderr.write(str(problem))
                raise CommandError(f"{len(failure.problems)} problem(s) in {file}; nothing was imported.") from None
        prefix = "(dry run) " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(
            f"{prefix}{outcome.index.url_path}: {len(outcome.created)} created, {len(outcome.updated)} updated, "
            f"{len(outcome.unchanged)} unchanged."))
