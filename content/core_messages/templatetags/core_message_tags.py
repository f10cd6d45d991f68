from django import template

from content.core_messages.models import CoreMessage, CoreMessagesPage

register = template.Library()


@register.simple_tag(takes_context=True)
def message_card_url(context, message):
    """The message's shareable card on the current site's core messages page."""
    page = CoreMessagesPage.for_request(context.get("request"))
    if page is None:
        return ""
    return page.get_url(context.get("request")) + page.reverse_subpage("message_card", args=[message.pk])


@register.simple_tag(takes_context=True)
def core_messages_page(context):
    return CoreMessagesPage.for_request(context.get("request"))


@register.simple_tag
def stage_messages(stage):
    return list(CoreMessage.objects.live().for_stage(stage).select_related("life_stage"))
