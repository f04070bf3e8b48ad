"""Saved jobs (issue 13): one click on a card keeps an opening for later —
a plain form without JavaScript, JSON for the page's script —; they are on
My page and /me/saved-jobs/; when one closes the candidate is told once, in
the app, and by email only while they agree to job opening emails; they
are in the data export and go with the account."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from consents.privacy import services as privacy_services
from matching import services as matching_services
from matching.models import Message, Opening
from matching.saved import services
from matching.saved.exports import section
from matching.saved.models import SavedJob
from outbox.models import OutboundEmail
from tests.accounts.factories import CandidateFactory
from tests.matching.factories import ClosedOpeningFactory, OpeningFactory, admin_of, days_from_today
from tests.matching.saved.factories import opted_in, save

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_candidate_saves_a_job_from_the_board_without_javascript(candidate):
    opening = OpeningFactory(title="介護スタッフ Care staff")
    client = signed_in(candidate)
    board = client.get(reverse("matching:board"))
    html = board.content.decode()
    save_url = reverse("saved:save", args=[opening.pk])
    assert f'action="{save_url}"' in html and "Save job" in html
    assert html.count("js/saved.js") == 1  # the script once per page, not per card

    response = client.post(save_url, {"action": "save", "next": reverse("matching:board")})
    assert response.status_code == 302 and response["Location"] == reverse("matching:board")
    assert SavedJob.objects.filter(user=candidate, opening=opening).exists()
    # Twice is once (a double click).
    client.post(save_url, {"action": "save"})
    assert SavedJob.objects.filter(user=candidate).count() == 1
    html = client.get(reverse("matching:board")).content.decode()
    assert 'aria-pressed="true"' in html and 'value="remove"' in html

    assert "介護スタッフ Care staff" in client.get(reverse("accounts:dashboard")).content.decode()
    assert "介護スタッフ Care staff" in client.get(reverse("saved:saved_jobs")).content.decode()

    client.post(save_url, {"action": "remove"})
    assert not SavedJob.objects.filter(user=candidate).exists()


def test_the_script_gets_json_and_no_redirect(candidate):
    opening = OpeningFactory()
    client = signed_in(candidate)
    url = reverse("saved:save", args=[opening.pk])
    response = client.post(url, {"action": "save"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert json.loads(response.content)["saved"] is True
    response = client.post(url, {"action": "remove"}, HTTP_ACCEPT="application/json")
    assert json.loads(response.content) == {"saved": False, "message": "Removed from your saved jobs."}


def test_a_save_needs_the_csrf_token(candidate):
    opening = OpeningFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(candidate)
    assert client.post(reverse("saved:save", args=[opening.pk]), {"action": "save"}).status_code == 403
    assert not SavedJob.objects.exists()


def test_closed_draft_and_unknown_openings_cannot_be_saved(candidate):
    client = signed_in(candidate)
    closed = ClosedOpeningFactory()
    assert client.post(reverse("saved:save", args=[closed.pk]), {"action": "save"}).status_code == 404
    assert client.post(reverse("saved:save", args=[999999]), {"action": "save"}).status_code == 404
    assert not SavedJob.objects.exists()


def test_a_hostile_next_is_not_followed(candidate):
    opening = OpeningFactory()
    response = signed_in(candidate).post(
        reverse("saved:save", args=[opening.pk]), {"action": "save", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("matching:opening", args=[opening.pk])


def test_employers_and_staff_cannot_save(employer_admin, coordinator):
    opening = OpeningFactory()
    for person in (employer_admin, coordinator):
        assert signed_in(person).post(reverse("saved:save", args=[opening.pk])).status_code == 403
    assert "Save job" not in signed_in(employer_admin).get(reverse("matching:board")).content.decode()
    assert "Save job" not in Client().get(reverse("matching:board")).content.decode()


def test_one_candidate_never_sees_anothers_saved_jobs(candidate, other_candidate):
    opening = OpeningFactory(title="Only mine")
    save(candidate, opening)
    assert "Only mine" not in signed_in(other_candidate).get(reverse("saved:saved_jobs")).content.decode()
    # Removing "another's" saved job removes nothing of theirs.
    signed_in(other_candidate).post(reverse("saved:save", args=[opening.pk]), {"action": "remove"})
    assert SavedJob.objects.filter(user=candidate).exists()


def test_a_closed_saved_job_is_told_once_in_the_app_and_by_mail_only_with_consent():
    agrees = opted_in("agrees@example.test", language="ja")
    silent = CandidateFactory(email="silent@example.test")
    opening = OpeningFactory(title="溶接工 Welder")
    still_open = OpeningFactory(title="Still open")
    for person in (agrees, silent):
        save(person, opening)
        save(person, still_open)
    matching_services.opening_close(actor=admin_of(opening.employer), opening=opening)

    assert services.saved_jobs_notify_closed() == 2
    assert services.saved_jobs_notify_closed() == 0  # once
    for person in (agrees, silent):
        notices = Message.objects.filter(recipient=person)
        assert notices.count() == 1 and "溶接工 Welder" in notices.get().subject
    mail = OutboundEmail.objects.filter(kind="saved.saved_job_closed")
    assert [m.to_email for m in mail] == ["agrees@example.test"]
    email = mail.get()
    assert email.language == "ja" and email.purpose == "job_openings"
    assert email.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "溶接工 Welder" in email.subject


def test_a_saved_job_whose_closing_date_passed_is_told_too(candidate):
    opening = OpeningFactory(closes_on=days_from_today(5))
    save(candidate, opening)
    Opening.objects.filter(pk=opening.pk).update(closes_on=days_from_today(-1))
    assert services.saved_jobs_notify_closed() == 1
    html = signed_in(candidate).get(reverse("saved:saved_jobs")).content.decode()
    assert "Closed: no longer accepting applications." in html


def test_saved_jobs_are_in_the_export_and_go_with_the_account(candidate, other_candidate):
    mine = OpeningFactory(title="Kaigo job")
    save(candidate, mine)
    save(other_candidate, mine)
    name, data = section(candidate)
    assert [s["opening"] for s in data["saved_jobs"]] == ["Kaigo job"]
    privacy_services.account_erase(user=candidate)
    assert not SavedJob.objects.filter(opening=mine).exclude(user=other_candidate).exists()
    assert SavedJob.objects.filter(user=other_candidate).count() == 1
