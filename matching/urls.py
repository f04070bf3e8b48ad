from django.urls import path

from matching import views

app_name = "matching"

urlpatterns = [
    # Public job board
    path("jobs/", views.board, name="board"),
    path("jobs/<int:pk>/", views.opening_detail, name="opening"),
    # Candidates
    path("companies/<int:pk>/", views.company, name="company"),
    path("companies/<int:pk>/logo.jpg", views.company_logo, name="company_logo"),
    path("jobs/<int:pk>/apply/", views.apply, name="apply"),
    path("me/applications/", views.my_applications, name="my_applications"),
    path("me/applications/<int:pk>/", views.my_application, name="my_application"),
    path("me/applications/<int:pk>/withdraw/", views.my_application_withdraw, name="my_application_withdraw"),
    path("me/proposals/", views.my_proposals, name="my_proposals"),
    path("me/proposals/<int:pk>/", views.my_proposal, name="my_proposal"),
    path("me/recommended/", views.recommendations, name="recommendations"),
    path("me/applications/<int:pk>/messages/", views.my_application_message, name="my_application_message"),
    path("me/applications/<int:pk>/interview/", views.my_application_interview, name="my_application_interview"),
    path(
        "me/applications/<int:pk>/interview.ics",
        views.my_application_interview_ics,
        name="my_application_interview_ics",
    ),
    path("me/messages/", views.my_messages, name="messages"),
    path("messages/<int:pk>/report/", views.message_report, name="message_report"),
    # Employers
    path("employer/openings/", views.employer_openings, name="employer_openings"),
    path("employer/company-page/", views.employer_company_page, name="employer_company_page"),
    path("employer/openings/new/", views.employer_opening_edit, name="employer_opening_new"),
    path("employer/openings/<int:pk>/", views.employer_opening, name="employer_opening"),
    path("employer/openings/<int:pk>/edit/", views.employer_opening_edit, name="employer_opening_edit"),
    path("employer/openings/<int:pk>/board/", views.employer_opening_board, name="employer_opening_board"),
    path("employer/message-templates/", views.employer_message_templates, name="employer_message_templates"),
    path("employer/message-templates/<int:pk>/", views.employer_message_template, name="employer_message_template"),
    path("employer/applications/<int:pk>/", views.employer_application, name="employer_application"),
    path("employer/webhooks/", views.employer_webhooks, name="employer_webhooks"),
    path("employer/webhooks/<int:pk>/", views.employer_webhook, name="employer_webhook"),
    path("employer/webhooks/<int:pk>/stop/", views.employer_webhook_stop, name="employer_webhook_stop"),
    path("employer/webhooks/<int:pk>/start/", views.employer_webhook_start, name="employer_webhook_start"),
    path("employer/webhooks/<int:pk>/rotate-secret/", views.employer_webhook_rotate, name="employer_webhook_rotate"),
    path(
        "employer/webhooks/<int:pk>/replace-secret/",
        views.employer_webhook_replace_secret,
        name="employer_webhook_replace_secret",
    ),
    path("employer/webhooks/<int:pk>/delete/", views.employer_webhook_delete, name="employer_webhook_delete"),
    path("employer/webhooks/<int:pk>/test/", views.employer_webhook_test, name="employer_webhook_test"),
    path(
        "employer/applications/<int:pk>/messages/",
        views.employer_application_message,
        name="employer_application_message",
    ),
    # Staff
    path("staff/message-reports/", views.staff_message_reports, name="staff_message_reports"),
    path("staff/openings/", views.staff_openings, name="staff_openings"),
    path("staff/openings/<int:pk>/", views.staff_opening, name="staff_opening"),
    path("staff/openings/<int:pk>/unpublish/", views.staff_opening_unpublish, name="staff_opening_unpublish"),
]
