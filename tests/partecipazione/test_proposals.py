"""Proposals: listing, detail, create/edit, lifecycle, versions, timeline, query counts."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partecipazione import services
from partecipazione.models import Proposal, ProposalEvent, ProposalVersion
from partecipazione.queries import featured_proposals
from tests.factories import TopicFactory, UserFactory
from tests.partecipazione.factories import (
    AssociationFactory,
    CommentFactory,
    MembershipFactory,
    ProposalFactory,
)
from tests.queries import assert_fixed, assert_num_queries, capture

LIST = reverse("partecipazione:proposal_list")
CREATE = reverse("partecipazione:proposal_create")


def _payload(topic, **extra):
    data = {
        "title": "Una panchina della pace in piazza Stradivari",
        "summary": "Un luogo simbolico per ricordare le vittime di tutte le guerre.",
        "body": "<p>Proponiamo una panchina.</p><script>alert(1)</script>",
        "topic": topic.pk,
        "place": "Piazza Stradivari",
        "expected_participants": "50",
    }
    data.update(extra)
    return data


# --- featured_proposals --------------------------------------------------------------------


@pytest.mark.django_db
def test_featured_proposals_public_only_most_supported_first():
    topic = TopicFactory(slug="pace")
    low = ProposalFactory(support_count=1, topic=topic)
    high = ProposalFactory(support_count=9, topic=topic)
    ProposalFactory(support_count=50, state="draft")
    ProposalFactory(support_count=50, state="withdrawn")
    ProposalFactory(support_count=50, is_hidden=True)
    other = ProposalFactory(support_count=5)
    with assert_num_queries(1):
        result = featured_proposals(limit=3)
        [(p.topic, p.author, p.association) for p in result]
    assert result == [high, other, low]
    assert featured_proposals(limit=5, topic=topic) == [high, low]
    assert featured_proposals(topic="pace") == [high, low]
    assert featured_proposals(topic=topic.pk) == [high, low]
    assert featured_proposals(limit=1) == [high]


# --- list ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_list_shows_public_proposals_only(client):
    public = ProposalFactory(title="Una proposta visibile")
    ProposalFactory(title="Una bozza segreta", state="draft")
    ProposalFactory(title="Una proposta nascosta", is_hidden=True)
    response = client.get(LIST)
    assert response.status_code == 200
    assert public.title in response.text
    assert "Una bozza segreta" not in response.text
    assert "Una proposta nascosta" not in response.text


@pytest.mark.django_db
def test_list_filters_sort_and_search(client):
    topic = TopicFactory(slug="diritti-umani")
    assoc = AssociationFactory(slug="acli")
    a = ProposalFactory(title="Corridoi umanitari", topic=topic, support_count=3)
    b = ProposalFactory(title="Festa dei popoli", state="accepted", association=assoc)
    c = ProposalFactory(title="Scuole di pace", comment_count=7)
    assert [p.pk for p in client.get(LIST, {"topic": "diritti-umani"}).context["proposals"]] == [
        a.pk
    ]
    assert [p.pk for p in client.get(LIST, {"state": "accepted"}).context["proposals"]] == [b.pk]
    assert [p.pk for p in client.get(LIST, {"association": "acli"}).context["proposals"]] == [b.pk]
    assert [p.pk for p in client.get(LIST, {"q": "umanitari"}).context["proposals"]] == [a.pk]
    assert client.get(LIST, {"sort": "supported"}).context["proposals"][0] == a
    assert client.get(LIST, {"sort": "discussed"}).context["proposals"][0] == c
    assert client.get(LIST).context["proposals"][0] == c  # newest


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "?state=bogus",
        "?sort=drop%20table",
        "?page=abc",
        "?page=99999",
        "?topic=%00%ff",
        "?q=a%00b",
        "?q=" + "x" * 5000,
        "?state=draft",
        "?association[]=1&topic=<script>",
        "?page=-1&sort=",
    ],
)
def test_list_never_fails_on_bad_parameters(client, query):
    ProposalFactory()
    response = client.get(LIST + query)
    # NUL characters are refused before any view, with the 400 page (portal.core.input_guard)
    assert response.status_code == (400 if "%00" in query else 200)


@pytest.mark.django_db
def test_list_drafts_filter_is_not_possible(client):
    ProposalFactory(title="Bozza privata", state="draft")
    assert "Bozza privata" not in client.get(LIST + "?state=draft").text


@pytest.mark.django_db
def test_list_query_count_is_fixed(client):
    def count(n):
        ProposalFactory.create_batch(n, association=AssociationFactory())
        client.get(LIST)  # the page frame's cached lookups are warm (portal.core.cache)
        with capture() as queries:
            assert client.get(LIST).status_code == 200
        return queries

    client.get(LIST)  # warm the per-process caches (site, settings, content types)
    few = count(5)
    many = count(45)
    assert_fixed(few, many, at_most=15)


# --- detail --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_detail_query_count_is_fixed(client):
    user = UserFactory(verified=True)
    client.force_login(user)

    def measure(proposal, n):
        for i in range(n):
            parent = CommentFactory(target=proposal)
            CommentFactory(target=proposal, parent=parent, depth=1)
            ProposalEvent.objects.create(proposal=proposal, kind="edited")
            ProposalVersion.objects.create(proposal=proposal, number=i + 1, title="t", summary="s")
        client.get(proposal.get_absolute_url())  # warm the frame's cached lookups
        with capture() as queries:
            assert client.get(proposal.get_absolute_url()).status_code == 200
        return queries

    client.get(ProposalFactory().get_absolute_url())  # warm the per-process caches
    few = measure(ProposalFactory(), 5)
    many = measure(ProposalFactory(), 50)
    assert_fixed(few, many, at_most=15)


@pytest.mark.django_db
def test_detail_unknown_slug_is_404(client):
    assert client.get("/partecipazione/proposte/non-esiste/").status_code == 404


@pytest.mark.django_db
def test_draft_visible_to_author_only(client):
    draft = ProposalFactory(state="draft")
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(UserFactory(verified=True))
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(draft.author)
    assert client.get(draft.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_body_is_sanitised_on_output_even_if_stored_raw(client):
    proposal = ProposalFactory(
        body='<p onclick="x()">ok</p><script>alert(1)</script><a href="javascript:alert(1)">l</a>'
    )
    html = client.get(proposal.get_absolute_url()).text
    assert "<script>alert(1)" not in html
    assert "onclick" not in html
    assert "javascript:alert" not in html


# --- create and edit -----------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(CREATE)
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


@pytest.mark.django_db
def test_unverified_user_cannot_propose(client):
    client.force_login(UserFactory())
    assert client.post(CREATE, _payload(TopicFactory())).status_code == 403
    assert not Proposal.objects.exists()


@pytest.mark.django_db
def test_suspended_user_cannot_propose(client, suspended):
    client.force_login(suspended)
    assert client.post(CREATE, _payload(TopicFactory())).status_code == 403


@pytest.mark.django_db
def test_create_draft_sanitises_and_records_version_and_timeline(client, citizen):
    client.force_login(citizen)
    response = client.post(CREATE, _payload(TopicFactory()))
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url()
    assert proposal.state == "draft"
    assert proposal.author == citizen
    # The text is stored as written (Markdown source) and cleaned when shown.
    assert "Proponiamo una panchina" in proposal.body
    detail = client.get(response["Location"]).text
    assert "<p>Proponiamo una panchina.</p>" in detail
    assert "<script>" not in detail
    assert proposal.versions.count() == 1
    assert list(proposal.events.values_list("kind", flat=True)) == ["created"]


@pytest.mark.django_db
def test_create_and_submit(client, citizen):
    client.force_login(citizen)
    client.post(CREATE, _payload(TopicFactory(), submit="1"))
    proposal = Proposal.objects.get()
    assert proposal.state == "submitted"
    assert proposal.submitted_at is not None


@pytest.mark.django_db
def test_invalid_form_keeps_input_with_italian_messages(client, citizen):
    client.force_login(citizen)
    response = client.post(
        CREATE,
        _payload(TopicFactory(), title="", summary="x" * 400, expected_participants="tanti"),
    )
    assert response.status_code == 200
    assert "Scrivi un titolo." in response.text
    assert "Il sommario può avere al massimo 300 caratteri." in response.text
    assert "Indica un numero intero." in response.text
    assert "Piazza Stradivari" in response.text  # what the user typed is still there
    assert not Proposal.objects.exists()


@pytest.mark.django_db
def test_oversized_body_is_refused_with_a_message(client, citizen):
    client.force_login(citizen)
    response = client.post(CREATE, _payload(TopicFactory(), body="a" * 30000))
    assert response.status_code == 200
    assert "Il testo è troppo lungo" in response.text


@pytest.mark.django_db
def test_on_behalf_of_association_only_for_members(client, citizen):
    assoc = AssociationFactory()
    client.force_login(citizen)
    response = client.post(CREATE, _payload(TopicFactory(), association=assoc.pk))
    assert response.status_code == 200
    assert "associazione di cui sei socio attivo" in response.text
    MembershipFactory(association=assoc, user=citizen)
    client.force_login(citizen)
    client.post(CREATE, _payload(TopicFactory(slug="t2"), association=assoc.pk))
    assert Proposal.objects.get().association == assoc


@pytest.mark.django_db
def test_attachment_type_and_size_limits(client, citizen):
    client.force_login(citizen)
    topic = TopicFactory()
    bad = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(CREATE, {**_payload(topic), "attachment": bad})
    assert "Tipo di file non ammesso" in response.text
    big = SimpleUploadedFile("grande.pdf", b"0" * (5 * 1024 * 1024 + 1))
    response = client.post(CREATE, {**_payload(topic), "attachment": big})
    assert "Il file è troppo grande" in response.text
    ok = SimpleUploadedFile("programma.pdf", b"%PDF-1.4 ok", content_type="application/pdf")
    client.post(CREATE, {**_payload(topic), "attachment": ok, "attachment_title": "Programma"})
    assert Proposal.objects.get().attachments.get().title == "Programma"


@pytest.mark.django_db
def test_author_edits_submitted_keeps_versions_and_notifies_supporters(
    client, django_capture_on_commit_callbacks
):
    proposal = ProposalFactory(state="submitted")
    services._snapshot(proposal, proposal.author)
    supporter = UserFactory(verified=True)
    services.toggle_support(proposal, supporter)
    client.force_login(proposal.author)
    url = reverse("partecipazione:proposal_edit", kwargs={"slug": proposal.slug})
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail is enqueued at commit
        response = client.post(url, _payload(proposal.topic, title="Titolo nuovo"))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "Titolo nuovo"
    assert list(proposal.versions.values_list("number", flat=True)) == [1, 2]
    old = client.get(
        reverse("partecipazione:proposal_version", kwargs={"slug": proposal.slug, "number": 1})
    )
    assert "Proposta di pace numero" in old.text
    assert [m.to for m in mail.outbox] == [[supporter.email]]


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["under_review", "accepted", "rejected", "realised", "withdrawn"])
def test_author_cannot_edit_after_submission_stage(client, state):
    proposal = ProposalFactory(state=state)
    client.force_login(proposal.author)
    url = reverse("partecipazione:proposal_edit", kwargs={"slug": proposal.slug})
    response = client.post(url, _payload(proposal.topic, title="Cambiato"))
    proposal.refresh_from_db()
    assert proposal.title != "Cambiato"
    assert response.status_code in (302, 404)


@pytest.mark.django_db
def test_other_user_cannot_edit(client, citizen):
    proposal = ProposalFactory(state="draft")
    client.force_login(citizen)
    url = reverse("partecipazione:proposal_edit", kwargs={"slug": proposal.slug})
    assert client.post(url, _payload(proposal.topic, title="Cambiato")).status_code == 404


# --- lifecycle -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_full_lifecycle_with_public_timeline(client, moderator, django_capture_on_commit_callbacks):
    proposal = ProposalFactory(state="draft")
    author = proposal.author
    client.force_login(author)
    client.post(reverse("partecipazione:proposal_submit", kwargs={"slug": proposal.slug}))
    proposal.refresh_from_db()
    assert proposal.state == "submitted"
    with django_capture_on_commit_callbacks(execute=True):  # e-mails are enqueued at commit
        services.moderate_transition(proposal, "under_review", moderator, "La stiamo valutando.")
        with pytest.raises(services.TransitionError):
            services.moderate_transition(proposal, "rejected", moderator, "  ")
        services.moderate_transition(proposal, "accepted", moderator, "Ottima idea.")
        services.mark_realised(proposal, moderator, "Fatto a maggio.")
        with pytest.raises(services.TransitionError):
            services.moderate_transition(proposal, "draft", moderator)
    states = list(
        proposal.events.filter(kind="state").values_list("from_state", "to_state", "note")
    )
    assert states == [
        ("draft", "submitted", ""),
        ("submitted", "under_review", "La stiamo valutando."),
        ("under_review", "accepted", "Ottima idea."),
        ("accepted", "realised", "Fatto a maggio."),
    ]
    client.logout()
    html = client.get(proposal.get_absolute_url()).text
    assert "Ottima idea." in html and "Fatto a maggio." in html
    # the author was e-mailed at every moderator's change
    assert sum(author.email in m.to for m in mail.outbox) == 3


@pytest.mark.django_db
def test_reject_requires_public_reason(moderator):
    proposal = ProposalFactory(state="submitted")
    with pytest.raises(services.TransitionError):
        services.moderate_transition(proposal, "rejected", moderator, "")
    services.moderate_transition(proposal, "rejected", moderator, "Fuori dalle competenze.")
    proposal.refresh_from_db()
    assert proposal.state == "rejected"
    assert proposal.state_note == "Fuori dalle competenze."


@pytest.mark.django_db
def test_author_withdraws(client):
    proposal = ProposalFactory(state="under_review")
    client.force_login(proposal.author)
    url = reverse("partecipazione:proposal_withdraw", kwargs={"slug": proposal.slug})
    client.post(url, {"note": "Abbiamo cambiato idea."})
    proposal.refresh_from_db()
    assert proposal.state == "withdrawn"
    assert proposal.events.get(kind="state").note == "Abbiamo cambiato idea."


@pytest.mark.django_db
def test_other_user_cannot_withdraw(client, citizen):
    proposal = ProposalFactory(state="submitted")
    client.force_login(citizen)
    url = reverse("partecipazione:proposal_withdraw", kwargs={"slug": proposal.slug})
    assert client.post(url).status_code == 403
    proposal.refresh_from_db()
    assert proposal.state == "submitted"


@pytest.mark.django_db
def test_reserved_slug_is_never_used():
    assert services.unique_slug("Nuova") != "nuova"


@pytest.mark.django_db
def test_my_proposals_lists_own_drafts_only(client, citizen):
    ProposalFactory(author=citizen, title="La mia bozza", state="draft")
    ProposalFactory(title="Di qualcun altro", state="draft")
    url = reverse("partecipazione:my_proposals")
    assert client.get(url).status_code == 302
    client.force_login(citizen)
    html = client.get(url).text
    assert "La mia bozza" in html and "Di qualcun altro" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/partecipazione/proposte/non-esiste/versioni/1/"),
        ("get", "/partecipazione/commenti/999999/modifica/"),
        ("post", "/partecipazione/commenti/999999/elimina/"),
        ("post", "/partecipazione/proposte/non-esiste/sostieni/"),
        ("post", "/partecipazione/proposte/non-esiste/segui/"),
        ("post", "/partecipazione/proposte/non-esiste/ritira/"),
        ("get", "/partecipazione/proposte/non-esiste/modifica/"),
        ("get", "/partecipazione/associazioni/non-esiste/soci/"),
        ("post", "/partecipazione/associazioni/non-esiste/iscrizione/"),
    ],
)
def test_unknown_ids_are_404_never_500(client, citizen, method, path):
    client.force_login(citizen)
    assert getattr(client, method)(path).status_code == 404


@pytest.mark.django_db
def test_version_of_existing_proposal_unknown_number_is_404(client):
    proposal = ProposalFactory()
    url = reverse("partecipazione:proposal_version", kwargs={"slug": proposal.slug, "number": 7})
    assert client.get(url).status_code == 404
