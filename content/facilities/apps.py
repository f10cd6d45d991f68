from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilitiesConfig(AppConfig):
    name = "content.facilities"
    label = "facilities"
    verbose_name = _("Maternal and child health facilities")

    def ready(self):
        from search.sources import register_source

        from .search import indexing  # noqa: F401  (connects reindex-on-save; a server imports it nowhere else)
        from .site_search import FacilitySource

        register_source(FacilitySource.key, FacilitySource)
