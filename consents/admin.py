"""Staff records for consent. The ledger and access records are read-only
everywhere; policy versions are written here and published with an action."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from consents.models import AccessRecord, ConsentEvent, PolicyText, PolicyVersion
from consents.services import policy_version_publish
from profiles.models import CandidateProfile


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ConsentEvent)
class ConsentEventAdmin(ReadOnlyAdmin):
    list_display = [
        "occurred_at",
        "kind",
        "event",
        "channel",
        "employer_name",
        "purpose",
        "cookie_category",
        "app_name",
    ]
    list_filter = ["kind", "event", "channel"]
    search_fields = ["subject_key", "app_client_id"]


@admin.register(AccessRecord)
class AccessRecordAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "viewer_kind", "viewer_name", "employer_name", "channel", "reason"]
    list_filter = ["viewer_kind", "channel"]
    search_fields = ["subject_key", "viewer_name", "employer_name"]


class PolicyTextInline(admin.StackedInline):
    model = PolicyText
    extra = 0
    min_num = 2
    fields = ["language", "title", "summary", "body"]

    def has_change_permission(self, request, obj=None):
        # A published text is what people agreed to: it never changes.
        return obj is None or obj.published_at is None

    has_delete_permission = has_change_permission


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    list_display = ["kind", "version", "requires_consent", "published_at", "published_by"]
    list_filter = ["kind", "requires_consent"]
    inlines = [PolicyTextInline]
    actions = ["publish"]
    readonly_fields = ["published_at", "published_by"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.published_at is None)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.published_at is None)

    @admin.action(description=_("Publish now (announced on the site; asks for consent if marked)"))
    def publish(self, request, queryset):
        for version in queryset:
            try:
                policy_version_publish(actor=request.user, version=version)
            except ValidationError as exc:
                self.message_user(request, f"{version}: {'; '.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(request, _("Published: %(v)s") % {"v": version}, messages.SUCCESS)


@admin.register(CandidateProfile)
class CandidateProfileAdmin(admin.ModelAdmin):
    """Profiles are listed by number only. Opening one goes to the staff
    candidate page, which asks for a reason and records the access (every
    staff look at candidate data is logged: PRODUCT §1, §4). Nothing a
    candidate entered can be changed here."""

    list_display = ["id", "created_at", "updated_at"]
    search_fields = ["=id", "=user__email"]
    ordering = ["-updated_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Erasure goes through the privacy-rights flow, which keeps what the law requires.
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not str(object_id).isdigit():
            raise Http404
        return redirect("consents:staff_candidate", profile_id=int(object_id))
