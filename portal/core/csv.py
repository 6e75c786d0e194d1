"""CSV cells that a spreadsheet will not run: the one writer of every export we own.

Anonymous visitors write event titles, contact messages, booking notes and rating comments. A
cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a formula
by Excel, LibreOffice and Google Sheets ("CSV injection"); as OWASP advises, such a cell is
prefixed with an apostrophe, which the spreadsheet shows as plain text.

- ``safe_cell(value)``: one value; numbers, booleans and None pass unchanged.
- ``SafeDictWriter``: ``csv.DictWriter`` that sanitises every cell (the open data CSV).
- ``SafeSpreadsheetExportMixin``: for Wagtail's admin listings with CSV/XLSX export
  (``SnippetViewSet`` index views, form submissions); it sanitises the CSV cells through
  ``write_csv_row``, Wagtail's public hook of ``SpreadsheetExportMixin`` (XLSX cells are
  already written as text by Wagtail, never as formulas).
"""

import csv

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value, with an apostrophe in front when a spreadsheet would read it as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class SafeDictWriter(csv.DictWriter):
    """A ``csv.DictWriter`` whose rows cannot start a formula in any cell."""

    def writerow(self, rowdict):
        return super().writerow({key: safe_cell(value) for key, value in rowdict.items()})


class SafeSpreadsheetExportMixin:
    """Put before Wagtail's view class: ``class View(SafeSpreadsheetExportMixin, IndexView)``."""

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {
                field: safe_cell(self.preprocess_field_value(field, value, self.FORMAT_CSV))
                for field, value in row_dict.items()
            }
        )
