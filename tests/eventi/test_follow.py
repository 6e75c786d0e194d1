"""Issue 15: follow a topic, an event, a venue, an association or a proposal from its page,
see it in the profile, get its events in the personal calendar and hear about them."""

import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from eventi.models import EventPage
from partecipazione.models import Notification
from portal.accounts import follows
from portal.accounts.models import Follow
from portal.taxonomy.models import Topic
from tests.eventi.factories import VenueFactory, edit_and_publish, make_event
from tests.factories import TopicFactory, UserFactory
from tests.home.factories import topic_page
from tests.partecipazione.factories import AssociationFactory, ProposalFactory

pytestmark = pytest.mark.django_db

KINDS = ["topic", "event", "venue", "association", "proposal"]
PASSWORD = "una-password-sicura-2026"


def soon(days):
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def world(home_page, events_index):
    """One thing of each kind, and one event reachable only through each of them."""
    pace = Topic.objects.get(slug="pace")
    venue = VenueFactory(name="Sala dei Quadri", slug="sala-dei-quadri")
    association = AssociationFactory(name="Tavola della pace", slug="tavola-della-pace")
    proposal = ProposalFactory(title="Un orto della pace", slug="orto-della-pace", state="accepted")
    events = {
        "topic": make_event(events_index, title="Per argomento", slug="e-t", topics=[pace]),
        "event": make_event(events_index, title="Seguito da sé", slug="e-e"),
        "venue": make_event(events_index, title="Per luogo", slug="e-v", venue=venue),
        "association": make_event(
            events_index, title="Per associazione", slug="e-a", organisers=[association]
        ),
        "proposal": make_event(
            events_index, title="Dalla proposta", slug="e-p", source_proposal=proposal
        ),
    }
    for day, page in enumerate(events.values(), start=3):
        edit_and_publish(page, start_date=soon(day))
    page = topic_page(home_page, slug="pace", title="Pace")
    targets = {
        "topic": (pace, page.url),
        "event": (EventPage.objects.get(pk=events["event"].pk), events["event"].url),
        "venue": (venue, f"{events_index.url}luoghi/{venue.slug}/"),
        "association": (association, association.get_absolute_url()),
        "proposal": (proposal, proposal.get_absolute_url()),
    }
    return targets, events


def toggle_url(obj):
    return reverse(
        "accounts:follow_toggle", args=[ContentType.objects.get_for_model(obj).pk, obj.pk]
    )


def feed_titles(client, user):
    url = reverse("eventi:personal_feed", kwargs={"token": follows.calendar_token(user)})
    response = client.get(url)
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}


def follow_form(html, obj):
    """The follow form of `obj` in the page, or None."""
    match = re.search(
        r'<form class="follow-form[^"]*" method="post" action="'
        + re.escape(toggle_url(obj))
        + r'">.*?</form>',
        html,
        re.S,
    )
    return match and match.group(0)


@pytest.mark.parametrize("kind", KINDS)
def test_follow_from_the_page_fills_the_personal_calendar(client, world, kind):
    targets, events = world
    obj, page_url = targets[kind]
    user = UserFactory(verified=True)
    client.force_login(user)

    html = client.get(page_url).content.decode()
    form = follow_form(html, obj)
    assert form, f"no follow button on the {kind} page"
    assert 'aria-pressed="false"' in form and "Segui" in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert f"«{unescape(str(obj))}»" in unescape(form)  # the hidden label names it
    assert events[kind].title not in feed_titles(client, user)

    response = client.post(toggle_url(obj), {"azione": "segui", "next": page_url})
    assert response.status_code == 302 and response["Location"] == page_url
    assert follows.is_following(user, obj)
    page = client.get(page_url).content.decode()
    assert "Ora segui" in page  # the success message
    form = follow_form(page, obj)
    assert 'aria-pressed="true"' in form and "Non seguire più" in form

    titles = feed_titles(client, user)
    assert events[kind].title in titles
    assert titles == {events[kind].title}, "only what is followed"

    # the same form sent twice does not undo itself
    client.post(toggle_url(obj), {"azione": "segui", "next": page_url})
    assert follows.is_following(user, obj)

    client.post(toggle_url(obj), {"azione": "non-seguire", "next": page_url})
    assert not follows.is_following(user, obj)
    assert events[kind].title not in feed_titles(client, user)
    assert 'aria-pressed="false"' in follow_form(client.get(page_url).content.decode(), obj)


