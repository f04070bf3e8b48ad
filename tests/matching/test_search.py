"""Finding work (issue 13): a keyword in English, Japanese (kanji, either
kana, full-width) or romaji finds places and kinds of work by their names,
readings and synonyms, forgives a typing mistake, and says why each opening
matched; filters by salary per month, hours, no Japanese test and "jobs I
may legally take"; sorts; counts beside each filter; pages that follow a
signed cursor, stable while openings are added, and a forged cursor that
gives the first page with a word, never an error.

The table runs on SQLite and on PostgreSQL (DATABASE_URL); the index checks
at the end only on PostgreSQL.
"""

import re
from html import unescape
from io import StringIO
from urllib.parse import urlencode

import pytest
from django.core import signing
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from matching import search, selectors, services
from matching.models import Opening
from profiles.models import Prefecture
from tests.matching.factories import (
    CompleteCandidateProfileFactory,
    EmployerWithAgreementFactory,
    OpeningFactory,
    admin_of,
)
from tests.matching.test_query_counts import assert_constant

pytestmark = pytest.mark.django_db

BOARD = reverse("matching:board")


def board(client: Client | None = None, **params):
    return (client or Client()).get(BOARD, params)


def titles_on(response, titles) -> set[str]:
    html = response.content.decode()
    return {title for title in titles if title in html}


def follow(response, rel: str, client: Client | None = None):
    found = re.search(rf'<a href="\?([^"]*)" rel="{rel}">', response.content.decode())
    assert found, f"no {rel} link"
    return (client or Client()).get(BOARD + "?" + unescape(found.group(1)))


CARE = "高齢者施設のスタッフ"
WELDER = "溶接スタッフ（夜勤なし）"
ENGINEER = "Software engineer"
KITCHEN = "ラーメン店のキッチン"
TITLES = [CARE, WELDER, ENGINEER, KITCHEN]


@pytest.fixture
def openings():
    """Tokyo care and kitchen work, welding in Aichi, software in Osaka:
    no title or description says Tokyo, nursing, kaigo or welder."""
    return {
        CARE: OpeningFactory(
            employer=EmployerWithAgreementFactory(legal_name="Sakura Home K.K."),
            title=CARE,
            description="利用者さまの生活をお手伝いします。",
            category="ssw_nursing_care",
            prefecture="13",
            city="世田谷区",
            required_level="jlpt_n4",
        ),
        WELDER: OpeningFactory(
            employer=EmployerWithAgreementFactory(legal_name="Chubu Steel"),
            title=WELDER,
            description="工場での作業です。寮あり。",
            category="ssw_industrial_manufacturing",
            prefecture="23",
            sponsorship_offered=True,
        ),
        ENGINEER: OpeningFactory(
            employer=EmployerWithAgreementFactory(legal_name="Naniwa Apps"),
            title=ENGINEER,
            description="Build our booking platform in Python.",
            category="it_engineering",
            prefecture="27",
            required_level="jlpt_n2",
            salary_min=300_000,
            salary_max=450_000,
        ),
        KITCHEN: OpeningFactory(
            employer=EmployerWithAgreementFactory(legal_name="Asakusa Ramen"),
            title=KITCHEN,
            description="仕込みと盛り付け。",
            category="retail_restaurant_staff",
            employment_type="part_time",
            weekly_hours=20,
            salary_min=1_200,
            salary_max=1_400,
            salary_period="hour",
            prefecture="13",
        ),
    }


