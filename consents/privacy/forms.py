from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from consents.privacy.models import KINDS_BY_REGIME, Incident, Regime, RequestKind
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
