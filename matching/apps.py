from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "matching"
    verbose_name = _("Matching")

    def ready(self):
        # Connects the receivers (their module needs the models, so it is
        # loaded now, not when this module is).
        import_module("matching.receivers")
        import_module("matching.interview_receivers")
