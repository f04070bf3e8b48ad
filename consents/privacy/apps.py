from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Privacy rights: requests, exports, erasure, restriction, retention and
    the breach register (a domain of its own inside consents)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "consents.privacy"
    label = "privacy"
    verbose_name = _("Privacy rights")

    def ready(self):
        from consents.privacy import registry  # noqa: PLC0415 - needs the app registry

        registry.discover()
