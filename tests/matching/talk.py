"""Helpers of the tests of working together (conversation, interviews, the
pipeline and its board, message templates); their people and the
application are fixtures in conftest.py beside this module."""

from datetime import datetime, timedelta

import icalendar
from django.test import Client
from django.utils import timezone

from matching.invitations import JST
from outbox.models import OutboundEmail


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def in_days(days: int, hour: int) -> datetime:
    """A day `days` from now at `hour`:00 Japan time."""
    day = timezone.now().astimezone(JST).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=JST)


def invitations_to(user) -> list[icalendar.Calendar]:
    """The .ics files sent to `user`, oldest first, parsed back."""
    rows = OutboundEmail.objects.filter(recipient=user).order_by("pk")
    return [icalendar.Calendar.from_ical(a["content"]) for row in rows for a in row.attachments]


def event_of(calendar: icalendar.Calendar):
    [event] = calendar.walk("VEVENT")
    return event
