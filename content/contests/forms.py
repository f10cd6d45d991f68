from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from .entries import CATEGORY_FILE_KINDS, LINK_CATEGORIES, Category, Entry
from .files import KIND_LABELS, validate_upload

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9\- ]{5,18}[0-9]$", _("Enter a phone number, e.g. 13800138000 or 010-12345678.")
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def accepted_types_text():
    """What the form accepts, said before anyone chooses a file: types per category, size per type,
    how many files."""
    from django.template.defaultfilters import filesizeformat

    types = "；".join(
        f"{Category(c).label}：{'、'.join(KIND_LABELS[k] for k in kinds)}"
        for c, kinds in CATEGORY_FILE_KINDS.items()
    )
    by_limit = {}
    for kind, limit in settings.CONTEST_UPLOAD_MAX_BYTES.items():
        by_limit.setdefault(limit, []).append(KIND_LABELS[kind])
    sizes = "；".join(
        f"{'、'.join(labels)} {filesizeformat(limit)}" for limit, labels in sorted(by_limit.items())
    )
    return _("Accepted: %(types)s. Largest file: %(sizes)s. At most %(max)s files.") % {
        "types": types,
        "sizes": sizes,
        "max": settings.CONTEST_UPLOAD_MAX_FILES,
    }


REQUIRED_MESSAGES = {
    "title": _("Please enter the title of the work."),
    "category": _("Please choose a category."),
    "summary": _("Please write a short summary of the work."),
    "authors": _("Please name the authors."),
    "contact_name": _("Please name a contact person."),
    "email": _("Please enter an email address."),
    "phone": _("Please enter a phone number."),
    "consent_rules": _("Please tick the box to accept the rules of this call."),
    "consent_licence": _("Please tick the box to agree to the publication licence."),
    "consent_privacy": _("Please tick the box to agree to the personal data notice."),
    "submission_token": _("This form has expired. Please reload the page and send it again."),
}


class FileCheckMixin:
    """Checks the uploaded files against the category: type by content, size per type, images by Pillow."""

    def check_files(self, files, category):
        if len(files) > settings.CONTEST_UPLOAD_MAX_FILES:
            raise ValidationError(
                _("At most %(max)s files per entry."), params={"max": settings.CONTEST_UPLOAD_MAX_FILES}
            )
        allowed = CATEGORY_FILE_KINDS.get(category, ())
        checked, errors = [], []
        for uploaded in files:
            try:
                checked.append((uploaded, validate_upload(uploaded, allowed)))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return checked


class EntryForm(FileCheckMixin, forms.ModelForm):
    video_url = forms.URLField(
        label=_("Video link"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("For videos and speech recordings, a link to the video instead of a file."),
    )
    files = MultipleFileField(label=_("Files"), required=False)
    consent_rules = forms.BooleanField(label=_("I have read and accept the rules of this call."))
    consent_licence = forms.BooleanField(
        label=_("If my work is awarded, it may be published under the licence above.")
    )
    consent_privacy = forms.BooleanField(
        label=_("I agree that my contact details are processed as the personal data notice above describes.")
    )
    # A field people never see; bots fill every field they find.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    class Meta:
        model = Entry
        fields = [
            "title",
            "category",
            "summary",
            "video_url",
            "authors",
            "organisation",
            "contact_name",
            "email",
            "phone",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "authors": _("Separate several authors with 、"),
            "organisation": _("Used only to keep reviewers from your organisation off your entry."),
        }

    def __init__(self, *args, contest, pending=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.contest = contest
        self.pending = list(pending)  # files kept from the previous post of this form (pending.py)
        for name, message in REQUIRED_MESSAGES.items():
            self.fields[name].error_messages["required"] = message
        self.fields["submission_token"].error_messages["invalid"] = REQUIRED_MESSAGES["submission_token"]
        self.fields["email"].error_messages["invalid"] = _(
            "Enter a valid email address, e.g. name@example.org."
        )
        self.fields["video_url"].error_messages["invalid"] = _(
            "Enter a valid link, e.g. https://v.example.org/123."
        )
        self.fields["category"].error_messages["invalid_choice"] = _(
            "Please choose a category from the list."
        )
        self.fields["category"].choices = [("", "—")] + contest.category_choices()
        self.fields["phone"].validators.append(phone_validator)
        self.fields["files"].help_text = accepted_types_text()
        autocomplete = {
            "contact_name": "name",
            "email": "email",
            "phone": "tel",
            "organisation": "organization",
            "website": "off",
        }
        for name, value in autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = value

    def clean(self):
        data = super().clean()
        category = data.get("category")
        files = data.get("files") or []
        data["checked_files"] = []
        data["use_pending"] = False
        if category and files:
            try:
                data["checked_files"] = self.check_files(files, category)
            except ValidationError as error:
                self.add_error("files", error)
                self.add_error("files", _("Please choose the file again."))
        elif self.pending and not files:
            # the files kept from the previous post, if they still fit the (possibly changed) category
            allowed = CATEGORY_FILE_KINDS.get(category, ()) if category else None
            wrong = [
                item["name"] for item in self.pending if allowed is not None and item["kind"] not in allowed
            ]
            if wrong:
                self.add_error(
                    "files",
                    _("“%(names)s” is not accepted for this category. Please choose the file again.")
                    % {"names": "、".join(wrong)},
                )
            else:
                data["use_pending"] = True
        files = files or (self.pending if data["use_pending"] else [])
        if data.get("video_url") and category and category not in LINK_CATEGORIES:
            self.add_error("video_url", _("Only videos and speech recordings may be given as a link."))
        if category and not files and not data.get("video_url") and "files" not in self.errors:
            self.add_error("files", _("Upload the work as a file, or for a video give its link."))
        return data


class ReplaceFilesForm(FileCheckMixin, forms.Form):
    files = MultipleFileField(label=_("New files"))

    def __init__(self, *args, entry, **kwargs):
        super().__init__(*args, **kwargs)
        self.entry = entry
        self.fields["files"].help_text = "、".join(
            KIND_LABELS[k] for k in CATEGORY_FILE_KINDS[entry.category]
        )

    def clean_files(self):
        files = self.cleaned_data["files"]
        if not files:
            raise ValidationError(_("Choose at least one file."))
        return self.check_files(files, self.entry.category)


class StatusLookupForm(forms.Form):
    tracking_code = forms.CharField(
        label=_("Tracking code"), max_length=20, help_text=_("In the receipt email, e.g. ABCD-EFGH-JKMN")
    )
    email = forms.EmailField(label=_("Email used for the entry"))

    def clean_tracking_code(self):
        # Typed from an e-mail or read aloud: without hyphens, with spaces, in lower case, full width.
        import unicodedata

        raw = unicodedata.normalize("NFKC", self.cleaned_data["tracking_code"]).upper()
        chars = "".join(c for c in raw if c.isascii() and c.isalnum())
        return "-".join(chars[i : i + 4] for i in range(0, len(chars), 4))
