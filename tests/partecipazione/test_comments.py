"""Comments: generic targets, threads, sanitising, editing window, removal, rate limit, honeypot."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.template import Context, Template
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from partecipazione import services
from partecipazione.models import Comment, ParticipationSettings
from tests.factories import CALENDAR_NOW, UserFactory
from tests.partecipazione.factories import CommentFactory, ProposalFactory
from tests.queries import assert_fixed, capture


def post_url(obj):
    ct = ContentType.objects.get_for_model(obj)
    return reverse("partecipazione:comment_post", kwargs={"ct_id": ct.pk, "object_id": obj.pk})


@pytest.mark.django_db
def test_verified_user_comments_on_a_proposal(client, citizen, proposal):
    client.force_login(citizen)
    response = client.post(post_url(proposal), {"body": "Ottima idea!"})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#commento-{comment.pk}")
    assert comment.author == citizen and comment.depth == 0
    proposal.refresh_from_db()
    assert proposal.comment_count == 1
    assert "Ottima idea!" in client.get(proposal.get_absolute_url()).text


@pytest.mark.django_db
def test_comment_on_a_wagtail_page(client, citizen, home_page):
    client.force_login(citizen)
    response = client.post(post_url(home_page), {"body": "Bella iniziativa"})
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.get_target() == home_page
    tpl = Template("{% load comment_tags %}{% comments_for page %}")
    request = RequestFactory().get("/")
    request.user = citizen
    html = tpl.render(Context({"request": request, "page": home_page}))
    assert "Bella iniziativa" in html
    assert post_url(home_page) in html


@pytest.mark.django_db
def test_unverified_and_suspended_cannot_comment_and_keep_their_text(client, proposal, suspended):
    client.force_login(UserFactory())
    response = client.post(post_url(proposal), {"body": "Il mio testo prezioso"})
    assert response.status_code == 403
    assert "confermare il tuo indirizzo e-mail" in response.text
    assert "Il mio testo prezioso" in response.text
    client.force_login(suspended)
    response = client.post(post_url(proposal), {"body": "Altro testo"})
    assert response.status_code == 403
    assert "sospeso" in response.text
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_anonymous_post_goes_to_login(client, proposal):
    assert client.post(post_url(proposal), {"body": "x"}).status_code == 302
    assert not Comment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/partecipazione/commenti/99999/1/",
        "/partecipazione/commenti/1/99999999/",
    ],
)
def test_unknown_targets_are_404(client, citizen, path):
    client.force_login(citizen)
    assert client.post(path, {"body": "x"}).status_code == 404


@pytest.mark.django_db
def test_non_commentable_model_is_404(client, citizen):
    client.force_login(citizen)
    ct = ContentType.objects.get_for_model(type(citizen))
    assert (
        client.post(f"/partecipazione/commenti/{ct.pk}/{citizen.pk}/", {"body": "x"}).status_code
        == 404
    )


@pytest.mark.django_db
def test_no_comments_on_drafts(client, citizen):
    draft = ProposalFactory(state="draft")
    client.force_login(citizen)
    assert client.post(post_url(draft), {"body": "x"}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "forbidden"),
    [
        ("<script>alert(1)</script>ciao", "<script"),
        ('<img src=x onerror="alert(1)">ciao', "onerror"),
        ('<a href="javascript:alert(1)">clic</a>', "javascript:"),
        ('<p style="background:url(x)">css</p>', "style="),
        ("<b><i>non chiuso", "<i>non chiuso</b>"),
        ("<iframe src=//evil></iframe>testo", "<iframe"),
    ],
)
def test_markup_is_sanitised(client, citizen, proposal, payload, forbidden):
    client.force_login(citizen)
    client.post(post_url(proposal), {"body": payload})
    html = client.get(proposal.get_absolute_url()).text
    start = html.index('class="pp-comment-body">')
    body = html[start : html.index("</div>", start)]
    assert forbidden not in body


@pytest.mark.django_db
def test_links_get_nofollow_ugc_noopener(client, citizen, proposal):
    client.force_login(citizen)
    client.post(post_url(proposal), {"body": 'vedi <a href="https://example.org">qui</a>'})
    html = client.get(proposal.get_absolute_url()).text
    assert 'rel="nofollow ugc noopener"' in html


@pytest.mark.django_db
def test_max_length_keeps_text(client, citizen, proposal):
    client.force_login(citizen)
    response = client.post(post_url(proposal), {"body": "a" * 2001})
    assert response.status_code == 400
    assert "al massimo 2000 caratteri" in response.text
    assert "a" * 2001 in response.text


@pytest.mark.django_db
def test_honeypot_refuses_with_message_and_keeps_text(client, citizen, proposal):
    client.force_login(citizen)
    response = client.post(post_url(proposal), {"body": "Testo vero", "website": "http://spam"})
    assert response.status_code == 400
    assert "programma automatico" in response.text
    assert "Testo vero" in response.text
    assert not Comment.objects.exists()


@pytest.mark.django_db
@override_settings(PORTAL_COMMENT_RATE_LIMIT="3/m")
# The limit counts per clock minute: a loaded machine turned the minute mid-test (the fourth
# comment got in). The clock stands still here.
@pytest.mark.time_machine(CALENDAR_NOW, tick=False)
def test_rate_limit_gives_429_with_text_kept(client, citizen, proposal):
    client.force_login(citizen)
    for i in range(3):
        assert client.post(post_url(proposal), {"body": f"commento {i}"}).status_code == 302
    response = client.post(post_url(proposal), {"body": "il quarto commento"})
    assert response.status_code == 429
    assert "troppi commenti" in response.text
    assert "il quarto commento" in response.text
    assert Comment.objects.count() == 3
    # another user is not affected
    client.force_login(UserFactory(verified=True))
    assert client.post(post_url(proposal), {"body": "altro"}).status_code == 302


@pytest.mark.django_db
def test_threads_never_deeper_than_two(client, citizen, proposal):
    client.force_login(citizen)
    root = CommentFactory(target=proposal)
    client.post(post_url(proposal), {"body": "livello 1", "parent": root.pk})
    level1 = Comment.objects.get(body="livello 1")
    client.post(post_url(proposal), {"body": "livello 2", "parent": level1.pk})
    level2 = Comment.objects.get(body="livello 2")
    client.post(post_url(proposal), {"body": "livello 3?", "parent": level2.pk})
    level3 = Comment.objects.get(body="livello 3?")
    assert (level1.depth, level2.depth, level3.depth) == (1, 2, 2)
    assert level3.parent == level1
    assert level1.parent == root


@pytest.mark.django_db
def test_parent_from_another_thread_is_ignored(client, citizen, proposal):
    other = CommentFactory(target=ProposalFactory())
    client.force_login(citizen)
    client.post(post_url(proposal), {"body": "risposta", "parent": other.pk})
    assert Comment.objects.get(body="risposta").parent is None


@pytest.mark.django_db
def test_edit_within_15_minutes_shows_edited(client, citizen, proposal):
    comment = CommentFactory(target=proposal, author=citizen)
    client.force_login(citizen)
    url = reverse("partecipazione:comment_edit", kwargs={"pk": comment.pk})
    assert client.post(url, {"body": "testo corretto"}).status_code == 302
    comment.refresh_from_db()
    assert comment.body == "testo corretto" and comment.edited_at
    assert "modificato" in client.get(proposal.get_absolute_url()).text


@pytest.mark.django_db
def test_edit_after_15_minutes_refused(client, citizen, proposal):
    comment = CommentFactory(target=proposal, author=citizen)
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    client.force_login(citizen)
    url = reverse("partecipazione:comment_edit", kwargs={"pk": comment.pk})
    client.post(url, {"body": "troppo tardi"})
    comment.refresh_from_db()
    assert comment.body != "troppo tardi"


@pytest.mark.django_db
def test_others_cannot_edit_or_delete(client, citizen, proposal):
    comment = CommentFactory(target=proposal)
    client.force_login(citizen)
    client.post(reverse("partecipazione:comment_edit", kwargs={"pk": comment.pk}), {"body": "x"})
    assert (
        client.post(reverse("partecipazione:comment_delete", kwargs={"pk": comment.pk})).status_code
        == 403
    )
    comment.refresh_from_db()
    assert comment.body == "Sono d'accordo." and not comment.is_removed


@pytest.mark.django_db
def test_author_deletion_leaves_placeholder_and_replies(client, citizen, proposal):
    comment = CommentFactory(target=proposal, author=citizen, body="testo da togliere")
    CommentFactory(target=proposal, parent=comment, depth=1, body="una risposta")
    client.force_login(citizen)
    client.post(reverse("partecipazione:comment_delete", kwargs={"pk": comment.pk}))
    html = client.get(proposal.get_absolute_url()).text
    assert "commento rimosso" in html
    assert "testo da togliere" not in html
    assert "una risposta" in html


@pytest.mark.django_db
def test_premoderation_holds_first_comment_of_new_users(client, citizen, proposal, site, moderator):
    conf = ParticipationSettings.for_site(site)
    conf.premoderate_new_users = True
    conf.save()
    client.force_login(citizen)
    client.post(post_url(proposal), {"body": "primo commento"})
    comment = Comment.objects.get()
    assert comment.is_pending
    client.force_login(UserFactory(verified=True))
    assert "primo commento" not in client.get(proposal.get_absolute_url()).text
    services.restore(comment, moderator)
    comment.refresh_from_db()
    assert not comment.is_pending
    client.force_login(citizen)
    client.post(post_url(proposal), {"body": "secondo commento"})
    assert not Comment.objects.get(body="secondo commento").is_pending


@pytest.mark.django_db
def test_next_parameter_cannot_redirect_off_site(client, citizen, proposal):
    client.force_login(citizen)
    response = client.post(post_url(proposal), {"body": "ok", "next": "https://evil.example/"})
    assert response["Location"].startswith(proposal.get_absolute_url())


@pytest.mark.django_db
def test_comment_tag_query_count_is_fixed(citizen):
    tpl = Template("{% load comment_tags %}{% comments_for p %}")

    def measure(n):
        p = ProposalFactory()
        for _ in range(n):
            root = CommentFactory(target=p)
            CommentFactory(target=p, parent=root, depth=1)
        request = RequestFactory().get("/")
        request.user = type(citizen).objects.get(pk=citizen.pk)
        with capture() as queries:
            tpl.render(Context({"request": request, "p": p}))
        return queries

    measure(1)
    assert_fixed(measure(5), measure(50), at_most=4)
