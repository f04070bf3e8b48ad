"""Staff work on candidate profiles: moderation of the self-introduction
against the Terms of Use's prohibited-content list (seed 004), and the record
that staff checked the status of residence (PRODUCT §2: how, when, by whom;
never the card number). Driven through the staff views as the personas."""

import re
import struct
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from profiles import services
from profiles.models import CandidateProfile, ModerationCase
from tests.accounts.factories import CandidateFactory
from tests.profiles.factories import FullCandidateProfileFactory, ModerationCaseFactory, section_post, taxonomy_pk

pytestmark = pytest.mark.django_db

INTRO = "I cooked for five years in Hanoi. Message me on my dating profile!"
REASON = "Looking for romantic acquaintances is not allowed on Tsunagu. Write about your work instead."


@pytest.fixture
def profile(candidate):
    return FullCandidateProfileFactory(user=candidate, self_introduction=INTRO)


@pytest.fixture
def coordinator_client(persona_client):
    return persona_client("coordinator")


@pytest.fixture
def candidate_client(persona_client):
    return persona_client("candidate")


def case_url(case) -> str:
    return reverse("consents:staff_moderation_case", args=[case.pk])


def report(client, profile, **data):
    data = {"target": "self_introduction", "category": "dating", "details": "Dating ad.", **data}
    return client.post(reverse("profiles:moderation_report", args=[profile.pk]), data)


def decide(client, case, decision: str, reason: str = ""):
    return client.post(case_url(case), {"decision": decision, "reason": reason})


def preview_card(client) -> str:
    html = client.get(reverse("consents:profile_preview")).content.decode()
    return html[html.index('<article class="profile-card"') : html.index("</article>")]


# --- Reporting and hiding -------------------------------------------------------------


@pytest.mark.parametrize("staff", ["coordinator", "support"])
def test_staff_report_and_hide_a_self_introduction(
    staff, persona_client, persona_user, candidate_client, profile, django_capture_on_commit_callbacks
):
    client = persona_client(staff)

    response = report(client, profile)

    case = ModerationCase.objects.get(profile=profile)
    assert response.status_code == 302 and response["Location"] == case_url(case)
    assert (case.state, case.target, case.category, case.reported_by) == (
        "open",
        "self_introduction",
        "dating",
        persona_user(staff),
    )
    assert INTRO in client.get(case_url(case)).content.decode()
    assert str(case.reported_at.year) in client.get(reverse("profiles:moderation_queue")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client, case, "hide", REASON)

    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.decided_by, case.decision_reason) == ("hidden", persona_user(staff), REASON)
    assert case.decided_at is not None
    profile.refresh_from_db()
    assert profile.self_introduction_hidden is True
    assert profile.self_introduction == INTRO  # hidden, not destroyed: the candidate may see and replace it

    overview = candidate_client.get(reverse("profiles:overview")).content.decode()
    assert "Your self-introduction was hidden by Tsunagu staff." in overview
    assert REASON in overview
    assert INTRO not in preview_card(candidate_client)
    assert "Self-introduction" not in preview_card(candidate_client)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [profile.user.email]
    assert message.subject == "Part of your Tsunagu profile was hidden"
    assert REASON in message.body
    assert "Tsunagu staff hid your self-introduction." in message.body


def _write_mo(path, catalogue: dict[str, str]) -> None:
    """A compiled gettext catalogue (the .mo format), for a test-only translation."""
    catalogue = {"": "Content-Type: text/plain; charset=UTF-8\n", **catalogue}
    keys = sorted(catalogue)
    ids = strs = b""
    entries = []
    for key in keys:
        k, v = key.encode(), catalogue[key].encode()
        entries.append((len(ids), len(k), len(strs), len(v)))
        ids += k + b"\0"
        strs += v + b"\0"
    count = len(keys)
    key_start = 7 * 4 + 16 * count
    value_start = key_start + len(ids)
    key_table = b"".join(struct.pack("<ii", length, offset + key_start) for offset, length, _, _ in entries)
    value_table = b"".join(struct.pack("<ii", length, offset + value_start) for _, _, offset, length in entries)
    header = struct.pack("<Iiiiiii", 0x950412DE, 0, count, 7 * 4, 7 * 4 + 8 * count, 0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header + key_table + value_table + ids + strs)


