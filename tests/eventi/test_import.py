"""manage.py import_ics: drafts, de-duplication by UID, updates when LAST-MODIFIED is newer."""

from datetime import date, time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from eventi.models import EventOccurrence, EventPage
from partecipazione.models import Association
from tests.factories import ON_CALENDAR_NOW

pytestmark = [pytest.mark.django_db, ON_CALENDAR_NOW]

ICS = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Associazione//Calendario//IT\r
BEGIN:VEVENT\r
UID:incontro-1@associazione.example\r
DTSTAMP:20300101T100000Z\r
LAST-MODIFIED:{modified}\r
SUMMARY:{title}\r
DESCRIPTION:Serata di dialogo tra le comunità.\r
DTSTART;TZID=Europe/Rome:20300305T183000\r
DTEND;TZID=Europe/Rome:20300305T200000\r
RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=4\r
EXDATE;TZID=Europe/Rome:20300312T183000\r
LOCATION:Casa delle associazioni\\, Cremona\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:festa@associazione.example\r
DTSTAMP:20300101T100000Z\r
SUMMARY:Festa dei popoli\r
DTSTART;VALUE=DATE:20300601\r
DTEND;VALUE=DATE:20300603\r
END:VEVENT\r
BEGIN:VEVENT\r
SUMMARY:Senza UID\r
DTSTART;VALUE=DATE:20300601\r
END:VEVENT\r
END:VCALENDAR\r
"""


def write(tmp_path, **values):
    values = {"modified": "20300101T100000Z", "title": "Dialogo tra le comunità", **values}
    path = tmp_path / "calendario.ics"
    path.write_text(ICS.format(**values), encoding="utf-8")
    return str(path)


def run(source, *args) -> str:
    out = StringIO()
    call_command("import_ics", source, *args, stdout=out)
    return out.getvalue()


def test_import_creates_drafts_then_dedups_and_updates(tmp_path, events_index):
    association = Association.objects.create(name="Amici", slug="amici")
    output = run(write(tmp_path), "--association", "amici")
    assert "Creati: 2" in output and "Saltati: 1" in output
    meeting = EventPage.objects.get(external_uid="incontro-1@associazione.example")
    assert not meeting.live
    assert (meeting.start_date, meeting.start_time, meeting.end_time) == (
        date(2030, 3, 5),
        time(18, 30),
        time(20, 0),
    )
    assert meeting.frequency == "weekly" and meeting.weekdays == [1] and meeting.count == 4
    assert [e.date for e in meeting.excluded_dates.all()] == [date(2030, 3, 12)]
    assert list(meeting.organisers.all()) == [association]
    festival = EventPage.objects.get(external_uid="festa@associazione.example")
    assert festival.start_time is None and festival.end_date == date(2030, 6, 2)
    # drafts are not public
    assert not EventOccurrence.objects.visible().exists()

    # the same file again: nothing new
    output = run(write(tmp_path))
    assert "Creati: 0" in output and "Aggiornati: 0" in output
    assert EventPage.objects.count() == 2

    # a newer LAST-MODIFIED updates the draft
    output = run(write(tmp_path, modified="20300201T100000Z", title="Titolo nuovo"))
    assert "Aggiornati: 1" in output
    meeting = EventPage.objects.get(external_uid="incontro-1@associazione.example")
    assert meeting.get_latest_revision_as_object().title == "Titolo nuovo"
    assert EventPage.objects.count() == 2


def test_import_errors_are_clear(tmp_path, events_index):
    with pytest.raises(CommandError, match="Impossibile leggere"):
        run(str(tmp_path / "manca.ics"))
    bad = tmp_path / "rotto.ics"
    bad.write_text("non è un calendario", encoding="utf-8")
    with pytest.raises(CommandError, match="iCalendar valido"):
        run(str(bad))
    with pytest.raises(CommandError, match="Associazione sconosciuta"):
        run(write(tmp_path), "--association", "nessuna")


def vevent(uid: str, *lines: str) -> str:
    body = "".join(f"{line}\r\n" for line in lines)
    return (
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20300101T100000Z\r\nSUMMARY:Evento {uid}\r\n"
        f"DTSTART;VALUE=DATE:20300601\r\n{body}END:VEVENT\r\n"
    )


def calendar(*events: str) -> str:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Prova//IT\r\n"
        + "".join(events)
        + ("END:VCALENDAR\r\n")
    )


UNSAFE_LINKS = calendar(
    vevent("buono", "URL:https://associazione.example/iscrizioni"),
    vevent("js", "URL:javascript:alert(document.cookie)"),
    vevent("dati", "CONFERENCE;VALUE=URI:data:text/html;base64,PHNjcmlwdD4="),
    vevent("lungo", "URL:https://associazione.example/" + "a" * 2100),
    vevent("rotto", "URL:http://"),
)
BAD_EVENT = calendar(
    vevent("buono", "URL:https://associazione.example/iscrizioni"),
    vevent("impossibile", "DESCRIPTION:Il modello lo rifiuta"),
)


def refuse_the_impossible_event(monkeypatch):
    """The model refuses the second event of BAD_EVENT, after the first was saved: the
    importer reads what it can represent, so a refusal comes from the model's own rules."""
    from django.core.exceptions import ValidationError

    original = EventPage.clean

    def clean(self):
        original(self)
        if self.title == "Evento impossibile":
            raise ValidationError({"title": "Titolo rifiutato dalla validazione."})

    monkeypatch.setattr(EventPage, "clean", clean)


