"""Organiser views and operations: assignment, progress and reminders, ranking and awards, the CSV
export, reopening, history, results publication through the workflow, and the contact purge."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from wagtail.log_actions import registry
from wagtail.models import Page

from content.contests import services
from content.contests.entries import Award, Entry, Review, ReviewAssignment
from content.contests.models import ContestPage, ContestResultsPage
from content.contests.privacy import PURGED
from tests.factories.contests import EntryFactory, ReviewAssignmentFactory, SubmittedReviewFactory

pytestmark = pytest.mark.django_db


def actions_for(entry):
    return list(registry.get_logs_for_instance(entry).order_by("timestamp").values_list("action", flat=True))


def test_automatic_assignment_from_the_dashboard(
    client, review_contest, users, django_capture_on_commit_callbacks
):
    entries = [
        EntryFactory(contest=review_contest, organisation=org) for org in ["甲医院", "乙医院", "无关单位", "无关单位"]
    ]
    client.force_login(users["organiser"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/contests/{review_contest.pk}/assign/auto/")
    assert response.status_code == 302
    for entry in entries:
        reviewers = set(entry.assignments.values_list("reviewer__reviewer_profile__organisation", flat=True))
        assert len(reviewers) == 2
        assert entry.organisation not in reviewers  # nobody reviews their own organisation's entry
    loads = [
        ReviewAssignment.objects.filter(reviewer=users[r]).count()
        for r in ("reviewer1", "reviewer2", "reviewer3")
    ]
    assert max(loads) - min(loads) <= 1
    # each reviewer gets one Chinese email listing the anonymous codes only
    assert sorted(m.to[0] for m in mail.outbox) == [
        "reviewer1@example.org",
        "reviewer2@example.org",
        "reviewer3@example.org",
    ]
    assert all("评审" in m.subject and "张三" not in m.body for m in mail.outbox)
    assert actions_for(entries[0]).count("contests.assign") == 2


def test_auto_assignment_respects_the_maximum_and_reports_the_shortfall(client, review_contest, users):
    ContestPage.objects.filter(pk=review_contest.pk).update(max_assignments_per_reviewer=1)
    for _ in range(3):
        EntryFactory(contest=review_contest, organisation="")
    client.force_login(users["organiser"])
    response = client.post(f"/admin/contests/{review_contest.pk}/assign/auto/", follow=True)
    assert ReviewAssignment.objects.count() == 3
    assert "W" in response.content.decode()  # the shortfall message names entry codes


def test_bulk_assignment_by_hand_skips_conflicts_with_a_message(client, review_contest, users):
    ok = EntryFactory(contest=review_contest, organisation="丁中心")
    conflicted = EntryFactory(contest=review_contest, organisation="甲医院")  # reviewer1's organisation
    client.force_login(users["organiser"])
    response = client.post(
        f"/admin/contests/{review_contest.pk}/assign/",
        {"reviewer": users["reviewer1"].pk, "entries": [ok.pk, conflicted.pk]},
        follow=True,
    )
    assert ok.assignments.filter(reviewer=users["reviewer1"]).exists()
    assert not conflicted.assignments.exists()
    assert conflicted.code in response.content.decode()


def test_declared_conflicts_block_assignment(review_contest, users):
    profile = services.profile_for(users["reviewer2"])
    profile.conflict_organisations = "某某大学\n丁中心"
    profile.save()
    entry = EntryFactory(contest=review_contest, organisation="丁 中心")
    with pytest.raises(services.ContestError):
        services.assign(entry, users["reviewer2"], users["organiser"], notify=False)


def test_only_reviewers_can_be_assigned(review_contest, users):
    entry = EntryFactory(contest=review_contest)
    with pytest.raises(services.ContestError):
        services.assign(entry, users["editor"], users["organiser"], notify=False)


def test_progress_and_reminders_for_overdue_reviews(
    client, review_contest, users, django_capture_on_commit_callbacks
):
    entry = EntryFactory(contest=review_contest)
    late = ReviewAssignmentFactory(entry=entry, reviewer=users["reviewer1"])
    SubmittedReviewFactory(assignment__entry=entry, assignment__reviewer=users["reviewer2"])
    ReviewAssignment.objects.update(due_at=timezone.now() - timedelta(days=1))
    client.force_login(users["organiser"])
    page = client.get(f"/admin/contests/{review_contest.pk}/").content.decode()
    assert "reviewer1" in page and "reviewer2" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/contests/{review_contest.pk}/remind/")
    assert [m.to for m in mail.outbox] == [["reviewer1@example.org"]]
    assert entry.code in mail.outbox[0].body and "逾期" in mail.outbox[0].subject
    late.refresh_from_db()
    assert late.reminded_at is not None


@pytest.fixture
def scored(review_contest, users):
    """Three entries scored by two reviewers; B is disputed (reviewers 40 points apart)."""
    a = EntryFactory(contest=review_contest, title="作品A")
    b = EntryFactory(contest=review_contest, title="作品B")
    c = EntryFactory(
        contest=review_contest, title="作品C", files=False, category="video", video_url="https://v.example/1"
    )
    for entry, (l1, l2) in zip([a, b, c], [(5, 4), (5, 3), (2, 2)], strict=True):
        SubmittedReviewFactory(assignment__entry=entry, assignment__reviewer=users["reviewer1"], level=l1)
        SubmittedReviewFactory(assignment__entry=entry, assignment__reviewer=users["reviewer2"], level=l2)
    return a, b, c


def test_ranking_page_shows_scores_flags_and_ranks(client, review_contest, users, scored):
    a, b, c = scored
    ContestPage.objects.filter(pk=review_contest.pk).update(disagreement_threshold=30)
    client.force_login(users["organiser"])
    html = client.get(f"/admin/contests/{review_contest.pk}/ranking/").content.decode()
    assert html.index(a.code) < html.index(b.code) < html.index(c.code)
    assert "90.00" in html and "80.00" in html and "40.00" in html
    ranked = services.ranking(ContestPage.objects.get(pk=review_contest.pk))
    assert [(i.entry, i.rank, i.aggregate.flagged) for i in ranked] == [
        (a, 1, False),
        (b, 2, True),
        (c, 3, False),
    ]


def test_awards_respect_quotas_and_are_logged(client, review_contest, users, scored):
    a, b, _c = scored
    client.force_login(users["organiser"])
    client.post(f"/admin/contests/{review_contest.pk}/entries/{a.pk}/award/", {"level": "first"})
    response = client.post(
        f"/admin/contests/{review_contest.pk}/entries/{b.pk}/award/", {"level": "first"}, follow=True
    )
    assert Award.objects.get().entry == a
    assert not Award.objects.filter(entry=b).exists()
    assert "1" in response.content.decode()
    client.post(f"/admin/contests/{review_contest.pk}/entries/{b.pk}/award/", {"level": "second"})
    assert Award.objects.get(entry=b).level == "second"
    client.post(f"/admin/contests/{review_contest.pk}/entries/{b.pk}/award/", {"level": ""})
    assert not Award.objects.filter(entry=b).exists()
    assert "contests.award" in actions_for(a)
    assert actions_for(b)[-2:] == ["contests.award", "contests.award_remove"]


def test_results_csv(client, review_contest, users, scored):
    a, b, c = scored
    services.set_award(a, "first", users["organiser"])
    client.force_login(users["organiser"])
    response = client.get(f"/admin/contests/{review_contest.pk}/results.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = response.content
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    header = rows[0]
    assert header[:9] == [
        "名次",
        "匿名编号",
        "作品名称",
        "类别",
        "作者",
        "作者单位",
        "联系人",
        "电子邮箱",
        "电话",
    ]
    assert header[-7:] == ["评审", "得分", "计算方法", "分差", "意见分歧", "同分处理", "奖项"]
    assert len(rows) == 4
    first = rows[1]
    assert first[0] == "1" and first[1] == a.code and first[7] == a.email
    assert "90.00" in first  # aggregate
    assert "100.00" in first and "80.00" in first  # each reviewer's score
    assert first[-1] == "一等奖"


def test_csv_cells_cannot_become_formulas(client, review_contest, users):
    EntryFactory(contest=review_contest, title='=HYPERLINK("http://evil")')
    client.force_login(users["organiser"])
    text = client.get(f"/admin/contests/{review_contest.pk}/results.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_reopening_a_review_is_logged_and_lets_the_reviewer_change_it(client, review_contest, users, scored):
    a, _b, _c = scored
    assignment = a.assignments.get(reviewer=users["reviewer1"])
    client.force_login(users["organiser"])
    client.post(
        f"/admin/contests/{review_contest.pk}/assignments/{assignment.pk}/reopen/", {"reason": "打分有误"}
    )
    review = Review.objects.get(assignment=assignment)
    assert review.status == "draft" and review.total is None
    assert actions_for(a)[-1] == "contests.review_reopen"
    SubmittedReviewFactory(assignment=assignment, level=1)
    assert actions_for(a)[-1] == "contests.review_submit"


def test_history_records_who_did_what(client, review_contest, users, scored):
    a, _b, _c = scored
    client.force_login(users["organiser"])
    html = client.get(f"/admin/contests/{review_contest.pk}/entries/{a.pk}/history/").content.decode()
    assert "reviewer1" in html and "organiser" in html
    logs = registry.get_logs_for_instance(a)
    submit_log = logs.get(action="contests.review_submit", user=users["reviewer1"])
    assert submit_log.data["score"] == "100.00" and submit_log.timestamp
    assert logs.filter(action="contests.assign", user=users["organiser"]).count() == 2
    # no personal data in the log
    assert all("张三" not in str(entry.data) and "example.org" not in str(entry.data) for entry in logs)


def test_results_page_goes_live_through_the_workflow_and_emails_entrants(
    client, review_contest, users, scored, django_capture_on_commit_callbacks
):
    a, b, c = scored
    services.set_award(a, "first", users["organiser"])
    from content.contests.publication import grant_section_publishing

    grant_section_publishing(review_contest.get_parent())
    # the publication gate (test_publication.py): review closed, B's disagreement acknowledged
    closed = timezone.now() - timedelta(hours=1)
    ContestPage.objects.filter(pk=review_contest.pk).update(review_ends_at=closed)
    Entry.objects.filter(pk=b.pk).update(disagreement_note="已讨论")
    client.force_login(users["organiser"])
    response = client.post(f"/admin/contests/{review_contest.pk}/results-page/")
    results = ContestResultsPage.objects.child_of(review_contest).get()
    assert response["Location"] == f"/admin/pages/{results.pk}/edit/"
    assert not results.live and results.title == f"{review_contest.title}评审结果"
    assert "现将获奖作品公布如下" in results.introduction
    assert results.get_workflow().name == "竞赛结果发布审批"
    # an organiser cannot publish it directly
    edit = client.get(f"/admin/pages/{results.pk}/edit/").content.decode()
    assert "action-submit" in edit or "workflow-action" in edit
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        state = results.get_workflow().start(results, users["organiser"])
        task_state = state.current_task_state
        task_state.task.specific.on_action(task_state, users["approver"], "approve")
    results.refresh_from_db()
    assert results.live
    public = client.get(results.url).content.decode()
    assert "作品A" in public and "张三、李四" in public and "作品B" not in public
    # every entrant is told, once; the winner is told their award
    result_mails = [m for m in mail.outbox if m.to == ["zhangsan@example.org"]]
    assert len(result_mails) == 3
    assert any("一等奖" in m.body for m in result_mails)
    assert Entry.objects.filter(result_notified_at__isnull=True).count() == 0
    contest = ContestPage.objects.get(pk=review_contest.pk)
    assert contest.stage() == "results"
    assert (
        registry.get_logs_for_instance(Page.objects.get(pk=contest.pk))
        .filter(action="contests.results_publish")
        .exists()
    )


def test_purge_deletes_contacts_after_the_retention_period_and_keeps_scores(review_contest, users, scored):
    a, _b, _c = scored
    services.set_award(a, "first", users["organiser"])
    results = ContestResultsPage(title="结果", slug="results")
    review_contest.add_child(instance=results)
    results.save_revision().publish()
    ContestResultsPage.objects.filter(pk=results.pk).update(
        first_published_at=timezone.now() - timedelta(days=40)
    )
    out = io.StringIO()
    call_command("purge_contest_contacts", days=60, stdout=out)
    assert Entry.objects.filter(contact_purged_at__isnull=False).count() == 0
    call_command("purge_contest_contacts", days=30, dry_run=True, stdout=out)
    assert Entry.objects.filter(contact_purged_at__isnull=False).count() == 0
    call_command("purge_contest_contacts", days=30, stdout=out)
    a.refresh_from_db()
    assert a.email == "" and a.phone == "" and a.contact_name == PURGED == "已删除" and a.contact_purged_at
    assert a.authors == "张三、李四"  # credited authors stay with the awarded work
    assert Award.objects.filter(entry=a).exists()
    assert Review.objects.filter(assignment__entry=a, total__isnull=False).count() == 2
    assert "3 entries" in out.getvalue()


def library_index():
    from wagtail.models import Site

    from content.library.models import ResourceIndexPage

    home = Site.objects.get(is_default_site=True).root_page
    index = ResourceIndexPage(title="科普资源库", slug="library")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def test_an_awarded_work_becomes_a_draft_library_resource_crediting_its_authors(
    client, review_contest, users, scored
):
    from content.library.models import ResourcePage

    a, b, _c = scored
    index = library_index()
    services.set_award(a, "first", users["organiser"])
    client.force_login(users["organiser"])
    # only awarded works
    assert client.post(f"/admin/contests/{review_contest.pk}/entries/{b.pk}/library/").status_code == 404
    response = client.post(f"/admin/contests/{review_contest.pk}/entries/{a.pk}/library/")
    resource = ResourcePage.objects.get()
    assert response["Location"] == f"/admin/pages/{resource.pk}/edit/"
    assert resource.get_parent().pk == index.pk
    assert not resource.live and resource.title == a.title and resource.format == "article"
    credit = str(resource.body[0].value)
    assert f"<p>作者：张三、李四（丁中心）。本作品获「{review_contest.title}」一等奖，经作者同意按 " in credit
    assert resource.document is not None and resource.document.file.read().startswith(b"%PDF")
    assert Award.objects.get(entry=a).resource_page_id == resource.pk
    assert actions_for(a)[-1] == "contests.resource_create"
    # the same action again does not make a second page
    client.post(f"/admin/contests/{review_contest.pk}/entries/{a.pk}/library/")
    assert ResourcePage.objects.count() == 1
    # reviewers and editors cannot do it
    for role in ("reviewer1", "editor"):
        client.force_login(users[role])
        assert client.post(f"/admin/contests/{review_contest.pk}/entries/{a.pk}/library/").status_code == 403


def test_an_awarded_works_document_stays_private_until_its_library_page_is_published(
    client, review_contest, users, scored, django_capture_on_commit_callbacks
):
    """Issue 14: awarding a work must not make its file public while the library page is a draft
    (tests/contests/test_awarded_files.py follows it to the results' publication)."""
    from content.contests.awarded_resources import create_library_resource
    from content.library.models import ResourcePage

    a, _b, _c = scored
    library_index()
    award = services.set_award(a, "first", users["organiser"])
    resource = create_library_resource(award, users["organiser"])
    url = resource.document.url
    assert resource.document.collection.name == "竞赛获奖作品（待发布）"
    assert client.get(url).status_code == 404  # anonymous: nothing to see
    client.force_login(users["reviewer1"])
    assert client.get(url).status_code == 404
    client.force_login(users["editor"])  # the content roles can check it during medical review
    assert client.get(url).status_code == 200
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        ResourcePage.objects.get(pk=resource.pk).save_revision().publish()
    assert client.get(url).status_code == 404  # the contest's results are not published yet
