"""List the admin strings of Wagtail and the other installed packages that have no Chinese.

    manage.py missing_translations              # one line per string, exit status 1 when any
    manage.py missing_translations --po         # as .po entries to paste into locale_admin/ and translate
"""

import polib
from django.core.management.base import BaseCommand, CommandError

from portal.translations import missing_translations


class Command(BaseCommand):
    help = "List third-party interface strings without a Simplified Chinese translation."

    def add_arguments(self, parser):
        parser.add_argument("--app", action="append", dest="apps", help="Only this app label (repeatable).")
        parser.add_argument("--po", action="store_true", help="Print .po entries with an empty msgstr.")

    def handle(self, *args, apps=None, po=False, **options):
        missing = missing_translations(apps)
        if po:
            catalogue = polib.POFile()
            seen = set()
            for item in missing:
                if (item.domain, item.key()) in seen:
                    continue
                seen.add((item.domain, item.key()))
                entry = polib.POEntry(msgid=item.msgid, msgctxt=item.msgctxt or None, msgstr="",
                                      occurrences=[(f"{item.app} ({item.domain})", "")])
                if item.plural:
                    entry.msgid_plural, entry.msgstr_plural = item.plural, {0: ""}
                catalogue.append(entry)
            self.stdout.write(str(catalogue))
        else:
            for item in missing:
                context = f" [{item.msgctxt}]" if item.msgctxt else ""
                self.stdout.write(f"{item.app}\t{item.domain}\t{item.msgid}{context}")
        if missing:
            raise CommandError(f"{len(missing)} strings have no Chinese translation; add them to locale_admin/.")
        self.stdout.write("所有第三方界面字符串都有中文翻译。")
