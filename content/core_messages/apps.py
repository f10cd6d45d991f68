from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def require_review_of_core_messages(sender, using="default", **kwargs):
    """Core messages go live only through the 「医学审核」 workflow, on any database."""
    from content.editorial.review import require_medical_review

    from .models import CoreMessage

    require_medical_review(models=[CoreMessage])


class CoreMessagesConfig(AppConfig):
    name = "content.core_messages"
    label = "core_messages"
    verbose_name = _("Core health messages")

    def ready(self):
        from search.sources import ModelSource, register_source

        post_migrate.connect(require_review_of_core_messages, sender=self)
        register_source("core_messages", lambda: ModelSource(
            "core_messages", "core_messages.CoreMessage", "core_message", "statement", {"live": True}))
