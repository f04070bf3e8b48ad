"""What the API shows of a candidate: the access decision's ProfileView
(consents.access), never a profile row directly. Fields outside the
grant's field groups are null."""

from rest_framework import serializers


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
