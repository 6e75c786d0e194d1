"""Who must use two-factor authentication, and whether they do.

Staff, editors and moderators (anyone who can enter the Wagtail admin) must have a TOTP
authenticator before they reach /admin/; ``RequireStaffMFAMiddleware`` enforces it.

Staff powers on the public site (moderation, seeing drafts and hidden proposals) need more:
that *this session* completed the second factor at login. allauth records the methods a
session authenticated with; ``RequireStaffMFAMiddleware`` reads them on every request and
marks ``request.user`` (:func:`mark_session_mfa`), which ``partecipazione.permissions``
reads through :func:`session_passed_mfa`. A user object not marked (a password-only
session, a background task) has no staff powers.
"""

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator

from portal.accounts import roles

STAFF_GROUPS = (roles.EDITORS, roles.APPROVERS, roles.PARTICIPATION_MODERATORS)


def requires_mfa(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    if user.groups.filter(name__in=STAFF_GROUPS).exists():
        return True
    return user.has_perm("wagtailadmin.access_admin")


def has_mfa(user) -> bool:
    return Authenticator.objects.filter(
        user_id=user.pk, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


SESSION_MFA_ATTR = "portal_session_mfa"


def request_passed_mfa(request) -> bool:
    """True if the session of `request` completed a second factor for its user (allauth)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return any(
        record.get("method") == "mfa" for record in get_authentication_records(request, user)
    )


def mark_session_mfa(user, passed: bool) -> None:
    """Record on the user object whether its session completed MFA."""
    setattr(user, SESSION_MFA_ATTR, bool(passed))


def session_passed_mfa(user) -> bool:
    return bool(getattr(user, SESSION_MFA_ATTR, False))