@pytest.mark.parametrize("kind", KINDS)
def test_anonymous_visitors_get_a_login_link_back_to_the_page(client, world, kind):
    targets, _ = world
    obj, page_url = targets[kind]
    html = client.get(page_url).content.decode()
    assert follow_form(html, obj) is None
    login = reverse("account_login")
    links = re.findall(
        r'<a class="btn btn-sm btn-outline-primary follow-login" href="([^"]+)"', html
    )
    assert links, f"no login link on the {kind} page"
    link = urlsplit(unescape(links[0]))
    assert link.path == login
    assert parse_qs(link.query)["next"] == [f"{page_url}?segui=1"]
    assert "Accedi per seguire" in html


def test_the_cached_anonymous_page_carries_nothing_of_a_signed_in_user(client, settings, world):
    settings.PAGE_CACHE_SECONDS = 300
    targets, _ = world
    venue, page_url = targets["venue"]
    user = UserFactory(verified=True, display_name="Giulia Segreta")
    follows.follow(user, venue)
    signed_in = Client()
    signed_in.force_login(user)
    assert "Non seguire più" in signed_in.get(page_url).content.decode()
    client.get(page_url)  # fills the anonymous cache
    response = client.get(page_url)
    assert response.get("X-Cache") == "HIT"
    html = response.content.decode()
    assert "Accedi per seguire" in html
    assert "Non seguire più" not in html and "Giulia Segreta" not in html
    assert "Non seguire più" in signed_in.get(page_url).content.decode()  # never the cache


