"""The permission matrix, cell by cell: every (role, action) pair is asserted allowed or not."""

import copy
import sys
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.db import transaction
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site

from eventi.models import EventPage
from partecipazione import permissions, services
from partecipazione.models import Comment
from portal.accounts import roles
from portal.accounts.mfa import mark_session_mfa
from tests.eventi.factories import VenueFactory
from tests.factories import TopicFactory, UserFactory
from tests.partecipazione.factories import (
    AssociationFactory,
    CommentFactory,
    MembershipFactory,
    ProposalFactory,
)
from tests.queries import assert_num_queries

ROLES = [
    "anonymous",
    "unverified",
    "citizen",
    "suspended",
    "member",
    "assoc_admin",
    "author",
    "moderator",
    "superuser",
    "editor",
    "moderator_without_mfa",
]
POSTERS = {
    "citizen",
    "member",
    "assoc_admin",
    "author",
    "moderator",
    "superuser",
    "editor",
    "moderator_without_mfa",
}
EVERYONE = set(ROLES)

# (case, action, object key, roles allowed)
MATRIX = [
    ("view public proposal", "view", "public", EVERYONE),
    ("view draft", "view", "draft", {"author", "moderator", "superuser"}),
    ("view hidden proposal", "view", "hidden", {"author", "moderator", "superuser"}),
    ("view withdrawn", "view", "withdrawn", {"author", "moderator", "superuser"}),
    ("view live public page", "view", "page", EVERYONE),
    ("view unpublished page", "view", "unpublished_page", set()),
    ("view restricted page", "view", "restricted_page", set()),
    ("view comment", "view", "comment", EVERYONE),
    ("view comment on draft", "view", "draft_comment", {"author", "moderator", "superuser"}),
    ("propose as self", "propose", None, POSTERS),
    ("propose for association", "propose_for", "association", {"member", "assoc_admin"}),
    ("edit own submitted", "edit", "public", {"author"}),
    ("edit own draft", "edit", "draft", {"author"}),
    ("edit under review", "edit", "under_review", set()),
    ("submit own draft", "submit", "draft", {"author"}),
    ("submit already submitted", "submit", "public", set()),
    ("withdraw under review", "withdraw", "under_review", {"author"}),
    ("withdraw rejected", "withdraw", "rejected", set()),
    ("support submitted", "support", "public", POSTERS - {"author"}),
    ("support draft", "support", "draft", set()),
    ("support rejected", "support", "rejected", set()),
    ("follow proposal", "follow", "public", POSTERS | {"suspended"}),
    ("follow draft", "follow", "draft", {"author", "moderator", "superuser"}),
    ("follow restricted page", "follow", "restricted_page", set()),
    ("follow hidden proposal", "follow", "hidden", {"author", "moderator", "superuser"}),
    ("follow topic", "follow", "topic", POSTERS | {"suspended"}),
    ("follow event", "follow", "event", POSTERS | {"suspended"}),
    ("follow unpublished event", "follow", "draft_event", set()),
    ("follow venue", "follow", "venue", POSTERS | {"suspended"}),
    ("follow association", "follow", "association", POSTERS | {"suspended"}),
    ("comment on proposal", "comment", "public", POSTERS),
    ("comment on draft", "comment", "draft", set()),
    ("comment on page", "comment", "page", POSTERS),
    ("comment on unpublished page", "comment", "unpublished_page", set()),
    ("comment on restricted page", "comment", "restricted_page", set()),
    ("report comment", "report", "comment", POSTERS - {"author"}),
    ("report proposal", "report", "public", POSTERS - {"author"}),
    ("report draft", "report", "draft", {"moderator", "superuser"}),
    ("report hidden proposal", "report", "hidden", {"moderator", "superuser"}),
    ("report unpublished page", "report", "unpublished_page", set()),
    ("edit fresh comment", "edit_comment", "comment", {"author"}),
    ("edit old comment", "edit_comment", "old_comment", set()),
    ("delete own comment", "delete_comment", "comment", {"author"}),
    ("create association", "create_association", None, POSTERS),
    ("join association", "join", "association", POSTERS - {"member", "assoc_admin"}),
    ("manage members", "manage_members", "association", {"assoc_admin", "superuser"}),
    (
        "manage calendar",
        "manage_calendar",
        "association",
        {"assoc_admin", "moderator", "superuser"},
    ),
    ("edit association", "edit_association", "association", {"assoc_admin", "superuser"}),
    ("association area", "association_area", "association", {"member", "assoc_admin", "superuser"}),
    ("propose event for association", "propose_event", "association", {"member", "assoc_admin"}),
    ("moderate", "moderate", None, {"moderator", "superuser"}),
    ("mark accepted realised", "mark_realised", "accepted", {"moderator", "superuser"}),
    ("mark submitted realised", "mark_realised", "public", set()),
    ("mark realised without a proposal", "mark_realised", None, set()),
]


