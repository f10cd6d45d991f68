from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    """Medical review of health content, used by every content app: review dates, the 「医学审核」
    workflow, the overdue-review report and dashboard panel, and the content checks."""

    name = "content.editorial"
    label = "editorial"
    verbose_name = _("Editorial review")
