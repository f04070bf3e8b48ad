"""allauth policy: who may sign up, and how each role signs in.

- Anyone may sign up, and every sign-up (email code, Google, Facebook) makes a
  candidate. Employer members come only through invitations, staff only from
  staff (command or admin).
- Candidates have no password: they sign in with an emailed code or a social
  account. Employer members and staff sign in with a password (+ MFA), never
  with a code or a social account.
"""

import time
from datetime import UTC, datetime

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.account.utils import filter_users_by_email
from allauth.core import context as allauth_context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.models import Authenticator
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.emails import allauth_kind
from accounts.models import User
from outbox import kinds as outbox_kinds
from outbox import services as outbox
from outbox.languages import mail_language

# The mails that carry a password reset code (the default) or link.
PASSWORD_RESET_MAILS = {"account/email/password_reset_code", "account/email/password_reset_key"}
LOGIN_CODE_MAIL = "account/email/login_code"
ACCOUNT_EXISTS_MAIL = "account/email/account_already_exists"
# The links allauth builds from the request's host.
ALLAUTH_LINKS = {"activate_url", "password_reset_url", "signup_url"}


def _on_site(request, url):
    """An absolute link allauth built from the request's host, moved to the
    configured site address (SITE_URL): a mail's links never depend on the
    name a request happened to use (127.0.0.1 or localhost, a proxy's)."""
    if not isinstance(url, str) or request is None:
        return url
    origin = request.build_absolute_uri("/").rstrip("/")
    if url.startswith(origin + "/"):
        return settings.SITE_URL.rstrip("/") + url[len(origin) :]
    return url


class AccountAdapter(DefaultAccountAdapter):
    def new_user(self, request):
        user = super().new_user(request)
        user.role = User.Role.CANDIDATE
        user.language = (get_language() or "en")[:8]
        return user

    def pre_login(self, request, user, **kwargs):
        # No code is ever sent to them (send_mail); should one still be used,
        # the sign-in stops here.
        if not user.is_candidate:
            records = get_authentication_records(request, user)
            if records and records[-1].get("method") == "code":
                messages.error(request, _("Employer and staff accounts sign in with their password."))
                return redirect("account_login")
        return super().pre_login(request, user, **kwargs)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Setting up the first second factor right after signing in with a
        password (a new employer admin from their invitation, a new staff
        member) asks for no second password prompt: the password was typed
        within the reauthentication timeout, and every factor the account has
        was added since (none existed to protect when they signed in).
        Everything else as allauth decides."""
        required = super().is_reauthentication_required(app=app, **kwargs)
        request = getattr(self, "request", None) or allauth_context.request
        if not required or app != "allauth.mfa" or request is None or not request.user.is_authenticated:
            return required
        records = [r for r in get_authentication_records(request, request.user) if r.get("method") == "password"]
        if not records or time.time() - records[-1]["at"] >= account_settings.REAUTHENTICATION_TIMEOUT:
            return required
        signed_in_at = datetime.fromtimestamp(records[-1]["at"], tz=UTC)
        return Authenticator.objects.filter(user=request.user, created_at__lt=signed_in_at).exists()

    def send_mail(self, template_prefix, email, context):
        """allauth's mails (sign-in codes, verification) go through the
        outbox like every other email, in the recipient's language
        (outbox.languages.mail_language: the account's language, or the
        page's for an address without an account). The codes and links they
        carry are secrets of the mail's kind: rendered as labels in what is
        stored, sealed for the provider."""
        users = filter_users_by_email(email, is_active=True, prefer_verified=True)
        # The sign-in page a mail links (`login_url`), in the mail's language.
        sign_in_page = None
        if template_prefix == LOGIN_CODE_MAIL and users and not users[0].is_candidate:
            # Employer members and staff sign in with a password (and MFA):
            # they get no code, only how they sign in (the screen says the
            # same for every address: nothing is revealed).
            template_prefix = "account/email/password_sign_in_only"
            context, sign_in_page = {"user": users[0]}, "accounts:password_login"
        if template_prefix == ACCOUNT_EXISTS_MAIL:
            # Someone signed up with the address of an account. allauth's
            # text sends them to the password reset, but candidates have no
            # password: say how this account signs in (candidates with a
            # code, Google or Facebook; employers and staff with a password).
            employer_or_staff = bool(users) and not users[0].is_candidate
            context = {"user": users[0]} if users else {}
            sign_in_page = "accounts:password_login" if employer_or_staff else "account_login"
        if template_prefix in PASSWORD_RESET_MAILS and users and users[0].is_candidate:
            # Candidates never get a password; tell them how they sign in
            # instead, without the code or link (the screen says the same
            # for every address). allauth's reset by code skips
            # send_password_reset_mail, so the check is made here.
            template_prefix, context = "account/email/candidate_no_password", {"user": users[0]}
        kind = allauth_kind(template_prefix)
        request = allauth_context.request
        context = {key: _on_site(request, value) if key in ALLAUTH_LINKS else value for key, value in context.items()}
        user = context.get("user")
        addressee = user if isinstance(user, User) else (users[0] if users else None)
        language = mail_language(addressee, used=get_language())
        with translation.override(language):
            if sign_in_page:
                context["login_url"] = settings.SITE_URL.rstrip("/") + reverse(sign_in_page)
            ctx = outbox_kinds.hide_secrets(
                kind,
                {
                    "request": request,
                    "email": email,
                    "current_site": get_current_site(request),
                    # Links and the signature use the configured address
                    # (SITE_URL), not the host the request happened to name.
                    "SITE_URL": settings.SITE_URL.rstrip("/"),
                    **context,
                },
            )
            message = self.render_mail(template_prefix, email, ctx)
            subject, body = str(message.subject), message.body
        html = next((part for part, mime in getattr(message, "alternatives", []) if mime == "text/html"), "")
        outbox.enqueue(
            kind=kind,
            to_email=email,
            # The account the address belongs to, also where allauth names
            # none (sign-in codes, "you already have an account"): the mail
            # is theirs, in their data export and erased with them.
            recipient=addressee if isinstance(addressee, User) and addressee.pk else None,
            subject=subject,
            body_text=body,
            body_html=html,
            language=language,
            secrets=outbox_kinds.secrets_in(ctx),
        )

    def set_password(self, user, password):
        if user.is_candidate:
            raise PermissionDenied(_("Candidate accounts sign in without a password."))
        super().set_password(user, password)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def new_user(self, request, sociallogin):
        user = super().new_user(request, sociallogin)
        user.role = User.Role.CANDIDATE
        user.language = (get_language() or "en")[:8]
        return user

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        # The provider's full name as the person wrote it (Google's "name"),
        # not given + family name, which reverses East Asian and Vietnamese names.
        extra = getattr(sociallogin.account, "extra_data", None) or {}
        name = extra.get("name") or data.get("name")
        name = name or " ".join(p for p in (data.get("first_name"), data.get("last_name")) if p)
        user.full_name = (name or "")[:150]
        user.role = User.Role.CANDIDATE
        return user

    def pre_social_login(self, request, sociallogin):
        user = sociallogin.user
        if sociallogin.is_existing and not user.is_candidate:
            messages.error(request, _("Employer and staff accounts sign in with their password."))
            raise ImmediateHttpResponse(redirect("account_login"))
        if request.user.is_authenticated and not request.user.is_candidate:
            messages.error(request, _("Only candidate accounts can connect Google or Facebook."))
            raise ImmediateHttpResponse(redirect("accounts:dashboard"))
