"""Saved jobs and job alerts, made through matching.saved.services as a
candidate makes them."""

from django.http import QueryDict

from consents import services as consent_services
from consents.models import EmailPurpose
from matching.saved import filters as saved_filters
from matching.saved import services
from matching.saved.models import JobAlert, SavedJob
from tests.accounts.factories import CandidateFactory


def opted_in(email: str = "", *, language: str = "en", **fields):
    """A candidate who agrees to "job openings you can apply for"."""
    person = CandidateFactory(language=language, **({"email": email} if email else {}), **fields)
    opt(person, True)
    return person


def opt(person, wanted: bool) -> None:
    consent_services.purpose_consents_set(
        actor=person, user=person, choices={EmailPurpose.JOB_OPENINGS: wanted}, language="en"
    )


def alert_for(person, query: str = "", *, name: str = "My alert", frequency: str = "daily") -> JobAlert:
    """An alert saving the board search `query` (a query string)."""
    filters = saved_filters.filters_from_query(QueryDict(query))
    assert filters is not None, query
    return services.job_alert_create(user=person, name=name, filters=filters, frequency=frequency)


def save(person, opening) -> SavedJob:
    return services.saved_job_add(user=person, opening=opening)
