"""Fixtures for the contest tests: a contests section, calls at each stage, the roles' accounts
(built with tests/factories/contests.py)."""

import io
import uuid

import pytest
from PIL import Image

from content.base.roles import CONTEST_ORGANISER, EDITOR
from content.contests.roles import CONTEST_RESULTS_APPROVER
from tests.factories.accounts import SuperuserFactory, UserFactory
from tests.factories.contests import ContestIndexPageFactory, ContestPageFactory, ReviewerFactory


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
    return ContestIndexPageFactory()


@pytest.fixture
def open_contest(index):
    return ContestPageFactory(parent=index, slug="open")


@pytest.fixture
def review_contest(index):
    return ContestPageFactory(parent=index, slug="review", in_review=True)


@pytest.fixture
def users(db):
    return {
        "organiser": UserFactory(username="organiser", roles=[CONTEST_ORGANISER]),
        "editor": UserFactory(username="editor", roles=[EDITOR]),
        "reviewer1": ReviewerFactory(username="reviewer1", organisation="甲医院"),
        "reviewer2": ReviewerFactory(username="reviewer2", organisation="乙医院"),
        "reviewer3": ReviewerFactory(username="reviewer3", organisation="丙医院"),
        "approver": UserFactory(username="approver", roles=[CONTEST_RESULTS_APPROVER]),
        "admin": SuperuserFactory(),
    }


def png_bytes(size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(buffer, "PNG")
    return buffer.getvalue()


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
