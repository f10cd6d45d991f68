import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from content.base.models import ShareableSlugMixin
from content.base.provinces import ProvincesField, applies_q, applies_to, site_province
from content.base.request_memo import page_site, public
from search.indexing import analysed_search_fields

from .blocks import CampaignStreamBlock, PartnerBlock, ToolkitItemBlock


class CampaignDay(models.TextChoices):
    BIRTH_DEFECTS_DAY = "birth_defects_day", _("Birth Defects Prevention Day (12 September)")
    THALASSAEMIA_DAY = "thalassaemia_day", _("World Thalassaemia Day (8 May)")
    OTHER = "other", _("Another day")


# (month, day) of the fixed days; the finder of each edition defaults to these services.
FIXED_DAYS = {
    CampaignDay.BIRTH_DEFECTS_DAY: (9, 12),
    CampaignDay.THALASSAEMIA_DAY: (5, 8),
}
DAY_NAMES = {
    CampaignDay.BIRTH_DEFECTS_DAY: _("Birth Defects Prevention Day"),
    CampaignDay.THALASSAEMIA_DAY: _("World Thalassaemia Day"),
}


class CampaignIndexPage(ShareableSlugMixin, RoutablePageMixin, Page):
    """宣传活动: the current or next edition first, then past years."""

    introduction = models.TextField(_("Introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["base.HomePage"]
    search_fields = analysed_search_fields(Page.search_fields + [index.SearchField("introduction")])
    subpage_types = ["campaigns.CampaignPage"]

    class Meta:
        verbose_name = _("Campaign index")

    def editions(self):
        """Live editions for this site: national ones and its own province's."""
        province = site_province(page_site(self))
        return (public(CampaignPage.objects.child_of(self).live()).filter(applies_q(province))
                .order_by("-date"))

    def featured_edition(self, today=None):
        """The edition on or after today that comes soonest; else the latest one."""
        today = today or timezone.localdate()
        editions = self.editions()
        return editions.filter(date__gte=today).order_by("date").first() or editions.first()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        featured = self.featured_edition()
        archive = {}
        for edition in self.editions().exclude(pk=getattr(featured, "pk", None)):
            archive.setdefault(edition.year, []).append(edition)
        context.update(featured=featured, archive=sorted(archive.items(), reverse=True))
        return context

    @path("")
    def index_route(self, request):
        return self.render(request)


class CampaignPage(ShareableSlugMixin, RoutablePageMixin, Page):
    """One edition of a campaign day: theme, key messages, toolkit, events, finder."""

    day = models.CharField(_("Campaign day"), max_length=32, choices=CampaignDay.choices,
                           default=CampaignDay.BIRTH_DEFECTS_DAY)
    date = models.DateField(_("Date"), help_text=_("For the two fixed days, the date in that year."))
    theme = models.CharField(_("Theme"), max_length=120)
    slogan = models.CharField(_("Slogan"), max_length=120, blank=True)
    hero_image = models.ForeignKey("wagtailimages.Image", verbose_name=_("Hero image"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    hero_alt = models.CharField(_("Hero image alternative text"), max_length=250, blank=True)
    introduction = models.TextField(_("Introduction"), blank=True)
    body = StreamField(CampaignStreamBlock(), verbose_name=_("Body"), blank=True)
    toolkit = StreamField([("file", ToolkitItemBlock())], verbose_name=_("Toolkit"), blank=True)
    partners = StreamField([("partner", PartnerBlock())], verbose_name=_("Partners"), blank=True)
    provinces = ProvincesField()

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("day"), FieldPanel("date")]),
        FieldPanel("theme"),
        FieldPanel("slogan"),
        FieldPanel("provinces"),
        MultiFieldPanel([FieldPanel("hero_image"), FieldPanel("hero_alt")], heading=_("Hero image")),
        FieldPanel("introduction"),
        InlinePanel("key_messages", label=_("Key message"), heading=_("Key messages")),
        FieldPanel("body"),
        InlinePanel("events", label=_("Event"), heading=_("Events")),
        FieldPanel("toolkit"),
        FieldPanel("partners"),
    ]
    search_fields = analysed_search_fields(Page.search_fields + [
        index.SearchField("theme", boost=2),
        index.SearchField("slogan"),
        index.SearchField("introduction"),
        index.SearchField("body"),
        index.FilterField("date"),
        index.FilterField("day"),
    ])
    parent_page_types = ["campaigns.CampaignIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("Campaign edition")
        verbose_name_plural = _("Campaign editions")

    def clean(self):
        super().clean()
        fixed = FIXED_DAYS.get(self.day)
        if fixed and self.date and (self.date.month, self.date.day) != fixed:
            raise ValidationError({"date": _("This campaign day falls on %(month)s/%(day)s.")
                                   % {"month": fixed[0], "day": fixed[1]}})

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def day_name(self) -> str:
        return str(DAY_NAMES.get(self.day, self.title))

    def days_until(self, today=None) -> int:
        """Days from today to the campaign day: positive before it, 0 on it, negative after."""
        return (self.date - (today or timezone.localdate())).days

    @cached_property
    def site_province(self) -> str:
        """The province of the site this page (or this alias of it) is on."""
        return site_province(page_site(self))

    @cached_property
    def ordered_events(self):
        return [event for event in self.events.order_by("starts_at") if applies_to(event, self.site_province)]

    def live_key_messages(self):
        return [item.message for item in self.key_messages.select_related("message__life_stage")
                if item.message.live and applies_to(item.message, self.site_province)]

    def check_province(self):
        """Another province's edition is not shown on this site (its alias is there, but not for here)."""
        if not applies_to(self, self.site_province):
            raise Http404

    def structured_data(self, request=None) -> dict:
        """schema.org JSON-LD: the edition as an Article about the day, with its events as Events."""
        url = self.get_full_url(request)
        events = [{
            "@type": "Event",
            "name": event.title,
            "startDate": timezone.localtime(event.starts_at).isoformat(),
            "endDate": timezone.localtime(event.end).isoformat(),
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "location": {"@type": "Place", "name": event.place,
                         "address": {"@type": "PostalAddress", "addressLocality": event.district or event.place}},
            "organizer": {"@type": "Organization", "name": event.organiser or self.day_name},
            "audience": {"@type": "Audience", "audienceType": event.audience} if event.audience else None,
            "description": event.description or event.title,
            "url": f"{url}#event-{event.pk}" if url else None,
            **({"offers": {"@type": "Offer", "url": event.registration_url, "price": 0, "priceCurrency": "CNY"}}
               if event.registration_url else {}),
        } for event in self.ordered_events]
        return {
            "@context": "https://schema.org",
            "@graph": [
                {"@type": "Article", "headline": self.title, "description": self.theme, "url": url,
                 "inLanguage": "zh-CN", "datePublished": (self.first_published_at or timezone.now()).isoformat(),
                 "about": {"@type": "Thing", "name": self.day_name}},
                *[{key: value for key, value in event.items() if value is not None} for event in events],
            ],
        }

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(
            days_until=self.days_until(),
            key_messages=self.live_key_messages(),
            events=self.ordered_events,
            upcoming_events=[event for event in self.ordered_events if not event.is_past],
            structured_data=self.structured_data(request),
        )
        return context

    @path("")
    def index_route(self, request):
        self.check_province()
        return self.render(request)

    @path("ical/", name="calendar")
    def calendar(self, request):
        from .ical import calendar_for

        self.check_province()
        return ics_response(calendar_for(self, self.ordered_events, request), f"campaign-{self.slug}.ics")

    @path("events/<int:event_id>/ical/", name="event_calendar")
    def event_calendar(self, request, event_id):
        from .ical import calendar_for

        self.check_province()
        event = next((event for event in self.ordered_events if event.pk == event_id), None)
        if event is None:
            raise Http404
        return ics_response(calendar_for(self, [event], request), f"event-{event.pk}.ics")


def ics_response(calendar, filename) -> HttpResponse:
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class CampaignKeyMessage(Orderable):
    page = ParentalKey(CampaignPage, related_name="key_messages", on_delete=models.CASCADE)
    message = models.ForeignKey("core_messages.CoreMessage", verbose_name=_("Core health message"),
                                on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("message")]


class EventKind(models.TextChoices):
    COMMUNITY = "community", _("In communities")
    COMPANY = "company", _("In companies")
    SCHOOL = "school", _("In schools")
    OTHER = "other", _("Other")


class CampaignEvent(Orderable):
    """进社区、进企业、进校园: one activity of a campaign edition."""

    page = ParentalKey(CampaignPage, related_name="events", on_delete=models.CASCADE)
    title = models.CharField(_("Title"), max_length=120)
    kind = models.CharField(_("Kind"), max_length=16, choices=EventKind.choices, default=EventKind.COMMUNITY)
    starts_at = models.DateTimeField(_("Starts"))
    ends_at = models.DateTimeField(_("Ends"), null=True, blank=True)
    place = models.CharField(_("Place"), max_length=160)
    district = models.CharField(_("District"), max_length=60, blank=True, help_text=_("e.g. 朝阳区"))
    organiser = models.CharField(_("Organiser"), max_length=120, blank=True)
    audience = models.CharField(_("Audience"), max_length=120, blank=True)
    registration_url = models.URLField(_("Registration link"), blank=True)
    description = models.TextField(_("Description"), blank=True)
    provinces = ProvincesField()

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldRowPanel([FieldPanel("place"), FieldPanel("district")]),
        FieldRowPanel([FieldPanel("organiser"), FieldPanel("audience")]),
        FieldPanel("registration_url"),
        FieldPanel("description"),
        FieldPanel("provinces"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("Event")
        verbose_name_plural = _("Events")

    def __str__(self):
        return self.title

    def clean(self):
        if self.ends_at and self.starts_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("An event cannot end before it starts.")})

    @property
    def end(self) -> datetime.datetime:
        return self.ends_at or self.starts_at + datetime.timedelta(hours=2)

    @property
    def is_past(self) -> bool:
        """Over: shown as 已结束, with no 加入日历."""
        return self.end < timezone.now()

    @property
    def location(self) -> str:
        return "，".join(part for part in (self.district, self.place) if part)
