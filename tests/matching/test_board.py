"""The public job board (PRODUCT §5): anyone browses and searches open jobs
without signing in and without JavaScript; nothing that is not open is
listed or reachable; no input, however odd, breaks the page. Staff can take
an opening off the board, telling the employer why.
"""

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from matching.models import Message, Opening
from tests.matching.factories import (
    ClosedOpeningFactory,
    DraftOpeningFactory,
    EmployerWithAgreementFactory,
    ExpiredOpeningFactory,
    OpeningFactory,
    admin_of,
    recruiter_of,
)

pytestmark = pytest.mark.django_db


def board(**params):
    return Client().get(reverse("matching:board"), params)


def titles_on(response, candidates) -> set[str]:
    html = response.content.decode()
    return {title for title in candidates if title in html}


@pytest.fixture
def openings():
    """Three openings that differ in every filter."""
    welder = OpeningFactory(
        employer=EmployerWithAgreementFactory(legal_name="Chubu Steel K.K."),
        title="溶接工 / Welder",
        description="工場での溶接作業。寮あり。",
        category="ssw_industrial_manufacturing",
        prefecture="23",
        required_level="jlpt_n4",
        sponsorship_offered=True,
    )
    engineer = OpeningFactory(
        employer=EmployerWithAgreementFactory(legal_name="Shibuya Apps Inc."),
        title="Software engineer",
        description="Build our booking platform in Python.",
        category="it_engineering",
        prefecture="13",
        required_level="jlpt_n2",
    )
    kitchen = OpeningFactory(
        employer=EmployerWithAgreementFactory(legal_name="Asakusa Ramen"),
        title="Kitchen helper",
        description="Wash, cut and serve. Evening shifts.",
        category="retail_restaurant_staff",
        employment_type="part_time",
        weekly_hours=20,
        salary_min=1_200,
        salary_max=1_400,
        salary_period="hour",
        prefecture="13",
    )
    return {"welder": welder, "engineer": engineer, "kitchen": kitchen}


TITLES = ["溶接工 / Welder", "Software engineer", "Kitchen helper"]


def test_anyone_browses_the_open_jobs_without_signing_in(openings):
    response = board()

    html = response.content.decode()
    assert response.status_code == 200
    assert titles_on(response, TITLES) == set(TITLES)
    assert "Chubu Steel K.K." in html and "Asakusa Ramen" in html
    assert "3 openings" in html
    detail = Client().get(reverse("matching:opening", args=[openings["engineer"].pk]))
    assert detail.status_code == 200
    assert "Sign in to apply" in detail.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "溶接"}, {"溶接工 / Welder"}),
        ({"q": "寮あり"}, {"溶接工 / Welder"}),
        ({"q": "welder"}, {"溶接工 / Welder"}),
        ({"q": "PYTHON booking"}, {"Software engineer"}),
        ({"q": "python welder"}, set()),
        ({"q": "asakusa"}, {"Kitchen helper"}),
        ({"prefecture": "23"}, {"溶接工 / Welder"}),
        ({"prefecture": "13"}, {"Software engineer", "Kitchen helper"}),
        ({"category": "it_engineering"}, {"Software engineer"}),
        ({"level": "3"}, {"溶接工 / Welder", "Kitchen helper"}),
        ({"level": "1"}, {"Kitchen helper"}),
        ({"level": "5"}, set(TITLES)),
        ({"employment_type": "part_time"}, {"Kitchen helper"}),
        ({"sponsorship": "on"}, {"溶接工 / Welder"}),
        ({"prefecture": "13", "level": "3"}, {"Kitchen helper"}),
    ],
    ids=[
        "keyword in Japanese (title)",
        "keyword in Japanese (description)",
        "keyword in English, any case",
        "every word must match",
        "words that match different jobs",
        "employer name",
        "prefecture Aichi",
        "prefecture Tokyo",
        "category",
        "my level N3: jobs requiring N3 or less",
        "my level N5: only jobs without a requirement",
        "my level N1: every job",
        "employment type",
        "sponsorship",
        "filters combine",
    ],
)
def test_each_filter_narrows_the_list(openings, params, expected):
    response = board(**params)

    assert response.status_code == 200
    assert titles_on(response, TITLES) == expected