TOKYO = {CARE, KITCHEN}
SEARCHES = [
    # places, in every script
    ("Tokyo", TOKYO),
    ("tokyo", TOKYO),
    ("ＴＯＫＹＯ", TOKYO),
    ("Tōkyō", TOKYO),
    ("東京", TOKYO),
    ("東京都", TOKYO),
    ("とうきょう", TOKYO),
    ("トウキョウ", TOKYO),
    ("ﾄｳｷｮｳ", TOKYO),
    ("aichi", {WELDER}),
    ("愛知", {WELDER}),
    ("osaka", {ENGINEER}),
    ("世田谷", {CARE}),
    # kinds of work, by label, reading and synonym
    ("nursing", {CARE}),
    ("kaigo", {CARE}),
    ("介護", {CARE}),
    ("かいご", {CARE}),
    ("カイゴ", {CARE}),
    ("caregiver", {CARE}),
    ("welder", {WELDER}),
    ("welding", {WELDER}),
    ("溶接", {WELDER}),
    ("ようせつ", {WELDER}),
    ("restaurant", {KITCHEN}),
    # both at once: every word must match
    ("東京 介護", {CARE}),
    ("Tokyo nursing", {CARE}),
    ("tokyo　kaigo", {CARE}),  # an ideographic space between them
    ("介護 大阪", set()),
    ("python welder", set()),
    # typing mistakes in Latin script
    ("Tokyp", TOKYO),
    ("nursng", {CARE}),
    ("weldr", {WELDER}),
    ("kanagwa", set()),
    # one and two characters
    ("寮", {WELDER}),
    ("夜勤", {WELDER}),
    ("IT", {ENGINEER}),
    ("東", TOKYO),
    # text, company, nothing
    ("PYTHON", {ENGINEER}),
    ("asakusa", {KITCHEN}),
    ("xyzzy", set()),
    ("%", set()),
    ("_", set()),
]


@pytest.mark.parametrize(("query", "expected"), SEARCHES, ids=[q for q, _ in SEARCHES])
def test_search_finds_places_and_kinds_of_work_in_any_script(openings, query, expected):
    response = board(q=query)

    assert response.status_code == 200
    assert titles_on(response, TITLES) == expected


def test_results_say_why_they_matched(openings):
    assert "Matched: Tokyo (prefecture), Nursing care (SSW) (kind of work)" in board(q="東京 介護").content.decode()
    assert "Matched: python (description)" in board(q="python").content.decode()
    assert "Matched: sakura (company)" in board(q="Sakura").content.decode()
    # A typing mistake names what it was taken for.
    assert "Matched: Industrial product manufacturing (SSW) (kind of work)" in board(q="weldr").content.decode()
    # In Japanese, the Japanese name of the place.
    assert "東京都" in Client().get("/ja/jobs/", {"q": "tokyo"}).content.decode().split("matched", 1)[-1]


def test_when_no_opening_has_every_word_each_word_alone_is_offered_with_the_same_filters(openings):
    """ "Osaka kaigo": no Osaka care opening, but each word alone finds one;
    the words are offered as the person typed them, the filters kept."""
    html = board(q="Osaka  kaigo", employment_type="full_time").content.decode()
    assert not titles_on(board(q="Osaka kaigo", employment_type="full_time"), TITLES)
    links = {unescape(word): unescape(href) for href, word in re.findall(r'<a href="\?([^"]*)">([^<]*)</a>', html)}
    assert set(links) >= {"Osaka", "kaigo"}
    assert "q=Osaka" in links["Osaka"] and "employment_type=full_time" in links["Osaka"]
    assert titles_on(Client().get(BOARD + "?" + links["kaigo"]), TITLES) == {CARE}
    assert titles_on(Client().get(BOARD + "?" + links["Osaka"]), TITLES) == {ENGINEER}
    # One word that finds nothing has nothing to split.
    assert "Search for one of them" not in board(q="astronaut").content.decode()
    assert "Search for one of them" not in board(q="東京 介護").content.decode()


def test_hostile_huge_and_burmese_keywords_never_break_the_page(openings):
    for query in ["<script>alert(1)</script>", "' OR 1=1 --", "မြန်မာ အလုပ်", "a " * 40, "東" * 100]:
        response = board(q=query)
        assert response.status_code == 200, query
        assert "<script>alert(1)" not in response.content.decode()
    for query in ["x" * 101, "\x00"]:  # said in words, on the form
        response = board(q=query)
        assert response.status_code == 400
        assert 'class="errorlist' in response.content.decode()


def test_an_opening_edited_by_its_employer_is_found_by_its_new_words(openings):
    opening = openings[ENGINEER]
    opening.title = "バックエンドエンジニア"
    services.opening_save(actor=admin_of(opening.employer), opening=opening)

    assert titles_on(board(q="ばっくえんど"), [*TITLES, "バックエンドエンジニア"]) == {"バックエンドエンジニア"}


def test_staff_add_a_synonym_and_the_search_knows_it(openings):
    Prefecture.objects.filter(code="27").update(readings="大阪 おおさか osaka naniwa-ku umeda")

    assert titles_on(board(q="umeda"), TITLES) == {ENGINEER}  # the place match: at once
    call_command("rebuild_search_text", stdout=StringIO())
    assert "umeda" in Opening.objects.get(title=ENGINEER).search_text


