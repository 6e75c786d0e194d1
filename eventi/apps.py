from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventiConfig(AppConfig):
    name = "eventi"
    label = "eventi"
    verbose_name = _("Eventi")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from eventi import following, signals, submissions  # noqa: F401 - connects receivers

        following.register()
