"""Anonymised statistics (seed 004 Art. 1(6)): only people who agreed,
counts below 5 hidden everywhere, and no hidden count recoverable from the
others; the CSV export hides the same."""

import csv
import io
import itertools

import pytest
from django.urls import reverse

from consents import statistics
from consents.models import EmailPurpose
from consents.privacy.services import restriction_start
from consents.services import purpose_consents_set
from tests.matching.factories import CompleteCandidateProfileFactory

pytestmark = pytest.mark.django_db
PAGE = reverse("consents:staff_statistics")
CSV = reverse("consents:staff_statistics_csv")


def people(n: int, *, agree: bool = True, **profile) -> list:
    made = []
    for _ in range(n):
        p = CompleteCandidateProfileFactory(**profile)
        if agree:
            purpose_consents_set(actor=p.user, user=p.user, choices={EmailPurpose.STATISTICS: True}, language="en")
        made.append(p)
    return made


def breakdown(key: str) -> statistics.Breakdown:
    return next(b for b in statistics.statistics() if b.key == key)


def cells(key: str) -> dict[str, str]:
    return {c.label: c.shown for c in breakdown(key).cells}


def test_only_people_who_agreed_are_counted():
    people(6, nationality="VN")
    people(7, agree=False, nationality="VN")
    restricted = people(1, nationality="VN")[0]
    restriction_start(user=restricted.user)
    assert breakdown("nationality").total.count == 6
    assert cells("nationality") == {"Vietnam": "6"}


def test_counts_below_five_are_shown_as_less_than_five():
    people(6, nationality="VN")
    people(7, nationality="NP")
    people(2, nationality="MM")
    people(3, nationality="PH")
    # Two hidden cells: their sum (5) can be worked out, neither count can.
    assert cells("nationality") == {"Nepal": "7", "Vietnam": "6", "Myanmar": "<5", "Philippines": "<5"}


def test_a_lone_hidden_count_hides_the_next_smallest_too():
    people(9, nationality="VN")
    people(6, nationality="NP")
    people(2, nationality="MM")
    shown = cells("nationality")
    # Total 17 − 9 would give Myanmar's 2 if Nepal's 6 were shown: it is
    # hidden, and not called "<5", which it is not.
    assert shown == {"Vietnam": "9", "Nepal": "hidden", "Myanmar": "<5"}
    assert breakdown("nationality").total.shown == "17"


@pytest.mark.parametrize("small", [(1, 1), (4, 4), (1, 1, 1)])
def test_hidden_counts_that_can_only_add_up_one_way_hide_another_too(small):
    """Every "<5" is read as 1 to 4 and every "hidden" as 5 or more; when
    the known sum of the hidden ones allows only one reading (1 + 1 = 2,
    4 + 4 = 8), the reader would learn each: the next smallest count is
    hidden too."""
    people(9, nationality="VN")
    for n, country in zip(small, ["MM", "PH", "NP"], strict=False):
        people(n, nationality=country)
    b = breakdown("nationality")
    ranges = [range(1, 5) if c.shown == "<5" else range(5, b.total.count + 1) for c in b.cells if c.count is None]
    known = sum(c.count for c in b.cells if c.count is not None)
    hidden_sum = b.total.count - known
    readings = [r for r in itertools.product(*ranges) if sum(r) == hidden_sum]
    assert len(readings) != 1, (cells("nationality"), readings)
    assert all(c.label != statistics.OTHERS() for c in b.cells)  # the names stay where they can


def test_a_total_below_five_hides_the_whole_breakdown():
    people(4, nationality="VN")
    b = breakdown("nationality")
    assert b.total.shown == "<5" and all(c.count is None for c in b.cells)


def test_every_breakdown_the_product_names_is_there():
    people(6)
    keys = [b.key for b in statistics.statistics()]
    assert keys == ["nationality", "status", "japanese", "category", "prefecture"]
    assert cells("japanese") == {"N3 or equivalent": "6"}
    assert cells("prefecture") == {"Tokyo": "6"}


def test_the_page_and_the_csv_hide_the_same_counts_and_no_hidden_number_leaves(persona_client):
    people(6, nationality="VN")
    people(3, nationality="MM")
    people(8, nationality="NP")
    html = persona_client("privacy_officer").get(PAGE).content.decode()
    assert "Myanmar" in html and "&lt;5" in html
    assert ">3<" not in html and ">3 " not in html
    response = persona_client("support").get(CSV)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["Nationality", "Myanmar", "<5"] in rows
    assert ["Nationality", "Vietnam", "hidden"] in rows  # the next smallest, hidden with it
    assert ["Nationality", "Nepal", "8"] in rows
    assert not any(row[2] == "3" for row in rows[1:])


def test_statistics_are_for_staff_only(persona_client):
    for persona in ("anonymous", "candidate", "employer_admin"):
        assert persona_client(persona).get(CSV).status_code in (302, 403)


def test_hidden_cells_that_nothing_else_can_cover_lose_their_names():
    """Five people of five nationalities: each named row would be a 1. The
    reader learns only that five people are of nationalities not named."""
    for country in ("VN", "NP", "MM", "PH", "ID"):
        people(1, nationality=country)
    b = breakdown("nationality")
    assert b.total.shown == "5"
    assert [(c.label, c.shown) for c in b.cells] == [(statistics.OTHERS(), "5")]
    rows = statistics.csv_rows([b])
    assert not any(country in str(row) for row in rows for country in ("Vietnam", "Nepal", "Myanmar"))
