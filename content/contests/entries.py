"""科普作品征集's data: entries (+ EntryFile in private storage), the rubric (+ criteria), reviewer
profiles, assignments, reviews (each with its own frozen copy of the rubric) and awards. The contest
pages (models.py) and every view use these; this module imports neither."""

import secrets
import uuid
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
)
from wagtail.models import Orderable

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


class Rubric(ClusterableModel):
    """The weighted criteria of one contest. Each review keeps its own copy, taken when it starts."""

    contest = models.OneToOneField(
        "contests.ContestPage", on_delete=models.CASCADE, related_name="rubric", verbose_name=_("Contest")
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
        "contests.ContestPage", on_delete=models.PROTECT, related_name="entries", verbose_name=_("Contest")
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
