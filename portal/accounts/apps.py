from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = _("Account")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from portal.accounts import follows, personal_data, signals  # noqa: F401 - receivers

        follows.register_followable(self.apps.get_model("taxonomy", "Topic"))
        personal_data.register_sections()
