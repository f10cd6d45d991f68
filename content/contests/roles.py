"""What the contest roles may do. Reviewers hold one permission (on ReviewerProfile, see models.py);
organisers run everything else but cannot publish results: results approvers (a group of their own)
approve them in the results workflow. Editors get nothing here: they cannot reach entries or results,
nor open a contest page's editor (models.ContestPagePermissionTester)."""

from content.base.roles import CONTEST_ORGANISER, CONTEST_REVIEWER

CONTEST_RESULTS_APPROVER = "竞赛结果审批人"

ROLE_PERMISSIONS = {
    CONTEST_ORGANISER: [
        "contests.manage_contest",
        "contests.view_entry",
        "contests.add_rubric",
        "contests.change_rubric",
        "contests.view_rubric",
        "contests.add_reviewerprofile",
        "contests.change_reviewerprofile",
        "contests.view_reviewerprofile",
    ],
    CONTEST_REVIEWER: ["contests.review_entries"],
    CONTEST_RESULTS_APPROVER: ["wagtailadmin.access_admin", "contests.approve_results"],
}
