from datetime import UTC, datetime
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matching.invitations import JST
from matching.models import (
    ApplicationNote,
    ApplicationState,
    CompanyPage,
    MessageTemplate,
    Opening,
    RefusalReason,
    WebhookEvent,
)
from matching.selectors import board_taxonomy
from matching.services import refused_statuses
from profiles.models import (
    EmploymentType,
    JapaneseLevel,
    JobCategory,
    Prefecture,
    ProhibitedContent,
    QualificationKind,
    StatusOfResidence,
)
from profiles.photos import ACCEPT_ATTRIBUTE, max_bytes, too_large_message

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OpeningForm(forms.ModelForm):
    class Meta:
        model = Opening
        fields = [
            "title",
            "description",
            "category",
            "employment_type",
            "prefecture",
            "city",
            "salary_min",
            "salary_max",
            "salary_period",
            "weekly_hours",
            "required_level",
            "accepted_statuses",
            "required_qualifications",
            "sponsorship_offered",
            "adult_entertainment_premises",
            "start_date",
            "closes_on",
            "languages",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8, "maxlength": 5000}),
            "start_date": DATE_WIDGET,
            "closes_on": DATE_WIDGET,
            "accepted_statuses": forms.CheckboxSelectMultiple,
            "required_qualifications": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "accepted_statuses": _(
                "Leave all unticked to accept every status whose work rules allow this job. A status whose "
                "activity cannot cover the job is refused, with the reason."
            ),
            "languages": _("For example: Japanese, English, Vietnamese."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        category = cast(forms.ModelChoiceField, self.fields["category"])
        employment_type = cast(forms.ModelChoiceField, self.fields["employment_type"])
        prefecture = cast(forms.ModelChoiceField, self.fields["prefecture"])
        required_level = cast(forms.ModelChoiceField, self.fields["required_level"])
        accepted_statuses = cast(forms.ModelMultipleChoiceField, self.fields["accepted_statuses"])
        required_qualifications = cast(forms.ModelMultipleChoiceField, self.fields["required_qualifications"])
        category.queryset = JobCategory.objects.filter(active=True)
        employment_type.queryset = EmploymentType.objects.filter(active=True)
        prefecture.queryset = Prefecture.objects.all()
        required_level.queryset = JapaneseLevel.objects.filter(active=True).select_related("test")
        required_level.empty_label = _("No Japanese test required")
        accepted_statuses.queryset = StatusOfResidence.objects.filter(active=True)
        accepted_statuses.required = False
        required_qualifications.queryset = QualificationKind.objects.filter(active=True)

    def clean_start_date(self):
        start = self.cleaned_data["start_date"]
        if start and not self.instance.pk and start < timezone.localdate():
            raise forms.ValidationError(_("The start date cannot be in the past."))
        return start

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        low, high = data.get("salary_min"), data.get("salary_max")
        if low is not None and high is not None and high < low:
            self.add_error("salary_max", _("The upper end is below the lower end."))
        closes, start = data.get("closes_on"), data.get("start_date")
        if closes and closes < timezone.localdate() and "closes_on" in self.changed_data:
            self.add_error("closes_on", _("The closing date is in the past."))
        if closes and start and closes > start:
            self.add_error("closes_on", _("Applications should close before the start date."))
        job: dict[str, Any] = {name: data.get(name) for name in ("category", "employment_type", "weekly_hours")}
        if data.get("accepted_statuses") and all(value is not None for value in job.values()):
            refused = refused_statuses(
                **job,
                statuses=list(data["accepted_statuses"]),
                adult_entertainment_premises=bool(data.get("adult_entertainment_premises")),
            )
            if refused:
                self.add_error("accepted_statuses", refused)
        return data


class TaxonomyChoiceField(forms.ChoiceField):
    """A choice of taxonomy entries by code, cleaned to the entry, each
    with how many openings it would give (the board's facet counts; none
    until `show_counts`). The entries come from
    matching.selectors.board_taxonomy (read once per language and taxonomy
    generation), not from a query per form: `offer` hands them over."""

    default_error_messages = {"invalid_choice": forms.ModelChoiceField.default_error_messages["invalid_choice"]}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=(), **kwargs)
        self.entries: dict[str, Any] = {}
        self.rows: list[tuple[str, str, Any]] = []
        self.counts: dict[int, int] | None = None
        self.capped = False

    def offer(self, rows: list[tuple[str, str, Any]]) -> None:
        """The entries to offer: (code, label, entry) in order."""
        self.rows = rows
        self.entries = {code: entry for code, _label, entry in rows}
        self._choose()

    def show_counts(self, counts: dict[int, int], capped: bool) -> None:
        self.counts, self.capped = counts, capped
        self._choose()

    def _choose(self) -> None:
        plus = "+" if self.capped else ""
        counts = self.counts
        self.choices = [
            ("", "---------"),
            *(
                (code, label if counts is None else f"{label} ({counts.get(entry.pk, 0)}{plus})")
                for code, label, entry in self.rows
            ),
        ]

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        entry = self.entries.get(str(value))
        if entry is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return entry

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)  # required or not; to_python checked the choice


