"""The public job board over the API: no token, the board's own search."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matching import services
from tests.consents.factories import admin_of
from tests.matching.factories import ClosedOpeningFactory, OpeningFactory

pytestmark = pytest.mark.django_db


def test_open_openings_without_a_token_and_cached(client):
    shown = OpeningFactory(title="溶接工 Welder", prefecture="27")
    ClosedOpeningFactory(title="Closed one")
    response = client.get("/api/v1/board/openings/")
    assert response.status_code == 200
    assert [o["id"] for o in response.json()["results"]] == [shown.pk]
    assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]
    assert response.json()["results"][0]["company"]["name"] == shown.employer.legal_name
    with CaptureQueriesContext(connection) as cached:
        assert client.get("/api/v1/board/openings/").status_code == 200
    assert len(cached) == 0


def test_an_opening_closed_leaves_the_cached_board_at_once(client):
    opening = OpeningFactory(title="Cook")
    assert [o["id"] for o in client.get("/api/v1/board/openings/").json()["results"]] == [opening.pk]
    services.opening_close(actor=admin_of(opening.employer), opening=opening)
    assert client.get("/api/v1/board/openings/").json()["results"] == []
    assert client.get(f"/api/v1/board/openings/{opening.pk}/").status_code == 404


def test_the_boards_filters(client):
    osaka = OpeningFactory(title="Welder", prefecture="27")
    OpeningFactory(title="Cook", prefecture="13")
    ids = [o["id"] for o in client.get("/api/v1/board/openings/", {"prefecture": "27"}).json()["results"]]
    assert ids == [osaka.pk]
    ids = [o["id"] for o in client.get("/api/v1/board/openings/", {"q": "weld"}).json()["results"]]
    assert ids == [osaka.pk]
    bad = client.get("/api/v1/board/openings/", {"prefecture": "99", "level": "x"})
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"


def test_queries_constant_in_page_size(client):
    for _ in range(6):
        OpeningFactory()
    client.get("/api/v1/board/openings/", {"page_size": 1})  # warm up: the form's choices are cached
    with CaptureQueriesContext(connection) as small:
        client.get("/api/v1/board/openings/", {"page_size": 2})
    with CaptureQueriesContext(connection) as large:
        client.get("/api/v1/board/openings/", {"page_size": 6})
    assert len(small) == len(large)


def test_opening_and_company(client):
    opening = OpeningFactory()
    closed = ClosedOpeningFactory()
    assert client.get(f"/api/v1/board/openings/{opening.pk}/").json()["id"] == opening.pk
    assert client.get(f"/api/v1/board/openings/{closed.pk}/").status_code == 404
    company = client.get(f"/api/v1/board/companies/{opening.employer_id}/").json()
    assert company["open_openings"] == 1 and company["name"] == opening.employer.legal_name
    assert client.get(f"/api/v1/board/companies/{closed.employer_id}/").status_code == 404