def test_login_round_trip_comes_back_to_the_page_and_asks_to_confirm(client, world):
    targets, _ = world
    venue, page_url = targets["venue"]
    user = UserFactory(verified=True)
    html = client.get(page_url).content.decode()
    href = unescape(
        re.search(r'class="btn btn-sm btn-outline-primary follow-login" href="([^"]+)"', html)[1]
    )
    assert client.get(href).status_code == 200
    response = client.post(href, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == f"{page_url}?segui=1"
    assert not Follow.objects.exists(), "following needs a POST"
    page = client.get(response["Location"]).content.decode()
    form = follow_form(page, venue)
    assert "premi «Segui»" in form and "btn-primary" in form
    client.post(toggle_url(venue), {"azione": "segui", "next": page_url})
    assert follows.is_following(user, venue)


def test_unverified_and_hidden_cannot_be_followed(client, world):
    targets, _ = world
    draft = ProposalFactory(state="draft")
    citizen = UserFactory(verified=True)
    client.force_login(citizen)
    assert client.post(toggle_url(draft), {"azione": "segui"}).status_code == 404
    unverified = UserFactory()
    client.force_login(unverified)
    venue, page_url = targets["venue"]
    response = client.post(toggle_url(venue), {"azione": "segui", "next": page_url})
    assert response.status_code == 302
    assert not Follow.objects.exists()


def test_profile_lists_follows_by_kind_with_links_and_unfollow(client, world):
    targets, _ = world
    user = UserFactory(verified=True)
    for obj, _url in targets.values():
        follows.follow(user, obj)
    client.force_login(user)
    html = client.get(reverse("accounts:profile")).content.decode()
    headings = re.findall(r'<h4 class="h6 mt-3" id="seguiti-[^"]+">([^<]+)</h4>', html)
    assert headings == ["Argomenti", "Eventi", "Luoghi", "Associazioni", "Proposte"]
    for kind, (obj, url) in targets.items():
        assert f'<a href="{url}">' in html, kind
        assert 'aria-pressed="true"' in follow_form(html, obj)
    assert reverse("eventi:personal_feed", kwargs={"token": follows.calendar_token(user)}) in html
    venue, _url = targets["venue"]
    profile = reverse("accounts:profile")
    response = client.post(toggle_url(venue), {"azione": "non-seguire", "next": profile})
    assert response["Location"] == profile
    assert not follows.is_following(user, venue)
    assert follow_form(client.get(profile).content.decode(), venue) is None


# --- notifications --------------------------------------------------------------------------


def test_new_event_in_something_followed_tells_each_follower_once(world, events_index):
    targets, _ = world
    pace, venue, association = (targets[k][0] for k in ("topic", "venue", "association"))
    everything = UserFactory(verified=True)
    for obj in (pace, venue, association):
        follows.follow(everything, obj)
    by_venue = UserFactory(verified=True)
    follows.follow(by_venue, venue)
    other = UserFactory(verified=True)
    follows.follow(other, TopicFactory())
    Notification.objects.all().delete()

    event = make_event(
        events_index,
        title="Marcia Perugia-Assisi",
        start_date=soon(10),
        topics=[pace],
        venue=venue,
        organisers=[association],
    )
    told = Notification.objects.filter(kind=Notification.Kind.FOLLOWED_NEW_EVENT)
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(
        [everything.pk, by_venue.pk]
    )
    assert "Marcia Perugia-Assisi" in told.first().message
    assert told.first().url == event.url

    # a change of wording only: nobody is told
    edit_and_publish(event, summary="Un altro sommario.")
    assert Notification.objects.count() == 2


def test_changes_and_cancellation_of_a_followed_event(world):
    targets, events = world
    page, _url = targets["event"]
    follower = UserFactory(verified=True)
    follows.follow(follower, page)
    follows.follow(follower, targets["topic"][0])  # not this event's topic: no double
    Notification.objects.all().delete()

    edit_and_publish(page, start_date=soon(20))
    changed = Notification.objects.get(recipient=follower)
    assert changed.kind == Notification.Kind.FOLLOWED_EVENT
    assert "è cambiato" in changed.message

    edit_and_publish(page, status="cancelled", status_reason="Maltempo")
    cancelled = Notification.objects.filter(recipient=follower).first()
    assert "annullato" in cancelled.message
    assert Notification.objects.filter(recipient=follower).count() == 2


def test_change_by_several_paths_is_one_notification(world):
    targets, events = world
    event = events["venue"]
    venue = targets["venue"][0]
    follower = UserFactory(verified=True)
    follows.follow(follower, venue)
    follows.follow(follower, EventPage.objects.get(pk=event.pk))
    Notification.objects.all().delete()
    edit_and_publish(event, start_date=soon(30))
    assert Notification.objects.filter(recipient=follower).count() == 1


# --- the badge and the notifications page --------------------------------------------------


def test_badge_counts_unread_and_the_page_marks_them_read(client, world):
    targets, _ = world
    user = UserFactory(verified=True)
    mine = [
        Notification.objects.create(recipient=user, kind="followed_event", message=f"Avviso {n}")
        for n in range(3)
    ]
    someone_else = Notification.objects.create(
        recipient=UserFactory(), kind="followed_event", message="Non tua"
    )
    client.force_login(user)
    _obj, page_url = targets["event"]
    html = client.get(page_url).content.decode()
    assert "Notifiche: 3 non lette" in html
    assert '<span class="badge bg-danger ms-1" aria-hidden="true">3</span>' in html

    url = reverse("partecipazione:notifications")
    listing = client.get(url).content.decode()
    assert "Hai 3 notifiche non lette." in listing and "Non tua" not in listing
    read_url = reverse("partecipazione:notification_read", args=[mine[0].pk])
    assert read_url in listing
    assert client.get(read_url).status_code == 405
    response = client.post(read_url, {"page": "1"})
    assert response.status_code == 302
    mine[0].refresh_from_db()
    assert mine[0].read_at is not None
    assert "Notifiche: 2 non lette" in client.get(page_url).content.decode()
    # someone else's notification is not there for me
    other_url = reverse("partecipazione:notification_read", args=[someone_else.pk])
    assert client.post(other_url).status_code == 404
    someone_else.refresh_from_db()
    assert someone_else.read_at is None

    client.post(url)  # mark all as read
    html = client.get(page_url).content.decode()
    assert "Notifiche: nessuna non letta" in html and "bg-danger ms-1" not in html


def test_anonymous_pages_carry_no_badge(client, world):
    targets, _ = world
    html = client.get(targets["event"][1]).content.decode()
    assert "Notifiche:" not in html


# --- query counts ----------------------------------------------------------------------------


def captured(client, url) -> list[str]:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in ctx.captured_queries]