JA = {
    "Part of your Tsunagu profile was hidden": "プロフィールの一部が非表示になりました",
    "Tsunagu staff hid your self-introduction.": "Tsunaguのスタッフが自己紹介を非表示にしました。",
    "Reason:": "理由：",
}


@pytest.mark.parametrize(("language", "subject"), [("ja", JA["Part of your Tsunagu profile was hidden"]), ("en", None)])
def test_the_hiding_email_is_in_the_candidates_language(
    language, subject, coordinator_client, settings, tmp_path, django_capture_on_commit_callbacks
):
    # The shipped catalogue may not be translated yet: a test catalogue shows
    # which language the email is written in.
    _write_mo(tmp_path / "locale" / "ja" / "LC_MESSAGES" / "django.mo", JA)
    settings.LOCALE_PATHS = [tmp_path / "locale", *settings.LOCALE_PATHS]
    user = CandidateFactory(language=language)
    case = ModerationCaseFactory(profile=FullCandidateProfileFactory(user=user))

    with django_capture_on_commit_callbacks(execute=True):
        decide(coordinator_client, case, "hide", REASON)

    (message,) = mail.outbox
    assert message.to == [user.email]
    assert message.subject == (subject or "Part of your Tsunagu profile was hidden")
    if language == "ja":
        assert JA["Tsunagu staff hid your self-introduction."] in message.body
        assert f"{JA['Reason:']} {REASON}" in message.body
    else:
        assert "Tsunagu staff hid your self-introduction." in message.body


def test_hiding_needs_a_reason_for_the_candidate(coordinator_client, profile, django_capture_on_commit_callbacks):
    case = ModerationCaseFactory(profile=profile)

    with django_capture_on_commit_callbacks(execute=True):
        response = decide(coordinator_client, case, "hide", "   ")

    assert response.status_code in (200, 400)
    assert "Tell the candidate why: they will read this." in response.content.decode()
    case.refresh_from_db()
    profile.refresh_from_db()
    assert case.state == "open" and case.decided_by is None
    assert profile.self_introduction_hidden is False
    assert mail.outbox == []


def test_dismissing_leaves_the_text_visible(
    coordinator_client, candidate_client, profile, coordinator, django_capture_on_commit_callbacks
):
    case = ModerationCaseFactory(profile=profile)

    with django_capture_on_commit_callbacks(execute=True):
        response = decide(coordinator_client, case, "dismiss")

    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.decided_by) == ("dismissed", coordinator)
    profile.refresh_from_db()
    assert profile.self_introduction_hidden is False
    assert INTRO in preview_card(candidate_client)
    assert "hidden by Tsunagu staff" not in candidate_client.get(reverse("profiles:overview")).content.decode()
    assert mail.outbox == []


@pytest.mark.parametrize("first, second", [("hide", "dismiss"), ("dismiss", "hide")])
def test_a_decided_case_cannot_be_decided_again(
    first, second, coordinator_client, persona_client, support, profile, django_capture_on_commit_callbacks
):
    case = ModerationCaseFactory(profile=profile)
    with django_capture_on_commit_callbacks(execute=True):
        decide(coordinator_client, case, first, REASON)
    case.refresh_from_db()
    profile.refresh_from_db()
    decided = (case.state, case.decided_by_id, case.decided_at, case.decision_reason, profile.self_introduction_hidden)
    mails = len(mail.outbox)

    with django_capture_on_commit_callbacks(execute=True):
        response = decide(persona_client("support"), case, second, "Changed my mind.")
        services.moderation_decide(actor=support, case=case, hide=second == "hide", reason="Changed my mind.")

    assert response.status_code == 200
    case.refresh_from_db()
    profile.refresh_from_db()
    assert (
        case.state,
        case.decided_by_id,
        case.decided_at,
        case.decision_reason,
        profile.self_introduction_hidden,
    ) == decided
    assert len(mail.outbox) == mails