def next_link(response) -> str:
    """The query string of the page's "Next" link (keyset: a signed cursor)."""
    found = re.search(r'<a href="\?([^"]*)" rel="next">', response.content.decode())
    assert found, "no Next link"
    return unescape(found.group(1))


def test_twenty_five_openings_make_two_pages():
    for i in range(25):
        OpeningFactory(title=f"Warehouse job no. {i:02d}")

    first = board()
    second = Client().get(reverse("matching:board") + "?" + next_link(first))

    titles = [f"Warehouse job no. {i:02d}" for i in range(25)]
    on_first, on_second = titles_on(first, titles), titles_on(second, titles)
    assert len(on_first) == 20 and len(on_second) == 5
    assert on_first.isdisjoint(on_second)
    assert "25 openings" in first.content.decode()
    assert 'rel="next"' not in second.content.decode()
    assert 'rel="prev"' in second.content.decode()


def test_an_old_page_link_shows_that_page_of_the_search_as_it_is_now():
    """Links from before the keyset cursor (`?page=N`) land on page N, and
    the links onwards are cursors."""
    for i in range(45):
        OpeningFactory(title=f"Harbour job no. {i:02d}", prefecture="13" if i % 3 else "27")
    titles = [f"Harbour job no. {i:02d}" for i in range(45)]
    newest_first = titles[::-1]

    pages = [board(page=str(n)) for n in (1, 2, 3)]

    assert titles_on(pages[0], titles) == set(newest_first[:20])
    assert titles_on(pages[1], titles) == set(newest_first[20:40])
    assert titles_on(pages[2], titles) == set(newest_first[40:])
    for response in pages:
        assert response.status_code == 200
        assert "out of date" not in response.content.decode()
    onwards = next_link(pages[1])
    assert "page=" not in onwards
    assert titles_on(Client().get(reverse("matching:board") + "?" + onwards), titles) == set(newest_first[40:])
    tokyo = [t for i, t in enumerate(titles) if i % 3]
    assert titles_on(board(prefecture="13", page="2"), tokyo) == set(tokyo[::-1][20:])


@pytest.mark.parametrize("number", ["3", "51", "999999"])
def test_an_old_link_to_a_page_that_is_no_more_shows_the_first_page_and_says_so(number):
    for i in range(25):
        OpeningFactory(title=f"Bakery job no. {i:02d}")

    response = board(page=number)

    html = response.content.decode()
    assert response.status_code == 200
    assert f"That page link (page {number}) is out of date: here is the first page." in html
    assert len(titles_on(response, [f"Bakery job no. {i:02d}" for i in range(25)])) == 20


def test_filters_are_kept_across_pages():
    for i in range(22):
        OpeningFactory(title=f"Tokyo office job {i:02d}", prefecture="13")
    OpeningFactory(title="Osaka office job", prefecture="27")

    first = board(prefecture="13")
    query = next_link(first)

    assert query.startswith("prefecture=13&cursor=")
    second = Client().get(reverse("matching:board") + "?" + query).content.decode()
    assert "Osaka office job" not in second
    assert "Tokyo office job 00" in second


def test_only_open_openings_are_listed_or_reachable():
    shown = OpeningFactory(title="Open: forklift operator")
    hidden = {
        "draft": DraftOpeningFactory(title="Draft: night guard"),
        "closed": ClosedOpeningFactory(title="Closed: bakery assistant"),
        "past its closing date": ExpiredOpeningFactory(title="Expired: harbour crane"),
    }

    response = board()

    assert shown.title in response.content.decode()
    for opening in hidden.values():
        assert opening.title not in response.content.decode()
        assert Client().get(reverse("matching:opening", args=[opening.pk])).status_code == 404
    assert "1 opening" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"level": "abc"}, 400),
        ({"level": "9"}, 400),
        ({"prefecture": "99"}, 400),
        ({"category": "<script>"}, 400),
        ({"employment_type": "slavery"}, 400),
        ({"q": "x" * 10_000}, 400),
        ({"page": "-1"}, 200),
        ({"cursor": "abc"}, 200),
        ({"cursor": "99999999999999999999" * 100}, 200),
        ({"sponsorship": "maybe"}, 200),
        ({"unknown": "1"}, 200),
    ],
    ids=lambda value: str(value)[:30],
)
def test_malformed_filters_give_a_clear_answer_never_an_error_page(openings, params, status):
    response = board(**params)

    assert response.status_code == status
    html = response.content.decode()
    assert "<h1>Jobs in Japan</h1>" in html
    if status == 400:
        assert 'class="errorlist' in html
    assert "<script>" not in html