SORTS = [("newest", _("Newest")), ("salary", _("Salary"))]


class BoardSearchForm(forms.Form):
    q = forms.CharField(label=_("Keyword"), required=False, max_length=100)
    prefecture = TaxonomyChoiceField(label=_("Prefecture"), required=False)
    category = TaxonomyChoiceField(label=_("Kind of work"), required=False)
    level = forms.TypedChoiceField(
        label=_("My Japanese level"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any")), (1, "N5 / A1"), (2, "N4 / A2"), (3, "N3"), (4, "N2"), (5, "N1")],
        help_text=_("Shows openings that require this level or lower."),
    )
    employment_type = TaxonomyChoiceField(label=_("Employment type"), required=False)
    sponsorship = forms.BooleanField(label=_("Visa sponsorship offered"), required=False)
    no_test = forms.BooleanField(label=_("No Japanese test required"), required=False)
    salary_min = forms.IntegerField(
        label=_("Salary at least (yen a month)"),
        required=False,
        min_value=0,
        max_value=10_000_000,
        help_text=_("Hourly pay counts 160 hours a month; a yearly salary, a twelfth."),
    )
    hours_max = forms.IntegerField(
        label=_("At most (hours a week)"),
        required=False,
        min_value=1,
        max_value=60,
        help_text=_("For example 28, if you study with permission to work."),
    )
    legal = forms.BooleanField(
        label=_("Only jobs I may legally take"),
        required=False,
        help_text=_("By the work rules of your status of residence and your period of stay."),
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=SORTS,
    )

    # Fields inside the collapsible "Filters" part of the form.
    FILTERS = (
        "prefecture",
        "category",
        "employment_type",
        "level",
        "salary_min",
        "hours_max",
        "no_test",
        "sponsorship",
        "legal",
    )

    def __init__(self, *args, candidate: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for name, rows in board_taxonomy().items():
            cast(TaxonomyChoiceField, self.fields[name]).offer(rows)
        if candidate:
            cast(forms.ChoiceField, self.fields["sort"]).choices = [*SORTS, ("fit", _("Best fit for me"))]
        else:
            # Only a signed-in candidate has a status the rules can read.
            del self.fields["legal"]

    def show_counts(self, facets: Any) -> None:
        """Put the facet counts (selectors.Facets) beside each choice."""
        plus = "+" if facets.capped else ""
        for name in ("prefecture", "category", "employment_type"):
            cast(TaxonomyChoiceField, self.fields[name]).show_counts(getattr(facets, name), facets.capped)
        for name in ("sponsorship", "no_test"):
            label = f"{self.fields[name].label} ({getattr(facets, name)}{plus})"
            # A bound form made its BoundFields (and their labels) while validating.
            self.fields[name].label = self[name].label = label


class MoveForm(forms.Form):
    to_state = forms.ChoiceField(label=_("Move to"), choices=[])

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["to_state"]).choices = [(s, ApplicationState(s).label) for s in allowed]


class NoteForm(forms.ModelForm):
    class Meta:
        model = ApplicationNote
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3, "maxlength": 2000})}
        help_texts = {
            "body": _("Notes are personal data about the candidate: they can read them in their data export.")
        }


