"""科普作品征集: calls for entries, entries kept private, blind review against a weighted rubric, awards.

Pages: ContestIndexPage → ContestPage (one call, with the entry form) → ContestResultsPage.
Data: Entry (+ EntryFile in private storage), Rubric (+ RubricCriterion), ReviewerProfile,
ReviewAssignment, Review (with its own frozen copy of the rubric) and Award. The rules that turn
reviews into a ranking and entries into assignments live in scoring.py and assignment.py."""

import secrets
import uuid
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import AbstractGroupApprovalTask, Orderable, Page, PagePermissionTester
from wagtail.search import index

from content.base.models import ShareableSlugMixin
from search.indexing import analysed_search_fields

from . import scoring
from .storage import get_private_storage


class Category(models.TextChoices):
    ARTICLE = "article", _("Popular-science article")
    VIDEO = "video", _("Video")
    POSTER = "poster", _("Poster")
    SLIDES = "slides", _("Slide deck")
    SPEECH = "speech", _("Speech recording")


# What each category may upload (kinds are detected from the content, see files.py).
CATEGORY_FILE_KINDS = {
    Category.ARTICLE: ("pdf", "docx"),
    Category.VIDEO: ("mp4",),
    Category.POSTER: ("jpg", "png", "webp", "pdf"),
    Category.SLIDES: ("pptx", "pdf"),
    Category.SPEECH: ("mp4",),
}
# Categories that may give a video link instead of (or as well as) a file.
LINK_CATEGORIES = {Category.VIDEO, Category.SPEECH}


class CategoryListField(models.JSONField):
    """A list of Category codes, edited as checkboxes."""

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=Category.choices,
            widget=forms.CheckboxSelectMultiple,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
        )


def default_categories():
    return [c.value for c in Category]


class Stage(models.TextChoices):
    UPCOMING = "upcoming", _("Opens soon")
    OPEN = "open", _("Open for entries")
    REVIEW = "review", _("In review")
    JUDGING = "judging", _("Review closed, results pending")
    RESULTS = "results", _("Results published")


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
        contests = list(ContestPage.objects.child_of(self).live().public().order_by("-closes_at"))
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
    search_fields = analysed_search_fields(Page.search_fields + [index.SearchField("theme"), index.SearchField("rules")])
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


class Rubric(ClusterableModel):
    """The weighted criteria of one contest. Each review keeps its own copy, taken when it starts."""

    contest = models.OneToOneField(
        ContestPage, on_delete=models.CASCADE, related_name="rubric", verbose_name=_("Contest")
    )
    introduction = models.TextField(_("Guidance for reviewers"), blank=True)

    panels = [
        FieldPanel("contest"),
        FieldPanel("introduction"),
        InlinePanel("criteria", label=_("Criteria"), min_num=1),
    ]

    class Meta:
        verbose_name = _("Rubric")
        verbose_name_plural = _("Rubrics")

    def __str__(self):
        return f"{self.contest.title}"

    def snapshot(self):
        return [criterion.snapshot() for criterion in self.criteria.all()]


class RubricCriterion(Orderable):
    rubric = ParentalKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("Criterion"), max_length=60)
    description = models.CharField(_("What it means"), max_length=250, blank=True)
    weight = models.DecimalField(
        _("Weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    allow_na = models.BooleanField(
        _("May be marked N/A"),
        default=False,
        help_text=_("For criteria that do not apply to every category."),
    )
    level_1 = models.CharField(_("Level 1"), max_length=200, blank=True)
    level_2 = models.CharField(_("Level 2"), max_length=200, blank=True)
    level_3 = models.CharField(_("Level 3"), max_length=200, blank=True)
    level_4 = models.CharField(_("Level 4"), max_length=200, blank=True)
    level_5 = models.CharField(_("Level 5"), max_length=200, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("weight"), FieldPanel("allow_na")]),
        FieldPanel("description"),
        FieldPanel("level_1"),
        FieldPanel("level_2"),
        FieldPanel("level_3"),
        FieldPanel("level_4"),
        FieldPanel("level_5"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("Criterion")

    def __str__(self):
        return self.name

    def snapshot(self):
        return {
            "key": f"c{self.pk}",
            "name": self.name,
            "description": self.description,
            "weight": str(self.weight),
            "allow_na": self.allow_na,
            "levels": {str(level): getattr(self, f"level_{level}") for level in scoring.LEVELS},
        }


# Entries ------------------------------------------------------------------------------------

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud and typed from email


def random_code(length, group=4):
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))
    return "-".join(raw[i : i + group] for i in range(0, length, group))


