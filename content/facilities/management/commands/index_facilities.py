from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from content.facilities.search import indexing


class Command(BaseCommand):
    help = ("Rebuild the facility search index: the database term table always, and the Elasticsearch "
            "index when ELASTICSEARCH_URL is set. `update_index` runs this too.")

    def handle(self, *args, **options):
        count = indexing.rebuild_index()
        self.stdout.write(f"Facility terms rebuilt for {count} facilities (database backend).")
        if settings.ELASTICSEARCH_URL:
            from search.elastic import cluster_reachable

            if not cluster_reachable():
                raise CommandError(f"Elasticsearch at {settings.ELASTICSEARCH_URL} is unreachable; "
                                   "the database backend stays in use.")
            from content.facilities.search.elastic import rebuild_index

            self.stdout.write(f"Elasticsearch facility index rebuilt with {rebuild_index()} facilities.")
