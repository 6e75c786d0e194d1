from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import ratelimit
from allauth.core.exceptions import ImmediateHttpResponse
from django import forms


class AccountAdapter(DefaultAccountAdapter):
    """Allauth adapter: one place for account policy (extended by the account issue)."""

    def pre_authenticate(self, request, **credentials):
        """A login locked out by the `login_failed` rate limit answers with the 429 page."""
        try:
            super().pre_authenticate(request, **credentials)
        except forms.ValidationError as error:
            if error.code == "too_many_login_attempts":
                raise ImmediateHttpResponse(ratelimit.respond_429(request)) from error
            raise
