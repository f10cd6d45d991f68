"""Contests: the section, a call at a given stage with its rubric, entries, assignments and reviews.

Assignments and reviews go through content.contests.services, as the organisers' and reviewers'
screens do, so the conflict rules, the rubric snapshot, the scores and the history entries are the
real ones."""

import uuid
from datetime import timedelta
from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from content.base.roles import CONTEST_ORGANISER, CONTEST_REVIEWER, ensure_roles
from content.contests import services
from content.contests.demo import sample_pdf
from content.contests.entries import Entry, Review, ReviewAssignment, Rubric, RubricCriterion
from content.contests.models import ContestIndexPage, ContestPage

from .accounts import UserFactory
from .pages import PublishedPageFactory, home_page


def pdf_upload(name="作品-张三.pdf"):
    return SimpleUploadedFile(name, sample_pdf(name), content_type="application/pdf")


def days_from_now(days):
    return factory.LazyFunction(lambda: timezone.now() + timedelta(days=days))


class ContestIndexPageFactory(PublishedPageFactory):
    title = "科普作品征集"
    slug = "contests"
    parent = factory.LazyFunction(home_page)

    class Meta:
        model = ContestIndexPage
        django_get_or_create = ("slug", "parent")


class RubricCriterionFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"标准{n}")
    weight = Decimal("1")
    sort_order = factory.Sequence(lambda n: n)

    class Meta:
        model = RubricCriterion


class ContestPageFactory(PublishedPageFactory):
    """A published call. By default it takes entries (opened yesterday, closes in 10 days);
    `in_review=True` makes one whose entries closed yesterday and whose review lasts 10 more days.
    Its rubric: 科学性 (weight 2), 通俗性 (1), 视听质量 (1, may be marked 不适用)."""

    title = factory.LazyAttribute(lambda page: f"征集 {page.slug}")
    slug = factory.Sequence(lambda n: f"contest-{n}")
    theme = "主题"
    rules = "<p>规则</p>"
    opens_at = days_from_now(-1)
    closes_at = days_from_now(10)
    review_ends_at = days_from_now(20)
    reviewers_per_entry = 2
    parent = factory.SubFactory(ContestIndexPageFactory)

    class Meta:
        model = ContestPage

    class Params:
        in_review = factory.Trait(
            opens_at=days_from_now(-20), closes_at=days_from_now(-1), review_ends_at=days_from_now(10)
        )

    @factory.post_generation
    def rubric(contest, create, extracted, **kwargs):
        if not create:
            return
        rubric = Rubric.objects.create(contest=contest)
        for criterion in extracted or [
            {"name": "科学性", "weight": Decimal("2"), "level_5": "权威"},
            {"name": "通俗性"},
            {"name": "视听质量", "allow_na": True},
        ]:
            RubricCriterionFactory(rubric=rubric, **criterion)


class EntryFactory(factory.django.DjangoModelFactory):
    """An entry as the form stores it, with a PDF (`files=False`: none)."""

    contest = factory.SubFactory(ContestPageFactory)
    submission_token = factory.LazyFunction(uuid.uuid4)
    title = "叶酸怎么补"
    category = "article"
    summary = "摘要"
    authors = "张三、李四"
    organisation = "丁中心"
    contact_name = "张三"
    email = "zhangsan@example.org"
    phone = "13800138000"
    licence = factory.SelfAttribute("contest.licence")
    consented_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = Entry
        skip_postgeneration_save = True

    @factory.post_generation
    def files(entry, create, extracted, **kwargs):
        if create and extracted is not False:
            services.store_files(entry, [(pdf_upload(), "pdf")])


class ReviewerFactory(UserFactory):
    """A 评审专家, of `organisation` (which decides their conflicts of interest)."""

    @factory.post_generation
    def organisation(user, create, extracted, **kwargs):
        if not create:
            return
        ensure_roles()
        user.groups.add(Group.objects.get(name=CONTEST_REVIEWER))
        if extracted:
            profile = services.profile_for(user)
            profile.organisation = extracted
            profile.save(update_fields=["organisation"])


class ReviewAssignmentFactory(factory.django.DjangoModelFactory):
    """`reviewer` assigned to `entry` by `by` (the 竞赛组织者 "organiser" unless named), through the
    same rules as the organisers' screen, without the e-mail."""

    entry = factory.SubFactory(EntryFactory)
    reviewer = factory.SubFactory(ReviewerFactory)
    by = factory.LazyFunction(lambda: UserFactory(username="organiser", roles=[CONTEST_ORGANISER]))

    class Meta:
        model = ReviewAssignment

    @classmethod
    def _create(cls, model_class, entry, reviewer, by):
        return services.assign(entry, reviewer, by, notify=False)


class SubmittedReviewFactory(factory.django.DjangoModelFactory):
    """The reviewer of `assignment` opens it and submits every criterion at `level` (1–5)."""

    assignment = factory.SubFactory(ReviewAssignmentFactory)
    level = 4
    comment = ""

    class Meta:
        model = Review

    @classmethod
    def _create(cls, model_class, assignment, level, comment):
        review = services.start_review(assignment)
        scores = {criterion["key"]: level for criterion in review.rubric_snapshot}
        services.save_review(review, scores, comment, assignment.reviewer, submit=True)
        return Review.objects.get(pk=review.pk)