def new_tracking_code():
    return random_code(12)


def new_anonymous_code():
    return "W" + random_code(6, group=6)


class Entry(models.Model):
    """One work submitted to a call. Reviewers only ever see `code`, never who sent it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    contest = models.ForeignKey(
        ContestPage, on_delete=models.PROTECT, related_name="entries", verbose_name=_("Contest")
    )
    code = models.CharField(
        _("Anonymous code"), max_length=12, unique=True, default=new_anonymous_code, editable=False
    )
    tracking_code = models.CharField(
        _("Tracking code"), max_length=16, unique=True, default=new_tracking_code, editable=False
    )
    submission_token = models.UUIDField(
        unique=True,
        editable=False,
        help_text="One per rendered form: a second post of the same form is the same entry.",
    )
    title = models.CharField(_("Title of the work"), max_length=120)
    category = models.CharField(_("Category"), max_length=16, choices=Category.choices)
    summary = models.TextField(_("Summary of the work"), max_length=1000)
    video_url = models.URLField(_("Video link"), blank=True)
    authors = models.CharField(_("Authors"), max_length=200)
    organisation = models.CharField(_("Author's organisation"), max_length=120, blank=True)
    contact_name = models.CharField(_("Contact person"), max_length=60)
    email = models.EmailField(_("Email address"))
    phone = models.CharField(_("Phone"), max_length=30)
    licence = models.CharField(_("Licence agreed"), max_length=200)
    consented_at = models.DateTimeField(_("Consent given"))
    status = models.CharField(_("Status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(_("Submitted"), default=timezone.now)
    updated_at = models.DateTimeField(_("Updated"), auto_now=True)
    withdrawn_at = models.DateTimeField(_("Withdrawn"), null=True, blank=True)
    result_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    contact_purged_at = models.DateTimeField(_("Contact data deleted"), null=True, blank=True)
    # Recorded by an organiser before results can be published (publication.gate): why this entry has
    # fewer reviews than the contest asks for, and how a flagged disagreement was settled.
    review_shortfall_reason = models.CharField(
        _("Why reviews are missing"), max_length=300, blank=True, editable=False
    )
    disagreement_note = models.CharField(
        _("Disagreement acknowledged"), max_length=300, blank=True, editable=False
    )

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("Entry")
        verbose_name_plural = _("Entries")
        permissions = [
            ("manage_contest", "Can run contests: assign, rank, award, export, submit results"),
            ("approve_results", "Can approve contest results for publication"),
        ]

    def __str__(self):
        # Log entries show this: the anonymous code and the title, never a person.
        return f"{self.code} {self.title}"

    @property
    def is_active(self):
        return self.status == self.Status.SUBMITTED

    def can_be_changed_by_entrant(self, now=None):
        return self.is_active and self.contest.is_open(now)


def entry_file_path(instance, filename):
    # The stored name says nothing about the entrant: the original name is kept in the database.
    return f"contests/{instance.entry.contest_id}/{instance.entry_id}/{uuid.uuid4().hex}.{instance.kind}"


class EntryFile(models.Model):
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(storage=get_private_storage, upload_to=entry_file_path, max_length=200)
    kind = models.CharField(_("Type"), max_length=8)
    # The type detected from the content when the file was checked (files.py): the file is always
    # served as this, never as its uploaded name suggests.
    content_type = models.CharField(_("Content type"), max_length=100, blank=True)
    original_name = models.CharField(_("File name"), max_length=200)
    size = models.PositiveBigIntegerField(_("Size"))
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("Entry file")

    def __str__(self):
        return self.original_name

    def anonymous_name(self, position):
        return f"{self.entry.code}-{position}.{self.kind}"


# Reviewers, assignments and reviews ---------------------------------------------------------


class ReviewerProfile(models.Model):
    """What assignment needs to know about a reviewer: where they work and whom they must not judge."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reviewer_profile",
        verbose_name=_("Reviewer"),
    )
    organisation = models.CharField(_("Reviewer's organisation"), max_length=120, blank=True)
    conflict_organisations = models.TextField(
        _("Declared conflicts"),
        blank=True,
        help_text=_("Other organisations whose entries this reviewer must not review, one per line."),
    )
    max_assignments = models.PositiveSmallIntegerField(
        _("Maximum assignments"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use each contest's maximum."),
    )
    expertise = models.CharField(_("Expertise"), max_length=120, blank=True)

    panels = [
        FieldPanel("user"),
        FieldPanel("organisation"),
        FieldPanel("conflict_organisations"),
        FieldPanel("max_assignments"),
        FieldPanel("expertise"),
    ]

    class Meta:
        verbose_name = _("Reviewer profile")
        verbose_name_plural = _("Reviewer profiles")
        # Reviewers hold their permission on this model, which is never logged, so that Wagtail's
        # site history (filtered by content-type permissions) shows them no entry's history.
        permissions = [("review_entries", "Can review the contest entries assigned to them")]

    def __str__(self):
        return self.user.get_full_name() or self.user.get_username()

    def organisations(self):
        others = [line.strip() for line in self.conflict_organisations.splitlines() if line.strip()]
        return tuple([self.organisation, *others] if self.organisation else others)


class ReviewAssignment(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("In progress")
        RECUSED = "recused", _("Recused")
        REMOVED = "removed", _("Removed")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contest_assignments"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(null=True, blank=True)
    recusal_reason = models.CharField(max_length=300, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "reviewer"], name="contests_one_assignment_per_pair")
        ]
        verbose_name = _("Review assignment")

    def __str__(self):
        return f"{self.entry.code} → {self.reviewer}"

    @property
    def review_or_none(self):
        try:
            return self.review
        except Review.DoesNotExist:
            return None

    def is_overdue(self, now=None):
        review = self.review_or_none
        submitted = review is not None and review.is_submitted
        return (
            self.status == self.Status.ACTIVE
            and not submitted
            and self.due_at is not None
            and (now or timezone.now()) > self.due_at
        )


