"""Journey 2: a moderator accepts a proposal in the admin with a note; the author sees the new
state and the notification. Journey 4: an association admin invites a member, who accepts and
proposes on behalf of the association."""

import pytest
from django.core import mail
from django.urls import NoReverseMatch, reverse

from tests.e2e.helpers import log_in, missing, staff_login
from tests.e2e.pages import demo_email

pytestmark = pytest.mark.browser


def url_or_fail(name, **kwargs):
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        missing(f"URL {name!r} does not exist yet")


def submitted_proposal(author_key):
    from partecipazione import services
    from partecipazione.models import Proposal
    from portal.accounts.models import User
    from portal.taxonomy.models import Topic

    return services.create_proposal(
        Proposal(
            title="Un gemellaggio tra le scuole di Cremona e di Bethlehem",
            summary="Lettere, videochiamate e uno scambio di classi nel prossimo anno scolastico.",
            topic=Topic.objects.get(slug="educazione-alla-pace"),
        ),
        User.objects.get(email=demo_email(author_key)),
        submit=True,
    )


def test_moderator_accepts_a_proposal_and_the_author_is_told(page, demo_server):
    queue_url = url_or_fail("moderation_proposals:index")
    notifications_url = url_or_fail("partecipazione:notifications")
    proposal = submitted_proposal("citizen")
    note = "Accolta: la realizziamo con l'ufficio scuole a partire da marzo."

    staff_login(page, "moderator")
    moderate_path = f"/proposte/{proposal.pk}/modera/"
    link = None
    for number in range(1, 11):
        page.goto(f"{queue_url}?p={number}")
        candidate = page.locator(f"a[href*='{moderate_path}']")
        if candidate.count():
            link = candidate.first
            break
    assert link is not None, "the proposal is not in the moderation queue"
    with page.expect_navigation():
        link.click()
    form = page.locator(f"form[action$='{moderate_path}']")
    form.locator("select[name='state']").select_option("accepted")
    form.locator("textarea[name='note']").fill(note)
    with page.expect_navigation():
        form.get_by_role("button", name="Applica").click()
    proposal.refresh_from_db()
    assert proposal.state == "accepted"
    assert proposal.state_note == note
    assert "accolta" in page.inner_text("body").lower()

    # The author, logged in, sees the new state, the note and the notification.
    page.context.clear_cookies()
    log_in(page, demo_server.url, demo_email("citizen"))
    page.goto(proposal.get_absolute_url())
    main = page.inner_text("main")
    assert "accolta" in main.lower()
    assert note in main
    page.goto(notifications_url)
    assert proposal.title in page.inner_text("main")
    emails = [m for m in mail.outbox if demo_email("citizen") in m.to]
    if emails:  # immediate notifications by e-mail for this demo user
        assert any(proposal.title in m.body for m in emails)


def test_association_admin_invites_a_member_who_proposes_on_its_behalf(page, demo_server):
    url_or_fail("partecipazione:proposal_create")
    from partecipazione.models import Association, Membership, Proposal
    from portal.accounts.models import User

    admin_membership = (
        Membership.objects.filter(role="admin", status="active")
        .select_related("association", "user")
        .order_by("pk")
        .first()
    )
    if admin_membership is None:
        missing("the demo data has no association with an active admin")
    association = admin_membership.association
    invitee = User.objects.get(email=demo_email("citizen2"))
    Membership.objects.filter(association=association, user=invitee).delete()

    # The association admin invites a registered citizen.
    log_in(page, demo_server.url, admin_membership.user.email)
    page.goto(reverse("partecipazione:association_members", kwargs={"slug": association.slug}))
    invite = page.locator("main form:has(input[name=action][value=invite])")
    invite.locator("input[name=email]").fill(invitee.email)
    with page.expect_navigation():
        invite.locator("button[type=submit]").click()
    membership = Membership.objects.get(association=association, user=invitee)
    assert membership.status == "invited"

    # The invited citizen accepts on the association's page, then proposes on its behalf.
    page.context.clear_cookies()
    log_in(page, demo_server.url, invitee.email)
    page.goto(association.get_absolute_url())
    with page.expect_navigation():
        page.get_by_role("button", name="Accetta l'invito").click()
    membership.refresh_from_db()
    assert membership.status == "active"

    page.goto(reverse("partecipazione:proposal_create"))
    page.fill("[name=title]", "Una festa dei popoli al parco del Vecchio Passeggio")
    page.fill("[name=summary]", "Musica, cucine e giochi delle comunità che vivono a Cremona.")
    page.fill("[name=body]", "Una domenica di giugno, con le associazioni della consulta.")
    page.select_option("[name=topic]", index=1)
    page.select_option("[name=association]", str(association.pk))
    with page.expect_navigation():
        page.get_by_role("button", name="Salva e invia alla redazione").click()
    proposal = Proposal.objects.get(title__startswith="Una festa dei popoli")
    assert proposal.association_id == association.pk
    assert proposal.author_id == invitee.pk
    assert association.name in page.inner_text("main")
    assert Association.objects.filter(pk=association.pk).exists()
