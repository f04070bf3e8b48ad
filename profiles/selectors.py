"""Reads of profile data that involve a rule: completeness, and the view of a
profile with only the field groups someone may see."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from profiles.models import (
    NO_EXPIRY_STATUSES,
    CandidateProfile,
    JapaneseCertificate,
    JapaneseTest,
    ModerationCase,
    ProfileEntry,
    SponsorshipRoute,
    SSWFieldRequirement,
    StatusOfResidence,
    StatusRule,
)
from profiles.sections import SECTIONS, SECTIONS_BY_SLUG
from profiles.validators import today


def profile_for_display(profile_id: int) -> CandidateProfile:
    """One profile with everything a profile page shows, in a fixed number of queries."""
    return (
        CandidateProfile.objects.select_related("user", "prefecture", "status", "status_verified_by")
        .prefetch_related(
            Prefetch("japanese_certificates", queryset=JapaneseCertificate.objects.select_related("level__test")),
            "languages",
            "qualifications__kind",
            "education",
            "work_history__category",
            "desired_categories",
            "desired_prefectures",
            "desired_employment_types",
        )
        .get(pk=profile_id)
    )


@dataclass
class SectionState:
    slug: str
    title: object
    required: bool
    missing: list = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing


def _missing(profile: CandidateProfile, slug: str) -> list:
    p = profile
    if slug == "basics":
        wanted = {
            "name_passport": _("name as in your passport"),
            "name_kana": _("name in katakana"),
            "nationality": _("nationality"),
            "country_of_residence": _("country you live in"),
            "date_of_birth": _("date of birth"),
            "phone": _("telephone"),
        }
        return [label for name, label in wanted.items() if not getattr(p, name)]
    if slug == "address":
        if p.overseas_address or (p.postal_code and p.prefecture_id and p.city and p.street):
            return []
        return [_("your address")]
    if slug == "status":
        if p.country_of_residence and p.country_of_residence != "JP":
            return []
        missing = [] if p.status_id else [_("status of residence")]
        if p.status is not None and p.status.code not in NO_EXPIRY_STATUSES and not p.period_of_stay_expiry:
            missing.append(_("end of your period of stay"))
        return missing
    if slug == "japanese":
        return [] if p.japanese_speaking else [_("how well you speak Japanese")]
    if slug == "education":
        return [] if p.education.all() else [_("at least one school")]
    if slug == "qualifications":
        return [] if p.qualifications.all() else [_("no qualifications added (optional)")]
    if slug == "work":
        return [] if p.work_history.all() else [_("no jobs added (optional)")]
    if slug == "preferences":
        missing = []
        if not p.desired_categories.all():
            missing.append(_("kinds of work"))
        if not p.desired_prefectures.all():
            missing.append(_("where in Japan"))
        if not p.desired_employment_types.all():
            missing.append(_("employment types"))
        if not p.earliest_start_date:
            missing.append(_("earliest start date"))
        return missing
    if slug == "introduction":
        return [] if p.self_introduction.strip() else [_("a few words about yourself")]
    return []


def profile_completeness(profile: CandidateProfile) -> list[SectionState]:
    """Every section with what it still lacks; use a profile_for_display()."""
    return [SectionState(s.slug, s.title, s.required, _missing(profile, s.slug)) for s in SECTIONS]


def missing_required_sections(profile: CandidateProfile) -> list[SectionState]:
    return [s for s in profile_completeness(profile) if s.required and not s.complete]


# What an application needs (docs/apply-ready.md): who the person is, their
# age (the minimum working age), where they live and, when in Japan, the
# status of residence that says whether they may take the work (Immigration
# Control Act Art. 73-2 makes employing someone without it an offence) and
# how well they speak Japanese. Everything else helps employers, but is not
# asked before applying.
APPLY_BASICS = {
    "name_passport": _("name as in your passport"),
    "date_of_birth": _("date of birth"),
    "nationality": _("nationality"),
    "country_of_residence": _("country you live in"),
}


def missing_to_apply(profile: CandidateProfile) -> list[SectionState]:
    """The sections an application still needs, each with only the items it
    needs (a profile_for_display() or a plain profile row)."""
    p = profile
    states = {slug: SectionState(slug, s.title, True) for slug, s in SECTIONS_BY_SLUG.items()}
    states["basics"].missing = [label for name, label in APPLY_BASICS.items() if not getattr(p, name)]
    if p.country_of_residence == "JP" and not (p.postal_code and p.prefecture_id and p.city):
        states["address"].missing = [_("postal code, prefecture and city")]
    states["status"].missing = _missing(p, "status")
    states["japanese"].missing = _missing(p, "japanese")
    return [states[slug] for slug in ("basics", "address", "status", "japanese") if states[slug].missing]


def completeness_percent(states: list[SectionState]) -> int:
    required = [s for s in states if s.required]
    return round(100 * sum(s.complete for s in required) / len(required)) if required else 100


def status_warning(profile: CandidateProfile) -> str | None:
    """Said wherever the profile is shown: the period of stay it gives has ended."""
    if profile.period_of_stay_expiry and profile.period_of_stay_expiry < today():
        return str(_("The period of stay entered has ended."))
    return None


def hidden_content_cases(profile: CandidateProfile) -> list[ModerationCase]:
    """The decision behind each part of the profile that is hidden now (the
    latest one per part), to tell the candidate why. A part the candidate has
    replaced since is shown again, so its old decision is not listed."""
    hidden_now = {
        ModerationCase.Target.SELF_INTRODUCTION: profile.self_introduction_hidden,
        ModerationCase.Target.PHOTO: profile.photo_hidden,
    }
    cases = []
    for target, hidden in hidden_now.items():
        if not hidden:
            continue
        case = (
            profile.moderation_cases.filter(state=ModerationCase.State.HIDDEN, target=target)
            .order_by("-decided_at")
            .first()
        )
        if case is not None:
            cases.append(case)
    return cases


def moderation_case(pk: int) -> ModerationCase | None:
    return ModerationCase.objects.select_related("reported_by", "decided_by").filter(pk=pk).first()


def profile_of(user: User) -> CandidateProfile | None:
    """The person's own profile, if they have started one."""
    return CandidateProfile.objects.filter(user=user).first()


