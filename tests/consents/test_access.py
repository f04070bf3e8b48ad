"""The access decision (consents/access.py) seen through the pages an
employer member uses, and the access records every view writes (PRODUCT §4).

The rule under test: an employer member sees a candidate only through an
active share grant to their own employer, only after their admin accepted
the current Data Use Agreement, never while the candidate restricts the use
of their data, and never one field more than the grant includes. Every look
at candidate data, by an employer or by staff, is recorded and shown to the
candidate; the records outlive the account (APPI Arts. 29-30).
"""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consents import services
from consents.models import (
    OPTIONAL_FIELD_GROUPS,
    AccessRecord,
    ConsentEvent,
    ConsentEventType,
    ConsentSubject,
    EmployerAgreement,
    FieldGroup,
    PolicyKind,
    ProcessingRestriction,
    ShareGrant,
)
from consents.selectors import subject_key_of
from consents.tasks import expire_share_grants
from profiles.validators import age_on, today
from tests.access_matrix import LOGIN, MFA
from tests.conftest import PERSONAS
from tests.consents.factories import (
    AddressShareGrantFactory,
    ContactShareGrantFactory,
    DateOfBirthShareGrantFactory,
    EmployerWithAgreementFactory,
    ExpiredShareGrantFactory,
    FullShareGrantFactory,
    PhotoShareGrantFactory,
    PolicyVersionFactory,
    ShareGrantFactory,
    WithdrawnShareGrantFactory,
    admin_of,
    give,
    publish,
    recruiter_of,
)
from tests.profiles.factories import CandidateProfileWithPhotoFactory, FullCandidateProfileFactory

pytestmark = pytest.mark.django_db

NAME = "NGUYEN THI LAN"  # FullCandidateProfileFactory's passport name


def private_strings(profile) -> dict[str, list[str]]:
    """What each optional field group reveals, as it would appear in HTML."""
    return {
        FieldGroup.CONTACT: [profile.user.email, profile.phone],
        FieldGroup.ADDRESS: [profile.street, profile.postal_code],
        FieldGroup.DATE_OF_BIRTH: [profile.date_of_birth.strftime("%Y-%m-%d")],
    }


def assert_reveals_exactly(html: str, profile, groups) -> None:
    """The page shows the strings of the granted groups and none of the others."""
    for group, strings in private_strings(profile).items():
        for text in strings:
            if group in groups:
                assert text in html, f"{group} granted but {text!r} missing"
            else:
                assert text not in html, f"{group} NOT granted but {text!r} shown"


def main_content(response) -> str:
    html = response.content.decode()
    start, end = html.find("<main"), html.find("</main>")
    return html[start:end] if start != -1 else html


def candidate_page(profile):
    return reverse("consents:employer_candidate", args=[profile.pk])


def photo_url(profile, size="thumb"):
    return reverse("consents:employer_candidate_photo", args=[profile.pk, size])


LIST = reverse("consents:employer_candidates")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def profile(candidate):
    """The `candidate` persona's profile, every section filled in."""
    return FullCandidateProfileFactory(user=candidate)


def sees(client: Client, profile) -> bool:
    """Whether the member finds the candidate in the list AND can open the page."""
    listed = client.get(LIST)
    detail = client.get(candidate_page(profile))
    in_list = listed.status_code == 200 and NAME in listed.content.decode()
    if detail.status_code == 200:
        assert in_list, "the detail page opens but the list hides the candidate"
        assert NAME in detail.content.decode()
        return True
    assert detail.status_code == 404
    assert not in_list, "listed, but the detail page is not found"
    return False


# --- Every persona -------------------------------------------------------------------


EXPECTED = {
    # persona: (list page, detail page); LOGIN/MFA are redirects.
    "anonymous": (LOGIN, LOGIN),
    "candidate": (403, 403),
    "other_candidate": (403, 403),
    "employer_admin": (403, 404),  # the DUA is not accepted at this employer
    "employer_recruiter": (403, 404),
    "employer_with_grant": (200, 200),
    "revoked_employer": (200, 404),
    "staff_without_mfa": (MFA, MFA),
    "coordinator": (403, 403),
    "privacy_officer": (403, 403),
    "support": (403, 403),
}


