from anymail.signals import tracking
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "outbox"
    verbose_name = _("Outbox")

    def ready(self):
        from outbox import checks  # noqa: F401, PLC0415 - registers the system checks
        from outbox.receivers import on_tracking  # noqa: PLC0415 - models are ready only now

        tracking.connect(on_tracking, dispatch_uid="outbox_postmark_tracking")
