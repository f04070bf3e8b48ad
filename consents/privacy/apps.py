from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Privacy rights: requests, exports, erasure, restriction, retention and
    the breach register (a domain of its own inside consents)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "consents.privacy"
    label = "privacy"
    verbose_name = "Privacy rights"

    def ready(self):
        from consents.privacy import registry  # noqa: PLC0415 - needs the app registry

        registry.discover()
