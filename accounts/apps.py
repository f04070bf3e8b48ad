from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("Accounts and employers")

    def ready(self):
        from accounts.permissions_sync import sync_group_permissions

        # Permissions exist only after migrate has run: apply the groups' then.
        post_migrate.connect(sync_group_permissions, dispatch_uid="accounts_staff_group_permissions")

        from django.contrib.auth.signals import user_logged_in

        from accounts.middleware import mark_signed_in

        user_logged_in.connect(mark_signed_in, dispatch_uid="accounts_session_clocks")

        from django.db.models.signals import pre_delete

        from accounts.models import ApiClient
        from accounts.receivers import on_api_client_deleting

        # A deleted app's tokens go with it: whoever it reached is told first.
        pre_delete.connect(on_api_client_deleting, sender=ApiClient, dispatch_uid="accounts_app_deleted")
