"""Bulk data for the benchmarks: thousands of events and proposals, inserted fast.

The apps' demo modules make the real demo content (`manage.py load_demo_data`); this module adds
the volume the benchmarks measure, on top of it:

    .venv/bin/python bench/bulk_data.py --events 10000 --proposals 2000 --comments-per-proposal 3

Events: tree paths computed here, Page rows with bulk_create, EventPage rows with one multi-row
INSERT per batch, occurrences materialised, because `add_child` per page is far too slow. Bulk rows
skip the model signals, so the search index is rebuilt afterwards. Idempotent: "at least N".
Django is set up with DJANGO_SETTINGS_MODULE (default portal.settings.dev, as manage.py).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import uuid
from datetime import time, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import django  # noqa: E402
from django.apps import apps  # noqa: E402

if not apps.ready:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import F  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Page  # noqa: E402

from eventi import recurrence  # noqa: E402
from eventi.models import EventIndexPage, EventOccurrence, EventPage, EventType, Venue  # noqa: E402
from partecipazione.demo import COMMENTS, recount  # noqa: E402
from partecipazione.models import Comment, Proposal, ProposalState  # noqa: E402
from portal.accounts.demo import DEMO_USERS  # noqa: E402
from portal.accounts.models import User  # noqa: E402
from portal.taxonomy.models import Topic  # noqa: E402

BULK_TITLES = [
    "Incontro di quartiere sulla pace",
    "Letture per i diritti umani",
    "Laboratorio di dialogo interculturale",
    "Caffè interreligioso",
    "Cineforum: storie di riconciliazione",
    "Conferenza sulla cooperazione internazionale",
    "Passeggiata della memoria",
    "Concerto dei cori delle comunità",
]


def bulk_events(index, count, venues, types, topics, today, recurring_every=20) -> int:
    """Insert `count` published events under `index` quickly (1 in `recurring_every` weekly)."""
    rng = random.Random(2026)
    venue_list = list(venues.values())
    type_list = list(types.values())
    topic_list = list(topics.values())
    content_type = ContentType.objects.get_for_model(EventPage)
    now = timezone.now()
    with transaction.atomic():
        parent = Page.objects.select_for_update().get(pk=index.pk)
        last = parent.get_last_child()
        first_step = (Page._str2int(last.path[-Page.steplen :]) + 1) if last else 1
        serial = EventPage.objects.count()
        pages, details = [], []
        for i in range(count):
            serial += 1
            title = f"{BULK_TITLES[i % len(BULK_TITLES)]} n. {serial}"
            slug = f"evento-{serial:05d}-{uuid.uuid4().hex[:6]}"
            pages.append(
                Page(
                    title=title,
                    draft_title=title,
                    slug=slug,
                    path=Page._get_path(parent.path, parent.depth + 1, first_step + i),
                    depth=parent.depth + 1,
                    numchild=0,
                    url_path=f"{parent.url_path}{slug}/",
                    content_type=content_type,
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=now,
                    last_published_at=now,
                    latest_revision_created_at=now,
                    locale_id=parent.locale_id,
                    translation_key=uuid.uuid4(),
                )
            )
            recurring = i % recurring_every == 0
            start = today + timedelta(days=rng.randint(-60, 365))
            details.append(
                {
                    "summary": "Un appuntamento del programma Città della Pace aperto a tutti.",
                    "start_date": start,
                    "start_time": time(rng.choice([10, 15, 17, 18, 20, 21]), rng.choice([0, 30])),
                    "end_time": None,
                    "venue_id": rng.choice(venue_list).pk if i % 10 else None,
                    "online_url": "" if i % 10 else "https://meet.comune.cremona.it/incontro",
                    "event_type_id": rng.choice(type_list).pk if type_list else None,
                    "frequency": "weekly" if recurring else "none",
                    "count": 26 if recurring else None,
                    "topic": rng.choice(topic_list) if topic_list else None,
                }
            )
        Page.objects.bulk_create(pages, batch_size=500)
        ids = dict(Page.objects.filter(path__in=[p.path for p in pages]).values_list("path", "pk"))
        rows, through_rows, occurrences = [], [], []
        Through = EventPage.topics.through
        for page, extra in zip(pages, details, strict=True):
            pk = ids[page.path]
            topic = extra.pop("topic")
            start_time = extra["start_time"]
            extra["end_time"] = time(min(start_time.hour + 2, 23), start_time.minute)
            event = EventPage(page_ptr_id=pk, **extra)
            rows.append(event)
            if topic:
                through_rows.append(Through(eventpage_id=pk, topic_id=topic.pk))
            schedule = recurrence.EventSchedule(
                start_date=extra["start_date"],
                start_time=start_time,
                end_time=extra["end_time"],
                frequency=extra["frequency"],
                count=extra["count"],
            )
            for slot in recurrence.expand(schedule):
                occurrences.append(
                    EventOccurrence(
                        page_id=pk,
                        start=slot.start,
                        end=slot.end,
                        all_day=slot.all_day,
                        original_start=slot.original_start,
                    )
                )
        fields = EventPage._meta.local_concrete_fields
        for offset in range(0, len(rows), 200):
            EventPage.objects._insert(rows[offset : offset + 200], fields=fields, raw=True)
        Through.objects.bulk_create(through_rows, batch_size=1000)
        EventOccurrence.objects.bulk_create(occurrences, batch_size=1000)
        Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + count)
    from eventi import feeds, ical

    # Serialise the new events' VEVENTs now, as publishing does, so feeds start warm.
    ical.store_all(EventPage.objects.filter(pk__in=list(ids.values())))
    transaction.on_commit(feeds.invalidate)
    return count


def bulk_proposals(wanted: int, per_proposal: int) -> int:
    """Proposals `proposta-generata-N` (and `per_proposal` comments each), in bulk, until
    `wanted` proposals exist; returns how many were made."""
    missing = wanted - Proposal.objects.count()
    if missing <= 0:
        return 0
    existing = Proposal.objects.filter(slug__startswith="proposta-generata-").count()
    emails = [DEMO_USERS[key][0] for key in ("citizen", "citizen2", "member")]
    authors = list(User.objects.filter(email__in=emails).order_by("pk"))
    topic_list = list(Topic.objects.order_by("pk"))
    states = [ProposalState.SUBMITTED, ProposalState.UNDER_REVIEW, ProposalState.ACCEPTED]
    new = [
        Proposal(
            slug=f"proposta-generata-{n}",
            title=f"Proposta generata numero {n}",
            summary="Una proposta generata per misurare le prestazioni del portale.",
            body="<p>Testo di prova.</p>",
            topic=topic_list[n % len(topic_list)] if topic_list else None,
            author=authors[n % len(authors)] if authors else None,
            state=states[n % len(states)],
            submitted_at=timezone.now(),
        )
        for n in range(existing + 1, existing + missing + 1)
    ]
    Proposal.objects.bulk_create(new, batch_size=500)
    created = list(Proposal.objects.filter(slug__in=[p.slug for p in new]).only("pk"))
    ct = ContentType.objects.get_for_model(Proposal)
    if per_proposal > 0 and authors:
        Comment.objects.bulk_create(
            [
                Comment(
                    content_type=ct,
                    object_id=p.pk,
                    author=authors[k % len(authors)],
                    body=COMMENTS[k % len(COMMENTS)],
                )
                for p in created
                for k in range(per_proposal)
            ],
            batch_size=1000,
        )
    recount([p.pk for p in created])
    return len(created)


def ensure(events: int = 0, proposals: int = 0, comments_per_proposal: int = 3) -> dict:
    """At least `events` events and `proposals` proposals; needs the demo data loaded first
    (venues, event types, topics, the demo users and the /eventi/ index). Returns what it made."""
    made = {"events": 0, "proposals": 0}
    if events and (missing := events - EventPage.objects.count()) > 0:
        index = EventIndexPage.objects.order_by("path").first()
        if index is None:
            raise SystemExit("No event index: run `manage.py load_demo_data` first.")
        made["events"] = bulk_events(
            index,
            missing,
            {v.slug: v for v in Venue.objects.all()},
            {t.slug: t for t in EventType.objects.all()},
            {t.slug: t for t in Topic.objects.all()},
            timezone.localdate(),
        )
    if proposals:
        with transaction.atomic():
            made["proposals"] = bulk_proposals(proposals, comments_per_proposal)
    if any(made.values()):
        # The bulk rows skip the model signals that keep the search index up to date.
        call_command("update_index", verbosity=0)
        # Fresh planner statistics: without them PostgreSQL plans the page queries for
        # near-empty tables (seconds per page on 10,000 events until autovacuum runs).
        # Not on SQLite: its planner picks worse plans with sqlite_stat1 (5x slower pages).
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    return made


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=0, help="at least N events")
    parser.add_argument("--proposals", type=int, default=0, help="at least N proposals")
    parser.add_argument("--comments-per-proposal", type=int, default=3)
    args = parser.parse_args(argv)
    made = ensure(args.events, args.proposals, args.comments_per_proposal)
    print(f"Bulk data ready: {made['events']} events, {made['proposals']} proposals made.")


if __name__ == "__main__":
    main()
