"""Who reaches what: anonymous, entrant, each reviewer, organiser, editor × every contest view and file.

Expected answers: 200 allowed; 404 a private thing that is not yours (reviewers, files); 403 the
organisers' or reviewers' area for an account without the role; login redirect (302) for the
anonymous in the admin."""

import pytest

from content.contests import services
from content.contests.entries import Review
from tests.factories.contests import EntryFactory, ReviewAssignmentFactory

pytestmark = pytest.mark.django_db

ALLOW, HIDDEN, FORBIDDEN, LOGIN = 200, 404, 403, 302
DENIED = "denied"  # Wagtail's own answer to PermissionDenied: back to the dashboard with a message
ROLES = ["anonymous", "entrant", "reviewer1", "reviewer2", "reviewer3", "organiser", "editor", "approver"]


@pytest.fixture
def world(review_contest, users):
    entry = EntryFactory(contest=review_contest, organisation="丁中心")
    other = EntryFactory(contest=review_contest, organisation="戊中心", title="另一件")
    a1 = ReviewAssignmentFactory(entry=entry, reviewer=users["reviewer1"])
    a2 = ReviewAssignmentFactory(entry=entry, reviewer=users["reviewer2"])
    ReviewAssignmentFactory(entry=other, reviewer=users["reviewer3"])
    services.start_review(a1)
    return {
        "contest": review_contest,
        "entry": entry,
        "other": other,
        "a1": a1,
        "a2": a2,
        "file": entry.files.get(),
        "other_file": other.files.get(),
    }


def as_role(client, role, users, world):
    if role == "entrant":
        client.post(
            world["contest"].status_url,
            {"tracking_code": world["entry"].tracking_code, "email": world["entry"].email},
        )
    elif role != "anonymous":
        client.force_login(users[role])
    return client


def expected(matrix, role):
    return dict(zip(ROLES, matrix, strict=True))[role]


