from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartecipazioneConfig(AppConfig):
    name = "partecipazione"
    label = "partecipazione"
    verbose_name = _("Partecipazione")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from partecipazione import following, permissions
        from partecipazione import privacy as participation_privacy
        from portal.accounts import follows, privacy

        follows.register_visibility_check(permissions.may_view)

        privacy.register(
            "partecipazione",
            export=participation_privacy.export,
            erase=participation_privacy.erase,
            models=participation_privacy.models(),
        )
        following.register()