def test_titles_and_descriptions_are_escaped():
    opening = OpeningFactory(
        title="<script>alert('board')</script> Cook", description="<img src=x onerror=alert(1)> Good pay"
    )

    listing = board().content.decode()
    detail = Client().get(reverse("matching:opening", args=[opening.pk])).content.decode()

    for html in (listing, detail):
        assert "<script>alert(" not in html
        assert "&lt;script&gt;alert(&#x27;board&#x27;)&lt;/script&gt; Cook" in html
    assert "<img src=x" not in detail
    assert "&lt;img src=x onerror=alert(1)&gt; Good pay" in detail


def test_the_board_is_a_plain_get_form_with_results_rendered_on_the_server(openings):
    html = board(q="welder").content.decode()

    assert '<form method="get"' in html
    for name in ("q", "prefecture", "category", "level", "employment_type", "sponsorship"):
        assert f'name="{name}"' in html
    assert '<button type="submit"' in html
    assert "溶接工 / Welder" in html  # the results are in the page itself
    # nothing to run for it to work (the cookie banner's sizing script is the page's only one)
    assert all("js/cookie-banner.js" in tag for tag in re.findall(r"<script[^>]*>", html))


# --- Staff take an opening off the board -------------------------------------------------


def unpublish(user, opening, reason):
    client = Client()
    client.force_login(user)
    return client.post(reverse("matching:staff_opening_unpublish", args=[opening.pk]), {"reason": reason}, follow=True)


@pytest.mark.parametrize("persona", ["support", "coordinator"])
def test_staff_unpublish_with_a_reason_and_every_member_is_told(persona, persona_user):
    company = EmployerWithAgreementFactory()
    members = [admin_of(company), recruiter_of(company)]
    opening = OpeningFactory(employer=company, title="Night-shift packer")
    reason = "The salary shown is below the prefectural minimum wage."

    response = unpublish(persona_user(persona), opening, reason)

    opening.refresh_from_db()
    assert "Unpublished. The employer was told why." in response.content.decode()
    assert (opening.state, opening.unpublished_reason) == (Opening.State.CLOSED, reason)
    assert opening.unpublished_by == persona_user(persona)
    assert "Night-shift packer" not in board().content.decode()
    assert Client().get(reverse("matching:opening", args=[opening.pk])).status_code == 404
    for member in members:
        message = Message.objects.get(recipient=member)
        assert message.subject == "Your opening “Night-shift packer” was unpublished"
        assert reason in message.body
    client = Client()
    client.force_login(members[1])
    own_page = client.get(reverse("matching:employer_opening", args=[opening.pk])).content.decode()
    assert f"Unpublished by Tsunagu staff: {reason}" in own_page


@pytest.mark.parametrize("reason", ["", "   "], ids=["empty", "blank"])
def test_unpublishing_without_a_reason_is_refused(reason, support):
    opening = OpeningFactory()

    response = unpublish(support, opening, reason)

    opening.refresh_from_db()
    assert "Give the reason: the employer will see it." in response.content.decode()
    assert opening.state == Opening.State.OPEN
    assert not Message.objects.exists()


@pytest.mark.parametrize("persona", ["privacy_officer", "employer_admin", "candidate"])
def test_only_support_and_coordinators_unpublish(persona, persona_user):
    opening = OpeningFactory()

    client = Client()
    client.force_login(persona_user(persona))
    response = client.post(reverse("matching:staff_opening_unpublish", args=[opening.pk]), {"reason": "spam"})

    opening.refresh_from_db()
    assert response.status_code == 403
    assert opening.state == Opening.State.OPEN
