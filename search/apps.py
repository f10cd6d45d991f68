from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    label = "portal_search"
    verbose_name = _("Site search")

    def ready(self):
        import logging

        from django.apps import apps

        from search import synonyms
        from search.indexing import analyse_unwrapped_models

        wrapped = analyse_unwrapped_models()
        if wrapped:
            logging.getLogger(__name__).debug("search fields analysed for Chinese: %s", ", ".join(wrapped))

        senders = [self.get_model("SynonymGroup")]
        try:
            senders.append(apps.get_model("facilities", "Service"))
        except LookupError:
            pass
        for sender in senders:
            post_save.connect(synonyms.invalidate, sender=sender, dispatch_uid=f"thesaurus-save-{sender.__name__}")
            post_delete.connect(synonyms.invalidate, sender=sender, dispatch_uid=f"thesaurus-delete-{sender.__name__}")
