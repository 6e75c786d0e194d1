"""The filters shared by listings, feeds and open data (the admin form is in admin_forms)."""

from datetime import timedelta
from urllib.parse import urlencode

from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import F, Q, Value
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from eventi import feeds
from eventi.snippets import EventType, Venue
from partecipazione.models import Association
from portal.taxonomy.models import Topic

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


def filter_choices(refresh: bool = False) -> dict:
    """Choices of the filter form, cached (venues and types bump the feeds generation)."""

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
