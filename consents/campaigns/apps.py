from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    """Purpose mail written by staff, and its one-click unsubscribe."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "consents.campaigns"
    label = "campaigns"
    verbose_name = _("Purpose campaigns")
