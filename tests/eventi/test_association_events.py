"""Associations propose events from the site; editors approve them in the Wagtail admin."""

import html
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from wagtail.models import TaskState

from eventi.models import EventPage
from partecipazione.models import Notification
from tests.eventi.test_event_form import last_sunday
from tests.factories import TopicFactory, UserFactory, next_weekday
from tests.partecipazione.factories import AssociationFactory, MembershipFactory
from tests.wagtail_admin import mfa_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def association(db):
    return AssociationFactory(name="Casa della Pace")


@pytest.fixture
def member(association):
    return MembershipFactory(association=association).user


@pytest.fixture
def reviewer(db):
    """An approver: the editorial workflow's task belongs to Wagtail's Moderators."""
    user = UserFactory(verified=True, is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def propose_url(association):
    return reverse("eventi:association_event_propose", args=[association.slug])


def area_url(association):
    return reverse("partecipazione:association_area", args=[association.slug])


def fields(**changes):
    tuesday = next_weekday(1, weeks=3)
    data = {
        "title": "Cerchio di dialogo tra le fedi",
        "summary": "Un incontro aperto tra comunità religiose della città.",
        "body_text": "Porta una domanda.\n\nCi sarà un tè.",
        "start_date": tuesday.isoformat(),
        "start_time": "18:00",
        "end_time": "19:30",
        "frequency": "weekly",
        "interval": "1",
        "weekdays": ["1", "3"],
        "count": "6",
        "excluded": (tuesday + timedelta(days=7)).isoformat(),
        "online_url": "https://meet.example.org/dialogo",
        "is_free": "on",
        "step_free_access": "on",
        "accessibility_notes": "Ingresso dal cortile, senza gradini.",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a_member_proposes_a_weekly_event_that_waits_for_the_editors(
    client, association, member, events_index
):
    topic = TopicFactory(name="Dialogo fra comunità")
    client.force_login(member)
    area = client.get(area_url(association)).text
    assert propose_url(association) in area
    form = client.get(propose_url(association))
    assert form.status_code == 200
    for name in ("title", "weekdays", "excluded", "venue", "online_url", "step_free_access"):
        assert f'name="{name}"' in form.text

    response = client.post(propose_url(association), fields(topics=[topic.pk]))
    assert response.status_code == 302
    assert response["Location"] == area_url(association)
    page = EventPage.objects.get()
    assert not page.live and page.get_parent().pk == events_index.pk
    assert list(page.organisers.all()) == [association] and not page.organised_by_city
    assert page.submitted_by == member and page.weekdays == [1, 3]
    assert [d.date for d in page.excluded_dates.all()] == [date.fromisoformat(fields()["excluded"])]
    assert page.latest_revision.user == member
    assert page.workflow_in_progress

    text = html.unescape(client.get(response["Location"]).text)
    assert "inviato alla redazione" in text
    assert "Cerchio di dialogo tra le fedi" in text and "in revisione" in text

    # nobody else sees the draft: not the page, not the calendar, not the association's page
    client.logout()
    assert client.get(f"/eventi/{page.slug}/").status_code == 404
    assert "Cerchio di dialogo" not in client.get("/eventi/").text
    assert "Cerchio di dialogo" not in client.get(association.get_absolute_url()).text


def test_an_approver_publishes_it_from_the_admin_and_the_author_is_told(
    client, association, member, reviewer, events_index, django_capture_on_commit_callbacks
):
    client.force_login(member)
    client.post(propose_url(association), fields())
    page = EventPage.objects.get()
    mail.outbox.clear()

    client.logout()
    mfa_login(client, reviewer)
    dashboard = client.get(reverse("wagtailadmin_home")).text
    assert "Cerchio di dialogo tra le fedi" in dashboard  # "awaiting your review"
    task_state = TaskState.objects.get(workflow_state__object_id=str(page.pk))
    action = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail waits for the commit
        assert client.post(action, {"comment": ""}).status_code in (200, 302)
    page.refresh_from_db()
    assert page.live

    note = Notification.objects.get(recipient=member, kind=Notification.Kind.MY_EVENT)
    assert "è stato approvato e pubblicato" in note.message and note.url == page.url
    # one e-mail, the portal's (not Wagtail's admin notification, with its admin links)
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "Cerchio di dialogo tra le fedi" in mail.outbox[0].body
    assert "/admin/" not in mail.outbox[0].body

    client.logout()
    public = client.get(page.url)
    assert public.status_code == 200 and "Casa della Pace" in public.text
    client.force_login(member)
    area = html.unescape(client.get(area_url(association)).text)
    assert "pubblicato" in area and page.url in area


def test_a_rejection_comes_back_with_the_reason(
    client, association, member, reviewer, events_index
):
    client.force_login(member)
    client.post(propose_url(association), fields())
    page = EventPage.objects.get()
    client.logout()
    mfa_login(client, reviewer)
    task_state = TaskState.objects.get(workflow_state__object_id=str(page.pk))
    action = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "reject", task_state.pk])
    client.post(action, {"comment": "Manca il luogo esatto dell'incontro."})
    page.refresh_from_db()
    assert not page.live
    note = Notification.objects.get(recipient=member, kind=Notification.Kind.MY_EVENT)
    assert "non è stato approvato" in note.message
    assert "Manca il luogo esatto dell'incontro." in note.message

    client.force_login(member)
    area = html.unescape(client.get(area_url(association)).text)
    assert "non approvato" in area and "Manca il luogo esatto dell'incontro." in area


