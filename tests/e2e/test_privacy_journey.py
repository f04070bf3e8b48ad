"""A candidate uses their privacy rights in a real browser, on a phone
(PRODUCT §7): downloads all their data, opens the zip, then withdraws their
membership with the code emailed to them and is gone.

The live server runs in this process: the export task runs eagerly when the
request commits, and mail goes to the locmem outbox this test reads."""

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import User
from consents.privacy.models import DataExport
from profiles.models import CandidateProfile
from tests.accounts.factories import CandidateFactory
from tests.consents.privacy.privacy_factories import filled_profile
from tests.e2e.helpers import last_mail_to
from tests.e2e.profile_helpers import expect_phone_friendly_page, sign_in_with_session

pytestmark = pytest.mark.django_db(transaction=True)

PASSPORT_NAME = "NGUYEN THI LAN"
ERASURE_CODE = re.compile(r"\b(\d{6})\b")


def test_candidate_downloads_their_data_and_then_withdraws_membership(page: Page, live_server):
    candidate = CandidateFactory(email="lan.nguyen@example.test", full_name="Nguyễn Thị Lan")
    profile = filled_profile(candidate, name_passport=PASSPORT_NAME, photo=True)
    sign_in_with_session(page.context, live_server.url, candidate)

    # --- Download my data ----------------------------------------------------------------
    page.goto(reverse("privacy:centre"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My privacy")
    expect_phone_friendly_page(page, "en")
    page.get_by_role("button", name="Prepare my data").click()

    export = DataExport.objects.get(user=candidate)
    expect(page).to_have_url(re.compile(re.escape(reverse("privacy:export", args=[export.pk])) + "$"))
    expect_phone_friendly_page(page, "en")
    download_link = page.get_by_role("link", name="Download (zip)")
    expect(download_link).to_be_visible(timeout=20_000)  # the page refreshes itself until ready
    expect(page.get_by_role("main").get_by_role("status")).to_have_text("Ready")

    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    assert download.suggested_filename == "tsunagu-my-data.zip"
    archive = zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes()))
    assert {"tsunagu-data.json", "tsunagu-data.html", "photo.jpg"} <= set(archive.namelist())
    data = json.loads(archive.read("tsunagu-data.json"))
    assert data["profile"]["name_as_in_passport"] == PASSPORT_NAME
    assert data["account"]["name"] == "Nguyễn Thị Lan"
    assert data["account"]["email"] == candidate.email
    assert PASSPORT_NAME in archive.read("tsunagu-data.html").decode()

    # --- Withdraw membership ---------------------------------------------------------------
    page.goto(reverse("privacy:centre"))
    page.get_by_role("link", name="Delete my account and profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw my membership")
    expect(page.get_by_role("heading", name="What we delete")).to_be_visible()
    expect(page.get_by_role("heading", name="What the law makes us keep")).to_be_visible()
    expect_phone_friendly_page(page, "en")
    page.get_by_role("button", name="Send me a code to confirm").click()

    code_field = page.get_by_label("The 6-digit code we emailed you")
    expect(code_field).to_be_visible()
    message = last_mail_to(candidate.email)
    assert message.subject == "Your code to delete your Tsunagu account"
    code = ERASURE_CODE.search(message.body).group(1)

    # A wrong code first: nothing happens, and the page says why.
    code_field.fill(f"{(int(code) + 1) % 10**6:06d}")
    page.get_by_role("button", name="Delete my account now").click()
    expect(page.get_by_text("This code is not right.")).to_be_visible()
    assert User.objects.filter(pk=candidate.pk).exists()

    page.get_by_label("The 6-digit code we emailed you").fill(code)
    page.get_by_role("button", name="Delete my account now").click()

    expect(page).to_have_url(re.compile(re.escape(reverse("privacy:goodbye")) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is deleted")
    expect_phone_friendly_page(page, "en")
    assert not User.objects.filter(pk=candidate.pk).exists()
    assert not CandidateProfile.objects.filter(pk=profile.pk).exists()
    assert not DataExport.objects.filter(pk=export.pk).exists()

    # Signed out: the privacy centre now asks to sign in.
    page.goto(reverse("privacy:centre"))
    expect(page).to_have_url(re.compile(re.escape(reverse("account_login"))))
