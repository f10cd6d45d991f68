from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import organiser_views, reviewer_views, services
from .dashboard import organiser_panel, reviewer_panel
from .entries import ReviewerProfile, Rubric


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, test, **kwargs):
        super().__init__(*args, **kwargs)
        self.test = test

    def is_shown(self, request):
        return self.test(request.user)


class RoleMenuViewSet(ViewSet):
    """An admin section whose menu item only the users passing `user_may_see` get."""

    add_to_admin_menu = True

    @staticmethod
    def user_may_see(user):
        raise NotImplementedError

    def get_menu_item(self, order=None):
        return PermissionMenuItem(
            self.menu_label,
            self.menu_url,
            name=self.menu_name,
            icon_name=self.menu_icon,
            order=self.get_menu_item_order(order),
            test=self.user_may_see,
        )


class ReviewWorkspaceViewSet(RoleMenuViewSet):
    """/admin/reviews/: a reviewer's own assignments, blind."""

    name = "reviews"
    icon = "tasks"
    menu_label = _("My reviews")
    menu_order = 150
    add_to_admin_menu = True

    @staticmethod
    def user_may_see(user):
        return services.is_reviewer(user)

    def get_urlpatterns(self):
        return [
            path("", reviewer_views.ReviewIndexView.as_view(), name="index"),
            path("<rowid:pk>/", reviewer_views.ReviewDetailView.as_view(), name="detail"),
            path("<rowid:pk>/recuse/", reviewer_views.RecuseView.as_view(), name="recuse"),
        ]


class ContestAdminViewSet(RoleMenuViewSet):
    """/admin/contests/: assignment, progress, ranking, awards, export and results, for organisers."""

    name = "contest_admin"
    url_prefix = "contests"
    icon = "clipboard-list"
    menu_label = _("Contests")
    menu_order = 160
    add_to_admin_menu = True

    @staticmethod
    def user_may_see(user):
        return services.can_manage(user)

    def get_urlpatterns(self):
        v = organiser_views
        return [
            path("", v.ContestListView.as_view(), name="index"),
            path("<rowid:contest_id>/", v.ContestDashboardView.as_view(), name="dashboard"),
            path("<rowid:contest_id>/ranking/", v.RankingView.as_view(), name="ranking"),
            path("<rowid:contest_id>/results.csv", v.ResultsCsvView.as_view(), name="results_csv"),
            path("<rowid:contest_id>/assign/auto/", v.AutoAssignView.as_view(), name="auto_assign"),
            path("<rowid:contest_id>/assign/", v.AssignView.as_view(), name="assign"),
            path("<rowid:contest_id>/remind/", v.RemindView.as_view(), name="remind"),
            path("<rowid:contest_id>/results-page/", v.CreateResultsPageView.as_view(), name="results_page"),
            path("<rowid:contest_id>/publish/", v.PublishResultsView.as_view(), name="publish"),
            path("<rowid:contest_id>/entries/<rowid:entry_id>/", v.EntryDetailView.as_view(), name="entry"),
            path(
                "<rowid:contest_id>/entries/<rowid:entry_id>/history/",
                v.EntryHistoryView.as_view(),
                name="entry_history",
            ),
            path("<rowid:contest_id>/entries/<rowid:entry_id>/award/", v.AwardView.as_view(), name="award"),
            path(
                "<rowid:contest_id>/entries/<rowid:entry_id>/library/",
                v.CreateResourceView.as_view(),
                name="create_resource",
            ),
            path(
                "<rowid:contest_id>/assignments/<rowid:assignment_id>/remove/",
                v.UnassignView.as_view(),
                name="unassign",
            ),
            path(
                "<rowid:contest_id>/assignments/<rowid:assignment_id>/reopen/",
                v.ReopenView.as_view(),
                name="reopen",
            ),
        ]


