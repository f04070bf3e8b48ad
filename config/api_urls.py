"""The API, version 1 (docs/api.md): /api/v1/, no language prefix (the
language of messages comes from Accept-Language)."""

from csp.constants import NONCE
from csp.decorators import csp_update
from django.urls import path
from django.utils.cache import patch_cache_control
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from oauth2_provider import views as oauth
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from accounts.views import AppAuthorizationView
from consents import api as consents_api
from consents import api_me as consents_me
from consents.privacy import api_me as privacy_me
from matching import api as matching_api
from matching import api_me as matching_me

app_name = "api"


class Public(APIView):
    """The schema and its readers: public, no token looked at (and, like
    every API answer, kept by no cache: it changes with each release)."""

    authentication_classes = ()
    permission_classes = (AllowAny,)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response


class SchemaView(Public, SpectacularAPIView):
    pass


class SwaggerView(Public, SpectacularSwaggerSplitView):
    # Our template: no inline script or style (strict CSP).
    template_name = "api/swagger_ui.html"


class RedocView(Public, SpectacularRedocView):
    template_name = "api/redoc.html"


urlpatterns = [
    # OAuth 2.0 (django-oauth-toolkit): tokens (client credentials for employers'
    # systems; authorization code + PKCE and refresh for candidates' apps), the
    # candidate's consent page, revocation.
    path("oauth/authorize/", AppAuthorizationView.as_view(), name="authorize"),
    path("oauth/token/", oauth.TokenView.as_view(), name="token"),
    path("oauth/revoke/", oauth.RevokeTokenView.as_view(), name="revoke"),
    # The schema and its readers (served from drf-spectacular-sidecar's files).
    path("schema/", SchemaView.as_view(api_version="1"), name="schema"),
    path("schema/swagger/", SwaggerView.as_view(url_name="api:schema"), name="swagger"),
    path(
        "schema/redoc/",
        csp_update({"style-src": [NONCE]})(RedocView.as_view(url_name="api:schema")),
        name="redoc",
    ),
    # Employers' systems (client credentials).
    path("openings/", matching_api.OpeningList.as_view(), name="openings"),
    path("openings/<int:pk>/", matching_api.OpeningDetail.as_view(), name="opening"),
    path("openings/<int:pk>/open/", matching_api.OpeningOpen.as_view(), name="opening_open"),
    path("openings/<int:pk>/close/", matching_api.OpeningClose.as_view(), name="opening_close"),
    path("applications/", matching_api.ApplicationList.as_view(), name="applications"),
    path("applications/<int:pk>/", matching_api.ApplicationDetail.as_view(), name="application"),
    path("applications/<int:pk>/move/", matching_api.ApplicationMove.as_view(), name="application_move"),
    path("applications/<int:pk>/notes/", matching_api.ApplicationNotes.as_view(), name="application_notes"),
    path("applications/<int:pk>/messages/", matching_api.ApplicationMessages.as_view(), name="application_messages"),
    path(
        "applications/<int:pk>/interviews/", matching_api.ApplicationInterviews.as_view(), name="application_interviews"
    ),
    path(
        "applications/<int:pk>/interviews/<int:interview_id>/cancel/",
        matching_api.ApplicationInterviewCancel.as_view(),
        name="application_interview_cancel",
    ),
    path("applications/<int:pk>/candidate/", matching_api.ApplicationCandidate.as_view(), name="application_candidate"),
    path("candidates/<int:profile_id>/", consents_api.CandidateDetail.as_view(), name="candidate"),
    path("webhooks/", matching_api.WebhookList.as_view(), name="webhooks"),
    path("webhooks/<int:pk>/", matching_api.WebhookDetail.as_view(), name="webhook"),
    path("webhooks/<int:pk>/deliveries/", matching_api.WebhookDeliveries.as_view(), name="webhook_deliveries"),
    path("webhooks/<int:pk>/test/", matching_api.WebhookTest.as_view(), name="webhook_test"),
    path("webhooks/<int:pk>/rotate-secret/", matching_api.WebhookRotateSecret.as_view(), name="webhook_rotate_secret"),
    # Candidates' own apps (authorization code + PKCE): the candidate's own data.
    path("me/profile/", consents_me.MyProfile.as_view(), name="me_profile"),
    path("me/applications/", matching_me.MyApplications.as_view(), name="me_applications"),
    path("me/grants/", consents_me.MyGrants.as_view(), name="me_grants"),
    path("me/grants/<int:grant_id>/withdraw/", consents_me.MyGrantWithdraw.as_view(), name="me_grant_withdraw"),
    path("me/email-purposes/", consents_me.MyEmailPurposes.as_view(), name="me_email_purposes"),
    path("me/exports/", privacy_me.MyExports.as_view(), name="me_exports"),
    path("me/exports/<int:pk>/", privacy_me.MyExport.as_view(), name="me_export"),
    path("me/exports/<int:pk>/download/", privacy_me.MyExportDownload.as_view(), name="me_export_download"),
    # The public job board (no token).
    path("board/openings/", matching_api.BoardOpenings.as_view(), name="board_openings"),
    path("board/openings/<int:pk>/", matching_api.BoardOpening.as_view(), name="board_opening"),
    path("board/companies/<int:pk>/", matching_api.BoardCompany.as_view(), name="board_company"),
]
