from django.db import migrations

TOPICS = [
    ("pace", "Pace", "Peace", "Cultura della pace, nonviolenza e memoria."),
    ("diritti-umani", "Diritti umani", "Human rights", "Diritti fondamentali e cittadinanza attiva."),
    (
        "dialogo-interreligioso",
        "Dialogo interreligioso",
        "Interfaith dialogue",
        "Incontro e conoscenza reciproca tra comunità di fede.",
    ),
    ("intercultura", "Intercultura", "Intercultural dialogue", "Convivenza tra culture e lingue."),
    (
        "cremona-internazionale",
        "Cremona internazionale e gemellaggi",
        "International Cremona and twin cities",
        "Gemellaggi, scambi giovanili e cooperazione internazionale.",
    ),
    (
        "educazione-alla-pace",
        "Educazione alla pace",
        "Peace education",
        "Percorsi per le scuole su pace e diritti umani.",
    ),
]


def seed(apps, schema_editor):
    Topic = apps.get_model("taxonomy.Topic")
    for order, (slug, name, name_en, description) in enumerate(TOPICS):
        Topic.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "name_en": name_en, "description": description, "sort_order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