def test_normalise_folds_widths_kana_and_long_vowels():
    assert search.normalise("ＴＯＫＹＯ　トウキョウ ﾄｳｷｮｳ Tōkyō") == "tokyo とうきょう とうきょう tokyo"
    tokens = search.grams(search.normalise("東京で介護 IT job"))
    assert tokens.startswith(" ") and tokens.endswith(" ")
    assert set(tokens.split()) == {"it", "東", "京", "で", "介", "護", "東京", "京で", "で介", "介護"}


# --- Filters, sort, facets -----------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"salary_min": "250000"}, {CARE, WELDER, ENGINEER}),  # ¥1,400 an hour is ¥224,000 a month
        ({"salary_min": "224000"}, set(TITLES)),
        ({"salary_min": "400000"}, {ENGINEER}),
        ({"no_test": "on"}, {WELDER, KITCHEN}),
        ({"hours_max": "28"}, {KITCHEN}),
        ({"no_test": "on", "prefecture": "13"}, {KITCHEN}),
    ],
    ids=["salary per month", "hourly pay counted monthly", "high salary", "no test", "hours", "combined"],
)
def test_new_filters(openings, params, expected):
    assert titles_on(board(**params), TITLES) == expected


@pytest.mark.parametrize(
    "params", [{"salary_min": "-1"}, {"salary_min": "abc"}, {"hours_max": "0"}, {"hours_max": "61"}, {"sort": "x"}]
)
def test_bad_filter_values_are_said_not_crashed_on(openings, params):
    response = board(**params)
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()


def test_sort_by_salary_per_month(openings):
    html = board(sort="salary").content.decode()

    order = sorted(TITLES, key=html.index)
    assert order[0] == ENGINEER and order[-1] == KITCHEN


def test_a_student_may_ask_for_only_the_jobs_they_may_legally_take(openings):
    student = CompleteCandidateProfileFactory(
        status="student", outside_activity_permission=True, outside_activity_hours=28
    )
    client = Client()
    client.force_login(student.user)

    everything = board(client)
    legal = board(client, legal="on")

    assert titles_on(everything, TITLES) == set(TITLES)  # the board never hides, unless asked
    assert titles_on(legal, TITLES) == {KITCHEN}
    assert 'name="legal"' not in board().content.decode()  # only a candidate has a status to read


def test_best_fit_sort_for_a_candidate(openings):
    engineer = CompleteCandidateProfileFactory(experience_in=["it_engineering"], desired_prefectures=["27"])
    client = Client()
    client.force_login(engineer.user)

    html = board(client, sort="fit").content.decode()

    assert 'value="fit"' in html
    assert min(TITLES, key=lambda t: html.index(t) if t in html else 10**9) == ENGINEER
    assert board(sort="fit").status_code == 400  # anonymous: no such sort


def test_counts_beside_each_filter(openings):
    html = board().content.decode()
    assert "Tokyo (2)" in html and "Aichi (1)" in html and "Hokkaido (0)" in html
    assert "No Japanese test required (2)" in html and "Visa sponsorship offered (1)" in html

    # A prefecture's count keeps the other choices, not its own.
    html = board(prefecture="13", no_test="on").content.decode()
    assert "Tokyo (1)" in html and "Aichi (1)" in html
    assert "No Japanese test required (1)" in html  # within Tokyo: the kitchen


def test_counts_stop_at_the_cap_and_say_so(openings, monkeypatch):
    monkeypatch.setattr(selectors, "FACET_CAP", 3)

    html = board().content.decode()

    assert "More than 3 openings" in html
    assert re.search(r"Tokyo \(\d\+\)", html)


# --- Keyset pages ------------------------------------------------------------------------


def test_pages_follow_a_cursor_stable_while_openings_are_added():
    company = EmployerWithAgreementFactory()
    for i in range(25):
        OpeningFactory(employer=company, title=f"Harbour job {i:02d}")
    titles = [f"Harbour job {i:02d}" for i in range(25)]

    first = board()
    for i in range(5):
        OpeningFactory(employer=company, title=f"Newer job {i:02d}")
    second = follow(first, "next")
    back = follow(second, "prev")

    on_first, on_second = titles_on(first, titles), titles_on(second, titles)
    assert len(on_first) == 20 and on_second == set(titles) - on_first
    assert not titles_on(second, [f"Newer job {i:02d}" for i in range(5)])
    assert titles_on(back, titles) == on_first
    assert 'rel="prev"' in back.content.decode()  # the new openings are before it now


