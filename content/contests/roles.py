"""What the contest roles may do. Reviewers hold one permission (on ReviewerProfile, see models.py);
organisers run everything else. Editors get nothing here: they cannot reach entries or results."""

from content.base.roles import CONTEST_ORGANISER, CONTEST_REVIEWER

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
}
