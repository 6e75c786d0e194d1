"""Admin exports of what visitors send, safe to open in a spreadsheet (portal.core.csv)."""

from wagtail.contrib.forms.views import SubmissionsListView

from portal.core.csv import SafeSpreadsheetExportMixin


class ContactSubmissionsListView(SafeSpreadsheetExportMixin, SubmissionsListView):
    """Wagtail's list of contact-form submissions; its CSV export cannot carry formulas."""
