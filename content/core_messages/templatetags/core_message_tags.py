from django import template

from content.core_messages.models import CoreMessage, CoreMessagesPage

register = template.Library()


@register.simple_tag(takes_context=True)
def message_card_url(context, message, absolute=False):
    """The message's shareable card on the current site's core messages page (absolute: with the
    site's own scheme and host, for canonical and sharing links)."""
    request = context.get("request")
    page = CoreMessagesPage.for_request(request)
    if page is None:
        return ""
    base = page.get_full_url(request) if absolute else page.get_url(request)
    return base + page.reverse_subpage("message_card", args=[message.pk])


@register.simple_tag(takes_context=True)
def core_messages_page(context):
    return CoreMessagesPage.for_request(context.get("request"))


@register.simple_tag(takes_context=True)
def stage_messages(context, stage):
    """The stage's live messages that apply on this site: national and its own province's."""
    from content.base.provinces import request_province

    province = request_province(context.get("request"))
    messages = CoreMessage.objects.live().for_stage(stage).for_province(province)
    return list(messages.select_related("life_stage"))