def build_world():
    people = {
        "anonymous": AnonymousUser(),
        "unverified": UserFactory(),
        "citizen": UserFactory(verified=True),
        "suspended": UserFactory(verified=True),
        "member": UserFactory(verified=True),
        "assoc_admin": UserFactory(verified=True),
        "author": UserFactory(verified=True),
        "moderator": UserFactory(verified=True, is_staff=True),
        "superuser": UserFactory(verified=True, is_superuser=True, is_staff=True),
        "editor": UserFactory(verified=True, is_staff=True),
        # Logged in with the password only: treated as a citizen (no staff powers).
        "moderator_without_mfa": UserFactory(verified=True, is_staff=True),
    }
    for key in ("moderator", "moderator_without_mfa"):
        people[key].groups.add(Group.objects.get_or_create(name=roles.PARTICIPATION_MODERATORS)[0])
    # The login marks the users whose session completed two-factor authentication.
    mark_session_mfa(people["moderator"], True)
    mark_session_mfa(people["superuser"], True)
    people["editor"].groups.add(Group.objects.get_or_create(name=roles.EDITORS)[0])
    services.suspend(people["suspended"], people["moderator"], "insulti")
    association = AssociationFactory()
    MembershipFactory(association=association, user=people["member"])
    MembershipFactory(association=association, user=people["assoc_admin"], role="admin")
    # An invitation is not a membership: it grants nothing.
    MembershipFactory(association=association, user=people["citizen"], status="invited")
    author = people["author"]
    public = ProposalFactory(author=author, state="submitted")
    old_comment = CommentFactory(target=public, author=author)
    Comment.objects.filter(pk=old_comment.pk).update(
        created_at=timezone.now() - timedelta(minutes=16)
    )
    old_comment.refresh_from_db()
    objects = {
        "public": public,
        "draft": ProposalFactory(author=author, state="draft"),
        "hidden": ProposalFactory(author=author, state="submitted", is_hidden=True),
        "under_review": ProposalFactory(author=author, state="under_review"),
        "rejected": ProposalFactory(author=author, state="rejected", state_note="no"),
        "comment": CommentFactory(target=public, author=author),
        "old_comment": old_comment,
        "association": association,
        "withdrawn": ProposalFactory(author=author, state="withdrawn"),
        "accepted": ProposalFactory(author=author, state="accepted"),
        "topic": TopicFactory(),
        # pages are only read (live or not): unsaved ones are enough for the rules
        "event": EventPage(title="Marcia per la pace", live=True),
        "draft_event": EventPage(title="Marcia in bozza", live=False),
        "venue": VenueFactory(),
        None: None,
    }
    draft_comment = CommentFactory(target=objects["draft"], author=UserFactory(verified=True))
    objects["draft_comment"] = draft_comment
    home = Site.objects.get(is_default_site=True).root_page
    objects["page"] = home.add_child(instance=Page(title="Pubblica", slug="pubblica"))
    objects["unpublished_page"] = home.add_child(
        instance=Page(title="Bozza", slug="bozza", live=False)
    )
    objects["restricted_page"] = home.add_child(instance=Page(title="Protetta", slug="protetta"))
    PageViewRestriction.objects.create(
        page=objects["restricted_page"],
        restriction_type=PageViewRestriction.PASSWORD,
        password="segreta",  # noqa: S106
    )
    return people, objects


