from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BaseConfig(AppConfig):
    name = "content.base"
    label = "base"
    verbose_name = _("Site foundation")

    def ready(self):
        from wagtail.signals import page_published

        from .sharing import alias_new_child

        page_published.connect(alias_new_child, dispatch_uid="base.alias_new_child")

        from . import spreadsheets

        spreadsheets.install()

        from . import content_version

        content_version.connect_signals()
