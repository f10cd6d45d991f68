"""The admin's file import: upload → preview with a report row by row → confirm.

Each app's import (facilities, target values) is a `PreviewImportView` that says what its form
asks besides the file, how a file is checked (`plan`), and how a checked file is written
(`apply_upload`). The view keeps the uploaded bytes in private storage under a random token
between the preview and the confirmation, so the file written is the file that was previewed; the
upload form's other fields travel with the token as hidden fields and are validated again."""

from __future__ import annotations

import copy
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


def confirm_form_class(upload_form_class: type[forms.Form]) -> type[forms.Form]:
    """The confirmation form: the upload's token and file name, and the upload form's other
    fields as hidden inputs (with their validation)."""
    fields = {
        "token": forms.UUIDField(widget=forms.HiddenInput),
        "name": forms.CharField(widget=forms.HiddenInput),
    }
    for name, field in upload_form_class.base_fields.items():
        if isinstance(field, forms.FileField):
            continue
        hidden = copy.deepcopy(field)
        hidden.widget = forms.HiddenInput()
        hidden.required = False
        fields[name] = hidden
    return type(f"Confirm{upload_form_class.__name__}", (forms.Form,), fields)


class PreviewImportView(WagtailAdminTemplateMixin, FormView):
    """Upload (`form_class`, with a `file` field) → preview of `plan(...)` → confirm.

    Subclasses set `template_name` (extending base/admin/preview_import.html), `page_title`,
    `upload_dir`, `url_name` (this view's), `list_url_name` and `list_label` (where a finished
    import leads), and implement `has_permission`, `plan`, `apply_upload` and `done_message`."""

    upload_dir = ""
    url_name = ""
    list_url_name = ""
    list_label = ""
    header_icon = "upload"
    expired_message = _("The upload has expired; please upload the file again.")

    # What each app supplies -------------------------------------------------------------------

    def has_permission(self, user) -> bool:
        raise NotImplementedError

    def plan(self, content: bytes, filename: str, options: dict):
        """Check the whole file and compare it with the database, writing nothing: a plan with
        `ok`, `errors` (row, column, value, reason) and `summary()`."""
        raise NotImplementedError

    def has_writes(self, plan) -> bool:
        """Whether the checked file would change anything (else there is nothing to confirm)."""
        return bool(plan.created or plan.changed)

    def apply_upload(self, path: Path, filename: str, options: dict, user):
        """Write the previewed file, checking it again (the database may have changed since):
        the plan of what was written, or one with the errors found."""
        raise NotImplementedError

    def done_message(self, plan) -> str:
        raise NotImplementedError

    # The flow ---------------------------------------------------------------------------------

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse(self.list_url_name), "label": self.list_label},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(import_url=reverse(self.url_name), **kwargs)

    def upload_path(self, token) -> Path:
        return Path(settings.PRIVATE_MEDIA_ROOT) / self.upload_dir / f"{token}.upload"

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        content = upload.read()
        options = {name: value for name, value in form.cleaned_data.items() if name != "file"}
        plan = self.plan(content, upload.name, options)
        token = uuid.uuid4()
        has_writes = plan.ok and self.has_writes(plan)
        if has_writes:
            path = self.upload_path(token)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        confirm_form = confirm_form_class(self.form_class)(initial={"token": token, "name": upload.name, **options})
        return self.render_preview(form, plan, confirm_form if has_writes else None)

    def render_preview(self, form, plan, apply_form):
        has_writes = plan.ok and self.has_writes(plan)
        context = self.get_context_data(form=form, plan=plan, has_writes=has_writes, apply_form=apply_form)
        return self.render_to_response(context)

    def post(self, request, *args, **kwargs):
        if "token" in request.POST:
            return self.confirm(request)
        return super().post(request, *args, **kwargs)

    def confirm(self, request):
        form = confirm_form_class(self.form_class)(request.POST)
        path = self.upload_path(form.cleaned_data["token"]) if form.is_valid() else None
        if path is None or not path.exists():
            messages.error(request, self.expired_message)
            return redirect(self.url_name)
        options = {name: value for name, value in form.cleaned_data.items() if name not in ("token", "name")}
        plan = self.apply_upload(path, form.cleaned_data["name"], options, request.user)
        if not plan.ok:
            return self.render_preview(self.form_class(), plan, None)
        path.unlink(missing_ok=True)
        messages.success(request, self.done_message(plan))
        return redirect(self.list_url_name)
