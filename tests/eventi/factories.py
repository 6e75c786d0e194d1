"""Factories and builders for event tests."""

from datetime import date, time

import factory

from eventi.models import EventPage, EventType, Venue


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Sala {n}")
    slug = factory.Sequence(lambda n: f"sala-{n}")
    address = "Via Ugolani Dati 4"
    postcode = "26100"
    latitude = "45.133500"
    longitude = "10.024200"


def event_type(slug="conferenza") -> EventType:
    return EventType.objects.get(slug=slug)


def make_event(index, publish=True, **fields) -> EventPage:
    """Create an event under `index` (published through a revision, like the admin does)."""
    topics = fields.pop("topics", [])
    organisers = fields.pop("organisers", [])
    excluded = fields.pop("excluded_dates", [])
    overrides = fields.pop("overrides", [])
    defaults = {
        "title": "Incontro per la pace",
        "summary": "Un incontro aperto a tutta la cittadinanza.",
        "start_date": date(2030, 3, 5),
        "start_time": time(18, 0),
        "end_time": time(20, 0),
    }
    defaults.update(fields)
    page = EventPage(**defaults)
    page.topics = topics
    page.organisers = organisers
    for day in excluded:
        page.excluded_dates.add(page.excluded_dates.model(date=day))
    for override in overrides:
        page.occurrence_overrides.add(page.occurrence_overrides.model(**override))
    index.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    else:
        page.live = False
        page.save_revision()
        page.save()
    page.refresh_from_db()
    return page


def edit_and_publish(page, **changes) -> EventPage:
    page = EventPage.objects.get(pk=page.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return EventPage.objects.get(pk=page.pk)


def admin_login(test_case):
    """Log a superuser in (the admin requires two-factor authentication)."""
    from allauth.mfa.totp.internal.auth import TOTP

    from portal.accounts.demo import DEMO_TOTP_SECRET

    user = test_case.create_test_user()
    TOTP.activate(user, DEMO_TOTP_SECRET)
    test_case.client.force_login(user)
    return user


def preview_data(page, user) -> dict:
    """The edit form's data for `page` (StreamFields and inline panels posted empty)."""
    from wagtail.admin.rich_text import DraftailRichTextArea
    from wagtail.blocks.base import BlockField
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        rich_text,
        streamfield,
    )

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
