"""Wagtail's `update_index`, followed by the facility index (which Wagtail does not know about).

This app comes before wagtail.search in INSTALLED_APPS, so `manage.py update_index` runs this command."""

from django.core.management import call_command
from wagtail.search.management.commands.update_index import Command as WagtailUpdateIndex


class Command(WagtailUpdateIndex):
    help = WagtailUpdateIndex.help + " Then rebuilds the facility search index (index_facilities)."

    def handle(self, **options):
        super().handle(**options)
        call_command("index_facilities", stdout=self.stdout, stderr=self.stderr)
