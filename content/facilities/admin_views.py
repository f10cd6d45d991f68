"""The import in the admin: upload → preview of changes and errors → apply (logged in the history)."""

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


class ApplyForm(forms.Form):
    token = forms.UUIDField(widget=forms.HiddenInput)
    name = forms.CharField(widget=forms.HiddenInput)
    source = forms.CharField(widget=forms.HiddenInput, required=False)


def _upload_path(token) -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / UPLOAD_DIR / f"{token}.upload"


class ImportView(WagtailAdminTemplateMixin, FormView):
    form_class = ImportForm
    template_name = "facilities/admin/import.html"
    page_title = _("Import facilities")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not can_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [{"url": reverse("wagtailadmin_home"), "label": _("Home")},
                {"url": reverse("wagtailsnippets_facilities_facility:list"), "label": _("Facilities")},
                {"url": "", "label": self.page_title}]

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        content = upload.read()
        source = form.cleaned_data["source"].strip() or None
        plan = plan_import(content, upload.name, source)
        token = uuid.uuid4()
        if plan.ok and plan.has_writes:
            path = _upload_path(token)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        apply_form = ApplyForm(initial={"token": token, "name": upload.name, "source": source or ""})
        return self.render_to_response(self.get_context_data(form=form, plan=plan, apply_form=apply_form))

    def get_context_data(self, **kwargs):
        # A national list can hold 100 000 rows: the preview lists the first ones of each group.
        return super().get_context_data(preview_limit=PREVIEW_LIMIT, preview_slice=f":{PREVIEW_LIMIT}",
                                        **kwargs)

    def post(self, request, *args, **kwargs):
        if "token" in request.POST:
            return self.apply(request)
        return super().post(request, *args, **kwargs)

    def apply(self, request):
        form = ApplyForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The upload has expired; please upload the file again."))
            return redirect("facilities_import")
        path = _upload_path(form.cleaned_data["token"])
        if not path.exists():
            messages.error(request, _("The upload has expired; please upload the file again."))
            return redirect("facilities_import")
        # Checked again while writing: the database may have changed since the preview.
        with open(path, "rb") as stream:
            plan = run_import(stream, form.cleaned_data["name"], form.cleaned_data["source"] or None,
                              write=True, user=request.user)
        if not plan.ok:
            context = self.get_context_data(form=ImportForm(), plan=plan, apply_form=None)
            return self.render_to_response(context)
        path.unlink(missing_ok=True)
        messages.success(request, _("Import done: %(summary)s") % {"summary": plan.summary()})
        return redirect("wagtailsnippets_facilities_facility:list")
