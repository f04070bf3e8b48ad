"""Openings and applications over the API. Writes of openings are checked
by the web's own form (matching.forms.OpeningForm) and saved by the same
service, so the API accepts exactly what the web accepts (accepted statuses
by kind of work included)."""

from typing import Any

from django.forms.models import model_to_dict
from rest_framework import serializers

from consents.serializers import CandidateSerializer
from matching.forms import OpeningForm
from matching.models import (
    EMPLOYER_TRANSITIONS,
    Application,
    ApplicationNote,
    ApplicationState,
    Interview,
    Opening,
    WebhookDelivery,
    WebhookEvent,
)
from profiles.models import (
    EmploymentType,
    JapaneseLevel,
    JobCategory,
    Prefecture,
    QualificationKind,
    SalaryPeriod,
    StatusOfResidence,
)


class CodeField(serializers.SlugRelatedField):
    """A taxonomy entry by its `code`. A value no code can be (not a string,
    too long, or holding a NUL, which PostgreSQL cannot even compare) is
    "not found" before any query, never a server error."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="code", **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str) or len(data) > 64 or "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data)[:64].replace("\x00", ""))
        return super().to_internal_value(data)


def _codes(queryset) -> CodeField:
    return CodeField(queryset=queryset)


class OpeningSerializer(serializers.ModelSerializer):
    """An opening of your company. Taxonomies are given by their `code`."""

    category = _codes(JobCategory.objects.filter(active=True))
    employment_type = _codes(EmploymentType.objects.filter(active=True))
    prefecture = _codes(Prefecture.objects.all())
    required_level = CodeField(queryset=JapaneseLevel.objects.filter(active=True), allow_null=True, required=False)
    accepted_statuses = CodeField(
        queryset=StatusOfResidence.objects.filter(active=True),
        many=True,
        required=False,
        help_text="Leave empty to accept every status whose work rules allow this job; a status whose activity "
        "cannot cover the job is refused, with the reason.",
    )
    required_qualifications = CodeField(
        queryset=QualificationKind.objects.filter(active=True), many=True, required=False
    )
    salary_period = serializers.ChoiceField(choices=SalaryPeriod.choices)
    state = serializers.CharField(read_only=True)

    class Meta:
        model = Opening
        # The web form's fields (the API validates through that form), plus what it reports.
        fields = ["id", *OpeningForm.Meta.fields, "state", "published_at", "created_at"]
        read_only_fields = ["id", "state", "published_at", "created_at", "updated_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """Bind the web's OpeningForm to the same values (the opening's
        current ones under what a PATCH sends) and keep its verdict."""
        instance = self.instance if isinstance(self.instance, Opening) else Opening()
        data: dict[str, Any] = model_to_dict(instance, fields=OpeningForm.Meta.fields) if instance.pk else {}
        for name in ("accepted_statuses", "required_qualifications"):
            data[name] = [getattr(item, "pk", item) for item in data.get(name, [])]
        for name, value in attrs.items():
            if isinstance(value, list):
                data[name] = [item.pk for item in value]
            else:
                data[name] = getattr(value, "pk", value)
        data = {key: ("" if value is None else value) for key, value in data.items()}
        form = OpeningForm(data, instance=instance)
        if not form.is_valid():
            raise serializers.ValidationError(
                {
                    ("non_field_errors" if field == "__all__" else field): [str(e) for e in errors]
                    for field, errors in form.errors.items()
                }
            )
        attrs["_form"] = form
        return attrs


class CandidateRefSerializer(serializers.Serializer):
    profile_id = serializers.IntegerField()
    name = serializers.CharField()


class ApplicationSerializer(serializers.ModelSerializer):
    opening = serializers.IntegerField(source="opening_id")
    opening_title = serializers.CharField(source="opening.title")
    candidate_visible = serializers.BooleanField(
        source="visible",
        help_text="Whether the candidate shares their profile with your company now (an active grant).",
    )
    candidate = serializers.SerializerMethodField(
        help_text="Only when the candidate is visible and the token has `candidates:read`."
    )
    allowed_moves = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "opening",
            "opening_title",
            "state",
            "created_at",
            "updated_at",
            "closed_at",
            "candidate_visible",
            "candidate",
            "allowed_moves",
        ]

    def get_candidate(self, application) -> CandidateRefSerializer(allow_null=True):  # type: ignore[valid-type]
        if not (self.context.get("show_candidates") and application.visible and application.candidate_id):
            return None
        profile = getattr(application.candidate, "candidate_profile", None)
        if profile is None:
            return None
        return {"profile_id": profile.pk, "name": profile.name_passport}

    def get_allowed_moves(self, application) -> list[str]:
        return sorted(EMPLOYER_TRANSITIONS.get(application.state, set()))


class ApplicationEventSerializer(serializers.Serializer):
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    occurred_at = serializers.DateTimeField()


class ApplicationDetailSerializer(ApplicationSerializer):
    events = ApplicationEventSerializer(source="events.all", many=True)

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "events"]


class MoveSerializer(serializers.Serializer):
    to_state = serializers.ChoiceField(choices=[s for s in ApplicationState.values if s != ApplicationState.WITHDRAWN])


class NoteSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.email", read_only=True, allow_null=True)

    class Meta:
        model = ApplicationNote
        fields = ["id", "body", "author", "created_at"]
        read_only_fields = ["id", "author", "created_at"]
        extra_kwargs = {"body": {"max_length": 2000, "trim_whitespace": True}}


__all__ = ["CandidateSerializer"]


class TaxonomySerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named "label", not Field.label


class PublicCompanyRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="legal_name")


class PublicOpeningSerializer(serializers.Serializer):
    """An opening as the public job board shows it."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    company = PublicCompanyRefSerializer(source="employer")
    category = TaxonomySerializer()
    employment_type = TaxonomySerializer()
    prefecture = TaxonomySerializer()
    city = serializers.CharField()
    salary_min = serializers.IntegerField()
    salary_max = serializers.IntegerField()
    salary_period = serializers.CharField()
    weekly_hours = serializers.IntegerField()
    required_level = TaxonomySerializer(allow_null=True)
    sponsorship_offered = serializers.BooleanField()
    start_date = serializers.DateField()
    closes_on = serializers.DateField(allow_null=True)
    languages = serializers.CharField()
    published_at = serializers.DateTimeField()


class PublicCompanySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="legal_name")
    industry = serializers.CharField()
    industry_label = serializers.CharField(source="get_industry_display")
    open_openings = serializers.IntegerField()


# --- Webhooks (scope webhooks:manage) -------------------------------------------------------


class WebhookEndpointSerializer(serializers.Serializer):
    """A receiver of your company's events (docs/api.md, "Webhooks")."""

    id = serializers.IntegerField(read_only=True)
    url = serializers.CharField(
        max_length=500,
        help_text="https:// only, and on the public internet: private, local and reserved addresses are refused "
        "(docs/api.md).",
    )
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEvent.choices), min_length=1, max_length=len(WebhookEvent)
    )
    active = serializers.BooleanField(
        source="is_active", required=False, help_text="false stops deliveries; true starts them again."
    )
    disabled_reason = serializers.CharField(read_only=True)
    consecutive_failures = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    disabled_at = serializers.DateTimeField(read_only=True, allow_null=True)
    previous_secret_signs_until = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="After a rotation: until then each delivery is signed with the previous secret too (24 hours); "
        "null when only the current secret signs.",
    )


class IssuedWebhookEndpointSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(
        read_only=True, help_text="The signing secret (whsec_…), shown in this answer only: keep it now."
    )


class RotateSecretSerializer(serializers.Serializer):
    stop_previous = serializers.BooleanField(
        required=False,
        default=False,
        help_text="true for a leaked secret: the old secret (and any before it) stops signing at once, "
        "with no 24-hour overlap.",
    )


class WebhookDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "event_id",
            "event_type",
            "state",
            "attempts",
            "last_status_code",
            "last_error",
            "created_at",
            "last_attempt_at",
            "delivered_at",
        ]
        read_only_fields = fields


class MyApplicationSerializer(serializers.Serializer):
    """An application as its candidate sees it on "My applications"."""

    id = serializers.IntegerField()
    opening = serializers.IntegerField(source="opening_id")
    opening_title = serializers.CharField(source="opening.title")
    employer = serializers.IntegerField(source="opening.employer_id")
    employer_name = serializers.CharField(source="opening.employer.legal_name")
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display", help_text="In the language of Accept-Language.")
    interview_at = serializers.DateTimeField(allow_null=True, help_text="The interview agreed, if any.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)


class ApplicationMessageSerializer(serializers.Serializer):
    """A message of the conversation on an application. A message staff
    hid (after a report) keeps its place without its text."""

    id = serializers.IntegerField(read_only=True)
    side = serializers.ChoiceField(choices=["candidate", "employer"], read_only=True)
    body = serializers.CharField(max_length=4000, trim_whitespace=True)
    created_at = serializers.DateTimeField(read_only=True)
    hidden = serializers.SerializerMethodField()

    def get_hidden(self, message) -> bool:
        return message.hidden_at is not None

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if instance.hidden_at is not None:
            data["body"] = ""
        return data


class InterviewSerializer(serializers.Serializer):
    """An interview on an application: the times proposed (UTC on the wire;
    the candidate sees them in Japan time), then the one chosen."""

    id = serializers.IntegerField(read_only=True)
    state = serializers.ChoiceField(choices=Interview.State.choices, read_only=True)
    slots = serializers.ListField(
        child=serializers.DateTimeField(), min_length=1, max_length=5, help_text="1 to 5 times in the future."
    )
    duration_minutes = serializers.IntegerField(min_value=10, max_value=480, default=60)
    place = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    video_url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    interviewers = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    starts_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="The time chosen, once scheduled.")
    candidate_note = serializers.CharField(read_only=True)

    def to_representation(self, instance):
        data = super().to_representation({**vars(instance), "slots": []})
        data["slots"] = [serializers.DateTimeField().to_representation(s.starts_at) for s in instance.slots.all()]
        return data


class InterviewCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why, in a few words: the candidate reads it with the cancellation.",
    )
