from django.urls import path

from consents import views

app_name = "consents"

urlpatterns = [
    # Public
    path("policies/", views.policy_list, name="policy_list"),
    path("policies/accept/", views.policy_accept, name="policy_accept"),
    path("policies/banner/dismiss/", views.policy_banner_dismiss, name="policy_banner_dismiss"),
    path("policies/<slug:kind>/", views.policy_current, name="policy"),
    path("policies/<slug:kind>/<str:version>/", views.policy_version, name="policy_version"),
    path("cookies/", views.cookie_settings, name="cookie_settings"),
    # Candidate
    path("profile/preview/", views.profile_preview, name="profile_preview"),
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
    path("staff/statistics/", views.staff_statistics, name="staff_statistics"),
    path("staff/statistics.csv", views.staff_statistics_csv, name="staff_statistics_csv"),
]
