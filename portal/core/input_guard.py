"""Requests carrying a NUL character are refused at one place, with a clear 400 page.

No text of the portal may contain U+0000: PostgreSQL refuses it in every string literal (the
query fails, a 500), and no browser sends it from a form field. Rather than guard every
query, filter and token, this middleware answers 400 when the path, a query-string name or
value, or a form-encoded POST name or value contains one. The page says what was wrong and that
going back with the browser keeps what was typed.
"""

from django.shortcuts import render
from django.utils.translation import gettext as _

NUL = "\x00"
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def has_nul(query_dict) -> bool:
    return any(
        NUL in key or any(NUL in value for value in values) for key, values in query_dict.lists()
    )


class RejectNulCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.has_nul_characters(request):
            return render(
                request,
                "400.html",
                {"message": _("L'indirizzo o il modulo contiene un carattere non ammesso (NUL).")},
                status=400,
            )
        return self.get_response(request)

    @staticmethod
    def has_nul_characters(request) -> bool:
        if NUL in request.path_info or has_nul(request.GET):
            return True
        if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
            return has_nul(request.POST)
        return False
