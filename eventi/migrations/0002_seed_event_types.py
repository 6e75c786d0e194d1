from django.db import migrations

EVENT_TYPES = [
    ("incontro interreligioso", "incontro-interreligioso"),
    ("conferenza", "conferenza"),
    ("commemorazione", "commemorazione"),
    ("laboratorio per le scuole", "laboratorio-scuole"),
    ("festival", "festival"),
    ("scambio internazionale", "scambio-internazionale"),
    ("mostra", "mostra"),
    ("concerto", "concerto"),
]


def seed(apps, schema_editor):
    EventType = apps.get_model("eventi", "EventType")
    for order, (name, slug) in enumerate(EVENT_TYPES):
        EventType.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order})


def unseed(apps, schema_editor):
    EventType = apps.get_model("eventi", "EventType")
    EventType.objects.filter(slug__in=[slug for _, slug in EVENT_TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("eventi", "0001_events")]

    operations = [migrations.RunPython(seed, unseed)]
