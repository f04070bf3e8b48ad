from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consents.campaigns.models import Campaign

# English and Japanese are required; the others optional (settings.LANGUAGES order).
TEXT_LANGUAGES = [Campaign.field_suffix(code) for code, _name in settings.LANGUAGES]


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["purpose"] + [f"{part}_{suffix}" for suffix in TEXT_LANGUAGES for part in ("subject", "body")]
        widgets = {f"body_{suffix}": forms.Textarea(attrs={"rows": 6}) for suffix in TEXT_LANGUAGES}
        help_texts = {
            "purpose": _("Only people who agree to this purpose when it is sent receive it."),
            **{f"body_{suffix}": _("Write {{ name }} where the person's name goes.") for suffix in TEXT_LANGUAGES[:2]},
            **{
                f"body_{suffix}": _("Optional: without it, these readers get the English text.")
                for suffix in TEXT_LANGUAGES[2:]
            },
        }

    def clean(self):
        data = super().clean() or {}
        # A language's text is its subject and its body together.
        for suffix in TEXT_LANGUAGES[2:]:
            if bool(data.get(f"subject_{suffix}")) != bool(data.get(f"body_{suffix}")):
                self.add_error(f"body_{suffix}", _("Write both the subject and the text, or neither."))
        return data


class ScheduleForm(forms.Form):
    send_at = forms.DateTimeField(
        label=_("Send at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )

    def clean_send_at(self):

        when = self.cleaned_data["send_at"]
        if when <= timezone.now():
            raise forms.ValidationError(_("Choose a time in the future, or send now."))
        return when
