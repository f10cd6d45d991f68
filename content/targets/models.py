"""The 2027 targets of the provincial plans: indicators (snippets under the 「医学审核」 workflow) with
their reported values, and the public page that shows where a province stands."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    Page,
    PreviewableMixin,
    RevisionMixin,
    Site,
    WorkflowMixin,
)
from wagtail.search import index

from content.base.models import LifeStage, ShareableSlugMixin, SiteSettings, division_code_validator
from content.base.request_memo import page_site, public
from content.base.taxonomy import SERVICE_CHOICES
from search.indexing import analysed_search_fields

from .gap import AT_LEAST, AT_MOST, PERCENT, PERMILLE, Gap, compute_gap, format_number, value_problem

PROVINCES = {"110000": "北京市", "510000": "四川省"}
UNITS = [(PERCENT, _("% (percent)")), (PERMILLE, _("‰ (per mille)"))]
DIRECTIONS = [(AT_LEAST, _("At least (reach or exceed)")), (AT_MOST, _("At most (stay at or below)"))]


def province_name(code: str) -> str:
    return PROVINCES.get(code, code)


class IndicatorForm(WagtailAdminModelForm):
    """Checks each reported value against the unit chosen in the same form (the model's own check sees
    only the saved unit)."""

    def is_valid(self):
        valid = super().is_valid()
        unit = getattr(self, "cleaned_data", {}).get("unit")
        formset = self.formsets.get("values")
        if unit and formset is not None:
            for form in formset.forms:
                data = getattr(form, "cleaned_data", None) or {}
                if data.get("DELETE") or data.get("value") is None:
                    continue
                problem = value_problem(unit, data["value"])
                if problem:
                    form.add_error("value", problem)
                    valid = False
        return valid


class IndicatorQuerySet(models.QuerySet):
    def live(self):
        return self.filter(live=True)

    def for_province(self, code):
        return self.filter(province_code=code)

    def with_values(self):
        return self.select_related("life_stage").prefetch_related("values", "topics")


class Indicator(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    index.Indexed,
    ClusterableModel,
):
    """One numbered target of a province's plan (婚前医学检查率 ≥ 70 % by 2027…) and its reported values.

    Values are edited inline; every saved revision keeps the values as they were, so a corrected value
    keeps its history (the snippet's history and compare views show it)."""

    province_code = models.CharField(
        _("Province division code"),
        max_length=12,
        validators=[division_code_validator],
        help_text=_("e.g. 110000 (Beijing), 510000 (Sichuan)"),
    )
    name = models.CharField(_("Indicator"), max_length=80)
    code = models.SlugField(
        _("Code"), max_length=64, help_text=_("Stable key used by the API and the import.")
    )
    life_stage = models.ForeignKey(
        LifeStage, verbose_name=_("Life stage"), on_delete=models.PROTECT, related_name="indicators"
    )
    unit = models.CharField(_("Unit"), max_length=2, choices=UNITS, default=PERCENT)
    direction = models.CharField(_("Direction"), max_length=10, choices=DIRECTIONS, default=AT_LEAST)
    target_value = models.DecimalField(_("Target value"), max_digits=7, decimal_places=2)
    target_year = models.PositiveSmallIntegerField(
        _("Target year"), default=2027, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    plan = models.CharField(_("Plan"), max_length=120, blank=True)
    plan_clause = models.TextField(
        _("Plan clause"), blank=True, help_text=_("The plan's own wording of the target.")
    )
    numerator = models.TextField(_("Numerator"), blank=True)
    denominator = models.TextField(_("Denominator"), blank=True)
    service = models.CharField(
        _("Related service"),
        max_length=48,
        blank=True,
        choices=SERVICE_CHOICES,
        help_text=_("Links the indicator to the facility finder filtered for this service."),
    )
    topics = ParentalManyToManyField(
        "base.Topic",
        verbose_name=_("Topics"),
        blank=True,
        related_name="indicators",
        help_text=_("Links the indicator to the library's resources on these topics."),
    )
    sort_order = models.PositiveSmallIntegerField(_("Order"), default=0)

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="indicator")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="indicator",
        for_concrete_model=False,
    )

    objects = IndicatorQuerySet.as_manager()
    base_form_class = IndicatorForm

    panels = [
        FieldRowPanel([FieldPanel("province_code"), FieldPanel("life_stage"), FieldPanel("sort_order")]),
        FieldRowPanel([FieldPanel("name"), FieldPanel("code")]),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("direction"),
                        FieldPanel("target_value"),
                        FieldPanel("unit"),
                        FieldPanel("target_year"),
                    ]
                ),
                FieldPanel("plan"),
                FieldPanel("plan_clause"),
            ],
            heading=_("Target"),
        ),
        MultiFieldPanel([FieldPanel("numerator"), FieldPanel("denominator")], heading=_("Definition")),
        MultiFieldPanel([FieldPanel("service"), FieldPanel("topics")], heading=_("Links")),
        InlinePanel("values", heading=_("Reported values"), label=_("Reported value")),
    ]
    search_fields = [
        index.SearchField("name", boost=3),
        index.SearchField("plan_clause"),
        index.AutocompleteField("name"),
        index.FilterField("live"),
        index.FilterField("province_code"),
    ]

    class Meta:
        ordering = ["province_code", "life_stage__sort_order", "sort_order", "code"]
        verbose_name = _("Target indicator")
        verbose_name_plural = _("Target indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["province_code", "code"], name="unique_indicator_code_per_province"
            )
        ]

    def __str__(self):
        return f"{province_name(self.province_code)} {self.name}"

    @property
    def revisions(self):
        return self._revisions

    def clean(self):
        super().clean()
        if self.target_value is not None and self.unit:
            problem = value_problem(self.unit, self.target_value)
            if problem:
                raise ValidationError({"target_value": problem})

    @property
    def province_name(self) -> str:
        return province_name(self.province_code)

    @property
    def target_text(self) -> str:
        sign = "≥" if self.direction == AT_LEAST else "≤"
        return f"{sign} {format_number(self.target_value)}{self.unit}"

    @cached_property
    def sorted_values(self) -> list[ReportedValue]:
        """Values by year (uses the prefetched rows: no query per indicator)."""
        return sorted(self.values.all(), key=lambda v: v.year)

    @property
    def latest(self) -> ReportedValue | None:
        values = self.sorted_values
        return values[-1] if values else None

    @property
    def gap(self) -> Gap | None:
        latest = self.latest
        return compute_gap(self.direction, self.unit, self.target_value, latest.value if latest else None)

    @property
    def has_sample_values(self) -> bool:
        return any(v.sample_data for v in self.sorted_values)

    def get_preview_template(self, request, mode_name):
        return "targets/includes/indicator_preview.html"

    def get_preview_context(self, request, mode_name):
        return {"indicator": self}