def reading(queries, table) -> int:
    return sum(f'FROM "{table}"' in sql for sql in queries)


@pytest.mark.parametrize("kind", KINDS)
def test_the_button_and_badge_add_two_queries_whatever_is_followed(client, world, kind):
    targets, _ = world
    obj, page_url = targets[kind]
    anonymous = captured(client, page_url)
    assert reading(anonymous, "accounts_follow") == 0  # anonymous: a plain login link
    assert reading(anonymous, "partecipazione_notification") == 0
    user = UserFactory(verified=True)
    client.force_login(user)
    signed_in = captured(client, page_url)
    # the follow state (one exists(); on the proposal page a subquery of the proposal's own
    # query) and the unread count: that is all the button and the badge add
    assert reading(signed_in, "accounts_follow") == 1
    assert reading(signed_in, "partecipazione_notification") == 1
    # following it, and many other things, and having notifications changes nothing
    follows.follow(user, obj)
    for n in range(10):
        follows.follow(user, TopicFactory(name=f"Altro {n}", slug=f"altro-{n}"))
        follows.follow(user, VenueFactory())
        Notification.objects.create(recipient=user, kind="followed_event", message=f"N {n}")
    assert len(captured(client, page_url)) == len(signed_in)


def test_an_unpublished_event_can_still_be_unfollowed_by_its_follower_only(client, world):
    targets, _ = world
    page, _url = targets["event"]
    follower = UserFactory(verified=True)
    follows.follow(follower, page)
    page.unpublish()
    stranger = UserFactory(verified=True)
    client.force_login(stranger)
    assert client.post(toggle_url(page), {"azione": "non-seguire"}).status_code == 404
    assert client.post(toggle_url(page), {"azione": "segui"}).status_code == 404
    client.force_login(follower)
    assert client.post(toggle_url(page), {"azione": "segui"}).status_code == 404
    profile = reverse("accounts:profile")
    response = client.post(toggle_url(page), {"azione": "non-seguire", "next": profile})
    assert response.status_code == 302 and response["Location"] == profile
    assert not Follow.objects.exists()


def test_notifications_and_their_emails_are_in_the_site_language(
    world, events_index, django_capture_on_commit_callbacks
):
    from django.core import mail
    from django.utils import translation

    targets, _ = world
    follower = UserFactory(verified=True, email_notifications="immediate")
    follows.follow(follower, targets["venue"][0])
    mail.outbox.clear()
    # an editor whose admin is in English publishes; the e-mail is enqueued at commit
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        make_event(events_index, title="Concerto", start_date=soon(5), venue=targets["venue"][0])
    notification = Notification.objects.get(recipient=follower)
    assert notification.message.startswith("Nuovo evento")
    assert [m.to for m in mail.outbox] == [[follower.email]]
    assert "Nuovo evento" in mail.outbox[0].body
    assert "novità" in mail.outbox[0].subject