def test_a_new_self_introduction_is_shown_again(
    coordinator_client, candidate_client, candidate, profile, django_capture_on_commit_callbacks
):
    case = ModerationCaseFactory(profile=profile)
    with django_capture_on_commit_callbacks(execute=True):
        decide(coordinator_client, case, "hide", REASON)

    # Saving the same text again does not undo the decision.
    candidate_client.post(reverse("profiles:section", args=["introduction"]), {"self_introduction": INTRO})
    assert CandidateProfile.objects.get(user=candidate).self_introduction_hidden is True
    assert INTRO not in preview_card(candidate_client)

    new_text = "I cooked for five years in Hanoi and want to work in a Tokyo kitchen."
    response = candidate_client.post(
        reverse("profiles:section", args=["introduction"]), section_post("introduction", self_introduction=new_text)
    )

    assert response.status_code == 302
    assert CandidateProfile.objects.get(user=candidate).self_introduction_hidden is False
    assert new_text in preview_card(candidate_client)
    # The old decision is about a text that is gone: the overview no longer says it is hidden.
    assert "was hidden by Tsunagu staff" not in candidate_client.get(reverse("profiles:overview")).content.decode()


def test_the_overview_gives_the_latest_reason_once(
    coordinator_client, candidate_client, candidate, profile, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decide(coordinator_client, ModerationCaseFactory(profile=profile), "hide", "First reason.")
    candidate_client.post(reverse("profiles:section", args=["introduction"]), {"self_introduction": "Second text."})
    with django_capture_on_commit_callbacks(execute=True):
        decide(coordinator_client, ModerationCaseFactory(profile=profile), "hide", "Second reason.")

    overview = candidate_client.get(reverse("profiles:overview")).content.decode()

    assert "Second reason." in overview
    assert "First reason." not in overview
    assert overview.count("Your self-introduction was hidden by Tsunagu staff.") == 1


@pytest.mark.parametrize("persona", ["privacy_officer", "employer_admin", "employer_recruiter", "candidate"])
def test_moderation_is_for_coordinators_and_support_only(persona, persona_client, profile):
    client = persona_client(persona)
    case = ModerationCaseFactory(profile=profile)

    assert client.get(reverse("profiles:moderation_queue")).status_code == 403
    assert client.get(case_url(case)).status_code == 403
    assert decide(client, case, "hide", REASON).status_code == 403
    assert report(client, profile).status_code == 403

    case.refresh_from_db()
    profile.refresh_from_db()
    assert case.state == "open"
    assert profile.self_introduction_hidden is False
    assert ModerationCase.objects.count() == 1


def test_the_queue_lists_open_cases_and_recent_decisions(
    coordinator_client, profile, django_capture_on_commit_callbacks
):
    open_case = ModerationCaseFactory(profile=profile)
    decided = ModerationCaseFactory(profile=profile, category="obscene")
    with django_capture_on_commit_callbacks(execute=True):
        decide(coordinator_client, decided, "dismiss")

    page = coordinator_client.get(reverse("profiles:moderation_queue")).content.decode()

    assert case_url(open_case) in page
    assert case_url(decided) not in page
    assert "Dismissed" in page


@pytest.mark.parametrize("field", ["details"])
def test_report_text_is_limited(coordinator_client, profile, field):
    response = report(coordinator_client, profile, **{field: "x" * 10_000})
    assert response.status_code in (200, 400)
    assert response.context["form"].errors.get(field)
    assert not ModerationCase.objects.exists()


def test_decision_reason_is_limited(coordinator_client, profile):
    case = ModerationCaseFactory(profile=profile)

    response = decide(coordinator_client, case, "hide", "x" * 10_000)

    assert response.status_code in (200, 400)
    assert response.context["form"].errors.get("reason")
    case.refresh_from_db()
    assert case.state == "open"


def test_a_case_page_shows_the_text_as_text(coordinator_client, candidate):
    profile = FullCandidateProfileFactory(user=candidate, self_introduction="<script>alert(1)</script>")
    case = ModerationCaseFactory(profile=profile)

    page = coordinator_client.get(case_url(case)).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- Status of residence verification -----------------------------------------------


def verify_url(profile) -> str:
    return reverse("consents:staff_status_verify", args=[profile.pk])


@pytest.mark.parametrize("staff", ["coordinator", "support"])
def test_staff_record_how_when_and_by_whom_the_status_was_checked(staff, persona_client, persona_user, profile):
    client = persona_client(staff)
    before = timezone.now()

    response = client.post(verify_url(profile), {"method": "isa_online"})

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.status_verified_by == persona_user(staff)
    assert profile.status_verification_method == "isa_online"
    assert before <= profile.status_verified_at <= timezone.now() + timedelta(seconds=1)
    page = client.get(verify_url(profile)).content.decode()
    assert persona_user(staff).email in page
    assert "ISA online validity check" in page


def test_the_verification_form_has_no_place_for_the_card_number(coordinator_client, profile):
    response = coordinator_client.get(verify_url(profile))

    assert response.status_code == 200
    assert list(response.context["form"].fields) == ["method"]
    page = response.content.decode()
    assert "Never write down the card number." in page
    (form,) = [f.split("</form>")[0] for f in page.split("<form")[1:] if 'name="method"' in f]
    inputs = set(re.findall(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"', form))
    assert "method" in inputs
    assert inputs <= {"csrfmiddlewaretoken", "method"}
    assert not [f.name for f in CandidateProfile._meta.get_fields() if "card" in f.name]


def test_an_unknown_method_records_nothing(coordinator_client, profile):
    response = coordinator_client.post(verify_url(profile), {"method": "card_number_AB12345678CD"})

    assert response.status_code in (200, 400)
    profile.refresh_from_db()
    assert profile.status_verified_at is None and profile.status_verified_by is None


@pytest.mark.parametrize("persona", ["candidate", "other_candidate", "employer_admin", "privacy_officer"])
def test_only_coordinators_and_support_verify(persona, persona_client, profile):
    client = persona_client(persona)

    assert client.get(verify_url(profile)).status_code == 403
    assert client.post(verify_url(profile), {"method": "card_in_person"}).status_code == 403

    profile.refresh_from_db()
    assert profile.status_verified_at is None


def test_the_candidate_and_employers_see_that_the_status_was_verified(coordinator_client, candidate_client, profile):
    assert "not verified yet" in preview_card(candidate_client)

    coordinator_client.post(verify_url(profile), {"method": "card_in_person"})

    assert "verified by Tsunagu" in preview_card(candidate_client)
    assert "not verified yet" not in preview_card(candidate_client)
    status_page = candidate_client.get(reverse("profiles:section", args=["status"])).content.decode()
    assert "Verified by Tsunagu staff on" in status_page


def test_changing_the_status_needs_a_new_verification(coordinator_client, candidate_client, candidate, profile):
    coordinator_client.post(verify_url(profile), {"method": "card_in_person"})

    # Saving another section, or the same facts again, keeps the verification.
    candidate_client.post(reverse("profiles:section", args=["japanese"]), {"japanese_speaking": "business"})
    same = {"status": profile.status_id, "period_of_stay_expiry": profile.period_of_stay_expiry.isoformat()}
    candidate_client.post(reverse("profiles:section", args=["status"]), same)
    assert CandidateProfile.objects.get(user=candidate).status_verified_at is not None

    changed = section_post("status", status=taxonomy_pk("StatusOfResidence", "ssw_1"))
    assert candidate_client.post(reverse("profiles:section", args=["status"]), changed).status_code == 302

    profile = CandidateProfile.objects.get(user=candidate)
    assert profile.status.code == "ssw_1"
    assert (profile.status_verified_at, profile.status_verified_by, profile.status_verification_method) == (
        None,
        None,
        "",
    )
    assert "not verified yet" in preview_card(candidate_client)


# --- The services refuse the wrong actor too (not only the views) -----------------------


@pytest.mark.parametrize("persona", ["candidate", "other_candidate", "employer_admin"])
def test_only_staff_decide_or_verify_even_through_the_services(persona, persona_user, profile):
    case = ModerationCaseFactory(profile=profile)
    actor = persona_user(persona)

    with pytest.raises(PermissionDenied):
        services.moderation_decide(actor=actor, case=case, hide=True, reason=REASON)
    with pytest.raises(PermissionDenied):
        services.status_verification_record(actor=actor, profile=profile, method="card_in_person")

    case.refresh_from_db()
    profile.refresh_from_db()
    assert case.state == "open"
    assert profile.self_introduction_hidden is False
    assert profile.status_verified_at is None
