"""The one place that decides what an employer member may see.

Every page, export, email and API endpoint that shows candidate data to an
employer asks this module; nothing else filters candidates for employers
(see ../shared/STYLE.md). The rules:

1. No member of an employer sees any candidate before the employer's admin
   accepted the current Data Use Agreement.
2. A candidate is visible to an employer only through an active share grant
   to that employer: not ended, and not past its expiry at this instant.
3. Never while the candidate has restricted the use of their data, nor
   while a registration screening decision (suspension, refusal) is in
   force for the candidate or for the member (accounts.ScreeningDecision):
   from the next request, the state is on the User row.
4. Only the field groups the grant includes.

Every view of candidate data by an employer member or by staff writes an
AccessRecord (the APPI record of provision to third parties): a profile
page, a photo, and each candidate shown in a list (one bulk insert per
page). Staff always give a reason first: typed on the reason form, or the
task the page is for (a moderation case, verifying a status, ranking for an
opening), recorded with the look.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, TypeAlias, TypedDict, cast

from django.core import signing
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.urls import reverse

from accounts.models import Employer, User
from accounts.selectors import employer_of
from consents.models import (
    OPTIONAL_FIELD_GROUPS,
    AccessRecord,
    Channel,
    EmployerAgreement,
    FieldGroup,
    PolicyKind,
    PolicyVersion,
    ProcessingRestriction,
    ShareGrant,
)
from consents.services import subject_key_for, subject_keys_for
from profiles.models import CandidateProfile
from profiles.selectors import profile_for_display, status_warning
from profiles.validators import age_on, today

if TYPE_CHECKING:  # django-stubs-ext is a development requirement only
    from django_stubs_ext import WithAnnotations

# --- The shape a candidate is shown in --------------------------------------------


@dataclass
class ProfileView:
    """A profile with only the field groups the viewer may see."""

    profile: CandidateProfile
    groups: frozenset
    age: int | None
    date_of_birth: date | None
    email: str | None
    phone: str | None
    address: dict | None
    show_photo: bool
    self_introduction: str
    status_warning: str | None
    # Where the viewer fetches the photo from (set by the access decision).
    photo_url: str | None = None

    @property
    def field_groups(self) -> list[str]:
        return sorted(self.groups)


def profile_view(profile: CandidateProfile, groups: set[str] | frozenset[str]) -> ProfileView:
    """The one shape every page that shows a candidate to someone else
    renders (and the candidate's own preview): only the field groups in
    `groups`, which the access decision chose."""
    groups = frozenset(groups) | {FieldGroup.CORE}
    p = profile
    address = None
    if FieldGroup.ADDRESS in groups:
        address = {
            "postal_code": p.postal_code,
            "prefecture": p.prefecture.label if p.prefecture is not None else "",
            "city": p.city,
            "street": p.street,
            "overseas": p.overseas_address,
        }
    return ProfileView(
        profile=p,
        groups=groups,
        age=age_on(p.date_of_birth, today()) if p.date_of_birth else None,
        date_of_birth=p.date_of_birth if FieldGroup.DATE_OF_BIRTH in groups else None,
        email=p.user.email if FieldGroup.CONTACT in groups else None,
        phone=p.phone if FieldGroup.CONTACT in groups else None,
        address=address,
        show_photo=FieldGroup.PHOTO in groups and bool(p.photo) and not p.photo_hidden,
        self_introduction="" if p.self_introduction_hidden else p.self_introduction,
        status_warning=status_warning(p),
    )


# --- Who may see whom --------------------------------------------------------------


def _current_agreement(employer: Employer) -> QuerySet[EmployerAgreement]:
    """The company's acceptance of the Data Use Agreement in force (if any)."""
    current = PolicyVersion.objects.current_pk(PolicyKind.DATA_USE)
    return EmployerAgreement.objects.filter(employer=employer, version=Subquery(current))


def employer_has_current_agreement(employer: Employer) -> bool:
    """Has the company accepted the Data Use Agreement in force? One query
    (asked on every employer page and API call, often twice)."""
    return _current_agreement(employer).exists()


def _restricted(user_ref) -> Exists:
    return Exists(ProcessingRestriction.objects.active().filter(user=user_ref))


def active_grants(employer: Employer) -> QuerySet[ShareGrant]:
    """Grants in force now: the clock decides, not a batch job."""
    return (
        ShareGrant.objects.active()
        .filter(employer=employer)
        .filter(~_restricted(OuterRef("candidate")), candidate__is_active=True, candidate__screening="")
    )


def _employer_of(member: User) -> Employer | None:
    """The member's employer, unless a screening decision is in force for them."""
    if getattr(member, "screening", ""):
        return None
    return employer_of(member)


class _GrantOfProfile(TypedDict):
    grant_id: int  # never NULL: the same statement checks the grant exists


# A profile annotated with the grant it is visible through.
VisibleProfile: TypeAlias = "WithAnnotations[CandidateProfile, _GrantOfProfile]"


def candidates_visible_to(member: User) -> QuerySet[VisibleProfile]:
    """The profiles this member may see now (empty for anyone else), each
    with the `grant_id` it is visible through."""
    employer = _employer_of(member)
    if employer is None or not employer_has_current_agreement(employer):
        # Empty: no row to lack the annotation.
        return cast("QuerySet[VisibleProfile]", CandidateProfile.objects.none())
    grants = active_grants(employer).filter(candidate=OuterRef("user"))
    return (
        CandidateProfile.objects.filter(Exists(grants))
        .annotate(grant_id=Subquery(grants.values("pk")[:1]))
        .select_related("user")
    )


def grant_for(member: User, profile: CandidateProfile) -> ShareGrant | None:
    """The grant through which `member` may see `profile` now, or None."""
    employer = _employer_of(member)
    if employer is None or not employer_has_current_agreement(employer):
        return None
    return active_grants(employer).filter(candidate_id=profile.user_id).first()


def visible_candidate_user_ids(employer: Employer) -> QuerySet:
    """For other apps' list queries (e.g. applications): the candidate user
    ids whose data this employer may see now. Use in filters/annotations:
    the agreement is checked in the same statement (no query of its own)."""
    return active_grants(employer).filter(Exists(_current_agreement(employer))).values("candidate_id")


def candidate_view_of_user(member: User, candidate_id: int | None, *, channel: str = Channel.WEB) -> ProfileView | None:
    """`candidate_view_for` by the candidate's account (an application names
    the person, not the profile); None if there is nothing to show."""
    if candidate_id is None:
        return None
    profile_id = CandidateProfile.objects.filter(user_id=candidate_id).values_list("pk", flat=True).first()
    return candidate_view_for(member, profile_id, channel=channel) if profile_id else None


def may_see_candidate(member: User, candidate_id: int | None) -> bool:
    """Does `member` see this candidate now (an active grant, agreement in force)?"""
    employer = _employer_of(member)
    if candidate_id is None or employer is None or not employer_has_current_agreement(employer):
        return False
    return active_grants(employer).filter(candidate_id=candidate_id).exists()


def field_groups_for(member: User, candidate_id: int | None) -> frozenset[str]:
    """The field groups of this candidate `member` may see now (empty if
    none): for what is sent rather than shown (a calendar invitation's
    attendees), which records no look of its own."""
    employer = _employer_of(member)
    if candidate_id is None or employer is None or not employer_has_current_agreement(employer):
        return frozenset()
    grant = active_grants(employer).filter(candidate_id=candidate_id).first()
    return frozenset(grant.field_groups) if grant is not None else frozenset()


def shares_with(candidate_id: int | None, employer: Employer) -> bool:
    """Does this candidate share their profile with this employer now (an
    active grant, the agreement in force)? The candidate's side of the
    decision `may_see_candidate` makes for a member: a conversation on an
    application is open for the candidate only while it holds."""
    if candidate_id is None or not employer_has_current_agreement(employer):
        return False
    return active_grants(employer).filter(candidate_id=candidate_id).exists()


def candidate_view_for(member: User, profile_id: int, *, channel: str = Channel.WEB) -> ProfileView | None:
    """The profile as `member` may see it now, recording the view; None if
    they may not see it at all (callers answer 404)."""
    profile = CandidateProfile.objects.filter(pk=profile_id).only("pk", "user_id").first()
    if profile is None:
        return None
    grant = grant_for(member, profile)
    if grant is None:
        return None
    view = profile_view(profile_for_display(profile.pk), grant.field_groups)
    record_access(
        profile=view.profile, viewer=member, groups=view.groups, channel=channel, employer=grant.employer, grant=grant
    )
    return view


def employer_photo_of(member: User, profile_id: int) -> CandidateProfile | None:
    """The profile whose photo `member` may see now (its grant includes the
    photo and moderation has not hidden it), or None."""
    profile = CandidateProfile.objects.filter(pk=profile_id).first()
    if profile is None:
        return None
    grant = grant_for(member, profile)
    return profile if grant and grant.include_photo and not profile.photo_hidden else None


def staff_candidate_search(staff: User, query: str) -> QuerySet[CandidateProfile]:
    """Find a candidate by profile number or exact email: identifiers only
    (opening a profile asks for a reason and is recorded)."""
    query = query.strip()[:200]
    if not staff.is_staff_member or not query:
        return CandidateProfile.objects.none()
    profiles = CandidateProfile.objects.select_related("user")
    return profiles.filter(pk=int(query)) if query.isdigit() else profiles.filter(user__email__iexact=query)


def candidate_exists(profile_id: int) -> bool:
    return CandidateProfile.objects.filter(pk=profile_id).exists()


def staff_candidate_view(
    staff: User,
    profile_id: int,
    *,
    reason: str,
    groups: Iterable[str] = OPTIONAL_FIELD_GROUPS,
    channel: str = Channel.WEB,
    photo_size: str = "thumb",
) -> ProfileView | None:
    """Staff see the profile (every field group, or those named) for a
    stated reason that is recorded. The photo is not in the page: its URL
    (`view.photo_url`, from `staff_photo_url`) records its own look."""
    if not staff.is_staff_member or not reason.strip():
        return None
    if not CandidateProfile.objects.filter(pk=profile_id).exists():
        return None
    view = profile_view(profile_for_display(profile_id), set(groups))
    record = record_access(
        profile=view.profile, viewer=staff, groups=view.groups - {FieldGroup.PHOTO}, channel=channel, reason=reason
    )
    view.photo_url = staff_photo_url(staff, profile_id, record, photo_size) if view.show_photo else None
    return view


STAFF_PHOTO_SALT = "tsunagu.staff-photo-look"
# How long the photo link of a staff page works (the page's look, extended
# to the photo it shows).
STAFF_PHOTO_MAX_AGE = 15 * 60


def staff_photo_url(staff: User, profile_id: int, record: AccessRecord, size: str = "thumb") -> str:
    """A link to the photo for the staff member whose look `record` is:
    signed, bound to them and to this profile, short-lived. The reason is
    not in the link (links end up in logs); the photo's own record copies
    it from `record`."""
    token = signing.dumps({"s": staff.pk, "p": profile_id, "a": record.pk}, salt=STAFF_PHOTO_SALT)
    return reverse("consents:staff_candidate_photo", args=[profile_id, size]) + f"?look={token}"


def staff_photo_look(staff: User, profile_id: int, token: str) -> CandidateProfile | None:
    """The profile whose photo `staff` may fetch with `token`, recording the
    look with the reason of the page it belongs to; None otherwise."""
    if not staff.is_staff_member:
        return None
    try:
        data = signing.loads(token[:400], salt=STAFF_PHOTO_SALT, max_age=STAFF_PHOTO_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("s") != staff.pk or data.get("p") != profile_id:
        return None
    if not isinstance(data.get("a"), int):  # the page's record (staff_photo_url always puts one)
        return None
    page_look = AccessRecord.objects.filter(pk=data["a"], viewer_id=staff.pk).first()
    profile = CandidateProfile.objects.select_related("user").filter(pk=profile_id).first()
    if page_look is None or profile is None:
        return None
    record_access(
        profile=profile, viewer=staff, groups={FieldGroup.PHOTO}, channel=page_look.channel, reason=page_look.reason
    )
    return profile


def record_list_access(
    *,
    viewer: User,
    candidate_ids: Iterable[int],
    channel: str,
    groups: Iterable[str] = (FieldGroup.CORE,),
    employer: Employer | None = None,
    grant_ids: Mapping[int, int] | None = None,
    reason: str = "",
) -> int:
    """One access record per candidate (user id) a list showed `viewer`:
    APPI Art. 29, a list that shows a candidate to an employer is a
    provision. Three queries whatever the length of the list."""
    candidate_ids = list(dict.fromkeys(candidate_ids))
    if not candidate_ids:
        return 0
    keys = subject_keys_for(candidate_ids)
    common = _viewer_fields(viewer, employer=employer, channel=channel, reason=reason, groups=groups)
    records = [
        AccessRecord(subject_key=keys[user_id], grant_id=(grant_ids or {}).get(user_id), **common)
        for user_id in candidate_ids
    ]
    AccessRecord.objects.bulk_create(records)
    return len(records)


def _viewer_fields(
    viewer: User, *, employer: Employer | None, channel: str, reason: str, groups: Iterable[str]
) -> dict:
    return {
        "viewer_kind": AccessRecord.ViewerKind.STAFF if viewer.is_staff_member else AccessRecord.ViewerKind.EMPLOYER,
        "viewer_id": viewer.pk,
        "viewer_name": viewer.full_name or viewer.email,
        "employer_id": employer.pk if employer else None,
        "employer_name": employer.legal_name if employer else "",
        "field_groups": sorted(groups),
        "channel": channel,
        "reason": reason[:500],
    }


def record_access(
    *,
    profile: CandidateProfile,
    viewer: User,
    groups: Iterable[str],
    channel: str,
    employer: Employer | None = None,
    grant: ShareGrant | None = None,
    reason: str = "",
) -> AccessRecord:
    return AccessRecord.objects.create(
        subject_key=subject_key_for(profile.user),
        grant_id=grant.pk if grant else None,
        **_viewer_fields(viewer, employer=employer, channel=channel, reason=reason, groups=groups),
    )


def is_restricted(user: User) -> bool:
    return ProcessingRestriction.objects.active().filter(user=user).exists()


__all__ = [
    "active_grants",
    "candidate_view_for",
    "candidate_view_of_user",
    "may_see_candidate",
    "candidates_visible_to",
    "employer_has_current_agreement",
    "employer_photo_of",
    "field_groups_for",
    "employer_of",
    "grant_for",
    "is_restricted",
    "record_access",
    "record_list_access",
    "staff_candidate_search",
    "staff_candidate_view",
    "staff_photo_look",
    "shares_with",
    "staff_photo_url",
    "visible_candidate_user_ids",
]
