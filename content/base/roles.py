"""The portal's roles as Django groups. Each feature app lists the permissions its roles need in
`ROLE_PERMISSIONS` (group name → ["app_label.codename", …]); `ensure_roles` applies them all."""

from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission, Page

from .discovery import project_app_modules

EDITOR = "编辑"
MEDICAL_REVIEWER = "医学审核"
FACILITY_MANAGER = "机构数据管理员"
CONTEST_ORGANISER = "竞赛组织者"
CONTEST_REVIEWER = "评审专家"
ROLES = [EDITOR, MEDICAL_REVIEWER, FACILITY_MANAGER, CONTEST_ORGANISER, CONTEST_REVIEWER]

BASE_PERMISSIONS = {
    EDITOR: ["wagtailadmin.access_admin", "wagtailimages.add_image", "wagtailimages.change_image",
             "wagtailimages.choose_image", "wagtaildocs.add_document", "wagtaildocs.change_document",
             "wagtaildocs.choose_document", "base.add_lifestage", "base.change_lifestage",
             "base.add_topic", "base.change_topic"],
    MEDICAL_REVIEWER: ["wagtailadmin.access_admin", "wagtailimages.choose_image", "wagtaildocs.choose_document"],
    FACILITY_MANAGER: ["wagtailadmin.access_admin"],
    CONTEST_ORGANISER: ["wagtailadmin.access_admin", "wagtailimages.choose_image", "wagtaildocs.choose_document"],
    CONTEST_REVIEWER: ["wagtailadmin.access_admin"],
}

# Page permissions on every site root. Editors draft; medical reviewers approve and publish.
PAGE_PERMISSIONS = {
    EDITOR: ["add_page", "change_page", "lock_page"],
    MEDICAL_REVIEWER: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    CONTEST_ORGANISER: ["add_page", "change_page"],
}


def collect_role_permissions() -> dict[str, list[str]]:
    merged = {role: list(perms) for role, perms in BASE_PERMISSIONS.items()}
    for module in project_app_modules("roles"):
        for role, perms in getattr(module, "ROLE_PERMISSIONS", {}).items():
            merged.setdefault(role, []).extend(perms)
    return merged


def ensure_roles() -> dict[str, Group]:
    """Create the groups and grant their permissions; idempotent."""
    groups = {}
    for role, perms in collect_role_permissions().items():
        group, _ = Group.objects.get_or_create(name=role)
        for dotted in perms:
            app_label, codename = dotted.split(".", 1)
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is None:
                raise LookupError(f"Unknown permission {dotted} for role {role}")
            group.permissions.add(permission)
        groups[role] = group
    for root in Page.objects.filter(depth=2):
        for role, codenames in PAGE_PERMISSIONS.items():
            for codename in codenames:
                permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
                GroupPagePermission.objects.get_or_create(group=groups[role], page=root, permission=permission)
    return groups
