from typing import cast
from urllib.parse import urlsplit

from allauth.account.views import LoginView
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from oauth2_provider.exceptions import OAuthToolkitError
from oauth2_provider.views import AuthorizationView
from oauthlib.oauth2.rfc6749.errors import InvalidRequestError

from accounts import dashboard as staff_dashboard
from accounts import navigation, selectors, services
from accounts.allauth_forms import LoginForm
from accounts.forms import (
    AcceptInvitationForm,
    ApiAppForm,
    ApiClientForm,
    EmployerForm,
    InvitationForm,
    LanguageForm,
    ScreeningForm,
)
from accounts.models import Employer, EmployerInvitation, EmployerMember, StaffGroup, User
from accounts.oauth import CANDIDATE_SCOPE_WORDS
from accounts.permissions import (
    candidate_required,
    employer_admin_required,
    employer_member_required,
    login_required,
    staff_required,
)

ONBOARDING_GROUPS = (StaffGroup.COORDINATOR, StaffGroup.SUPPORT)

INVITATION_PROBLEMS = {
    "unknown": gettext_lazy(
        "This invitation link is not valid. Check that you copied the whole link, or ask for a new invitation."
    ),
    "accepted": gettext_lazy(
        "This invitation has already been used. If it was you, sign in with your email and password."
    ),
    "revoked": gettext_lazy("This invitation was withdrawn. Ask the person who invited you for a new one."),
    "expired": gettext_lazy("This invitation has expired. Ask the person who invited you for a new one."),
    "account_exists": gettext_lazy(
        "An account with this email address already exists. Sign in instead, or contact support."
    ),
}


@login_required
def dashboard(request):
    user = request.user
    context: dict = {}
    if user.is_employer_member:
        context["membership"] = getattr(user, "employer_membership", None)
    elif user.is_staff_member:
        # A page made for the person's work: their group's figures, and only
        # the pages their group may open.
        context["menu"] = navigation.staff_menu(user)
        context["panels"] = staff_dashboard.panels_for(user)
    return render(request, "accounts/dashboard.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    invitation = services.invitation_for_token(token)
    problem = None
    if invitation is None:
        problem = "unknown"
    elif invitation.state != "open":
        problem = invitation.state
    elif request.user.is_authenticated:
        problem = "signed_in"
    if problem:
        message = INVITATION_PROBLEMS.get(problem, _("Sign out first, then open the invitation link again."))
        return render(
            request,
            "accounts/invitation_problem.html",
            {"message": message},
            status=410 if problem != "unknown" else 404,
        )

    assert invitation is not None  # an unknown token is a problem, answered above
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token, full_name=form.cleaned_data["full_name"], password=form.cleaned_data["password1"]
            )
        except services.InvitationUnusable as exc:
            return render(
                request, "accounts/invitation_problem.html", {"message": INVITATION_PROBLEMS[exc.reason]}, status=410
            )
        except ValidationError as exc:
            form.add_error("password1", exc)
        else:
            messages.success(
                request,
                _("Welcome to Tsunagu. Your account for %(employer)s is ready.")
                % {"employer": invitation.employer.legal_name},
            )
            # They typed this password seconds ago: sign them in through
            # allauth's own password sign-in, which records it as a fresh
            # authentication, so the MFA setup an admin is sent to (allauth
            # guards it with re-authentication) does not ask for it again.
            sign_in = LoginForm(data={"login": user.email, "password": form.cleaned_data["password1"]}, request=request)
            if sign_in.is_valid():
                return sign_in.login(request, redirect_url=reverse("accounts:dashboard"))
            return redirect("account_login")
    return render(request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation})


# --- Staff: employer onboarding ------------------------------------------------


@staff_required(*ONBOARDING_GROUPS)
def staff_employer_list(request):
    return render(request, "accounts/staff/employer_list.html", {"employers": selectors.employers_with_member_counts()})


@staff_required(*ONBOARDING_GROUPS)
@require_http_methods(["GET", "POST"])
def staff_employer_create(request):
    form = EmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            employer = services.employer_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Employer created. Now invite its admin."))
            return redirect("accounts:staff_employer_detail", pk=employer.pk)
    return render(request, "accounts/staff/employer_form.html", {"form": form})


@staff_required(*ONBOARDING_GROUPS)
@require_http_methods(["GET", "POST"])
def staff_employer_detail(request, pk: int):
    employer = get_object_or_404(Employer, pk=pk)
    form = InvitationForm(request.POST or None, initial={"language": get_language()})
    if request.method == "POST" and form.is_valid() and _invite(request, employer, form):
        return redirect("accounts:staff_employer_detail", pk=employer.pk)
    return render(request, "accounts/staff/employer_detail.html", _company_context(employer, form))


def _company_context(employer: Employer, form) -> dict:
    return {
        "employer": employer,
        "members": employer.members.select_related("user"),
        "invitations": employer.invitations.select_related("invited_by")[:50],
        "form": form,
    }


