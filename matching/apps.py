from importlib import import_module

from django.apps import AppConfig


class MatchingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "matching"

    def ready(self):
        # Connects the receivers (their module needs the models, so it is
        # loaded now, not when this module is).
        import_module("matching.receivers")
        import_module("matching.interview_receivers")