def test_bad_schedules_show_the_admin_messages_and_keep_what_was_typed(
    client, association, member, events_index
):
    client.force_login(member)
    tuesday = next_weekday(1, weeks=3)
    wrong_day = client.post(
        propose_url(association), fields(start_date=tuesday.isoformat(), weekdays=["3", "4"])
    )
    assert wrong_day.status_code == 400
    text = html.unescape(wrong_day.text)
    assert "Tra i giorni della settimana manca quello della data di inizio (martedì)" in text
    assert 'value="Cerchio di dialogo tra le fedi"' in text
    assert wrong_day.context["form"]["weekdays"].value() == ["3", "4"]

    spring = last_sunday(date.today().year + 1, 3)
    gap = client.post(
        propose_url(association),
        fields(
            start_date=spring.isoformat(),
            start_time="02:30",
            end_time="",
            frequency="none",
            weekdays=None,
            count=None,
            excluded=None,
        ),
    )
    assert gap.status_code == 400
    assert "l'ora non esiste" in gap.context["form"].errors["start_time"][0]
    assert gap.context["form"]["start_time"].value() == "02:30"

    not_in_series = client.post(
        propose_url(association), fields(excluded=(tuesday + timedelta(days=1)).isoformat())
    )
    assert (
        f"Il {tuesday + timedelta(days=1):%d/%m/%Y} non è una data dell'evento"
        in (not_in_series.context["form"].errors["excluded"][0])
    )
    nowhere = client.post(propose_url(association), fields(online_url=""))
    assert "Scegli il luogo dell'evento" in nowhere.context["form"].errors["venue"][0]
    english = client.post("/en" + propose_url(association), fields(weekdays=["3", "4"]))
    assert english.status_code == 400
    assert "The days of the week do not include the start date's day" in html.unescape(english.text)
    assert not EventPage.objects.exists()


def test_only_members_propose(client, association, events_index):
    outsider = UserFactory(verified=True)
    client.force_login(outsider)
    refused = client.get(propose_url(association))
    assert refused.status_code == 403
    assert "Solo i soci dell'associazione ne propongono gli eventi." in html.unescape(refused.text)
    client.post(propose_url(association), fields())
    assert not EventPage.objects.exists()
    client.logout()
    assert client.get(propose_url(association)).status_code == 302


def test_the_area_reads_events_in_a_fixed_number_of_queries(
    client, settings, association, member, events_index
):
    from tests.eventi.factories import make_event
    from tests.queries import assert_fixed, request_queries

    settings.PAGE_CACHE_SECONDS = 0

    made = []

    def add(n):
        for i in range(n):
            made.append(i)
            page = make_event(
                events_index,
                title=f"Evento dell'associazione {len(made)}",
                publish=i % 2 == 0,
                organisers=[association],
                submitted_by=member,
            )
            if not page.live:
                page.get_workflow().start(page, member)

    client.force_login(member)
    add(2)  # one published, one in review
    one = request_queries(client, area_url(association))
    add(4)
    five = request_queries(client, area_url(association))
    assert_fixed(one, five, at_most=25)
    assert html.unescape(five.response.content.decode()).count("in revisione") == 3
