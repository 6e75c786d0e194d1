"""Who must use two-factor authentication, and whether they do.

Staff, editors and moderators (anyone who can enter the Wagtail admin) must have a TOTP
authenticator before they reach /admin/; ``RequireStaffMFAMiddleware`` enforces it.
"""

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
