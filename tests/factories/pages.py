import wagtail_factories
from wagtail.models import Site


def home_page():
    return Site.objects.get(is_default_site=True).root_page.specific


class PublishedPageFactory(wagtail_factories.PageFactory):
    """A page under `parent`, published through a revision as an editor would (so it has a live
    revision, its aliases on the other sites follow, and the publish signals run)."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True  # _create has saved (and published) the page

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        page = super()._create(model_class, *args, **kwargs)
        if page.live_revision_id is None:  # not one found again through django_get_or_create
            page.save_revision().publish()
        return model_class.objects.get(pk=page.pk)
