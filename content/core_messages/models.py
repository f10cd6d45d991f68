from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Page,
    PreviewableMixin,
    RevisionMixin,
    Site,
    WorkflowMixin,
)
from wagtail.search import index

from content.base.models import LifeStage, ShareableSlugMixin
from content.base.provinces import ProvincesField, applies_q, site_province
from content.base.request_memo import default_site, page_site, public
from content.editorial.checks import CoreMessageForm
from content.editorial.review import ReviewDatesMixin
from search.indexing import analysed_search_fields


class CoreMessageQuerySet(models.QuerySet):
    def live(self):
        return self.filter(live=True)

    def for_stage(self, stage):
        return self.filter(life_stage=stage)

    def for_province(self, province_code):
        """National messages and the province's own (a site never shows another province's claims)."""
        return self.filter(applies_q(province_code))

    def for_site(self, site):
        return self.for_province(site_province(site))


class CoreMessage(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, PreviewableMixin,
                  ReviewDatesMixin, index.Indexed, ClusterableModel):
    """A core health message (健康教育核心信息): one numbered statement for one life stage, its
    explanation and its source. Goes live only through the 「医学审核」 workflow."""

    life_stage = models.ForeignKey(LifeStage, verbose_name=_("Life stage"), on_delete=models.PROTECT,
                                   related_name="core_messages")
    number = models.PositiveSmallIntegerField(_("Number"), help_text=_("Its number within the life stage."))
    statement = models.CharField(_("Statement"), max_length=200, help_text=_("One sentence a reader remembers."))
    explanation = RichTextField(_("Explanation"), features=["bold", "italic", "ul", "ol", "link"])
    source = models.CharField(_("Source"), max_length=255, blank=True,
                              help_text=_("The document or guideline the message comes from."))
    source_url = models.URLField(_("Source link"), blank=True)
    topics = ParentalManyToManyField("base.Topic", verbose_name=_("Topics"), blank=True,
                                     related_name="core_messages")
    provinces = ProvincesField()

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="core_message")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState", content_type_field="base_content_type", object_id_field="object_id",
        related_query_name="core_message", for_concrete_model=False,
    )

    objects = CoreMessageQuerySet.as_manager()

    base_form_class = CoreMessageForm  # checks before medical review (content/editorial/checks.py)
    panels = [
        FieldRowPanel([FieldPanel("life_stage"), FieldPanel("number")]),
        FieldPanel("statement"),
        FieldPanel("explanation"),
        MultiFieldPanel([FieldPanel("source"), FieldPanel("source_url")], heading=_("Source")),
        FieldPanel("topics"),
        FieldPanel("provinces"),
        MultiFieldPanel(
            [FieldPanel("reviewer"), FieldRowPanel([FieldPanel("last_reviewed"), FieldPanel("next_review")])],
            heading=_("Medical review"),
        ),
    ]
    search_fields = analysed_search_fields([
        index.SearchField("statement", boost=3),
        index.SearchField("explanation"),
        index.SearchField("source"),
        index.AutocompleteField("statement"),
        index.FilterField("id"),
        index.FilterField("live"),
        index.FilterField("life_stage_id"),
    ])

    class Meta:
        ordering = ["life_stage__sort_order", "number"]
        verbose_name = _("Core health message")
        verbose_name_plural = _("Core health messages")
        constraints = [models.UniqueConstraint(fields=["life_stage", "number"], name="unique_message_number_per_stage")]

    def __str__(self):
        return f"{self.life_stage.name} {self.number}. {self.statement}"

    @property
    def revisions(self):
        return self._revisions

    @property
    def label(self):
        """How a reader cites the message: 「孕期 第3条」."""
        return _("%(stage)s no. %(number)s") % {"stage": self.life_stage.name, "number": self.number}

    def get_preview_template(self, request, mode_name):
        return "core_messages/core_message_card.html"

    def get_preview_context(self, request, mode_name):
        return {"message": self, "messages_page": CoreMessagesPage.for_request(request)}

    def get_url(self, request=None):
        """The shareable card, under the site's core messages page; None if there is no such page."""
        page = CoreMessagesPage.for_request(request)
        if page is None:
            return None
        return page.url + page.reverse_subpage("message_card", args=[self.pk])


class CoreMessagesPage(ShareableSlugMixin, RoutablePageMixin, Page):
    """健康教育核心信息: every live message, grouped by life stage; each has a printable card."""

    introduction = models.TextField(_("Introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = analysed_search_fields(Page.search_fields + [index.SearchField("introduction")])
    parent_page_types = ["base.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Core health messages page")

    @classmethod
    def for_request(cls, request=None):
        """The site's core messages page, looked up once per request (every message card on a page
        links to it: a query per card was an N+1)."""
        if request is not None and hasattr(request, "_core_messages_page"):
            return request._core_messages_page
        page = cls._for_site(request)
        if request is not None:
            request._core_messages_page = page
        return page

    @classmethod
    def _for_site(cls, request=None):
        pages = public(cls.objects.live())
        site = Site.find_for_request(request) if request is not None else None
        if site is None:
            site = default_site()
        if site is not None:
            in_site = pages.descendant_of(site.root_page, inclusive=True).first()
            if in_site is not None:
                return in_site
        return pages.first()

    @cached_property
    def stages(self):
        """[(stage, [messages…])] for every stage that has a live message."""
        messages = CoreMessage.objects.live().for_site(page_site(self)).select_related("life_stage")
        grouped = {}
        for message in messages:
            grouped.setdefault(message.life_stage, []).append(message)
        return list(grouped.items())

    @path("")
    def index_route(self, request):
        return self.render(request, context_overrides={"stages": self.stages})

    @path("<int:pk>/", name="message_card")
    def message_card(self, request, pk):
        from django.shortcuts import get_object_or_404

        messages = CoreMessage.objects.live().for_site(page_site(self))
        message = get_object_or_404(messages.select_related("life_stage"), pk=pk)
        return self.render(request, template="core_messages/core_message_card.html",
                           context_overrides={"message": message, "messages_page": self})
