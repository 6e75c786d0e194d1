"""Forms that cached pages carry: accepted only from this site, without a CSRF token.

A page served from the anonymous page cache (portal.core.middleware) is the same for every
visitor, so it cannot hold anyone's CSRF token. The few anonymous forms that appear on such
pages (the page rating under news, topics and plain pages) post to views decorated with
`same_origin_post` instead: the browser tells where a POST comes from (`Sec-Fetch-Site`,
`Origin`), the check Django's CSRF middleware itself makes first, and a POST from another
site is refused with the CSRF failure page. Forms for signed-in people keep the CSRF token.
"""

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.module_loading import import_string
from django.views.decorators.csrf import csrf_exempt

CROSS_SITE = "the form was sent from another site"


def is_same_origin(request) -> bool:
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("Origin")
    if origin is None:
        return True  # browsers send Origin with every cross-site POST
    if origin == "null":
        return False
    own = f"{request.scheme}://{request.get_host()}"
    trusted = set(getattr(settings, "CSRF_TRUSTED_ORIGINS", []))
    return origin == own or origin in trusted or urlsplit(origin).netloc == request.get_host()


def same_origin_post(view):
    """Exempt `view` from the CSRF token check, and refuse POSTs from other sites."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST" and not is_same_origin(request):
            return import_string(settings.CSRF_FAILURE_VIEW)(request, reason=CROSS_SITE)
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapped)
