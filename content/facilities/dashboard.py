"""The 机构数据管理员's 「待办」 panel: public correction reports waiting, facilities not verified for 180
days, licences about to expire."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from content.base.dashboard import WaitingItem, WaitingPanel, WaitingSection

from .records import Facility, FacilityCorrection

LICENCE_WARNING_DAYS = 60


def _edit_url(facility) -> str:
    return reverse(Facility.snippet_viewset.get_url_name("edit"), args=[facility.pk])


def facility_manager_panel(user, today=None) -> WaitingPanel:
    today = today or timezone.localdate()
    list_url = reverse(Facility.snippet_viewset.get_url_name("list"))
    stale_days = settings.FACILITY_STALE_AFTER_DAYS
    stale = [
        WaitingItem(f.name, _edit_url(f),
                    _("Last verified %(date)s") % {"date": f"{f.last_verified:%Y-%m-%d}"})
        for f in Facility.objects.filter(last_verified__lt=today - datetime.timedelta(days=stale_days))
        .order_by("last_verified", "name")
    ]
    soon = today + datetime.timedelta(days=LICENCE_WARNING_DAYS)
    expiring = [
        WaitingItem(f.name, _edit_url(f),
                    _("Licence valid until %(date)s") % {"date": f"{f.licence_valid_until:%Y-%m-%d}"})
        for f in Facility.objects.filter(licence_valid_until__gte=today, licence_valid_until__lte=soon)
        .order_by("licence_valid_until", "name")
    ]
    corrections_url = reverse(FacilityCorrection.snippet_viewset.get_url_name("list"))
    reports = [
        WaitingItem(str(report), reverse(FacilityCorrection.snippet_viewset.get_url_name("edit"), args=[report.pk]),
                    _("Reported %(date)s") % {"date": f"{timezone.localtime(report.created_at):%Y-%m-%d}"})
        for report in FacilityCorrection.objects.filter(status=FacilityCorrection.NEW)
        .select_related("facility").order_by("created_at")
    ]
    return WaitingPanel("facilities", _("Waiting for me: facility data"), [
        WaitingSection(_("Correction reports from the public"), reports,
                       more_url=f"{corrections_url}?status={FacilityCorrection.NEW}",
                       empty=_("No correction report is waiting.")),
        WaitingSection(_("Facilities not verified for %(days)s days") % {"days": stale_days}, stale,
                       more_url=f"{list_url}?stale=true", empty=_("Every facility was verified recently.")),
        WaitingSection(_("Licences expiring within %(days)s days") % {"days": LICENCE_WARNING_DAYS}, expiring,
                       empty=_("No licence expires soon.")),
    ], order=80, icon="site")
