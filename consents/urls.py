from django.urls import path

from consents import privacy_views, views

app_name = "consents"

urlpatterns = [
    # Public
    path("policies/", views.policy_list, name="policy_list"),
    path("policies/accept/", views.policy_accept, name="policy_accept"),
    path("policies/<slug:kind>/", views.policy_current, name="policy"),
    path("policies/<slug:kind>/<str:version>/", views.policy_version, name="policy_version"),
    path("cookies/", views.cookie_settings, name="cookie_settings"),
    # Candidate
    path("me/consents/", views.my_consents, name="my_consents"),
    path("me/consents/<int:event_id>/receipt.json", views.consent_receipt, name="consent_receipt"),
    path("me/sharing/", views.sharing, name="sharing"),
    path("me/sharing/<int:grant_id>/withdraw/", views.grant_withdraw, name="grant_withdraw"),
    path("me/sharing/employers/<int:employer_id>/", views.share_with_employer, name="share_with_employer"),
    path("me/access-log/", views.access_log, name="access_log"),
    path("me/email-preferences/", views.email_preferences, name="email_preferences"),
    # Employer
    path("employer/agreement/", views.employer_agreement, name="employer_agreement"),
    path("employer/candidates/", views.employer_candidates, name="employer_candidates"),
    path("employer/candidates/<int:profile_id>/", views.employer_candidate, name="employer_candidate"),
    path(
        "employer/candidates/<int:profile_id>/photo/<str:size>/",
        views.employer_candidate_photo,
        name="employer_candidate_photo",
    ),
    # One-click unsubscribe (signed link in every purpose mail)
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    # Privacy rights
    path("me/privacy/", privacy_views.centre, name="privacy_centre"),
    path("me/privacy/exports/", privacy_views.export_start, name="privacy_export_start"),
    path("me/privacy/exports/<int:pk>/", privacy_views.export_status, name="privacy_export"),
    path(
        "me/privacy/exports/<int:pk>/download/<str:token>/",
        privacy_views.export_download,
        name="privacy_export_download",
    ),
    path("me/privacy/restriction/", privacy_views.restriction, name="privacy_restriction"),
    path("me/privacy/withdraw/", privacy_views.withdraw, name="privacy_withdraw"),
    path("privacy/goodbye/", privacy_views.goodbye, name="privacy_goodbye"),
    path("privacy/requests/new/", privacy_views.request_new, name="privacy_request_new"),
    path("privacy/requests/thanks/", privacy_views.request_thanks, name="privacy_request_thanks"),
    path("privacy/california/", privacy_views.california, name="privacy_california"),
    path("privacy/export-schema/", privacy_views.export_schema, name="privacy_export_schema"),
    path("staff/privacy/requests/", privacy_views.staff_requests, name="staff_privacy_requests"),
    path("staff/privacy/requests/<int:pk>/", privacy_views.staff_request, name="staff_privacy_request"),
    path("staff/incidents/", privacy_views.staff_incidents, name="staff_incidents"),
    path("staff/incidents/<int:pk>/", privacy_views.staff_incidents, name="staff_incident"),
    # Staff
    path("staff/campaigns/", views.staff_campaigns, name="staff_campaigns"),
    path("staff/campaigns/new/", views.staff_campaign_edit, name="staff_campaign_new"),
    path("staff/campaigns/<int:pk>/", views.staff_campaign, name="staff_campaign"),
    path("staff/campaigns/<int:pk>/edit/", views.staff_campaign_edit, name="staff_campaign_edit"),
    path("staff/candidates/", views.staff_candidates, name="staff_candidates"),
    path("staff/candidates/<int:profile_id>/", views.staff_candidate, name="staff_candidate"),
    path(
        "staff/candidates/<int:profile_id>/photo/<str:size>/",
        views.staff_candidate_photo,
        name="staff_candidate_photo",
    ),
    path(
        "staff/candidates/<int:profile_id>/verify-status/", views.staff_status_verify, name="staff_status_verify"
    ),
    path("staff/moderation/<int:pk>/", views.staff_moderation_case, name="staff_moderation_case"),
]
