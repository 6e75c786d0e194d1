from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventiConfig(AppConfig):
    name = "eventi"
    label = "eventi"
    verbose_name = _("Eventi")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from eventi import following, signals  # noqa: F401 - connects the receivers

        following.register()