def test_expected_covers_every_persona():
    assert set(EXPECTED) == set(PERSONAS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_employer_with_an_active_grant_sees_the_candidate(persona, persona_client, profile, request):
    # Both employers exist in every case: a grant elsewhere changes nothing.
    request.getfixturevalue("employer_with_grant")
    request.getfixturevalue("revoked_employer")
    client = persona_client(persona)
    for url, expected in zip((LIST, candidate_page(profile)), EXPECTED[persona], strict=True):
        response = client.get(url)
        if expected == LOGIN:
            assert response.status_code == 302 and reverse("account_login") in response["Location"]
        elif expected == MFA:
            assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_activate_totp"))
        else:
            assert response.status_code == expected, url
        # The page's own content: the header names whoever is signed in
        # (the candidate persona's own email, on their own 403 page).
        html = main_content(response)
        if persona == "employer_with_grant":
            assert NAME in html
        else:
            assert NAME not in html
            for strings in private_strings(profile).values():
                assert not [text for text in strings if text in html], url


@pytest.mark.parametrize("persona", ["candidate", "other_candidate", "coordinator", "privacy_officer", "support"])
@pytest.mark.parametrize(
    "url_name", ["employer_candidates", "employer_candidate", "employer_candidate_photo", "employer_agreement"]
)
def test_candidates_and_staff_are_refused_employer_pages(persona, url_name, persona_client, request):
    grant = FullShareGrantFactory(candidate=request.getfixturevalue("candidate"))
    profile = CandidateProfileWithPhotoFactory(user=grant.candidate)
    args = {
        "employer_candidates": [],
        "employer_agreement": [],
        "employer_candidate": [profile.pk],
        "employer_candidate_photo": [profile.pk, "thumb"],
    }[url_name]
    response = persona_client(persona).get(reverse(f"consents:{url_name}", args=args))
    assert response.status_code == 403
    assert not AccessRecord.objects.exists()


# --- Field groups ------------------------------------------------------------------


@pytest.mark.parametrize(
    "factory_class, groups",
    [
        (ShareGrantFactory, set()),
        (ContactShareGrantFactory, {FieldGroup.CONTACT}),
        (AddressShareGrantFactory, {FieldGroup.ADDRESS}),
        (DateOfBirthShareGrantFactory, {FieldGroup.DATE_OF_BIRTH}),
        (PhotoShareGrantFactory, {FieldGroup.PHOTO}),
        (FullShareGrantFactory, set(OPTIONAL_FIELD_GROUPS)),
    ],
    ids=["core-only", "contact", "address", "date-of-birth", "photo", "everything"],
)
def test_the_candidate_page_shows_exactly_the_granted_field_groups(factory_class, groups, profile):
    grant = factory_class(candidate=profile.user)
    response = signed_in(recruiter_of(grant.employer)).get(candidate_page(profile))
    assert response.status_code == 200
    html = response.content.decode()
    assert NAME in html  # the core profile, always
    assert "Saigon Kitchen" in html and "JLPT N2" in html
    assert_reveals_exactly(html, profile, groups)
    age = age_on(profile.date_of_birth, today())
    if FieldGroup.DATE_OF_BIRTH in groups:
        assert f"{profile.date_of_birth:%Y-%m-%d} ({age})" in html
    else:
        assert f"<dt>Age</dt><dd>{age}</dd>" in html  # the age only
    if FieldGroup.ADDRESS not in groups:
        assert "〒" not in html and profile.city not in html


@pytest.mark.parametrize(
    "photo_group, has_photo, status",
    [(True, True, 200), (True, False, 404), (False, True, 404), (False, False, 404)],
    ids=["granted-with-photo", "granted-no-photo", "not-granted", "neither"],
)
def test_the_photo_is_served_to_an_employer_only_with_the_photo_group_and_a_photo(photo_group, has_photo, status):
    factory_class = CandidateProfileWithPhotoFactory if has_photo else FullCandidateProfileFactory
    profile = factory_class()
    grant = (PhotoShareGrantFactory if photo_group else ContactShareGrantFactory)(candidate=profile.user)
    client = signed_in(recruiter_of(grant.employer))
    for size in ("thumb", "full"):
        response = client.get(photo_url(profile, size))
        assert response.status_code == status
        if status == 200:
            assert response["Content-Type"] == "image/jpeg"
            assert "no-store" in response["Cache-Control"]
    page = client.get(candidate_page(profile)).content.decode()
    assert (photo_url(profile) in page) == (status == 200)


def test_the_photo_is_not_served_to_an_employer_without_a_grant():
    profile = CandidateProfileWithPhotoFactory()
    PhotoShareGrantFactory(candidate=profile.user)
    stranger = recruiter_of(EmployerWithAgreementFactory())
    assert signed_in(stranger).get(photo_url(profile)).status_code == 404


def test_a_photo_hidden_by_moderation_is_not_served_even_with_the_photo_group():
    profile = CandidateProfileWithPhotoFactory(photo_hidden=True)
    grant = PhotoShareGrantFactory(candidate=profile.user)
    client = signed_in(recruiter_of(grant.employer))
    assert client.get(photo_url(profile)).status_code == 404
    assert photo_url(profile) not in client.get(candidate_page(profile)).content.decode()


# --- Grant states ---------------------------------------------------------------


def test_a_grant_past_its_expiry_is_invisible_before_the_task_records_it(profile):
    grant = ExpiredShareGrantFactory(candidate=profile.user)
    recruiter = signed_in(recruiter_of(grant.employer))
    assert grant.ended_at is None  # the hourly task has not run
    assert not sees(recruiter, profile)
    assert not AccessRecord.objects.exists()

    assert expire_share_grants() == 1  # the Celery task, run in-process
    grant.refresh_from_db()
    assert grant.ended_at == grant.expires_at
    assert grant.end_reason == ShareGrant.EndReason.EXPIRED
    row = ConsentEvent.objects.get(grant_id=grant.pk)
    assert (row.event, row.channel, row.actor) == (ConsentEventType.EXPIRE, "system", "system")
    assert expire_share_grants() == 0  # safe to run twice
    assert ConsentEvent.objects.filter(grant_id=grant.pk).count() == 1
    assert not sees(recruiter, profile)


def test_a_grant_ending_in_a_minute_is_still_visible(profile):
    grant = ExpiredShareGrantFactory(
        candidate=profile.user, granted_at=timezone.now() - timedelta(days=365) + timedelta(minutes=1)
    )
    assert grant.expires_at > timezone.now()
    assert sees(signed_in(recruiter_of(grant.employer)), profile)


def test_a_withdrawn_grant_shows_nothing(profile):
    grant = WithdrawnShareGrantFactory(candidate=profile.user, groups=OPTIONAL_FIELD_GROUPS)
    assert not sees(signed_in(recruiter_of(grant.employer)), profile)
    assert not sees(signed_in(admin_of(grant.employer)), profile)


def test_withdrawing_on_the_sharing_page_ends_access_at_once(profile):
    grant = ContactShareGrantFactory(candidate=profile.user)
    recruiter = signed_in(recruiter_of(grant.employer))
    assert sees(recruiter, profile)
    response = signed_in(profile.user).post(reverse("consents:grant_withdraw", args=[grant.pk]))
    assert response.status_code == 302
    assert not sees(recruiter, profile)


def test_granting_again_after_withdrawing_shows_only_the_new_grants_groups(profile):
    first = ContactShareGrantFactory(candidate=profile.user)
    employer = first.employer
    services.share_grant_withdraw(actor=profile.user, grant=first)
    second = give(profile.user, employer, {FieldGroup.ADDRESS})
    assert second.pk != first.pk

    client = signed_in(recruiter_of(employer))
    response = client.get(candidate_page(profile))
    assert response.status_code == 200
    assert_reveals_exactly(response.content.decode(), profile, {FieldGroup.ADDRESS})
    record = AccessRecord.objects.get()
    assert record.grant_id == second.pk
    assert record.field_groups == ["address", "core"]


def test_narrowing_a_grant_hides_the_removed_fields_at_once(profile):
    grant = FullShareGrantFactory(candidate=profile.user)
    client = signed_in(recruiter_of(grant.employer))
    assert_reveals_exactly(client.get(candidate_page(profile)).content.decode(), profile, set(OPTIONAL_FIELD_GROUPS))
    give(profile.user, grant.employer, {FieldGroup.DATE_OF_BIRTH})  # the candidate unticks the rest
    html = client.get(candidate_page(profile)).content.decode()
    assert_reveals_exactly(html, profile, {FieldGroup.DATE_OF_BIRTH})
    assert client.get(photo_url(profile)).status_code == 404
    assert AccessRecord.objects.order_by("occurred_at", "pk").last().field_groups == ["core", "date_of_birth"]


def test_an_inactive_candidate_account_is_invisible(profile):
    grant = ShareGrantFactory(candidate=profile.user)
    profile.user.is_active = False
    profile.user.save(update_fields=["is_active"])
    assert not sees(signed_in(recruiter_of(grant.employer)), profile)


def test_a_restriction_of_use_hides_the_candidate_until_it_is_lifted(profile):
    grant = ContactShareGrantFactory(candidate=profile.user)
    client = signed_in(recruiter_of(grant.employer))
    restriction = ProcessingRestriction.objects.create(user=profile.user, reason="Art. 35 request")
    assert not sees(client, profile)
    assert client.get(photo_url(profile)).status_code == 404
    restriction.lifted_at = timezone.now()
    restriction.save(update_fields=["lifted_at"])
    assert sees(client, profile)


def test_another_employers_member_never_sees_the_candidate(profile):
    grant = FullShareGrantFactory(candidate=profile.user)
    other = EmployerWithAgreementFactory()
    for member in (admin_of(other), recruiter_of(other)):
        assert not sees(signed_in(member), profile)
    # Every member of the granted employer does.
    for member in (admin_of(grant.employer), recruiter_of(grant.employer)):
        assert sees(signed_in(member), profile)


def test_a_grant_from_another_candidate_shows_nothing_of_this_one(profile, other_candidate):
    other_profile = FullCandidateProfileFactory(user=other_candidate, name_passport="AUNG KYAW")
    grant = FullShareGrantFactory(candidate=other_candidate)
    client = signed_in(recruiter_of(grant.employer))
    assert client.get(candidate_page(other_profile)).status_code == 200
    assert client.get(candidate_page(profile)).status_code == 404
    assert NAME not in client.get(LIST).content.decode()


# --- The Data Use Agreement --------------------------------------------------------------


def test_nobody_at_an_employer_sees_candidates_before_the_admin_accepts_the_agreement(
    profile, employer, employer_admin, employer_recruiter
):
    give(profile.user, employer, {FieldGroup.CONTACT})
    recruiter, admin = signed_in(employer_recruiter), signed_in(employer_admin)
    for client in (recruiter, admin):
        listed = client.get(LIST)
        assert listed.status_code == 403
        assert reverse("consents:employer_agreement") in listed.content.decode()
        assert NAME not in listed.content.decode()
        assert client.get(candidate_page(profile)).status_code == 404
    assert not AccessRecord.objects.exists()

    page = admin.get(reverse("consents:employer_agreement"))
    assert page.status_code == 200 and 'name="accept"' in page.content.decode()
    response = admin.post(reverse("consents:employer_agreement"), {"accept": "on"})
    assert response.status_code == 302 and response["Location"] == LIST

    agreement = EmployerAgreement.objects.get(employer=employer)
    assert agreement.accepted_by == employer_admin
    assert agreement.version == services.current_policy(PolicyKind.DATA_USE)
    assert sees(recruiter, profile)
    assert sees(admin, profile)


def test_the_admin_must_tick_the_box_to_accept_the_agreement(employer, employer_admin):
    response = signed_in(employer_admin).post(reverse("consents:employer_agreement"), {})
    assert response.status_code == 200
    assert not EmployerAgreement.objects.exists()


def test_a_recruiter_cannot_accept_the_agreement(employer, employer_recruiter):
    client = signed_in(employer_recruiter)
    page = client.get(reverse("consents:employer_agreement"))
    assert page.status_code == 200
    assert 'name="accept"' not in page.content.decode()
    assert client.post(reverse("consents:employer_agreement"), {"accept": "on"}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.employer_agreement_accept(
            actor=employer_recruiter, version=services.current_policy(PolicyKind.DATA_USE), language="en"
        )
    assert not EmployerAgreement.objects.exists()


def test_a_new_agreement_version_hides_candidates_until_it_is_accepted(profile):
    grant = ContactShareGrantFactory(candidate=profile.user)
    recruiter, admin = signed_in(recruiter_of(grant.employer)), signed_in(admin_of(grant.employer))
    assert sees(recruiter, profile)

    new_version = publish(PolicyVersionFactory(kind=PolicyKind.DATA_USE))
    assert not sees(recruiter, profile)
    assert recruiter.get(LIST).status_code == 403
    assert not sees(admin, profile)

    admin.post(reverse("consents:employer_agreement"), {"accept": "on"})
    assert EmployerAgreement.objects.filter(employer=grant.employer, version=new_version).exists()
    assert sees(recruiter, profile)


# --- Access records --------------------------------------------------------------------


def test_each_view_of_a_candidate_writes_one_access_record(profile):
    grant = ContactShareGrantFactory(candidate=profile.user)
    viewer = recruiter_of(grant.employer, user__full_name="Sato Hanako")
    client = signed_in(viewer)

    client.get(LIST)
    # APPI Art. 29: a list that shows the candidate is a provision too.
    listed = AccessRecord.objects.get()
    assert listed.subject_key == subject_key_of(profile.user)
    assert (listed.viewer_id, listed.employer_id, listed.grant_id) == (viewer.pk, grant.employer_id, grant.pk)
    assert listed.field_groups == ["core"]

    client.get(candidate_page(profile))
    record = AccessRecord.objects.exclude(pk=listed.pk).get()
    assert record.subject_key == subject_key_of(profile.user)
    assert record.viewer_kind == AccessRecord.ViewerKind.EMPLOYER
    assert (record.viewer_id, record.viewer_name) == (viewer.pk, "Sato Hanako")
    assert (record.employer_id, record.employer_name) == (grant.employer_id, grant.employer.legal_name)
    assert record.grant_id == grant.pk
    assert record.field_groups == ["contact", "core"]
    assert record.channel == "web"
    assert record.reason == ""

    client.get(candidate_page(profile))
    assert AccessRecord.objects.count() == 3


def test_a_refused_view_writes_no_access_record(profile, revoked_employer):
    assert signed_in(revoked_employer).get(candidate_page(profile)).status_code == 404
    assert not AccessRecord.objects.exists()


def test_staff_must_give_a_reason_and_the_candidate_sees_it(profile, coordinator, other_candidate):
    url = reverse("consents:staff_candidate", args=[profile.pk])
    staff = signed_in(coordinator)

    form = staff.get(url)
    assert form.status_code == 200 and NAME not in form.content.decode()
    for empty in ("", "   "):
        response = staff.post(url, {"reason": empty})
        assert response.status_code == 200
        assert NAME not in response.content.decode()
        assert response.context["form"].errors["reason"]
    assert not AccessRecord.objects.exists()

    reason = "Candidate asked by phone to check their status of residence (ticket 4411)"
    response = staff.post(url, {"reason": reason})
    assert response.status_code == 200
    assert NAME in response.content.decode()
    record = AccessRecord.objects.get()
    assert record.viewer_kind == AccessRecord.ViewerKind.STAFF
    assert record.viewer_id == coordinator.pk
    assert record.reason == reason
    assert record.employer_id is None and record.grant_id is None
    # The page shows everything but the photo, which records its own look
    # when fetched (tests/consents/test_staff_looks.py).
    assert record.field_groups == sorted({FieldGroup.CORE, *OPTIONAL_FIELD_GROUPS} - {FieldGroup.PHOTO})

    log = signed_in(profile.user).get(reverse("consents:access_log")).content.decode()
    assert reason in log and "Tsunagu staff" in log
    assert reason not in signed_in(other_candidate).get(reverse("consents:access_log")).content.decode()


def test_the_access_log_shows_each_candidate_only_their_own_records(profile, other_candidate):
    grant = ContactShareGrantFactory(candidate=profile.user)
    other_profile = FullCandidateProfileFactory(user=other_candidate, name_passport="AUNG KYAW")
    other_grant = ShareGrantFactory(candidate=other_candidate)
    signed_in(recruiter_of(grant.employer, user__full_name="Viewer Of Lan")).get(candidate_page(profile))
    signed_in(recruiter_of(other_grant.employer, user__full_name="Viewer Of Aung")).get(candidate_page(other_profile))

    own = signed_in(profile.user).get(reverse("consents:access_log")).content.decode()
    assert "Viewer Of Lan" in own and grant.employer.legal_name in own
    assert "contact" in own  # which fields they saw
    assert "Viewer Of Aung" not in own and other_grant.employer.legal_name not in own

    others = signed_in(other_candidate).get(reverse("consents:access_log")).content.decode()
    assert "Viewer Of Aung" in others and "Viewer Of Lan" not in others


def test_records_and_the_ledger_survive_the_account_and_then_name_nobody(profile):
    grant = ContactShareGrantFactory(candidate=profile.user)
    signed_in(recruiter_of(grant.employer)).get(candidate_page(profile))
    services.share_grant_withdraw(actor=profile.user, grant=grant)
    key = subject_key_of(profile.user)
    events = list(ConsentEvent.objects.filter(subject_key=key).values_list("pk", flat=True))
    assert len(events) >= 3  # grant, withdrawal, and the policies accepted at sign-up

    profile.user.delete()

    assert not ConsentSubject.objects.filter(key=key).exists()  # nobody behind the key
    record = AccessRecord.objects.get()
    assert record.subject_key == key
    assert record.employer_name == grant.employer.legal_name
    assert sorted(ConsentEvent.objects.filter(subject_key=key).values_list("pk", flat=True)) == sorted(events)
    assert not ShareGrant.objects.filter(pk=grant.pk).exists()
