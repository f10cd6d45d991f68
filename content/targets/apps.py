from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def require_review_of_indicators(sender, using="default", **kwargs):
    """Indicators and their reported values go live only through the 「医学审核」 workflow."""
    from content.editorial.review import require_medical_review

    from .models import Indicator

    require_medical_review(models=[Indicator])


class TargetsConfig(AppConfig):
    name = "content.targets"
    label = "targets"
    verbose_name = _("2027 targets")

    def ready(self):
        post_migrate.connect(require_review_of_indicators, sender=self)
