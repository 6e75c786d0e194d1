"""Forms: the admin form of event pages and the filters shared by listings and feeds."""

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from eventi import recurrence
from portal.core.pages import RouteSafeSlugPageForm

WEEKDAY_CHOICES = [
    (0, _("lunedì")),
    (1, _("martedì")),
    (2, _("mercoledì")),
    (3, _("giovedì")),
    (4, _("venerdì")),
    (5, _("sabato")),
    (6, _("domenica")),
]

CITY = "comune"
MAX_RANGE_DAYS = 3 * 366
# Dates a listing, feed or open-data query may ask for (also the month view's years): beyond
# them a day's bounds overflow Python's datetime or SQLite's date functions (a 500).
MIN_YEAR, MAX_YEAR = 1900, 2100


def validate_listing_date(value) -> None:
    """The one date-range check of every listing, feed and open-data filter."""
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValidationError(
            _("Scegli una data tra il %(min)s e il %(max)s."),
            code="out_of_range",
            params={"min": f"{MIN_YEAR}-01-01", "max": f"{MAX_YEAR}-12-31"},
        )


class IntegerListField(forms.CharField):
    """Whole numbers separated by commas ("1, 15, -1"), kept as a list."""

    def __init__(self, *args, min_value, max_value, **kwargs):
        self.min_value, self.max_value = min_value, max_value
        super().__init__(*args, required=False, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return ", ".join(str(v) for v in value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        numbers = []
        for part in text.replace(";", ",").split(","):
            if not part.strip():
                continue
            try:
                number = int(part.strip())
            except ValueError:
                number = None
            if number is None or number == 0 or not self.min_value <= number <= self.max_value:
                raise forms.ValidationError(
                    _(
                        "“%(value)s” non va bene: scrivi numeri tra %(min)s e %(max)s, "
                        "diversi da 0, separati da virgole."
                    )
                    % {"value": part.strip(), "min": self.min_value, "max": self.max_value}
                )
            numbers.append(number)
        return numbers


class NthWeekdaysField(forms.CharField):
    """Weekdays of the month or year with their position: "2SA, -1FR" (RFC 5545 BYDAY)."""

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return ", ".join(recurrence.weekday_code(int(n), int(d)) for n, d in value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        pairs = []
        for part in text.replace(";", ",").split(","):
            if not part.strip():
                continue
            try:
                ordinal, day = recurrence.parse_weekday_code(part)
            except ValueError:
                ordinal = 0
            if not ordinal or not -5 <= ordinal <= 5:
                raise forms.ValidationError(
                    _(
                        "“%(value)s” non va bene: scrivi la posizione e il giorno, per esempio 2SA "
                        "(secondo sabato) o -1FR (ultimo venerdì)."
                    )
                    % {"value": part.strip()}
                )
            pairs.append([ordinal, day])
        return pairs


class ExtraDatesField(forms.CharField):
    """Extra dates (RFC 5545 RDATE), one a line: "2030-05-02" or "2030-05-02 18:00"."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return "\n".join(str(v).replace("T", " ") for v in value)
        return value

    def to_python(self, value):
        from datetime import datetime

        text = super().to_python(value)
        values = []
        for line in text.splitlines():
            line = " ".join(line.split())
            if not line:
                continue
            try:
                parsed = datetime.fromisoformat(line)
            except ValueError:
                parsed = None
            if parsed is None or parsed.tzinfo is not None:
                raise forms.ValidationError(
                    _(
                        "“%(value)s” non è una data: scrivi AAAA-MM-GG oppure AAAA-MM-GG HH:MM, "
                        "una per riga."
                    )
                    % {"value": line}
                )
            values.append(
                parsed.date().isoformat() if len(line) == 10 else parsed.isoformat("T", "minutes")
            )
        return sorted(set(values))


class EventScheduleForm(forms.Form):
    """The recurrence fields of an event and the rules its schedule must follow.

    One set of checks for every form that edits an event: the admin page form below and the
    front-end form of association members (eventi.submissions). A form says where its
    excluded and moved dates come from (``schedule_exceptions``); the rest is shared.
    """

    weekdays = forms.TypedMultipleChoiceField(
        label=_("giorni della settimana"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Ripetizione settimanale: i giorni in cui si tiene (compreso quello dell'inizio); "
            "vuoto: lo stesso giorno dell'inizio."
        ),
    )
    nth_weekdays = NthWeekdaysField(
        label=_("giorni del mese"),
        required=False,
        help_text=_(
            "Ripetizione mensile o annuale: posizione e giorno, separati da virgole. 2SA = "
            "secondo sabato, -1FR = ultimo venerdì (MO TU WE TH FR SA SU: da lunedì a domenica)."
        ),
    )
    month_days = IntegerListField(
        label=_("giorni del mese (numeri)"),
        min_value=-31,
        max_value=31,
        help_text=_("Per esempio 1, 15; -1 è l'ultimo giorno del mese."),
    )
    months = IntegerListField(
        label=_("mesi"),
        min_value=1,
        max_value=12,
        help_text=_("Per esempio 3, 10 (marzo, ottobre)."),
    )
    set_positions = IntegerListField(
        label=_("posizioni nel periodo"),
        min_value=-366,
        max_value=366,
        help_text=_(
            "Tra le date di ogni periodo, quali tenere: 1 la prima, -1 l'ultima (BYSETPOS)."
        ),
    )
    extra_dates = ExtraDatesField(
        label=_("date in più"),
        required=False,
        help_text=_("Fuori dalla regola, una per riga: AAAA-MM-GG oppure AAAA-MM-GG HH:MM."),
    )

    def clean(self):
        data = super().clean()
        self.check_schedule(data)
        return data

    def schedule_exceptions(self) -> list:
        """[(date, report)]: the excluded, moved or cancelled dates, each with a function that
        shows an error message next to the field it came from."""
        return []

    def excluded_days(self) -> set:
        """The dates left out of the series (they are not checked for clock changes)."""
        return set()

    def check_schedule(self, data) -> None:
        """Every rule of the schedule; errors are added to the form's fields."""
        schedule = self._schedule(data)
        if schedule is None:
            return
        if schedule.nth_weekdays and schedule.frequency not in (
            recurrence.MONTHLY,
            recurrence.YEARLY,
        ):
            self.add_error(
                "nth_weekdays",
                _(
                    "Il secondo sabato, l'ultimo venerdì...: solo per le ripetizioni mensili "
                    "o annuali."
                ),
            )
            return
        if schedule.is_recurring and not recurrence.occurs_on(schedule, schedule.start_date):
            if schedule.frequency == recurrence.WEEKLY and schedule.weekdays:
                self.add_error(
                    "weekdays",
                    _(
                        "Tra i giorni della settimana manca quello della data di inizio "
                        "(%(day)s): aggiungilo, oppure scegli una data di inizio in uno dei "
                        "giorni indicati."
                    )
                    % {"day": WEEKDAY_CHOICES[schedule.start_date.weekday()][1]},
                )
            else:
                self.add_error(
                    "start_date",
                    _("La data di inizio deve essere una delle date della ripetizione."),
                )
            return
        self._check_exceptions(schedule)
        self._check_wall_times(schedule)

    def _schedule(self, data):
        from datetime import datetime

        names = ("start_date", "start_time", "end_date", "end_time", "frequency", "interval")
        if any(name not in data for name in names):
            return None
        if not data["start_date"]:
            return None
        return recurrence.EventSchedule(
            start_date=data["start_date"],
            start_time=data["start_time"],
            end_date=data["end_date"],
            end_time=data["end_time"],
            frequency=data["frequency"] or recurrence.NONE,
            interval=data["interval"] or 1,
            weekdays=data.get("weekdays") or [],
            until=data.get("until"),
            count=data.get("count"),
            nth_weekdays=[tuple(pair) for pair in data.get("nth_weekdays") or []],
            month_days=data.get("month_days") or [],
            months=data.get("months") or [],
            set_positions=data.get("set_positions") or [],
            extra_dates=[datetime.fromisoformat(v) for v in data.get("extra_dates") or []],
        )

    def _check_exceptions(self, schedule):
        """Excluded, moved and cancelled dates must be dates of the series."""
        for day, report in self.schedule_exceptions():
            if day and not (schedule.has_series and recurrence.occurs_on(schedule, day)):
                report(
                    _("Il %(date)s non è una data dell'evento: scegli una data della serie.")
                    % {"date": day.strftime("%d/%m/%Y")}
                )

    def _check_wall_times(self, schedule):
        """Local times that do not exist (clocks forward) or happen twice (clocks back)."""
        if schedule.all_day:
            return
        messages = {
            "gap": _(
                "Il %(date)s alle %(time)s l'ora non esiste (si passa all'ora legale, dalle 2 alle "
                "3): scegli un orario fuori dalle 2:00-3:00."
            ),
            "overlap": _(
                "Il %(date)s le %(time)s ci sono due volte (si torna all'ora solare): scegli un "
                "orario fuori dalle 2:00-3:00."
            ),
        }
        length = schedule.duration()
        schedule.excluded_dates = self.excluded_days()
        for slot in recurrence.expand(schedule):
            begin = schedule.occurrence_start(recurrence.to_local(slot.start).date())
            for field, value in (("start_time", begin), ("end_time", begin + length)):
                if field == "end_time" and not schedule.end_time:
                    continue
                problem = recurrence.wall_time_problem(value)
                if problem:
                    self.add_error(
                        field,
                        messages[problem]
                        % {"date": value.strftime("%d/%m/%Y"), "time": value.strftime("%H:%M")},
                    )
                    return


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


def filter_choices(refresh: bool = False) -> dict:
    """Choices of the filter form, cached (venues and types bump the feeds generation)."""
    from django.core.cache import cache

    from eventi import feeds

    key = f"eventi:filter-choices:{feeds.generation()}:{get_language()}"
    choices = None if refresh else cache.get(key)
    if choices is None:
        choices = _load_filter_choices()
        cache.set(key, choices, 300)
    return choices


def _load_filter_choices() -> dict:
    """Topics, event types, venues and associations as (slug, label): one query (a UNION).

    Topics and event types carry an English name; venues and associations are proper names.
    """
    from django.db.models import F, Value

    from eventi.models import EventType, Venue
    from partecipazione.models import Association
    from portal.taxonomy.models import Topic

    def rows(model, field, sort=None, english=None):
        return (
            model.objects.order_by()
            .annotate(
                field=Value(field),
                sort=F(sort) if sort else Value(0),
                english=F(english) if english else Value(""),
            )
            .values_list("field", "sort", "name", "slug", "english")
        )

    union = rows(Topic, "argomento", "sort_order", "name_en").union(
        rows(EventType, "tipo", "sort_order", "name_en"),
        rows(Venue, "luogo"),
        rows(Association, "organizzatore"),
        all=True,
    )
    choices = {"argomento": [], "tipo": [], "luogo": [], "organizzatore": []}
    choices["organizzatore"].append((CITY, str(_("Comune di Cremona"))))
    english = (get_language() or "it").startswith("en")
    for field, _sort, name, slug, name_en in union.order_by("field", "sort", "name"):
        label = name_en if english and name_en else name
        choices[field].append((slug, label))
    return choices


class EventFilterForm(forms.Form):
    """GET parameters of the index, the feeds and the open data (short Italian names).

    Values are slugs; invalid ones are reported as field errors (HTML) or a 400 (feeds, data).
    """

    q = forms.CharField(label=_("Cerca"), max_length=100, required=False, widget=forms.SearchInput)
    argomento = forms.ChoiceField(label=_("Argomento"), required=False)
    tipo = forms.ChoiceField(label=_("Tipo di evento"), required=False)
    organizzatore = forms.ChoiceField(label=_("Organizzatore"), required=False)
    luogo = forms.ChoiceField(label=_("Luogo"), required=False)
    dal = forms.DateField(
        label=_("Dal"),
        required=False,
        validators=[validate_listing_date],
        widget=forms.DateInput(
            attrs={"type": "date", "min": f"{MIN_YEAR}-01-01", "max": f"{MAX_YEAR}-12-31"},
            format="%Y-%m-%d",
        ),
    )
    al = forms.DateField(
        label=_("Al"),
        required=False,
        validators=[validate_listing_date],
        widget=forms.DateInput(
            attrs={"type": "date", "min": f"{MIN_YEAR}-01-01", "max": f"{MAX_YEAR}-12-31"},
            format="%Y-%m-%d",
        ),
    )

    EMPTY_LABELS = {
        "argomento": _("Tutti gli argomenti"),
        "tipo": _("Tutti i tipi"),
        "organizzatore": _("Tutti gli organizzatori"),
        "luogo": _("Tutti i luoghi"),
    }

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.choice_lists = filter_choices()
        if self.is_bound and any(
            self.data.get(name) and self.data.get(name) not in dict(self.choice_lists[name])
            for name in self.EMPTY_LABELS
        ):
            self.choice_lists = filter_choices(refresh=True)  # a new association, say
        for name, empty in self.EMPTY_LABELS.items():
            field = self.fields[name]
            field.choices = [("", empty), *self.choice_lists[name]]
            field.error_messages["invalid_choice"] = _(
                "Il valore indicato per “%(field)s” non esiste."
            ) % {"field": field.label}
        for name in ("dal", "al"):
            self.fields[name].input_formats = ["%Y-%m-%d"]
            self.fields[name].error_messages["invalid"] = _(
                "Data non valida: usa il formato AAAA-MM-GG."
            )

    def clean(self):
        data = super().clean()
        start, end = data.get("dal"), data.get("al")
        if start and end:
            if end < start:
                self.add_error("al", _("La data finale non può precedere quella iniziale."))
            elif end - start > timedelta(days=MAX_RANGE_DAYS):
                self.add_error("al", _("Scegli un intervallo di al massimo tre anni."))
        return data

    # --- applying the filters ---------------------------------------------------------

    def values(self) -> dict:
        """The valid values only (an invalid field is ignored on HTML pages)."""
        return getattr(self, "cleaned_data", {}) or {}

    def event_q(self, prefix: str = "") -> Q:
        """A Q over EventPage fields (prefix "page__" when filtering occurrences)."""
        data = self.values()
        q = Q()
        if data.get("argomento"):
            q &= Q(**{f"{prefix}topics__slug": data["argomento"]})
        if data.get("tipo"):
            q &= Q(**{f"{prefix}event_type__slug": data["tipo"]})
        if data.get("luogo"):
            q &= Q(**{f"{prefix}venue__slug": data["luogo"]})
        organiser = data.get("organizzatore")
        if organiser == CITY:
            q &= Q(**{f"{prefix}organised_by_city": True})
        elif organiser:
            q &= Q(**{f"{prefix}organisers__slug": organiser})
        text = (data.get("q") or "").strip()
        if text:
            q &= Q(**{f"{prefix}title__icontains": text}) | Q(
                **{f"{prefix}summary__icontains": text}
            )
        return q

    def has_event_filters(self) -> bool:
        data = self.values()
        return any(data.get(k) for k in ("argomento", "tipo", "luogo", "organizzatore", "q"))

    def query_string(self, exclude=()) -> str:
        """Canonical query string of the valid filters (stable order, short)."""
        from urllib.parse import urlencode

        data = self.values()
        pairs = []
        for name in ("argomento", "tipo", "organizzatore", "luogo", "dal", "al", "q"):
            value = data.get(name)
            if not value or name in exclude:
                continue
            if hasattr(value, "isoformat"):
                value = value.isoformat()
            pairs.append((name, str(value).strip()))
        return urlencode(pairs)

    def describe(self) -> str:
        """Human description of the filters, for calendar names."""
        data = self.values()
        parts = []
        for name in ("argomento", "tipo", "luogo", "organizzatore"):
            if data.get(name):
                parts.append(dict(self.choice_lists[name]).get(data[name], data[name]))
        if data.get("q"):
            parts.append(f"“{data['q']}”")
        return " · ".join(str(p) for p in parts)

    def error_text(self) -> str:
        lines = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else ""
            for error in errors:
                lines.append(f"{label}: {error}" if label else str(error))
        return "\n".join(lines)
