"""What editors manage for site search: the synonym list, and the queries that found nothing."""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

TERM_SEPARATORS = re.compile(r"[,，、;；/\n\r]+")


class Kind(models.TextChoices):
    SYNONYM = "synonym", _("Synonym")
    ABBREVIATION = "abbreviation", _("Abbreviation")
    ENGLISH = "english", _("English name")
    COLLOQUIAL = "colloquial", _("Colloquial name")
    REGIONAL = "regional", _("Regional name")
    SYMPTOM = "symptom", _("Body part or symptom")
    HABIT = "habit", _("Habit or exposure")
    STANDARD = "standard", _("Standard terminology")


class SynonymGroup(index.Indexed, models.Model):
    """Words that mean the same thing to the people searching: 唐筛 = 唐氏筛查 = 唐氏综合征筛查.

    A query for any of them finds pages that use any other. The service names and aliases of the
    facility taxonomy are synonyms too (a little weaker); this list adds everything else."""

    terms = models.TextField(
        _("Terms"),
        help_text=_("Two or more words or abbreviations with the same meaning, separated by 、 or commas, "
                    "e.g. 蚕豆病、G6PD缺乏症、G6PD"),
    )
    maps_to = models.TextField(
        _("Maps to"), blank=True,
        help_text=_("Leave empty when the terms are equivalent. Otherwise the terms articles use, separated "
                    "by 、: a search for any of the terms above also finds these, but not the reverse "
                    "(拍片、X光 → 放射线)."),
    )
    kind = models.CharField(_("Kind"), max_length=20, choices=Kind.choices, default=Kind.SYNONYM)
    note = models.CharField(_("Note"), max_length=200, blank=True, help_text=_("Why these are synonyms (for editors)."))
    source = models.CharField(
        _("Source"), max_length=200, blank=True,
        help_text=_("Where the mapping comes from: a plan clause, the service taxonomy, "
                    "a standard terminology."),
    )
    active = models.BooleanField(_("Active"), default=True)
    updated_at = models.DateTimeField(_("Updated"), auto_now=True)

    panels = [FieldPanel("terms"), FieldPanel("maps_to"), FieldPanel("kind"), FieldPanel("source"),
              FieldPanel("note"), FieldPanel("active")]
    search_fields = [index.SearchField("terms"), index.SearchField("maps_to"),
                     index.AutocompleteField("terms"), index.FilterField("active"), index.FilterField("kind")]

    class Meta:
        ordering = ["terms"]
        verbose_name = _("Synonym group")
        verbose_name_plural = _("Synonyms")

    def __str__(self):
        return "、".join(self.term_list()[:6])

    def term_list(self) -> list[str]:
        return split_terms(self.terms)

    def target_list(self) -> list[str]:
        return split_terms(self.maps_to)

    @property
    def one_way(self) -> bool:
        return bool(self.target_list())

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.one_way:
            if not self.term_list():
                raise ValidationError({"terms": _("Enter at least one term.")})
        elif len(self.term_list()) < 2:
            raise ValidationError({"terms": _("Enter at least two terms, or the terms they map to.")})


def split_terms(text: str) -> list[str]:
    return [term.strip() for term in TERM_SEPARATORS.split(text or "") if term.strip()]


class SearchMiss(models.Model):
    """A query that found nothing, counted per day: editors add synonyms or promotions for these."""

    query_string = models.CharField(_("Query"), max_length=255)
    date = models.DateField(_("Date"))
    hits = models.PositiveIntegerField(_("Times"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["query_string", "date"], name="search_miss_unique_per_day")]
        ordering = ["-date", "-hits"]
        verbose_name = _("Query without results")
        verbose_name_plural = _("Queries without results")

    def __str__(self):
        return self.query_string
