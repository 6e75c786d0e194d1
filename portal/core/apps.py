from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "portal.core"
    label = "core"
    verbose_name = _("Portale: impostazioni e servizi comuni")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from portal.core import cache, checks  # noqa: F401 (checks register themselves)

        cache.connect_signals()
