from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartecipazioneConfig(AppConfig):
    name = "partecipazione"
    label = "partecipazione"
    verbose_name = _("Partecipazione")
    default_auto_field = "django.db.models.BigAutoField"
