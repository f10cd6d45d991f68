"""Checks before medical review: when an editor submits health content to the 「医学审核」 workflow,
the form refuses it, with a Chinese message per problem, while a source, a review date, an image's
alternative text is missing or a link points to a page that is unpublished or gone. Saving a draft
is never blocked: these checks run only on 「提交审核」 (submit / resubmit)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.models import Page

SUBMIT_ACTIONS = ("action-submit", "action-restart-workflow")
ANCHOR = re.compile(r"<a\b[^>]*>", re.I)
PAGE_LINK_ID = re.compile(r'\bid="(\d+)"')


def is_submitting(form) -> bool:
    return form.is_bound and any(form.data.get(action) for action in SUBMIT_ACTIONS)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def linked_page_ids(*texts) -> list[int]:
    """Ids of the internal page links (<a linktype="page" id="…">) in rich text or stream data."""
    ids = []
    for text in texts:
        for string in _strings(text):
            for anchor in ANCHOR.findall(string):
                if 'linktype="page"' in anchor and (match := PAGE_LINK_ID.search(anchor)):
                    ids.append(int(match.group(1)))
    return ids


def link_problems(*texts) -> list[str]:
    ids = linked_page_ids(*texts)
    pages = {page.pk: page for page in Page.objects.filter(pk__in=ids)}
    problems = []
    for page_id in dict.fromkeys(ids):
        page = pages.get(page_id)
        if page is None:
            problems.append(_("A link points to a page that no longer exists: "
                              "choose another page or remove the link."))
        elif not page.live:
            problems.append(_("A link points to the unpublished page “%(title)s”: "
                              "publish it first or remove the link.") % {"title": page.title})
    return problems


def stream_raw(value):
    """A StreamField's value as stored (rich text in its database form, with linktype="page")."""
    return value.get_prep_value() if value is not None and hasattr(value, "get_prep_value") else []


class ReviewReadinessMixin:
    """`clean()` adds `check_ready_for_review(cleaned_data)` problems, on submission only."""

    def clean(self):
        cleaned_data = super().clean()
        if is_submitting(self):
            self.check_ready_for_review(cleaned_data)
        return cleaned_data

    def check_ready_for_review(self, cleaned_data):
        raise NotImplementedError

    def refuse(self, field, message):
        self.add_error(field, ValidationError(message, code="not_ready_for_review"))


class ResourcePageForm(ReviewReadinessMixin, WagtailAdminPageForm):
    def check_ready_for_review(self, cleaned_data):
        sources = self.formsets.get("sources")
        if sources is not None and sources.is_valid():
            cited = [form for form in sources.forms
                     if form.cleaned_data.get("citation") and not form.cleaned_data.get("DELETE")]
            if not cited:
                self.refuse(None, _("Add at least one source (guideline, plan or institution) "
                                    "before submitting for medical review."))
        if "last_reviewed" in self.fields and not cleaned_data.get("last_reviewed"):
            self.refuse("last_reviewed", _("Enter the date of the last medical review before submitting."))
        if cleaned_data.get("image") and not (cleaned_data.get("image_alt") or "").strip():
            self.refuse("image_alt", _("Describe the image in its alternative text before submitting."))
        body = cleaned_data.get("body")
        for position, block in enumerate(body or [], start=1):
            if block.block_type == "image" and not (block.value.get("alt_text") or "").strip():
                self.refuse(None, _("Image block %(number)s in the body has no alternative text.")
                            % {"number": position})
        for problem in link_problems(stream_raw(body), cleaned_data.get("text_version") or ""):
            self.refuse(None, problem)


class CoreMessageForm(ReviewReadinessMixin, WagtailAdminModelForm):
    def check_ready_for_review(self, cleaned_data):
        if "source" in self.fields and not (cleaned_data.get("source") or "").strip():
            self.refuse("source", _("Enter the source of this message before submitting for medical "
                                    "review."))
        if "last_reviewed" in self.fields and not cleaned_data.get("last_reviewed"):
            self.refuse("last_reviewed", _("Enter the date of the last medical review before submitting."))
        for problem in link_problems(cleaned_data.get("explanation") or ""):
            self.refuse(None, problem)
