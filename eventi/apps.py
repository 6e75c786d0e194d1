from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventiConfig(AppConfig):
    name = "eventi"
    label = "eventi"
    verbose_name = _("Eventi")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from eventi import following, signals, submissions  # noqa: F401 - connects receivers
        from eventi import privacy as events_privacy
        from portal.accounts import privacy

        following.register()
        privacy.register(
            "eventi",
            export=events_privacy.export,
            erase=events_privacy.erase,
            models=events_privacy.models(),
        )
