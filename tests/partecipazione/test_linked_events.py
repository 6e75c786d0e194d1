"""Events born from a proposal / organised by an association, shown without importing eventi."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from eventi.models import EventIndexPage
from portal.accounts import roles
from tests.eventi.factories import make_event
from tests.factories import UserFactory, next_weekday
from tests.partecipazione.factories import AssociationFactory, ProposalFactory
from tests.queries import assert_fixed, capture
from tests.wagtail_admin import mfa_login

CREATE_BUTTON = "Crea un evento in bozza"


@pytest.fixture
def events_index(home_page):
    index = EventIndexPage(title="Eventi", slug="eventi")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    return EventIndexPage.objects.get(pk=index.pk)


def _private(page):
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="segreta"
    )


# --- proposal detail ------------------------------------------------------------------------


@pytest.mark.django_db
def test_realised_proposal_shows_only_live_public_events(client, events_index):
    proposal = ProposalFactory(state="realised")
    make_event(
        events_index,
        title="Marcia per la pace",
        source_proposal=proposal,
        start_date=next_weekday(6, weeks=8),
        slug="marcia",
    )
    make_event(
        events_index,
        title="Bozza non pubblicata",
        source_proposal=proposal,
        slug="bozza",
        publish=False,
    )
    private = make_event(
        events_index, title="Evento riservato", source_proposal=proposal, slug="riservato"
    )
    _private(private)
    make_event(
        events_index,
        title="Evento di un'altra proposta",
        slug="altro",
        source_proposal=ProposalFactory(state="realised"),
    )
    html = client.get(proposal.get_absolute_url()).text
    assert "Marcia per la pace" in html
    assert 'href="/eventi/marcia/"' in html
    assert f'datetime="{next_weekday(6, weeks=8).isoformat()}"' in html
    for hidden in ("Bozza non pubblicata", "Evento riservato", "Evento di un&#x27;altra proposta"):
        assert hidden not in html


@pytest.mark.django_db
def test_submitted_proposal_has_no_events_section(client, events_index):
    proposal = ProposalFactory(state="submitted")
    make_event(events_index, title="Evento anticipato", source_proposal=proposal, slug="x")
    assert "Evento anticipato" not in client.get(proposal.get_absolute_url()).text


@pytest.mark.django_db
def test_detail_query_count_fixed_with_one_or_many_events(client, events_index):
    client.force_login(UserFactory(verified=True))

    def measure(n):
        proposal = ProposalFactory(state="realised")
        for _ in range(n):
            make_event(events_index, source_proposal=proposal, slug=f"e-{proposal.pk}-{_}")
        client.get(
            proposal.get_absolute_url()
        )  # warm the frame's cached lookups (portal.core.cache)
        with capture() as queries:
            html = client.get(proposal.get_absolute_url()).text
        assert html.count('href="/eventi/e-') == n
        return queries

    measure(1)  # warm the per-process caches
    one = measure(1)
    many = measure(6)
    assert_fixed(one, many, at_most=15)


# --- association profile --------------------------------------------------------------------


@pytest.mark.django_db
def test_profile_lists_live_public_events_upcoming_first(client, events_index):
    assoc = AssociationFactory()
    today = timezone.localdate()
    make_event(
        events_index,
        title="Passato recente",
        slug="p1",
        organisers=[assoc],
        start_date=today - timedelta(days=10),
    )
    make_event(
        events_index,
        title="Tra un mese",
        slug="u2",
        organisers=[assoc],
        start_date=today + timedelta(days=30),
    )
    make_event(
        events_index,
        title="Domani",
        slug="u1",
        organisers=[assoc],
        start_date=today + timedelta(days=1),
    )
    make_event(events_index, title="Non pubblicato", slug="d", organisers=[assoc], publish=False)
    _private(make_event(events_index, title="Riservato", slug="r", organisers=[assoc]))
    make_event(events_index, title="Di altri", slug="o", organisers=[AssociationFactory()])
    html = client.get(assoc.get_absolute_url()).text
    assert html.index("Domani") < html.index("Tra un mese") < html.index("Passato recente")
    for hidden in ("Non pubblicato", "Riservato", "Di altri"):
        assert hidden not in html


@pytest.mark.django_db
def test_profile_shows_a_few_events_only(client, events_index):
    assoc = AssociationFactory()
    start = timezone.localdate() + timedelta(days=1)
    for i in range(8):
        make_event(
            events_index,
            title=f"Incontro {i}",
            slug=f"i{i}",
            organisers=[assoc],
            start_date=start + timedelta(days=i),
        )
    html = client.get(assoc.get_absolute_url()).text
    assert "Incontro 4" in html and "Incontro 5" not in html


@pytest.mark.django_db
def test_profile_query_count_fixed_with_one_or_many_events(client, events_index):
    def measure(n):
        assoc = AssociationFactory()
        for i in range(n):
            make_event(events_index, slug=f"a{assoc.pk}-{i}", organisers=[assoc])
        client.get(assoc.get_absolute_url())  # warm the frame's cached lookups (portal.core.cache)
        with capture() as queries:
            html = client.get(assoc.get_absolute_url()).text
        assert html.count(f'href="/eventi/a{assoc.pk}-') == min(n, 5)
        return queries

    measure(1)
    one = measure(1)
    many = measure(7)
    assert_fixed(one, many, at_most=15)


# --- "create a draft event" button ----------------------------------------------------------


def _editor():
    user = UserFactory(verified=True, is_staff=True)
    group = Group.objects.get_or_create(name=roles.EDITORS)[0]
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    return user


@pytest.mark.django_db
def test_editor_sees_create_event_button_on_accepted_proposal(client):
    proposal = ProposalFactory(state="accepted")
    client.force_login(_editor())
    html = client.get(proposal.get_absolute_url()).text
    assert CREATE_BUTTON in html
    assert f'action="{reverse("eventi_admin:create_event", args=[proposal.pk])}"' in html


@pytest.mark.django_db
def test_superuser_sees_create_event_button(client):
    proposal = ProposalFactory(state="accepted")
    superuser = UserFactory(verified=True, is_staff=True, is_superuser=True)
    client.force_login(superuser)  # password only: superuser powers need the second factor
    assert CREATE_BUTTON not in client.get(proposal.get_absolute_url()).text
    client.logout()
    mfa_login(client, superuser)
    assert CREATE_BUTTON in client.get(proposal.get_absolute_url()).text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who",
    [
        "anonymous",
        "citizen",
        "participation_moderator",
        "editor_without_admin_access",
        "admin_access_not_editor",
    ],
)
def test_create_event_button_hidden_for_others(client, who):
    proposal = ProposalFactory(state="accepted")
    if who != "anonymous":
        user = UserFactory(verified=True, is_staff=True)
        if who == "participation_moderator":
            user.groups.add(Group.objects.get_or_create(name=roles.PARTICIPATION_MODERATORS)[0])
        elif who == "editor_without_admin_access":
            editors = Group.objects.get_or_create(name=roles.EDITORS)[0]
            editors.permissions.remove(Permission.objects.get(codename="access_admin"))
            user.groups.add(editors)
        elif who == "admin_access_not_editor":
            user.user_permissions.add(Permission.objects.get(codename="access_admin"))
        client.force_login(user)
    assert CREATE_BUTTON not in client.get(proposal.get_absolute_url()).text


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["submitted", "under_review", "rejected", "realised"])
def test_create_event_button_only_for_accepted(client, state):
    proposal = ProposalFactory(state=state, state_note="Motivo")
    client.force_login(_editor())
    assert CREATE_BUTTON not in client.get(proposal.get_absolute_url()).text
