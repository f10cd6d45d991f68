"""「报告信息有误」 (主动接受社会监督): the public reports a wrong phone, address, service list, hours,
licence or a closed facility; the report waits in the admin queue of the 机构数据管理员, who are
e-mailed through the task queue; resolving it marks the facility as verified today. Nothing the
public submits is shown publicly."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from content.contests.ratelimit import hit

MESSAGE_MAX = 1000
CONTACT_MAX = 100
# At most this many reports per address per hour (all facilities together).
REPORTS_PER_HOUR = 5


class CorrectionForm(forms.Form):
    field = forms.ChoiceField(label=gettext_lazy("What is wrong"), widget=forms.RadioSelect,
                              error_messages={"required": gettext_lazy("Choose what is wrong."),
                                              "invalid_choice": gettext_lazy("Choose what is wrong.")})
    message = forms.CharField(
        label=gettext_lazy("What is correct (or what happened)"), widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MESSAGE_MAX, strip=True,
        error_messages={"required": gettext_lazy("Describe what is wrong."),
                        "max_length": gettext_lazy("At most %(limit_value)d characters, please "
                                                   "(you wrote %(show_value)d).")})
    contact = forms.CharField(
        label=gettext_lazy("Your phone or e-mail (optional, only if we may contact you)"), required=False,
        max_length=CONTACT_MAX, strip=True,
        error_messages={"max_length": gettext_lazy("At most %(limit_value)d characters, please.")})

    def __init__(self, *args, **kwargs):
        from .records import FacilityCorrection

        super().__init__(*args, **kwargs)
        self.fields["field"].choices = FacilityCorrection.FIELD_CHOICES

    def clean_message(self):
        message = self.cleaned_data["message"].replace("\x00", "")
        if len(message) < 4:
            raise forms.ValidationError(_("Describe what is wrong in a few words (at least 4 characters)."))
        return message


def submit(request, facility) -> tuple[CorrectionForm, bool]:
    """Validate and store a report; (form, stored). A refused report leaves nothing behind."""
    from .records import FacilityCorrection

    form = CorrectionForm(request.POST)
    if not form.is_valid():
        return form, False
    if not hit("facility-correction", request, REPORTS_PER_HOUR, 3600):
        form.add_error(None, _("Too many reports from your network in the last hour. Please try again later "
                               "or call the consultation line."))
        return form, False
    correction = FacilityCorrection.objects.create(
        facility=facility, field=form.cleaned_data["field"], message=form.cleaned_data["message"],
        contact=form.cleaned_data["contact"])
    notify_managers.enqueue(correction.pk)
    return form, True


def manager_addresses() -> list[str]:
    from django.contrib.auth import get_user_model

    from content.base.roles import FACILITY_MANAGER

    users = get_user_model().objects.filter(groups__name=FACILITY_MANAGER, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


@task()
def notify_managers(correction_id: int) -> int:
    """E-mail the facility data managers about a new report (sent through the task queue)."""
    from django.urls import reverse

    from .records import FacilityCorrection

    correction = FacilityCorrection.objects.select_related("facility").filter(pk=correction_id).first()
    recipients = manager_addresses()
    if correction is None or not recipients:
        return 0
    admin_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "wagtailsnippets_facilities_facilitycorrection:edit", args=[correction.pk])
    subject = _("Facility information reported as wrong: %(name)s") % {"name": correction.facility.name}
    body = _("%(field)s\n\n%(message)s\n\nReview it in the admin: %(url)s") % {
        "field": correction.get_field_display(), "message": correction.message, "url": admin_url}
    return send_mail(subject, body, None, recipients)


def resolve(correction, user=None, *, status=None) -> None:
    """Close a report; a confirmed one means the facility's data was checked today (「最近核实」)."""
    from .records import Facility, FacilityCorrection

    correction.status = status or FacilityCorrection.RESOLVED
    correction.resolved_at = timezone.now()
    correction.resolved_by = user if user is not None and user.is_authenticated else None
    correction.save()
    if correction.status == FacilityCorrection.RESOLVED:
        Facility.objects.filter(pk=correction.facility_id).update(last_verified=timezone.localdate())
