from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SavedConfig(AppConfig):
    """Saved jobs and job alerts: a candidate keeps openings for later and
    gets new openings of a saved board search by mail, by consent."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "matching.saved"
    label = "saved"
    verbose_name = _("Saved jobs and job alerts")
