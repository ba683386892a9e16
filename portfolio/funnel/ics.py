"""Appointments as an iCalendar file (.ics), so they land in Outlook or Google Calendar.

Written with the ``icalendar`` library: it folds long lines and escapes commas,
semicolons and line breaks in customer names as RFC 5545 requires. Each event has a
stable UID (customer and date), so importing the file again updates the events
instead of doubling them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pandas as pd

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


# the times of a day's appointments, in the order they are planned: two in the morning,
# two in the afternoon, room to travel between them
SLOTS = (time(9, 0), time(10, 30), time(13, 0), time(14, 30), time(16, 0))


def appointments_ics(
    appointments: pd.DataFrame, summary: str, description: str = "{attendees}", minutes: int = 60
) -> bytes:
    """One event per appointment that has a date and is not done (``appointments``:
    customer, customer_name, date, attendees, topic, done), a day's appointments spread
    over ``SLOTS`` in their order. ``summary`` is the title and ``description`` the text,
    with ``{customer}``, ``{topic}`` and ``{attendees}`` filled in per event."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Klantportfolio//Afspraken//NL")
    calendar.add("version", "2.0")
    stamp = datetime.now(UTC)
    taken: dict[date, int] = {}
    for row in appointments.itertuples(index=False):
        if row.done or row.date is None or pd.isna(row.date):
            continue
        day = row.date if isinstance(row.date, date) else pd.Timestamp(row.date).date()
        slot = taken.get(day, 0)
        taken[day] = slot + 1
        begin = datetime.combine(day, SLOTS[slot % len(SLOTS)], tzinfo=AMSTERDAM)
        fields = {"customer": row.customer_name, "topic": row.topic or ""}
        fields["attendees"] = row.attendees or ""
        event = icalendar.Event()
        event.add("uid", f"{row.customer}-{day.isoformat()}@klantportfolio")
        event.add("dtstamp", stamp)
        event.add("dtstart", begin)
        event.add("dtend", begin + timedelta(minutes=minutes))
        event.add("summary", " ".join(summary.format(**fields).split()))
        if text := description.format(**fields).strip():
            event.add("description", text)
        calendar.add_component(event)
    calendar.add_missing_timezones()  # Outlook needs the VTIMEZONE of Europe/Amsterdam
    return calendar.to_ical()
