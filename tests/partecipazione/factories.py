"""Factories for the participation app."""

import factory
from django.contrib.contenttypes.models import ContentType

from partecipazione.models import Association, Comment, Membership, Proposal
from tests.factories import TopicFactory, UserFactory


class AssociationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Association

    name = factory.Sequence(lambda n: f"Associazione per la pace {n}")
    slug = factory.Sequence(lambda n: f"associazione-pace-{n}")
    description = "Un'associazione di Cremona."
    is_verified = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    association = factory.SubFactory(AssociationFactory)
    user = factory.SubFactory(UserFactory, verified=True)
    role = Membership.Role.MEMBER
    status = Membership.Status.ACTIVE


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    title = factory.Sequence(lambda n: f"Proposta di pace numero {n}")
    slug = factory.Sequence(lambda n: f"proposta-{n}")
    summary = "Un sommario della proposta."
    body = "<p>Il testo della proposta.</p>"
    topic = factory.SubFactory(TopicFactory)
    author = factory.SubFactory(UserFactory, verified=True)
    state = "submitted"


class CommentFactory(factory.django.DjangoModelFactory):
    """CommentFactory(target=proposal_or_page)."""

    class Meta:
        model = Comment

    class Params:
        target = factory.SubFactory(ProposalFactory)

    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.target))
    object_id = factory.LazyAttribute(lambda o: o.target.pk)
    author = factory.SubFactory(UserFactory, verified=True)
    body = "Sono d'accordo."
