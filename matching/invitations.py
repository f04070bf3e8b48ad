"""iCalendar invitations for interviews (RFC 5545, built with `icalendar`).

Times are stored in UTC and written with TZID=Asia/Tokyo (the time zone the
employer entered them in), with its VTIMEZONE. An interview keeps one UID for
its whole life; every update (a new time) and the cancellation are sent with
the same UID and a greater SEQUENCE, so calendars update the one event.
"""

from datetime import datetime, timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone

JST = ZoneInfo("Asia/Tokyo")
PRODID = "-//Tsunagu//Interviews//EN"


def ics(
    *,
    uid: str,
    sequence: int,
    method: str,
    starts_at: datetime,
    minutes: int,
    summary: str,
    description: str,
    location: str,
    organizer_name: str,
    attendees: list[tuple[str, str]],
) -> str:
    """One VEVENT in a VCALENDAR with METHOD REQUEST or CANCEL (or PUBLISH,
    a copy to download), as text."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = icalendar.Event()
    event.add("uid", f"{uid}@{urlsplit(settings.SITE_URL).hostname or 'tsunagu.example'}")
    event.add("sequence", sequence)
    event.add("dtstamp", timezone.now())
    start = starts_at.astimezone(JST)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=minutes))
    event.add("summary", summary)
    event.add("description", description)
    if location:
        event.add("location", location)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    organizer = icalendar.vCalAddress(f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    organizer.params["cn"] = icalendar.vText(organizer_name)
    event.add("organizer", organizer)
    for name, email in attendees:
        attendee = icalendar.vCalAddress(f"mailto:{email}")
        attendee.params["cn"] = icalendar.vText(name or email)
        attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
        event.add("attendee", attendee)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()


def attachment(text: str, method: str) -> dict[str, str]:
    """The outbox attachment (outbox.services.outbound_row) of an invitation."""
    return {
        "filename": "cancel.ics" if method == "CANCEL" else "invite.ics",
        "mimetype": f"text/calendar; method={method}",
        "content": text,
    }
