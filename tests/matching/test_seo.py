"""Openings search engines can read (issue 13): schema.org JobPosting data
on each open opening with the fields Google documents (required: title,
description, datePosted, hiringOrganization, jobLocation; recommended:
validThrough, employmentType, baseSalary, identifier), served as a JSON-LD
data block that nothing can break out of; canonical URLs and hreflang
alternates; sitemaps of open openings and company pages in every
language. Closed openings drop out; nothing personal ever appears."""

import json
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.matching.factories import (
    ClosedOpeningFactory,
    CompleteCandidateProfileFactory,
    DraftOpeningFactory,
    EmployerWithAgreementFactory,
    ExpiredOpeningFactory,
    OpeningFactory,
)

pytestmark = pytest.mark.django_db

GOOGLE_REQUIRED = ["title", "description", "datePosted", "hiringOrganization", "jobLocation"]
DATA_BLOCK = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def job_posting(opening, language="en") -> dict:
    html = Client().get(f"/{language}/jobs/{opening.pk}/").content.decode()
    blocks = DATA_BLOCK.findall(html)
    assert len(blocks) == 1
    return json.loads(blocks[0])


@pytest.fixture
def company():
    return EmployerWithAgreementFactory(
        legal_name="株式会社さくらケア", contact_name="佐藤 花子", contact_email="hanako@sakura.example"
    )


def test_an_open_opening_carries_a_job_posting_with_googles_fields(company):
    closes = timezone.localdate() + timedelta(days=20)
    opening = OpeningFactory(
        employer=company,
        title="介護スタッフ Care staff",
        description="Line one.\nLine two & more.",
        category="ssw_nursing_care",
        prefecture="13",
        city="世田谷区",
        employment_type="full_time",
        salary_min=230_000,
        salary_max=280_000,
        required_level="jlpt_n3",
        closes_on=closes,
    )

    data = job_posting(opening)

    assert data["@context"] == "https://schema.org/" and data["@type"] == "JobPosting"
    for name in GOOGLE_REQUIRED:
        assert data[name], name
    assert data["title"] == "介護スタッフ Care staff"
    assert data["description"] == "<p>Line one.<br>Line two &amp; more.</p>"
    assert data["datePosted"] == opening.published_at.date().isoformat()
    assert data["validThrough"] == f"{closes.isoformat()}T23:59:59+09:00"
    assert data["employmentType"] == "FULL_TIME"
    assert data["hiringOrganization"] == {
        "@type": "Organization",
        "name": "株式会社さくらケア",
        "sameAs": f"http://testserver/en/companies/{company.pk}/",
    }
    assert data["jobLocation"] == {
        "@type": "Place",
        "address": {
            "@type": "PostalAddress",
            "addressRegion": "Tokyo",
            "addressLocality": "世田谷区",
            "addressCountry": "JP",
        },
    }
    assert data["baseSalary"] == {
        "@type": "MonetaryAmount",
        "currency": "JPY",
        "value": {"@type": "QuantitativeValue", "minValue": 230000, "maxValue": 280000, "unitText": "MONTH"},
    }
    assert data["qualifications"] == "Japanese: JLPT N3 or an equivalent level"
    assert data["url"] == f"http://testserver/en/jobs/{opening.pk}/"
    assert data["identifier"]["value"] == str(opening.pk)
    # Nothing personal: not the company's contact person or their email.
    text = json.dumps(data, ensure_ascii=False)
    assert "佐藤" not in text and "hanako@" not in text


def test_part_time_hourly_without_a_closing_date_or_a_test():
    opening = OpeningFactory(
        employment_type="part_time",
        weekly_hours=20,
        category="retail_restaurant_staff",
        salary_min=1_200,
        salary_max=1_400,
        salary_period="hour",
    )

    data = job_posting(opening, "ja")

    assert data["employmentType"] == "PART_TIME"
    assert data["baseSalary"]["value"]["unitText"] == "HOUR"
    assert "validThrough" not in data  # no closing date: none invented
    assert data["qualifications"] == "No Japanese test required"
    assert data["jobLocation"]["address"]["addressRegion"] == "東京都"
    assert data["url"].startswith("http://testserver/ja/")


