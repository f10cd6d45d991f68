
from content.base.blocks import BaseStreamBlock
from content.core_messages.blocks import CoreMessageBlock


class ResourceStreamBlock(BaseStreamBlock):
    """The shared blocks plus an embedded core health message."""

    core_message = CoreMessageBlock()