def _invite(request, employer: Employer, form: InvitationForm) -> bool:
    try:
        issued = services.invitation_create(actor=request.user, employer=employer, **form.cleaned_data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    messages.success(request, _("Invitation sent to %(email)s.") % {"email": issued.invitation.email})
    return True


# --- Employer admin: the company and its recruiters ---------------------------


@employer_member_required
@require_http_methods(["GET", "POST"])
def company(request):
    membership = request.user.employer_membership
    employer = membership.employer
    is_admin = membership.role == EmployerMember.Role.ADMIN
    form = (
        InvitationForm(
            request.POST or None, allowed_roles=[EmployerMember.Role.RECRUITER], initial={"language": get_language()}
        )
        if is_admin
        else None
    )
    if request.method == "POST":
        if form is None:  # only an admin has the form
            raise PermissionDenied
        if form.is_valid() and _invite(request, employer, form):
            return redirect("accounts:company")
    context = _company_context(employer, form)
    context["is_admin"] = is_admin
    return render(request, "accounts/company.html", context)


@employer_admin_required
@require_POST
def company_invitation_revoke(request, pk: int):
    invitation = get_object_or_404(EmployerInvitation, pk=pk, employer=request.user.employer_membership.employer)
    services.invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(request, _("Invitation withdrawn."))
    return redirect("accounts:company")


# --- API clients of the company -----------------------------------------------------------


@employer_admin_required
@require_http_methods(["GET", "POST"])
def company_api(request):
    """The company's API clients: register one (its secret is shown on this
    answer only), see when each was last used, revoke."""
    employer = request.user.employer_membership.employer
    form = ApiClientForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.api_client_register(
                actor=request.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                days=form.cleaned_data["days"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            form = ApiClientForm()
    return render(
        request,
        "accounts/company_api.html",
        {"employer": employer, "form": form, "issued": issued, "clients": selectors.api_clients_of(employer)},
        status=400 if form.is_bound and form.errors else 200,
    )


@employer_admin_required
@require_POST
def company_api_revoke(request, pk: int):
    client = selectors.api_client_of(request.user.employer_membership.employer, pk)
    if client is None:
        raise Http404
    services.api_client_revoke(actor=request.user, client=client)
    messages.success(request, _("Revoked: its tokens no longer work."))
    return redirect("accounts:company_api")


# --- Candidates' own apps (authorization code + PKCE) -------------------------------------


@candidate_required
@require_http_methods(["GET", "POST"])
def my_apps(request):
    """/me/apps/: the apps a candidate registered (client id, last use,
    revoke), register another, and the apps they let in (disconnect)."""
    user = request.user
    form = ApiAppForm(request.POST or None)
    if request.method == "POST":
        if user.screening:
            raise PermissionDenied
        if form.is_valid():
            try:
                app = services.api_app_register(actor=user, name=form.cleaned_data["name"], redirect_uris=form.uris())
            except ValidationError as exc:
                form.add_error("redirect_uris", exc)
            else:
                messages.success(request, _("%(name)s is registered. Its client ID is below.") % {"name": app.name})
                return redirect("accounts:my_apps")
    return render(
        request,
        "accounts/my_apps.html",
        {
            "form": form if not user.screening else None,
            "apps": selectors.api_apps_of(user),
            "authorised": selectors.api_apps_authorised_by(user),
            "scope_words": CANDIDATE_SCOPE_WORDS,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@candidate_required
@require_POST
def my_app_revoke(request, pk: int):
    app = selectors.api_app_of(request.user, pk)
    if app is None:
        raise Http404
    services.api_app_revoke(actor=request.user, client=app)
    messages.success(request, _("%(name)s is revoked: nobody's access through it works any more.") % {"name": app.name})
    return redirect("accounts:my_apps")


@candidate_required
@require_POST
def my_app_disconnect(request, pk: int):
    app = selectors.candidate_app(pk)
    if app is None:
        raise Http404
    services.api_app_disconnect(actor=request.user, client=app)
    messages.success(request, _("%(name)s can no longer reach your data.") % {"name": app.name})
    return redirect("accounts:my_apps")


def _authorize_language(request) -> str:
    """The consent page speaks the person's language: the one the app asks
    for (`ui_locales`, OpenID Connect) if we have it, else the account's."""
    supported = {code for code, _name in settings.LANGUAGES}
    for tag in request.GET.get("ui_locales", "").split()[:10]:
        try:
            code = translation.get_supported_language_variant(tag.lower())
        except LookupError:
            continue
        if code in supported:
            return code
    user_language = getattr(request.user, "language", "")
    return user_language if user_language in supported else (get_language() or "en")


@method_decorator(never_cache, name="dispatch")
class AppAuthorizationView(AuthorizationView):
    """/api/v1/oauth/authorize/: a candidate lets an app in (authorization
    code + PKCE S256, exact redirect URI, state passed back; the checks are
    django-oauth-toolkit's and oauthlib's). Our consent page, in the
    person's language: the app, who registered it, the scopes in plain words
    and where they will be sent. Only candidates authorise apps; an employer
    system's client id is refused by its grant type."""

    template_name = "accounts/app_authorize.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_candidate:
            raise PermissionDenied
        with translation.override(_authorize_language(request)):
            response = super().dispatch(request, *args, **kwargs)
            if isinstance(response, TemplateResponse) and not response.is_rendered:
                response.render()
                response.headers["Content-Language"] = translation.get_language()
        return response

    def form_valid(self, form):
        if form.cleaned_data.get("allow"):
            # The language this page was read in (dispatch chose it): the
            # ledger records its words in it when the app takes its token.
            services.api_app_consent_shown(
                user=self.request.user, client_id=form.cleaned_data.get("client_id", ""), language=get_language()
            )
        return super().form_valid(form)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        context = getattr(response, "context_data", None) or {}
        if context.get("application") is not None and context.get("code_challenge_method") != "S256":
            # S256 only (RFC 9700 §2.1.1): refused before the person is asked,
            # not after "Allow" (where django-oauth-toolkit refuses "plain").
            error = InvalidRequestError(
                description='Unsupported code_challenge_method: use "S256".', state=context.get("state")
            )
            return self.error_response(
                OAuthToolkitError(error=error, redirect_uri=context["redirect_uri"]), context["application"]
            )
        if context.get("return_origin"):
            # CSP form-action: the browser follows our answer to the app's address.
            response._csp_update = {"form-action": [context["return_origin"]]}
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = context.get("application")
        if application is not None:
            parts = urlsplit(context.get("redirect_uri") or "")
            context["registrant"] = application.user
            context["scope_words"] = [
                CANDIDATE_SCOPE_WORDS[scope] for scope in context.get("scopes", []) if scope in CANDIDATE_SCOPE_WORDS
            ]
            context["return_host"] = parts.netloc
            context["return_origin"] = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
        return context


# --- Registration screening --------------------------------------------------------


@staff_required(*services.SCREENING_STAFF)
@require_http_methods(["GET"])
def staff_screening(request: HttpRequest) -> HttpResponse:
    """Decisions in force, and a search by exact email or account number."""
    query = (request.GET.get("q") or "").strip()[:254]
    found = list(selectors.screening_search(query)[:10])
    services.screening_look(actor=cast(User, request.user), people=found)
    return render(
        request,
        "accounts/staff/screening.html",
        {"query": query, "found": found, "decisions": selectors.screened_accounts()[:100]},
    )


@staff_required(*services.SCREENING_STAFF)
@require_http_methods(["GET", "POST"])
def staff_account_screen(request: HttpRequest, pk: int) -> HttpResponse:
    actor = cast(User, request.user)
    person = selectors.account_for_screening(pk)
    if person is None:
        raise Http404
    form = ScreeningForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision = form.cleaned_data["decision"]
        try:
            if decision == "lift":
                services.account_reinstate(actor=actor, user=person, reason=form.cleaned_data["reason"])
                messages.success(request, _("Lifted. The person was told."))
            else:
                services.account_screen(actor=actor, user=person, decision=decision, reason=form.cleaned_data["reason"])
                messages.success(request, _("Recorded. The person was told, and no employer sees them any more."))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("accounts:staff_account_screen", pk=pk)
    services.screening_look(actor=actor, people=[person])
    return render(
        request,
        "accounts/staff/account_screen.html",
        {"person": person, "form": form, "history": selectors.screening_history(person)},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_http_methods(["GET"])
def screening_notice(request: HttpRequest) -> HttpResponse:
    """What a person under a screening decision sees instead of the service."""
    decision = selectors.screening_decision_in_force(request.user)
    if decision is None:
        return redirect("accounts:dashboard")
    return render(request, "accounts/screening_notice.html", {"decision": decision})


@login_required
@require_http_methods(["GET", "POST"])
def language(request: HttpRequest) -> HttpResponse:
    """/me/language/: the language of the person's email and notices, for
    every role. Saving shows this page in the chosen language."""
    user = cast(User, request.user)
    form = LanguageForm(request.POST or None, initial={"language": user.language})
    if request.method == "POST" and form.is_valid():
        try:
            services.user_language_set(actor=user, user=user, language=form.cleaned_data["language"])
        except ValidationError as exc:
            form.add_error("language", exc)
        else:
            with translation.override(user.language):
                messages.success(request, _("Saved. Your email and notices will be in this language."))
                return redirect(reverse("accounts:language"))
    return render(request, "accounts/language.html", {"form": form})


class PasswordLoginView(LoginView):
    """Employer members and staff: email and password, then their second
    factor (allauth's MFA stage). Candidates have no password: their page is
    allauth's own sign-in URL (`account/login.html`), which leads with Google,
    Facebook and a code by email."""

    template_name = "account/login_password.html"


password_login = PasswordLoginView.as_view()
