"""Account views: follow toggle, profile, calendar token, privacy (export, deletion)."""

import copy
import hashlib
import hmac

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.accounts import follows, personal_data, privacy, profile
from portal.accounts.consent import current_notice_version, record_consent
from portal.accounts.forms import DeleteAccountForm, ProfileForm
from portal.accounts.models import AccountDeletionLog
from portal.accounts.verification import has_verified_email


def safe_next_url(request, fallback: str = "/") -> str:
    """The `next` parameter if it points to this site, else `fallback`."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def _object_url(obj) -> str:
    return follows.object_url(obj) or "/"


# The follow button says what the user wants, so a form sent twice does not undo itself.
FOLLOW_ACTIONS = {"segui": True, "non-seguire": False}


def _followable_object(request, ct_id: int, object_id: int):
    try:
        content_type = ContentType.objects.get_for_id(ct_id)
    except ContentType.DoesNotExist as exc:
        raise Http404 from exc
    entry = follows.followable(f"{content_type.app_label}.{content_type.model}")
    if entry is None:
        raise Http404
    if entry.queryset is not None:
        queryset = entry.queryset()
    else:
        queryset = entry.model._default_manager.all()
        if hasattr(queryset, "live"):  # Wagtail pages: only published, public ones
            queryset = queryset.live().public()
    obj = queryset.filter(pk=object_id).first()
    visible = entry.visible is None or entry.visible(request.user, obj) if obj else False
    if obj is not None and visible and follows.may_see(request.user, obj):
        return entry, obj
    # Something followed that is no longer public (an unpublished event, a hidden proposal):
    # its follower may still stop following it from the profile. Nobody else learns it exists.
    if request.POST.get("azione") == "non-seguire" and request.user.is_authenticated:
        obj = entry.model._default_manager.filter(pk=object_id).first()
        if obj is not None and follows.is_following(request.user, obj):
            return entry, obj
    raise Http404


@require_POST
def follow_toggle(request, ct_id: int, object_id: int):
    """Follow or stop following a registered object, then go back to where the user was."""
    entry, obj = _followable_object(request, ct_id, object_id)
    next_url = safe_next_url(request, fallback=_object_url(obj))
    if not request.user.is_authenticated:
        login = resolve_url("account_login")
        return HttpResponseRedirect(f"{login}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")
    if not has_verified_email(request.user):
        messages.error(
            request,
            _("Per seguire gli aggiornamenti devi prima confermare il tuo indirizzo e-mail."),
        )
        return HttpResponseRedirect(reverse("account_email"))
    wanted = FOLLOW_ACTIONS.get(request.POST.get("azione", ""))
    if wanted is None:  # a form without the action: the opposite of the current state
        wanted = not follows.is_following(request.user, obj)
    if wanted and entry.may_follow is not None and not entry.may_follow(request.user, obj):
        messages.error(request, _("Non puoi seguire «%(name)s».") % {"name": obj})
        return HttpResponseRedirect(next_url)
    if wanted:
        follows.follow(request.user, obj)
    else:
        follows.unfollow(request.user, obj)
    following = wanted
    if following:
        messages.success(request, _("Ora segui «%(name)s».") % {"name": obj})
    else:
        messages.success(request, _("Non segui più «%(name)s».") % {"name": obj})
    return HttpResponseRedirect(next_url)


class AdminLogoutView(auth_views.LogoutView):
    """The admin's logout (replaces Wagtail's): the session cookie goes only with a real logout.

    Wagtail's `LogoutView.dispatch` deletes the session cookie after any answer, the 405 to a
    GET and the 403 to a POST without a CSRF token included, so a link on another site logged
    staff out. Django's view answers those; only a logout that happened drops the cookie (as
    Wagtail does, so that the visitor's pages can come from the anonymous cache again).
    """

    next_page = settings.WAGTAILADMIN_LOGIN_URL

    def dispatch(self, request, *args, **kwargs):
        was_logged_in = request.user.is_authenticated
        response = super().dispatch(request, *args, **kwargs)
        if was_logged_in and not request.user.is_authenticated:
            messages.success(request, _("Sei uscito dall'area riservata."))
            response.delete_cookie(
                settings.SESSION_COOKIE_NAME,
                domain=settings.SESSION_COOKIE_DOMAIN,
                path=settings.SESSION_COOKIE_PATH,
            )
            request.session.modified = False  # or SessionMiddleware writes a new cookie
        return response


# --- Profile and "my calendar" ----------------------------------------------------------


def _personal_feed_url(request, token: str) -> str | None:
    """Absolute URL of the private feed, or None while the events app does not provide it."""
    try:
        path = reverse("eventi:personal_feed", kwargs={"token": token})
    except NoReverseMatch:
        return None
    return request.build_absolute_uri(path)


def _memberships(user) -> list:
    """Associations the user belongs to, through the reverse relation the participation app
    declares (``Membership.user`` with ``related_name="memberships"``), without importing it."""
    if profile.has_section("associations"):
        return []
    manager = getattr(user, "memberships", None)
    if manager is None:
        return []
    try:
        rows = list(manager.filter(status="active").select_related("association"))
    except FieldError:
        return []
    result = []
    for membership in rows:
        association = membership.association
        try:
            url = association.get_absolute_url()
        except (NoReverseMatch, AttributeError):
            url = None
        try:  # the members' area of the participation app, when it is installed
            area_url = reverse("partecipazione:association_area", kwargs={"slug": association.slug})
        except NoReverseMatch:
            area_url = None
        result.append(
            {
                "name": str(association),
                "url": url,
                "area_url": area_url,
                "role": membership.get_role_display(),
            }
        )
    return result


def _followed_groups(user) -> list[dict]:
    """What `user` follows, grouped by kind (topics, events, venues...), each with its link.

    A fixed number of queries: the follows, one per followed kind, and what each kind's
    registered ``get_urls`` needs.
    """
    pairs = [(row, obj) for row, obj in personal_data.followed_objects(user) if obj is not None]
    urls = follows.object_urls([obj for _row, obj in pairs])
    groups: dict[str, dict] = {}
    for _row, obj in pairs:
        label = obj._meta.label_lower
        entry = follows.followable(label)
        group = groups.setdefault(
            label,
            {
                "key": label.replace(".", "-"),
                "kind": obj._meta.verbose_name_plural,
                "order": entry.order if entry else 100,
                "items": [],
            },
        )
        group["items"].append(
            {
                "obj": obj,
                "name": str(obj),
                "url": urls.get((label, obj.pk)),
                "followable": entry is not None,
            }
        )
    return sorted(groups.values(), key=lambda group: (group["order"], str(group["kind"])))


@login_required
def profile_view(request):
    user = request.user
    if request.method == "POST":
        # A copy: an invalid form must not change the name shown in the page header.
        form = ProfileForm(request.POST, instance=copy.copy(user))
        if form.is_valid():
            form.save()
            messages.success(request, _("Profilo aggiornato."))
            return redirect("accounts:profile")
    else:
        form = ProfileForm(instance=user)
    token = follows.calendar_token(user)
    feed_url = _personal_feed_url(request, token)
    sections = []
    for section in profile.sections():
        context = section.get_context(request)
        sections.append({"section": section, "context": context})
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "followed_groups": _followed_groups(user),
            "feed_url": feed_url,
            "webcal_url": feed_url and "webcal://" + feed_url.split("://", 1)[1],
            "memberships": _memberships(user),
            "sections": sections,
            "verified": has_verified_email(user),
        },
    )


@login_required
@require_POST
def regenerate_calendar_token(request):
    follows.regenerate_calendar_token(request.user)
    messages.success(
        request,
        _(
            "Nuovo indirizzo del calendario creato: quello vecchio non funziona più. "
            "Aggiorna l'abbonamento nella tua app del calendario."
        ),
    )
    return redirect(reverse("accounts:profile") + "#calendario")


# --- Privacy: my data, deleting the account ----------------------------------------------


@login_required
def privacy_view(request):
    consents = list(request.user.privacy_consents.all()[:20])
    current = current_notice_version(request)
    return render(
        request,
        "accounts/privacy.html",
        {
            "consents": consents,
            "current_version": current,
            "needs_consent": not any(c.notice_version == current for c in consents),
        },
    )


@login_required
@require_POST
def accept_privacy_notice(request):
    """Accept the privacy notice in force (e.g. after editors published a new version)."""
    current = current_notice_version(request)
    if not request.user.privacy_consents.filter(notice_version=current).exists():
        record_consent(request.user, request)
    messages.success(request, _("Grazie: hai accettato l'informativa privacy in vigore."))
    return redirect("accounts:privacy")


@login_required
@require_GET
def export_json(request):
    data = privacy.export_user_data(request.user)
    response = JsonResponse(
        data, json_dumps_params={"ensure_ascii": False, "indent": 2}, encoder=DjangoJSONEncoder
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="i-miei-dati-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def export_html(request):
    data = privacy.export_user_data(request.user)
    response = render(request, "accounts/export.html", {"export": data})
    response["Cache-Control"] = "no-store"
    return response


def _user_hash(user_id) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"user:{user_id}".encode(), hashlib.sha256
    ).hexdigest()


def delete_account(user) -> AccountDeletionLog:
    """Erase `user`: every registered eraser, then the account itself; logged anonymously."""
    with transaction.atomic():
        privacy.erase_user_data(user)
        log = AccountDeletionLog.objects.create(user_hash=_user_hash(user.pk))
        user.delete()
    return log


@login_required
def delete_account_view(request):
    if request.method == "POST":
        form = DeleteAccountForm(request.POST, user=request.user)
        if form.is_valid():
            user = request.user
            delete_account(user)
            logout(request)
            messages.success(
                request, _("Il tuo account e i tuoi dati personali sono stati cancellati.")
            )
            return redirect("/")
    else:
        form = DeleteAccountForm(user=request.user)
    return render(request, "accounts/delete_account.html", {"form": form})
