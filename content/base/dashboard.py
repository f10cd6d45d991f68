"""「待办」 dashboard panels: what is waiting for a role, each line linking straight to the work.

Feature apps build the sections (their models, their admin URLs) and add a `WaitingPanel` through
Wagtail's `construct_homepage_panels` hook; this module only knows how to show them."""

from dataclasses import dataclass, field

from django.utils.functional import Promise
from wagtail.admin.ui.components import Component

ITEMS_SHOWN = 5


@dataclass
class WaitingItem:
    title: str
    url: str
    note: str = ""


@dataclass
class WaitingSection:
    heading: str | Promise
    items: list[WaitingItem] = field(default_factory=list)
    more_url: str = ""
    empty: str | Promise = ""

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def shown(self) -> list[WaitingItem]:
        return self.items[:ITEMS_SHOWN]


def in_group(user, name: str) -> bool:
    return user.is_active and user.groups.filter(name=name).exists()


class WaitingPanel(Component):
    template_name = "base/admin/waiting_panel.html"

    def __init__(self, name: str, heading, sections: list[WaitingSection], order: int = 90,
                 icon: str = "tasks"):
        self.name = name
        self.heading = heading
        self.sections = sections
        self.order = order
        self.icon = icon

    def get_context_data(self, parent_context=None):
        return {"panel": self, "total": sum(section.count for section in self.sections)}
