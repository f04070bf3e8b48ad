from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from consents.models import EmailPurpose, FieldGroup, PolicyKind, ShareGrant
from consents.services import current_policy, policy_accept, purpose_consents_set


class ShareConsentForm(forms.Form):
    """The consent screen: the core profile is always shared; each optional
    group is unticked until the candidate ticks it."""

    include_contact = forms.BooleanField(label=FieldGroup.CONTACT.label, required=False)
    include_address = forms.BooleanField(label=FieldGroup.ADDRESS.label, required=False)
    include_date_of_birth = forms.BooleanField(label=FieldGroup.DATE_OF_BIRTH.label, required=False)
    include_photo = forms.BooleanField(label=FieldGroup.PHOTO.label, required=False)
    agree = forms.BooleanField(
        label=_("I agree to share my profile as described above."),
        error_messages={"required": _("Tick the box to agree, or go back: nothing is shared without it.")},
    )

    def groups(self) -> set[str]:
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        return ShareGrant.groups_from_flags(lambda flag: data.get(flag))

    def groups_shown(self) -> set[str]:
        """The groups as ticked in the submitted data, before validation (to
        show the screen again as the person left it); the core profile only
        on a first visit."""
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
