"""The facility records: national divisions (Region), the licensed services (Service), facilities
with their services and licences, and the search term table. The finder page (models.py), the API,
the importer and the search backends all use these; this module imports none of them."""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import RevisionMixin

ALIAS_SEPARATORS = re.compile(r"[\n\r,，、;；|/]+")


def split_list(text: str) -> list[str]:
    """「a、b；c」 → [a, b, c]: the list separators government spreadsheets use."""
    return [part.strip() for part in ALIAS_SEPARATORS.split(text or "") if part.strip()]


class Region(models.Model):
    """A national administrative division (GB/T 2260). The code's prefix is its place in the tree:
    51 (四川省) → 5101 (成都市) → 510107 (武侯区), so "this region and everything under it" is a prefix."""

    PROVINCE, CITY, DISTRICT = 1, 2, 3
    LEVELS = [(PROVINCE, _("Province")), (CITY, _("City")), (DISTRICT, _("District or county"))]

    code = models.CharField(_("Code"), max_length=6, primary_key=True)
    name = models.CharField(_("Name"), max_length=40, db_index=True)
    level = models.PositiveSmallIntegerField(_("Level"), choices=LEVELS)
    parent = models.ForeignKey("self", verbose_name=_("Parent"), null=True, blank=True, on_delete=models.CASCADE,
                               related_name="children")
    latitude = models.FloatField(_("Latitude"), null=True, blank=True)
    longitude = models.FloatField(_("Longitude"), null=True, blank=True)
    centroid_inherited = models.BooleanField(_("Centroid taken from the parent"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("Region")
        verbose_name_plural = _("Regions")

    def __str__(self):
        return self.path_name

    @property
    def prefix(self) -> str:
        return region_prefix(self.code)

    @cached_property
    def ancestors(self) -> list[Region]:
        """From the province down to this region."""
        chain, node = [], self
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    @property
    def path_name(self) -> str:
        """北京市 朝阳区 (a municipality's city level, named like its province, is left out)."""
        names: list[str] = []
        for region in self.ancestors:
            if not names or names[-1] != region.name:
                names.append(region.name)
        return " ".join(names)


def region_prefix(code: str) -> str:
    """510000 → 51, 510100 → 5101, 510107 → 510107."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def within_region(code: str, field: str = "region_id") -> models.Q:
    """Rows whose region is the division or lies under it: the codes between its prefix and the next
    one (51 ≤ code < 52), a range an index reads (a LIKE '51%' is a scan on SQLite)."""
    prefix = region_prefix(code)
    following = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return models.Q(**{f"{field}__gte": prefix, f"{field}__lt": following})


def within_any_region(codes) -> models.Q:
    """Rows in or under any of the divisions."""
    condition = models.Q()
    for code in codes:
        condition |= within_region(code)
    return condition


class Service(models.Model):
    """A licensable or programme service. The code is stable (APIs and filters use it); the name and
    the aliases are what people type, and search treats them all as the same service."""

    code = models.SlugField(_("Code"), max_length=48, unique=True)
    name = models.CharField(_("Official name"), max_length=60, unique=True)
    aliases = models.TextField(
        _("Aliases"), blank=True,
        help_text=_("Other names people use, separated by commas or new lines (e.g. 唐筛, 唐氏筛查)."),
    )
    life_stages = models.ManyToManyField("base.LifeStage", verbose_name=_("Life stages"), blank=True,
                                         related_name="services")
    description = models.TextField(_("Description for the public"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("Order"), default=0)

    panels = [FieldPanel("code"), FieldPanel("name"), FieldPanel("aliases"), FieldPanel("life_stages"),
              FieldPanel("description"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("Service")
        verbose_name_plural = _("Services")

    def __str__(self):
        return self.name

    @property
    def alias_list(self) -> list[str]:
        return split_list(self.aliases)

    @property
    def terms(self) -> list[str]:
        """The official name first, then every alias: one synonym group."""
        return [self.name, *[a for a in self.alias_list if a != self.name]]


class FacilityQuerySet(models.QuerySet):
    def licence_current(self, on: datetime.date | None = None):
        """Facilities whose licence has not passed its 有效期至 (no date means no expiry recorded)."""
        on = on or timezone.localdate()
        return self.filter(models.Q(licence_valid_until__isnull=True) | models.Q(licence_valid_until__gte=on))

    def licence_expired(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(licence_valid_until__lt=on)

    def in_region(self, code: str):
        return self.filter(within_region(code))


class Facility(RevisionMixin, ClusterableModel):
    """A facility holding a 《母婴保健技术服务执业许可证》 (or designated for a programme service)."""

    name = models.CharField(_("Name"), max_length=120)
    region = models.ForeignKey(Region, verbose_name=_("Region"), on_delete=models.PROTECT, related_name="facilities")
    address = models.CharField(_("Address"), max_length=200)
    phones = models.CharField(_("Phone numbers"), max_length=200, blank=True,
                              help_text=_("Several numbers separated by 、"))
    website = models.URLField(_("Website"), blank=True, max_length=300)
    opening_hours = models.CharField(
        _("Opening hours"), max_length=200, blank=True,
        help_text=_("As the list gives them, e.g. 周一至周五 8:00-12:00，13:30-17:00；周六上午；节假日休息"))
    # Read from opening_hours on save (content/facilities/hours.py): drives 「正在营业」.
    hours = models.JSONField(_("Structured opening hours"), default=dict, blank=True, editable=False)
    notes = models.TextField(_("Notes"), blank=True)
    latitude = models.FloatField(_("Latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.FloatField(_("Longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)])
    location_approximate = models.BooleanField(
        _("Approximate location"), default=False,
        help_text=_("The source gave no coordinates: the point is the centre of the region."),
    )

    licence_number = models.CharField(_("Licence number"), max_length=80, unique=True)
    licence_issuing_authority = models.CharField(_("Issuing authority"), max_length=120, blank=True)
    licence_valid_until = models.DateField(_("Licence valid until"), null=True, blank=True, db_index=True)

    referral_centre = models.ForeignKey(
        "self", verbose_name=_("Designated diagnosis centre"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="referred_from",
        help_text=_("Where this facility refers people for diagnosis (对口产前诊断机构 / 转会诊)."),
    )
    source = models.CharField(_("Source notice"), max_length=200, blank=True,
                              help_text=_("The licensing notice or list this entry comes from."))
    last_verified = models.DateField(_("Last verified"), default=timezone.localdate)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FacilityQuerySet.as_manager()
    # Imports save thousands of rows; Wagtail's reference index has nothing useful to say about them.
    wagtail_reference_index_ignore = True

    panels = [
        FieldPanel("name"),
        MultiFieldPanel([FieldPanel("region"), FieldPanel("address"),
                         FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                         FieldPanel("location_approximate")], heading=_("Place")),
        MultiFieldPanel([FieldPanel("phones"), FieldPanel("website"), FieldPanel("opening_hours")],
                        heading=_("Contact")),
        MultiFieldPanel([FieldPanel("licence_number"), FieldPanel("licence_issuing_authority"),
                         FieldPanel("licence_valid_until")], heading=_("Licence")),
        InlinePanel("facility_services", heading=_("Services"), label=_("Service")),
        FieldPanel("referral_centre"),
        MultiFieldPanel([FieldPanel("source"), FieldPanel("last_verified"), FieldPanel("notes")],
                        heading=_("Source")),
    ]

    class Meta:
        ordering = ["region_id", "name"]
        verbose_name = _("Facility")
        verbose_name_plural = _("Facilities")
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="facility_lat_lng"),
            # The finder's default order (region, name, id): a page of a broad match is read in index
            # order with LIMIT instead of sorting every match (database.py, `uniform_page`).
            models.Index(fields=["region", "name", "id"], name="facility_region_name"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        from .hours import parse_hours

        self.hours = parse_hours(self.opening_hours).to_json()
        if kwargs.get("update_fields") is not None and "opening_hours" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "hours"}
        super().save(*args, **kwargs)

    @cached_property
    def opening(self):
        from .hours import OpeningHours

        return OpeningHours.from_json(self.hours)

    @property
    def open_now(self) -> bool | None:
        return self.opening.is_open()

    @property
    def licence_expired(self) -> bool:
        return self.licence_valid_until is not None and self.licence_valid_until < timezone.localdate()

    @property
    def is_stale(self) -> bool:
        """Not verified for FACILITY_STALE_AFTER_DAYS: the public is asked to call first."""
        age = timezone.localdate() - self.last_verified
        return age.days > settings.FACILITY_STALE_AFTER_DAYS

    @property
    def phone_list(self) -> list[str]:
        return split_list(self.phones)

    @property
    def offered_services(self) -> list[FacilityService]:
        return sorted(self.facility_services.all(), key=lambda fs: (fs.service.sort_order, fs.service.code))

    @property
    def free_services(self) -> list[FacilityService]:
        return [fs for fs in self.offered_services if fs.free]

    @property
    def services_text(self) -> str:
        """许可项目 as the import format writes it: 产前诊断（遗传咨询、医学影像）、产前筛查."""
        return "、".join(f"{fs.service.name}（{fs.sub_items}）" if fs.sub_items else fs.service.name
                        for fs in self.offered_services)

    @property
    def free_services_text(self) -> str:
        return "、".join(fs.service.name for fs in self.free_services)


class FacilityService(models.Model):
    """A service a facility offers, whether it is free there (惠民项目), and its licensed sub-items."""

    facility = ParentalKey(Facility, on_delete=models.CASCADE, related_name="facility_services")
    service = models.ForeignKey(Service, verbose_name=_("Service"), on_delete=models.PROTECT,
                                related_name="facility_services")
    free = models.BooleanField(_("Free"), default=False)
    wagtail_reference_index_ignore = True

    sub_items = models.CharField(_("Licensed sub-items"), max_length=200, blank=True,
                                 help_text=_("Separated by 、 e.g. 遗传咨询、医学影像、生化免疫、细胞遗传、分子遗传"))

    panels = [FieldPanel("service"), FieldPanel("free"), FieldPanel("sub_items")]

    class Meta:
        constraints = [models.UniqueConstraint(fields=["facility", "service"], name="facility_service_once")]
        verbose_name = _("Facility service")
        verbose_name_plural = _("Facility services")

    def __str__(self):
        return gettext("%(service)s (free)") % {"service": self.service} if self.free else str(self.service)

    @property
    def sub_item_list(self) -> list[str]:
        return split_list(self.sub_items)


class FacilityTerm(models.Model):
    """The database search backend's inverted index: one row per (facility, term, field).

    Kept in a plain table so the same queries run on SQLite and PostgreSQL; rebuilt by
    `content.facilities.search.terms.reindex` on save, import and `update_index`."""

    NAME, SERVICE, REGION, ADDRESS, NAME_GRAM, ADDRESS_GRAM, PINYIN, OTHER = range(1, 9)
    FIELDS = [(NAME, "name"), (SERVICE, "service"), (REGION, "region"), (ADDRESS, "address"),
              (NAME_GRAM, "name gram"), (ADDRESS_GRAM, "address gram"), (PINYIN, "pinyin"), (OTHER, "other")]

    # No database-level foreign key: the table is derived (rebuilt by update_index) and Django's own
    # cascade removes a deleted facility's rows; PostgreSQL spent minutes at COMMIT checking the
    # deferred constraint of millions of rows after a national import.
    # No index of its own either: the unique (facility, term, field) serves look-ups by facility, and
    # each index is one more B-tree every one of a national import's millions of rows goes into.
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="terms", db_constraint=False,
                                 db_index=False)
    term = models.CharField(max_length=64)
    field = models.PositiveSmallIntegerField(choices=FIELDS)
    weight = models.FloatField()

    class Meta:
        # (facility, term, field) of the unique constraint also serves lookups by facility; (term,
        # field, facility) finds the facilities a term reaches in given fields without reading the rows
        # (the few name and address matches of 唐筛 among 28 000 svc: rows: database.py).
        indexes = [models.Index(fields=["term", "field", "facility"], name="facility_term_field")]
        constraints = [models.UniqueConstraint(fields=["facility", "term", "field"], name="facility_term_once")]

    def __str__(self):
        return f"{self.term} ({self.get_field_display()})"


class FacilityCorrection(models.Model):
    """A public 「报告信息有误」 report, waiting for a facility data manager (never shown publicly)."""

    FIELD_CHOICES = [("phone", _("Phone number")), ("address", _("Address or location")),
                     ("services", _("Services")), ("hours", _("Opening hours")), ("licence", _("Licence")),
                     ("closed", _("Closed or moved")), ("other", _("Something else"))]
    NEW, RESOLVED, REJECTED = "new", "resolved", "rejected"
    STATUS_CHOICES = [
        (NEW, _("Awaiting review")),
        (RESOLVED, _("Corrected or confirmed")),
        (REJECTED, _("Not a mistake")),
    ]

    facility = models.ForeignKey(Facility, verbose_name=_("Facility"), on_delete=models.CASCADE,
                                 related_name="corrections")
    field = models.CharField(_("What is wrong"), max_length=16, choices=FIELD_CHOICES)
    message = models.TextField(_("Report"), max_length=1000)
    contact = models.CharField(_("Contact of the reporter"), max_length=100, blank=True)
    status = models.CharField(_("Status"), max_length=16, choices=STATUS_CHOICES, default=NEW, db_index=True)
    moderator_note = models.TextField(_("Note of the data manager"), blank=True)
    created_at = models.DateTimeField(_("Reported at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("Resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Resolved by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    panels = [FieldPanel("facility", read_only=True), FieldPanel("field", read_only=True),
              FieldPanel("message", read_only=True), FieldPanel("contact", read_only=True),
              FieldPanel("created_at", read_only=True), FieldPanel("status"), FieldPanel("moderator_note")]

    class Meta:
        ordering = ["status", "-created_at"]
        verbose_name = _("Correction report")
        verbose_name_plural = _("Correction reports")

    def __str__(self):
        return f"{self.facility} · {self.get_field_display()}"
