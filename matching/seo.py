"""What search engines read: schema.org JobPosting data for an open
opening (Google's job posting structured data), and the sitemaps of open
openings and company pages in every language.

Nothing personal ever appears here: an opening, its company's public page
and its address as a prefecture and city. Closed, draft and expired
openings are in neither (the sitemaps read engine.open_openings, and the
opening page that carries the data is 404 for them)."""

import json
from collections.abc import Callable, Iterable
from datetime import datetime, time
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils.html import escape, linebreaks

from matching import selectors
from matching.models import Opening

# schema.org employmentType values (Google's list) by our employment types.
EMPLOYMENT_TYPES = {
    "full_time": "FULL_TIME",
    "contract": "CONTRACTOR",
    "part_time": "PART_TIME",
    "dispatch": "TEMPORARY",
}
SALARY_UNITS = {"hour": "HOUR", "month": "MONTH", "year": "YEAR"}


def job_posting(
    opening: Opening,
    *,
    absolute: Callable[[str], str],
    statuses: Iterable[Any] = (),
    logo: bool = False,
) -> dict:
    """The JobPosting of an open opening. `absolute` makes a path a full
    URL; `statuses` are the statuses of residence it accepts (already read
    by the page); `logo` whether the company has one."""
    company = absolute(reverse("matching:company", args=[opening.employer_id]))
    organisation: dict[str, Any] = {"@type": "Organization", "name": opening.employer.legal_name, "sameAs": company}
    if logo:
        organisation["logo"] = absolute(reverse("matching:company_logo", args=[opening.employer_id]))
    address = {"@type": "PostalAddress", "addressRegion": opening.prefecture.label, "addressCountry": "JP"}
    if opening.city:
        address["addressLocality"] = opening.city
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": opening.title,
        # Google reads HTML here: the text, escaped, in paragraphs.
        "description": linebreaks(escape(opening.description)),
        "identifier": {"@type": "PropertyValue", "name": opening.employer.legal_name, "value": str(opening.pk)},
        "url": absolute(reverse("matching:opening", args=[opening.pk])),
        "datePosted": (opening.published_at or opening.created_at).date().isoformat(),
        "employmentType": EMPLOYMENT_TYPES.get(opening.employment_type.code, "OTHER"),
        "hiringOrganization": organisation,
        "jobLocation": {"@type": "Place", "address": address},
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": "JPY",
            "value": {
                "@type": "QuantitativeValue",
                "minValue": opening.salary_min,
                "maxValue": opening.salary_max,
                "unitText": SALARY_UNITS.get(opening.salary_period, "MONTH"),
            },
        },
        "workHours": f"{opening.weekly_hours} hours per week",
    }
    if opening.closes_on:
        # Applications close at the end of that day in Japan.
        data["validThrough"] = datetime.combine(opening.closes_on, time(23, 59, 59)).isoformat() + "+09:00"
    # schema.org has no field for a language requirement: `qualifications`
    # (text) says it, as Google's guide suggests for other requirements.
    if opening.required_level is not None:
        data["qualifications"] = f"Japanese: {opening.required_level.label_en} or an equivalent level"
    else:
        data["qualifications"] = "No Japanese test required"
    labels = [status.label_en for status in statuses]
    if labels:
        data["eligibilityToWorkRequirement"] = "Status of residence in Japan: " + ", ".join(labels)
    if opening.languages:
        data["skills"] = f"Languages used at work: {opening.languages}"
    return data


def as_data_block(data: dict) -> str:
    """JSON for a <script type="application/ld+json"> data block: <, > and &
    escaped so no text in it can close the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# --- Sitemaps ------------------------------------------------------------------------


class _Localised(Sitemap):
    """Every item in every language of settings.LANGUAGES, each URL with
    its hreflang alternates and an x-default (the English page)."""

    i18n = True
    alternates = True
    x_default = True
    limit = 5000


class OpeningSitemap(_Localised):
    changefreq = "daily"

    def items(self):
        return selectors.openings_for_sitemap()

    def location(self, item: Opening) -> str:
        return reverse("matching:opening", args=[item.pk])

    def lastmod(self, item: Opening):
        return item.updated_at


class CompanySitemap(_Localised):
    changefreq = "weekly"

    def items(self):
        return selectors.companies_for_sitemap()

    def location(self, item) -> str:
        return reverse("matching:company", args=[item.pk])


SITEMAPS = {"openings": OpeningSitemap, "companies": CompanySitemap}
