from django.core.management.base import BaseCommand, CommandError

from content.facilities.importer import import_file


class Command(BaseCommand):
    help = "Import a licensed facility list (CSV in UTF-8/GB18030, or XLSX; see docs/facilities.md). All-or-nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help="Validate and report what would change; write nothing."
        )
        parser.add_argument(
            "--source", help="The notice the list comes from, e.g. 「北京市卫生健康委员会 2026 年第 3 号公告」."
        )
        parser.add_argument(
            "--analysis-workers", type=int, choices=[0, 1], default=None,
            help="Processes analysing the search terms while this one writes: 1 or 0 (all in this "
                 "process). Default: 1 when a second CPU is free (load average), else 0.",
        )

    def handle(self, file, dry_run=False, source=None, **options):
        try:
            plan = import_file(file, dry_run=dry_run, source=source, workers=options["analysis_workers"])
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        if not plan.ok:
            for line in plan.report_lines():
                self.stderr.write(line)
            raise CommandError(f"{plan.filename}: {len(plan.errors)} error(s); nothing was imported.")
        if dry_run or options["verbosity"] > 1:
            for line in plan.report_lines():
                self.stdout.write(line)
        prefix = "Dry run (nothing written): would create" if dry_run else "Imported: created"
        self.stdout.write(self.style.SUCCESS(
            f"{prefix} {len(plan.created)}, {'would change' if dry_run else 'changed'} {len(plan.changed)}, "
            f"unchanged {len(plan.unchanged)}."
        ))
