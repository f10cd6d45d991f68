"""Fixtures for the contest tests: a contests section, calls at each stage, the roles' accounts."""

import io
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from wagtail.models import Site

from content.base.roles import CONTEST_ORGANISER, CONTEST_REVIEWER, EDITOR, ensure_roles
from content.contests import services
from content.contests.demo import sample_pdf
from content.contests.entries import Entry, Rubric, RubricCriterion
from content.contests.models import ContestIndexPage, ContestPage
from content.contests.roles import CONTEST_RESULTS_APPROVER


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def index(db):
    home = Site.objects.get(is_default_site=True).root_page
    page = ContestIndexPage(title="科普作品征集", slug="contests")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def make_contest(index, slug, *, opens, closes, review_ends, per_entry=2, **fields):
    now = timezone.now()
    contest = ContestPage(
        title=f"征集 {slug}",
        slug=slug,
        theme="主题",
        rules="<p>规则</p>",
        opens_at=now + opens,
        closes_at=now + closes,
        review_ends_at=now + review_ends,
        reviewers_per_entry=per_entry,
        **fields,
    )
    index.add_child(instance=contest)
    contest.save_revision().publish()
    rubric = Rubric.objects.create(contest=contest)
    RubricCriterion.objects.create(
        rubric=rubric, sort_order=0, name="科学性", weight=Decimal("2"), level_5="权威"
    )
    RubricCriterion.objects.create(rubric=rubric, sort_order=1, name="通俗性", weight=Decimal("1"))
    RubricCriterion.objects.create(
        rubric=rubric, sort_order=2, name="视听质量", weight=Decimal("1"), allow_na=True
    )
    return ContestPage.objects.get(pk=contest.pk)


@pytest.fixture
def open_contest(index):
    return make_contest(
        index, "open", opens=-timedelta(days=1), closes=timedelta(days=10), review_ends=timedelta(days=20)
    )


@pytest.fixture
def review_contest(index):
    return make_contest(
        index, "review", opens=-timedelta(days=20), closes=-timedelta(days=1), review_ends=timedelta(days=10)
    )


@pytest.fixture
def users(db):
    groups = ensure_roles()
    User = get_user_model()

    def make(username, group=None, organisation=""):
        user = User.objects.create_user(username, f"{username}@example.org", "pw", first_name=username)
        if group:
            user.groups.add(groups[group])
        if organisation:
            services.profile_for(user).__class__.objects.filter(user=user).update(organisation=organisation)
        return user

    people = {
        "organiser": make("organiser", CONTEST_ORGANISER),
        "editor": make("editor", EDITOR),
        "reviewer1": make("reviewer1", CONTEST_REVIEWER, "甲医院"),
        "reviewer2": make("reviewer2", CONTEST_REVIEWER, "乙医院"),
        "reviewer3": make("reviewer3", CONTEST_REVIEWER, "丙医院"),
        "approver": make("approver", CONTEST_RESULTS_APPROVER),
        "admin": User.objects.create_superuser("admin", "admin@example.org", "pw"),
    }
    return people


def pdf_upload(name="作品-张三.pdf"):
    return SimpleUploadedFile(name, sample_pdf(name), content_type="application/pdf")


def png_bytes(size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(buffer, "PNG")
    return buffer.getvalue()


def make_entry(
    contest, *, organisation="丁中心", title="叶酸怎么补", category="article", files=True, **fields
):
    now = timezone.now()
    entry = Entry.objects.create(
        contest=contest,
        submission_token=uuid.uuid4(),
        title=title,
        category=category,
        summary="摘要",
        authors="张三、李四",
        organisation=organisation,
        contact_name="张三",
        email="zhangsan@example.org",
        phone="13800138000",
        licence=contest.licence,
        consented_at=now,
        **fields,
    )
    if files:
        services.store_files(entry, [(pdf_upload(), "pdf")])
    return entry


def entry_post(contest_token=None, **overrides):
    data = {
        "title": "备孕补叶酸",
        "category": "article",
        "summary": "讲清楚叶酸怎么补。",
        "video_url": "",
        "authors": "张三、李四",
        "organisation": "丁中心",
        "contact_name": "张三",
        "email": "zhangsan@example.org",
        "phone": "13800138000",
        "consent_rules": "on",
        "consent_licence": "on",
        "consent_privacy": "on",
        "website": "",
        "submission_token": str(contest_token or uuid.uuid4()),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
