"""Admin action: an editor uploads an .ics and gets draft events; others may not."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from eventi import import_admin
from eventi.models import EventPage
from partecipazione.models import Association
from tests.eventi.test_import import ICS
from tests.eventi.test_proposals import editor, login_admin
from tests.factories import ON_CALENDAR_NOW, UserFactory
from tests.queries import assert_fixed, capture

pytestmark = [pytest.mark.django_db, ON_CALENDAR_NOW]

URL = "/admin/eventi/importa/"


def upload(content: str | bytes, name="calendario.ics"):
    if isinstance(content, str):
        content = content.encode()
    return SimpleUploadedFile(name, content, content_type="text/calendar")


def ics(**values) -> str:
    return ICS.format(**{"modified": "20300101T100000Z", "title": "Dialogo", **values})


def test_editor_imports_drafts_then_reimport_is_idempotent(client, events_index):
    association = Association.objects.create(name="Amici della pace", slug="amici")
    login_admin(client, editor())
    form_page = client.get(URL)
    assert form_page.status_code == 200
    assert 'enctype="multipart/form-data"' in form_page.content.decode()
    assert "Amici della pace" in form_page.content.decode()

    response = client.post(URL, {"file": upload(ics()), "association": association.pk})
    assert response.status_code == 200
    pages = EventPage.objects.order_by("pk")
    assert pages.count() == 2 and not pages.filter(live=True).exists()
    assert all(list(page.organisers.all()) == [association] for page in pages)
    assert all(page.get_parent().specific == events_index for page in pages)
    assert response.context["report"].created == [page.title for page in pages]
    html = response.content.decode()
    for page in pages:
        assert f'href="/admin/pages/{page.pk}/edit/"' in html
    assert "Senza UID" in html  # skipped, listed without a link

    again = client.post(URL, {"file": upload(ics())})
    report = again.context["report"]
    assert report.created == [] and report.updated == []
    assert sorted(report.skipped) == sorted(["Senza UID", *[p.title for p in pages]])
    assert EventPage.objects.count() == 2

    newer = client.post(URL, {"file": upload(ics(modified="20300201T100000Z", title="Nuovo"))})
    assert newer.context["report"].updated == ["Nuovo"]
    assert EventPage.objects.count() == 2
    meeting = EventPage.objects.get(external_uid="incontro-1@associazione.example")
    assert meeting.get_latest_revision_as_object().title == "Nuovo"
    assert f'href="/admin/pages/{meeting.pk}/edit/"' in newer.content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Il file è vuoto."),
        ("non è un calendario".encode(), "non è un calendario iCalendar (.ics) valido"),
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "non contiene eventi"),
        (b"x" * (import_admin.MAX_UPLOAD_BYTES + 1), "troppo grande"),
    ],
)
def test_bad_files_get_a_form_error_and_import_nothing(client, events_index, content, message):
    login_admin(client, editor())
    response = client.post(URL, {"file": upload(content)})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    html = response.content.decode()
    assert message in html
    # the error is announced with the field
    assert 'id="id_file-error"' in html
    assert 'aria-describedby="id_file-error id_file-helptext"' in html
    assert response.context["report"] is None
    assert not EventPage.objects.exists()


def test_missing_file_and_unknown_association_are_form_errors(client, events_index):
    login_admin(client, editor())
    response = client.post(URL, {"association": "999"})
    form = response.context["form"]
    assert response.status_code == 200 and set(form.errors) == {"file", "association"}
    assert not EventPage.objects.exists()


def test_broken_event_is_skipped_not_a_500(client, events_index):
    login_admin(client, editor())
    broken = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:rotto@example\r\n"
        "SUMMARY:Data rotta\r\nDTSTART:domani\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    response = client.post(URL, {"file": upload(broken)})
    assert response.status_code == 200
    assert response.context["report"].skipped == ["Data rotta"]
    assert not EventPage.objects.exists()


def test_citizen_anonymous_and_participation_moderator_cannot(client, events_index):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]
    assert client.post(URL, {"file": upload(ics())}).status_code == 302

    client.force_login(UserFactory(verified=True))
    assert client.get(URL).status_code in (302, 403)
    assert client.post(URL, {"file": upload(ics())}).status_code in (302, 403)

    moderator = UserFactory(verified=True)
    moderator.groups.add(Group.objects.get(name="Participation moderators"))
    moderator.user_permissions.add(Permission.objects.get(codename="access_admin"))
    login_admin(client, moderator)
    listing = client.get(URL)
    assert listing.status_code == 302 and listing["Location"] == "/admin/"
    posted = client.post(URL, {"file": upload(ics())})
    assert posted.status_code == 302 and posted["Location"] == "/admin/"
    assert not EventPage.objects.exists()
    # the menu item is hidden from the moderator too
    dashboard = client.get("/admin/")
    assert URL not in dashboard.content.decode()


def test_editor_sees_menu_and_link(client, events_index):
    login_admin(client, editor())
    assert URL in client.get("/admin/").content.decode()
    assert URL in client.get("/admin/eventi/").content.decode()


def test_form_page_runs_a_fixed_number_of_queries(client, events_index):
    login_admin(client, editor())

    def count():
        with capture() as queries:
            assert client.get(URL).status_code == 200
        return queries

    Association.objects.create(name="Prima", slug="prima")
    count()  # warm up per-session caches of the admin
    few = count()
    Association.objects.bulk_create(
        Association(name=f"Associazione {n}", slug=f"associazione-{n}") for n in range(60)
    )
    assert_fixed(few, count(), at_most=20)  # mostly the Wagtail admin chrome (menu, session, MFA)


def test_unsafe_links_are_reported_and_a_bad_file_imports_nothing(
    client, events_index, monkeypatch
):
    from tests.eventi.test_import import BAD_EVENT, UNSAFE_LINKS, refuse_the_impossible_event

    refuse_the_impossible_event(monkeypatch)
    login_admin(client, editor())
    response = client.post(URL, {"file": upload(BAD_EVENT)})
    assert response.status_code == 200
    assert "Evento «Evento impossibile»" in response.context["form"].errors["file"][0]
    assert not EventPage.objects.exists()

    response = client.post(URL, {"file": upload(UNSAFE_LINKS)})
    assert response.status_code == 200
    assert len(response.context["report"].created) == 5
    html = response.content.decode()
    assert "URL non sicuro ignorato (solo http e https): javascript:alert(document.cookie)" in html
    assert not EventPage.objects.filter(registration_url__startswith="javascript").exists()
