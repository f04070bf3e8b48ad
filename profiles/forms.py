"""One form per profile section and per kind of history entry.

Every text field has a length limit; every rule has a message that says what
to do. Forms only validate: saving goes through profiles.services."""

from typing import Any, cast

from django import forms
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from profiles import validators as v
from profiles.models import (
    LANGUAGE_CHOICES,
    LANGUAGE_CODES,
    NO_EXPIRY_STATUSES,
    CandidateProfile,
    EducationEntry,
    EmploymentType,
    JapaneseCertificate,
    JapaneseLevel,
    JobCategory,
    LanguageSkill,
    ModerationCase,
    Prefecture,
    ProhibitedContent,
    Qualification,
    QualificationKind,
    SalaryPeriod,
    StatusOfResidence,
    VerificationMethod,
    WorkEntry,
    WorkRule,
)

# Sense checks for a salary in yen, by period.
SALARY_RANGES = {
    SalaryPeriod.HOUR: (500, 20_000),
    SalaryPeriod.MONTH: (50_000, 5_000_000),
    SalaryPeriod.YEAR: (1_000_000, 60_000_000),
}

# How much may be typed: more than is stored, which is normalised by clean().
PHONE_INPUT_LENGTH = 32
POSTAL_CODE_INPUT_LENGTH = 10

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _offered(model, *current):
    """The entries offered, plus those the profile already has: an entry staff
    stopped offering stays on the profiles that have it, and saving the form
    again must neither drop it nor refuse it."""
    return model.objects.filter(Q(active=True) | Q(pk__in=[pk for pk in current if pk is not None]))


def _current(instance, m2m: str) -> list:
    return list(getattr(instance, m2m).values_list("pk", flat=True)) if instance.pk else []


