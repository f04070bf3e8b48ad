"""Download my data (PRODUCT §7; APPI Art. 33 electronic disclosure, GDPR
Arts. 15 and 20): one zip with everything Tsunagu holds about the person, as
JSON and as a readable page, with their photo, and nothing about anyone else;
a signed link for its owner only, for 7 days, then the archive is deleted."""

import html
import io
import json
import zipfile
from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consents.privacy.models import DataExport
from consents.privacy.retention import apply_retention
from outbox.models import OutboundEmail
from tests.consents.privacy.privacy_factories import (
    ADMIN_NAME,
    CANDIDATE_PASSPORT_NAME,
    EMPLOYER_NAME,
    NOTE_ABOUT_CANDIDATE,
    RECRUITER_NAME,
    filled_profile,
    one_of_each,
    other_candidate_user,
)

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def prepare(client: Client, capture, *, build: bool = True) -> DataExport:
    """Press "Prepare my data"; the task runs when the request's transaction
    commits (eagerly, in tests) unless `build` is False."""
    with capture(execute=build):
        response = client.post(reverse("privacy:export_start"))
    assert response.status_code == 302
    export = DataExport.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
    assert response["Location"] == reverse("privacy:export", args=[export.pk])
    return export


def download_url(client: Client, export: DataExport) -> str:
    """The link the progress page offers once the archive is ready."""
    page = client.get(reverse("privacy:export", args=[export.pk])).content.decode()
    prefix = reverse("privacy:export", args=[export.pk]) + "download/"
    start = page.index(prefix)
    return html.unescape(page[start : page.index('"', start)])


def archive(response) -> zipfile.ZipFile:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def texts_of(zipped: zipfile.ZipFile) -> dict[str, str]:
    """Every file of the archive as text (binary files decoded leniently, so
    a name hidden in them would still be found)."""
    return {name: zipped.read(name).decode("utf-8", errors="replace") for name in zipped.namelist()}


@pytest.fixture
def world(candidate):
    return one_of_each(candidate, other_candidate_user())


@pytest.fixture
def downloaded(world, django_capture_on_commit_callbacks):
    client = signed_in(world.candidate)
    export = prepare(client, django_capture_on_commit_callbacks)
    return archive(client.get(download_url(client, export)))


# --- What is in the archive ---------------------------------------------------------------


def test_the_archive_holds_the_json_the_readable_page_and_the_photo(downloaded):
    assert sorted(downloaded.namelist()) == ["photo.jpg", "tsunagu-data.html", "tsunagu-data.json"]


def test_the_json_holds_every_category_of_the_persons_data(world, downloaded):
    data = json.loads(downloaded.read("tsunagu-data.json"))
    assert data["schema_version"] == "2"

    account = data["account"]
    assert account["email"] == world.candidate.email
    assert account["name"] == world.candidate.full_name
    subjects = {e["subject"] for e in account["emails_sent_to_you"]}
    assert any(EMPLOYER_NAME in s for s in subjects), subjects  # the application's messages
    assert all(e["text"] for e in account["emails_sent_to_you"])

    profile = data["profile"]
    assert profile["name_as_in_passport"] == CANDIDATE_PASSPORT_NAME
    assert profile["name_in_katakana"] == "グエン・ティ・ラン"
    assert profile["telephone"] == "+819012345678"
    assert profile["address"]["street"] == "霞が関1-2-3 つなぐビル 405"
    assert profile["status_of_residence"]["verification_method"] == "card_in_person"
    assert profile["status_of_residence"]["verified_at"]
    assert [t["level"] for t in profile["japanese_tests"]] == ["JLPT N2"]
    assert profile["other_languages"] == [{"language": "vi", "level": "native"}]
    assert len(profile["qualifications"]) == 1
    assert profile["education"][0]["school"] == "Hanoi University"
    assert profile["work_history"][0]["employer"] == "Saigon Kitchen"
    assert profile["looking_for"]["categories"] and profile["looking_for"]["open_to_proposals"] is True
    assert profile["self_introduction"].startswith("I cooked for five years")
    assert profile["photo"] == "photo.jpg"

    consents = data["consents"]
    assert {e["kind"] for e in consents["ledger"]} == {"share", "purpose", "cookie", "policy"}
    assert [g["employer"] for g in consents["share_grants"]] == [EMPLOYER_NAME]
    assert consents["email_purposes"]["job_openings"] is True
    assert consents["cookie_choices"][0]["preferences"] is True
    assert {p["document"] for p in consents["policies_accepted"]} == {"terms", "privacy"}
    viewers = {v["viewer"] for v in consents["who_viewed_my_profile"]}
    assert viewers == {EMPLOYER_NAME, "Tsunagu staff"}
    assert len(consents["restrictions"]) == 1 and consents["restrictions"][0]["lifted"]

    requests = data["privacy"]["requests"]
    assert [r["kind"] for r in requests] == ["appi_provision_records"]
    assert requests[0]["details"] == "Which employers saw my profile?"

    applications = data["applications"]
    (application,) = applications["applications"]
    assert application["employer"] == EMPLOYER_NAME
    assert application["state"] == "interview"
    assert [h["to"] for h in application["history"]] == ["applied", "screening", "interview"]
    assert [n["note"] for n in application["employer_notes"]] == [NOTE_ABOUT_CANDIDATE]
    assert [p["opening"] for p in applications["proposals"]] == ["Kitchen lead, Shibuya"]
    assert applications["proposals"][0]["message"] == "This kitchen fits your experience."
    assert applications["messages"]