class Review(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    assignment = models.OneToOneField(ReviewAssignment, on_delete=models.CASCADE, related_name="review")
    rubric_snapshot = models.JSONField(
        help_text="The rubric's criteria as they were when the review started."
    )
    scores = models.JSONField(
        default=dict, blank=True, help_text="criterion key → level 1–5, or null for N/A"
    )
    comment = models.TextField(_("Comments for the organisers"), blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    total = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Review")

    def __str__(self):
        return f"{self.assignment}"

    @property
    def is_submitted(self):
        return self.status == self.Status.SUBMITTED

    def criteria(self):
        return [scoring.Criterion.from_snapshot(c) for c in self.rubric_snapshot]


class Award(models.Model):
    class Level(models.TextChoices):
        FIRST = "first", _("First prize")
        SECOND = "second", _("Second prize")
        THIRD = "third", _("Third prize")
        EXCELLENCE = "excellence", _("Excellence award")

    entry = models.OneToOneField(Entry, on_delete=models.CASCADE, related_name="award")
    level = models.CharField(_("Award"), max_length=16, choices=Level.choices)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    awarded_at = models.DateTimeField(default=timezone.now)
    resource_page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Library resource"),
    )

    class Meta:
        verbose_name = _("Award")

    def __str__(self):
        return f"{self.get_level_display()}: {self.entry}"


class ResultsApprovalTask(AbstractGroupApprovalTask):
    """The approval step of the results workflow. Like a group approval task, except that it offers
    (and accepts) 「批准」 only while the publication gate is open and only to someone other than the
    person who submitted the results: see publication.approval_problems."""

    def get_actions(self, obj, user):
        actions = super().get_actions(obj, user)
        from .publication import approval_problems

        if actions and approval_problems(obj, user):
            actions = [action for action in actions if action[0] != "approve"]
        return actions

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            from django.core.exceptions import PermissionDenied

            from .publication import approval_problems

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
