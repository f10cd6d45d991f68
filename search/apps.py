from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    label = "portal_search"
    verbose_name = _("Site search")

    def ready(self):
        from django.apps import apps

        from search import checks, synonyms  # noqa: F401 (importing checks registers them)

        senders = [self.get_model("SynonymGroup")]
        try:
            senders.append(apps.get_model("facilities", "Service"))
        except LookupError:
            pass
        for sender in senders:
            post_save.connect(synonyms.invalidate, sender=sender, dispatch_uid=f"thesaurus-save-{sender.__name__}")
            post_delete.connect(synonyms.invalidate, sender=sender, dispatch_uid=f"thesaurus-delete-{sender.__name__}")

        # Titles and names feed the suggestions: a publish or an edit refreshes them.
        from wagtail.models import Page
        from wagtail.signals import page_published, page_unpublished

        from search import lexicon

        page_published.connect(lexicon.invalidate, dispatch_uid="lexicon-page-published")
        page_unpublished.connect(lexicon.invalidate, dispatch_uid="lexicon-page-unpublished")
        post_delete.connect(lexicon.invalidate, sender=Page, dispatch_uid="lexicon-page-deleted")
        for label in ("core_messages.CoreMessage", "facilities.Facility", "facilities.Service"):
            try:
                model = apps.get_model(label)
            except LookupError:
                continue
            post_save.connect(lexicon.invalidate, sender=model, dispatch_uid=f"lexicon-save-{label}")
            post_delete.connect(lexicon.invalidate, sender=model, dispatch_uid=f"lexicon-delete-{label}")
