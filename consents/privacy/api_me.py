"""A candidate's data export, for the apps they let in (docs/api.md, "Apps
of your own"): start it, follow it, download it, with the same service and
one-at-a-time rule as the website's "Prepare my data". Scope `me:read`; a
suspended account keeps it, as on the website. The other /api/v1/me/
endpoints are consents.api_me, whose MeView these build on."""

from django.http import FileResponse, Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response

from consents.api_me import MeView
from consents.privacy import selectors as privacy_selectors
from consents.privacy import services as privacy
from consents.privacy.models import DataExport
from consents.serializers import DataExportSerializer


def _export_answer(request, export: DataExport, *, status_code: int = status.HTTP_200_OK) -> Response:
    url = (
        request.build_absolute_uri(reverse("api:me_export_download", args=[export.pk]))
        if export.is_downloadable
        else None
    )
    return Response(DataExportSerializer(export, context={"download_url": url}).data, status=status_code)


class MyExports(MeView):
    required_alternate_scopes = {"POST": [["me:read"]]}
    serializer_class = DataExportSerializer
    open_when_screened = True

    @extend_schema(
        operation_id="me_export_start",
        summary="Prepare a copy of all my data",
        description='Starts building the archive the website\'s "Prepare my data" builds (one at a time: '
        "while one is being prepared, you get that one). Poll its status; when `ready`, download it.",
        request=None,
        responses={202: DataExportSerializer},
    )
    def post(self, request):
        export = privacy.data_export_request(user=request.user)
        return _export_answer(request, export, status_code=status.HTTP_202_ACCEPTED)


class MyExport(MeView):
    required_alternate_scopes = {"GET": [["me:read"]]}
    serializer_class = DataExportSerializer
    open_when_screened = True

    @extend_schema(
        operation_id="me_export_status",
        summary="How my data export is going",
        description="`download_url` is set while the archive is ready (for 7 days, then it is deleted).",
    )
    def get(self, request, pk: int):
        export = privacy_selectors.export_of(request.user, pk)
        if export is None:
            raise Http404
        return _export_answer(request, export)


class MyExportDownload(MeView):
    required_alternate_scopes = {"GET": [["me:read"]]}
    open_when_screened = True

    def perform_content_negotiation(self, request, force=False):
        # The answer is a zip file, whatever Accept says (errors stay JSON).
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="me_export_download",
        summary="Download my data export",
        description="The zip file (JSON and a readable page), while it is ready and not yet deleted (7 days).",
        responses={(200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY, description="The archive.")},
    )
    def get(self, request, pk: int):
        export = privacy_selectors.export_of(request.user, pk, ready=True)
        if export is None or not export.is_downloadable:
            raise Http404
        privacy.data_export_mark_downloaded(export=export)
        return FileResponse(
            export.file.open("rb"), as_attachment=True, filename="tsunagu-my-data.zip", content_type="application/zip"
        )
