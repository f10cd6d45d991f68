"""Import a year's values in the admin: upload → preview (changes or every bad row) → apply; the flow
is content/base/imports.py's."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from content.base.imports import PreviewImportView

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


class ImportView(PreviewImportView):
    form_class = ImportForm
    template_name = "targets/admin/import.html"
    page_title = _("Import reported values")
    upload_dir = UPLOAD_DIR
    url_name = "targets_import"
    list_url_name = "wagtailsnippets_targets_indicator:list"
    list_label = _("Target indicators")

    def has_permission(self, user):
        return can_import(user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(publishes=can_publish(self.request.user), **kwargs)

    def plan(self, content, filename, options):
        return plan_import(content, filename, province=options["province"] or "", year=options["year"])

    def apply_upload(self, path, filename, options, user):
        # Planned again: the database may have changed since the preview.
        plan = self.plan(path.read_bytes(), filename, options)
        if plan.ok:
            apply_plan(plan, user=user)
        return plan

    def done_message(self, plan):
        if can_publish(self.request.user):
            return _("Import done and published: %(summary)s") % {"summary": plan.summary()}
        return _("Import saved and submitted for medical review: %(summary)s") % {"summary": plan.summary()}
