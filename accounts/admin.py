from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Employer, EmployerInvitation, EmployerMember, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "is_active", "date_joined"]
    list_filter = ["role", "is_active", "groups"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["date_joined", "last_login"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "role", "language"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "role", "password1", "password2"]})]


class EmployerMemberInline(admin.TabularInline):
    model = EmployerMember
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["legal_name", "corporate_number", "industry", "created_at"]
    search_fields = ["legal_name", "corporate_number"]
    list_filter = ["industry"]
    inlines = [EmployerMemberInline]
    readonly_fields = ["created_at", "created_by"]


@admin.register(EmployerInvitation)
class EmployerInvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "employer", "member_role", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["member_role"]
    search_fields = ["email", "employer__legal_name"]
    readonly_fields = ["token_hash", "invited_by", "created_at", "accepted_at", "accepted_by"]

    def has_add_permission(self, request):
        # Invitations are created on the staff pages, which email the link.
        return False
