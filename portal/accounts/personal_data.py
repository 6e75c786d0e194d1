"""The accounts app's own sections of the personal data export (registered in ready())."""

from collections import defaultdict

from allauth.account.models import EmailAddress
from django.contrib.contenttypes.models import ContentType

from portal.accounts import privacy
from portal.accounts.models import CalendarToken, Follow, LoginEvent, PrivacyConsent, User


def _iso(value):
    return value.isoformat() if value else None


def export_profile(user) -> dict:

    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "display_name": user.display_name,
        "public_name": user.public_name,
        "bio": user.bio,
        "email_notifications": user.email_notifications,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "two_factor_methods": sorted(user.authenticator_set.values_list("type", flat=True)),
    }


def export_consents(user) -> list:
    return [
        {"notice_version": consent.notice_version, "accepted_at": _iso(consent.accepted_at)}
        for consent in PrivacyConsent.objects.filter(user=user).order_by("accepted_at")
    ]


def followed_objects(user) -> list[tuple]:
    """(follow, object or None) pairs, one query per followed content type."""
    rows = list(Follow.objects.filter(user=user).order_by("-created_at"))
    ids_by_ct = defaultdict(set)
    for row in rows:
        ids_by_ct[row.content_type_id].add(row.object_id)
    objects = {}
    for ct_id, ids in ids_by_ct.items():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        if model is None:
            continue
        for obj in model._default_manager.filter(pk__in=ids):
            objects[(ct_id, obj.pk)] = obj
    return [(row, objects.get((row.content_type_id, row.object_id))) for row in rows]


def export_follows(user) -> list:
    result = []
    for follow, obj in followed_objects(user):
        content_type = ContentType.objects.get_for_id(follow.content_type_id)
        result.append(
            {
                "type": f"{content_type.app_label}.{content_type.model}",
                "id": follow.object_id,
                "name": str(obj) if obj is not None else None,
                "since": _iso(follow.created_at),
            }
        )
    return result


def export_calendar(user) -> dict:
    token = CalendarToken.objects.filter(user=user).first()
    return {
        "private_feed_enabled": token is not None,
        "created_at": _iso(token and token.created_at),
    }


def export_logins(user) -> list:
    return [
        {"timestamp": _iso(event.timestamp), "network": event.ip_network}
        for event in LoginEvent.objects.filter(user=user).order_by("-timestamp")
    ]


def register_sections() -> None:

    privacy.register("profile", export=export_profile, models=[User])
    privacy.register("consents", export=export_consents, models=[PrivacyConsent])
    privacy.register("follows", export=export_follows, models=[Follow])
    privacy.register("calendar", export=export_calendar, models=[CalendarToken])
    privacy.register("login_history", export=export_logins, models=[LoginEvent])
