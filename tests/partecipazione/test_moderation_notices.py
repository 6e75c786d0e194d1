"""People are told: the author of hidden content, a suspended user; denial pages say why."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from partecipazione import services
from partecipazione.models import Appeal, Notification, Proposal
from portal.accounts.models import EmailFrequency
from tests.factories import UserFactory
from tests.partecipazione.factories import CommentFactory, ProposalFactory
from tests.wagtail_admin import mfa_login

pytestmark = pytest.mark.django_db


def test_author_of_a_comment_hidden_in_the_admin_reads_what_and_why(client, moderator):
    comment = CommentFactory(target=ProposalFactory(title="Più alberi in via Dante"))
    author = comment.author
    mfa_login(client, moderator)
    hide = reverse("moderation_comments:hide", args=[comment.pk])
    client.post(hide, {"reason": "Linguaggio offensivo"})
    client.logout()
    client.force_login(author)
    page = client.get(reverse("partecipazione:notifications"))
    assert "Il tuo commento su «Più alberi in via Dante» è stato nascosto" in page.text
    assert "Motivo: Linguaggio offensivo." in page.text
    assert "Apri la notifica per chiedere una revisione ai moderatori." in page.text
    assert Notification.objects.get(recipient=author).kind == Notification.Kind.MODERATION


def test_author_of_a_hidden_proposal_is_told_by_e_mail(
    client, moderator, django_capture_on_commit_callbacks
):
    proposal = ProposalFactory(title="Orti condivisi", state="accepted")
    proposal.author.email_notifications = EmailFrequency.IMMEDIATE
    proposal.author.save()
    mfa_login(client, moderator)
    with django_capture_on_commit_callbacks(execute=True):  # e-mails leave after the commit
        client.post(
            reverse("moderation_proposals:hide", args=[proposal.pk]), {"reason": "Doppione"}
        )
    assert Proposal.objects.get(pk=proposal.pk).is_hidden
    sent = [m for m in mail.outbox if proposal.author.email in m.to]
    assert sent and "Orti condivisi" in sent[0].body and "Doppione" in sent[0].body


def test_a_moderator_hiding_nothing_of_their_own_tells_nobody(moderator):
    own = CommentFactory(author=moderator)
    services.hide(own, moderator, "prova")
    assert not Notification.objects.exists()


def test_suspended_user_is_told_why_and_until_when(client, moderator):
    user = UserFactory(verified=True)
    until = timezone.now() + dt.timedelta(days=10)
    services.suspend(user, moderator, "Insulti ripetuti", ends_at=until)
    client.force_login(user)
    notifications = client.get(reverse("partecipazione:notifications"))
    assert "Il tuo account è sospeso fino al" in notifications.text
    assert "Insulti ripetuti" in notifications.text
    suspension_url = reverse("partecipazione:suspension")
    assert f'href="{suspension_url}"' in notifications.text
    page = client.get(suspension_url)
    assert "Insulti ripetuti" in page.text
    assert f"{timezone.localtime(until):%Y}" in page.text
    assert "Chiedi una revisione" in page.text
    assert (
        reverse(
            "partecipazione:appeal", args=["sospensione", user.participation_suspensions.get().pk]
        )
        in page.text
    )


def test_suspended_user_opening_the_proposal_form_reads_why_in_italian(client, moderator):
    user = UserFactory(verified=True)
    until = timezone.localtime(timezone.now() + dt.timedelta(days=3))
    services.suspend(user, moderator, "Spam ripetuto", ends_at=until)
    client.force_login(user)
    response = client.get(reverse("partecipazione:proposal_create"))
    assert response.status_code == 403
    assert "Non puoi fare questa azione" in response.text
    assert "Il tuo account è sospeso fino al" in response.text
    assert "Spam ripetuto" in response.text
    assert "Chiedi una revisione" in response.text
    assert "Forbidden" not in response.text


def test_suspended_user_reads_the_denial_in_english_under_en(client, moderator):
    user = UserFactory(verified=True)
    services.suspend(user, moderator, "Spam")
    client.force_login(user)
    # override() puts the active language back afterwards (the request activates English).
    with translation.override("it"):
        response = client.get("/en" + reverse("partecipazione:proposal_create"))
    if response.status_code == 404:
        pytest.skip("participation URLs have no English prefix")
    assert response.status_code == 403
    assert "Your account is suspended until further notice" in response.text
    assert "Ask for a review" in response.text


def test_a_suspension_past_its_end_no_longer_applies(client, moderator):
    user = UserFactory(verified=True)
    suspension = services.suspend(
        user, moderator, "Breve", ends_at=timezone.now() + dt.timedelta(days=1)
    )
    suspension.ends_at = timezone.now() - dt.timedelta(minutes=1)
    suspension.save()
    client.force_login(user)
    assert client.get(reverse("partecipazione:proposal_create")).status_code == 200
    assert "non è sospeso" in client.get(reverse("partecipazione:suspension")).text


def test_unverified_user_is_sent_to_confirm_the_e_mail(client):
    user = UserFactory(verified=False)
    client.force_login(user)
    response = client.get(reverse("partecipazione:proposal_create"))
    assert response.status_code == 403
    assert "Per partecipare devi confermare il tuo indirizzo e-mail." in response.text
    assert f'href="{reverse("account_email")}"' in response.text


def test_user_suspended_from_the_admin_form_reads_the_end_date(client, moderator):
    target = UserFactory(verified=True)
    ends = timezone.localtime() + dt.timedelta(days=7)
    mfa_login(client, moderator)
    client.post(
        reverse("moderation_suspensions:add"),
        {
            "email": target.email,
            "reason": "Messaggi pubblicitari",
            "ends_at": f"{ends:%Y-%m-%d %H:%M}",
        },
    )
    client.logout()
    client.force_login(target)
    page = client.get(reverse("partecipazione:notifications")).text
    assert "Messaggi pubblicitari" in page
    from django.utils.formats import date_format

    assert date_format(ends, "DATE_FORMAT") in page


def _notification_link(page: str, text: str) -> str:
    import html
    import re

    match = re.search(r'<a href="([^"]+)">[^<]*' + re.escape(text), page)
    assert match, f"no notification link with {text!r}"
    return html.unescape(match.group(1))


def test_hidden_comment_author_appeals_and_the_moderator_reverses_it(client, moderator):
    comment = CommentFactory(body="Un commento innocuo", target=ProposalFactory(title="Parco"))
    author = comment.author
    services.hide(comment, moderator, "Sembrava spam")
    client.force_login(author)
    page = client.get(reverse("partecipazione:notifications")).text
    appeal_url = _notification_link(page, "Il tuo commento su «Parco»")
    form = client.get(appeal_url)
    assert form.status_code == 200 and "Un commento innocuo" in form.text
    assert 'name="message"' in form.text
    empty = client.post(appeal_url, {"message": ""})
    assert "Scrivi perché chiedi la revisione." in empty.text
    sent = client.post(appeal_url, {"message": "Non è spam, è un parere."}, follow=True)
    assert "Richiesta inviata" in sent.text
    appeal = Appeal.objects.get(author=author)
    assert appeal.status == Appeal.Status.PENDING
    assert "Hai già chiesto una revisione" in client.get(appeal_url).text
    client.logout()

    mfa_login(client, moderator)
    listing = client.get(reverse("moderation_appeals:index"))
    assert "Non è spam, è un parere." in listing.text
    decide = reverse("moderation_appeals:decide", args=[appeal.pk])
    assert decide in listing.text
    assert "Un commento innocuo" in client.get(decide).text
    client.post(decide, {"decision": "reversed", "note": "Hai ragione, scusa."})
    comment.refresh_from_db()
    assert not comment.is_hidden
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.REVERSED and appeal.decided_by == moderator
    client.logout()

    client.force_login(author)
    page = client.get(reverse("partecipazione:notifications")).text
    assert "accolta: il contenuto è di nuovo visibile. Hai ragione, scusa." in page
    assert "Un commento innocuo" in client.get(comment.get_target().get_absolute_url()).text


def test_suspended_user_appeals_from_the_denial_page_and_the_moderator_upholds(client, moderator):
    user = UserFactory(verified=True)
    suspension = services.suspend(user, moderator, "Spam")
    client.force_login(user)
    denial = client.get(reverse("partecipazione:proposal_create")).text
    appeal_url = reverse("partecipazione:appeal", args=["sospensione", suspension.pk])
    assert f'href="{appeal_url}"' in denial
    client.post(appeal_url, {"message": "Ero io, ma non lo rifarò."})
    appeal = Appeal.objects.get(suspension=suspension)
    client.logout()
    mfa_login(client, moderator)
    decide = reverse("moderation_appeals:decide", args=[appeal.pk])
    refused = client.post(decide, {"note": "senza decisione"})
    assert "Scegli se confermare o annullare" in refused.text
    client.post(decide, {"decision": "upheld", "note": "La sospensione resta."})
    client.logout()
    client.force_login(user)
    assert (
        "respinta: la sospensione resta."
        in client.get(reverse("partecipazione:notifications")).text
    )
    from partecipazione import permissions

    user.refresh_from_db()
    assert permissions.is_suspended(user)


def test_nobody_appeals_what_is_not_theirs_or_not_hidden(client, citizen):
    visible = CommentFactory(author=citizen)
    hidden_other = CommentFactory(is_hidden=True)
    client.force_login(citizen)
    for kind, pk in (("commento", visible.pk), ("commento", hidden_other.pk), ("sospensione", 1)):
        assert client.get(reverse("partecipazione:appeal", args=[kind, pk])).status_code == 404
