from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreMessagesConfig(AppConfig):
    name = "content.core_messages"
    label = "core_messages"
    verbose_name = _("Core health messages")
