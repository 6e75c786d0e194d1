"""One visibility check for reports, comments and follows (issue 13): no leak of private
proposals or pages, the same 404 for unknown and invisible targets."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction

from partecipazione.models import Comment, Report
from tests.factories import UserFactory
from tests.partecipazione.factories import CommentFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def report_url(obj):
    ct = ContentType.objects.get_for_model(obj)
    return reverse("partecipazione:report", kwargs={"ct_id": ct.pk, "object_id": obj.pk})


def comment_url(obj):
    ct = ContentType.objects.get_for_model(obj)
    return reverse("partecipazione:comment_post", kwargs={"ct_id": ct.pk, "object_id": obj.pk})


PRIVATE_PROPOSALS = {
    "draft": {"state": "draft"},
    "withdrawn": {"state": "withdrawn"},
    "hidden": {"state": "submitted", "is_hidden": True},
}


@pytest.mark.parametrize("kind", PRIVATE_PROPOSALS)
def test_report_form_of_a_private_proposal_is_404_like_an_unknown_one(client, citizen, kind):
    proposal = ProposalFactory(title="Titolo riservato", **PRIVATE_PROPOSALS[kind])
    client.force_login(citizen)
    response = client.get(report_url(proposal))
    assert response.status_code == 404
    assert "Titolo riservato" not in response.content.decode()
    assert proposal.slug not in response.content.decode()
    unknown = reverse(
        "partecipazione:report",
        kwargs={"ct_id": ContentType.objects.get_for_model(proposal).pk, "object_id": 99999},
    )
    assert client.get(unknown).status_code == 404
    # Anonymous visitors get the same answer (not the login page, which would confirm it).
    client.logout()
    assert client.get(report_url(proposal)).status_code == 404


def test_reports_cannot_hide_a_private_draft(client):
    draft = ProposalFactory(state="draft")
    for _ in range(3):
        client.force_login(UserFactory(verified=True))
        response = client.post(report_url(draft), {"reason": "spam"})
        assert response.status_code == 404
    draft.refresh_from_db()
    assert not draft.is_hidden
    assert not Report.objects.exists()
    # Its author can still work on it.
    client.force_login(draft.author)
    response = client.get(reverse("partecipazione:proposal_edit", kwargs={"slug": draft.slug}))
    assert response.status_code == 200


def test_public_proposal_and_comment_can_still_be_reported(client, citizen, proposal):
    comment = CommentFactory(target=proposal)
    client.force_login(citizen)
    assert client.get(report_url(proposal)).status_code == 200
    assert client.post(report_url(comment), {"reason": "spam"}).status_code == 302
    assert Report.objects.count() == 1


def test_comment_of_a_draft_cannot_be_reported(client, citizen):
    comment = CommentFactory(target=ProposalFactory(state="draft"))
    client.force_login(citizen)
    assert client.get(report_url(comment)).status_code == 404


def _child_page(home_page, title, **kwargs):
    slug = title.lower().replace(" ", "-")
    return home_page.add_child(instance=Page(title=title, slug=slug, **kwargs))


def test_comments_on_an_unpublished_page_are_404_without_its_title(client, citizen, home_page):
    page = _child_page(home_page, "Pagina non pubblicata", live=False)
    client.force_login(citizen)
    response = client.post(comment_url(page), {"body": "Ciao"})
    assert response.status_code == 404
    assert "Pagina non pubblicata" not in response.content.decode()
    assert not Comment.objects.exists()


def test_no_comments_on_password_protected_pages(client, citizen, home_page):
    page = _child_page(home_page, "Pagina protetta", live=True)
    PageViewRestriction.objects.create(
        page=page,
        restriction_type=PageViewRestriction.PASSWORD,
        password="segreta",  # noqa: S106
    )
    client.force_login(citizen)
    response = client.post(comment_url(page), {"body": "Ho commentato senza password"})
    assert response.status_code == 404
    assert "Pagina protetta" not in response.content.decode()
    assert not Comment.objects.exists()
    # A child of the protected page is protected too.
    child = _child_page(page, "Figlia protetta", live=True)
    assert client.post(comment_url(child), {"body": "Anche qui"}).status_code == 404


def test_public_live_page_still_takes_comments(client, citizen, home_page):
    page = _child_page(home_page, "Pagina pubblica", live=True)
    client.force_login(citizen)
    assert client.post(comment_url(page), {"body": "Bella"}).status_code == 302
    assert Comment.objects.count() == 1


def test_following_a_draft_is_404(client, citizen):
    draft = ProposalFactory(state="draft")
    client.force_login(citizen)
    url = reverse("partecipazione:proposal_follow", kwargs={"slug": draft.slug})
    assert client.post(url).status_code == 404


def test_generic_follow_view_asks_the_same_check(client, citizen):
    from portal.accounts import follows

    draft = ProposalFactory(state="draft")
    assert not follows.may_see(citizen, draft)
    assert follows.may_see(draft.author, draft)


def test_moderator_without_mfa_sees_no_drafts_on_the_public_site(client):
    from django.contrib.auth.models import Group

    from portal.accounts import roles
    from tests.wagtail_admin import mfa_login

    moderator = UserFactory(verified=True, is_staff=True)
    moderator.groups.add(Group.objects.get_or_create(name=roles.PARTICIPATION_MODERATORS)[0])
    draft = ProposalFactory(state="draft", title="Bozza riservata")
    hidden = ProposalFactory(state="submitted", is_hidden=True)
    # Password only (no authenticator yet): a citizen on the public site.
    response = client.post(
        reverse("account_login"), {"login": moderator.email, "password": "una-password-sicura-2026"}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == moderator.pk
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(report_url(draft)).status_code == 404
    client.logout()
    # With the second factor completed, the moderator sees them.
    mfa_login(client, moderator)
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert client.get(hidden.get_absolute_url()).status_code == 200
