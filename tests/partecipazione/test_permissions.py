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

from partecipazione import permissions, services
from partecipazione.models import Comment
from portal.accounts import roles
from tests.factories import UserFactory
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
]
POSTERS = {"citizen", "member", "assoc_admin", "author", "moderator", "superuser", "editor"}
EVERYONE = set(ROLES)

# (case, action, object key, roles allowed)
MATRIX = [
    ("view public proposal", "view", "public", EVERYONE),
    ("view draft", "view", "draft", {"author", "moderator", "superuser"}),
    ("view hidden proposal", "view", "hidden", {"author", "moderator", "superuser"}),
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
    ("comment on proposal", "comment", "public", POSTERS),
    ("comment on draft", "comment", "draft", set()),
    ("report comment", "report", "comment", POSTERS - {"author"}),
    ("report proposal", "report", "public", POSTERS - {"author"}),
    ("edit fresh comment", "edit_comment", "comment", {"author"}),
    ("edit old comment", "edit_comment", "old_comment", set()),
    ("delete own comment", "delete_comment", "comment", {"author"}),
    ("create association", "create_association", None, POSTERS),
    ("join association", "join", "association", POSTERS - {"member", "assoc_admin"}),
    ("manage members", "manage_members", "association", {"assoc_admin", "superuser"}),
    ("moderate", "moderate", None, {"moderator", "superuser"}),
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
    }
    people["moderator"].groups.add(
        Group.objects.get_or_create(name=roles.PARTICIPATION_MODERATORS)[0]
    )
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
        None: None,
    }
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