def test_unsafe_and_invalid_links_are_dropped_with_a_warning(tmp_path, events_index):
    path = tmp_path / "link.ics"
    path.write_text(UNSAFE_LINKS, encoding="utf-8")
    output = run(str(path))
    assert "Creati: 5" in output
    assert "Note:" in output
    assert "Evento js: URL non sicuro ignorato (solo http e https)" in output
    assert "Evento dati: CONFERENCE non sicuro ignorato" in output
    assert "Evento lungo: URL troppo lungo (oltre 2000 caratteri)" in output
    assert "Evento rotto: URL non valido ignorato" in output
    pages = {page.external_uid: page for page in EventPage.objects.all()}
    assert pages["buono"].registration_url == "https://associazione.example/iscrizioni"
    for uid in ("js", "dati", "lungo", "rotto"):
        assert pages[uid].registration_url == "" and pages[uid].online_url == ""
    assert not EventPage.objects.filter(registration_url__startswith="javascript").exists()


def test_a_file_with_an_event_that_cannot_be_saved_imports_nothing(
    tmp_path, events_index, monkeypatch
):
    refuse_the_impossible_event(monkeypatch)
    path = tmp_path / "rotto.ics"
    path.write_text(BAD_EVENT, encoding="utf-8")
    with pytest.raises(CommandError, match="Evento «Evento impossibile»: .*Nessun evento"):
        run(str(path))
    assert not EventPage.objects.exists()


def test_the_command_exits_non_zero_with_a_clear_message(
    tmp_path, events_index, capsys, monkeypatch
):
    from django.core.management import get_commands, load_command_class

    refuse_the_impossible_event(monkeypatch)
    # run_from_argv closes every connection when it ends: keep the test's own open.
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)
    path = tmp_path / "rotto.ics"
    path.write_text(BAD_EVENT, encoding="utf-8")
    command = load_command_class(get_commands()["import_ics"], "import_ics")
    with pytest.raises(SystemExit) as exit_info:
        command.run_from_argv(["manage.py", "import_ics", str(path)])
    assert exit_info.value.code != 0
    err = capsys.readouterr().err
    assert "CommandError: Evento «Evento impossibile»" in err
    assert "Traceback" not in err
    assert not EventPage.objects.exists()
