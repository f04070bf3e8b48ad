"""The "ready to apply" form: only what an application still needs
(docs/apply-ready.md), on one page, between signing up and the consent
screen."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from matching.models import Opening
from profiles import validators as v
from profiles.forms import DATE_WIDGET, POSTAL_CODE_INPUT_LENGTH
from profiles.models import NO_EXPIRY_STATUSES, CandidateProfile, Prefecture, StatusOfResidence
from profiles.postal import lookup
from profiles.selectors import APPLY_BASICS

ADDRESS = ("postal_code", "prefecture", "city", "street")
STATUS = ("status", "period_of_stay_expiry")
IN_JAPAN = _("if you live in Japan")


class ReadyToApplyForm(forms.ModelForm):
    note_preferences = forms.BooleanField(required=False, initial=True)

    class Meta:
        model = CandidateProfile
        fields = [
            "name_passport",
            "date_of_birth",
            "nationality",
            "country_of_residence",
            *ADDRESS,
            *STATUS,
            "japanese_speaking",
        ]
        widgets = {
            "date_of_birth": DATE_WIDGET,
            "period_of_stay_expiry": DATE_WIDGET,
            "name_passport": forms.TextInput(attrs={"autocomplete": "name"}),
            "postal_code": forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "postal-code", "maxlength": POSTAL_CODE_INPUT_LENGTH}
            ),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "street": forms.TextInput(attrs={"autocomplete": "address-line1"}),
        }
        help_texts = {
            "name_passport": _("Exactly as printed in your passport, in Latin letters."),
            "date_of_birth": _("Employers see only your age unless you choose to share the date."),
            "postal_code": _("We fill in the prefecture and the city from it."),
            "status": _("As printed on your residence card. Do not enter the card number: Tsunagu never asks for it."),
            "period_of_stay_expiry": _("The date your period of stay ends (在留期間満了日)."),
        }

    def __init__(self, *args: Any, opening: Opening, postal_lookup_url: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.opening = opening
        p = self.instance
        may_live_in_japan = p.country_of_residence in ("", "JP")
        keep = [name for name in APPLY_BASICS if not getattr(p, name)]
        if may_live_in_japan and not (p.postal_code and p.prefecture_id and p.city):
            keep += ADDRESS
        status_done = p.status_id is not None and (
            p.status.code in NO_EXPIRY_STATUSES or p.period_of_stay_expiry is not None
        )
        if may_live_in_japan and not status_done:
            keep += STATUS
        if not p.japanese_speaking:
            keep.append("japanese_speaking")
        wanted = {
            "desired_categories": opening.category,
            "desired_prefectures": opening.prefecture,
            "desired_employment_types": opening.employment_type,
        }
        self.noted = [value for name, value in wanted.items() if p.pk is None or not getattr(p, name).exists()]
        if self.noted:
            keep.append("note_preferences")
            self.fields["note_preferences"].label = _("Also note in my profile that I look for: %(what)s") % {
                "what": ", ".join(str(value.label) for value in self.noted)
            }
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        for name in ("name_passport", "date_of_birth", "nationality", "country_of_residence", "japanese_speaking"):
            if name in self.fields:
                self.fields[name].required = True
        if "name_passport" in self.fields and not self.initial.get("name_passport") and p.user_id:
            self.initial["name_passport"] = p.user.full_name  # from sign-up (Google gives it)
        if "postal_code" in self.fields:
            postal_code = cast(forms.CharField, self.fields["postal_code"])
            # "〒100-0013" is longer than the 7 digits stored (clean() keeps those).
            postal_code.max_length = POSTAL_CODE_INPUT_LENGTH
            postal_code.widget.attrs["maxlength"] = POSTAL_CODE_INPUT_LENGTH
            postal_code.validators = []
            if postal_lookup_url:
                postal_code.widget.attrs["data-postal-lookup"] = postal_lookup_url
            cast(forms.ModelChoiceField, self.fields["prefecture"]).queryset = Prefecture.objects.all()
            for name in ADDRESS:
                self.fields[name].label = f"{self.fields[name].label} ({IN_JAPAN})"
            self.fields["street"].help_text = _("Optional for applying; employers see it only if you share it.")
        if "status" in self.fields:
            status = cast(forms.ModelChoiceField, self.fields["status"])
            status.queryset = StatusOfResidence.objects.filter(active=True)
            status.empty_label = "—"
            for name in STATUS:
                self.fields[name].label = f"{self.fields[name].label} ({IN_JAPAN})"

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born:
            v.check_date_of_birth(born)
        return born

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        in_japan = (data.get("country_of_residence") or self.instance.country_of_residence) == "JP"
        if "postal_code" in self.fields:
            if in_japan:
                self._clean_address(data)
            else:  # where they live is their country of residence: no address asked
                for name in ADDRESS:
                    data.pop(name, None)
        if "status" in self.fields:
            status = data.get("status")
            if not in_japan:
                for name in STATUS:
                    data.pop(name, None)
            elif status is None:
                self.add_error("status", _("Employers in Japan must check it before they hire: choose yours."))
            elif status.code not in NO_EXPIRY_STATUSES and not data.get("period_of_stay_expiry"):
                self.add_error("period_of_stay_expiry", _("Enter the date your period of stay ends."))
            elif status.code in NO_EXPIRY_STATUSES:
                data["period_of_stay_expiry"] = None
        return data

    def _clean_address(self, data: dict[str, Any]) -> None:
        raw = data.get("postal_code") or ""
        if not raw:
            self.add_error("postal_code", _("Needed for an address in Japan."))
            return
        try:
            data["postal_code"] = v.clean_postal_code(raw)
        except forms.ValidationError as exc:
            self.add_error("postal_code", exc)
            return
        area = lookup(data["postal_code"])
        if area is not None:
            data["prefecture"] = data.get("prefecture") or area.prefecture
            data["city"] = data.get("city") or area.city
        if not data.get("prefecture") or not data.get("city"):
            self.add_error(
                "postal_code",
                _("We could not find this postal code. Check it, or choose the prefecture and write the city."),
            )

    def profile_data(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "note_preferences"}
