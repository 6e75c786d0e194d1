"""factory_boy factories for the models every app uses."""

import factory
from allauth.account.models import EmailAddress

from portal.accounts.models import User
from portal.taxonomy.models import Topic


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
