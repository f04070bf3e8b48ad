from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consents.campaigns.models import Campaign


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["purpose", "subject_en", "body_en", "subject_ja", "body_ja"]
        widgets = {"body_en": forms.Textarea(attrs={"rows": 10}), "body_ja": forms.Textarea(attrs={"rows": 10})}
        help_texts = {
            "purpose": _("Only people who agree to this purpose when it is sent receive it."),
            "body_en": _("Write {{ name }} where the person's name goes."),
            "body_ja": _("Write {{ name }} where the person's name goes."),
        }


class ScheduleForm(forms.Form):
    send_at = forms.DateTimeField(
        label=_("Send at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M"],
    )

    def clean_send_at(self):

        when = self.cleaned_data["send_at"]
        if when <= timezone.now():
            raise forms.ValidationError(_("Choose a time in the future, or send now."))
        return when


