"""科普作品征集: calls for entries, entries kept private, blind review against a weighted rubric, awards.

The page models: ContestIndexPage → ContestPage (one call, with the entry form) → ContestResultsPage.
Their routes call the public views (views.py), which use the data in entries.py (Entry, Rubric,
Review, Award…), never these pages' module. The rules that turn reviews into a ranking and entries
into assignments live in scoring.py and assignment.py."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import AbstractGroupApprovalTask, Page, PagePermissionTester
from wagtail.search import index

from content.base.models import ShareableSlugMixin
from content.base.request_memo import public
from content.base.sharing import SharedPageManager
from search.indexing import analysed_search_fields

from .entries import Award, Category, CategoryListField, Entry, Rubric, Stage, default_categories

ORGANISER_PERMISSION = "contests.manage_contest"


class ContestPagePermissionTester(PagePermissionTester):
    """Contest pages belong to the organisers: anyone else (editors, medical reviewers, reviewers)
    holds no page permission on them, whatever the site-wide page permissions say. A results approver
    still reaches the results page's editor through the workflow task."""

    def __init__(self, user, page):
        super().__init__(user, page)
        if user.is_active and not user.is_superuser and not user.has_perm(ORGANISER_PERMISSION):
            self.permissions = set()


APPROVING_ATTRIBUTE = "_contest_results_approving"


class ResultsPagePermissionTester(ContestPagePermissionTester):
    """Nobody publishes results directly, superusers included: only the results workflow does, as its
    approver approves it after the publication gate (ResultsApprovalTask). Unpublishing is left to
    superusers."""

    def can_publish(self):
        return getattr(self.user, APPROVING_ATTRIBUTE, None) == str(self.page.pk)

    def can_unpublish(self):
        return self.user.is_active and self.user.is_superuser and self.page.live

    def can_publish_subpage(self):
        return False


