"""The policy check of every request answered from a per-person stamp
(consents.policy_check): never wrong for a single request after a version
is published or accepted, never shared between two people, and free of
database queries while it holds."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consents.models import PolicyKind, PolicyVersion
from consents.policy_check import must_accept_policies
from tests.consents.factories import PolicyVersionFactory, publish

pytestmark = pytest.mark.django_db

ACCEPT = reverse("consents:policy_accept")
DASHBOARD = reverse("accounts:dashboard")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sent_to_accept(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(ACCEPT)


def test_publishing_sends_the_very_next_request_to_accept_and_accepting_lets_the_next_one_pass(candidate):
    client = signed_in(candidate)
    assert client.get(DASHBOARD).status_code == 200  # the stamp is made
    assert client.get(DASHBOARD).status_code == 200  # and answers

    publish(PolicyVersionFactory(kind=PolicyKind.TERMS))
    assert sent_to_accept(client.get(DASHBOARD))
    assert sent_to_accept(client.get(DASHBOARD))  # asked until accepted

    response = client.post(ACCEPT, {"accept": "on", "next": DASHBOARD})
    assert response.status_code == 302 and response["Location"] == DASHBOARD
    assert client.get(DASHBOARD).status_code == 200


def test_two_people_never_share_a_stamp(candidate, other_candidate):
    first, second = signed_in(candidate), signed_in(other_candidate)
    assert first.get(DASHBOARD).status_code == 200
    assert second.get(DASHBOARD).status_code == 200

    publish(PolicyVersionFactory(kind=PolicyKind.PRIVACY))
    first.post(ACCEPT, {"accept": "on", "next": DASHBOARD})
    assert first.get(DASHBOARD).status_code == 200  # the first is stamped again
    assert sent_to_accept(second.get(DASHBOARD))  # the second still has to accept
    assert first.get(DASHBOARD).status_code == 200


def test_a_warm_stamp_asks_the_database_nothing(candidate, django_assert_num_queries):
    assert not must_accept_policies(candidate)
    with django_assert_num_queries(0):
        assert not must_accept_policies(candidate)


def test_someone_with_a_version_to_accept_is_never_stamped(candidate):
    publish(PolicyVersionFactory(kind=PolicyKind.TERMS))
    assert must_accept_policies(candidate)
    assert must_accept_policies(candidate)


def test_a_version_scheduled_ahead_counts_from_the_moment_it_comes_into_force(candidate, monkeypatch):
    version = publish(PolicyVersionFactory(kind=PolicyKind.PRIVACY))
    in_force = timezone.now() + timedelta(hours=1)
    # Published ahead of time: nothing is written when it comes into force.
    PolicyVersion.objects.filter(pk=version.pk).update(published_at=in_force)
    publish(PolicyVersionFactory(kind=PolicyKind.TERMS, requires_consent=False))  # any bump
    assert not must_accept_policies(candidate)  # stamped, until `in_force`

    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(hours=1, seconds=1))
    assert must_accept_policies(candidate)
