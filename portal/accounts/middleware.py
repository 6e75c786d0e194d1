"""Staff without two-factor authentication are sent to set it up before entering the admin;
the Django admin's own login form is replaced by allauth's (rate limited, MFA-aware); every
request's user is marked with whether its session completed MFA (see portal.accounts.mfa)."""

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from portal.accounts.mfa import has_mfa, mark_session_mfa, request_passed_mfa, requires_mfa

PROTECTED_PREFIXES = ("/admin/", "/django-admin/")
ALWAYS_ALLOWED = {"/admin/login/", "/admin/logout/", "/django-admin/logout/"}
DJANGO_ADMIN_LOGIN = "/django-admin/login/"


class RequireStaffMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Staff powers on the public site need a session that completed MFA.
            mark_session_mfa(user, request_passed_mfa(request))
        path = request.path
        if path == DJANGO_ADMIN_LOGIN:
            next_url = request.GET.get(REDIRECT_FIELD_NAME, "/django-admin/")
            query = urlencode({REDIRECT_FIELD_NAME: next_url})
            return HttpResponseRedirect(f"{reverse('account_login')}?{query}")
        if path.startswith(PROTECTED_PREFIXES) and path not in ALWAYS_ALLOWED:
            user = getattr(request, "user", None)
            if user is not None and requires_mfa(user) and not has_mfa(user):
                messages.warning(
                    request,
                    _(
                        "Per entrare nell'area di amministrazione devi attivare la verifica "
                        "in due passaggi con un'app di autenticazione."
                    ),
                )
                return redirect("mfa_activate_totp")
        return self.get_response(request)
