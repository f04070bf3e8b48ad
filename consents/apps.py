from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ConsentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "consents"
    verbose_name = _("Consents")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from accounts.signals import app_access_changed, app_authorised, candidates_shown_for_screening
        from consents.receivers import (
            on_app_access_changed,
            on_app_authorised,
            on_candidates_shown_for_screening,
            on_migrated,
            on_user_logged_in,
        )

        user_logged_in.connect(on_user_logged_in, dispatch_uid="consents_attach_cookie_choices")

        # A candidate's apps: letting one in, its access narrowing or ending
        # are consents like the others, in the ledger with the token's change.
        app_authorised.connect(on_app_authorised, dispatch_uid="consents_app_authorised")
        app_access_changed.connect(on_app_access_changed, dispatch_uid="consents_app_access_changed")
        # Staff seeing a candidate's account to screen it is a look like any
        # other: in the candidate's "who viewed my profile".
        candidates_shown_for_screening.connect(
            on_candidates_shown_for_screening, dispatch_uid="consents_candidates_shown_for_screening"
        )

        from consents.models import EmailPurpose
        from consents.selectors import may_send_purpose
        from outbox.gates import register_purpose_gate, register_purpose_labels

        # The outbox asks at delivery time whether purpose mail may still go,
        # and shows staff each purpose by its name.
        register_purpose_gate(may_send_purpose)
        register_purpose_labels({purpose.value: purpose.label for purpose in EmailPurpose})

        # Migrations may seed policy versions (consents.policy_seed): the
        # per-person policy stamps made before them no longer count.
        post_migrate.connect(on_migrated, sender=self, dispatch_uid="consents_policies_after_migrate")
