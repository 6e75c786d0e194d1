"""Helpers for tests that drive the Wagtail admin (shared by every app's tests)."""

from allauth.mfa.totp.internal.auth import TOTP
from wagtail.admin.rich_text import DraftailRichTextArea
from wagtail.blocks.base import BlockField
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from portal.accounts.demo import DEMO_TOTP_SECRET


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
