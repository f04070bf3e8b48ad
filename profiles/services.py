"""Every write to a candidate profile."""

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from outbox import services as outbox
from profiles import emails
from profiles.models import CandidateProfile, ModerationCase, ProfileEntry

PROFILE_FIELDS = {f.name: f for f in CandidateProfile._meta.get_fields() if f.concrete}
# The facts staff check against the residence card (status_verification_record).
VERIFIED_STATUS_FACTS = ("status", "period_of_stay_expiry", "outside_activity_permission", "outside_activity_hours")


def profile_get_or_create(*, user: User) -> CandidateProfile:
    if not user.is_candidate:
        raise PermissionDenied
    profile, _created = CandidateProfile.objects.get_or_create(user=user)
    return profile


def _check_owner(actor: User, profile: CandidateProfile) -> None:
    if actor.pk != profile.user_id:
        raise PermissionDenied


@transaction.atomic
def profile_update(*, actor: User, profile: CandidateProfile, data: dict) -> CandidateProfile:
    """Save one section: `data` is a form's cleaned_data for profile fields.
    Many-to-many values are set after the row is saved."""
    _check_owner(actor, profile)
    profile = CandidateProfile.objects.select_for_update().get(pk=profile.pk)
    m2m = {}
    status_changed = False
    for name, value in data.items():
        model_field = PROFILE_FIELDS.get(name)
        if model_field is None:  # a form-only field, e.g. the address form's "where"
            continue
        if isinstance(model_field, models.ManyToManyField):
            m2m[name] = value
            continue
        if name == "self_introduction" and value != profile.self_introduction:
            # A new text is a new text: a moderation decision on the old one no longer applies.
            profile.self_introduction_hidden = False
        if name in VERIFIED_STATUS_FACTS and value != getattr(profile, name):
            status_changed = True
        setattr(profile, name, value)
    if status_changed:
        # Staff verified the facts as they were; changed facts are checked
        # again (the status page tells the candidate so), and until then no
        # one is shown "verified by Tsunagu" for facts nobody checked.
        profile.status_verified_at = None
        profile.status_verified_by = None
        profile.status_verification_method = ""
    if "desired_categories" in data:
        profile.preferences_saved_at = timezone.now()
    profile.full_clean(exclude=["user", "photo", "photo_thumbnail"])
    profile.save()
    for name, value in m2m.items():
        getattr(profile, name).set(value)
    return profile


@transaction.atomic
def profile_entry_save(*, actor: User, profile: CandidateProfile, entry: ProfileEntry) -> ProfileEntry:
    _check_owner(actor, profile)
    entry.profile = profile
    entry.full_clean()
    entry.save()
    CandidateProfile.objects.filter(pk=profile.pk).update(updated_at=timezone.now())
    return entry


@transaction.atomic
def profile_entry_delete(*, actor: User, profile: CandidateProfile, entry: ProfileEntry) -> None:
    _check_owner(actor, profile)
    if entry.profile_id != profile.pk:
        raise PermissionDenied
    entry.delete()
    CandidateProfile.objects.filter(pk=profile.pk).update(updated_at=timezone.now())


@transaction.atomic
def status_verification_record(*, actor: User, profile: CandidateProfile, method: str) -> CandidateProfile:
    """Staff record that they checked the status of residence, and how.
    The card number is not recorded (PRODUCT §2)."""
    if not actor.is_staff_member:
        raise PermissionDenied
    profile.status_verified_at = timezone.now()
    profile.status_verified_by = actor
    profile.status_verification_method = method
    profile.full_clean(exclude=["user", "photo", "photo_thumbnail"])
    profile.save(update_fields=["status_verified_at", "status_verified_by", "status_verification_method", "updated_at"])
    return profile


@transaction.atomic
def moderation_report_create(
    *, actor: User, profile_id: int, target: str, category: str, details: str = ""
) -> ModerationCase:
    if not (actor.is_staff_member or actor.is_employer_member):
        raise PermissionDenied
    case = ModerationCase(profile_id=profile_id, target=target, category=category, details=details, reported_by=actor)
    case.full_clean()
    case.save()
    return case


@transaction.atomic
def moderation_decide(*, actor: User, case: ModerationCase, hide: bool, reason: str) -> ModerationCase:
    """Hide the reported content (the candidate is told why) or dismiss the report."""
    if not actor.is_staff_member:
        raise PermissionDenied
    case = ModerationCase.objects.select_for_update().select_related("profile__user").get(pk=case.pk)
    if case.state != ModerationCase.State.OPEN:
        return case
    case.state = ModerationCase.State.HIDDEN if hide else ModerationCase.State.DISMISSED
    case.decided_by = actor
    case.decided_at = timezone.now()
    case.decision_reason = reason
    case.full_clean()
    case.save()
    if hide:
        profile = case.profile
        flag = "photo_hidden" if case.target == ModerationCase.Target.PHOTO else "self_introduction_hidden"
        setattr(profile, flag, True)
        profile.save(update_fields=[flag, "updated_at"])
        _tell_candidate_hidden(case)
    return case


def _tell_candidate_hidden(case: ModerationCase) -> None:
    user = case.profile.user
    outbox.enqueue_templated(
        to=user,
        kind=emails.MODERATION_HIDDEN,
        context={"case": case, "user": user},
        subject=lambda: _("Part of your Tsunagu profile was hidden"),
    )
