from django.utils.translation import gettext_lazy as _
from wagtail.snippets.blocks import SnippetChooserBlock


class CoreMessageBlock(SnippetChooserBlock):
    """Embeds a core health message on any page; a message that is not live is not shown."""

    def __init__(self, **kwargs):
        super().__init__("core_messages.CoreMessage", **kwargs)

    class Meta:
        icon = "openquote"
        label = _("Core health message")
        template = "blocks/core_message_block.html"
        description = _("Shows one of the core health messages, with its number and source.")
