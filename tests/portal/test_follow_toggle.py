"""The generic follow toggle view and the {% follow_button %} template tag."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from portal.accounts import follows
from portal.accounts.models import Follow, User
from tests.factories import TopicFactory, UserFactory
from tests.queries import assert_at_most, assert_num_queries, capture

pytestmark = pytest.mark.django_db


def _url(obj):
    ct = ContentType.objects.get_for_model(obj)
    return reverse("accounts:follow_toggle", args=[ct.pk, obj.pk])


@pytest.fixture
def topic():
    return TopicFactory(name="Pace tra i popoli", slug="pace-tra-i-popoli")


def test_topic_is_registered_as_followable(topic):
    assert follows.is_followable(topic)
    assert not follows.is_followable(User)


def test_verified_user_follows_and_unfollows(client, verified_user, topic):
    client.force_login(verified_user)
    response = client.post(_url(topic), {"next": "/eventi/"})
    assert response.status_code == 302
    assert response["Location"] == "/eventi/"
    assert follows.is_following(verified_user, topic)
    response = client.post(_url(topic), {"next": "/eventi/"}, follow=True)
    assert not follows.is_following(verified_user, topic)
    assert "Non segui più" in response.content.decode()


def test_unsafe_next_is_ignored(client, verified_user, topic):
    client.force_login(verified_user)
    response = client.post(_url(topic), {"next": "https://evil.example/"})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_anonymous_is_sent_to_login_with_next(client, topic):
    response = client.post(_url(topic), {"next": "/argomenti/"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=%2Fargomenti%2F" in response["Location"]
    assert not Follow.objects.exists()


def test_unverified_user_cannot_follow(client, user, topic):
    client.force_login(user)
    response = client.post(_url(topic), {"next": "/"})
    assert response.status_code == 302
    assert not Follow.objects.exists()


def test_get_is_not_allowed(client, verified_user, topic):
    client.force_login(verified_user)
    assert client.get(_url(topic)).status_code == 405
    assert not Follow.objects.exists()


def test_unknown_ids_and_types_are_404(client, verified_user, topic):
    client.force_login(verified_user)
    topic_ct = ContentType.objects.get_for_model(topic)
    user_ct = ContentType.objects.get_for_model(User)

    def status(ct_id, object_id):
        return client.post(reverse("accounts:follow_toggle", args=[ct_id, object_id])).status_code

    assert status(topic_ct.pk, 999999) == 404
    assert status(999999, topic.pk) == 404
    # A real content type that is not registered as followable.
    assert status(user_ct.pk, verified_user.pk) == 404
    assert not Follow.objects.exists()


def test_csrf_is_enforced(verified_user, topic):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(verified_user)
    assert client.post(_url(topic)).status_code == 403
    assert not Follow.objects.exists()


def _render(user, obj):
    request = RequestFactory().get("/argomenti/pace/")
    request.user = user
    template = Template("{% load follow_tags %}{% follow_button obj %}")
    return template.render(Context({"request": request, "obj": obj, "csrf_token": "x"}))


def test_button_for_anonymous_is_a_login_link(topic):
    from django.contrib.auth.models import AnonymousUser

    html = _render(AnonymousUser(), topic)
    assert reverse("account_login") in html
    assert "next=/argomenti/pace/" in html.replace("%2F", "/")
    assert "<form" not in html


def test_button_reflects_state_with_aria_pressed(verified_user, topic):
    html = _render(verified_user, topic)
    assert 'aria-pressed="false"' in html
    assert "Segui" in html
    assert _url(topic) in html
    follows.follow(verified_user, topic)
    html = _render(verified_user, topic)
    assert 'aria-pressed="true"' in html
    assert "Non seguire più" in html


def test_button_runs_at_most_one_query(verified_user, topic):
    others = [TopicFactory() for _ in range(5)]
    for other in others:
        follows.follow(UserFactory(), other)
    ContentType.objects.get_for_model(topic)  # warm the content type cache
    with capture() as queries:
        _render(verified_user, topic)
    assert_at_most({"follow button": queries}, 1)
    with assert_num_queries(0):
        request = RequestFactory().get("/")
        request.user = verified_user
        Template("{% load follow_tags %}{% follow_button obj following=True %}").render(
            Context({"request": request, "obj": topic})
        )


def test_button_renders_nothing_for_unregistered_models(verified_user):
    assert _render(verified_user, verified_user).strip() == ""
