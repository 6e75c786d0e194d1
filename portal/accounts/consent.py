"""Which version of the privacy notice is in force, and recording that a user accepted it."""

from django.conf import settings
from wagtail.models import Site

from portal.accounts.models import PrivacyConsent
from portal.core.models import PortalSettings


def privacy_page(request=None):
    """The live privacy notice page chosen in the portal settings, or None."""

    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return None
    page = PortalSettings.for_site(site).privacy_page
    if page is None or not page.live:
        return None
    return page


def current_notice_version(request=None) -> str:
    """`page-<id>-rev-<revision>` of the live privacy page, else PRIVACY_NOTICE_VERSION."""
    page = privacy_page(request)
    if page is not None and page.live_revision_id:
        return f"page-{page.pk}-rev-{page.live_revision_id}"
    return settings.PRIVACY_NOTICE_VERSION


def record_consent(user, request=None) -> PrivacyConsent:
    return PrivacyConsent.objects.create(user=user, notice_version=current_notice_version(request))
