"""The event page's admin form refuses schedules that calendar clients would read differently."""

from datetime import date, timedelta
from html import unescape

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from eventi.models import EventPage
from tests.eventi.test_proposals import editor, login_admin

pytestmark = pytest.mark.django_db


def next_weekday(weekday: int, after: date | None = None) -> date:
    day = (after or date.today()) + timedelta(days=30)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def last_sunday(year: int, month: int) -> date:
    day = date(year, month, 31)
    return day - timedelta(days=(day.weekday() - 6) % 7)


def post(client, index, excluded=(), overrides=(), **fields):
    data = {
        "title": "Dal modulo",
        "slug": "dal-modulo",
        "summary": "Creato con il modulo",
        "start_date": next_weekday(1).isoformat(),
        "start_time": "18:00",
        "frequency": "none",
        "interval": "1",
        "status": "scheduled",
        "organised_by_city": "on",
        "is_free": "on",
    }
    data.update({k: v for k, v in fields.items() if v is not None})
    for name in [k for k, v in fields.items() if v is None]:
        data.pop(name, None)
    data.update(nested_form_data({"body": streamfield([])}))
    data.update(nested_form_data({"excluded_dates": inline_formset(list(excluded))}))
    data.update(nested_form_data({"occurrence_overrides": inline_formset(list(overrides))}))
    data.update(nested_form_data({"attachments": inline_formset([])}))
    return client.post(f"/admin/pages/add/eventi/eventpage/{index.pk}/", data)


def errors(response) -> dict:
    assert response.status_code == 200, "the form was accepted"
    form = response.context["form"]
    return {name: " ".join(str(e) for e in errs) for name, errs in form.errors.items()}


@pytest.fixture
def editor_client(client, events_index):
    login_admin(client, editor())
    return client


def test_weekly_days_must_include_the_start_day(editor_client, events_index):
    tuesday = next_weekday(1)
    response = post(
        editor_client,
        events_index,
        start_date=tuesday.isoformat(),
        frequency="weekly",
        weekdays=["2", "4"],
        count="4",
    )
    assert "manca quello della data di inizio (martedì)" in errors(response)["weekdays"]
    html = response.content.decode()
    assert "manca quello della data di inizio" in html
    # what the editor typed is still there
    assert response.context["form"]["count"].value() == "4"
    assert not EventPage.objects.exists()

    ok = post(
        editor_client,
        events_index,
        start_date=tuesday.isoformat(),
        frequency="weekly",
        weekdays=["1", "3"],
        count="4",
    )
    assert ok.status_code == 302
    page = EventPage.objects.get()
    assert page.weekdays == [1, 3]


def test_second_saturday_monthly_is_saved_and_start_must_be_one(editor_client, events_index):
    saturday = next_weekday(5)
    second = saturday.replace(day=1)
    second += timedelta(days=(5 - second.weekday()) % 7 + 7)
    wrong = post(
        editor_client,
        events_index,
        start_date=(second + timedelta(days=7)).isoformat(),
        frequency="monthly",
        nth_weekdays="2SA",
        count="3",
    )
    assert "una delle date della ripetizione" in errors(wrong)["start_date"]
    bad = post(editor_client, events_index, frequency="monthly", nth_weekdays="secondo sabato")
    assert "2SA" in errors(bad)["nth_weekdays"]
    assert bad.context["form"]["nth_weekdays"].value() == "secondo sabato"
    weekly = post(editor_client, events_index, frequency="weekly", nth_weekdays="2TU")
    assert "mensili o annuali" in errors(weekly)["nth_weekdays"]

    ok = post(
        editor_client,
        events_index,
        start_date=second.isoformat(),
        frequency="monthly",
        nth_weekdays="2SA",
        count="3",
    )
    assert ok.status_code == 302
    page = EventPage.objects.get()
    assert page.nth_weekdays == [[2, 5]]
    days = [slot.start.date() for slot in page.occurrence_rows()]
    assert len(days) == 3
    assert all(d.weekday() == 5 and 8 <= d.day <= 14 for d in days)


def test_exceptions_must_be_dates_of_the_series(editor_client, events_index):
    tuesday = next_weekday(1)
    wednesday = tuesday + timedelta(days=8)
    response = post(
        editor_client,
        events_index,
        start_date=tuesday.isoformat(),
        frequency="weekly",
        count="4",
        excluded=[{"date": wednesday.isoformat()}],
        overrides=[{"original_date": (tuesday + timedelta(days=1)).isoformat(), "cancelled": "on"}],
    )
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert f"Il {wednesday:%d/%m/%Y} non è una data dell'evento" in html
    assert f"Il {tuesday + timedelta(days=1):%d/%m/%Y} non è una data dell'evento" in html
    assert not EventPage.objects.exists()

    ok = post(
        editor_client,
        events_index,
        start_date=tuesday.isoformat(),
        frequency="weekly",
        count="4",
        excluded=[{"date": (tuesday + timedelta(days=7)).isoformat()}],
        overrides=[
            {"original_date": (tuesday + timedelta(days=14)).isoformat(), "cancelled": "on"}
        ],
    )
    assert ok.status_code == 302


def test_times_in_the_daylight_saving_gap_or_overlap_are_refused(editor_client, events_index):
    year = date.today().year + 1
    spring, autumn = last_sunday(year, 3), last_sunday(year, 10)
    gap = post(editor_client, events_index, start_date=spring.isoformat(), start_time="02:30")
    assert "l'ora non esiste" in errors(gap)["start_time"]
    assert gap.context["form"]["start_time"].value() == "02:30"
    twice = post(editor_client, events_index, start_date=autumn.isoformat(), start_time="02:15")
    assert "ci sono due volte" in errors(twice)["start_time"]
    ends = post(
        editor_client,
        events_index,
        start_date=autumn.isoformat(),
        start_time="01:00",
        end_time="02:30",
    )
    assert "ci sono due volte" in errors(ends)["end_time"]
    # a weekly series at 02:30 on Sundays meets the gap on the last Sunday of March
    series = post(
        editor_client,
        events_index,
        start_date=(spring - timedelta(weeks=2)).isoformat(),
        start_time="02:30",
        frequency="weekly",
        count="4",
    )
    assert f"Il {spring:%d/%m/%Y} alle 02:30" in errors(series)["start_time"]
    # excluding that date makes the series acceptable
    excluded = post(
        editor_client,
        events_index,
        start_date=(spring - timedelta(weeks=2)).isoformat(),
        start_time="02:30",
        frequency="weekly",
        count="4",
        excluded=[{"date": spring.isoformat()}],
    )
    assert excluded.status_code == 302
    outside = post(
        editor_client, events_index, slug="fuori", start_date=spring.isoformat(), start_time="03:00"
    )
    assert outside.status_code == 302


def test_end_before_start_is_refused(editor_client, events_index):
    start = next_weekday(1)
    same_day = post(editor_client, events_index, start_time="18:00", end_time="17:00")
    assert "non può precedere" in errors(same_day)["end_time"]
    earlier = post(
        editor_client,
        events_index,
        start_date=start.isoformat(),
        end_date=(start - timedelta(days=1)).isoformat(),
    )
    assert "non può precedere" in errors(earlier)["end_date"]
    assert earlier.context["form"]["end_date"].value() == (start - timedelta(days=1)).isoformat()
    assert not EventPage.objects.exists()
