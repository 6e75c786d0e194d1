from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaxonomyConfig(AppConfig):
    name = "portal.taxonomy"
    label = "taxonomy"
    verbose_name = _("Argomenti")
    default_auto_field = "django.db.models.BigAutoField"
