from django.conf import settings


def portal(request):
    """Values every template may use without a query."""
    return {"SITE_URL": settings.SITE_URL}
