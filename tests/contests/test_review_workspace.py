"""The reviewer workspace: own assignments only, blind, rubric snapshot, independence, recusal."""

from datetime import timedelta

import pytest
from django.utils import timezone

from content.contests import services
from content.contests.entries import Review, ReviewAssignment, RubricCriterion
from content.contests.models import ContestPage
from tests.factories.contests import EntryFactory, ReviewAssignmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(review_contest, users):
    entry = EntryFactory(contest=review_contest, organisation="丁中心", title="唐筛高风险别慌")
    first = ReviewAssignmentFactory(entry=entry, reviewer=users["reviewer1"])
    second = ReviewAssignmentFactory(entry=entry, reviewer=users["reviewer2"])
    return entry, first, second


def scores_for(review, level=4):
    return {c["key"]: level for c in review.rubric_snapshot}


def submit(client, assignment, level=4):
    review = services.start_review(assignment)
    data = {key: str(value) for key, value in scores_for(review, level).items()}
    return client.post(
        f"/admin/reviews/{assignment.pk}/", {**data, "comment": "好", "action": "submit", "confirmed": "yes"}
    )


def test_the_list_shows_only_my_assignments(client, assigned, users):
    entry, first, second = assigned
    other_entry = EntryFactory(contest=entry.contest, title="别人的作品")
    ReviewAssignmentFactory(entry=other_entry, reviewer=users["reviewer3"])
    client.force_login(users["reviewer1"])
    html = client.get("/admin/reviews/").content.decode()
    assert entry.code in html and f"/admin/reviews/{first.pk}/" in html
    assert other_entry.code not in html and f"/admin/reviews/{second.pk}/" not in html


def test_another_reviewers_assignment_is_404(client, assigned, users):
    _entry, first, second = assigned
    client.force_login(users["reviewer1"])
    assert client.get(f"/admin/reviews/{second.pk}/").status_code == 404
    assert client.post(f"/admin/reviews/{second.pk}/", {"action": "submit"}).status_code == 404
    assert client.post(f"/admin/reviews/{second.pk}/recuse/", {"reason": "x"}).status_code == 404
    assert client.get("/admin/reviews/999999/").status_code == 404


def test_the_work_is_shown_blind(client, assigned, users):
    entry, first, _second = assigned
    client.force_login(users["reviewer1"])
    html = client.get(f"/admin/reviews/{first.pk}/").content.decode()
    assert entry.code in html and entry.title in html
    for secret in (
        entry.authors,
        "张三",
        entry.organisation,
        entry.email,
        entry.phone,
        entry.tracking_code,
        "作品-张三.pdf",
    ):
        assert secret not in html
    assert f"{entry.code}-1.pdf" in html


