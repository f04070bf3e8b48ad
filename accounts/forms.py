from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.html import format_html
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from accounts.models import Employer, EmployerMember, ScreeningDecision


class EmployerForm(forms.ModelForm):
    # Room for the spaces and hyphens people paste from the register; the
    # model still checks 13 digits and the check digit once they are removed.
    corporate_number = Employer._meta.get_field("corporate_number").formfield(
        max_length=32, widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
    )

    class Meta:
        model = Employer
        fields = [
            "legal_name",
            "corporate_number",
            "industry",
            "postal_code",
            "address",
            "contact_name",
            "contact_email",
            "contact_phone",
        ]

    def clean_corporate_number(self):
        # People paste numbers with spaces or hyphens from the register.
        value = self.cleaned_data["corporate_number"]
        return value.replace("-", "").replace(" ", "").strip()


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    member_role = forms.ChoiceField(label=_("Role"), choices=EmployerMember.Role.choices)
    language = forms.ChoiceField(label=_("Language of the invitation"), choices=settings.LANGUAGES)

    def __init__(self, *args, allowed_roles=None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed_roles is not None:
            member_role = cast(forms.ChoiceField, self.fields["member_role"])
            member_role.choices = [c for c in EmployerMember.Role.choices if c[0] in allowed_roles]
            member_role.initial = allowed_roles[0]


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        max_length=128,
        help_text=password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password (again)"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), max_length=128
    )

    def clean_full_name(self):
        name = self.cleaned_data["full_name"].strip()
        if not name:
            raise forms.ValidationError(_("Please enter your name."))
        return name

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        return data


class ScreeningForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[*ScreeningDecision.Decision.choices, ("lift", _("Lift the decision in force"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (the person is told)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Write it for the person: they read it in the email and on their notice page."),
    )


API_SCOPE_LABELS = {
    "openings:read": _("Read our openings"),
    "openings:write": _("Create, change, open and close our openings"),
    "applications:read": _("Read the applications to our openings"),
    "applications:write": _("Move applications and add notes (candidates are told, as on the website)"),
    "candidates:read": _("Read candidates' profiles, only the parts each candidate shares with us"),
    "webhooks:manage": _("Manage our webhooks"),
}


class ApiClientForm(forms.Form):
    name = forms.CharField(label=_("Name of the system"), max_length=100, help_text=_("For example: our ATS."))
    scopes = forms.MultipleChoiceField(
        label=_("What it may do"),
        choices=list(API_SCOPE_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    days = forms.TypedChoiceField(
        label=_("Works for"),
        coerce=int,
        initial=90,
        choices=[(30, _("30 days")), (90, _("90 days")), (180, _("180 days")), (365, _("1 year"))],
    )


class ApiAppForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the app"),
        max_length=100,
        help_text=_("Shown to everyone who is asked to let it in."),
    )
    redirect_uris = forms.CharField(
        label=_("Addresses to come back to"),
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "autocapitalize": "off"}),
        max_length=2600,
        help_text=_(
            "One a line, exactly as your app will send them: https://…, or http://127.0.0.1:PORT/… "
            "(or http://localhost) for an app on your own computer."
        ),
    )

    def uris(self) -> list[str]:
        return self.cleaned_data["redirect_uris"].split()


def language_choices() -> list[tuple[str, str]]:
    """Each language named in itself (marked as that language for screen
    readers), then in the page's language where that differs:
    Tiếng Việt — Vietnamese."""
    choices: list[tuple[str, str]] = []
    for code, name in settings.LANGUAGES:
        local = get_language_info(code)["name_local"]
        label = format_html('<span lang="{}">{}</span>', code, local)
        choices.append((code, label if str(name) == local else format_html("{} — {}", label, name)))
    return choices


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("The language of your email and notices"), choices=language_choices, widget=forms.RadioSelect
    )
