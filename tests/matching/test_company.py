"""Company pages (issue 13): a public page per employer — name, industry,
prefecture, description, open openings and a logo that went through the
photo pipeline — linked from each opening; written by the company's admin
only; nothing personal on it."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from matching.models import CompanyPage
from tests.matching.factories import (
    ClosedOpeningFactory,
    DraftOpeningFactory,
    EmployerWithAgreementFactory,
    OpeningFactory,
    admin_of,
    recruiter_of,
)
from tests.matching.test_query_counts import assert_constant

pytestmark = pytest.mark.django_db

EDIT = reverse("matching:employer_company_page")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def png(width=400, height=200) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGBA", (width, height), (200, 30, 30, 128))
    image.save(out, format="PNG")
    return out.getvalue()


def upload(data: bytes, name="logo.png", content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def company():
    return EmployerWithAgreementFactory(
        legal_name="株式会社さくらケア",
        industry="care",
        contact_name="佐藤 花子",
        contact_email="hanako@sakura.example",
    )


def save_page(company, **data):
    fields = {"description": "東京の介護施設です。We welcome staff from abroad.", "prefecture": "13", **data}
    return signed_in(admin_of(company)).post(EDIT, fields, follow=True)


def test_the_public_reads_the_company_and_its_open_jobs_from_an_opening(company):
    open_job = OpeningFactory(employer=company, title="介護スタッフ Care staff")
    DraftOpeningFactory(employer=company, title="Draft: night shift")
    ClosedOpeningFactory(employer=company, title="Closed: day care")
    save_page(company)

    detail = Client().get(reverse("matching:opening", args=[open_job.pk])).content.decode()
    url = reverse("matching:company", args=[company.pk])
    assert f'href="{url}"' in detail
    assert f'href="{url}"' in Client().get(reverse("matching:board")).content.decode()

    response = Client().get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>株式会社さくらケア</h1>" in html
    assert "Medical, health care and welfare" in html and "Tokyo" in html
    assert "東京の介護施設です。We welcome staff from abroad." in html
    assert "介護スタッフ Care staff" in html
    assert "Draft: night shift" not in html and "Closed: day care" not in html
    # Nothing personal: not the contact person, their email or the address.
    for private in ("佐藤 花子", "hanako@sakura.example", company.address):
        assert private not in html


def test_a_company_without_a_page_or_jobs_still_has_one_and_an_unknown_one_is_404(company):
    html = Client().get(reverse("matching:company", args=[company.pk])).content.decode()
    assert "This company has no open job at the moment." in html
    assert Client().get(reverse("matching:company", args=[999999])).status_code == 404
    assert Client().get(reverse("matching:company_logo", args=[company.pk])).status_code == 404


def test_the_admin_uploads_a_logo_through_the_photo_pipeline(company, django_capture_on_commit_callbacks):
    response = save_page(company, logo=upload(png()))

    assert "Your company page was saved." in response.content.decode()
    page = CompanyPage.objects.get(employer=company)
    logo = Client().get(reverse("matching:company_logo", args=[company.pk]))
    assert logo.status_code == 200
    assert logo["Content-Type"] == "image/jpeg"
    assert logo["X-Content-Type-Options"] == "nosniff"
    served = Image.open(io.BytesIO(b"".join(logo.streaming_content)))
    assert served.format == "JPEG" and served.size == (400, 200)
    assert re.fullmatch(r"logos/[0-9a-f]{32}\.jpg", page.logo.name)  # nothing of the company in it
    assert (
        reverse("matching:company_logo", args=[company.pk])
        in Client().get(reverse("matching:company", args=[company.pk])).content.decode()
    )

    # Replaced, then removed: the old files go.
    first = page.logo.name
    with django_capture_on_commit_callbacks(execute=True):
        save_page(company, logo=upload(png(300, 300)))
    page.refresh_from_db()
    second = page.logo.name
    assert second != first and not page.logo.storage.exists(first)
    with django_capture_on_commit_callbacks(execute=True):
        save_page(company, remove_logo="on")
    page.refresh_from_db()
    assert not page.logo and not page.logo.storage.exists(second)
    assert Client().get(reverse("matching:company_logo", args=[company.pk])).status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<?php echo 'hi'; ?>", "This file is not a photo we can use."),
        (b"", "This file is empty."),
        (png()[:60], "This photo seems damaged"),
    ],
    ids=["a script named .png", "empty", "truncated"],
)
def test_fake_or_broken_logos_are_refused_with_a_reason(company, data, message):
    response = signed_in(admin_of(company)).post(EDIT, {"description": "", "logo": upload(data)})

    assert response.status_code == 400
    assert message in response.content.decode()
    page = CompanyPage.objects.filter(employer=company).first()
    assert page is None or not page.logo


def test_a_logo_over_the_size_limit_is_refused_before_it_is_read(company, settings):
    settings.TSUNAGU_PHOTO_MAX_BYTES = 1000

    response = signed_in(admin_of(company)).post(EDIT, {"logo": upload(png(800, 800))})

    assert response.status_code == 400
    assert "This file is too large." in response.content.decode()


def test_only_the_companys_admin_writes_its_page(company):
    recruiter = recruiter_of(company)

    assert signed_in(recruiter).post(EDIT, {"description": "hacked"}).status_code == 403
    other = EmployerWithAgreementFactory()
    save_page(other, description="Our own words")
    assert not CompanyPage.objects.filter(employer=company).exists()
    assert CompanyPage.objects.get(employer=other).description == "Our own words"


@pytest.mark.parametrize("description", ["<script>alert(1)</script>", "မြန်မာ " * 10, "x" * 3001])
def test_hostile_burmese_and_huge_descriptions(company, description):
    response = signed_in(admin_of(company)).post(EDIT, {"description": description})
    html = Client().get(reverse("matching:company", args=[company.pk])).content.decode()

    if len(description) > 3000:
        assert response.status_code == 400
    else:
        assert response.status_code == 302
        assert "<script>alert(1)" not in html
        assert description.split()[0] in html or "&lt;script&gt;" in html


def test_the_company_page_asks_the_same_number_of_queries_for_any_number_of_jobs(company):
    save_page(company)

    def openings(start, stop):
        for i in range(start, stop):
            OpeningFactory(employer=company, title=f"Company job {i:02d}")

    openings(0, 2)
    assert_constant(
        Client(),
        reverse("matching:company", args=[company.pk]),
        lambda: openings(2, 25),
        ["Company job 00"],
        ["Company job 24"],
    )