class ProposeForm(forms.Form):
    candidate = forms.IntegerField(widget=forms.HiddenInput)
    message = forms.CharField(
        label=_("Message to the candidate"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # Needed only for a candidate the rules mark ineligible (services.proposal_create).
    override_reason = forms.CharField(
        label=_("Why propose despite the rules"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept with the proposal and shown to the candidate."),
    )


class UnpublishForm(forms.Form):
    reason = forms.CharField(label=_("Reason (the employer sees it)"), max_length=500)


class CompanyPageForm(forms.ModelForm):
    """The company page an employer admin writes; the logo goes through the
    photo pipeline (services.company_logo_store)."""

    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        # The pipeline says why an empty file is refused, in its own words.
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        help_text=_("A JPEG, PNG or WebP image. It is re-encoded and its metadata removed when it is saved."),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    class Meta:
        model = CompanyPage
        fields = ["description", "prefecture"]
        widgets = {"description": forms.Textarea(attrs={"rows": 8, "maxlength": 3000})}
        help_texts = {"description": _("Anyone can read this page, and search engines too. Write nothing personal.")}

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        # Refused by its declared size before a byte of it is read.
        if upload is not None and upload.size > max_bytes():
            raise forms.ValidationError(too_large_message())
        return upload


class WebhookEventsForm(forms.Form):
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )


class WebhookEndpointForm(WebhookEventsForm):
    field_order = ["url", "events"]
    url = forms.URLField(
        label=_("Address of your receiver"), max_length=500, assume_scheme="https", help_text=_("https:// only.")
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=4000,
        error_messages={"required": _("Write a message first.")},
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 4000}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Its own ids: the application page also has the note form, whose
        # field is `body` too, and a label must name exactly one field.
        kwargs.setdefault("auto_id", "id_message_%s")
        super().__init__(*args, **kwargs)

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Write a message first."))
        return body


class MessageReportForm(forms.Form):
    category = forms.ChoiceField(label=_("What is wrong with it"), choices=ProhibitedContent.choices)
    details = forms.CharField(
        label=_("Details (optional)"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
SLOT_ROWS = 3


class InterviewForm(forms.Form):
    """Times are entered in Japan time (Asia/Tokyo) and stored in UTC."""

    duration_minutes = forms.IntegerField(label=_("Length (minutes)"), min_value=10, max_value=480, initial=60)
    place = forms.CharField(label=_("Place (address)"), max_length=300, required=False)
    video_url = forms.URLField(label=_("Video link"), max_length=500, required=False, assume_scheme="https")
    interviewers = forms.CharField(label=_("Interviewers' names"), max_length=300, required=False)
    note = forms.CharField(
        label=_("Message to the candidate"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, SLOT_ROWS + 1):
            self.fields[f"date_{n}"] = forms.DateField(
                label=_("Date %(n)s (Japan time)") % {"n": n}, required=n == 1, widget=DATE_WIDGET
            )
            self.fields[f"time_{n}"] = forms.TimeField(
                label=_("Time %(n)s (Japan time)") % {"n": n}, required=n == 1, widget=TIME_WIDGET
            )
        order = [f"{kind}_{n}" for n in range(1, SLOT_ROWS + 1) for kind in ("date", "time")]
        self.order_fields([*order, "duration_minutes", "place", "video_url", "interviewers", "note"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        slots = []
        for n in range(1, SLOT_ROWS + 1):
            day, moment = data.get(f"date_{n}"), data.get(f"time_{n}")
            if day and moment:
                slots.append(datetime.combine(day, moment, tzinfo=JST).astimezone(UTC))
            elif day or moment:
                self.add_error(f"time_{n}" if day else f"date_{n}", _("Give both the date and the time."))
        if not (data.get("place") or "").strip() and not data.get("video_url"):
            raise forms.ValidationError(_("Give the place or a video link."))
        data["slots"] = slots
        return data


class OtherTimesForm(forms.Form):
    note = forms.CharField(
        label=_("Which days and times suit you?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
    )


class RejectForm(forms.Form):
    refusal_reason = forms.ChoiceField(
        label=_("Reason (kept private unless you tell the candidate)"),
        choices=[("", "—"), *RefusalReason.choices],
        required=False,
    )
    tell_reason = forms.BooleanField(label=_("Tell the candidate this reason"), required=False)


class MessageTemplateForm(forms.ModelForm):
    class Meta:
        model = MessageTemplate
        fields = ["kind", "name", "language", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6, "maxlength": 4000})}
        help_texts = {
            "body": _("{opening} and {employer} are replaced by the opening's title and your company's name."),
            "name": _("Give the same name to the versions of one message in each language."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"] = forms.ChoiceField(label=_("language"), choices=settings.LANGUAGES)
