from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RowIdConverter:
    """A database id in an admin URL: at most 18 digits, so an id past the 64-bit range is a 404
    from the resolver, never an overflow in the database (a 500)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


class ContestsConfig(AppConfig):
    name = "content.contests"
    label = "contests"
    verbose_name = _("Science communication contests")

    def ready(self):
        from django.urls import register_converter

        register_converter(RowIdConverter, "rowid")
        from wagtail.signals import page_published, page_unpublished

        from .models import ContestResultsPage

        page_published.connect(
            results_published, sender=ContestResultsPage, dispatch_uid="contests_results_published"
        )
        page_published.connect(award_pages_changed, dispatch_uid="contests_award_page_published")
        page_unpublished.connect(award_pages_changed, dispatch_uid="contests_award_page_unpublished")


def results_published(sender, instance, revision=None, **kwargs):
    from .publication import on_results_published

    on_results_published(instance)


def award_pages_changed(sender, instance, **kwargs):
    """A results or library page went live or was withdrawn: awarded works' files follow, once the
    change is committed (a refused publication must not move a file)."""
    from django.db import transaction

    from content.library.models import ResourcePage

    from .awarded_resources import sync_files_for_page
    from .models import ContestResultsPage

    if isinstance(instance, (ResourcePage, ContestResultsPage)):
        transaction.on_commit(lambda: sync_files_for_page(instance))
