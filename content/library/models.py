import math
import re

from django.core.paginator import Paginator
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Count, Q, prefetch_related_objects
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from content.base.models import LifeStage, ShareableSlugMixin, Topic
from content.base.request_memo import page_site, public
from content.base.sharing import SharedPageManager
from content.base.taxonomy import SERVICE_NAMES, TOPIC_SERVICES, services_for
from content.editorial.checks import ResourcePageForm
from content.editorial.review import ReviewDatesMixin
from search.indexing import analysed_search_fields

from .blocks import ResourceStreamBlock
from .feeds import ResourceAtomFeed, ResourceRssFeed

# Chinese readers manage about 400 characters a minute of popular-science text.
CHARACTERS_PER_MINUTE = 400


class ResourceFormat(models.TextChoices):
    ARTICLE = "article", _("Article")
    VIDEO = "video", _("Video")
    INFOGRAPHIC = "infographic", _("Infographic")
    DOCUMENT = "document", _("Document")


class ResourceIndexPage(ShareableSlugMixin, RoutablePageMixin, Page):
    """科普资源库: every resource, filtered by life stage, topic, format and tag; RSS and Atom feeds."""

    introduction = models.TextField(_("Introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = analysed_search_fields(Page.search_fields + [index.SearchField("introduction")])
    parent_page_types = ["base.HomePage"]
    subpage_types = ["library.ResourcePage"]

    per_page = 12
    SORTS = {
        "newest": ("-date_published", "-pk"),
        "oldest": ("date_published", "pk"),
        "reviewed": ("-last_reviewed", "-date_published"),
        "title": ("title",),
    }
    SORT_LABELS = {"newest": _("Newest first"), "oldest": _("Oldest first"),
                   "reviewed": _("Most recently reviewed"), "title": _("Title")}

    class Meta:
        verbose_name = _("Resource library")

    def resources(self):
        return (public(ResourcePage.objects.child_of(self).live())
                .prefetch_related("life_stages", "topics", "tags"))

    def filters_from(self, params) -> dict:
        """The filters a query string asks for; unknown sort orders fall back to newest."""
        sort = params.get("sort", "newest")
        return {
            "stage": params.get("stage", "").strip(),
            "topic": params.get("topic", "").strip(),
            "format": params.get("format", "").strip(),
            "tag": params.get("tag", "").strip(),
            "sort": sort if sort in self.SORTS else "newest",
        }

    def filtered_resources(self, filters):
        resources = self.resources()
        if filters["stage"]:
            resources = resources.filter(life_stages__code=filters["stage"])
        if filters["topic"]:
            resources = resources.filter(topics__code=filters["topic"])
        if filters["format"]:
            resources = resources.filter(format=filters["format"])
        if filters["tag"]:
            resources = resources.filter(tags__name=filters["tag"])
        return resources.distinct().order_by(*self.SORTS[filters["sort"]])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        filters = self.filters_from(request.GET)
        page_obj = Paginator(self.filtered_resources(filters), self.per_page).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        live = self.resources()
        context.update(
            filters=filters,
            page_obj=page_obj,
            resources=page_obj.object_list,
            querystring_without_page=f"{query.urlencode()}&" if query else "",
            is_filtered=any(filters[key] for key in ("stage", "topic", "format", "tag")),
            life_stages=LifeStage.objects.all(),
            topics=Topic.objects.filter(resource_pages__in=live).distinct().order_by("name"),
            formats=ResourceFormat.choices,
            sorts=list(self.SORT_LABELS.items()),
            popular_tags=(ResourcePageTag.objects.filter(content_object__in=live)
                          .values("tag__name").annotate(uses=Count("id")).order_by("-uses", "tag__name")[:12]),
        )
        return context

    @path("")
    def index_route(self, request):
        return self.render(request)

    @path("feed/", name="rss")
    def rss_feed(self, request):
        return ResourceRssFeed(self)(request)

    @path("feed/atom/", name="atom")
    def atom_feed(self, request):
        return ResourceAtomFeed(self)(request)


class ResourcePageTag(TaggedItemBase):
    content_object = ParentalKey("library.ResourcePage", related_name="tagged_items", on_delete=models.CASCADE)


class ResourceSource(Orderable):
    """A citation: the guideline, plan or institution the resource relies on."""

    page = ParentalKey("library.ResourcePage", related_name="sources", on_delete=models.CASCADE)
    citation = models.CharField(_("Citation"), max_length=255)
    url = models.URLField(_("Link"), blank=True)

    panels = [FieldPanel("citation"), FieldPanel("url")]

    class Meta(Orderable.Meta):
        verbose_name = _("Source")
        verbose_name_plural = _("Sources")

    def __str__(self):
        return self.citation


class ResourcePage(ShareableSlugMixin, ReviewDatesMixin, Page):
    """One popular-science resource. Create one in code with just a title and a summary:

        index.add_child(instance=ResourcePage(title="…", summary="…"))

    (format defaults to article, date_published to today; it stays a draft until published.)"""

    format = models.CharField(_("Format"), max_length=16, choices=ResourceFormat.choices,
                              default=ResourceFormat.ARTICLE)
    summary = models.TextField(_("Summary"), max_length=400, help_text=_("One or two sentences shown in listings."))
    date_published = models.DateField(_("Publication date"), default=timezone.localdate)
    body = StreamField(ResourceStreamBlock(), verbose_name=_("Body"), blank=True)
    life_stages = ParentalManyToManyField(LifeStage, verbose_name=_("Life stages"), blank=True,
                                          related_name="resource_pages")
    topics = ParentalManyToManyField(Topic, verbose_name=_("Topics"), blank=True, related_name="resource_pages")
    tags = ClusterTaggableManager(through=ResourcePageTag, verbose_name=_("Tags"), blank=True)

    # What each format needs. Missing pieces are flagged by the content checks, not refused, so
    # imported and contest-awarded drafts can be saved and completed later.
    video_url = models.URLField(_("Video link"), blank=True,
                                help_text=_("A page on a video platform, embedded in the page."))
    video_file = models.FileField(_("Video file"), upload_to="library/videos/", blank=True,
                                  validators=[FileExtensionValidator(["mp4", "webm"])])
    transcript = models.TextField(_("Transcript"), blank=True)
    image = models.ForeignKey("wagtailimages.Image", verbose_name=_("Image"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+",
                              help_text=_("The infographic itself, or a cover image for other formats."))
    image_alt = models.CharField(_("Image alternative text"), max_length=250, blank=True)
    text_version = RichTextField(_("Text version"), blank=True, features=["bold", "italic", "ul", "ol", "h3", "link"],
                                 help_text=_("Everything the infographic says, as text."))
    document = models.ForeignKey("wagtaildocs.Document", verbose_name=_("Document"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")

    base_form_class = ResourcePageForm  # checks before medical review (checks.py)
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("format"), FieldPanel("date_published")]),
        MultiFieldPanel([FieldPanel("video_url"), FieldPanel("video_file"), FieldPanel("transcript")],
                        heading=_("Video"), classname="collapsed"),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt"), FieldPanel("text_version")],
                        heading=_("Image and infographic")),
        FieldPanel("document"),
        FieldPanel("body"),
        InlinePanel("sources", label=_("Sources"), heading=_("Sources")),
        MultiFieldPanel(
            [FieldPanel("reviewer"), FieldRowPanel([FieldPanel("last_reviewed"), FieldPanel("next_review")])],
            heading=_("Medical review"),
        ),
    ]
    objects = SharedPageManager()

    promote_panels = Page.promote_panels + [
        MultiFieldPanel([FieldPanel("life_stages"), FieldPanel("topics"), FieldPanel("tags")],
                        heading=_("Classification")),
    ]
    search_fields = analysed_search_fields(Page.search_fields + [
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.SearchField("transcript"),
        index.SearchField("text_version"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.RelatedFields("topics", [index.SearchField("name")]),
        # 「婚前 地贫」: the life stage a resource is written for is part of what it is about.
        index.RelatedFields("life_stages", [index.SearchField("name")]),
        index.FilterField("format"),
        index.FilterField("date_published"),
    ])
    parent_page_types = ["library.ResourceIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("Resource")
        verbose_name_plural = _("Resources")

    @property
    def format_label(self):
        return ResourceFormat(self.format).label

    def plain_text(self) -> str:
        parts = [self.summary, strip_tags(self.body.render_as_block()) if self.body else "",
                 self.transcript, strip_tags(self.text_version)]
        return re.sub(r"\s+", "", "".join(parts))

    @cached_property
    def reading_minutes(self) -> int:
        return max(1, math.ceil(len(self.plain_text()) / CHARACTERS_PER_MINUTE))

    @cached_property
    def topic_codes(self):
        return [topic.code for topic in self.topics.all()]

    @cached_property
    def services(self):
        """[(code, name)] of the facility services this resource leads to."""
        return [(code, SERVICE_NAMES[code]) for code in services_for(self.topic_codes, TOPIC_SERVICES)]

    def related_resources(self, limit=3):
        """Live resources sharing the most topics (then life stages) with this one."""
        stage_ids = [stage.pk for stage in self.life_stages.all()]
        topic_ids = [topic.pk for topic in self.topics.all()]
        if not stage_ids and not topic_ids:
            return ResourcePage.objects.none()
        # Siblings: under a shared library's alias on another site, the aliases beside this one.
        return (public(ResourcePage.objects.sibling_of(self, inclusive=False).live())
                .annotate(shared_topics=Count("topics", filter=Q(topics__in=topic_ids), distinct=True),
                          shared_stages=Count("life_stages", filter=Q(life_stages__in=stage_ids), distinct=True))
                .filter(Q(shared_topics__gt=0) | Q(shared_stages__gt=0))
                .order_by("-shared_topics", "-shared_stages", "-date_published")
                .prefetch_related("life_stages")[:limit])

    def related_messages(self, limit=3):
        """Live core messages on this resource's topics, else for its life stages."""
        from content.core_messages.models import CoreMessage

        messages = CoreMessage.objects.live().for_site(page_site(self)).select_related("life_stage")
        by_topic = list(messages.filter(topics__in=self.topics.all()).distinct()[:limit])
        if by_topic:
            return by_topic
        return messages.filter(life_stage__in=self.life_stages.all())[:limit]

    def structured_data(self, request=None) -> dict:
        """schema.org MedicalWebPage JSON-LD, with the resource itself as its main entity."""
        from wagtail.models import Site

        site = Site.find_for_request(request) if request else None
        site_name = site.site_name if site and site.site_name else str(_("Birth Defect Prevention Portal"))
        main_type = {"article": "Article", "video": "VideoObject", "infographic": "ImageObject",
                     "document": "DigitalDocument"}[self.format]
        url = self.get_full_url(request)
        data = {
            "@context": "https://schema.org",
            "@type": "MedicalWebPage",
            "name": self.title,
            "description": self.summary,
            "url": url,
            "inLanguage": "zh-CN",
            "datePublished": self.date_published.isoformat(),
            "publisher": {"@type": "Organization", "name": site_name},
            "mainEntity": {"@type": main_type, "headline": self.title, "description": self.summary,
                           "datePublished": self.date_published.isoformat(), "url": url},
            "audience": [{"@type": "PeopleAudience", "audienceType": stage.name} for stage in self.life_stages.all()],
            "about": [{"@type": "Thing", "name": topic.name} for topic in self.topics.all()],
            "keywords": ",".join(tag.name for tag in self.tags.all()),
            "citation": [source.citation for source in self.sources.all()],
        }
        if self.last_published_at:
            data["dateModified"] = self.last_published_at.isoformat()
        if self.last_reviewed:
            data["lastReviewed"] = self.last_reviewed.isoformat()
        if self.reviewer:
            data["reviewedBy"] = {"@type": "Person", "name": self.reviewer}
        if self.format == "video" and self.transcript:
            data["mainEntity"]["transcript"] = self.transcript
        return data

    def get_context(self, request, *args, **kwargs):
        if not getattr(request, "is_preview", False):
            # The related lists, the JSON-LD and the template each read these: one query apiece. A
            # preview keeps the revision's own (unsaved) values, so it is not fetched over.
            prefetch_related_objects([self], "life_stages", "topics", "tags", "sources")
        context = super().get_context(request, *args, **kwargs)
        context.update(
            related_resources=self.related_resources(),
            related_messages=self.related_messages(),
            structured_data=self.structured_data(request),
            review_overdue=self.is_review_overdue(),
        )
        return context