class ContestIndexPage(ShareableSlugMixin, Page):
    introduction = models.TextField(_("Introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = analysed_search_fields(Page.search_fields + [index.SearchField("introduction")])
    parent_page_types = ["base.HomePage"]
    subpage_types = ["contests.ContestPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Contest index page")

    def permissions_for_user(self, user):
        return ContestPagePermissionTester(user, self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        contests = list(public(ContestPage.objects.child_of(self).live()).order_by("-closes_at"))
        now = timezone.now()
        groups = {stage: [] for stage in (Stage.OPEN, Stage.UPCOMING, Stage.REVIEW, Stage.RESULTS)}
        for contest in contests:
            stage = contest.stage(now)
            groups[Stage.REVIEW if stage == Stage.JUDGING else stage].append(contest)
        context["contest_groups"] = [
            (Stage(stage).label, stage, items) for stage, items in groups.items() if items
        ]
        return context


class ContestPage(ShareableSlugMixin, RoutablePageMixin, Page):
    """One call for entries: its theme, dates, rules, prizes and rubric, and the entry form itself."""

    theme = models.TextField(
        _("Theme of the call"), help_text=_("What the call asks for, in a few sentences.")
    )
    categories = CategoryListField(_("Categories"), default=default_categories)
    opens_at = models.DateTimeField(_("Entries open"))
    closes_at = models.DateTimeField(
        _("Entries close"), help_text=_("Entries after this moment are refused.")
    )
    review_ends_at = models.DateTimeField(_("Review ends"))
    results_on = models.DateField(_("Results announced"), null=True, blank=True)
    rules = RichTextField(_("Rules"), features=["bold", "italic", "link", "ol", "ul", "h3"])
    prizes = RichTextField(_("Prizes"), blank=True, features=["bold", "italic", "link", "ol", "ul"])
    licence = models.CharField(
        _("Publication licence"),
        max_length=200,
        default="知识共享 署名-非商业性使用 4.0 国际许可协议（CC BY-NC 4.0）",
        help_text=_("Entrants agree that awarded works may be published under this licence."),
    )
    privacy_notice = models.TextField(
        _("Personal data notice"),
        default="我们仅为本次征集活动收集作者姓名、单位和联系方式，用于联系作者、评审回避和公布结果。"
        "评审专家看不到您的个人信息。结果公布后，联系方式将按规定期限删除。"
        "您可以通过查询页面撤回作品。依据《中华人民共和国个人信息保护法》处理。",
    )
    reviewers_per_entry = models.PositiveSmallIntegerField(
        _("Reviewers per entry"), default=3, validators=[MinValueValidator(1)]
    )
    max_assignments_per_reviewer = models.PositiveSmallIntegerField(
        _("Maximum assignments per reviewer"), default=20, validators=[MinValueValidator(1)]
    )
    disagreement_threshold = models.DecimalField(
        _("Disagreement threshold"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("25"),
        help_text=_(
            "Entries whose highest and lowest review scores differ by more points than this are flagged."
        ),
    )
    first_prize_quota = models.PositiveSmallIntegerField(_("First prizes"), default=1)
    second_prize_quota = models.PositiveSmallIntegerField(_("Second prizes"), default=2)
    third_prize_quota = models.PositiveSmallIntegerField(_("Third prizes"), default=3)
    excellence_quota = models.PositiveSmallIntegerField(_("Excellence awards"), default=5)

    objects = SharedPageManager()

    content_panels = Page.content_panels + [
        FieldPanel("theme"),
        FieldPanel("categories"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldRowPanel([FieldPanel("review_ends_at"), FieldPanel("results_on")]),
            ],
            heading=_("Dates"),
        ),
        FieldPanel("rules"),
        FieldPanel("prizes"),
        FieldPanel("licence"),
        FieldPanel("privacy_notice"),
    ]
    review_panels = [
        MultiFieldPanel(
            [
                FieldPanel("reviewers_per_entry"),
                FieldPanel("max_assignments_per_reviewer"),
                FieldPanel("disagreement_threshold"),
            ],
            heading=_("Review"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("first_prize_quota"), FieldPanel("second_prize_quota")]),
                FieldRowPanel([FieldPanel("third_prize_quota"), FieldPanel("excellence_quota")]),
            ],
            heading=_("Award quotas"),
        ),
    ]
    search_fields = analysed_search_fields(
        Page.search_fields + [index.SearchField("theme"), index.SearchField("rules")]
    )
    parent_page_types = ["contests.ContestIndexPage"]
    subpage_types = ["contests.ContestResultsPage"]

    class Meta:
        verbose_name = _("Contest")

    def permissions_for_user(self, user):
        return ContestPagePermissionTester(user, self)

    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(review_panels, heading=_("Review and awards")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    def clean(self):
        super().clean()
        from django.core.exceptions import ValidationError

        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("Entries must close after they open.")})
        if self.closes_at and self.review_ends_at and self.review_ends_at <= self.closes_at:
            raise ValidationError({"review_ends_at": _("The review must end after entries close.")})

    # Stages ---------------------------------------------------------------------------------

    def stage(self, now=None):
        now = now or timezone.now()
        if self.results_page is not None:
            return Stage.RESULTS
        if now < self.opens_at:
            return Stage.UPCOMING
        if now < self.closes_at:
            return Stage.OPEN
        if now < self.review_ends_at:
            return Stage.REVIEW
        return Stage.JUDGING

    def get_stage_display(self):
        return Stage(self.stage()).label

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def review_closed(self, now=None):
        return (now or timezone.now()) >= self.review_ends_at

    @cached_property
    def results_page(self):
        return ContestResultsPage.objects.child_of(self).live().first()

    def has_live_results(self) -> bool:
        return ContestResultsPage.objects.child_of(self).live().exists()

    def category_choices(self):
        return [(c.value, c.label) for c in Category if c.value in (self.categories or [])]

    def award_quotas(self):
        return {
            Award.Level.FIRST: self.first_prize_quota,
            Award.Level.SECOND: self.second_prize_quota,
            Award.Level.THIRD: self.third_prize_quota,
            Award.Level.EXCELLENCE: self.excellence_quota,
        }

    @property
    def original(self):
        """The contest itself; for its alias on another provincial site, the contest it shows (which holds
        the rubric and the entries)."""
        from content.base.sharing import original_of

        return original_of(self).specific if self.alias_of_id else self

    def get_rubric(self):
        return Rubric.objects.filter(contest=self.original).prefetch_related("criteria").first()

    @property
    def local_url(self):
        """The page's path on its own site. Page.url is absolute when several sites exist, and a
        form posting to another host name (localhost vs 127.0.0.1) would lose its CSRF cookie."""
        parts = self.get_url_parts()
        return parts[2] if parts else self.url

    @property
    def status_url(self):
        return self.local_url + self.reverse_subpage("status")

    @property
    def status_entry_url(self):
        return self.local_url + self.reverse_subpage("status_entry")

    @property
    def receipt_url(self):
        return self.local_url + self.reverse_subpage("receipt")

    # Public routes: the entry form (this page), the receipt, and the entrant's status page -----

    @path("")
    def entry_form(self, request):
        from .views import entry_form

        return entry_form(request, self)

    @path("received/")
    def receipt(self, request):
        from .views import receipt

        return receipt(request, self)

    @path("status/")
    def status(self, request):
        from .views import status_lookup

        return status_lookup(request, self)

    @path("status/entry/")
    def status_entry(self, request):
        from .views import status_entry

        return status_entry(request, self)


