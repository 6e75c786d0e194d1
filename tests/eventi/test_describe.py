"""The recurrence rule said in words (eventi.describe), in Italian and English."""

from datetime import date, time

import pytest
from django.utils import translation

from eventi import recurrence
from eventi.describe import describe

TODAY = date(2027, 1, 1)


def schedule(**kwargs):
    values = {"start_date": date(2027, 1, 7), "start_time": time(18), "end_time": time(19, 30)}
    values.update(kwargs)
    return recurrence.EventSchedule(**values)


def said(language, **kwargs):
    with translation.override(language):
        return describe(schedule(**kwargs), today=TODAY)


CASES = [
    (
        {"frequency": "weekly", "weekdays": [3], "until": date(2027, 3, 25)},
        "ogni giovedì, 18:00–19:30, dal 7 gennaio al 25 marzo",
        "every Thursday, 18:00–19:30, from 7 January to 25 March",
    ),
    (
        {"frequency": "weekly", "weekdays": [0, 3], "interval": 2, "count": 6},
        "ogni 2 settimane (lunedì e giovedì), 18:00–19:30, dal 7 gennaio, 6 volte",
        "every 2 weeks (Monday and Thursday), 18:00–19:30, from 7 January, 6 times",
    ),
    (
        {"frequency": "daily", "until": date(2027, 1, 10)},
        "ogni giorno, 18:00–19:30, dal 7 gennaio al 10 gennaio",
        "every day, 18:00–19:30, from 7 January to 10 January",
    ),
    (
        {"frequency": "daily", "interval": 3},
        "ogni 3 giorni, 18:00–19:30, dal 7 gennaio",
        "every 3 days, 18:00–19:30, from 7 January",
    ),
    (
        {"frequency": "monthly", "nth_weekdays": [(2, 5)], "until": date(2028, 6, 30)},
        "il secondo sabato di ogni mese, 18:00–19:30, dal 7 gennaio 2027 al 30 giugno 2028",
        "the second Saturday of every month, 18:00–19:30, from 7 January 2027 to 30 June 2028",
    ),
    (
        {"frequency": "monthly", "nth_weekdays": [(-1, 6)]},
        "l'ultima domenica di ogni mese, 18:00–19:30, dal 7 gennaio",
        "the last Sunday of every month, 18:00–19:30, from 7 January",
    ),
    (
        {"frequency": "monthly", "month_days": [15], "interval": 2},
        "il giorno 15, ogni 2 mesi, 18:00–19:30, dal 7 gennaio",
        "on day 15, every 2 months, 18:00–19:30, from 7 January",
    ),
    (
        {"frequency": "monthly", "month_days": [-1], "count": 1},
        "l'ultimo giorno di ogni mese, 18:00–19:30, dal 7 gennaio, 1 volta",
        "the last day of every month, 18:00–19:30, from 7 January, 1 time",
    ),
    (
        {
            "frequency": "yearly",
            "start_date": date(2027, 4, 25),
            "start_time": None,
            "end_time": None,
        },
        "ogni anno, il 25 aprile, tutto il giorno, dal 25 aprile",
        "every year on 25 April, all day, from 25 April",
    ),
    (
        {
            "frequency": "weekly",
            "weekdays": [6],
            "start_time": None,
            "end_time": None,
            "until": date(2027, 2, 28),
        },
        "ogni domenica, tutto il giorno, dal 7 gennaio al 28 febbraio",
        "every Sunday, all day, from 7 January to 28 February",
    ),
]


@pytest.mark.parametrize(("rule", "italian", "english"), CASES)
def test_rules_read_as_a_sentence_in_both_languages(rule, italian, english):
    assert said("it", **rule) == italian
    assert said("en", **rule) == english


def test_a_start_without_an_end_time_reads_alle():
    assert (
        said("it", frequency="weekly", end_time=None) == "ogni giovedì, alle 18:00, dal 7 gennaio"
    )
    assert (
        said("en", frequency="weekly", end_time=None) == "every Thursday, at 18:00, from 7 January"
    )


def test_a_start_in_another_year_names_its_year():
    text = said("it", frequency="weekly", start_date=date(2028, 1, 6))
    assert text == "ogni giovedì, 18:00–19:30, dal 6 gennaio 2028"


def test_single_dates_and_unusual_rules_say_nothing():
    assert said("it") is None
    assert said("it", frequency="monthly", weekdays=[0, 1], set_positions=[-1]) is None
    assert said("it", frequency="monthly", nth_weekdays=[(7, 0)]) is None
