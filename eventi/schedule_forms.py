"""The recurrence fields of an event and the checks of its schedule, shared by the admin form
(eventi.admin_forms) and the associations' front-end form (eventi.submissions)."""

from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from eventi import recurrence

WEEKDAY_CHOICES = [
    (0, _("lunedì")),
    (1, _("martedì")),
    (2, _("mercoledì")),
    (3, _("giovedì")),
    (4, _("venerdì")),
    (5, _("sabato")),
    (6, _("domenica")),
]


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

    One set of checks for every form that edits an event: the admin page form
    (eventi.admin_forms) and the front-end form of association members (eventi.submissions).
    A form says where its excluded and moved dates come from (``schedule_exceptions``); the
    rest is shared.
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
