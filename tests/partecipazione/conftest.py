import pytest
from django.contrib.auth.models import Group

from partecipazione import services
from portal.accounts import roles
from tests.factories import UserFactory
from tests.partecipazione.factories import AssociationFactory, MembershipFactory, ProposalFactory


@pytest.fixture
def citizen(db):
    return UserFactory(verified=True)


def _with_mfa(user):
    """Staff must have two-factor authentication before they reach the admin."""
    from allauth.mfa.totp.internal.auth import TOTP

    from portal.accounts.demo import DEMO_TOTP_SECRET

    TOTP.activate(user, DEMO_TOTP_SECRET)
    return user


@pytest.fixture
def moderator(db):
    user = UserFactory(verified=True, is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=roles.PARTICIPATION_MODERATORS)[0])
    return _with_mfa(user)


@pytest.fixture
def editor(db):
    user = UserFactory(verified=True, is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=roles.EDITORS)[0])
    from django.contrib.auth.models import Permission

    user.groups.get(name=roles.EDITORS).permissions.add(
        Permission.objects.get(codename="access_admin")
    )
    return _with_mfa(user)


@pytest.fixture
def association(db):
    return AssociationFactory()


@pytest.fixture
def member(association):
    return MembershipFactory(association=association).user


@pytest.fixture
def association_admin(association):
    return MembershipFactory(association=association, role="admin").user


@pytest.fixture
def suspended(db):
    user = UserFactory(verified=True)
    services.suspend(user, None, "spam ripetuto")
    return user


@pytest.fixture
def proposal(db):
    return ProposalFactory(state="submitted")
