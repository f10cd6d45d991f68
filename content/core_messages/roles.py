from content.base.roles import EDITOR, MEDICAL_REVIEWER

# Editors draft messages and submit them; only medical reviewers approve and publish.
ROLE_PERMISSIONS = {
    EDITOR: ["core_messages.add_coremessage", "core_messages.change_coremessage", "core_messages.lock_coremessage"],
    MEDICAL_REVIEWER: ["core_messages.add_coremessage", "core_messages.change_coremessage",
                       "core_messages.publish_coremessage", "core_messages.lock_coremessage",
                       "core_messages.unlock_coremessage"],
}
