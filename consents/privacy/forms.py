from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from consents.privacy.models import (
    INCIDENT_LABELS,
    KINDS_BY_REGIME,
    Incident,
    Regime,
    RepresentativeKind,
    RequestChannel,
    RequestKind,
)
from consents.privacy.services import regime_for


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
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["country"]).choices = [("", "—")] + list(countries)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            (str(Regime(regime).label), [(k, RequestKind(k).label) for k in kinds])
            for regime, kinds in KINDS_BY_REGIME.items()
        ]
        if user is not None and user.is_authenticated:
            del self.fields["name"]
            del self.fields["email"]

    def clean_us_state(self):
        return self.cleaned_data["us_state"].strip().upper()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("country") and data.get("kind"):
            regime = regime_for(data["country"], data.get("us_state", ""))
            if data["kind"] not in KINDS_BY_REGIME[regime]:
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
        widgets: dict[str, forms.Widget] = {
            name: forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
            for name in ("discovered_at", "preliminary_reported_at", "final_reported_at", "people_notified_at")
        }
        widgets["description"] = forms.Textarea(attrs={"rows": 6})
        labels = INCIDENT_LABELS


class StaffRequestRecordForm(forms.Form):
    """A request received by email, post or telephone (seed 004 Art. 11(1)),
    from the person or their representative. The identity documents are
    looked at, never uploaded: this form records how they were checked."""

    channel = forms.ChoiceField(
        label=_("Received by"),
        choices=[
            (c, RequestChannel(c).label) for c in (RequestChannel.POST, RequestChannel.EMAIL, RequestChannel.PHONE)
        ],
    )
    received_on = forms.DateField(
        label=_("Received on"),
        # A date input shows only an ISO date: the locale's format ("2026/12/05"
        # in Chinese, "05-12-2026" in Indonesian) left it empty.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The due date runs from this day."),
    )
    name = forms.CharField(label=_("The person's name"), max_length=150)
    email = forms.EmailField(label=_("Email address for the answer"), max_length=254, required=False)
    postal_address = forms.CharField(
        label=_("Postal address for the answer"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    country = forms.ChoiceField(label=_("Country the person lives in"))
    us_state = forms.CharField(label=_("US state code (e.g. CA)"), max_length=2, required=False)
    kind = forms.ChoiceField(label=_("What they ask for"))
    details = forms.CharField(
        label=_("Details"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    identity_checked_how = forms.CharField(
        label=_("The person's identity: checked how"),
        max_length=200,
        required=False,
        help_text=_(
            "e.g. copy of a passport, permanent domicile blacked out, compared with the account. "
            "Leave empty if not checked yet. Do not keep the documents: return or destroy them after the check."
        ),
    )
    representative_kind = forms.ChoiceField(label=_("Made by"), choices=RepresentativeKind.choices, required=False)
    representative_name = forms.CharField(label=_("Representative's name"), max_length=150, required=False)
    representative_authority = forms.CharField(
        label=_("Representative's authority"),
        max_length=300,
        required=False,
        help_text=_("e.g. parent with parental authority; power of attorney dated 2026-01-10"),
    )
    representative_checked_how = forms.CharField(
        label=_("Representative's identity and authority: checked how"),
        max_length=300,
        required=False,
        help_text=_("e.g. power of attorney (original seen) and the representative's driver's licence."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["country"]).choices = [("", "—")] + list(countries)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            (str(Regime(regime).label), [(k, RequestKind(k).label) for k in kinds])
            for regime, kinds in KINDS_BY_REGIME.items()
        ]

    def clean_us_state(self) -> str:
        return self.cleaned_data["us_state"].strip().upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("email") and not (data.get("postal_address") or "").strip():
            self.add_error("postal_address", _("Give an email or a postal address for the answer."))
        if data.get("representative_kind"):
            for name in ("representative_name", "representative_authority", "representative_checked_how"):
                if not (data.get(name) or "").strip():
                    self.add_error(name, _("Needed for a request made by a representative."))
        return data
