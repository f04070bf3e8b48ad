"""Privacy requests (PRODUCT §7; ../shared/domain/japan.md §5): the law that
applies follows where the person lives, and with it the kinds of request,
the answer's due date, receipt confirmation and extension; identity is
checked before an answer; the answer is emailed; privacy officers alone work
the queue, sorted by due date, with every step in the request's history."""

from datetime import date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from consents.privacy import services as privacy
from consents.privacy.models import PrivacyRequest, PrivacyRequestEvent, Regime
from outbox.models import OutboundEmail
from tests.accounts.factories import CandidateFactory

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")
NEW = "privacy:request_new"


def tokyo(*args) -> datetime:
    return datetime(*args, tzinfo=TOKYO)


def clock(moment: datetime):
    """Time travel: everything that asks django.utils.timezone.now()."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def public(**overrides) -> dict:
    data = {
        "name": "Jana Novak",
        "email": "jana.novak@example.test",
        "country": "DE",
        "us_state": "",
        "kind": "gdpr_access",
        "details": "Please send me a copy of my data.",
    }
    data.update(overrides)
    return data


def submit(*, requester=None, received: datetime | None = None, **overrides) -> PrivacyRequest:
    data = public(**overrides)
    call = lambda: privacy.privacy_request_submit(requester=requester, language="en", **data)  # noqa: E731
    if received is None:
        return call()
    with clock(received):
        return call()


def last_email_to(address: str) -> OutboundEmail:
    return OutboundEmail.objects.filter(to_email=address).latest("pk")


# --- The law that applies ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "us_state", "regime"),
    [
        ("DE", "", Regime.GDPR),
        ("FR", "", Regime.GDPR),
        ("NO", "", Regime.GDPR),  # EEA, not EU
        ("fr", "", Regime.GDPR),
        ("US", "CA", Regime.CCPA),
        ("us", "ca", Regime.CCPA),
        ("US", "NY", Regime.APPI),
        ("US", "", Regime.APPI),
        ("JP", "", Regime.APPI),
        ("VN", "", Regime.APPI),
        ("DE", "CA", Regime.GDPR),  # a state code means nothing outside the US
    ],
)
def test_the_regime_follows_residence(country, us_state, regime):
    assert privacy.regime_for(country, us_state) == regime


# --- Due dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2027, 1, 31), date(2027, 2, 28)),
        (date(2028, 1, 31), date(2028, 2, 29)),  # leap year
        (date(2026, 11, 30), date(2026, 12, 30)),
        (date(2026, 3, 31), date(2026, 4, 30)),
        (date(2026, 12, 15), date(2027, 1, 15)),
    ],
)
def test_gdpr_gives_one_calendar_month(received, due):
    assert privacy.due_dates(Regime.GDPR, received) == (due, None)


@pytest.mark.parametrize(
    ("received", "confirm_by"),
    [
        (date(2026, 1, 2), date(2026, 1, 16)),  # a Friday: two weekends skipped
        (date(2026, 1, 3), date(2026, 1, 16)),  # a Saturday: counting starts on Monday
        # A Wednesday: Coming of Age Day (12 Jan, Japan) and Martin Luther
        # King Jr. Day (19 Jan, US) each cost one day in their calendar.
        (date(2026, 1, 7), date(2026, 1, 22)),
    ],
)
def test_ccpa_gives_45_days_and_10_business_days_to_confirm_receipt(received, confirm_by):
    assert privacy.due_dates(Regime.CCPA, received) == (received + timedelta(days=45), confirm_by)


def test_appi_uses_the_internal_target(settings):
    settings.TSUNAGU_APPI_TARGET_DAYS = 5
    assert privacy.due_dates(Regime.APPI, date(2026, 5, 1)) == (date(2026, 5, 6), None)
    settings.TSUNAGU_APPI_TARGET_DAYS = 14
    assert privacy.due_dates(Regime.APPI, date(2026, 5, 1)) == (date(2026, 5, 15), None)


def test_the_due_date_counts_from_the_day_in_japan():
    """Received at 00:30 in Tokyo on 30 November (still 29 November in UTC)."""
    request = submit(received=tokyo(2026, 11, 30, 0, 30))
    assert request.due_on == date(2026, 12, 30)


def test_a_ccpa_request_carries_its_receipt_confirmation_date():
    request = submit(received=tokyo(2026, 1, 2, 10), country="US", us_state="CA", kind="ccpa_know")
    assert (request.regime, request.due_on, request.receipt_confirm_by) == (
        Regime.CCPA,
        date(2026, 2, 16),
        date(2026, 1, 16),
    )


# --- Extensions ------------------------------------------------------------------------------------


def test_gdpr_extends_by_two_months_once_and_only_within_the_first_month(privacy_officer):
    request = submit(received=tokyo(2027, 1, 31, 9))
    assert request.due_on == date(2027, 2, 28)
    with clock(tokyo(2027, 2, 28, 18)):
        privacy.privacy_request_extend(actor=privacy_officer, request=request, reason="Many systems to search.")
    request.refresh_from_db()
    assert request.extended_due_on == date(2027, 4, 28)
    assert request.effective_due_on == date(2027, 4, 28)
    assert request.state == PrivacyRequest.State.EXTENDED
    told = last_email_to("jana.novak@example.test")
    assert told.subject == "Your privacy request: more time needed"
    assert "2027-04-28" in told.body_text and "Many systems to search." in told.body_text

    with pytest.raises(ValidationError, match="already extended once"), clock(tokyo(2027, 2, 28, 19)):
        privacy.privacy_request_extend(actor=privacy_officer, request=request, reason="Again.")


def test_gdpr_refuses_an_extension_after_the_first_month(privacy_officer):
    request = submit(received=tokyo(2027, 1, 31, 9))
    with pytest.raises(ValidationError, match="within the first month"), clock(tokyo(2027, 3, 1, 9)):
        privacy.privacy_request_extend(actor=privacy_officer, request=request, reason="Late.")
    request.refresh_from_db()
    assert request.extended_due_on is None and request.state == PrivacyRequest.State.VERIFYING


def test_ccpa_extends_by_45_days_once_within_the_first_45_days(privacy_officer):
    request = submit(received=tokyo(2026, 1, 2, 10), country="US", us_state="CA", kind="ccpa_delete")
    with clock(tokyo(2026, 2, 16, 17)):
        privacy.privacy_request_extend(actor=privacy_officer, request=request, reason="Backups to check.")
    request.refresh_from_db()
    assert request.extended_due_on == date(2026, 4, 2)  # 90 days from receipt at most
    with pytest.raises(ValidationError, match="already extended once"), clock(tokyo(2026, 2, 16, 18)):
        privacy.privacy_request_extend(actor=privacy_officer, request=request, reason="Again.")

    late = submit(received=tokyo(2026, 1, 2, 10), country="US", us_state="CA", kind="ccpa_know")
    with pytest.raises(ValidationError, match="first 45 days"), clock(tokyo(2026, 2, 17, 9)):
        privacy.privacy_request_extend(actor=privacy_officer, request=late, reason="Late.")


def test_appi_has_no_extension(privacy_officer):
    request = submit(country="JP", kind="appi_disclosure")
    with pytest.raises(ValidationError, match="without delay"):
        privacy.privacy_request_extend(actor=privacy_officer, request=request, reason="Busy.")
    request.refresh_from_db()
    assert request.extended_due_on is None


def test_an_extension_needs_a_reason_told_to_the_requester(privacy_officer):
    request = submit()
    client = signed_in(privacy_officer)
    response = client.post(
        reverse("privacy:staff_request", args=[request.pk]), {"action": "extend", "text": " "}, follow=True
    )
    assert "An extension needs a reason the requester is told." in response.content.decode()
    request.refresh_from_db()
    assert request.extended_due_on is None


# --- The public form: identity first --------------------------------------------------------------


def test_a_public_request_waits_for_an_identity_check_before_any_answer(privacy_officer):
    client = Client()
    page = client.get(reverse(NEW)).content.decode()
    assert "we must check your identity before answering" in page
    response = client.post(reverse(NEW), public(details="Everything you hold, please."))
    assert response.status_code == 302 and response["Location"] == reverse("privacy:request_thanks")

    request = PrivacyRequest.objects.get()
    assert (request.regime, request.kind, request.state) == (Regime.GDPR, "gdpr_access", "verifying")
    assert request.requester is None and request.identity_verified_at is None
    received = last_email_to("jana.novak@example.test")
    assert received.subject == "We received your privacy request"
    assert f"We will answer by {request.due_on:%Y-%m-%d}" in received.body_text
    assert "we need to confirm your identity" in received.body_text

    officer = signed_in(privacy_officer)
    url = reverse("privacy:staff_request", args=[request.pk])
    response = officer.post(url, {"action": "answer", "text": "Here is your data."}, follow=True)
    assert "Check the requester&#x27;s identity before answering." in response.content.decode()
    request.refresh_from_db()
    assert request.state == "verifying" and request.answer == "" and request.answered_at is None
    assert not OutboundEmail.objects.filter(subject="The answer to your privacy request").exists()

    officer.post(url, {"action": "verify", "text": "Video call, passport shown."})
    officer.post(url, {"action": "answer", "text": "Here is your data: (attached list)."})
    request.refresh_from_db()
    assert request.state == "answered" and request.answered_by == privacy_officer
    answer = last_email_to("jana.novak@example.test")
    assert answer.subject == "The answer to your privacy request"
    assert "Here is your data: (attached list)." in answer.body_text
    assert answer.recipient is None


def test_a_signed_in_candidates_request_is_verified_by_the_account(candidate, privacy_officer):
    client = signed_in(candidate)
    page = client.get(reverse(NEW)).content.decode()
    assert 'name="email"' not in page and 'name="name"' not in page
    response = client.post(
        reverse(NEW),
        {"country": "JP", "kind": "appi_correction", "details": "My school name is misspelt.", "email": "x@evil.test"},
    )
    assert response.status_code == 302
    request = PrivacyRequest.objects.get()
    assert request.requester == candidate and request.email == candidate.email
    assert request.identity_verified_at is not None and request.identity_method == "signed-in account"
    assert request.state == "in_progress"

    signed_in(privacy_officer).post(
        reverse("privacy:staff_request", args=[request.pk]), {"action": "answer", "text": "Corrected."}
    )
    request.refresh_from_db()
    assert request.state == "answered"
    answer = OutboundEmail.objects.filter(subject="The answer to your privacy request").get()
    assert answer.recipient == candidate and answer.to_email == candidate.email
    centre = client.get(reverse("privacy:centre")).content.decode()
    assert "Correction" in centre and "Answered" in centre


def test_a_refusal_is_explained_and_points_to_the_regulator(privacy_officer):
    request = submit()
    signed_in(privacy_officer).post(
        reverse("privacy:staff_request", args=[request.pk]),
        {"action": "refuse", "text": "We could not confirm your identity."},
    )
    request.refresh_from_db()
    assert request.state == "refused"
    told = last_email_to("jana.novak@example.test")
    assert "We could not confirm your identity." in told.body_text
    assert "Personal Information Protection Commission" in told.body_text


def test_a_ccpa_receipt_is_confirmed_to_the_requester(privacy_officer):
    request = submit(country="US", us_state="CA", kind="ccpa_know", email="sam@example.test")
    signed_in(privacy_officer).post(
        reverse("privacy:staff_request", args=[request.pk]), {"action": "confirm_receipt", "text": ""}
    )
    request.refresh_from_db()
    assert request.receipt_confirmed_at is not None
    told = last_email_to("sam@example.test")
    assert told.subject == "Your privacy request: receipt confirmed"
    assert f"We will answer by {request.due_on:%Y-%m-%d}" in told.body_text


@pytest.mark.parametrize(
    ("country", "us_state", "kind", "law"),
    [
        ("DE", "", "ccpa_know", "EEA (GDPR)"),
        ("US", "CA", "gdpr_portability", "California (CCPA)"),
        ("US", "NY", "ccpa_delete", "Japan (APPI)"),
        ("JP", "", "gdpr_erasure", "Japan (APPI)"),
    ],
)
def test_a_kind_the_regime_does_not_have_is_refused_with_a_clear_message(country, us_state, kind, law):
    response = Client().post(reverse(NEW), public(country=country, us_state=us_state, kind=kind))
    assert response.status_code == 400
    assert f"Where you live, {law} applies: choose one of its requests." in response.content.decode()
    assert not PrivacyRequest.objects.exists()
    with pytest.raises(ValidationError, match="not available under the law that applies to you"):
        submit(country=country, us_state=us_state, kind=kind)


# --- The fee ----------------------------------------------------------------------------------------


def test_no_fee_is_mentioned_when_none_is_set(settings):
    settings.TSUNAGU_PRIVACY_REQUEST_FEE_YEN = 0
    page = Client().get(reverse(NEW)).content.decode()
    assert "¥" not in page
    request = submit(country="JP", kind="appi_disclosure")
    assert request.fee_yen == 0
    assert "fee" not in last_email_to("jana.novak@example.test").body_text


def test_the_fee_setting_is_shown_before_and_after_a_disclosure_request(settings, privacy_officer):
    """Seeds 001 and 003: ¥1,000 for disclosure or notification of the
    purpose of use (APPI Art. 38), made known beforehand (Art. 32(1))."""
    settings.TSUNAGU_PRIVACY_REQUEST_FEE_YEN = 1000
    page = Client().get(reverse(NEW)).content.decode()
    assert "¥1000" in page
    for kind in ("appi_disclosure", "appi_purpose", "appi_provision_records"):
        request = submit(country="JP", kind=kind)
        assert request.fee_yen == 1000
        assert "A fee of ¥1000 applies" in last_email_to("jana.novak@example.test").body_text
    staff_page = signed_in(privacy_officer).get(reverse("privacy:staff_request", args=[request.pk]))
    assert "¥1000" in staff_page.content.decode()
    with translation.override("ja"):
        japanese = Client().get(reverse(NEW)).content.decode()
    assert "手数料¥1000がかかります" in japanese


@pytest.mark.parametrize(
    ("country", "us_state", "kind"),
    [
        ("JP", "", "appi_correction"),
        ("JP", "", "appi_erasure"),
        ("JP", "", "appi_suspension"),
        ("DE", "", "gdpr_access"),
        ("US", "CA", "ccpa_know"),
    ],
)
def test_no_fee_is_charged_where_the_law_allows_none(settings, country, us_state, kind):
    """APPI allows a fee only for purpose notification and disclosure (Art.
    38); GDPR Art. 12(5) and the CCPA make requests free."""
    settings.TSUNAGU_PRIVACY_REQUEST_FEE_YEN = 1000
    request = submit(country=country, us_state=us_state, kind=kind)
    assert request.fee_yen == 0
    assert "fee" not in last_email_to("jana.novak@example.test").body_text


# --- The privacy officers' queue --------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator", "support", "candidate", "employer_admin"])
def test_only_privacy_officers_work_the_queue(persona, persona_client):
    request = submit()
    client = persona_client(persona)
    assert client.get(reverse("privacy:staff_requests")).status_code == 403
    url = reverse("privacy:staff_request", args=[request.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "verify", "text": "Looked at it."}).status_code == 403
    request.refresh_from_db()
    assert request.identity_verified_at is None
    assert list(request.events.values_list("kind", flat=True)) == ["received"]


def test_anonymous_is_sent_to_sign_in_from_the_queue():
    response = Client().get(reverse("privacy:staff_requests"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_the_queue_is_sorted_by_the_date_each_answer_is_due(privacy_officer):
    received = tokyo(2026, 6, 1, 10)
    extended = submit(received=received, kind="gdpr_access", name="Extended GDPR")  # due 1 July, extended to 1 Sept
    with clock(tokyo(2026, 6, 10, 10)):
        privacy.privacy_request_extend(actor=privacy_officer, request=extended, reason="Complex.")
    ccpa = submit(received=received, country="US", us_state="CA", kind="ccpa_know")  # due 16 July
    appi = submit(received=received, country="JP", kind="appi_disclosure")  # due 15 June

    with clock(tokyo(2026, 6, 12, 10)):
        page = signed_in(privacy_officer).get(reverse("privacy:staff_requests")).content.decode()
    positions = [page.index(f"{due:%Y-%m-%d}") for due in (appi.due_on, ccpa.due_on, date(2026, 9, 1))]
    assert positions == sorted(positions), "the queue is not in the order answers are due"
    assert "OVERDUE" not in page


def test_overdue_requests_are_flagged_and_answered_ones_leave_the_open_queue(privacy_officer):
    late = submit(received=tokyo(2026, 1, 5, 10), country="JP", kind="appi_disclosure", name="Late one")
    on_time = submit(received=tokyo(2026, 1, 25, 10), country="JP", kind="appi_purpose", name="On time")
    client = signed_in(privacy_officer)
    with clock(tokyo(2026, 1, 26, 10)):  # late was due 19 January
        page = client.get(reverse("privacy:staff_requests")).content.decode()
        detail = client.get(reverse("privacy:staff_request", args=[late.pk])).content.decode()
        other = client.get(reverse("privacy:staff_request", args=[on_time.pk])).content.decode()
    assert page.count("OVERDUE") == 1
    row = page[page.index("2026-01-19") - 200 : page.index("2026-01-19") + 200]
    assert "overdue" in row and "OVERDUE" in row
    assert "OVERDUE" in detail and "OVERDUE" not in other

    privacy.privacy_request_answer(
        actor=privacy_officer, request=late, answer="Sent, late; we apologise.", refused=True
    )
    with clock(tokyo(2026, 1, 26, 10)):
        page = client.get(reverse("privacy:staff_requests")).content.decode()
        everything = client.get(reverse("privacy:staff_requests") + "?show=all").content.decode()
    assert "2026-01-19" not in page and "OVERDUE" not in page
    assert "2026-01-19" in everything and "OVERDUE" not in everything


def test_the_request_keeps_its_full_history(privacy_officer):
    request = submit(received=tokyo(2026, 1, 2, 10), country="US", us_state="CA", kind="ccpa_correct")
    url = reverse("privacy:staff_request", args=[request.pk])
    # A fresh sign-in per day: a session saved under a shifted clock expires from it.
    with clock(tokyo(2026, 1, 5, 10)):
        signed_in(privacy_officer).post(url, {"action": "confirm_receipt", "text": ""})
        signed_in(privacy_officer).post(url, {"action": "verify", "text": "Emailed back from the address on file."})
    with clock(tokyo(2026, 1, 20, 10)):
        signed_in(privacy_officer).post(url, {"action": "extend", "text": "Three systems hold the address."})
    with clock(tokyo(2026, 3, 1, 10)):
        signed_in(privacy_officer).post(url, {"action": "answer", "text": "Your address is corrected everywhere."})
    client = signed_in(privacy_officer)

    events = list(PrivacyRequestEvent.objects.filter(request=request).values_list("kind", "actor", "detail"))
    assert [kind for kind, _actor, _detail in events] == [
        "received",
        "receipt_confirmed",
        "identity_verified",
        "extended",
        "answered",
    ]
    assert all(actor == privacy_officer.pk for kind, actor, _ in events if kind != "received")
    page = client.get(url).content.decode()
    for text in ("received", "Emailed back from the address on file.", "Three systems hold the address.", "answered"):
        assert text in page
    assert privacy_officer.email in page
    assert "Your address is corrected everywhere." in page


# --- Bad input ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"details": "x" * 10_000}, "Ensure this value has at most 5000 characters (it has 10000)."),
        ({"country": "XX"}, "Select a valid choice. XX is not one of the available choices."),
        ({"country": ""}, "This field is required."),
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"email": "a@b"}, "Enter a valid email address."),
        ({"name": "n" * 151}, "Ensure this value has at most 150 characters (it has 151)."),
        ({"kind": "gdpr_everything"}, "Select a valid choice."),
        ({"us_state": "CAL", "country": "US"}, "Ensure this value has at most 2 characters (it has 3)."),
    ],
)
def test_bad_input_gets_a_clear_error_never_a_server_error(overrides, message):
    response = Client().post(reverse(NEW), public(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PrivacyRequest.objects.exists()


def test_burmese_and_japanese_text_round_trips_intact(privacy_officer):
    name = "အောင်ကျော် (アウン・チョー)"
    details = "ကျေးဇူးပြု၍ ကျွန်ုပ်၏ ဒေတာကို ပို့ပေးပါ။\n日本語でもお願いします：職歴の訂正。"
    response = Client().post(
        reverse(NEW),
        public(name=name, details=details, country="MM", kind="appi_correction", email="Aung@Example.TEST"),
    )
    assert response.status_code == 302
    request = PrivacyRequest.objects.get()
    assert (request.name, request.details, request.email) == (name, details, "aung@example.test")
    page = signed_in(privacy_officer).get(reverse("privacy:staff_request", args=[request.pk]))
    text = page.content.decode()
    assert name in text
    for line in details.splitlines():
        assert line in text


def test_markup_in_a_request_is_shown_as_text(privacy_officer):
    Client().post(reverse(NEW), public(name="<b>Eve</b>", details="<script>alert(1)</script>"))
    request = PrivacyRequest.objects.get()
    page = signed_in(privacy_officer).get(reverse("privacy:staff_request", args=[request.pk]))
    text = page.content.decode()
    assert "<script>alert(1)</script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<b>Eve</b>" not in text


def test_a_staff_answer_too_long_is_an_error_not_a_crash(privacy_officer):
    request = submit()
    client = signed_in(privacy_officer)
    client.post(
        reverse("privacy:staff_request", args=[request.pk]), {"action": "verify", "text": "Passport seen."}
    )
    response = client.post(
        reverse("privacy:staff_request", args=[request.pk]), {"action": "answer", "text": "y" * 20_001}
    )
    assert response.status_code in (200, 400)
    assert "Ensure this value has at most 20000 characters" in response.content.decode()
    request.refresh_from_db()
    assert request.state == "in_progress" and request.answer == ""


def test_a_signed_in_candidate_with_no_name_and_a_long_address_can_still_ask():
    """The request names the person by the account's address when it has
    no name; an address longer than the name field must not break it."""
    email = ("a" * 60 + ".") * 3 + "x@example.test"
    candidate = CandidateFactory(email=email, full_name="")
    response = signed_in(candidate).post(reverse(NEW), {"country": "JP", "kind": "appi_disclosure", "details": ""})
    assert response.status_code == 302
    request = PrivacyRequest.objects.get()
    assert request.requester == candidate and request.email == email


# --- Business days from the holiday calendars --------------------------------------------------


def test_business_days_skip_each_countrys_public_holidays():
    # Golden Week: Showa Day, then 3-6 May 2026 (a substitute holiday on the 6th).
    assert privacy.add_business_days(date(2026, 4, 28), 10, country="JP") == date(2026, 5, 18)
    assert privacy.add_business_days(date(2026, 4, 28), 10, country="US") == date(2026, 5, 12)
    # Independence Day is observed on Friday 3 July 2026 in the US only.
    assert privacy.add_business_days(date(2026, 7, 1), 10, country="US") == date(2026, 7, 16)
    assert privacy.add_business_days(date(2026, 7, 1), 10, country="JP") == date(2026, 7, 15)


def test_a_ccpa_receipt_is_confirmed_by_the_earlier_of_both_counts():
    """Never later than the law's 10 business days, whichever calendar applies."""
    due, confirm_by = privacy.due_dates(Regime.CCPA, date(2026, 7, 1))
    assert confirm_by == date(2026, 7, 15)
    assert due == date(2026, 8, 15)
    _due, confirm_by = privacy.due_dates(Regime.CCPA, date(2026, 4, 28))
    assert confirm_by == date(2026, 5, 12)