def moderation_queue() -> tuple[QuerySet[ModerationCase], QuerySet[ModerationCase]]:
    """Open cases, and the 20 latest decisions."""
    cases = ModerationCase.objects.select_related("profile__user", "reported_by")
    open_cases = cases.filter(state=ModerationCase.State.OPEN)
    decided = (
        ModerationCase.objects.exclude(state=ModerationCase.State.OPEN)
        .select_related("profile__user", "decided_by")
        .order_by("-decided_at")[:20]
    )
    return open_cases, decided


def work_rules() -> dict:
    """The rule table the engine applies (staff read it; profiles.work_rules)."""
    return {
        "statuses": StatusOfResidence.objects.prefetch_related(
            "job_categories",
            Prefetch("rules", queryset=StatusRule.objects.prefetch_related("categories", "employment_types")),
        ),
        "fields": SSWFieldRequirement.objects.select_related(
            "field", "skills_test", "extra_qualification", "titp_completion", "ssw_ii_test"
        ),
        "routes": SponsorshipRoute.objects.select_related("status", "qualification").prefetch_related(
            "categories", "status__job_categories", "employment_types"
        ),
        "ssw_japanese_tests": ", ".join(t.label for t in JapaneseTest.objects.filter(counts_for_ssw=True)),
    }


def own_entry(kind_model: type[ProfileEntry], profile: CandidateProfile, pk: int) -> ProfileEntry | None:
    """One of the profile's own entries of a kind (None for anyone else's)."""
    return kind_model.objects.filter(pk=pk, profile=profile).first()


def profile_exists(profile_id: int) -> bool:
    return CandidateProfile.objects.filter(pk=profile_id).exists()


def owner_of_profile(profile_id: int) -> User | None:
    """The account a profile belongs to, or None."""
    profile = CandidateProfile.objects.select_related("user").filter(pk=profile_id).first()
    return profile.user if profile is not None else None
