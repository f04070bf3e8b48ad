from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    """Purpose mail written by staff, and its one-click unsubscribe."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "consents.campaigns"
    label = "campaigns"
    verbose_name = "Purpose campaigns"
