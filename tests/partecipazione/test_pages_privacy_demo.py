"""The participation index page, GDPR export/erase and the demo data."""

import io

import pytest
from django.core.management import call_command
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from partecipazione import services
from partecipazione.models import (
    Association,
    Comment,
    Membership,
    ParticipationIndexPage,
    Proposal,
    ProposalState,
    Support,
)
from portal.accounts import privacy
from tests.factories import UserFactory
from tests.partecipazione.factories import (
    CommentFactory,
    MembershipFactory,
    ProposalFactory,
)


class ParticipationIndexPageRulesTests(WagtailPageTestCase):
    def test_parent_is_home_only(self):
        from home.models import HomePage

        self.assertAllowedParentPageTypes(ParticipationIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(ParticipationIndexPage, set())


@pytest.mark.django_db
def test_index_page_renders_featured_and_at_most_one(client, home_page):
    page = home_page.add_child(
        instance=ParticipationIndexPage(
            title="Partecipa", slug="partecipazione", intro="<p>Ciao</p>"
        )
    )
    page.save_revision().publish()
    ProposalFactory(title="La più sostenuta", support_count=10)
    response = client.get("/partecipazione/")
    assert response.status_code == 200
    assert "La più sostenuta" in response.text
    assert not ParticipationIndexPage.can_create_at(home_page)


# --- GDPR ----------------------------------------------------------------------------------


def _section():
    return next(s for s in privacy.sections() if s.name == "partecipazione")


@pytest.mark.django_db
def test_every_model_referencing_a_user_is_registered():
    from django.apps import apps
    from django.conf import settings

    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    registered = set(_section().models)
    for model in apps.get_app_config("partecipazione").get_models():
        refs_user = any(
            getattr(f, "related_model", None) is user_model for f in model._meta.local_fields
        )
        if refs_user:
            assert model in registered, model


@pytest.mark.django_db
def test_export_and_erase_keep_threads_readable(client):
    user = UserFactory(verified=True)
    proposal = ProposalFactory(author=user, title="La mia proposta")
    other = ProposalFactory()
    comment = CommentFactory(target=other, author=user, body="Il mio commento")
    services.toggle_support(other, user)
    MembershipFactory(user=user)
    data = _section().export(user)
    assert data["proposals"][0]["title"] == "La mia proposta"
    assert data["comments"][0]["body"] == "Il mio commento"
    assert len(data["supports"]) == 1 and len(data["memberships"]) == 1
    _section().erase(user)
    proposal.refresh_from_db()
    comment.refresh_from_db()
    other.refresh_from_db()
    assert proposal.author is None and comment.author is None
    assert not Support.objects.exists() and other.support_count == 0
    assert not Membership.objects.filter(user=user).exists()
    html = client.get(other.get_absolute_url()).text
    assert "utente cancellato" in html and "Il mio commento" in html
    user.delete()
    assert Proposal.objects.filter(pk=proposal.pk).exists()
    assert Comment.objects.filter(pk=comment.pk).exists()


# --- demo data -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_data_every_state_idempotent_and_bulk():
    out = io.StringIO()
    call_command("load_demo_data", "--quiet-credentials", stdout=out)
    states = set(Proposal.objects.values_list("state", flat=True))
    assert states == set(ProposalState.values)
    counts = (Association.objects.count(), Proposal.objects.count(), Comment.objects.count())
    assert counts[0] >= 6 and Comment.objects.exists() and Support.objects.exists()
    member = Membership.objects.get(
        user__email="socia@cittadellapace.example", association__slug="tavola-della-pace-cremona"
    )
    assert member.role == "admin"
    page = ParticipationIndexPage.objects.get()
    assert page.slug == "partecipazione" and page.show_in_menus and page.live
    assert Page.objects.get(pk=page.pk).get_parent().specific_class.__name__ == "HomePage"
    for p in Proposal.objects.all():
        assert p.support_count == p.supports.count()
    call_command("load_demo_data", "--quiet-credentials", stdout=out)
    assert (
        Association.objects.count(),
        Proposal.objects.count(),
        Comment.objects.count(),
    ) == counts
    from bench import bulk_data

    bulk_data.ensure(proposals=60, comments_per_proposal=2)
    assert Proposal.objects.count() == 60
    generated = Proposal.objects.filter(slug__startswith="proposta-generata-").first()
    assert generated.comment_count == 2
