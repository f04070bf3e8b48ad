from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from consents.contact.models import Topic


class InquiryForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("Email address for the answer"), max_length=254)
    phone = forms.CharField(
        label=_("Telephone (optional)"),
        max_length=20,
        required=False,
        help_text=_("Only if you would like us to call you back."),
    )
    topic = forms.ChoiceField(label=_("What it is about"), choices=Topic.choices)
    message = forms.CharField(label=_("Your message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    # A field people never see: only robots fill it in.
    website = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated:
            del self.fields["email"]

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not all(c.isdigit() or c in "+-() " for c in phone):
            raise forms.ValidationError(_("Digits, spaces, +, - and brackets only."))
        return phone


class StaffInquiryForm(forms.Form):
    text = forms.CharField(
        label=_("Answer (sent by email)"), max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    assignee: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Assign to"), queryset=None, required=False)

    def __init__(self, *args: Any, staff: QuerySet[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["assignee"]).queryset = staff
