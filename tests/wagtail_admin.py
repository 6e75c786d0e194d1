"""Helpers for tests that drive the Wagtail admin (shared by every app's tests)."""

import time

from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.urls import reverse
from wagtail.admin.rich_text import DraftailRichTextArea
from wagtail.blocks.base import BlockField
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from portal.accounts.demo import DEMO_TOTP_SECRET


def mfa_login(client, user, password="una-password-sicura-2026"):  # noqa: S107
    """A real login with password and the demo TOTP code, as staff do it.

    Staff powers on the public site need a session that completed MFA, which force_login
    does not give. `user` must have the demo TOTP secret (activated here if missing).
    """
    from allauth.mfa.models import Authenticator

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response.status_code == 302, response
    assert response["Location"] == reverse("mfa_authenticate")
    code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // 30))
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302, "TOTP code refused (used twice in 30 s?)"
    return user


def admin_login(test_case):
    """Log a superuser in (the admin requires two-factor authentication)."""
    user = test_case.create_test_user()
    TOTP.activate(user, DEMO_TOTP_SECRET)
    test_case.client.force_login(user)
    return user


def preview_data(page, user) -> dict:
    """The edit form's data for `page` (StreamFields and inline panels posted empty).

    The admin renders StreamFields with JavaScript, so the edit page's HTML cannot be replayed.
    """
    form_class = type(page).get_edit_handler().get_form_class()
    form = form_class(instance=page, parent_page=page.get_parent(), for_user=user)
    data = {}
    for name, field in form.fields.items():
        if isinstance(field, BlockField):
            data.update(nested_form_data({name: streamfield([])}))
            continue
        value = form[name].value()
        if isinstance(field.widget, DraftailRichTextArea):
            data[name] = rich_text(page.serializable_data().get(name) or "")
            continue
        if value is None or value is False:
            continue
        if isinstance(value, (list, tuple)):
            data[name] = [getattr(v, "pk", v) for v in value]
        else:
            data[name] = "on" if value is True else value
    for prefix in form.formsets:
        data.update(nested_form_data({prefix: inline_formset([])}))
    return data
