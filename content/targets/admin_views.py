"""Import a year's values in the admin: upload → preview (changes or every bad row) → apply."""

from __future__ import annotations

import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .importer import apply_plan, can_publish, plan_import
from .models import PROVINCES

UPLOAD_DIR = "target-imports"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def can_import(user) -> bool:
    return user.has_perm("targets.change_indicator")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Reported values (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )
    province = forms.ChoiceField(
        label=_("Province"),
        required=False,
        choices=[("", _("From the file's 省份代码 column"))] + list(PROVINCES.items()),
    )
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("For a file without a 年份 column: the year all its values are for."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class ApplyForm(forms.Form):
    token = forms.UUIDField(widget=forms.HiddenInput)
    name = forms.CharField(widget=forms.HiddenInput)
    province = forms.CharField(widget=forms.HiddenInput, required=False)
    year = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _upload_path(token) -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / UPLOAD_DIR / f"{token}.upload"


class ImportView(WagtailAdminTemplateMixin, FormView):
    form_class = ImportForm
    template_name = "targets/admin/import.html"
    page_title = _("Import reported values")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not can_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("wagtailsnippets_targets_indicator:list"), "label": _("Target indicators")},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(publishes=can_publish(self.request.user), **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        content = upload.read()
        province, year = form.cleaned_data["province"], form.cleaned_data["year"]
        plan = plan_import(content, upload.name, province=province, year=year)
        token = uuid.uuid4()
        if plan.ok and plan.created + plan.changed:
            path = _upload_path(token)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        apply_form = ApplyForm(
            initial={"token": token, "name": upload.name, "province": province, "year": year}
        )
        return self.render_to_response(self.get_context_data(form=form, plan=plan, apply_form=apply_form))

    def post(self, request, *args, **kwargs):
        if "token" in request.POST:
            return self.apply(request)
        return super().post(request, *args, **kwargs)

    def apply(self, request):
        form = ApplyForm(request.POST)
        path = _upload_path(form.cleaned_data["token"]) if form.is_valid() else None
        if path is None or not path.exists():
            messages.error(request, _("The upload has expired; please upload the file again."))
            return redirect("targets_import")
        # Plan again: the database may have changed since the preview.
        plan = plan_import(
            path.read_bytes(),
            form.cleaned_data["name"],
            province=form.cleaned_data["province"] or "",
            year=form.cleaned_data["year"],
        )
        if not plan.ok:
            return self.render_to_response(
                self.get_context_data(form=ImportForm(), plan=plan, apply_form=None)
            )
        apply_plan(plan, user=request.user)
        path.unlink(missing_ok=True)
        if can_publish(request.user):
            messages.success(
                request, _("Import done and published: %(summary)s") % {"summary": plan.summary()}
            )
        else:
            messages.success(
                request,
                _("Import saved and submitted for medical review: %(summary)s") % {"summary": plan.summary()},
            )
        return redirect("wagtailsnippets_targets_indicator:list")