def test_the_photo_is_the_persons_photo(world, downloaded):
    with world.profile.photo.open("rb") as handle:
        stored = handle.read()
    assert downloaded.read("photo.jpg") == stored
    assert stored[:3] == b"\xff\xd8\xff"  # a JPEG


def test_the_readable_page_shows_the_data_in_the_persons_language(world, downloaded):
    page = downloaded.read("tsunagu-data.html").decode()
    assert page.startswith("<!DOCTYPE html>")
    assert f'<html lang="{world.candidate.language}">' in page
    text = html.unescape(page)
    for expected in (
        CANDIDATE_PASSPORT_NAME,
        world.candidate.email,
        EMPLOYER_NAME,
        NOTE_ABOUT_CANDIDATE,
        "霞が関1-2-3",
    ):
        assert expected in text


def test_nothing_of_another_person_is_in_the_archive(world, downloaded):
    """The other candidate applied to the same opening, was noted on and
    viewed by the same people: none of it may reach this archive."""
    for name, text in texts_of(downloaded).items():
        readable = html.unescape(text)
        for foreign in world.other_person_strings:
            assert foreign not in text and foreign not in readable, f"{foreign!r} of another person in {name}"


def test_the_employers_notes_do_not_name_their_authors(world, downloaded):
    data = json.loads(downloaded.read("tsunagu-data.json"))
    notes = json.dumps(data["applications"]["applications"][0]["employer_notes"], ensure_ascii=False)
    for member in (world.side.admin, world.side.recruiter):
        assert member.email not in notes
    assert RECRUITER_NAME not in notes and ADMIN_NAME not in notes
    assert NOTE_ABOUT_CANDIDATE in notes


def test_the_owner_is_emailed_when_the_archive_is_ready(world, django_capture_on_commit_callbacks):
    prepare(signed_in(world.candidate), django_capture_on_commit_callbacks)
    email = OutboundEmail.objects.filter(recipient=world.candidate).order_by("-created_at", "-pk").first()
    assert email.subject == "Your Tsunagu data is ready to download"
    assert email.to_email == world.candidate.email


def test_a_text_in_brackets_is_shown_as_text(candidate, django_capture_on_commit_callbacks):
    """allauth's subjects start with "[Tsunagu]" (here: how a candidate
    signs in, after asking for a password reset): read as a list, the
    readable page recursed until the archive failed."""
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("account_reset_password"), {"email": candidate.email})
    client = signed_in(candidate)
    export = prepare(client, django_capture_on_commit_callbacks)
    export.refresh_from_db()
    assert export.state == DataExport.State.READY, export.error
    page = texts_of(archive(client.get(download_url(client, export))))["tsunagu-data.html"]
    assert "[Tsunagu] " in html.unescape(page)


# --- The progress page and one archive at a time ---------------------------------------------


def test_the_progress_page_shows_each_state(candidate, django_capture_on_commit_callbacks):
    filled_profile(candidate, name_passport=CANDIDATE_PASSPORT_NAME)
    client = signed_in(candidate)
    export = prepare(client, django_capture_on_commit_callbacks, build=False)
    page_url = reverse("privacy:export", args=[export.pk])

    page = client.get(page_url).content.decode()
    assert "Waiting" in page
    assert 'http-equiv="refresh"' in page  # the page refreshes itself
    assert "/download/" not in page

    DataExport.objects.filter(pk=export.pk).update(state=DataExport.State.BUILDING, progress=45)
    page = client.get(page_url).content.decode()
    assert "Being prepared — 45%" in page
    assert 'http-equiv="refresh"' in page

    DataExport.objects.filter(pk=export.pk).update(state=DataExport.State.PENDING, progress=0)
    from consents.privacy.tasks import build_data_export

    build_data_export.delay(export.pk)
    page = client.get(page_url).content.decode()
    assert "Ready" in page and "Download (zip)" in page
    assert 'http-equiv="refresh"' not in page

    # Past its time but not yet deleted by the retention task: no link to a 404.
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    page = client.get(page_url).content.decode()
    assert "This archive was deleted after 7 days" in page and "/download/" not in page

    DataExport.objects.filter(pk=export.pk).update(state=DataExport.State.FAILED)
    page = client.get(page_url).content.decode()
    assert "Something went wrong" in page and "/download/" not in page

    DataExport.objects.filter(pk=export.pk).update(state=DataExport.State.EXPIRED)
    page = client.get(page_url).content.decode()
    assert "This archive was deleted after 7 days" in page and "/download/" not in page


