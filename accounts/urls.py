from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("me/", views.dashboard, name="dashboard"),
    path("accounts/login/password/", views.password_login, name="password_login"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("company/", views.company, name="company"),
    path("company/api/", views.company_api, name="company_api"),
    path("company/api/<int:pk>/revoke/", views.company_api_revoke, name="company_api_revoke"),
    path("company/invitations/<int:pk>/revoke/", views.company_invitation_revoke, name="company_invitation_revoke"),
    path("staff/employers/", views.staff_employer_list, name="staff_employer_list"),
    path("staff/employers/new/", views.staff_employer_create, name="staff_employer_create"),
    path("staff/employers/<int:pk>/", views.staff_employer_detail, name="staff_employer_detail"),
    path("staff/screening/", views.staff_screening, name="staff_screening"),
    path("staff/screening/<int:pk>/", views.staff_account_screen, name="staff_account_screen"),
    path("me/account-notice/", views.screening_notice, name="screening_notice"),
    path("me/language/", views.language, name="language"),
    path("me/apps/", views.my_apps, name="my_apps"),
    path("me/apps/<int:pk>/revoke/", views.my_app_revoke, name="my_app_revoke"),
    path("me/apps/<int:pk>/disconnect/", views.my_app_disconnect, name="my_app_disconnect"),
]
