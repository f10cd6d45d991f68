"""System checks of site search."""

from django.core import checks
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from search.indexing import unanalysed_models
from search.sources import get_sources


def publicly_searched_models():
    """The project's page types and the models site search reads (core messages…)."""
    from django.apps import apps
    from wagtail.models import Page

    from content.base.discovery import is_project_app

    pages = [m for m in apps.get_models() if issubclass(m, Page) and is_project_app(m._meta.app_config)]
    sources = [getattr(source, "model", None) for source in get_sources()]
    return pages + [m for m in sources if m is not None and issubclass(m, index.Indexed)]


@checks.register(checks.Tags.models)
def check_analysed_search_fields(app_configs=None, **kwargs):
    """Every page type and indexed snippet of the project wraps its ``search_fields`` in
    ``analysed_search_fields``; otherwise its Chinese text could not be found word by word."""
    return [
        checks.Warning(
            _("%(model)s indexes its text without Chinese analysis.") % {"model": label},
            hint=_("Wrap its search_fields in search.indexing.analysed_search_fields(...)."),
            id="portal_search.W001",
        )
        for label in unanalysed_models(publicly_searched_models())
    ]
