"""Journey 1: a citizen signs up, verifies the e-mail, proposes, supports, comments and replies.

Journey 4 (association admin invites a member who proposes on behalf of the association) lives
here too. A step whose URL or demo object is missing fails with the reason.
"""

import pytest
from django.urls import NoReverseMatch, reverse

from tests.e2e.helpers import last_link_in_outbox, missing

pytestmark = pytest.mark.browser

PASSWORD = "Pace-e-Dialogo-2026!"


def url_or_fail(name, **kwargs):
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        missing(f"URL {name!r} does not exist yet")


def sign_up_and_verify(page, email, first, last, display):
    page.goto(reverse("account_signup"))
    page.fill("input[name=first_name]", first)
    page.fill("input[name=last_name]", last)
    page.fill("input[name=display_name]", display)
    page.fill("input[name=email]", email)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    # Bootstrap Italia draws the checkbox with its label: people click the label.
    page.locator("label[for=id_privacy_accepted]").click()
    assert page.is_checked("input[name=privacy_accepted]")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator(".is-invalid, .invalid-feedback").count() == 0, page.inner_text("main")

    from allauth.account.models import EmailAddress

    assert not EmailAddress.objects.filter(email=email, verified=True).exists()
    page.goto(last_link_in_outbox(email, r"https?://\S+/confirm-email/\S+"))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert EmailAddress.objects.filter(email=email, verified=True).exists()
    assert page.get_by_role("button", name="Esci").is_visible(), "not logged in after verifying"


def proposal_of_someone_else(user):
    """A public proposal by another citizen, with a visible comment to reply to."""
    from partecipazione import services
    from partecipazione.models import Comment, Proposal
    from portal.accounts.models import User
    from portal.taxonomy.models import Topic
    from tests.e2e.pages import demo_email

    other = (
        Proposal.objects.filter(state__in=["submitted", "under_review", "accepted"])
        .exclude(author=user)
        .filter(is_hidden=False)
        .order_by("pk")
        .first()
    )
    author = User.objects.get(email=demo_email("citizen2"))
    if other is None:  # the demo data has none (yet): make one as a citizen would
        other = services.create_proposal(
            Proposal(
                title="Una biblioteca vivente in piazza Stradivari",
                summary="Persone di culture diverse si raccontano a chi le vuole ascoltare.",
                topic=Topic.objects.get(slug="intercultura"),
            ),
            author,
            submit=True,
        )
    visible = Comment.objects.filter(object_id=other.pk, is_pending=False, is_hidden=False)
    if not visible.filter(content_type__model="proposal").exists():
        services.post_comment(other, author, "Chi vuole aiutare con i tavoli e le sedie?")
    return other


def test_citizen_signs_up_proposes_supports_comments_and_replies(page, demo_server):
    create_url = url_or_fail("partecipazione:proposal_create")
    from partecipazione.models import Comment, Proposal, Support
    from portal.accounts.models import User

    email = "elena.ponzoni@example.org"
    sign_up_and_verify(page, email, "Elena", "Ponzoni", "Elena P.")
    user = User.objects.get(email=email)

    # Write and submit a proposal.
    page.goto(create_url)
    page.fill("[name=title]", "Un murale per la pace al quartiere Po")
    page.fill("[name=summary]", "Dipingere con i ragazzi del quartiere un murale sul dialogo.")
    page.fill("[name=body]", "Con le scuole e gli oratori, in primavera, sul muro della palestra.")
    page.select_option("[name=topic]", index=1)
    with page.expect_navigation():
        page.get_by_role("button", name="Salva e invia alla redazione").click()
    proposal = Proposal.objects.get(author=user)
    assert proposal.state == "submitted", proposal.state
    assert page.url.endswith(proposal.get_absolute_url())
    assert "Un murale per la pace" in page.inner_text("main h1")

    # Support another citizen's proposal (exactly once in the database).
    other = proposal_of_someone_else(user)
    before = other.support_count
    page.goto(other.get_absolute_url())
    with page.expect_navigation():
        page.get_by_role("button", name="Sostieni").click()
    assert Support.objects.filter(proposal=other, user=user).count() == 1
    other.refresh_from_db()
    assert other.support_count == before + 1
    assert page.get_by_role("button", name="Togli il sostegno").is_visible()

    # Comment on it, then reply to an existing comment.
    page.fill("#comment-body-new", "Bella idea: la sosterrò anche con la mia associazione.")
    with page.expect_navigation():
        page.get_by_role("button", name="Pubblica il commento").click()
    mine = Comment.objects.filter(author=user, parent__isnull=True).get()
    if not mine.is_pending:  # new accounts may be pre-moderated: then it waits for a moderator
        assert "Bella idea" in page.inner_text("main")

    reply_to = page.locator("details:has(summary:text('Rispondi'))").first
    if reply_to.count() == 0:
        pytest.fail("no comment offers «Rispondi» on the proposal page")
    reply_to.locator("summary").click()
    reply_to.locator("textarea[name=body]").fill("Grazie, ci vediamo all'incontro di quartiere.")
    with page.expect_navigation():
        reply_to.get_by_role("button", name="Rispondi").click()
    reply = Comment.objects.filter(author=user, parent__isnull=False).get()
    assert reply.parent_id is not None
    assert "ci vediamo all'incontro" in page.inner_text("main")
