"""What the API shows of a candidate: the access decision's ProfileView
(consents.access), never a profile row directly. Fields outside the
grant's field groups are null."""

from rest_framework import serializers

from consents.models import EmailPurpose


class JapaneseSerializer(serializers.Serializer):
    test = serializers.CharField(source="level.test.code")
    level = serializers.CharField(source="level.code")
    scale = serializers.IntegerField(source="level.scale")
    obtained_on = serializers.DateField(allow_null=True)


class WorkSerializer(serializers.Serializer):
    employer_name = serializers.CharField()
    job_title = serializers.CharField()
    started_on = serializers.DateField()
    ended_on = serializers.DateField(allow_null=True)


class EducationSerializer(serializers.Serializer):
    school = serializers.CharField()
    level = serializers.CharField()
    field_of_study = serializers.CharField()
    started_on = serializers.DateField()
    ended_on = serializers.DateField(allow_null=True)
    graduated = serializers.BooleanField()


class AddressSerializer(serializers.Serializer):
    postal_code = serializers.CharField()
    prefecture = serializers.CharField()
    city = serializers.CharField()
    street = serializers.CharField()
    overseas = serializers.CharField()


class CandidateSerializer(serializers.Serializer):
    """A candidate as an employer may see them now: the core profile always,
    contact, address and exact date of birth only when the grant includes
    them (`field_groups`)."""

    profile_id = serializers.IntegerField(source="profile.pk")
    field_groups = serializers.ListField(child=serializers.CharField())
    name = serializers.CharField(source="profile.name_passport")
    name_kana = serializers.CharField(source="profile.name_kana")
    nationality = serializers.CharField(source="profile.nationality.code", allow_null=True)
    age = serializers.IntegerField(allow_null=True)
    status_of_residence = serializers.CharField(source="profile.status.code", allow_null=True)
    period_of_stay_expiry = serializers.DateField(source="profile.period_of_stay_expiry", allow_null=True)
    status_warning = serializers.CharField(allow_null=True)
    japanese = JapaneseSerializer(source="profile.japanese_certificates.all", many=True)
    work_history = WorkSerializer(source="profile.work_history.all", many=True)
    education = EducationSerializer(source="profile.education.all", many=True)
    self_introduction = serializers.CharField()
    email = serializers.EmailField(allow_null=True, help_text="Only with the `contact` field group.")
    phone = serializers.CharField(allow_null=True, help_text="Only with the `contact` field group.")
    date_of_birth = serializers.DateField(allow_null=True, help_text="Only with the `date_of_birth` field group.")
    address = AddressSerializer(allow_null=True, help_text="Only with the `address` field group.")


# --- A candidate's own data, for their apps (consents.api_me) --------------------------------


class EmployerRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="legal_name")


class MyGrantSerializer(serializers.Serializer):
    """A share grant as its candidate sees it on "Who has my profile"."""

    id = serializers.IntegerField()
    employer = EmployerRefSerializer()
    field_groups = serializers.SerializerMethodField()
    origin = serializers.CharField()
    granted_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)
    end_reason = serializers.CharField(help_text="`withdrawn`, `expired`, … or empty while the grant runs.")
    active = serializers.BooleanField(source="is_active", help_text="The employer sees the profile now.")

    def get_field_groups(self, grant) -> list[str]:
        return sorted(grant.field_groups)


class PurposeStateSerializer(serializers.Serializer):
    purpose = serializers.CharField()
    label = serializers.CharField(help_text="In the language of Accept-Language.")  # type: ignore[assignment]
    granted = serializers.BooleanField()


class EmailPurposesSerializer(serializers.Serializer):
    purposes = PurposeStateSerializer(many=True)


def purpose_choices_serializer() -> type[serializers.Serializer]:
    """{purpose: true/false} for the purposes to change; the others stay."""
    fields = {
        purpose.value: serializers.BooleanField(required=False, help_text=purpose.label)
        for purpose in EmailPurpose
    }
    return type("EmailPurposeChoices", (serializers.Serializer,), fields)


EmailPurposeChoicesSerializer = purpose_choices_serializer()


class DataExportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField(help_text="`pending`, `building`, `ready`, `failed` or `expired`.")
    created_at = serializers.DateTimeField()
    ready_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True, help_text="The archive is deleted then.")
    download_url = serializers.SerializerMethodField(
        help_text="While ready: GET it with the same token (a zip file)."
    )

    def get_download_url(self, export) -> str | None:
        return self.context.get("download_url")
