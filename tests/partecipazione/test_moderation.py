"""Moderation: reports and auto-hide, hide/restore, suspensions, verification, the log, admin."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from partecipazione import services
from partecipazione.models import Comment, ModerationLog, Proposal, Report
from tests.factories import UserFactory
from tests.partecipazione.factories import AssociationFactory, CommentFactory, ProposalFactory
from tests.wagtail_admin import mfa_login

ADMIN_PAGES = [
    "moderation_proposals:index",
    "moderation_comments:index",
    "partecipazione_admin:reports",
    "partecipazione_admin:suspensions",
    "moderation_associations:index",
    "partecipazione_admin:log",
]


def report_url(obj):
    ct = ContentType.objects.get_for_model(obj)
    return reverse("partecipazione:report", kwargs={"ct_id": ct.pk, "object_id": obj.pk})


@pytest.mark.django_db
def test_report_form_and_duplicate(client, citizen, proposal):
    comment = CommentFactory(target=proposal)
    client.force_login(citizen)
    assert client.get(report_url(comment)).status_code == 200
    response = client.post(report_url(comment), {"reason": "nonsense"})
    assert response.status_code == 400
    assert "Scegli un motivo." in response.text
    client.post(report_url(comment), {"reason": "spam", "note": "pubblicità"})
    client.post(report_url(comment), {"reason": "offensive"})
    assert Report.objects.count() == 1
    comment.refresh_from_db()
    assert comment.report_count == 1


@pytest.mark.django_db
def test_anonymous_and_author_cannot_report(client, proposal):
    comment = CommentFactory(target=proposal)
    assert client.post(report_url(comment), {"reason": "spam"}).status_code == 302
    client.force_login(comment.author)
    client.post(report_url(comment), {"reason": "spam"})
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_unknown_report_targets_are_404(client, citizen):
    client.force_login(citizen)
    assert client.get("/partecipazione/segnala/99999/1/").status_code == 404
    ct = ContentType.objects.get_for_model(Comment)
    assert client.get(f"/partecipazione/segnala/{ct.pk}/424242/").status_code == 404


@pytest.mark.django_db
@override_settings(PORTAL_REPORTS_TO_HIDE=3)
@pytest.mark.parametrize("kind", ["comment", "proposal"])
def test_auto_hide_after_n_reports(client, kind):
    proposal = ProposalFactory()
    obj = CommentFactory(target=proposal) if kind == "comment" else proposal
    for _ in range(2):
        services.report(obj, UserFactory(verified=True), "spam")
    obj.refresh_from_db()
    assert not obj.is_hidden
    services.report(obj, UserFactory(verified=True), "offensive")
    obj.refresh_from_db()
    assert obj.is_hidden and obj.report_count == 3
    assert ModerationLog.objects.filter(action="auto_hide").count() == 1
    if kind == "proposal":
        assert client.get(proposal.get_absolute_url()).status_code == 404
    else:
        html = client.get(proposal.get_absolute_url()).text
        assert "commento nascosto dalla moderazione" in html
        assert obj.body not in html


@pytest.mark.django_db
def test_hide_and_restore_are_logged_with_reason(moderator, proposal):
    comment = CommentFactory(target=proposal)
    services.report(comment, UserFactory(verified=True), "spam")
    services.hide(comment, moderator, "Pubblicità")
    comment.refresh_from_db()
    assert comment.is_hidden and comment.report_count == 0
    assert Report.objects.get().status == "upheld"
    services.restore(comment, moderator, "Ricontrollato")
    comment.refresh_from_db()
    assert not comment.is_hidden
    log = list(ModerationLog.objects.order_by("created_at", "pk").values_list("action", "reason"))
    assert log == [("hide", "Pubblicità"), ("restore", "Ricontrollato")]
    assert ModerationLog.objects.filter(actor=moderator).count() == 2


@pytest.mark.django_db
def test_hidden_comment_not_counted(moderator, proposal):
    comment = services.post_comment(proposal, UserFactory(verified=True), "ciao")
    proposal.refresh_from_db()
    assert proposal.comment_count == 1
    services.hide(comment, moderator, "spam")
    proposal.refresh_from_db()
    assert proposal.comment_count == 0


@pytest.mark.django_db
def test_suspended_user_cannot_post_anything(client, moderator, proposal):
    user = UserFactory(verified=True)
    services.suspend(user, moderator, "Insulti ripetuti")
    client.force_login(user)
    ct = ContentType.objects.get_for_model(proposal)
    client.post(
        reverse("partecipazione:comment_post", kwargs={"ct_id": ct.pk, "object_id": proposal.pk}),
        {"body": "ciao"},
    )
    client.post(reverse("partecipazione:proposal_support", kwargs={"slug": proposal.slug}))
    client.post(report_url(proposal), {"reason": "spam"})
    assert not Comment.objects.exists()
    assert proposal.supports.count() == 0
    assert not Report.objects.exists()
    assert ModerationLog.objects.get(action="suspend").reason == "Insulti ripetuti"


# --- admin screens -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_admin_pages_for_moderators_only(client, moderator, editor, page):
    ProposalFactory(state="submitted")
    AssociationFactory(is_verified=False)
    url = reverse(page)
    mfa_login(client, moderator)
    assert client.get(url).status_code == 200
    client.force_login(editor)
    assert client.get(url).status_code in (302, 403)
    client.force_login(UserFactory(verified=True))
    assert client.get(url).status_code in (302, 403)


@pytest.mark.django_db
def test_admin_menu_shown_to_moderators_not_editors(client, moderator, editor):
    mfa_login(client, moderator)
    assert "Proposte da esaminare" in client.get("/admin/").text
    client.force_login(editor)
    response = client.get("/admin/")
    assert "Proposte da esaminare" not in response.text


@pytest.mark.django_db
def test_admin_queue_changes_state_and_emails_author(
    client, moderator, django_capture_on_commit_callbacks
):
    proposal = ProposalFactory(state="submitted")
    mfa_login(client, moderator)
    url = reverse("moderation_proposals:moderate", kwargs={"pk": proposal.pk})
    response = client.post(url, {"state": "rejected", "note": ""})
    assert response.status_code == 200  # the form again, with the reason asked for
    assert "Per respingere una proposta serve una motivazione pubblica." in response.text
    proposal.refresh_from_db()
    assert proposal.state == "submitted"  # a reason is required
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail is enqueued at commit
        response = client.post(url, {"state": "rejected", "note": "Già in programma."})
    assert response.status_code == 302
    assert response["Location"] == reverse("moderation_proposals:index")
    proposal.refresh_from_db()
    assert proposal.state == "rejected"
    assert [m.to for m in mail.outbox] == [[proposal.author.email]]
    assert "Già in programma." in mail.outbox[0].body
    entry = ModerationLog.objects.get(action="state")
    assert entry.actor == moderator and "Già in programma." in entry.reason


@pytest.mark.django_db
def test_editor_cannot_moderate_by_post(client, editor):
    proposal = ProposalFactory(state="submitted")
    client.force_login(editor)
    url = reverse("moderation_proposals:moderate", kwargs={"pk": proposal.pk})
    client.post(url, {"state": "accepted"})
    proposal.refresh_from_db()
    assert proposal.state == "submitted"


@pytest.mark.django_db
def test_admin_hide_requires_reason_and_restore(client, moderator, proposal):
    comment = CommentFactory(target=proposal)
    mfa_login(client, moderator)
    hide = reverse("moderation_comments:hide", kwargs={"pk": comment.pk})
    response = client.post(hide, {"reason": ""})
    assert "Indica il motivo per nascondere il contenuto." in response.text
    comment.refresh_from_db()
    assert not comment.is_hidden
    client.post(hide, {"reason": "Offensivo"})
    comment.refresh_from_db()
    assert comment.is_hidden
    restore = reverse("moderation_comments:restore", kwargs={"pk": comment.pk})
    client.post(restore, {"reason": ""})
    comment.refresh_from_db()
    assert not comment.is_hidden
    # No generic edit or delete of a citizen's comment from the admin, not even for moderators.
    for name in ("edit", "delete"):
        url = reverse(f"moderation_comments:{name}", args=[comment.pk])
        assert client.post(url, {"body": "Riscritto"}).status_code in (302, 403)
    comment.refresh_from_db()
    assert not comment.is_hidden and comment.body == "Sono d'accordo."


@pytest.mark.django_db
def test_admin_suspend_and_lift(client, moderator):
    target = UserFactory(verified=True)
    mfa_login(client, moderator)
    url = reverse("partecipazione_admin:suspensions")
    response = client.post(url, {"email": target.email, "reason": ""})
    assert "Indica il motivo." in response.text
    assert target.email in response.text
    client.post(url, {"email": target.email, "reason": "Spam"})
    assert target.participation_suspensions.filter(lifted_at__isnull=True).exists()
    client.post(reverse("partecipazione_admin:lift_suspension", kwargs={"user_id": target.pk}))
    assert not target.participation_suspensions.filter(lifted_at__isnull=True).exists()
    assert set(ModerationLog.objects.values_list("action", flat=True)) == {"suspend", "unsuspend"}


@pytest.mark.django_db
def test_admin_verifies_association_with_register_number(client, moderator):
    association = AssociationFactory(is_verified=False)
    mfa_login(client, moderator)
    client.post(
        reverse("moderation_associations:verify", kwargs={"pk": association.pk}),
        {"register_number": "CR-2024-118"},
    )
    association.refresh_from_db()
    assert association.is_verified and association.verified_by == moderator
    assert association.register_number == "CR-2024-118"
    assert "CR-2024-118" in client.get(reverse("partecipazione_admin:log")).text


@pytest.mark.django_db
def test_proposal_hidden_by_moderator_disappears_from_lists(client, moderator):
    proposal = ProposalFactory(title="Da nascondere")
    services.hide(proposal, moderator, "Fuori tema")
    assert "Da nascondere" not in client.get(reverse("partecipazione:proposal_list")).text
    assert Proposal.objects.get().events.filter(kind="hidden").exists()
