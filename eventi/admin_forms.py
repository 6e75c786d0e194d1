"""The admin form of event pages (the schedule's fields and checks are in schedule_forms)."""

from django.utils.translation import gettext_lazy as _

from eventi.schedule_forms import EventScheduleForm
from portal.core.pages import RouteSafeSlugPageForm


class EventPageForm(EventScheduleForm, RouteSafeSlugPageForm):
    """The admin form of event pages: excluded and moved dates come from its inline panels."""

    def _exception_forms(self, name):
        formset = self.formsets.get(name)
        if formset is None:
            return []
        formset.is_valid()
        return [
            form
            for form in formset.forms
            if form.has_changed() and not form.errors and not form.cleaned_data.get("DELETE")
        ]

    def schedule_exceptions(self) -> list:
        entries = []
        for prefix, name in (("excluded_dates", "date"), ("occurrence_overrides", "original_date")):
            for form in self._exception_forms(prefix):
                entries.append((form.cleaned_data.get(name), self._reporter(form, name)))
        return entries

    def _reporter(self, form, name):
        def report(message):
            form.add_error(name, message)
            self.add_error(
                None, _("Una data esclusa, spostata o annullata non è tra le date dell'evento.")
            )

        return report

    def excluded_days(self) -> set:
        return {
            form.cleaned_data["date"]
            for form in self._exception_forms("excluded_dates")
            if form.cleaned_data.get("date")
        }
