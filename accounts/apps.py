from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "Accounts and employers"

    def ready(self):
        from accounts.permissions_sync import sync_group_permissions

        # Permissions exist only after migrate has run: apply the groups' then.
        post_migrate.connect(sync_group_permissions, dispatch_uid="accounts_staff_group_permissions")

        from django.contrib.auth.signals import user_logged_in

        from accounts.middleware import mark_signed_in

        user_logged_in.connect(mark_signed_in, dispatch_uid="accounts_session_clocks")

        from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
        from oauth2_provider.models import get_access_token_model, get_refresh_token_model

        from accounts.app_access import on_token_changed, on_token_deleting, on_token_saving
        from accounts.models import ApiClient
        from accounts.receivers import on_api_client_deleting

        # A deleted app's tokens go with it: whoever it reached is told first.
        pre_delete.connect(on_api_client_deleting, sender=ApiClient, dispatch_uid="accounts_app_deleted")
        # Whoever deletes, revokes or narrows a token of a candidate app (a
        # service, django-oauth-toolkit, staff in the admin), the consent
        # ledger hears what the app may still do (accounts.app_access).
        for token_model in (get_access_token_model(), get_refresh_token_model()):
            uid = f"accounts_app_access_{token_model._meta.model_name}"
            pre_delete.connect(on_token_deleting, sender=token_model, dispatch_uid=f"{uid}_pre_delete")
            pre_save.connect(on_token_saving, sender=token_model, dispatch_uid=f"{uid}_pre_save")
            post_delete.connect(on_token_changed, sender=token_model, dispatch_uid=f"{uid}_post_delete")
            post_save.connect(on_token_changed, sender=token_model, dispatch_uid=f"{uid}_post_save")
