from django.core.validators import RegexValidator
from django.db import models
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from search.indexing import analysed_search_fields

from .blocks import BaseStreamBlock
from .taxonomy import LIFE_STAGE_SERVICES, SERVICE_NAMES

division_code_validator = RegexValidator(r"^\d{6}(\d{6})?$", _("Enter a 6- or 12-digit administrative division code."))


class LifeStage(index.Indexed, models.Model):
    """婚前, 孕前, 孕期, 新生儿, 儿童: the stages the programme's three levels of prevention follow."""

    code = models.SlugField(_("Code"), max_length=32, unique=True)
    name = models.CharField(_("Name"), max_length=32)
    audience = models.CharField(_("Entry-point label"), max_length=32, blank=True, help_text=_("e.g. “Getting married”"))
    description = models.TextField(_("Description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("Order"), default=0)

    panels = [FieldPanel("code"), FieldPanel("name"), FieldPanel("audience"), FieldPanel("description"),
              FieldPanel("sort_order")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("Life stage")
        verbose_name_plural = _("Life stage")

    def __str__(self):
        return self.name


class Topic(index.Indexed, models.Model):
    code = models.SlugField(_("Code"), max_length=48, unique=True)
    name = models.CharField(_("Name"), max_length=48)
    description = models.TextField(_("Description"), blank=True)

    panels = [FieldPanel("code"), FieldPanel("name"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("Topic")
        verbose_name_plural = _("Topic")

    def __str__(self):
        return self.name


class HomePage(RoutablePageMixin, Page):
    """The root of a provincial site: the next campaign, the life-stage journeys, the latest resources
    and a quick facility search. Each journey (/stages/<code>/) gathers one stage's core messages,
    resources and the finder for its services. The feature sections render through their own
    template tags, so this app imports none of them."""

    hero_title = models.CharField(_("Headline"), max_length=80, default="预防出生缺陷，守护每个家庭")
    hero_text = models.TextField(_("Introduction"), blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("Body"), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("hero_title"), FieldPanel("hero_text")], heading=_("Hero")),
        FieldPanel("body"),
    ]
    search_fields = analysed_search_fields(Page.search_fields + [index.SearchField("hero_text")])

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    # The home page's entry points: 准备结婚, 准备怀孕, 已经怀孕, 宝宝出生后.
    ENTRY_STAGES = ["premarital", "preconception", "pregnancy", "newborn"]

    class Meta:
        verbose_name = _("Home page")

    def entry_stages(self):
        stages = {stage.code: stage for stage in LifeStage.objects.filter(code__in=self.ENTRY_STAGES)}
        return [stages[code] for code in self.ENTRY_STAGES if code in stages]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.get_children().live().public().in_menu().specific()
        context["entry_stages"] = self.entry_stages()
        return context

    @path("")
    def index_route(self, request):
        return self.render(request)

    @path("stages/<slug:code>/", name="life_stage")
    def life_stage(self, request, code):
        stage = get_object_or_404(LifeStage, code=code)
        services = [(service, SERVICE_NAMES[service]) for service in LIFE_STAGE_SERVICES.get(code, [])]
        return self.render(request, template="base/life_stage_page.html",
                           context_overrides={"stage": stage, "services": services})


class StandardPage(Page):
    """A plain page: about the programme, privacy notice, accessibility statement."""

    introduction = models.TextField(_("Introduction"), blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("Body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    search_fields = analysed_search_fields(
        Page.search_fields + [index.SearchField("introduction"), index.SearchField("body")]
    )

    class Meta:
        verbose_name = _("Standard page")


class FooterLinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Text"), max_length=40)
    url = blocks.URLBlock(label=_("Link"))


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """What differs between the provincial sites: the province, filing numbers and contacts."""

    province_code = models.CharField(
        _("Province division code"), max_length=12, blank=True, validators=[division_code_validator],
        help_text=_("e.g. 110000 (Beijing), 510000 (Sichuan); the facility finder shows this province by default."),
    )
    site_name = models.CharField(_("Site name"), max_length=60, default="出生缺陷防治科普平台")
    organisation = models.CharField(_("Organisation"), max_length=80, blank=True)
    icp_number = models.CharField(_("ICP filing number"), max_length=60, blank=True)
    public_security_number = models.CharField(_("Public security filing number"), max_length=60, blank=True)
    contact_phone = models.CharField(_("Helpline"), max_length=40, blank=True)
    contact_email = models.EmailField(_("Contact email"), blank=True)
    contact_address = models.CharField(_("Contact address"), max_length=120, blank=True)
    footer_links = StreamField([("link", FooterLinkBlock())], verbose_name=_("Footer links"), blank=True)
    footer_note = RichTextField(_("Footer note"), blank=True, features=["bold", "link"])
    sample_data = models.BooleanField(
        _("Sample data"), default=False,
        help_text=_("Shows a banner on every page saying the content is sample data (示例数据)."),
    )

    panels = [
        MultiFieldPanel([FieldPanel("site_name"), FieldPanel("organisation"), FieldPanel("province_code")],
                        heading=_("Site")),
        MultiFieldPanel([FieldPanel("icp_number"), FieldPanel("public_security_number")], heading=_("Filings")),
        MultiFieldPanel([FieldPanel("contact_phone"), FieldPanel("contact_email"), FieldPanel("contact_address")],
                        heading=_("Contacts")),
        FieldPanel("footer_links"),
        FieldPanel("footer_note"),
        FieldPanel("sample_data"),
    ]

    class Meta:
        verbose_name = _("Site settings")

