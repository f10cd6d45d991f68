"""The admin: target indicators (reported values inline, Chinese labels, list export) and the import."""

from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import HeaderButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from . import admin_views
from .models import Indicator


class IndicatorFilterSet(WagtailFilterSet):
    class Meta:
        model = Indicator
        fields = ["province_code", "life_stage", "live"]


class LatestColumn(Column):
    def get_value(self, instance):
        latest = instance.latest
        gap = instance.gap
        if latest is None:
            return "—"
        return f"{latest.value_text}{instance.unit}（{latest.year}）{gap.text}"


class IndicatorIndexView(IndexView):
    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if admin_views.can_import(self.request.user):
            buttons.append(
                HeaderButton(_("Import values"), url=reverse("targets_import"), icon_name="upload")
            )
        return buttons


class IndicatorViewSet(SnippetViewSet):
    model = Indicator
    icon = "pick"
    menu_label = _("2027 targets")
    menu_order = 215
    add_to_admin_menu = True
    list_display = [
        "name",
        "province_name",
        "life_stage",
        "target_text",
        LatestColumn("latest", label=_("Latest value")),
    ]
    list_per_page = 50
    filterset_class = IndicatorFilterSet
    search_fields = ["name", "code"]
    search_backend_name = None
    ordering = ["province_code", "life_stage__sort_order", "sort_order"]
    list_export = [
        "province_code",
        "code",
        "name",
        "life_stage",
        "unit",
        "direction",
        "target_value",
        "target_year",
        "plan_clause",
        "numerator",
        "denominator",
        "live",
    ]
    export_headings = {
        "province_code": "省份代码",
        "code": "指标代码",
        "name": "指标名称",
        "life_stage": "人生阶段",
        "unit": "单位",
        "direction": "方向",
        "target_value": "目标值",
        "target_year": "目标年份",
        "plan_clause": "规划原文",
        "numerator": "分子",
        "denominator": "分母",
        "live": _("Live"),
    }
    export_filename = "target-indicators"
    inspect_view_enabled = True
    index_view_class = IndicatorIndexView

    def get_queryset(self, request):
        return Indicator.objects.select_related("life_stage").prefetch_related("values")


register_snippet(IndicatorViewSet)


@hooks.register("register_admin_urls")
def register_import_url():
    return [path("targets/import/", admin_views.ImportView.as_view(), name="targets_import")]


@hooks.register("register_log_actions")
def register_import_action(actions):
    actions.register_action("targets.import", _("Import"), _("Reported values imported from a spreadsheet"))
