from content.base.roles import EDITOR, MEDICAL_REVIEWER

# Editors enter and import values (as revisions submitted for review); medical reviewers approve and publish.
ROLE_PERMISSIONS = {
    EDITOR: ["targets.add_indicator", "targets.change_indicator", "targets.lock_indicator"],
    MEDICAL_REVIEWER: [
        "targets.add_indicator",
        "targets.change_indicator",
        "targets.publish_indicator",
        "targets.lock_indicator",
        "targets.unlock_indicator",
    ],
}
