"""Every look at a candidate is recorded (security issue; PRODUCT §1, §4;
APPI Arts. 29-30): staff photos only through the link of a staff page that
recorded its look with a reason, moderation and verification pages record
theirs, and lists that show candidates to an employer or to staff write one
record per candidate shown, in one insert whatever the list's length."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consents import access
from consents.models import AccessRecord, FieldGroup, ShareGrant
from consents.selectors import access_records_of, subject_key_of
from consents.services import share_grant_withdraw
from matching.models import Opening
from tests.consents.factories import PhotoShareGrantFactory, recruiter_of
from tests.matching.factories import ApplicationFactory, CompleteCandidateProfileFactory, OpeningFactory
from tests.profiles.factories import CandidateProfileWithPhotoFactory, ModerationCaseFactory

pytestmark = pytest.mark.django_db

REASON = "The candidate asked by phone why their photo is not shown (ticket 5120)"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def photo_link_from_staff_page(client: Client, profile) -> str:
    response = client.post(reverse("consents:staff_candidate", args=[profile.pk]), {"reason": REASON})
    assert response.status_code == 200
    return response.context["photo_url"]


# --- Staff photos --------------------------------------------------------------------------


@pytest.mark.parametrize("group", ["coordinator", "privacy_officer", "support"])
def test_staff_see_a_photo_only_through_a_page_that_recorded_a_reason(group, request):
    staff = request.getfixturevalue(group)
    profile = CandidateProfileWithPhotoFactory()
    client = signed_in(staff)
    bare = reverse("consents:staff_candidate_photo", args=[profile.pk, "thumb"])
    assert client.get(bare).status_code == 404  # no reason, no photo

    link = photo_link_from_staff_page(client, profile)
    page_look = AccessRecord.objects.get()
    assert FieldGroup.PHOTO not in page_look.field_groups
    response = client.get(link)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
    photo_look = AccessRecord.objects.exclude(pk=page_look.pk).get()
    assert photo_look.field_groups == [FieldGroup.PHOTO]
    assert photo_look.reason == REASON and photo_look.viewer_id == staff.pk
    # The candidate sees both looks, with the reason.
    seen = list(access_records_of(profile.user))
    assert len(seen) == 2 and all(r.reason == REASON for r in seen)


def test_a_photo_link_works_for_its_staff_member_and_its_profile_only(coordinator, support):
    profile = CandidateProfileWithPhotoFactory()
    other = CandidateProfileWithPhotoFactory()
    link = photo_link_from_staff_page(signed_in(coordinator), profile)
    token = link.split("look=", 1)[1]

    assert signed_in(support).get(link).status_code == 404  # another staff member
    other_url = reverse("consents:staff_candidate_photo", args=[other.pk, "thumb"]) + f"?look={token}"
    assert signed_in(coordinator).get(other_url).status_code == 404  # another candidate
    assert signed_in(coordinator).get(link[:-3] + "abc").status_code == 404  # tampered
    assert signed_in(coordinator).get(link.replace("/thumb/", "/original/")).status_code == 404
    assert AccessRecord.objects.count() == 1  # only the page's own look


def test_a_photo_link_expires(coordinator, monkeypatch):
    profile = CandidateProfileWithPhotoFactory()
    client = signed_in(coordinator)
    link = photo_link_from_staff_page(client, profile)
    monkeypatch.setattr(access, "STAFF_PHOTO_MAX_AGE", -1)
    assert client.get(link).status_code == 404


def test_employers_and_candidates_cannot_use_a_staff_photo_link(coordinator, candidate, employer_recruiter):
    profile = CandidateProfileWithPhotoFactory(user=candidate)
    link = photo_link_from_staff_page(signed_in(coordinator), profile)
    assert signed_in(employer_recruiter).get(link).status_code == 403
    assert signed_in(candidate).get(link).status_code == 403


def test_a_hidden_photo_gets_no_link_and_no_answer(coordinator):
    profile = CandidateProfileWithPhotoFactory(photo_hidden=True)
    client = signed_in(coordinator)
    assert photo_link_from_staff_page(client, profile) is None
    record = AccessRecord.objects.get()
    token = access.staff_photo_url(coordinator, profile.pk, record).split("look=", 1)[1]
    url = reverse("consents:staff_candidate_photo", args=[profile.pk, "thumb"]) + f"?look={token}"
    assert client.get(url).status_code == 404


# --- Moderation and verification ------------------------------------------------------------


def test_a_moderation_case_page_records_the_case_as_the_reason(coordinator):
    case = ModerationCaseFactory()
    page = signed_in(coordinator).get(reverse("consents:staff_moderation_case", args=[case.pk]))
    assert page.status_code == 200
    assert case.profile.self_introduction in page.content.decode()
    record = AccessRecord.objects.get(subject_key=subject_key_of(case.profile.user))
    assert record.reason == f"Moderation case #{case.pk}"
    assert record.field_groups == [FieldGroup.CORE]


def test_a_reported_photo_is_shown_through_a_recorded_link(support):
    profile = CandidateProfileWithPhotoFactory()
    case = ModerationCaseFactory(profile=profile, target="photo")
    client = signed_in(support)
    page = client.get(reverse("consents:staff_moderation_case", args=[case.pk]))
    link = page.context["photo_url"]
    assert "/photo/full/" in link
    assert client.get(link).status_code == 200
    reasons = set(AccessRecord.objects.values_list("reason", flat=True))
    assert reasons == {f"Moderation case #{case.pk}"}


def test_verifying_a_status_records_the_look(coordinator):
    profile = CompleteCandidateProfileFactory()
    response = signed_in(coordinator).get(reverse("consents:staff_status_verify", args=[profile.pk]))
    assert response.status_code == 200
    record = AccessRecord.objects.get()
    assert record.reason == "Verifying the status of residence"
    assert record.subject_key == subject_key_of(profile.user)


# --- Lists ---------------------------------------------------------------------------------


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_employers_candidate_list_records_each_candidate_shown_in_one_insert():
    grant = PhotoShareGrantFactory(candidate=CandidateProfileWithPhotoFactory().user)
    employer = grant.employer
    recruiter = recruiter_of(employer)
    client = signed_in(recruiter)
    url = reverse("consents:employer_candidates")
    client.get(url)  # the first request of a session also writes the session
    assert AccessRecord.objects.count() == 1
    one = _queries(client, url)
    for _ in range(4):
        PhotoShareGrantFactory(employer=employer, candidate=CandidateProfileWithPhotoFactory().user)
    before = AccessRecord.objects.count()
    five = _queries(client, url)
    assert AccessRecord.objects.count() - before == 5
    assert five == one, "a query per candidate shown"
    listed = AccessRecord.objects.order_by("-pk")[:5]
    assert {r.employer_id for r in listed} == {employer.pk}
    assert all(r.field_groups == [FieldGroup.CORE] and r.grant_id for r in listed)


def test_an_openings_applications_list_records_only_the_candidates_it_shows():
    shown = ApplicationFactory()
    opening = Opening.objects.get(pk=shown.opening_id)
    hidden = ApplicationFactory(opening=opening)
    share_grant_withdraw(actor=hidden.candidate, grant=ShareGrant.objects.get(pk=hidden.grant_id))
    recruiter = recruiter_of(opening.employer)
    response = signed_in(recruiter).get(reverse("matching:employer_opening", args=[opening.pk]))
    assert response.status_code == 200
    keys = set(AccessRecord.objects.values_list("subject_key", flat=True))
    assert keys == {subject_key_of(shown.candidate)}


def test_the_staff_ranking_records_each_candidate_ranked_with_the_opening_as_reason(coordinator):
    opening = OpeningFactory(category="it_engineering")
    ranked = [CompleteCandidateProfileFactory() for _ in range(3)]
    response = signed_in(coordinator).get(reverse("matching:staff_opening", args=[opening.pk]))
    assert response.status_code == 200
    shown = {row.pk for row, _match in response.context["rows"]}
    assert shown >= {p.pk for p in ranked}
    records = AccessRecord.objects.all()
    assert records.count() == len(shown)
    assert {r.reason for r in records} == {f"Ranking candidates for opening #{opening.pk}"}
    assert {r.viewer_kind for r in records} == {AccessRecord.ViewerKind.STAFF}


def test_staff_of_another_group_get_the_same_rules(privacy_officer):
    """A privacy officer may look (with a reason) but gets no photo without it."""
    profile = CandidateProfileWithPhotoFactory()
    client = signed_in(privacy_officer)
    assert client.get(reverse("consents:staff_candidate_photo", args=[profile.pk, "full"])).status_code == 404
    link = photo_link_from_staff_page(client, profile)
    assert client.get(link).status_code == 200
