from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BaseConfig(AppConfig):
    name = "content.base"
    label = "base"
    verbose_name = _("Site foundation")

    def ready(self):
        from . import spreadsheets

        spreadsheets.install()
