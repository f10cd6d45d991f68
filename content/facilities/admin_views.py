"""The import in the admin: upload → preview of changes and errors → apply (logged in the history);
the flow is content/base/imports.py's."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from content.base.imports import PreviewImportView

from .importer import plan_import, run_import

UPLOAD_DIR = "facility-imports"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
PREVIEW_LIMIT = 500


def can_import(user) -> bool:
    return user.has_perms(["facilities.add_facility", "facilities.change_facility"])


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Facility list (CSV or XLSX)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}))
    source = forms.CharField(label=_("Source notice"), max_length=200, required=False,
                             help_text=_("e.g. the licensing notice the list was published with"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload


class ImportView(PreviewImportView):
    form_class = ImportForm
    template_name = "facilities/admin/import.html"
    page_title = _("Import facilities")
    upload_dir = UPLOAD_DIR
    url_name = "facilities_import"
    list_url_name = "wagtailsnippets_facilities_facility:list"
    list_label = _("Facilities")

    def has_permission(self, user):
        return can_import(user)

    def get_context_data(self, **kwargs):
        # A national list can hold 100 000 rows: the preview lists the first ones of each group.
        return super().get_context_data(preview_limit=PREVIEW_LIMIT, preview_slice=f":{PREVIEW_LIMIT}",
                                        **kwargs)

    def plan(self, content, filename, options):
        return plan_import(content, filename, options["source"].strip() or None)

    def has_writes(self, plan):
        return plan.has_writes  # a new source notice or verification date is written too

    def apply_upload(self, path, filename, options, user):
        # Streamed through the whole pipeline again, all or nothing.
        with open(path, "rb") as stream:
            return run_import(stream, filename, options["source"].strip() or None, write=True, user=user)

    def done_message(self, plan):
        return _("Import done: %(summary)s") % {"summary": plan.summary()}