def test_nothing_in_an_opening_can_break_out_of_the_data_block():
    opening = OpeningFactory(
        title="</script><script>alert(1)</script>", description="<!-- </SCRIPT> & ]]>", city="<b>x</b>"
    )

    html = Client().get(reverse("matching:opening", args=[opening.pk])).content.decode()
    block = DATA_BLOCK.findall(html)[0]

    assert "<" not in block and ">" not in block
    assert json.loads(block)["title"] == "</script><script>alert(1)</script>"
    assert "<script>alert(1)" not in html
    # The only inline script on the page is the data block.
    inline = [tag for tag in re.findall(r"<script\b[^>]*>", html) if "src=" not in tag]
    assert inline == ['<script type="application/ld+json">']


@pytest.mark.parametrize(
    "factory", [ClosedOpeningFactory, DraftOpeningFactory, ExpiredOpeningFactory], ids=["closed", "draft", "expired"]
)
def test_closed_draft_and_expired_openings_have_no_page_and_no_data(factory):
    opening = factory()

    response = Client().get(reverse("matching:opening", args=[opening.pk]))

    assert response.status_code == 404
    assert "application/ld+json" not in response.content.decode()


@pytest.mark.parametrize("page", ["opening", "company"])
def test_canonical_url_and_hreflang_alternates(page):
    opening = OpeningFactory()
    args = [opening.pk] if page == "opening" else [opening.employer_id]
    path = reverse(f"matching:{page}", args=args)

    html = Client().get(path + "?utm_source=x").content.decode()

    assert f'<link rel="canonical" href="http://testserver{path}">' in html
    for code, _name in settings.LANGUAGES:
        assert f'<link rel="alternate" hreflang="{code}" href="http://testserver/{code}/{path[4:]}">' in html
    assert f'<link rel="alternate" hreflang="x-default" href="http://testserver{path}">' in html


# --- Sitemaps -----------------------------------------------------------------------------


def sitemap(section: str) -> str:
    response = Client().get(reverse("sitemap_section", kwargs={"section": section}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return response.content.decode()


def test_the_sitemap_index_names_both_sections():
    response = Client().get("/sitemap.xml")

    xml = response.content.decode()
    assert response.status_code == 200
    assert "http://testserver/sitemap-openings.xml" in xml
    assert "http://testserver/sitemap-companies.xml" in xml


def test_the_sitemap_lists_open_openings_in_every_language_and_nothing_else():
    shown = OpeningFactory()
    hidden = [ClosedOpeningFactory(), DraftOpeningFactory(), ExpiredOpeningFactory()]
    candidate = CompleteCandidateProfileFactory()

    xml = sitemap("openings")

    for code, _name in settings.LANGUAGES:
        assert f"<loc>http://testserver/{code}/jobs/{shown.pk}/</loc>" in xml
        assert f'hreflang="{code}" href="http://testserver/{code}/jobs/{shown.pk}/"' in xml
    # x-default: the address without a language, which sends each visitor to theirs.
    assert f'hreflang="x-default" href="http://testserver/jobs/{shown.pk}/"' in xml
    response = Client().get(f"/jobs/{shown.pk}/", headers={"accept-language": "ja"})
    assert response.status_code == 302 and response["Location"] == f"/ja/jobs/{shown.pk}/"
    for opening in hidden:
        assert f"/jobs/{opening.pk}/" not in xml
    assert candidate.user.email not in xml and "/me/" not in xml and "/employer/" not in xml


def test_the_sitemap_lists_companies_with_open_openings():
    hiring = OpeningFactory().employer
    closed_only = ClosedOpeningFactory().employer

    xml = sitemap("companies")

    assert f"http://testserver/en/companies/{hiring.pk}/" in xml
    assert f"/companies/{closed_only.pk}/" not in xml


def test_an_opening_drops_out_of_the_sitemap_when_it_closes():
    opening = OpeningFactory()
    assert f"/jobs/{opening.pk}/" in sitemap("openings")

    opening.state = "closed"
    opening.save(update_fields=["state"])

    assert f"/jobs/{opening.pk}/" not in sitemap("openings")
