"""factory_boy factories for the models every app uses."""

import datetime as dt
from zoneinfo import ZoneInfo

import factory
import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from portal.accounts.models import User
from portal.taxonomy.models import Topic

# The "now" of tests that assert an exact calendar (weekday names, month pages, DST changes):
# `pytestmark = ON_CALENDAR_NOW` (time-machine). Their fixed 2026-2030 dates then stay in the
# future for ever; every other test uses dates relative to today (`next_weekday`).
CALENDAR_NOW = dt.datetime(2026, 1, 15, 10, 0, tzinfo=ZoneInfo("Europe/Rome"))
ON_CALENDAR_NOW = pytest.mark.time_machine(CALENDAR_NOW)


def next_weekday(weekday: int, weeks: int = 0) -> dt.date:
    """The first `weekday` (0 = Monday) after today, plus `weeks` weeks: always in the future."""
    today = timezone.localdate()
    return today + dt.timedelta(days=(weekday - today.weekday() - 1) % 7 + 1, weeks=weeks)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persona{n}@example.org")
    first_name = factory.Faker("first_name", locale="it_IT")
    last_name = factory.Faker("last_name", locale="it_IT")
    password = factory.django.Password("una-password-sicura-2026")

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """UserFactory(verified=True) gives the user a verified primary e-mail address."""
        if create and extracted:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Argomento {n}")
    slug = factory.Sequence(lambda n: f"argomento-{n}")
