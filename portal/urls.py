"""Root URLconf.

Apps are included by dotted path (strings), so this module imports none of the
higher layers and the one-way dependency rule holds (see pyproject's import-linter contract).
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from portal.accounts import views as account_views
from portal.core import views as core_views

handler404 = "portal.core.views.page_not_found"
handler500 = "portal.core.views.server_error"
# allauth's rate limits (login lockout included) answer with this view.
handler429 = "portal.core.views.rate_limited"

urlpatterns = [
    path("django-admin/", admin.site.urls),
    # The admin login is allauth's (rate limited, MFA-aware); Wagtail's own form is never shown.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        name="admin_login_redirect",
    ),
    # Logging out only on a POST that passed the CSRF check (Wagtail's view drops the session
    # cookie whatever the answer, so a cross-site GET logged staff out).
    path("admin/logout/", account_views.AdminLogoutView.as_view(), name="admin_logout"),
    # One password reset for everyone: allauth's (rate limited); Wagtail's is switched off
    # (WAGTAIL_PASSWORD_RESET_ENABLED = False) and its address leads to allauth's.
    path(
        "admin/password_reset/",
        RedirectView.as_view(pattern_name="account_reset_password"),
        name="admin_password_reset_redirect",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/setlang/", set_language, name="set_language"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("healthz", core_views.healthz, name="healthz"),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Language-prefixed URLs: Italian (the default) has no prefix, English lives under /en/.
urlpatterns += i18n_patterns(
    path("account/", include("portal.accounts.urls")),
    path("account/", include("allauth.urls")),
    path("", include("portal.core.urls")),
    path("", include("partecipazione.urls")),
    path("", include("eventi.urls")),
    path("", include("home.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
