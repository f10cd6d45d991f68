"""What the 机构数据管理员 (facility data manager) may do: keep the facility list and the service
taxonomy current, including the admin import (which needs add + change on facilities)."""

from content.base.roles import FACILITY_MANAGER

ROLE_PERMISSIONS = {
    FACILITY_MANAGER: [
        "facilities.add_facility", "facilities.change_facility", "facilities.delete_facility",
        "facilities.view_facility", "facilities.add_service", "facilities.change_service",
        "facilities.view_service", "facilities.view_facilitycorrection", "facilities.change_facilitycorrection",
        "facilities.delete_facilitycorrection",
    ],
}
