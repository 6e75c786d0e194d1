"""Following things (topics, associations, venues, events, proposals): the one API to use."""

import secrets
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch

from portal.accounts.models import CalendarToken, Follow, User


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

    return User.objects.filter(follows__content_type=_ct(obj), follows__object_id=obj.pk)


def followers_of_any(objs):
    """Active users following at least one of `objs` (one query; each user once)."""

    condition = Q()
    for obj in objs:
        if obj is not None:
            condition |= Q(content_type=_ct(obj), object_id=obj.pk)
    if not condition:
        return User.objects.none()
    return User.objects.filter(
        is_active=True, pk__in=Follow.objects.filter(condition).values("user_id")
    )


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
# Apps register their followable models in AppConfig.ready() (a lower app never imports a
# higher one, so each app registers its own models, or a higher app adds to a lower one's):
#     from portal.accounts.follows import register_followable
#     register_followable(Venue, may_follow=lambda user, venue: ...)


@dataclass
class Followable:
    """How the follow button and view treat one model."""

    model: type
    # the instances that can be followed at all (e.g. live pages); None: every instance
    queryset: Callable[[], QuerySet] | None = None
    # may this user see (and so follow) this object? False answers 404, like a missing one
    visible: Callable[[object, object], bool] | None = None
    # may this (signed-in) user follow it? None: a verified e-mail address is enough
    may_follow: Callable[[object, object], bool] | None = None
    # {pk: url} for a list of instances, in a fixed number of queries (the profile's links)
    get_urls: Callable[[list], dict] | None = None
    order: int = 50


_FOLLOWABLE: dict[str, Followable] = {}


def register_followable(model, **options) -> None:
    """Allow users to follow instances of `model` through the follow button.

    Registering again keeps the options given before and updates the ones given now, so a
    higher app can e.g. teach the profile where a lower app's model is shown.
    """
    label = model._meta.label_lower
    entry = _FOLLOWABLE.get(label) or Followable(model=model)
    for name, value in options.items():
        if not hasattr(entry, name):
            raise TypeError(f"unknown option {name!r}")
        setattr(entry, name, value)
    _FOLLOWABLE[label] = entry


def followable(label_or_model) -> Followable | None:
    """The registration of a model ("app_label.modelname", a model or an instance), or None."""
    label = label_or_model if isinstance(label_or_model, str) else label_or_model._meta.label_lower
    return _FOLLOWABLE.get(label)


def followable_model(label_lower: str):
    """The registered model for `label_lower` ("app_label.modelname"), or None."""
    entry = _FOLLOWABLE.get(label_lower)
    return entry.model if entry else None


def is_followable(model_or_obj) -> bool:
    return model_or_obj._meta.label_lower in _FOLLOWABLE


def followable_models() -> list[type]:
    return [entry.model for entry in sorted(_FOLLOWABLE.values(), key=lambda e: e.order)]


def object_urls(objs) -> dict:
    """{(model label, pk): url} of followed objects, a fixed number of queries per model."""
    by_label: dict[str, list] = defaultdict(list)
    for obj in objs:
        by_label[obj._meta.label_lower].append(obj)
    result = {}
    for label, items in by_label.items():
        entry = _FOLLOWABLE.get(label)
        if entry is not None and entry.get_urls is not None:
            urls = entry.get_urls(items)
        else:
            urls = {obj.pk: object_url(obj) for obj in items}
        for pk, url in urls.items():
            result[(label, pk)] = url
    return result


def object_url(obj) -> str | None:
    """The public URL of `obj` from ``get_url`` or ``get_absolute_url``, or None."""

    for attr in ("get_url", "get_absolute_url"):
        method = getattr(obj, attr, None)
        if callable(method):
            try:
                url = method()
            except NoReverseMatch:  # a URL the owning app has not wired yet
                url = None
            if url:
                return url
    return None


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