@pytest.fixture(scope="module")
def built_world(django_db_setup, django_db_blocker):
    """The people and objects, built once for the module's ~300 cells in one transaction that is
    rolled back when the module ends (each test still runs in its own savepoint)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build_world()
        except BaseException:
            atomic.__exit__(*sys.exc_info())
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture
def world(db, built_world):
    """A fresh copy for each test, as setUpTestData gives: the rules cache facts on the users."""
    return copy.deepcopy(built_world)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("case", "action", "obj_key", "allowed"), MATRIX, ids=[m[0] for m in MATRIX]
)
def test_permission_matrix(world, role, case, action, obj_key, allowed):
    people, objects = world
    expected = role in allowed
    assert permissions.can(people[role], action, objects[obj_key]) is expected, (
        f"{role} / {case}: expected {'allowed' if expected else 'forbidden'}"
    )


def test_unknown_action_is_forbidden(world):
    people, objects = world
    assert permissions.can(people["superuser"], "delete_everything", None) is False


def test_lifting_a_suspension_restores_posting(world):
    people, _ = world
    user = people["suspended"]
    assert not permissions.can(user, "propose")
    services.unsuspend(user, people["moderator"])
    permissions.forget(user)
    assert permissions.can(user, "propose")


def test_template_tag_uses_the_same_rules(world):
    people, objects = world
    tpl = Template('{% load participation_tags %}{% can "support" p as ok %}{{ ok }}')
    for role, expected in (("citizen", "True"), ("author", "False"), ("anonymous", "False")):
        request = RequestFactory().get("/")
        request.user = people[role]
        assert tpl.render(Context({"request": request, "p": objects["public"]})) == expected


def test_user_facts_are_cached_per_request(world):
    people, objects = world
    user = people["member"]
    permissions.forget(user)
    permissions.can(user, "propose_for", objects["association"])
    with assert_num_queries(0):
        for action in ("propose", "support", "comment", "report", "join"):
            permissions.can(user, action, objects["public"])


def test_moderators_are_who_holds_the_permission_not_a_group_name(db):
    from django.contrib.auth.models import Permission

    perm = Permission.objects.get(
        content_type__app_label="partecipazione", codename="moderate_participation"
    )
    # The migration granted it to the group.
    assert Group.objects.get(name=roles.PARTICIPATION_MODERATORS).permissions.filter(pk=perm.pk)
    direct = UserFactory(verified=True)
    direct.user_permissions.add(perm)
    renamed = Group.objects.create(name="Redazione partecipazione")
    renamed.permissions.add(perm)
    via_other_group = UserFactory(verified=True)
    via_other_group.groups.add(renamed)
    bare_group = Group.objects.get(name=roles.PARTICIPATION_MODERATORS)
    bare_group.permissions.remove(perm)
    named_only = UserFactory(verified=True)
    named_only.groups.add(bare_group)
    for user in (direct, via_other_group, named_only):
        mark_session_mfa(user, True)  # staff powers need a two-factor session
    assert permissions.can(direct, "moderate")
    assert permissions.can(via_other_group, "moderate")
    assert not permissions.can(named_only, "moderate")
    inactive = UserFactory(verified=True, is_active=False)
    inactive.user_permissions.add(perm)
    assert not permissions.can(inactive, "moderate")


def test_moderator_fact_is_cached(world):
    people, objects = world
    moderator = people["moderator"]
    permissions.forget(moderator)
    assert permissions.can(moderator, "moderate")
    with assert_num_queries(0):
        assert permissions.can(moderator, "moderate")
        assert permissions.can(moderator, "view", objects["draft"])


def test_superuser_without_mfa_session_is_a_citizen(world):
    people, objects = world
    superuser = UserFactory(verified=True, is_superuser=True, is_staff=True)
    for action, key in (
        ("view", "draft"),
        ("view", "hidden"),
        ("moderate", None),
        ("manage_members", "association"),
    ):
        assert not permissions.can(superuser, action, objects[key]), action
    assert permissions.can(superuser, "view", objects["public"])
    mark_session_mfa(superuser, True)
    assert permissions.can(superuser, "moderate")