def test_a_second_request_while_one_is_being_prepared_returns_the_same_archive(
    candidate, django_capture_on_commit_callbacks
):
    client = signed_in(candidate)
    first = prepare(client, django_capture_on_commit_callbacks, build=False)
    assert prepare(client, django_capture_on_commit_callbacks, build=False) == first
    DataExport.objects.filter(pk=first.pk).update(state=DataExport.State.BUILDING)
    assert prepare(client, django_capture_on_commit_callbacks, build=False) == first
    assert DataExport.objects.filter(user=candidate).count() == 1


def test_once_ready_a_new_request_prepares_a_new_archive(candidate, django_capture_on_commit_callbacks):
    client = signed_in(candidate)
    first = prepare(client, django_capture_on_commit_callbacks)
    first.refresh_from_db()
    assert first.state == DataExport.State.READY
    second = prepare(client, django_capture_on_commit_callbacks)
    assert second != first
    second.refresh_from_db()
    assert second.state == DataExport.State.READY


# --- The download link ----------------------------------------------------------------------


@pytest.fixture
def ready(candidate, django_capture_on_commit_callbacks):
    filled_profile(candidate, name_passport=CANDIDATE_PASSPORT_NAME)
    client = signed_in(candidate)
    export = prepare(client, django_capture_on_commit_callbacks)
    export.refresh_from_db()
    assert export.state == DataExport.State.READY
    return export, download_url(client, export)


def test_the_link_works_for_its_owner_and_is_not_cached(candidate, ready):
    export, url = ready
    response = signed_in(candidate).get(url)
    zipped = archive(response)
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert json.loads(zipped.read("tsunagu-data.json"))["profile"]["name_as_in_passport"] == CANDIDATE_PASSPORT_NAME
    export.refresh_from_db()
    assert export.downloaded_at is not None


def test_another_candidate_gets_not_found(other_candidate, ready):
    _export, url = ready
    assert signed_in(other_candidate).get(url).status_code == 404


def test_anonymous_is_sent_to_sign_in(ready):
    _export, url = ready
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_tampered_or_borrowed_token_gets_not_found(candidate, ready, django_capture_on_commit_callbacks):
    export, url = ready
    client = signed_in(candidate)
    token = url.rstrip("/").rsplit("/", 1)[1]
    tampered = reverse("privacy:export_download", args=[export.pk, token[:-2] + "xx"])
    assert client.get(tampered).status_code == 404
    unsigned = reverse("privacy:export_download", args=[export.pk, str(export.pk)])
    assert client.get(unsigned).status_code == 404
    # A valid token is bound to its archive: it opens no other one.
    newer = prepare(client, django_capture_on_commit_callbacks)
    assert client.get(reverse("privacy:export_download", args=[newer.pk, token])).status_code == 404


def test_the_link_stops_working_after_7_days(candidate, ready):
    export, url = ready
    client = signed_in(candidate)
    export.refresh_from_db()
    with mock.patch("django.utils.timezone.now", return_value=export.ready_at + timedelta(days=6, hours=23)):
        assert client.get(url).status_code == 200
    with mock.patch("django.utils.timezone.now", return_value=export.ready_at + timedelta(days=7, minutes=1)):
        assert client.get(url).status_code == 404


def test_retention_deletes_the_archive_and_its_file_after_7_days(candidate, ready):
    export, url = ready
    export.refresh_from_db()
    name = export.file.name
    assert default_storage.exists(name)

    apply_retention(now=timezone.now() + timedelta(days=6))
    export.refresh_from_db()
    assert export.state == DataExport.State.READY and default_storage.exists(name)

    apply_retention(now=timezone.now() + timedelta(days=8))
    export.refresh_from_db()
    assert export.state == DataExport.State.EXPIRED
    assert not export.file
    assert not default_storage.exists(name)
    client = signed_in(candidate)
    assert client.get(url).status_code == 404
    assert (
        "This archive was deleted after 7 days"
        in client.get(reverse("privacy:export", args=[export.pk])).content.decode()
    )