class ReportedValue(Orderable):
    """The value of an indicator for one year, as published by its source."""

    indicator = ParentalKey(Indicator, on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField(
        _("Year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    value = models.DecimalField(_("Value of the rate"), max_digits=7, decimal_places=2)
    source = models.CharField(
        _("Source"), max_length=200, help_text=_("The statistics bulletin or report it comes from.")
    )
    reported_on = models.DateField(_("Date reported"), null=True, blank=True)
    note = models.CharField(_("Note"), max_length=200, blank=True)
    sample_data = models.BooleanField(
        _("Sample data"),
        default=False,
        help_text=_("Shown publicly as 示例数据 (demo values, not official statistics)."),
    )

    panels = [
        FieldRowPanel([FieldPanel("year"), FieldPanel("value"), FieldPanel("reported_on")]),
        FieldPanel("source"),
        FieldPanel("note"),
        FieldPanel("sample_data"),
    ]

    class Meta(Orderable.Meta):
        ordering = ["year"]
        verbose_name = _("Reported value")
        verbose_name_plural = _("Reported values")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="unique_value_per_indicator_year")
        ]

    def __str__(self):
        return f"{self.year}: {format_number(self.value)}"

    def clean(self):
        super().clean()
        try:
            indicator = self.indicator
        except Indicator.DoesNotExist:
            indicator = None
        if indicator is not None and self.value is not None:
            problem = value_problem(indicator.unit, self.value)
            if problem:
                raise ValidationError({"value": problem})

    @property
    def value_text(self) -> str:
        return format_number(self.value)

    @property
    def value_decimal(self) -> Decimal:
        return Decimal(str(self.value))


class TargetsPage(ShareableSlugMixin, Page):
    """2027 目标进展: one province's indicators grouped by life stage, each with its target, latest value,
    gap, trend chart and data table. The province is the site's (SiteSettings) unless set here."""

    introduction = models.TextField(_("Introduction"), blank=True)
    province_code = models.CharField(
        _("Province division code"),
        max_length=12,
        blank=True,
        validators=[division_code_validator],
        help_text=_("Leave empty for the site's own province (Site settings)."),
    )

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("province_code")]
    search_fields = analysed_search_fields(Page.search_fields + [index.SearchField("introduction")])
    parent_page_types = ["base.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Targets page")

    @classmethod
    def for_site(cls, site):
        pages = public(cls.objects.live())
        if site is not None:
            return pages.descendant_of(site.root_page, inclusive=True).first()
        return pages.first()

    def province(self, request=None) -> str:
        if self.province_code:
            return self.province_code
        site = page_site(self) or (Site.find_for_request(request) if request else None)
        return SiteSettings.for_site(site).province_code if site else ""

    def indicators(self, province_code):
        return list(Indicator.objects.live().for_province(province_code).with_values())

    @staticmethod
    def group_by_stage(indicators):
        """[(stage, [indicators…])] in life-stage order (婚前 → 孕前 → 孕期 → 新生儿 → 儿童)."""
        grouped: dict[LifeStage, list[Indicator]] = {}
        for indicator in sorted(indicators, key=lambda i: (i.life_stage.sort_order, i.sort_order, i.code)):
            grouped.setdefault(indicator.life_stage, []).append(indicator)
        return list(grouped.items())

    def get_context(self, request, *args, **kwargs):
        from content.library.templatetags.library_tags import site_library

        context = super().get_context(request, *args, **kwargs)
        province = self.province(request)
        library = site_library(request)
        indicators = self.indicators(province)
        context.update(
            province_code=province,
            library_url=library.get_url(request=request) if library else None,
            province_name=province_name(province),
            stages=self.group_by_stage(indicators),
            indicator_count=len(indicators),
            met_count=sum(1 for i in indicators if i.gap and i.gap.met),
            has_sample=any(i.has_sample_values for i in indicators),
        )
        return context
