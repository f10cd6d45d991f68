"""Editorial quality in the admin: the overdue-review report and dashboard panel, content checks
for missing sources and alt text, and the 「医学审核」 workflow on new health-content sections."""

from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import AdminOnlyMenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.userbar import ContentCheckerItem

from content.base.dashboard import in_group
from content.base.roles import EDITOR, MEDICAL_REVIEWER

from .dashboard import editor_panel, medical_reviewer_panel
from .reports import OverdueReviewReportView, overdue_content
from .review import require_medical_review

HEALTH_SECTIONS = ("ResourceIndexPage", "CampaignIndexPage", "CoreMessagesPage")


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path("reports/overdue-review/", OverdueReviewReportView.as_view(), name="overdue_review_report"),
        path("reports/overdue-review/results/", OverdueReviewReportView.as_view(results_only=True),
             name="overdue_review_report_results"),
    ]


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return AdminOnlyMenuItem(_("Due for medical review"), reverse("overdue_review_report"), icon_name="warning",
                             order=700)


class OverdueReviewPanel(Component):
    name = "overdue_review"
    order = 150

    def __init__(self, user):
        self.user = user

    def render_html(self, parent_context=None):
        items = overdue_content(self.user)
        return render_to_string("editorial/admin/overdue_review_panel.html",
                                {"items": items[:5], "count": len(items),
                                 "report_url": reverse("overdue_review_report")})


@hooks.register("construct_homepage_panels")
def add_editorial_panels(request, panels):
    user = request.user
    is_editor, is_medical_reviewer = in_group(user, EDITOR), in_group(user, MEDICAL_REVIEWER)
    if is_editor:
        panels.append(editor_panel(user))
    if is_medical_reviewer:
        panels.append(medical_reviewer_panel(user))
    # Health content's review dates concern editors and administrators; contest reviewers, organisers
    # and facility managers have nothing to do with them (medical reviewers see them in their panel).
    if (is_editor or user.is_superuser) and not is_medical_reviewer:
        panels.append(OverdueReviewPanel(user))


class HealthContentChecker(ContentCheckerItem):
    """Wagtail's content checks plus two of ours: every health text cites a source, and every image
    has alternative text (an empty alt is only right for decoration, so it is flagged for a look)."""

    axe_run_only = [*ContentCheckerItem.axe_run_only, "image-alt", "portal-missing-sources", "portal-missing-alt"]
    axe_custom_rules = [
        *ContentCheckerItem.axe_custom_rules,
        {"id": "portal-missing-sources", "impact": "serious", "selector": "[data-content-check~='sources']",
         "excludeHidden": False, "tags": ["portal"], "any": ["portal-has-citation"], "enabled": True},
        {"id": "portal-missing-alt", "impact": "serious", "selector": "main img[alt=''], img[data-missing-alt]",
         "excludeHidden": False, "tags": ["portal"], "any": ["portal-never"], "enabled": True},
    ]
    axe_custom_checks = [
        *ContentCheckerItem.axe_custom_checks,
        {"id": "portal-has-citation", "evaluate": "has-descendant-evaluate", "options": {"selector": "cite"}},
        # An image has no descendants, so this check always fails for the images the rule selects.
        {"id": "portal-never", "evaluate": "has-descendant-evaluate", "options": {"selector": "portal-never"}},
    ]
    axe_messages = {
        **ContentCheckerItem.axe_messages,
        "portal-missing-sources": {"error_name": _("Sources are missing"),
                                   "help_text": _("Cite the guideline, plan or institution the content relies on")},
        "portal-missing-alt": {"error_name": _("Image has no alternative text"),
                               "help_text": _("Describe the image, unless it is purely decorative")},
        "image-alt": {"error_name": _("Image has no alternative text"),
                      "help_text": _("Describe the image, unless it is purely decorative")},
    }


@hooks.register("construct_wagtail_userbar")
def use_health_content_checks(request, items, page):
    for position, item in enumerate(items):
        if isinstance(item, ContentCheckerItem) and not isinstance(item, HealthContentChecker):
            items[position] = HealthContentChecker(in_editor=item.in_editor)


@hooks.register("after_create_page")
def review_new_health_sections(request, page):
    if type(page.specific).__name__ in HEALTH_SECTIONS:
        require_medical_review(pages=[page])
