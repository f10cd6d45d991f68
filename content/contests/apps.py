from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "content.contests"
    label = "contests"
    verbose_name = _("Science communication contests")

    def ready(self):
        from wagtail.signals import page_published

        from .models import ContestResultsPage

        page_published.connect(
            results_published, sender=ContestResultsPage, dispatch_uid="contests_results_published"
        )
        page_published.connect(award_page_published, dispatch_uid="contests_award_page_published")


def results_published(sender, instance, revision=None, **kwargs):
    from .publication import on_results_published

    on_results_published(instance)


def award_page_published(sender, instance, revision=None, **kwargs):
    from .awarded_resources import release_award_files

    release_award_files(instance)
