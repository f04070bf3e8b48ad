"""A candidate's own applications, for the apps they let in (scope
`me:read`; consents.api_me has the rest of their own data)."""

from drf_spectacular.utils import extend_schema

from accounts.api_base import Cursor
from consents.api_me import MeView
from matching import selectors
from matching.serializers import MyApplicationSerializer


class MyApplicationCursor(Cursor):
    ordering = "-id"


class MyApplications(MeView):
    required_alternate_scopes = {"GET": [["me:read"]]}
    serializer_class = MyApplicationSerializer
    pagination_class = MyApplicationCursor

    @extend_schema(
        operation_id="me_applications",
        summary="My applications",
        description="Newest first, in pages (follow `next`).",
        responses=MyApplicationSerializer(many=True),
    )
    def get(self, request):
        page = self.paginate_queryset(selectors.applications_of(request.user))
        return self.get_paginated_response(MyApplicationSerializer(page, many=True).data)
