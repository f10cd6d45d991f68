"""Every contest endpoint, as each role would reach it, with hostile or malformed input (issue 18's
walk of the entrant, reviewer, organiser and approver journeys): never a 500, a Chinese message where a
person reads one, nothing written."""

import pytest
from django.test import Client

from content.contests import services
from content.contests.entries import Award, Entry, Review
from tests.factories.contests import EntryFactory

pytestmark = pytest.mark.django_db

HOSTILE = ["abc", "-1", "1.5", "²", "٣", "9" * 30, "", " ", "<script>alert(1)</script>", "1\x00", "１"]
HUGE_ID = 9_223_372_036_854_775_808  # one past the largest 64-bit integer


@pytest.fixture
def world(review_contest, users):
    entry = EntryFactory(contest=review_contest, title="作品甲")
    assignment = services.assign(entry, users["reviewer1"], users["organiser"], notify=False)
    services.start_review(assignment)
    return entry, assignment


def client_for(user=None):
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def server_errors(client, requests):
    failures = []
    for method, url, data in requests:
        response = getattr(client, method)(url, data or {})
        if response.status_code >= 500:
            failures.append((method, url, data, response.status_code))
    return failures


def test_organiser_actions_refuse_malformed_values_without_a_server_error(review_contest, users, world):
    entry, assignment = world
    base = f"/admin/contests/{review_contest.pk}"
    requests = []
    for value in HOSTILE:
        requests += [
            ("post", f"{base}/assign/", {"reviewer": value, "entries": [value]}),
            ("post", f"{base}/assign/", {"reviewer": users["reviewer2"].pk, "entries": [value, entry.pk]}),
            ("post", f"{base}/entries/{entry.pk}/award/", {"level": value}),
            ("post", f"{base}/publish/", {"action": "note", "kind": "shortfall", "entry": value, "reason": "x"}),
            ("post", f"{base}/publish/", {"action": "note", "kind": value, "entry": entry.pk, "reason": "x"}),
            ("post", f"{base}/publish/", {"action": value, "confirm": value}),
            ("post", f"{base}/assignments/{assignment.pk}/reopen/", {"reason": value}),
            ("get", f"{base}/ranking/", {"page": value, "sort": value}),
            ("get", f"{base}/", {"page": value}),
        ]
    for url in (f"/admin/contests/{HUGE_ID}/", f"{base}/entries/{HUGE_ID}/", f"{base}/ranking/?x=%00",
                f"/admin/reviews/{HUGE_ID}/", "/contest-files/00000000-0000-0000-0000-000000000000/"):
        requests.append(("get", url, None))
    requests.append(("post", f"{base}/entries/{HUGE_ID}/award/", {"level": "first"}))
    failures = server_errors(client_for(users["organiser"]), requests)
    assert failures == [], "\n".join(map(repr, failures))
    assert not Award.objects.exists()
    client = client_for(users["organiser"])
    response = client.post(f"{base}/assign/", {"reviewer": "abc", "entries": ["²"]}, follow=True)
    assert "请选择一位评审专家和至少一件作品。" in response.content.decode()
    # control characters never reach the database (PostgreSQL refuses a NUL with a 500)
    note = {"action": "note", "kind": "shortfall", "entry": entry.pk, "reason": "回避\x00\x07"}
    client.post(f"{base}/publish/", note)
    assert Entry.objects.get(pk=entry.pk).review_shortfall_reason == "回避"


def test_reviewer_posts_refuse_malformed_scores_without_a_server_error(users, world):
    entry, assignment = world
    review = Review.objects.get(assignment=assignment)
    keys = [c["key"] for c in review.rubric_snapshot]
    client = client_for(users["reviewer1"])
    requests = []
    for value in HOSTILE:
        scores = {key: value for key in keys}
        requests += [
            ("post", f"/admin/reviews/{assignment.pk}/", {**scores, "action": "submit", "confirmed": "yes"}),
            ("post", f"/admin/reviews/{assignment.pk}/", {**scores, "action": "draft", "comment": value}),
            ("get", "/admin/reviews/", {"page": value}),
        ]
    # recusal with a reason ends the assignment: only the reasons that must be refused
    requests += [("post", f"/admin/reviews/{assignment.pk}/recuse/", {"reason": value}) for value in ("", " ", "\x00")]
    assert server_errors(client, requests) == []
    assert assignment.__class__.objects.get(pk=assignment.pk).status == assignment.Status.ACTIVE
    assert not Review.objects.filter(status=Review.Status.SUBMITTED).exists()
    # a superscript two is not a score: the sheet is refused naming what is missing, in Chinese
    response = client.post(f"/admin/reviews/{assignment.pk}/",
                           {**{key: "²" for key in keys}, "action": "submit", "confirmed": "yes"})
    assert response.status_code == 400 and "尚未评分" in response.content.decode()


def test_the_public_forms_refuse_malformed_values_without_a_server_error(open_contest, review_contest, users):
    from .conftest import entry_post

    entry = EntryFactory(contest=open_contest)
    client = client_for()
    requests = []
    for value in HOSTILE:
        requests += [
            ("post", open_contest.url, {**entry_post(), "category": value, "submission_token": value}),
            ("post", open_contest.url, {**entry_post(), "title": value, "email": value, "phone": value}),
            ("post", f"{open_contest.url}status/", {"tracking_code": value, "email": value}),
            ("post", f"{open_contest.url}status/entry/", {"action": value}),
            ("get", open_contest.url, {"page": value}),
            ("get", f"{open_contest.url}received/", {"code": value}),
            ("get", "/contests/", {"page": value, "stage": value}),
        ]
    assert server_errors(client, requests) == []
    assert Entry.objects.count() == 1 and Entry.objects.get() == entry
