"""Following things (topics, associations, venues, events, proposals): the one API to use."""

import secrets

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from portal.accounts.models import CalendarToken, Follow


def _ct(model_or_obj):
    return ContentType.objects.get_for_model(model_or_obj, for_concrete_model=True)


def follow(user, obj) -> bool:
    """Follow `obj`; returns True if a new follow was created. Safe under concurrent clicks."""
    try:
        with transaction.atomic():
            _, created = Follow.objects.get_or_create(
                user=user, content_type=_ct(obj), object_id=obj.pk
            )
    except IntegrityError:
        return False
    return created


def unfollow(user, obj) -> bool:
    deleted, _ = Follow.objects.filter(user=user, content_type=_ct(obj), object_id=obj.pk).delete()
    return bool(deleted)


def toggle(user, obj) -> bool:
    """Follow or unfollow; returns the new state (True = following)."""
    if unfollow(user, obj):
        return False
    follow(user, obj)
    return True


def is_following(user, obj) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Follow.objects.filter(user=user, content_type=_ct(obj), object_id=obj.pk).exists()


def followed_ids(user, model) -> set[int]:
    """Primary keys of the `model` instances that `user` follows (one query)."""
    return set(
        Follow.objects.filter(user=user, content_type=_ct(model)).values_list(
            "object_id", flat=True
        )
    )


def followers(obj):
    """Users following `obj` (a queryset)."""
    from portal.accounts.models import User

    return User.objects.filter(follows__content_type=_ct(obj), follows__object_id=obj.pk)


def calendar_token(user) -> str:
    """The user's private calendar token, created on first use."""
    token, _ = CalendarToken.objects.get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    return token.token


def regenerate_calendar_token(user) -> str:
    """A new token: the old feed URL stops working at once."""
    new = secrets.token_urlsafe(32)
    CalendarToken.objects.update_or_create(user=user, defaults={"token": new})
    return new


def user_for_calendar_token(token: str):
    """The user owning `token`, or None."""
    found = CalendarToken.objects.select_related("user").filter(token=token).first()
    return found.user if found and found.user.is_active else None


# --- Which models may be followed through the generic toggle view -----------------------
# Apps register their followable models in AppConfig.ready():
#     from portal.accounts.follows import register_followable
#     register_followable(Venue)
_FOLLOWABLE: dict[str, type] = {}


def register_followable(model) -> None:
    """Allow users to follow instances of `model` through the follow button."""
    _FOLLOWABLE[model._meta.label_lower] = model


def followable_model(label_lower: str):
    """The registered model for `label_lower` ("app_label.modelname"), or None."""
    return _FOLLOWABLE.get(label_lower)


def is_followable(model_or_obj) -> bool:
    return model_or_obj._meta.label_lower in _FOLLOWABLE


def followable_models() -> list[type]:
    return list(_FOLLOWABLE.values())


def content_type_id(model_or_obj) -> int:
    """The (cached) content type id used in follow URLs."""
    return _ct(model_or_obj).pk


# --- Who may see what may be followed ------------------------------------------------------
# The participation app registers its visibility rule (partecipazione.permissions, "view")
# in AppConfig.ready(): this app cannot import it (layering), the follow view asks through here.
_VISIBILITY_CHECKS: list = []


def register_visibility_check(check) -> None:
    """`check(user, obj) -> bool`: may `user` see (and so follow) `obj`?"""
    if check not in _VISIBILITY_CHECKS:
        _VISIBILITY_CHECKS.append(check)


def may_see(user, obj) -> bool:
    return all(check(user, obj) for check in _VISIBILITY_CHECKS)