ORGANISERS_ONLY = [LOGIN, LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, ALLOW, FORBIDDEN, FORBIDDEN]
VIEWS = [
    # (url template, GET answers for anonymous, entrant, reviewer1, reviewer2, reviewer3, organiser, editor,
    #  approver)
    ("/admin/reviews/", [LOGIN, LOGIN, ALLOW, ALLOW, ALLOW, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    ("/admin/reviews/{a1}/", [LOGIN, LOGIN, ALLOW, HIDDEN, HIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    ("/admin/reviews/{a2}/", [LOGIN, LOGIN, HIDDEN, ALLOW, HIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    ("/admin/contests/", [LOGIN, LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, ALLOW, FORBIDDEN, FORBIDDEN]),
    ("/admin/contests/{contest}/", ORGANISERS_ONLY),
    ("/admin/contests/{contest}/ranking/", ORGANISERS_ONLY),
    (
        "/admin/contests/{contest}/results.csv",
        [LOGIN, LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, ALLOW, FORBIDDEN, FORBIDDEN],
    ),
    (
        "/admin/contests/{contest}/entries/{entry}/",
        [LOGIN, LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, ALLOW, FORBIDDEN, FORBIDDEN],
    ),
    (
        "/admin/contests/{contest}/entries/{entry}/history/",
        [LOGIN, LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, ALLOW, FORBIDDEN, FORBIDDEN],
    ),
    ("/contest-files/{file}/", [HIDDEN, ALLOW, ALLOW, ALLOW, HIDDEN, ALLOW, HIDDEN, HIDDEN]),
    ("/contest-files/{other_file}/", [HIDDEN, HIDDEN, HIDDEN, HIDDEN, ALLOW, ALLOW, HIDDEN, HIDDEN]),
    ("{contest_url}", [ALLOW] * 8),
    ("{contest_url}status/", [ALLOW] * 8),
    (
        "/admin/contests/{contest}/publish/",
        [LOGIN, LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, ALLOW, FORBIDDEN, FORBIDDEN],
    ),
    # contest pages' editors (closing date, quotas) are the organisers' alone (issue 14)
    ("/admin/pages/{contest}/edit/", [LOGIN, LOGIN, DENIED, DENIED, DENIED, ALLOW, DENIED, DENIED]),
    ("/admin/pages/{index}/edit/", [LOGIN, LOGIN, DENIED, DENIED, DENIED, ALLOW, DENIED, DENIED]),
    # the library's overdue-review report is for people who look after content
    ("/admin/reports/overdue-review/", [LOGIN, LOGIN, DENIED, DENIED, DENIED, ALLOW, ALLOW, DENIED]),
]


def fill(template, world):
    return template.format(
        a1=world["a1"].pk,
        a2=world["a2"].pk,
        contest=world["contest"].pk,
        index=world["contest"].get_parent().pk,
        entry=world["entry"].pk,
        file=world["file"].key,
        other_file=world["other_file"].key,
        contest_url=world["contest"].url,
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("template, answers", VIEWS, ids=[v[0] for v in VIEWS])
def test_get_matrix(client, users, world, role, template, answers):
    as_role(client, role, users, world)
    response = client.get(fill(template, world))
    want = expected(answers, role)
    if want == DENIED:
        assert (response.status_code, response.get("Location")) in ((302, "/admin/"), (403, None)), role
        return
    assert response.status_code == want, f"{role} GET {template}"
    if want == LOGIN:
        assert "/admin/login/" in response["Location"]


ACTIONS = [
    "/admin/contests/{contest}/assign/auto/",
    "/admin/contests/{contest}/assign/",
    "/admin/contests/{contest}/remind/",
    "/admin/contests/{contest}/results-page/",
    "/admin/contests/{contest}/entries/{entry}/award/",
    "/admin/contests/{contest}/entries/{entry}/library/",
    "/admin/contests/{contest}/assignments/{a1}/remove/",
    "/admin/contests/{contest}/assignments/{a1}/reopen/",
]


@pytest.mark.parametrize("role", ["anonymous", "entrant", "reviewer1", "reviewer2", "editor", "approver"])
@pytest.mark.parametrize("template", [*ACTIONS, "/admin/contests/{contest}/publish/"])
def test_organiser_actions_refuse_everyone_else_and_change_nothing(client, users, world, role, template):
    as_role(client, role, users, world)
    response = client.post(
        fill(template, world),
        {"level": "first", "reviewer": users["reviewer3"].pk, "entries": [world["entry"].pk]},
    )
    assert response.status_code in (LOGIN, FORBIDDEN)
    assert world["entry"].assignments.filter(status="active").count() == 2
    assert not world["contest"].get_children().exists()
    from content.contests.entries import Award

    assert not Award.objects.exists()


@pytest.mark.parametrize("role", ["reviewer2", "reviewer3", "organiser", "editor"])
def test_nobody_else_can_score_or_recuse_reviewer1s_assignment(client, users, world, role):
    as_role(client, role, users, world)
    review = Review.objects.get(assignment=world["a1"])
    data = {c["key"]: "1" for c in review.rubric_snapshot} | {"action": "submit", "confirmed": "yes"}
    assert client.post(f"/admin/reviews/{world['a1'].pk}/", data).status_code in (
        403,
        404,
    )
    assert client.post(f"/admin/reviews/{world['a1'].pk}/recuse/", {"reason": "x"}).status_code in (403, 404)
    review.refresh_from_db()
    world["a1"].refresh_from_db()
    assert review.status == "draft" and world["a1"].status == "active"


def test_a_recused_reviewer_loses_the_file(client, users, world):
    client.force_login(users["reviewer1"])
    services.recuse(world["a1"], "认识作者", users["reviewer1"])
    assert client.get(f"/contest-files/{world['file'].key}/").status_code == HIDDEN


def test_the_contest_admin_menu_shows_only_to_organisers(client, users, world):
    client.force_login(users["organiser"])
    assert "/admin/contests/" in client.get("/admin/").content.decode()
    client.force_login(users["reviewer1"])
    html = client.get("/admin/").content.decode()
    assert "/admin/contests/" not in html and "/admin/reviews/" in html
    client.force_login(users["editor"])
    html = client.get("/admin/").content.decode()
    assert "/admin/contests/" not in html and "/admin/reviews/" not in html


def test_reviewers_and_editors_see_no_entry_history_in_the_site_history_report(client, users, world):
    client.force_login(users["reviewer1"])
    report = client.get("/admin/reports/site-history/").content.decode()
    assert world["entry"].code not in report
    client.force_login(users["editor"])
    assert world["entry"].code not in client.get("/admin/reports/site-history/").content.decode()
    client.force_login(users["organiser"])
    assert world["entry"].code in client.get("/admin/reports/site-history/").content.decode()