def test_the_file_reaches_the_reviewer_under_an_anonymous_name(client, assigned, users):
    entry, _first, _second = assigned
    client.force_login(users["reviewer1"])
    response = client.get(f"/contest-files/{entry.files.get().key}/")
    assert response.status_code == 200
    assert "张三" not in response["Content-Disposition"]
    assert entry.code in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_draft_then_submit(client, assigned, users):
    _entry, first, _second = assigned
    client.force_login(users["reviewer1"])
    review = services.start_review(first)
    keys = [c["key"] for c in review.rubric_snapshot]
    response = client.post(f"/admin/reviews/{first.pk}/", {keys[0]: "5", "action": "save"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == Review.Status.DRAFT and review.scores == {keys[0]: 5}
    # submitting an incomplete sheet is refused, naming what is missing
    response = client.post(f"/admin/reviews/{first.pk}/", {keys[0]: "5", "action": "submit"})
    assert response.status_code == 400
    assert "尚未评分：通俗性、视听质量。" in response.content.decode()
    # a complete sheet first asks for confirmation (and is kept as a draft meanwhile)
    sheet = {keys[0]: "5", keys[1]: "3", keys[2]: "na", "comment": "清楚"}
    response = client.post(f"/admin/reviews/{first.pk}/", {**sheet, "action": "submit"})
    html = response.content.decode()
    assert response.status_code == 200 and "确认提交评分？" in html and "86.67" in html
    assert 'name="confirmed" value="yes"' in html
    review.refresh_from_db()
    assert review.status == Review.Status.DRAFT and review.scores == {keys[0]: 5, keys[1]: 3, keys[2]: None}
    response = client.post(f"/admin/reviews/{first.pk}/", {**sheet, "action": "submit", "confirmed": "yes"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == Review.Status.SUBMITTED
    assert str(review.total) == "86.67"  # (2·5/5 + 1·3/5) / 3 × 100, N/A left out
    # and it cannot be changed afterwards
    client.post(f"/admin/reviews/{first.pk}/", {keys[0]: "1", keys[1]: "1", keys[2]: "1", "action": "submit"})
    review.refresh_from_db()
    assert str(review.total) == "86.67"


def test_na_is_refused_where_the_rubric_does_not_allow_it(client, assigned, users):
    _entry, first, _second = assigned
    client.force_login(users["reviewer1"])
    review = services.start_review(first)
    keys = [c["key"] for c in review.rubric_snapshot]
    response = client.post(
        f"/admin/reviews/{first.pk}/", {keys[0]: "na", keys[1]: "3", keys[2]: "3", "action": "submit"}
    )
    assert response.status_code == 400
    review.refresh_from_db()
    assert review.status == Review.Status.DRAFT


def test_editing_the_rubric_does_not_change_a_started_review(client, assigned, users):
    entry, first, _second = assigned
    client.force_login(users["reviewer1"])
    client.get(f"/admin/reviews/{first.pk}/")  # starts the review
    rubric = entry.contest.get_rubric()
    criterion = rubric.criteria.first()
    criterion.name = "改过的名称"
    criterion.weight = 10
    criterion.save()
    RubricCriterion.objects.create(rubric=rubric, name="新增标准", weight=1)
    html = client.get(f"/admin/reviews/{first.pk}/").content.decode()
    assert "科学性" in html and "改过的名称" not in html and "新增标准" not in html
    assert submit(client, first).status_code == 302
    review = Review.objects.get(assignment=first)
    assert len(review.rubric_snapshot) == 3 and review.total is not None


def test_others_scores_only_after_own_submission_and_the_review_stage_closed(client, assigned, users):
    entry, first, second = assigned
    client.force_login(users["reviewer2"])
    assert submit(client, second, level=2).status_code == 302
    other_total = str(Review.objects.get(assignment=second).total)

    client.force_login(users["reviewer1"])
    page = client.get(f"/admin/reviews/{first.pk}/").content.decode()
    assert other_total not in page and "评审专家 A" not in page and "Reviewer A" not in page
    submit(client, first, level=4)
    page = client.get(f"/admin/reviews/{first.pk}/").content.decode()
    assert other_total not in page  # review stage still open

    ContestPage.objects.filter(pk=entry.contest.pk).update(
        review_ends_at=timezone.now() - timedelta(minutes=1)
    )
    page = client.get(f"/admin/reviews/{first.pk}/").content.decode()
    assert other_total in page
    assert "reviewer2" not in page  # shown as "Reviewer A", not by name


def test_closed_stage_alone_does_not_show_others_to_a_reviewer_who_has_not_submitted(client, assigned, users):
    entry, first, second = assigned
    client.force_login(users["reviewer2"])
    submit(client, second, level=2)
    other_total = str(Review.objects.get(assignment=second).total)
    ContestPage.objects.filter(pk=entry.contest.pk).update(
        review_ends_at=timezone.now() - timedelta(minutes=1)
    )
    client.force_login(users["reviewer1"])
    assert other_total not in client.get(f"/admin/reviews/{first.pk}/").content.decode()


def test_recusal_ends_the_assignment_and_reassigns(client, assigned, users):
    entry, first, _second = assigned
    client.force_login(users["reviewer1"])
    client.get(f"/admin/reviews/{first.pk}/")
    response = client.post(f"/admin/reviews/{first.pk}/recuse/", {"reason": "认识作者"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == ReviewAssignment.Status.RECUSED
    assert not Review.objects.filter(assignment=first).exists()
    active = set(entry.assignments.filter(status="active").values_list("reviewer__username", flat=True))
    assert active == {"reviewer2", "reviewer3"}
    assert client.get(f"/admin/reviews/{first.pk}/").status_code == 404
    # and the recused reviewer can never be given it again
    with pytest.raises(services.ContestError):
        services.assign(entry, users["reviewer1"], users["organiser"], notify=False)


def test_recusal_needs_a_reason(client, assigned, users):
    _entry, first, _second = assigned
    client.force_login(users["reviewer1"])
    client.post(f"/admin/reviews/{first.pk}/recuse/", {"reason": " "})
    first.refresh_from_db()
    assert first.status == ReviewAssignment.Status.ACTIVE


def test_a_withdrawn_entry_disappears_from_the_workspace(client, assigned, users):
    entry, first, _second = assigned
    entry.status = "withdrawn"
    entry.save()
    client.force_login(users["reviewer1"])
    assert entry.code not in client.get("/admin/reviews/").content.decode()
    assert client.get(f"/admin/reviews/{first.pk}/").status_code == 404


def test_an_image_is_previewed_inline_for_the_reviewer(client, review_contest, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .conftest import png_bytes

    entry = EntryFactory(contest=review_contest, category="poster", files=False)
    services.store_files(entry, [(SimpleUploadedFile("海报-张三.png", png_bytes()), "png")])
    assignment = ReviewAssignmentFactory(entry=entry, reviewer=users["reviewer1"])
    client.force_login(users["reviewer1"])
    html = client.get(f"/admin/reviews/{assignment.pk}/").content.decode()
    key = entry.files.get().key
    assert f'<img src="/contest-files/{key}/" alt="作品 {entry.code} 的第 1 个文件"' in html
    image = client.get(f"/contest-files/{key}/")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"


def test_the_reviewer_dashboard_has_no_medical_review_panel(client, users):
    client.force_login(users["reviewer1"])
    html = client.get("/admin/").content.decode()
    assert "待医学复审" not in html
    client.force_login(users["editor"])
    assert "待医学复审" in client.get("/admin/").content.decode()


def pdf_poster(review_contest, data=None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from content.contests.demo import sample_pdf

    entry = EntryFactory(contest=review_contest, category="poster", files=False)
    services.store_files(entry, [(SimpleUploadedFile("海报-张三.pdf", data or sample_pdf("海报")), "pdf")])
    return entry


def test_a_pdf_poster_is_previewed_by_its_first_page_for_reviewers_and_organisers(
    client, review_contest, users, private_media
):
    import io

    from PIL import Image

    entry = pdf_poster(review_contest)
    assignment = services.assign(entry, users["reviewer1"], users["organiser"], notify=False)
    key = entry.files.get().key
    preview_url = f"/contest-files/{key}/preview.png"
    client.force_login(users["reviewer1"])
    html = client.get(f"/admin/reviews/{assignment.pk}/").content.decode()
    assert f'<img src="{preview_url}" alt="作品 {entry.code} 的第 1 个文件"' in html
    assert "PDF 第一页预览。打开文件可查看全部页面。" in html
    response = client.get(preview_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff" and "sandbox" in response["Content-Security-Policy"]
    page = Image.open(io.BytesIO(response.content))
    assert page.format == "PNG" and abs(page.width / page.height - 612 / 792) < 0.01  # the page, in proportion
    assert page.convert("L").getextrema()[0] < 128  # the page's text is drawn, not a blank sheet
    assert (private_media / "contests" / "previews" / f"{key}.png").exists()  # rendered once, kept privately
    # the PDF itself is still served as detected, inline, never sniffed
    pdf = client.get(f"/contest-files/{key}/")
    assert pdf["Content-Type"] == "application/pdf" and pdf["X-Content-Type-Options"] == "nosniff"
    assert not pdf["Content-Disposition"].startswith("attachment")

    client.force_login(users["organiser"])
    html = client.get(f"/admin/contests/{review_contest.pk}/entries/{entry.pk}/").content.decode()
    assert f'<img src="{preview_url}" alt="海报-张三.pdf"' in html
    assert client.get(preview_url).status_code == 200

    # the preview is as private as the file: not for another reviewer, an editor or the public
    for role in ("reviewer2", "editor"):
        client.force_login(users[role])
        assert client.get(preview_url).status_code == 404
    client.logout()
    assert client.get(preview_url).status_code == 404

    # withdrawing or replacing deletes it with the file
    from content.contests.services import delete_stored

    delete_stored([entry.files.get()])
    assert not (private_media / "contests" / "previews" / f"{key}.png").exists()


def test_a_damaged_pdf_has_no_preview_but_the_review_page_works(client, review_contest, users):
    entry = pdf_poster(review_contest, data=b"%PDF-1.4\n" + b"\x00garbage" * 50)
    assignment = services.assign(entry, users["reviewer1"], users["organiser"], notify=False)
    client.force_login(users["reviewer1"])
    assert client.get(f"/admin/reviews/{assignment.pk}/").status_code == 200
    key = entry.files.get().key
    assert client.get(f"/contest-files/{key}/preview.png").status_code == 404
    assert client.get(f"/contest-files/{key}/").status_code == 200  # the file itself can still be opened
