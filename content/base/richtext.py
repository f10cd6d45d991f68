"""The rich-text editor of every field: Wagtail's Draftail, reading a value that is not Draftail's
JSON (a forged or scripted post) as plain text, escaped, instead of failing with a server error.

Draftail sends its content as a JSON document, which Wagtail converts to stored HTML keeping only
the features the field allows (links pass `wagtail.whitelist.check_url`, so `javascript:` goes).
Raw HTML posted in its place made Wagtail's converter raise a JSON error: a 500 for one editor, never
stored. Read as text, it is stored as harmless paragraphs the editor sees on the next screen."""

from django.utils.html import escape
from wagtail.admin.rich_text import DraftailRichTextArea


class PlainTextTolerantDraftail(DraftailRichTextArea):
    def value_from_datadict(self, data, files, name):
        try:
            return super().value_from_datadict(data, files, name)
        except (ValueError, TypeError, KeyError, AttributeError):
            raw = data.get(name) or ""
            return "".join(f"<p>{escape(line.strip())}</p>" for line in str(raw).splitlines() if line.strip())
