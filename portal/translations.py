"""Which interface strings of Wagtail and the other installed packages have no Simplified Chinese.

Wagtail's own zh_Hans catalogue lacks a good part of its admin strings, and some packages ship no
catalogue at all (modelsearch, django-tasks) or only zh_CN, which Django never loads for zh-hans
(django-filter). The portal fills the gaps in a supplementary catalogue, `locale_admin/`, listed
first in LOCALE_PATHS. After an upgrade, `manage.py missing_translations` lists what is new.

The list of strings comes from each package's `en` catalogue (every msgid Wagtail uses), or, for a
package without one, from its other catalogues or from its Python source through xgettext; the
translation is then looked up exactly as Django does at run time."""

import subprocess
from dataclasses import dataclass
from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings
from django.utils import translation
from django.utils.translation.trans_real import DjangoTranslation

LANGUAGE = "zh-hans"
DOMAINS = ("django", "djangojs")
# Names that stay as they are in Chinese text: products, formats, units, placeholders.
UNTRANSLATABLE = {
    "Wagtail", "Wagtail CMS", "wagtail", "Django", "Elasticsearch", "Markdown", "CSV", "XLSX", "JSON",
    "HTML", "URL", "ID", "SVG", "PDF", "RSS", "Atom", "OK", "Alt", "px", "%", "&nbsp;", "…",
}
XGETTEXT_KEYWORDS = ["_", "gettext", "gettext_lazy", "gettext_noop", "ngettext:1,2", "ngettext_lazy:1,2",
                     "pgettext:1c,2", "pgettext_lazy:1c,2", "npgettext:1c,2,3", "npgettext_lazy:1c,2,3"]


@dataclass(frozen=True)
class Missing:
    app: str
    domain: str
    msgid: str
    msgctxt: str = ""
    plural: str = ""

    def key(self):
        return (self.msgctxt, self.msgid)


def third_party_apps():
    """App configs installed from site-packages (the portal's own apps keep their own catalogues)."""
    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if base in path.parents and ".venv" not in path.parts:
            continue
        if config.name.startswith("django.contrib"):
            continue  # Django's own catalogues are complete for zh_Hans
        yield config


def source_entries(config, domain):
    """The msgids an app uses in one gettext domain."""
    locale = Path(config.path) / "locale"
    english = locale / "en" / "LC_MESSAGES" / f"{domain}.po"
    if english.exists():
        return [entry for entry in polib.pofile(str(english)) if not entry.obsolete]
    others = sorted(locale.glob(f"*/LC_MESSAGES/{domain}.po")) if locale.exists() else []
    if others:
        return [entry for entry in polib.pofile(str(others[0])) if not entry.obsolete]
    if domain != "django":
        return []
    return extracted_entries(Path(config.path))


def extracted_entries(package_path):
    """Strings marked for translation in a package's Python source, for packages without a catalogue."""
    sources = [str(path) for path in sorted(package_path.rglob("*.py"))
               if "tests" not in path.parts and "migrations" not in path.parts]
    if not sources:
        return []
    command = ["xgettext", "--language=Python", "--from-code=UTF-8", "--output=-", "--omit-header"]
    command += [f"--keyword={keyword}" for keyword in XGETTEXT_KEYWORDS] + sources
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return [entry for entry in polib.pofile(result.stdout) if entry.msgid]


def catalogue(domain):
    with translation.override(LANGUAGE):
        return DjangoTranslation(LANGUAGE, domain=domain)._catalog


def is_translated(entry, messages) -> bool:
    msgid = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
    if entry.msgid_plural:
        return bool(messages.get((msgid, 0)))
    return bool(messages.get(msgid))


def needs_translation(entry) -> bool:
    text = entry.msgid.strip()
    if not text or text in UNTRANSLATABLE:
        return False
    return any(character.isalpha() for character in text)


def missing_translations(app_labels=None):
    """Every msgid of the third-party apps that has no Chinese at run time."""
    found = []
    messages = {domain: catalogue(domain) for domain in DOMAINS}
    for config in third_party_apps():
        if app_labels and config.label not in app_labels:
            continue
        for domain in DOMAINS:
            seen = set()
            for entry in source_entries(config, domain):
                if (entry.msgctxt, entry.msgid) in seen or not needs_translation(entry):
                    continue
                seen.add((entry.msgctxt, entry.msgid))
                if not is_translated(entry, messages[domain]):
                    found.append(Missing(config.label, domain, entry.msgid, entry.msgctxt or "",
                                         entry.msgid_plural or ""))
    return found
