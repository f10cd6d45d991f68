"""iCalendar (RFC 5545) files for campaign events, for phones' and desktops' calendars."""

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event


def calendar_for(campaign, events, request) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//出生缺陷防治科普平台//campaigns//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", campaign.title)
    calendar.add("x-wr-timezone", timezone.get_current_timezone_name())
    page_url = campaign.get_full_url(request)
    host = request.get_host().split(":")[0] if request else "localhost"
    for event in events:
        entry = Event()
        entry.add("uid", f"campaign-event-{event.pk}@{host}")
        entry.add("dtstamp", timezone.now())
        entry.add("dtstart", timezone.localtime(event.starts_at))
        entry.add("dtend", timezone.localtime(event.end))
        entry.add("summary", event.title)
        if event.location:
            entry.add("location", event.location)
        details = [event.description]
        if event.organiser:
            details.append(_("Organiser: %(organiser)s") % {"organiser": event.organiser})
        if event.audience:
            details.append(_("Audience: %(audience)s") % {"audience": event.audience})
        if event.registration_url:
            details.append(_("Registration: %(url)s") % {"url": event.registration_url})
        entry.add("description", "\n".join(part for part in details if part))
        entry.add("url", page_url)
        entry.add("categories", [campaign.day_name])
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar
