from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactConfig(AppConfig):
    """The contact desk (seed 004 Art. 1(4)): inquiries from anyone,
    answered by staff by email.

    A domain of consents, beside privacy and campaigns, because what it
    keeps is personal data held for one stated purpose (answering), under
    the notice of the privacy policy in force (recorded with each inquiry),
    with a retention rule and a part of "download my data" found by the
    privacy registry; it needs accounts and the outbox below it, and
    consents for the notice. It is not in accounts: accounts is who signs
    in and how, while anyone writes here, with or without an account."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "consents.contact"
    label = "contact"
    verbose_name = _("Contact desk")