def test_pages_by_salary_follow_their_own_cursor():
    for i in range(23):
        OpeningFactory(title=f"Paid job {i:02d}", salary_min=200_000 + i * 1000, salary_max=200_000 + i * 1000)
    titles = [f"Paid job {i:02d}" for i in range(23)]

    first = board(sort="salary")
    second = follow(first, "next")

    assert titles_on(second, titles) == {"Paid job 00", "Paid job 01", "Paid job 02"}
    assert "sort=salary" in second.request["QUERY_STRING"]


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        signing.dumps({"s": "newest", "b": False, "k": ["2026-01-01T00:00:00+00:00", 1]}, salt="other"),
        signing.dumps({"s": "salary", "b": False, "k": [1, 1]}, salt=selectors.CURSOR_SALT),  # another sort
        signing.dumps({"s": "newest", "b": False, "k": ["yesterday", 1]}, salt=selectors.CURSOR_SALT),
        signing.dumps({"s": "newest", "b": False, "k": [1]}, salt=selectors.CURSOR_SALT),
        signing.dumps(["newest"], salt=selectors.CURSOR_SALT),
        "x" * 5000,
    ],
    ids=["garbage", "forged", "another sort", "bad date", "short", "not a dict", "huge"],
)
def test_a_bad_cursor_gives_the_first_page_with_a_word(openings, cursor):
    response = board(cursor=cursor)

    assert response.status_code == 200
    assert "That page link was altered or is out of date: here is the first page." in response.content.decode()
    assert titles_on(response, TITLES) == set(TITLES)


def test_the_filters_fold_into_details_and_work_without_javascript(openings):
    html = board().content.decode()
    assert '<details class="filters">' in html and "<summary>Filters</summary>" in html
    assert '<details class="filters" open>' in board(no_test="on").content.decode()
    # nothing to run for it to work (the cookie banner's sizing script is the page's only one)
    assert all("js/cookie-banner.js" in tag for tag in re.findall(r"<script[^>]*>", html))


def test_the_board_with_a_keyword_asks_the_same_number_of_queries_at_any_size():
    company = EmployerWithAgreementFactory()

    def openings(start, stop):
        for i in range(start, stop):
            OpeningFactory(employer=company, title=f"Care job {i:02d}", category="ssw_nursing_care", prefecture="13")

    openings(0, 3)
    assert_constant(
        Client(),
        BOARD + "?" + urlencode({"q": "東京 介護", "sort": "salary", "no_test": "on"}),
        lambda: openings(3, 30),
        ["Care job 00"],
        ["Care job 29", "Matched:"],
    )


def test_a_candidates_best_fit_board_asks_the_same_number_of_queries_at_any_size():
    company = EmployerWithAgreementFactory()
    profile = CompleteCandidateProfileFactory()
    client = Client()
    client.force_login(profile.user)

    def openings(start, stop):
        for i in range(start, stop):
            OpeningFactory(employer=company, title=f"Fit job {i:02d}", category=["it_engineering", "cleaning"][i % 2])

    openings(0, 3)
    assert_constant(client, BOARD + "?q=tokyo&sort=fit&legal=on", lambda: openings(3, 30), ["Fit job 00"], ["Fit job"])


# --- PostgreSQL: the indexes serve the search -------------------------------------------------

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm indexes exist on PostgreSQL only")


def plan(sql_filter) -> str:
    queryset = Opening.objects.filter(sql_filter).values("pk")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@postgres_only
@pytest.mark.parametrize("word", ["tokyo", "とうきょう", "東京", "寮", "it"])
def test_on_postgresql_keywords_of_any_length_read_the_trigram_indexes(openings, word):
    words = search.parse(word)
    words[0].prefectures, words[0].categories = set(), set()  # the text part alone

    explained = plan(search.keyword_q(words))

    assert "opening_search_text_trgm" in explained or "opening_search_grams_trgm" in explained, explained


@postgres_only
def test_on_postgresql_the_search_finds_what_sqlite_finds(openings):
    for query, expected in SEARCHES:
        assert titles_on(board(q=query), TITLES) == expected, query
