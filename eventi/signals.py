"""Keeping SEQUENCE, materialised occurrences and cached feeds right when events change."""

from django.db.models import F
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils import timezone
from wagtail.signals import page_published, page_unpublished, post_page_move

from eventi import feeds, ical
from eventi.models import EventFeedComponent, EventIndexPage, EventPage, EventType, Venue
from partecipazione import notifications
from partecipazione.models import Association
from partecipazione.signals import proposal_realised
from portal.core import cache
from portal.taxonomy.models import Topic


@receiver(page_published, sender=EventPage)
def event_published(sender, instance, **kwargs):
    """SEQUENCE goes up when a published change touches date, time, place or status.

    `instance` is the page just published; its `published_fingerprint` and `sequence` are the
    values of the previous live version (EventPage.with_content_json keeps them out of
    revisions), so comparing fingerprints tells whether this publication changed the schedule.
    """
    fingerprint = instance.schedule_fingerprint()
    previous = instance.published_fingerprint
    if fingerprint != previous:
        if previous:
            instance.sequence += 1
        instance.published_fingerprint = fingerprint
        EventPage.objects.filter(pk=instance.pk).update(
            sequence=instance.sequence, published_fingerprint=fingerprint
        )
        notify_followers(instance, new=not previous)
    ical.store_page(instance.pk)  # the new live version's VEVENTs, ready for every feed
    feeds.invalidate()


def notify_followers(page, new: bool) -> None:
    """A first publication, or one that changed the schedule, place or status: tell the
    people following the event, its topics, organisers or venue (public events only)."""
    if not EventPage.objects.filter(pk=page.pk).public().exists():
        return
    sources = [*page.topics.all(), *page.organisers.all()]
    if page.venue_id:
        sources.append(Venue(pk=page.venue_id))
    notifications.event_published(
        page,
        sources=sources,
        new=new,
        cancelled=page.is_cancelled,
        url=page.get_url() or "",
    )


@receiver(page_unpublished)
@receiver(post_page_move)
@receiver(page_published, sender=EventIndexPage)  # its slug is in every event's URL
def page_changed(sender, instance, **kwargs):
    """Unpublishing or moving any page can hide events (a whole section may go)."""
    feeds.invalidate()


@receiver(post_delete, sender=EventPage)
def event_deleted(sender, **kwargs):
    feeds.invalidate()


def _venue_location(venue) -> tuple:
    """What of a venue its events' VEVENTs show (LOCATION, GEO)."""
    return (
        venue.name,
        venue.address,
        venue.postcode,
        venue.city,
        None if venue.latitude is None else str(venue.latitude),
        None if venue.longitude is None else str(venue.longitude),
    )


@receiver(pre_save, sender=Venue)
def venue_saving(sender, instance, raw=False, **kwargs):
    """Remember where the venue was, to tell after the save whether its events moved."""
    if raw or not instance.pk:
        return
    previous = Venue.objects.filter(pk=instance.pk).first()
    instance._previous_location = _venue_location(previous) if previous else None


@receiver(post_save, sender=Venue)
@receiver(post_delete, sender=Venue)
def venue_changed(sender, instance, **kwargs):
    """The venue's name, address and coordinates show in its events' VEVENTs.

    A renamed or moved venue changes its events as a calendar sees them: their SEQUENCE
    goes up and LAST-MODIFIED (EventPage.feed_modified_at) moves to now, so subscribed
    clients replace the old LOCATION (RFC 5546).
    """
    previous = getattr(instance, "_previous_location", None)
    if previous is not None and previous != _venue_location(instance):
        EventPage.objects.filter(venue=instance.pk).update(
            sequence=F("sequence") + 1, feed_modified_at=timezone.now()
        )
    instance._previous_location = None
    EventFeedComponent.objects.filter(page__venue=instance.pk).delete()
    feeds.invalidate_related()


@receiver(post_save, sender=EventType)
@receiver(post_delete, sender=EventType)
def event_type_changed(sender, instance, **kwargs):
    EventFeedComponent.objects.filter(page__event_type=instance.pk).delete()
    feeds.invalidate_related()


@receiver(post_save, sender=Association)
@receiver(pre_delete, sender=Association)
def association_changed(sender, instance, **kwargs):
    """Organiser names (before a deletion, while the links still exist)."""
    EventFeedComponent.objects.filter(page__organisers=instance.pk).delete()
    feeds.invalidate_related()


@receiver(post_save, sender=Topic)
@receiver(post_delete, sender=Topic)
def topic_changed(sender, **kwargs):
    """Topics are a short taxonomy that most events use: rebuild every stored VEVENT."""
    EventFeedComponent.objects.all().delete()
    feeds.invalidate_related()


@receiver(proposal_realised)
def link_realised_event(sender, proposal, event_id=None, **kwargs):
    """The event a proposal became points back at it (the page row: revisions keep it)."""
    if event_id is None:
        return
    EventPage.objects.filter(pk=event_id).update(source_proposal=proposal)
    cache.bump_generation()
