"""Admin: facilities and services as snippets (filters, expired-licence flag, CSV/XLSX export), the
import (upload → preview → apply) and its entry in the admin history."""

import django_filters
from django.conf import settings
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import HeaderButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from content.base.dashboard import in_group
from content.base.roles import FACILITY_MANAGER

from . import admin_views
from .dashboard import facility_manager_panel
from .records import Facility, FacilityCorrection, Service
from .search.vocabulary import vocabulary_changed


class LicenceStatusColumn(Column):
    def get_value(self, instance):
        if instance.licence_valid_until is None:
            return "—"
        if instance.licence_expired:
            return format_html('<span class="w-status w-status--label">{}</span> {}', _("Expired"),
                               instance.licence_valid_until)
        return str(instance.licence_valid_until)


class FacilityFilterSet(WagtailFilterSet):
    region = django_filters.CharFilter(label=_("Division code (and everything under it)"), method="filter_region")
    service = django_filters.ModelChoiceFilter(label=_("Service"), queryset=Service.objects.all(),
                                               field_name="facility_services__service")
    licence = django_filters.ChoiceFilter(
        label=_("Licence"), method="filter_licence",
        choices=[("current", _("Valid")), ("expired", _("Expired"))],
    )
    stale = django_filters.BooleanFilter(label=_("Not verified recently"), method="filter_stale")
    location_approximate = django_filters.BooleanFilter(label=_("Approximate location"))

    class Meta:
        model = Facility
        fields = ["region", "service", "licence", "stale", "location_approximate"]

    def filter_region(self, queryset, name, value):
        return queryset.in_region(value.strip()) if value.strip().isdigit() else queryset

    def filter_licence(self, queryset, name, value):
        return queryset.licence_expired() if value == "expired" else queryset.licence_current()

    def filter_stale(self, queryset, name, value):
        limit = timezone.localdate() - timezone.timedelta(days=settings.FACILITY_STALE_AFTER_DAYS)
        if value is None:
            return queryset
        return queryset.filter(last_verified__lt=limit) if value else queryset.filter(last_verified__gte=limit)


class FacilityIndexView(IndexView):
    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if admin_views.can_import(self.request.user):
            buttons.append(HeaderButton(_("Import"), url=reverse("facilities_import"), icon_name="upload"))
        return buttons


class FacilityViewSet(SnippetViewSet):
    model = Facility
    icon = "site"
    menu_label = _("Facilities")
    list_display = ["name", "region", "licence_number", LicenceStatusColumn("licence_valid_until",
                                                                            label=_("Licence valid until")),
                    "last_verified"]
    filterset_class = FacilityFilterSet
    search_fields = ["name", "address", "licence_number"]
    search_backend_name = None
    list_per_page = 50
    ordering = ["region_id", "name"]
    list_export = ["name", "region", "address", "phones", "services_text", "licence_number",
                   "licence_issuing_authority", "licence_valid_until", "licence_expired", "free_services_text",
                   "longitude", "latitude", "location_approximate", "website", "opening_hours", "notes",
                   "referral_centre", "source", "last_verified"]
    export_headings = {"services_text": "许可项目", "free_services_text": "免费服务", "licence_expired": _("Expired"),
                       "region": "所在地区", "name": "机构名称", "address": "地址", "phones": "联系电话",
                       "licence_number": "许可证号", "licence_issuing_authority": "发证机关",
                       "licence_valid_until": "有效期至", "longitude": "经度", "latitude": "纬度",
                       "website": "网址", "opening_hours": "开放时间", "notes": "备注",
                       "referral_centre": "对口诊断机构", "source": _("Source"), "last_verified": "最近核实",
                       "location_approximate": _("Location is the region's centre")}
    export_filename = "facilities"

    def get_queryset(self, request):
        return Facility.objects.select_related("region", "region__parent").prefetch_related(
            "facility_services__service"
        )

    index_view_class = FacilityIndexView


class ServiceViewSet(SnippetViewSet):
    model = Service
    icon = "list-ul"
    menu_label = _("Services")
    list_display = ["name", "code", "aliases"]
    search_fields = ["name", "code", "aliases"]
    search_backend_name = None
    sort_order_field = "sort_order"