class BasicsForm(forms.ModelForm):
    class Meta:
        model = CandidateProfile
        fields = [
            "name_passport",
            "name_kana",
            "nationality",
            "country_of_residence",
            "date_of_birth",
            "gender",
            "phone",
        ]
        widgets = {
            "date_of_birth": DATE_WIDGET,
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
            "name_passport": forms.TextInput(attrs={"autocomplete": "name"}),
        }
        help_texts = {
            "name_passport": _("Exactly as printed in your passport, in Latin letters."),
            "name_kana": _("How your name is read, in katakana. Employers in Japan use it."),
            "date_of_birth": _("Employers see only your age unless you choose to share the date."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # People type numbers with spaces, dashes and "(0)" ("+81 (0)90-1234-5678"):
        # the input may be longer than the E.164 form (at most 16 characters)
        # that clean() stores, so the model's max_length must not cut it short.
        phone = cast(forms.CharField, self.fields["phone"])
        phone.max_length = PHONE_INPUT_LENGTH
        phone.widget.attrs["maxlength"] = PHONE_INPUT_LENGTH
        phone.validators = [
            *(x for x in phone.validators if not isinstance(x, MaxLengthValidator)),
            MaxLengthValidator(PHONE_INPUT_LENGTH),
        ]

    def clean_name_kana(self):
        value = self.cleaned_data["name_kana"]
        return v.clean_katakana(value) if value else value

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born:
            v.check_date_of_birth(born)
        return born

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("phone"):
            try:
                data["phone"] = v.clean_phone(data["phone"], data.get("country_of_residence") or None)
            except forms.ValidationError as exc:
                self.add_error("phone", exc)
        return data


class AddressForm(forms.ModelForm):
    WHERE = [("japan", _("In Japan")), ("overseas", _("Outside Japan"))]
    where = forms.ChoiceField(label=_("Where do you live?"), choices=WHERE, widget=forms.RadioSelect)
    # The question first: the fields below depend on its answer.
    field_order = ["where"]

    class Meta:
        model = CandidateProfile
        fields = ["postal_code", "prefecture", "city", "street", "overseas_address"]
        widgets = {
            "postal_code": forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "postal-code", "maxlength": POSTAL_CODE_INPUT_LENGTH}
            ),
            "overseas_address": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["prefecture"]).queryset = Prefecture.objects.all()
        # "100-0013" is 8 characters and "〒 100-0013" 10; the model field's
        # max_length (7 digits) would otherwise set maxlength="7" and the
        # browser would cut it short. clean() stores the 7 digits.
        postal_code = cast(forms.CharField, self.fields["postal_code"])
        postal_code.max_length = POSTAL_CODE_INPUT_LENGTH
        postal_code.widget.attrs["maxlength"] = POSTAL_CODE_INPUT_LENGTH
        postal_code.validators = []
        profile = self.instance
        if not self.is_bound:
            lives_abroad = bool(profile.overseas_address) or (
                profile.country_of_residence and profile.country_of_residence != "JP"
            )
            self.initial["where"] = "overseas" if lives_abroad else "japan"

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("where") == "japan":
            if data.get("postal_code"):
                try:
                    data["postal_code"] = v.clean_postal_code(data["postal_code"])
                except forms.ValidationError as exc:
                    self.add_error("postal_code", exc)
            for name in ("postal_code", "prefecture", "city", "street"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Needed for an address in Japan."))
            data["overseas_address"] = ""
        elif data.get("where") == "overseas":
            if not data.get("overseas_address"):
                self.add_error("overseas_address", _("Write your address, including the country."))
            data.update(postal_code="", prefecture=None, city="", street="")
        return data


class StatusForm(forms.ModelForm):
    class Meta:
        model = CandidateProfile
        fields = ["status", "period_of_stay_expiry", "outside_activity_permission", "outside_activity_hours"]
        widgets = {"period_of_stay_expiry": DATE_WIDGET}
        help_texts = {
            "status": _("As printed on your residence card. Do not enter the card number: Tsunagu never asks for it."),
            "period_of_stay_expiry": _("The date your period of stay ends (在留期間満了日)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        status = cast(forms.ModelChoiceField, self.fields["status"])
        status.queryset = _offered(StatusOfResidence, self.instance.status_id)
        status.empty_label = _("I do not live in Japan yet / no status")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        status = data.get("status")
        if status is None or status.work_rule != WorkRule.NOT_PERMITTED:
            data["outside_activity_permission"] = False
            data["outside_activity_hours"] = None
        elif data.get("outside_activity_permission"):
            hours = data.get("outside_activity_hours")
            limit = status.part_time_hours_limit
            if hours is None:
                self.add_error("outside_activity_hours", _("How many hours a week does your permission allow?"))
            elif limit and hours > limit:
                self.add_error(
                    "outside_activity_hours",
                    _("With the status %(status)s, work outside status is limited to %(limit)s hours a week.")
                    % {"status": status.label, "limit": limit},
                )
        else:
            data["outside_activity_hours"] = None
        if status is None:
            data["period_of_stay_expiry"] = None
        elif status.code not in NO_EXPIRY_STATUSES and not data.get(
            "period_of_stay_expiry"
        ):
            self.add_error("period_of_stay_expiry", _("Enter the date your period of stay ends."))
        return data

    @property
    def expiry_in_past(self) -> bool:
        expiry = self.cleaned_data.get("period_of_stay_expiry")
        return bool(expiry and expiry < v.today())


class JapaneseForm(forms.ModelForm):
    class Meta:
        model = CandidateProfile
        fields = ["japanese_speaking"]


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = CandidateProfile
        fields = [
            "desired_categories",
            "desired_prefectures",
            "desired_employment_types",
            "expected_salary",
            "expected_salary_period",
            "earliest_start_date",
            "open_to_proposals",
        ]
        widgets = {
            "desired_categories": forms.CheckboxSelectMultiple,
            "desired_prefectures": forms.CheckboxSelectMultiple,
            "desired_employment_types": forms.CheckboxSelectMultiple,
            "earliest_start_date": DATE_WIDGET,
            "expected_salary": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "step": 1000}),
        }
        help_texts = {
            "open_to_proposals": _(
                "Tsunagu staff may suggest openings to you. An employer sees nothing until you accept a proposal."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        categories = cast(forms.ModelMultipleChoiceField, self.fields["desired_categories"])
        prefectures = cast(forms.ModelMultipleChoiceField, self.fields["desired_prefectures"])
        employment_types = cast(forms.ModelMultipleChoiceField, self.fields["desired_employment_types"])
        categories.queryset = _offered(JobCategory, *_current(self.instance, "desired_categories"))
        prefectures.queryset = Prefecture.objects.all()
        employment_types.queryset = _offered(EmploymentType, *_current(self.instance, "desired_employment_types"))

    def clean_earliest_start_date(self):
        start = self.cleaned_data["earliest_start_date"]
        if start and start < v.today():
            raise forms.ValidationError(_("The earliest start date cannot be before today."))
        return start

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        salary, period = data.get("expected_salary"), data.get("expected_salary_period")
        if salary is not None and not period:
            self.add_error("expected_salary_period", _("Say whether the salary is per hour, month or year."))
        elif salary is not None and period in SALARY_RANGES:
            low, high = SALARY_RANGES[period]
            if not low <= salary <= high:
                self.add_error(
                    "expected_salary",
                    _("A salary %(period)s is usually between ¥%(low)s and ¥%(high)s: please check the amount.")
                    % {"period": SalaryPeriod(period).label, "low": f"{low:,}", "high": f"{high:,}"},
                )
        elif salary is None:
            data["expected_salary_period"] = ""
        return data


class IntroductionForm(forms.ModelForm):
    class Meta:
        model = CandidateProfile
        fields = ["self_introduction"]
        widgets = {"self_introduction": forms.Textarea(attrs={"rows": 8, "maxlength": 2000})}
        help_texts = {
            "self_introduction": _(
                "Up to 2,000 characters about your skills, experience and the work you want. Do not write your "
                "registered domicile (本籍) or birthplace, religion or beliefs, union membership, health or any other "
                "sensitive information: employers must not ask for it and Tsunagu does not collect it. Content on the "
                "prohibited list of the Terms of Use is hidden by staff."
            )
        }


# --- History entries ----------------------------------------------------------


class EntryForm(forms.ModelForm):
    """A history entry of one profile; knows its profile for cross-checks."""

    def __init__(self, *args, profile: CandidateProfile, **kwargs):
        self.profile = profile
        super().__init__(*args, **kwargs)

    def _check_after_birth(self, field: str):
        value = self.cleaned_data.get(field)
        born = self.profile.date_of_birth
        if value and born and value < born:
            self.add_error(field, _("This date is before your date of birth."))


class JapaneseCertificateForm(EntryForm):
    class Meta:
        model = JapaneseCertificate
        fields = ["level", "obtained_on"]
        widgets = {"obtained_on": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        level = cast(forms.ModelChoiceField, self.fields["level"])
        level.queryset = _offered(JapaneseLevel, self.instance.level_id).select_related("test")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("obtained_on") and data["obtained_on"] > v.today():
            self.add_error("obtained_on", _("This date is in the future."))
        self._check_after_birth("obtained_on")
        level = data.get("level")
        if level and self.profile.japanese_certificates.filter(level=level).exclude(pk=self.instance.pk).exists():
            self.add_error("level", _("You have already added this result."))
        return data


class LanguageSkillForm(EntryForm):
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)

    class Meta:
        model = LanguageSkill
        fields = ["language", "level"]

    def clean_language(self):
        code = self.cleaned_data["language"]
        if code not in LANGUAGE_CODES:
            raise forms.ValidationError(_("Choose a language from the list."))
        if code == "ja":
            raise forms.ValidationError(_("Japanese has its own part of this section, above."))
        if self.profile.languages.filter(language=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("You have already added this language."))
        return code


class QualificationForm(EntryForm):
    class Meta:
        model = Qualification
        fields = ["kind", "name", "obtained_on"]
        widgets = {"obtained_on": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["kind"]).queryset = _offered(QualificationKind, self.instance.kind_id)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        kind = data.get("kind")
        if kind and kind.free_text and not data.get("name"):
            self.add_error("name", _("Write the name of the qualification."))
        if kind and not kind.free_text:
            data["name"] = ""
        if data.get("obtained_on") and data["obtained_on"] > v.today():
            self.add_error("obtained_on", _("This date is in the future."))
        self._check_after_birth("obtained_on")
        return data


class HistoryForm(EntryForm):
    """Education and work: dates in order, not before birth, not impossible."""

    allow_future_end = False

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("started_on"), data.get("ended_on")
        if start and start > v.today():
            self.add_error("started_on", _("The start date is in the future."))
        if start and end and end < start:
            self.add_error("ended_on", _("The end date is before the start date."))
        if end and end > v.today() and not self.allow_future_end:
            self.add_error("ended_on", _("The end date is in the future: leave it empty if this is still going on."))
        self._check_after_birth("started_on")
        return data


class EducationForm(HistoryForm):
    allow_future_end = True  # an expected graduation date

    class Meta:
        model = EducationEntry
        fields = ["school", "level", "field_of_study", "country", "started_on", "ended_on", "graduated"]
        widgets = {"started_on": DATE_WIDGET, "ended_on": DATE_WIDGET}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        end = data.get("ended_on")
        if data.get("graduated") and (not end or end > v.today()):
            self.add_error("graduated", _("A graduation needs an end date that has passed."))
        return data


class WorkForm(HistoryForm):
    class Meta:
        model = WorkEntry
        fields = ["employer_name", "job_title", "category", "country", "started_on", "ended_on", "description"]
        widgets = {
            "started_on": DATE_WIDGET,
            "ended_on": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        category = cast(forms.ModelChoiceField, self.fields["category"])
        category.queryset = _offered(JobCategory, self.instance.category_id)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end, name = data.get("started_on"), data.get("ended_on"), data.get("employer_name")
        if start and name and not self.errors:
            # The same job at the same employer cannot be held twice at once.
            far = v.today()
            for other in self.profile.work_history.exclude(pk=self.instance.pk):
                if other.employer_name.casefold() != name.casefold():
                    continue
                if start <= (other.ended_on or far) and other.started_on <= (end or far):
                    self.add_error(
                        "started_on",
                        _("This overlaps with your other entry at %(employer)s (%(start)s –). Edit that entry instead.")
                        % {"employer": other.employer_name, "start": other.started_on.isoformat()},
                    )
                    break
        return data


# --- Staff: moderation and verification ---------------------------------------------


class ReportForm(forms.Form):
    target = forms.ChoiceField(label=_("What"), choices=ModerationCase.Target.choices)
    category = forms.ChoiceField(label=_("Reason"), choices=ProhibitedContent.choices)
    details = forms.CharField(
        label=_("Details"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("hide", _("Hide it and tell the candidate why")),
            ("dismiss", _("Dismiss the report")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (sent to the candidate when hiding)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("decision") == "hide" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Tell the candidate why: they will read this."))
        return data


class VerificationForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How did you check it?"), choices=VerificationMethod.choices, widget=forms.RadioSelect
    )
