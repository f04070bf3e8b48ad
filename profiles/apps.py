from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfilesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "profiles"
    verbose_name = _("Profiles")

    def ready(self):
        from allauth.account.signals import user_signed_up

        from profiles.receivers import on_user_signed_up

        user_signed_up.connect(on_user_signed_up, dispatch_uid="profiles_social_photo")
