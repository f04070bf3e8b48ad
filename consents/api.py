"""Consents over the API: a candidate as an employer's system may see them
(only through consents.access, recorded with channel `api`)."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from accounts.api_base import EmployerClient, ScopesRequired
from accounts.api_framework import ApiView
from consents import access
from consents.models import Channel
from consents.serializers import CandidateSerializer


class CandidateDetail(ApiView):
    permission_classes = [EmployerClient, ScopesRequired]
    required_alternate_scopes = {"GET": [["candidates:read"]]}
    serializer_class = CandidateSerializer

    @extend_schema(
        operation_id="candidate_retrieve",
        summary="A candidate, as their grant to your company allows",
        description=(
            "404 unless the candidate shares their profile with your company now (an active grant, "
            "your company's Data Use Agreement accepted, no restriction). Every read is recorded and "
            "shown to the candidate."
        ),
    )
    def get(self, request, profile_id: int):
        view = access.candidate_view_for(request.user, profile_id, channel=Channel.API)
        if view is None:
            raise Http404
        return Response(CandidateSerializer(view).data)
