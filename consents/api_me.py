"""A candidate's own data, for the apps they let in (docs/api.md, "Apps of
your own"): their profile, their share grants (withdraw: the same service
and ledger event as the website, channel `api`), their email purposes (the
same consent service, with its ledger event); their data export is
consents.privacy.api_me (privacy rights sit above the consent core). Scopes: `me:read` to
read and to export, `me:consents` to withdraw a grant or change a purpose.
Each endpoint answers as its page on the website does, including for a
restricted or suspended account (accounts.api_base.CandidateApp)."""

from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

from accounts.api_base import CandidateApp, ScopesRequired
from accounts.api_framework import ApiView
from consents import access, selectors, services
from consents.models import Channel, EmailPurpose, FieldGroup
from consents.serializers import (
    CandidateSerializer,
    EmailPurposeChoicesSerializer,
    EmailPurposesSerializer,
    MyGrantSerializer,
)
from profiles.selectors import profile_for_display, profile_of


class MeView(ApiView):
    # A candidate's app, with the scope the method needs (no docstring: the
    # schema would show it as every endpoint's description).
    permission_classes = [CandidateApp, ScopesRequired]
    pagination_class: type[BasePagination] | None = None
    # What a suspended account may still do on the website (SCREENED_ALLOWED).
    open_when_screened = False


class MyProfile(MeView):
    required_alternate_scopes = {"GET": [["me:read"]]}
    serializer_class = CandidateSerializer

    @extend_schema(
        operation_id="me_profile",
        summary="My profile",
        description="Your profile in the shape an employer sees it, with every field group "
        "(`contact`, `address`, `date_of_birth` included). 404 until you start your profile.",
    )
    def get(self, request):
        profile = profile_of(request.user)
        if profile is None:
            raise Http404
        view = access.profile_view(profile_for_display(profile.pk), set(FieldGroup.values))
        return Response(CandidateSerializer(view).data)


class MyGrants(MeView):
    required_alternate_scopes = {"GET": [["me:read"]]}
    serializer_class = MyGrantSerializer

    @extend_schema(
        operation_id="me_grants",
        summary="Who has my profile",
        description="Every share grant you gave, running ones first.",
        responses=MyGrantSerializer(many=True),
    )
    def get(self, request):
        return Response(MyGrantSerializer(selectors.grants_of(request.user), many=True).data)


class MyGrantWithdraw(MeView):
    required_alternate_scopes = {"POST": [["me:consents"]]}
    serializer_class = MyGrantSerializer

    @extend_schema(
        operation_id="me_grant_withdraw",
        summary="Withdraw a grant",
        description="From this instant the employer sees nothing of your profile, on the website, in "
        "exports and in the API; they are told and reminded to delete their copies. Recorded in your "
        "consent history with channel `api`. Withdrawing an ended grant changes nothing.",
        request=None,
    )
    def post(self, request, grant_id: int):
        grant = selectors.grant_of(request.user, grant_id)
        if grant is None:
            raise Http404
        grant = services.share_grant_withdraw(actor=request.user, grant=grant, channel=Channel.API)
        return Response(MyGrantSerializer(grant).data)


def _purposes(user) -> dict:
    states = selectors.purpose_states(user)
    return {
        "purposes": [
            {"purpose": purpose.value, "label": str(purpose.label), "granted": states[purpose.value]}
            for purpose in EmailPurpose
        ]
    }


class MyEmailPurposes(MeView):
    required_alternate_scopes = {"GET": [["me:read"]], "PATCH": [["me:consents"]]}
    serializer_class = EmailPurposesSerializer
    open_when_screened = True

    @extend_schema(
        operation_id="me_email_purposes",
        summary="What Tsunagu may email me about",
        description="Each purpose, off unless you opted in; checked again when each email is sent.",
    )
    def get(self, request):
        return Response(EmailPurposesSerializer(_purposes(request.user)).data)

    @extend_schema(
        operation_id="me_email_purposes_change",
        summary="Change what Tsunagu may email me about",
        description="Send the purposes to change (`true` to opt in, `false` to opt out); the others stay. "
        "Each change is recorded in your consent history with channel `api`, with the notice in the "
        "language of Accept-Language.",
        request=EmailPurposeChoicesSerializer,
        responses=EmailPurposesSerializer,
    )
    def patch(self, request):
        choices = EmailPurposeChoicesSerializer(data=request.data)
        choices.is_valid(raise_exception=True)
        unknown = set(request.data) - set(EmailPurpose.values) if isinstance(request.data, dict) else set()
        if unknown:
            raise serializers.ValidationError({key: [_("There is no such purpose.")] for key in sorted(unknown)})
        services.purpose_consents_set(
            actor=request.user,
            user=request.user,
            choices=dict(choices.validated_data),
            language=get_language() or "en",
            channel=Channel.API,
        )
        return Response(EmailPurposesSerializer(_purposes(request.user)).data)
