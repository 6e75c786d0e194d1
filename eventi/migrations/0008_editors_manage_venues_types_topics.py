"""Editors and approvers look after the calendar's vocabulary and submit pages for translation.

Wagtail's page groups ("Editors" draft pages, "Moderators" approve them) get the snippet
permissions on venues, event types and topics: both add and change; only approvers delete
(a venue or a type still used by events is better renamed than deleted). Both may submit pages
for translation (``simple_translation.submit_translation``). Idempotent: permissions are added,
never removed, and the groups are reused by name.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
APPROVERS = "Moderators"
VOCABULARY = [("eventi", "venue"), ("eventi", "eventtype"), ("taxonomy", "topic")]


def _ensure_permissions(apps, *labels):
    for label in labels:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    _ensure_permissions(apps, "eventi", "taxonomy", "simple_translation")

    def perms(actions):
        found = []
        for app_label, model in VOCABULARY:
            found += Permission.objects.filter(
                content_type__app_label=app_label,
                codename__in=[f"{action}_{model}" for action in actions],
            )
        return found

    translate = Permission.objects.filter(
        content_type__app_label="simple_translation", codename="submit_translation"
    )
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    approvers, _ = Group.objects.get_or_create(name=APPROVERS)
    editors.permissions.add(*perms(["add", "change", "view"]), *translate)
    approvers.permissions.add(*perms(["add", "change", "delete", "view"]), *translate)


class Migration(migrations.Migration):
    dependencies = [
        ("eventi", "0007_shared_block_library"),
        ("taxonomy", "0002_seed_topics"),
        ("simple_translation", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
