from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from content.base.blocks import BaseStreamBlock, DocumentBlock
from content.base.taxonomy import SERVICE_CHOICES, SERVICE_NAMES
from content.core_messages.blocks import CoreMessageBlock


class FacilityFinderBlock(blocks.StructBlock):
    """A facility search pre-filtered for some services: a plain GET form to /facilities/."""

    title = blocks.CharBlock(label=_("Title"), max_length=80, default="查找提供服务的机构")
    services = blocks.MultipleChoiceBlock(label=_("Services"), choices=SERVICE_CHOICES,
                                          help_text=_("The finder opens filtered for these services."))

    class Meta:
        icon = "site"
        label = _("Facility finder")
        template = "blocks/facility_finder_block.html"
        description = _("A search form and links that open the facility finder filtered for chosen services.")
        preview_value = {"title": "哪里可以做地贫筛查", "services": ["thalassemia"]}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["service_links"] = [(code, SERVICE_NAMES[code]) for code in value["services"] if code in SERVICE_NAMES]
        return context


class CampaignStreamBlock(BaseStreamBlock):
    core_message = CoreMessageBlock()
    finder = FacilityFinderBlock()


class ToolkitItemBlock(DocumentBlock):
    kind = blocks.ChoiceBlock(
        label=_("Kind"), default="poster",
        choices=[("poster", _("Poster")), ("social", _("Social media card")), ("slides", _("Slides")),
                 ("leaflet", _("Leaflet")), ("other", _("Other"))],
    )

    class Meta:
        icon = "download"
        label = _("Toolkit file")
        template = "blocks/toolkit_item_block.html"
        description = _("A poster, social card or slide deck others can download and use.")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["kind_label"] = dict(self.child_blocks["kind"].field.choices).get(value["kind"], "")
        return context


class PartnerBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Name"), max_length=80)
    url = blocks.URLBlock(label=_("Website"), required=False)

    class Meta:
        icon = "group"
        label = _("Partner")
