from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from content.base.discovery import project_app_modules


class Command(BaseCommand):
    help = "Load the demo sites, content, facilities, contest and accounts (all marked 示例数据). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG=False.")

    def handle(self, *args, force=False, **options):
        # The development profile allows it with DEBUG off too (make run serves the public error pages).
        if not settings.DEBUG and not getattr(settings, "DEMO_CONTENT_ALLOWED", False) and not force:
            raise CommandError("load_demo refuses to run with DEBUG=False (a production database?). "
                               "Pass --force if you really mean it.")
        # INSTALLED_APPS order: sites and roles first, then facilities (the finder blocks of later
        # content refer to services), then content that links to facilities, then contests that
        # publish to the library.
        for module in project_app_modules("demo"):
            with transaction.atomic():
                module.load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo loaded."))
