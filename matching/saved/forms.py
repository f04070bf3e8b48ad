from django import forms
from django.utils.translation import gettext_lazy as _

from matching.saved.models import Frequency


class AlertForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the alert"),
        max_length=100,
        help_text=_("For you only, for example “Care jobs in Tokyo”."),
    )
    frequency = forms.ChoiceField(
        label=_("How often"), choices=Frequency.choices, initial=Frequency.DAILY, widget=forms.RadioSelect
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Give the alert a name."))
        return name


class NewAlertForm(AlertForm):
    # The board's query string the alert saves (validated again by the board's form).
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)
