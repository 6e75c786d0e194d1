"""Event types get an English name, filled in for the types seeded by 0002 (blank ones only)."""

from django.db import migrations, models

ENGLISH_NAMES = {
    "incontro-interreligioso": "interfaith meeting",
    "conferenza": "conference",
    "commemorazione": "commemoration",
    "laboratorio-scuole": "school workshop",
    "festival": "festival",
    "scambio-internazionale": "international exchange",
    "mostra": "exhibition",
    "concerto": "concert",
}


def fill(apps, schema_editor):
    EventType = apps.get_model("eventi", "EventType")
    for slug, name_en in ENGLISH_NAMES.items():
        EventType.objects.filter(slug=slug, name_en="").update(name_en=name_en)


class Migration(migrations.Migration):
    dependencies = [("eventi", "0008_editors_manage_venues_types_topics")]

    operations = [
        migrations.AddField(
            model_name="eventtype",
            name="name_en",
            field=models.CharField(
                blank=True,
                help_text="Mostrato sul sito in inglese; se vuoto si usa il nome italiano.",
                max_length=80,
                verbose_name="nome in inglese",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