class RubricViewSet(SnippetViewSet):
    model = Rubric
    icon = "list-ol"
    menu_label = _("Rubrics")
    list_display = ["contest"]


class ReviewerProfileViewSet(SnippetViewSet):
    model = ReviewerProfile
    icon = "user"
    menu_label = _("Reviewer profiles")
    list_display = ["user", "organisation", "max_assignments"]
    search_fields = ["organisation"]


class ContestSetupGroup(SnippetViewSetGroup):
    items = (RubricViewSet, ReviewerProfileViewSet)
    menu_icon = "cogs"
    menu_label = _("Contest set-up")
    menu_name = "contest_setup"
    menu_order = 170


@hooks.register("register_admin_viewset")
def register_contest_viewsets():
    return [ReviewWorkspaceViewSet(), ContestAdminViewSet()]


register_snippet(ContestSetupGroup)


# History: every assignment, score submission, reopening, award and publication -----------------


class DataFormatter(LogFormatter):
    """A log message built from the entry's log data (anonymous code, reviewer username, level…)."""

    template = ""

    def format_message(self, log_entry):
        data = {
            "code": "",
            "reviewer": "",
            "level": "",
            "score": "",
            "count": "",
            "reason": "",
            **(log_entry.data or {}),
        }
        if data.get("level"):
            from .entries import Award

            data["level"] = Award.Level(data["level"]).label
        return str(self.template) % data


LOG_ACTIONS = [
    ("contests.entry_submit", _("Submit entry"), _("Entry %(code)s submitted")),
    ("contests.entry_withdraw", _("Withdraw entry"), _("Entry %(code)s withdrawn by the entrant")),
    (
        "contests.files_replace",
        _("Replace files"),
        _("Files of %(code)s replaced by the entrant (%(count)s)"),
    ),
    ("contests.assign", _("Assign reviewer"), _("%(code)s assigned to %(reviewer)s")),
    ("contests.unassign", _("Remove assignment"), _("%(reviewer)s removed from %(code)s")),
    ("contests.recuse", _("Recuse"), _("%(reviewer)s recused from %(code)s: %(reason)s")),
    (
        "contests.review_submit",
        _("Submit review"),
        _("%(reviewer)s submitted a review of %(code)s (%(score)s)"),
    ),
    (
        "contests.review_reopen",
        _("Reopen review"),
        _("Review of %(code)s by %(reviewer)s reopened %(reason)s"),
    ),
    ("contests.award", _("Award"), _("%(code)s awarded %(level)s")),
    ("contests.award_remove", _("Remove award"), _("%(level)s withdrawn from %(code)s")),
    ("contests.remind", _("Send reminders"), _("Reminder sent to %(reviewer)s (%(count)s overdue)")),
    ("contests.results_publish", _("Publish results"), _("Contest results published")),
    ("contests.gate_note", _("Publication note"), _("Note on %(code)s before publication: %(reason)s")),
    ("contests.resource_create", _("Create library resource"), _("Library resource drafted from %(code)s")),
]


@hooks.register("register_log_actions")
def register_contest_log_actions(actions):
    for action, label, message in LOG_ACTIONS:
        actions.register_action(action)(
            type("Formatter", (DataFormatter,), {"label": label, "template": message})
        )


@hooks.register("construct_homepage_panels")
def add_contest_panels(request, panels):
    if services.can_manage(request.user):
        panels.append(organiser_panel(request.user))
    if services.is_reviewer(request.user) and not request.user.is_superuser:
        panels.append(reviewer_panel(request.user))


@hooks.register("before_serve_document", order=-10)
def held_award_documents_are_not_found(document, request):
    """An awarded work's document waiting for its pages is a 404 to everyone but the content roles
    (rather than Wagtail's login redirect for restricted collections): the public learns nothing."""
    from django.http import Http404

    from .storage import is_held
    from .views import may_see_held_media

    if is_held(document.file.name) and not may_see_held_media(request.user):
        raise Http404
