"""The journeys around a synchronised calendar: the association admin's page, the admin list."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from eventi.models import CalendarSource, EventPage
from portal.accounts import roles
from tests.eventi.test_sync import ics
from tests.factories import UserFactory
from tests.partecipazione.factories import AssociationFactory, MembershipFactory
from tests.queries import assert_fixed, request_queries
from tests.wagtail_admin import mfa_login


@pytest.fixture
def association(db):
    return AssociationFactory(is_verified=False)


@pytest.fixture
def association_admin(association):
    return MembershipFactory(association=association, role="admin").user


def page_url(association):
    return reverse("eventi:association_calendar", args=[association.slug])


def test_admin_registers_a_url_and_sees_the_status_after_syncing_now(
    client,
    association,
    association_admin,
    events_index,
    calendar_server,
    django_capture_on_commit_callbacks,
):
    url = calendar_server.serve("/cal.ics", ics(("a@x", "Assemblea", 5, 10)), etag='"1"')
    client.force_login(association_admin)
    profile = client.get(association.get_absolute_url())
    assert page_url(association) in profile.content.decode()

    page = client.get(page_url(association))
    html = page.content.decode()
    assert 'name="url"' in html and 'value="add"' in html
    assert "Nessun calendario collegato." in html

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            page_url(association), {"action": "add", "url": url, "name": "Google", "enabled": "on"}
        )
    assert response.status_code == 302 and response["Location"] == page_url(association)
    html = client.get(page_url(association)).content.decode()
    assert "Calendario collegato: il primo aggiornamento è in corso." in html
    assert "Ultimo aggiornamento:" in html and "1 evento" in html and "0 errori" in html
    assert "Assemblea" in html and "bozza" in html
    source = CalendarSource.objects.get(association=association)
    assert source.created_by == association_admin

    # the calendar changes; "Sincronizza ora" brings the new event in
    calendar_server.serve(
        "/cal.ics", ics(("a@x", "Assemblea", 5, 10), ("b@x", "Marcia", 8, 10)), etag='"2"'
    )
    a_while_ago = timezone.now() - timedelta(minutes=2)  # "Sincronizza ora" waits a minute
    CalendarSource.objects.filter(pk=source.pk).update(last_fetch_at=a_while_ago)
    assert f'name="source" value="{source.pk}"' in html and 'value="sync"' in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page_url(association), {"action": "sync", "source": source.pk})
    html = client.get(response["Location"]).content.decode()
    assert "Aggiornamento avviato" in html
    assert "2 eventi" in html and "1 nuovi, 0 aggiornati, 0 ritirati" in html
    assert "Marcia" in html


def test_sync_now_twice_in_a_minute_waits(
    client,
    association,
    association_admin,
    events_index,
    calendar_server,
    django_capture_on_commit_callbacks,
):
    url = calendar_server.serve("/cal.ics", ics(("a@x", "Assemblea", 5, 10)))
    client.force_login(association_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page_url(association), {"action": "add", "url": url, "enabled": "on"})
    source = CalendarSource.objects.get()
    response = client.post(
        page_url(association), {"action": "sync", "source": source.pk}, follow=True
    )
    assert "meno di un minuto fa" in response.content.decode()
    assert len(calendar_server.requests) == 1


def test_a_private_address_is_refused_in_the_form(client, association, association_admin, settings):
    settings.EVENTI_SYNC_ALLOW_PRIVATE_ADDRESSES = False
    client.force_login(association_admin)
    typed = "http://192.168.1.10/calendario.ics"
    response = client.post(page_url(association), {"action": "add", "url": typed, "name": "Casa"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "porta a una rete privata o locale" in html
    assert f'value="{typed}"' in html and 'value="Casa"' in html
    assert 'aria-invalid="true"' in html
    assert not CalendarSource.objects.exists()


def test_bad_and_duplicate_urls_get_clear_messages(
    client, association, association_admin, calendar_server
):
    client.force_login(association_admin)
    response = client.post(page_url(association), {"action": "add", "url": "ftp://x.org/a"})
    assert "webcal://" in response.content.decode()
    response = client.post(page_url(association), {"action": "add", "url": ""})
    assert "Indica l&#x27;indirizzo del calendario." in response.content.decode()
    url = calendar_server.url("/a.ics")
    CalendarSource.objects.create(association=association, url=url)
    response = client.post(page_url(association), {"action": "add", "url": url})
    assert "Questo calendario è già collegato." in response.content.decode()


def test_edit_and_remove_keep_the_events(
    client,
    association,
    association_admin,
    events_index,
    calendar_server,
    django_capture_on_commit_callbacks,
):
    url = calendar_server.serve("/cal.ics", ics(("a@x", "Assemblea", 5, 10)))
    client.force_login(association_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page_url(association), {"action": "add", "url": url, "enabled": "on"})
    source = CalendarSource.objects.get()
    edit = reverse("eventi:edit_calendar_source", args=[association.slug, source.pk])
    assert edit in client.get(page_url(association)).content.decode()
    assert 'name="url"' in client.get(edit).content.decode()
    response = client.post(edit, {"url": url, "name": "Il nostro calendario"})  # switched off
    assert response["Location"] == page_url(association)
    source.refresh_from_db()
    assert source.name == "Il nostro calendario" and not source.enabled
    html = client.get(page_url(association)).content.decode()
    assert "Disattivato" in html and 'value="sync"' not in html

    response = client.post(
        page_url(association), {"action": "remove", "source": source.pk}, follow=True
    )
    assert "Gli eventi già importati restano." in response.content.decode()
    assert not CalendarSource.objects.exists()
    assert EventPage.objects.filter(external_uid="a@x").exists()


def test_only_association_admins_reach_the_page(client, association):
    assert client.get(page_url(association))["Location"].startswith(reverse("account_login"))
    member = MembershipFactory(association=association).user
    client.force_login(member)
    assert client.get(page_url(association)).status_code == 403
    assert page_url(association) not in client.get(association.get_absolute_url()).content.decode()
    other = CalendarSource.objects.create(association=AssociationFactory(), url="https://x.org/a")
    admin = MembershipFactory(association=association, role="admin").user
    client.force_login(admin)
    response = client.post(page_url(association), {"action": "remove", "source": other.pk})
    assert response.status_code == 404
    assert CalendarSource.objects.filter(pk=other.pk).exists()


def test_the_page_runs_a_fixed_number_of_queries(
    client, association, association_admin, events_index, settings
):
    settings.PAGE_CACHE_SECONDS = 0
    source = CalendarSource.objects.create(association=association, url="https://x.org/a")
    client.force_login(association_admin)

    def add_events(n, start):
        for i in range(n):
            page = EventPage(
                title=f"Evento {start + i}",
                slug=f"evento-{start + i}",
                live=False,
                start_date=events_index.first_published_at.date(),
                calendar_source=source,
                external_uid=f"{start + i}@x",
            )
            events_index.add_child(instance=page)

    add_events(1, 0)
    one = request_queries(client, page_url(association))
    add_events(4, 1)
    CalendarSource.objects.create(association=association, url="https://x.org/b")
    many = request_queries(client, page_url(association))
    assert_fixed(one, many, at_most=20)


def test_moderators_list_sources_and_set_the_publish_mode(
    client, association, events_index, calendar_server
):
    url = calendar_server.serve("/cal.ics", ics(("a@x", "Assemblea", 5, 10)))
    moderator = UserFactory(verified=True, is_staff=True)
    moderator.groups.add(Group.objects.get_or_create(name=roles.PARTICIPATION_MODERATORS)[0])
    mfa_login(client, moderator)
    source = CalendarSource.objects.create(association=association, url=url)
    source.last_status, source.last_message = "error", "Il sito x.org non ha risposto in tempo."
    source.save()
    listing = client.get(reverse("calendar_sources:index"))
    assert listing.status_code == 200
    assert association.name in listing.content.decode()
    inspect = client.get(reverse("calendar_sources:inspect", args=[source.pk]))
    html = inspect.content.decode()
    assert "non ha risposto in tempo" in html
    sync_url = reverse("eventi_admin:sync_calendar_source", args=[source.pk])
    assert f'action="{sync_url}"' in html
    response = client.post(sync_url, follow=True)
    source.refresh_from_db()
    assert source.last_status == "ok" and source.event_count == 1
    assert "Aggiornamento avviato" in response.content.decode()

    edit = reverse("calendar_sources:edit", args=[source.pk])
    data = {
        "association": association.pk,
        "name": "",
        "url": source.url,
        "enabled": "on",
        "publish_mode": "publish",
    }
    response = client.post(edit, data)
    assert response.status_code == 200
    assert "associazioni verificate" in response.content.decode()
    association.is_verified = True
    association.save()
    response = client.post(edit, data)
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.publish_mode == "publish"


def test_editors_and_association_admins_do_not_reach_the_admin_list(
    client, association, association_admin
):
    client.force_login(association_admin)
    response = client.get(reverse("calendar_sources:index"))
    assert response.status_code in (302, 403)
    assert not re.search(r"Calendari collegati", response.content.decode())
