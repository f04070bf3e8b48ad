"""Staff records: the taxonomies are editable (the rules change). Candidate
profiles are registered in consents.admin, where every look is recorded."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from profiles.models import (
    EmploymentType,
    JapaneseLevel,
    JapaneseTest,
    JobCategory,
    ModerationCase,
    Prefecture,
    QualificationKind,
    SponsorshipRoute,
    SSWFieldRequirement,
    StatusOfResidence,
    StatusRule,
)


class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ["code", "label_en", "label_ja", "sort_order", "active"]
    list_editable = ["sort_order", "active"]
    search_fields = ["code", "label_en", "label_ja"]
    list_filter = ["active"]

    def get_readonly_fields(self, request, obj=None):
        # Codes are referenced by rules and data: fixed once created.
        return ["code"] if obj else []

    def has_delete_permission(self, request, obj=None):
        # Profiles point at these: retire an entry with "offered" instead.
        return False


@admin.register(StatusOfResidence)
class StatusOfResidenceAdmin(TaxonomyAdmin):
    list_display = ["code", "label_en", "label_ja_official", "work_rule", "part_time_hours_limit", "active"]
    list_editable = ["active"]
    list_filter = ["work_rule", "active"]
    filter_horizontal = ["job_categories"]


@admin.register(JobCategory)
class JobCategoryAdmin(TaxonomyAdmin):
    list_display = ["code", "label_en", "label_ja", "is_ssw_field", "ssw_ii_allowed", "sort_order", "active"]
    list_filter = ["is_ssw_field", "ssw_ii_allowed", "active"]
    search_fields = ["code", "label_en", "label_ja", "readings"]


@admin.register(Prefecture)
class PrefectureAdmin(TaxonomyAdmin):
    list_display = ["code", "label_en", "label_ja", "readings", "sort_order", "active"]
    search_fields = ["code", "label_en", "label_ja", "readings"]


@admin.register(JapaneseLevel)
class JapaneseLevelAdmin(TaxonomyAdmin):
    list_display = ["code", "test", "label_en", "scale", "sort_order", "active"]
    list_filter = ["test", "active"]


admin.site.register(JapaneseTest, TaxonomyAdmin)
admin.site.register(QualificationKind, TaxonomyAdmin)
admin.site.register(EmploymentType, TaxonomyAdmin)


class WorkRuleAdmin(admin.ModelAdmin):
    """The work rules the matching engine applies. Every change is effective
    at once, for every ranking and page: keep the source and the date checked
    up to date, and mark what is unsure."""

    list_filter = ["unconfirmed"]
    search_fields = ["note", "source"]
    date_hierarchy = "checked_on"


@admin.register(StatusRule)
class StatusRuleAdmin(WorkRuleAdmin):
    list_display = [
        "code",
        "status",
        "any_kind_of_work",
        "min_weekly_hours",
        "max_weekly_hours",
        "needs_permission",
        "ssw_level",
        "employer_bound",
        "checked_on",
        "unconfirmed",
    ]
    list_filter = ["unconfirmed", "needs_permission", "employer_bound", "ssw_level", "status"]
    search_fields = ["code", "note", "source", "status__label_en", "status__label_ja"]
    filter_horizontal = ["categories", "employment_types"]
    list_select_related = ["status"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []


@admin.register(SSWFieldRequirement)
class SSWFieldRequirementAdmin(WorkRuleAdmin):
    list_display = ["field", "japanese_scale", "extra_qualification", "dispatch_allowed", "ssw_ii_test", "checked_on"]
    list_select_related = ["field", "extra_qualification", "ssw_ii_test"]


@admin.register(SponsorshipRoute)
class SponsorshipRouteAdmin(WorkRuleAdmin):
    list_display = ["code", "status", "needs_degree", "min_years_experience", "qualification", "checked_on"]
    filter_horizontal = ["categories", "employment_types"]
    list_select_related = ["status", "qualification"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []


@admin.register(ModerationCase)
class ModerationCaseAdmin(admin.ModelAdmin):
    list_display = ["id", "profile", "target", "category", "state", "reported_at", "decided_at"]
    list_filter = ["state", "target", "category"]
    readonly_fields = [f.name for f in ModerationCase._meta.fields]
    verbose_name = _("moderation case")

    def has_add_permission(self, request):
        return False
