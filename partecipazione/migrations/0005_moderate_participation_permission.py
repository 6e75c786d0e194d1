"""Moderators are whoever holds partecipazione.moderate_participation; the group gets it."""

from django.db import migrations

GROUP = "Participation moderators"
CODENAME = "moderate_participation"


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    # post_migrate creates the permission only after every migration: create it here already.
    content_type, _ = ContentType.objects.get_or_create(
        app_label="partecipazione", model="moderationlog"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=CODENAME,
        defaults={"name": "Può moderare la partecipazione"},
    )
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="partecipazione", codename=CODENAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("partecipazione", "0004_proposal_listing_indexes"),
        ("partecipazione", "0003_participation_moderators_group"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="moderationlog",
            options={
                "ordering": ["-created_at", "-pk"],
                "permissions": [("moderate_participation", "Può moderare la partecipazione")],
                "verbose_name": "azione di moderazione",
                "verbose_name_plural": "registro della moderazione",
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
