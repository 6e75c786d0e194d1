"""Associations: directory, profile, creation (unverified), members and roles."""

import html

import pytest
from django.urls import reverse

from partecipazione.models import Association, Membership
from tests.factories import TopicFactory, UserFactory
from tests.partecipazione.factories import AssociationFactory, MembershipFactory, ProposalFactory
from tests.queries import assert_fixed, capture

LIST = reverse("partecipazione:association_list")


@pytest.mark.django_db
def test_directory_search_and_topic(client):
    topic = TopicFactory(slug="dialogo-interreligioso")
    a = AssociationFactory(name="Centro Culturale Islamico")
    a.topics.add(topic)
    AssociationFactory(name="ACLI Cremona")
    html = client.get(LIST, {"q": "islamico"}).text
    assert "Centro Culturale Islamico" in html and "ACLI Cremona" not in html
    html = client.get(LIST, {"topic": "dialogo-interreligioso"}).text
    assert "Centro Culturale Islamico" in html and "ACLI Cremona" not in html
    assert client.get(LIST, {"page": "zz", "topic": "nessuno", "q": "a"}).status_code == 200
    # NUL characters are refused before any view (portal.core.input_guard)
    assert client.get(LIST, {"topic": "\x00", "q": "a\x00"}).status_code == 400


@pytest.mark.django_db
def test_directory_query_count_is_fixed(client):
    def measure(n):
        for _ in range(n):
            AssociationFactory().topics.add(TopicFactory())
        client.get(LIST)  # the page frame's cached lookups are warm (portal.core.cache)
        with capture() as queries:
            client.get(LIST)
        return queries

    measure(0)
    assert_fixed(measure(3), measure(10), at_most=15)


@pytest.mark.django_db
def test_profile_shows_public_proposals(client):
    assoc = AssociationFactory()
    ProposalFactory(association=assoc, title="Pubblica")
    ProposalFactory(association=assoc, title="Bozza", state="draft")
    html = client.get(assoc.get_absolute_url()).text
    assert "Pubblica" in html and "Bozza" not in html
    assert client.get("/partecipazione/associazioni/non-esiste/").status_code == 404


@pytest.mark.django_db
def test_create_association_stays_unverified_and_creator_is_admin(client, citizen):
    client.force_login(citizen)
    response = client.post(
        reverse("partecipazione:association_create"),
        {"name": "Casa dell'Accoglienza", "description": "Ospitalità", "website": "casa.example"},
    )
    assoc = Association.objects.get()
    assert response.status_code == 302
    assert not assoc.is_verified
    assert assoc.website == "https://casa.example"
    assert Membership.objects.get(association=assoc).role == "admin"


@pytest.mark.django_db
def test_create_association_errors_keep_input(client, citizen):
    AssociationFactory(name="ACLI Cremona")
    client.force_login(citizen)
    response = client.post(
        reverse("partecipazione:association_create"),
        {"name": "ACLI Cremona", "email": "non-una-mail", "phone": "0372 123"},
    )
    text = html.unescape(response.text)
    assert "Esiste già un'associazione con questo nome." in text
    assert "Indica un indirizzo e-mail valido." in text
    assert "0372 123" in text


@pytest.mark.django_db
def test_unverified_user_cannot_create(client):
    client.force_login(UserFactory())
    assert (
        client.post(reverse("partecipazione:association_create"), {"name": "X"}).status_code == 403
    )


@pytest.mark.django_db
def test_request_and_accept_membership(client, association, association_admin):
    applicant = UserFactory(verified=True)
    client.force_login(applicant)
    join = reverse("partecipazione:association_join", kwargs={"slug": association.slug})
    client.post(join, {"action": "request"})
    membership = Membership.objects.get(user=applicant)
    assert membership.status == "requested"
    assert association_admin.participation_notifications.exists()
    members = reverse("partecipazione:association_members", kwargs={"slug": association.slug})
    assert client.get(members).status_code == 403  # not an admin
    client.force_login(association_admin)
    client.post(members, {"action": "accept", "membership": membership.pk})
    membership.refresh_from_db()
    assert membership.status == "active"


@pytest.mark.django_db
def test_invite_registered_user_by_email(client, association, association_admin):
    invited = UserFactory(verified=True)
    client.force_login(association_admin)
    members = reverse("partecipazione:association_members", kwargs={"slug": association.slug})
    client.post(members, {"action": "invite", "email": invited.email.upper()})
    membership = Membership.objects.get(user=invited)
    assert membership.status == "invited"
    client.force_login(invited)
    join = reverse("partecipazione:association_join", kwargs={"slug": association.slug})
    client.post(join, {"action": "accept"})
    membership.refresh_from_db()
    assert membership.status == "active"


@pytest.mark.django_db
def test_last_admin_cannot_leave_or_be_demoted(client, association, association_admin):
    mine = Membership.objects.get(user=association_admin)
    client.force_login(association_admin)
    members = reverse("partecipazione:association_members", kwargs={"slug": association.slug})
    client.post(members, {"action": "make_member", "membership": mine.pk})
    client.post(members, {"action": "remove", "membership": mine.pk})
    join = reverse("partecipazione:association_join", kwargs={"slug": association.slug})
    client.post(join, {"action": "leave"})
    mine.refresh_from_db()
    assert mine.role == "admin"


@pytest.mark.django_db
def test_bad_membership_ids_never_500(client, association, association_admin):
    client.force_login(association_admin)
    members = reverse("partecipazione:association_members", kwargs={"slug": association.slug})
    for value in ("abc", "", "999999", "1e9"):
        assert client.post(members, {"action": "accept", "membership": value}).status_code == 302
    other = MembershipFactory()  # of another association
    client.post(members, {"action": "remove", "membership": other.pk})
    assert Membership.objects.filter(pk=other.pk).exists()


@pytest.mark.django_db
def test_invitation_does_not_tell_registered_from_unregistered(
    client, association, association_admin, django_capture_on_commit_callbacks
):
    import re

    from django.core import mail

    def same_page(response, email):
        page = response.content.decode().replace(email, "ADDRESS")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)

    invited = UserFactory(verified=True, display_name="Giulietta di Verona")
    client.force_login(association_admin)
    members = reverse("partecipazione:association_members", kwargs={"slug": association.slug})
    answers = []
    for email in ("nessuno@example.org", invited.email):
        with django_capture_on_commit_callbacks(execute=True):  # the e-mail is enqueued at commit
            response = client.post(members, {"action": "invite", "email": email}, follow=True)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Giulietta" not in page
        assert "Nessun utente registrato" not in page
        answers.append(same_page(response, email))
    assert answers[0] == answers[1]
    assert "riceverà un invito" in answers[0]
    # Inviting the same registered address again: the same answer, nothing new.
    again = client.post(members, {"action": "invite", "email": invited.email}, follow=True)
    assert same_page(again, invited.email) == answers[1]
    # The invitation is delivered by e-mail either way.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(["nessuno@example.org", invited.email])
    assert all(association.name in m.body for m in mail.outbox)
    assert Membership.objects.get(user=invited).status == "invited"