class FacilityCorrectionViewSet(SnippetViewSet):
    """The moderation queue of 「报告信息有误」: new reports first, the facility linked."""

    model = FacilityCorrection
    icon = "warning"
    menu_label = _("Correction reports")
    list_display = ["facility", "field", "status", "created_at"]
    list_filter = ["status", "field"]
    search_fields = ["message", "facility__name"]
    search_backend_name = None
    ordering = ["status", "-created_at"]
    add_to_admin_menu = False

    def get_queryset(self, request):
        return FacilityCorrection.objects.select_related("facility")


class FacilityGroup(SnippetViewSetGroup):
    items = (FacilityViewSet, ServiceViewSet, FacilityCorrectionViewSet)
    menu_icon = "site"
    menu_label = _("Facility directory")
    menu_name = "facility-directory"
    menu_order = 120


register_snippet(FacilityGroup)


@hooks.register("register_admin_urls")
def register_import_url():
    return [path("facilities/import/", admin_views.ImportView.as_view(), name="facilities_import")]


@hooks.register("register_log_actions")
def register_import_action(actions):
    actions.register_action("facilities.import", _("Import"), _("Imported from a facility list"))


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
@hooks.register("after_delete_snippet")
def service_vocabulary_follows_edits(request, instance):
    instances = instance if isinstance(instance, list | tuple) else [instance]
    if any(isinstance(i, Service) for i in instances):
        vocabulary_changed()
        if settings.ELASTICSEARCH_URL:
            from .tasks import rebuild_elasticsearch_index

            rebuild_elasticsearch_index.enqueue()


@hooks.register("after_edit_snippet")
def resolving_a_report_verifies_the_facility(request, instance):
    """A report moved out of 新 by a data manager: closed, and 「最近核实」 is today if it was confirmed."""
    if isinstance(instance, FacilityCorrection) and instance.status != FacilityCorrection.NEW \
            and instance.resolved_at is None:
        from .corrections import resolve

        resolve(instance, request.user, status=instance.status)


def finder_links_in(page) -> list[list[str]]:
    """The service lists of the finder blocks (「查找提供相关服务的机构」) in a page's StreamFields."""
    from wagtail.fields import StreamField

    found = []
    for field in page._meta.get_fields():
        if not isinstance(field, StreamField):
            continue
        for block in getattr(page, field.name) or []:
            value = block.value
            services = value.get("services") if hasattr(value, "get") else None
            if services and block.block_type == "finder":
                found.append([str(code) for code in services])
    return found


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def report_finder_link_counts(request, page):
    """No dead ends: an editor saving a page with a finder link sees how many facilities it finds in the
    site's province (and where the finder will send people if none)."""
    from django.contrib import messages

    from content.base.models import SiteSettings

    from .finder import finder_link_counts
    from .records import Service
    from .regions import directory

    links = finder_links_in(page.specific)
    if not links:
        return
    site = page.get_site()
    province = SiteSettings.for_site(site).province_code if site else None
    province = directory().normalize_code(province) if province else None
    names = dict(Service.objects.values_list("code", "name"))
    for services in links:
        label = "、".join(names.get(code, code) for code in services)
        counts = finder_link_counts(services, province)
        where = directory().name(province) if province else _("all areas")
        if counts["count"]:
            messages.info(request, _("Facility finder link 「%(services)s」: %(count)s facilities in %(area)s.") % {
                "services": label, "count": counts["count"], "area": where})
        elif counts["nearest"]:
            code, n = counts["nearest"]
            messages.warning(request, _("Facility finder link 「%(services)s」 finds no facility in %(area)s: "
                                        "visitors will be sent to %(other)s (%(count)s facilities).") % {
                "services": label, "area": where, "other": directory().name(code), "count": n})
        else:
            messages.error(request, _("Facility finder link 「%(services)s」 finds no listed facility anywhere.") % {
                "services": label})


@hooks.register("construct_homepage_panels")
def add_facility_manager_panel(request, panels):
    if in_group(request.user, FACILITY_MANAGER):
        panels.append(facility_manager_panel(request.user))
