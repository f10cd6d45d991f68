from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "content.contests"
    label = "contests"
    verbose_name = _("Science communication contests")