class ContestResultsPage(ShareableSlugMixin, Page):
    """The published results of a call: awarded works with their authors. Goes live through the
    contest results approval workflow."""

    is_contest_results = True  # the publication gate applies to approving it (gate.approval_problems)

    introduction = RichTextField(
        _("Introduction"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = analysed_search_fields(Page.search_fields + [index.SearchField("introduction")])
    parent_page_types = ["contests.ContestPage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Contest results page")

    def permissions_for_user(self, user):
        return ResultsPagePermissionTester(user, self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        contest = self.get_parent().specific.original
        awards = Award.objects.filter(
            entry__contest=contest, entry__status=Entry.Status.SUBMITTED
        ).select_related("entry", "resource_page")
        by_level = {level: [] for level in Award.Level}
        for award in awards:
            by_level[award.level].append(award)
        context["contest"] = contest
        context["award_groups"] = [
            (Award.Level(level).label, items) for level, items in by_level.items() if items
        ]
        return context


# Rubric -------------------------------------------------------------------------------------


# Entries ------------------------------------------------------------------------------------

# Reviewers, assignments and reviews ---------------------------------------------------------


class ResultsApprovalTask(AbstractGroupApprovalTask):
    """The approval step of the results workflow. Like a group approval task, except that it offers
    (and accepts) 「批准」 only while the publication gate is open and only to someone other than the
    person who submitted the results: see gate.approval_problems."""

    def get_actions(self, obj, user):
        actions = super().get_actions(obj, user)
        from .gate import approval_problems

        if actions and approval_problems(obj, user):
            actions = [action for action in actions if action[0] != "approve"]
        return actions

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            from django.core.exceptions import PermissionDenied

            from .gate import approval_problems

            problems = approval_problems(task_state.workflow_state.content_object, user)
            if problems:
                raise PermissionDenied(" ".join(problems))
            # The one moment a results page may be published: while its approver approves it
            # (ResultsPagePermissionTester.can_publish).
            setattr(user, APPROVING_ATTRIBUTE, str(task_state.workflow_state.object_id))
            try:
                return super().on_action(task_state, user, action_name, **kwargs)
            finally:
                delattr(user, APPROVING_ATTRIBUTE)
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return _("Members of the chosen groups approve contest results, once the publication gate is open.")

    class Meta:
        verbose_name = _("Contest results approval task")
        verbose_name_plural = _("Contest results approval tasks")
