"""Page rules, validation, iCalendar identity (UID) and SEQUENCE."""

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Site
from wagtail.test.utils import WagtailPageTestCase

from eventi.models import EventIndexPage, EventOccurrence, EventPage, EventType
from home.models import HomePage, StandardPage
from tests.eventi.factories import (
    VenueFactory,
    admin_login,
    edit_and_publish,
    make_event,
    preview_data,
)
from tests.factories import ON_CALENDAR_NOW

pytestmark = ON_CALENDAR_NOW


class EventPageRulesTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = Site.objects.get(is_default_site=True).root_page.specific
        cls.index = EventIndexPage(title="Eventi", slug="eventi")
        cls.home.add_child(instance=cls.index)
        cls.index.save_revision().publish()
        cls.event = make_event(cls.index, venue=VenueFactory())

    def test_parent_and_child_types(self):
        self.assertAllowedParentPageTypes(EventIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(EventIndexPage, {EventPage})
        self.assertAllowedParentPageTypes(EventPage, {EventIndexPage})
        self.assertAllowedSubpageTypes(EventPage, set())
        self.assertCanNotCreateAt(StandardPage, EventPage)
        self.assertCanNotCreateAt(HomePage, EventPage)

    def test_only_one_index_per_home(self):
        self.assertFalse(EventIndexPage.can_create_at(self.home))

    def test_event_can_be_created_under_the_index(self):
        self.assertCanCreateAt(EventIndexPage, EventPage)

    def test_pages_render_and_preview(self):
        self.assertPageIsRenderable(self.index)
        self.assertPageIsRenderable(self.event)
        user = admin_login(self)
        for page in (self.index, self.event):
            self.assertPageIsPreviewable(page, user=user, post_data=preview_data(page, user))

    def test_event_can_be_created_from_the_admin_form(self):
        admin_login(self)
        data = {
            "title": "Dall'amministrazione",
            "slug": "dall-amministrazione",
            "summary": "Creato con il modulo",
            "start_date": "2030-05-02",
            "start_time": "18:00",
            "frequency": "weekly",
            "interval": "1",
            "weekdays": ["3"],
            "count": "3",
            "status": "scheduled",
            "organised_by_city": "on",
            "is_free": "on",
        }
        from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

        data.update(nested_form_data({"body": streamfield([])}))
        for prefix in ("excluded_dates", "occurrence_overrides", "attachments"):
            data.update(nested_form_data({prefix: inline_formset([])}))
        self.assertCanCreate(self.index, EventPage, data)
        page = EventPage.objects.get(slug="dall-amministrazione")
        assert page.weekdays == [3]


@pytest.mark.django_db
def test_event_types_are_seeded():
    slugs = set(EventType.objects.values_list("slug", flat=True))
    assert {"incontro-interreligioso", "conferenza", "commemorazione", "festival"} <= slugs
    assert EventType.objects.count() >= 8


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields, field",
    [
        ({"end_date": date(2030, 3, 1)}, "end_date"),
        ({"end_time": time(17, 0)}, "end_time"),
        ({"status": "cancelled", "status_reason": ""}, "status_reason"),
        ({"until": date(2030, 4, 1)}, "frequency"),
        ({"frequency": "weekly", "until": date(2030, 4, 1), "count": 3}, "count"),
    ],
)
def test_validation_errors_are_tied_to_fields(fields, field):
    values = {
        "title": "Prova",
        "slug": "prova",
        "summary": "Sommario",
        "start_date": date(2030, 3, 5),
        "start_time": time(18, 0),
    }
    values.update(fields)
    with pytest.raises(ValidationError) as error:
        EventPage(**values).clean()
    assert field in error.value.message_dict


@pytest.mark.django_db
def test_cancelled_event_is_valid_with_a_reason():
    EventPage(
        title="Prova",
        slug="prova",
        summary="s",
        start_date=date(2030, 3, 5),
        status="cancelled",
        status_reason="Maltempo",
    ).clean()


@pytest.mark.django_db
def test_occurrences_follow_the_live_version_only(events_index):
    event = make_event(events_index, frequency="weekly", count=3)
    assert EventOccurrence.objects.filter(page=event).count() == 3
    # a draft change does not touch the materialised dates
    draft = EventPage.objects.get(pk=event.pk)
    draft.count = 10
    draft.save_revision()
    assert EventOccurrence.objects.filter(page=event).count() == 3
    # publishing it does
    EventPage.objects.get(pk=event.pk).get_latest_revision().publish()
    assert EventOccurrence.objects.filter(page=event).count() == 10


@pytest.mark.django_db
def test_uid_is_stable_across_edits_slug_changes_and_revisions(events_index):
    event = make_event(events_index)
    uid = event.uid
    old_revision = event.get_latest_revision()
    edited = edit_and_publish(event, title="Nuovo titolo", slug="nuovo-slug")
    assert edited.uid == uid and edited.url_path.endswith("/nuovo-slug/")
    # publishing an old revision never brings back another identity
    old_revision.publish()
    assert EventPage.objects.get(pk=event.pk).uid == uid
    assert EventPage.objects.get(pk=event.pk).ical_uid == f"{uid}@pace.comune.cremona.it"


@pytest.mark.django_db
def test_copied_event_gets_a_new_uid_and_sequence(events_index):
    event = make_event(events_index, start_time=time(18, 0))
    event = edit_and_publish(event, start_time=time(19, 0))
    assert event.sequence == 1
    copy = event.copy(update_attrs={"slug": "copia", "title": "Copia"})
    copy = EventPage.objects.get(pk=copy.pk)
    assert copy.uid != event.uid
    assert copy.sequence == 0


@pytest.mark.django_db
def test_sequence_rules(events_index):
    event = make_event(events_index, venue=VenueFactory())
    assert event.sequence == 0
    # title/summary changes: no new SEQUENCE
    event = edit_and_publish(event, title="Altro titolo", summary="Altro sommario")
    assert event.sequence == 0
    # a draft save touching the time: no new SEQUENCE until it is published
    draft = EventPage.objects.get(pk=event.pk)
    draft.start_time = time(17, 0)
    draft.save_revision()
    assert EventPage.objects.get(pk=event.pk).sequence == 0
    EventPage.objects.get(pk=event.pk).get_latest_revision().publish()
    assert EventPage.objects.get(pk=event.pk).sequence == 1
    # place and status changes count too
    event = edit_and_publish(event, venue=VenueFactory())
    assert event.sequence == 2
    event = edit_and_publish(event, status="cancelled", status_reason="Maltempo")
    assert event.sequence == 3
    # publishing again without changes keeps it
    event = edit_and_publish(event)
    assert event.sequence == 3


@pytest.mark.django_db
def test_sequence_counts_excluded_dates_and_overrides(events_index):
    event = make_event(events_index, start_date=date(2030, 3, 5), frequency="weekly", count=4)
    page = EventPage.objects.get(pk=event.pk)
    page.excluded_dates.add(page.excluded_dates.model(date=date(2030, 3, 12)))
    page.save_revision().publish()
    assert EventPage.objects.get(pk=event.pk).sequence == 1


@pytest.mark.django_db
def test_refresh_occurrences_extends_open_ended_rules(events_index):
    from io import StringIO

    from django.core.management import call_command

    event = make_event(events_index, start_date=date.today(), frequency="weekly")
    EventOccurrence.objects.filter(page=event).exclude(
        start=EventOccurrence.objects.filter(page=event).order_by("start").first().start
    ).delete()
    out = StringIO()
    call_command("refresh_occurrences", stdout=out)
    assert "1" in out.getvalue()
    assert EventOccurrence.objects.filter(page=event).count() > 52
