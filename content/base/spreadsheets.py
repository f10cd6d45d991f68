"""Spreadsheets the portal writes (CSV exports, Wagtail's list exports): neutralised formulas.

A cell that starts with = + - @ (or a tab / carriage return, which Excel skips before reading one)
is run as a formula when the file is opened: a facility named `=HYPERLINK("http://…","点此")` or an
entrant called `@SUM(…)` would put a live link or formula in an official's spreadsheet (CSV
injection, OWASP). Every cell text goes through `safe_cell`, which prefixes such text with an
apostrophe: Excel and WPS then show it as text. Numbers stay numbers.

- our own CSV responses write rows through `SafeCsvWriter` (or `safe_row`);
- Wagtail's `list_export` CSV is patched once at start-up (`install`, from BaseConfig.ready); its
  XLSX export already stores any formula-looking text as a string cell.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable

from django.utils.functional import Promise

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def safe_cell(value):
    """The value, with text that a spreadsheet would read as a formula made plain text."""
    if isinstance(value, Promise):  # a lazy translation
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable) -> list:
    return [safe_cell(value) for value in values]


class SafeCsvWriter:
    """csv.writer whose rows are neutralised."""

    def __init__(self, file, **kwargs):
        self._writer = csv.writer(file, **kwargs)

    def writerow(self, row: Iterable):
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable]):
        for row in rows:
            self.writerow(row)


def install() -> None:
    """Neutralise the CSV that Wagtail's list exports (snippet listings, reports) write."""
    from django.utils.encoding import force_str
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    if getattr(SpreadsheetExportMixin.write_csv_row, "neutralised", False):
        return

    def write_csv_row(self, writer, row_dict):
        return writer.writerow({
            field: safe_cell(force_str(value, strings_only=True) if not isinstance(value, str) else value)
            for field, value in ((f, self.preprocess_field_value(f, v, self.FORMAT_CSV))
                                 for f, v in row_dict.items())
        })

    write_csv_row.neutralised = True
    SpreadsheetExportMixin.write_csv_row = write_csv_row
