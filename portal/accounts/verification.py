"""Whether a user may take part: the one place that answers "has a verified e-mail"."""

from allauth.account.models import EmailAddress


def has_verified_email(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    cached = getattr(user, "_portal_verified_email", None)
    if cached is None:
        cached = EmailAddress.objects.filter(user=user, verified=True).exists()
        user._portal_verified_email = cached
    return cached
