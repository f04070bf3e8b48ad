from django import forms
from django.utils.translation import gettext_lazy as _

from consents.models import Campaign, EmailPurpose, Incident, ShareGrant
from profiles.selectors import FieldGroup


class ShareConsentForm(forms.Form):
    """The consent screen: the core profile is always shared; each optional
    group is unticked until the candidate ticks it."""

    include_contact = forms.BooleanField(label=FieldGroup.LABELS[FieldGroup.CONTACT], required=False)
    include_address = forms.BooleanField(label=FieldGroup.LABELS[FieldGroup.ADDRESS], required=False)
    include_date_of_birth = forms.BooleanField(label=FieldGroup.LABELS[FieldGroup.DATE_OF_BIRTH], required=False)
    include_photo = forms.BooleanField(label=FieldGroup.LABELS[FieldGroup.PHOTO], required=False)
    agree = forms.BooleanField(
        label=_("I agree to share my profile as described above."),
        error_messages={"required": _("Tick the box to agree, or go back: nothing is shared without it.")},
    )

    def groups(self) -> set[str]:
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        return ShareGrant.groups_from_flags(lambda flag: data.get(flag))

    def groups_from_raw(self) -> set[str]:
        """The groups as ticked in the submitted data, before validation (to
        rebuild the exact notice the person saw)."""
        raw = self.data if self.is_bound else {}
        return ShareGrant.groups_from_flags(lambda flag: raw.get(flag) in ("on", "true", "1", "True"))


class PurposeForm(forms.Form):
    """One checkbox per email purpose; every one unticked by default."""

    def __init__(self, *args, current: dict[str, bool] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        for purpose in EmailPurpose:
            self.fields[purpose.value] = forms.BooleanField(
                label=purpose.label, required=False, initial=current.get(purpose.value, False)
            )

    def choices(self) -> dict[str, bool]:
        return {purpose.value: bool(self.cleaned_data.get(purpose.value)) for purpose in EmailPurpose}


class CookieForm(forms.Form):
    preferences = forms.BooleanField(
        label=_("Preferences: keep me signed in after I close the browser"), required=False
    )
    analytics = forms.BooleanField(
        label=_("Analytics: help us improve the site (Google Analytics, Microsoft Clarity)"), required=False
    )
    advertising = forms.BooleanField(label=_("Advertising: show Tsunagu ads on other sites"), required=False)


class PolicyAcceptForm(forms.Form):
    accept = forms.BooleanField(
        label=_("I have read and accept these documents."),
        error_messages={"required": _("Please tick the box to accept, or sign out.")},
    )


class StaffReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to see this candidate's data?"),
        max_length=500,
        help_text=_("Recorded with your view and shown to the candidate."),
    )


class SignupForm(forms.Form):
    """Extra fields of every sign-up form (allauth ACCOUNT_SIGNUP_FORM_CLASS).

    Sign-up requires accepting the current Terms and Privacy Policy; the nine
    email purposes are offered unticked; on a Google/Facebook sign-up the
    photo is imported only if the box is ticked."""

    import_photo = forms.BooleanField(
        label=_("Use my profile photo from this account on my Tsunagu profile"),
        required=False,
        help_text=_("Employers see your photo only if you include it when you share your profile."),
    )
    accept_policies = forms.BooleanField(
        label=_("I accept the Terms of Use and the Privacy Policy."),
        error_messages={
            "required": _("You need to accept the Terms of Use and the Privacy Policy to create an account.")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if getattr(self, "sociallogin", None) is None:
            del self.fields["import_photo"]
        for purpose in EmailPurpose:
            self.fields[f"purpose_{purpose.value}"] = forms.BooleanField(label=purpose.label, required=False)

    def purpose_fields(self):
        return [self[f"purpose_{p.value}"] for p in EmailPurpose]

    def signup(self, request, user):
        from django.utils.translation import get_language

        from consents.models import PolicyKind
        from consents.services import current_policy, policy_accept, purpose_consents_set

        language = (get_language() or "en")[:8]
        versions = [v for v in (current_policy(PolicyKind.TERMS), current_policy(PolicyKind.PRIVACY)) if v]
        policy_accept(user=user, versions=versions, language=language)
        purpose_consents_set(
            actor=user,
            user=user,
            choices={p.value: bool(self.cleaned_data.get(f"purpose_{p.value}")) for p in EmailPurpose},
            language=language,
        )
        request.session["import_social_photo"] = bool(self.cleaned_data.get("import_photo"))


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["purpose", "subject_en", "body_en", "subject_ja", "body_ja"]
        widgets = {"body_en": forms.Textarea(attrs={"rows": 10}), "body_ja": forms.Textarea(attrs={"rows": 10})}
        help_texts = {"purpose": _("Only people who agree to this purpose when it is sent receive it.")}


class ScheduleForm(forms.Form):
    send_at = forms.DateTimeField(
        label=_("Send at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M"],
    )

    def clean_send_at(self):
        from django.utils import timezone

        when = self.cleaned_data["send_at"]
        if when <= timezone.now():
            raise forms.ValidationError(_("Choose a time in the future, or send now."))
        return when


class PrivacyRequestForm(forms.Form):
    """Anyone (with or without an account) can make a request. The law that
    applies follows where they live."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("Email address for the answer"), max_length=254)
    country = forms.ChoiceField(label=_("Country you live in"))
    us_state = forms.CharField(
        label=_("US state code, if you live in the United States (e.g. CA)"), max_length=2, required=False
    )
    kind = forms.ChoiceField(label=_("What you ask for"))
    details = forms.CharField(
        label=_("Details"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("For a correction, say what is wrong (for example a staff verification or an employer's note)."),
    )

    def __init__(self, *args, user=None, **kwargs):
        from django_countries import countries

        from consents.models import KINDS_BY_REGIME, Regime, RequestKind

        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—")] + list(countries)
        self.fields["kind"].choices = [
            (str(Regime(regime).label), [(k, RequestKind(k).label) for k in kinds])
            for regime, kinds in KINDS_BY_REGIME.items()
        ]
        if user is not None and user.is_authenticated:
            del self.fields["name"]
            del self.fields["email"]

    def clean_us_state(self):
        return self.cleaned_data["us_state"].strip().upper()

    def clean(self):
        from consents.models import KINDS_BY_REGIME
        from consents.privacy import regime_for

        data = super().clean()
        if data.get("country") and data.get("kind"):
            regime = regime_for(data["country"], data.get("us_state", ""))
            if data["kind"] not in KINDS_BY_REGIME[regime]:
                from consents.models import Regime

                self.add_error(
                    "kind",
                    _("Where you live, %(law)s applies: choose one of its requests.") % {"law": Regime(regime).label},
                )
        return data


class ErasureCodeForm(forms.Form):
    code = forms.CharField(
        label=_("The 6-digit code we emailed you"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class StaffRequestActionForm(forms.Form):
    text = forms.CharField(label=_("Text"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 5}))


class IncidentForm(forms.ModelForm):
    class Meta:
        model = Incident
        fields = [
            "discovered_at",
            "description",
            "data_categories",
            "people_affected",
            "sensitive_data",
            "financial_loss_risk",
            "wrongful_purpose",
            "preliminary_reported_at",
            "final_reported_at",
            "people_notified_at",
        ]
        widgets = {
            name: forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
            for name in ("discovered_at", "preliminary_reported_at", "final_reported_at", "people_notified_at")
        }
        widgets["description"] = forms.Textarea(attrs={"rows": 6})
