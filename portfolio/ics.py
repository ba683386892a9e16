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


def appointments_ics(
    appointments: pd.DataFrame, summary: str, start_hour: int = 10, minutes: int = 60
) -> bytes:
    """One event per appointment that has a date and is not done (``appointments``:
    customer, customer_name, date, attendees, topic, done). ``summary`` is the title
    with ``{customer}`` and ``{topic}`` filled in per event."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Klantportfolio//Afspraken//NL")
    calendar.add("version", "2.0")
    stamp = datetime.now(UTC)
    for row in appointments.itertuples(index=False):
        if row.done or row.date is None or pd.isna(row.date):
            continue
        day = row.date if isinstance(row.date, date) else pd.Timestamp(row.date).date()
        begin = datetime.combine(day, time(start_hour), tzinfo=AMSTERDAM)
        event = icalendar.Event()
        event.add("uid", f"{row.customer}-{day.isoformat()}@klantportfolio")
        event.add("dtstamp", stamp)
        event.add("dtstart", begin)
        event.add("dtend", begin + timedelta(minutes=minutes))
        event.add("summary", summary.format(customer=row.customer_name, topic=row.topic or ""))
        if row.attendees:
            event.add("description", str(row.attendees))
        calendar.add_component(event)
    calendar.add_missing_timezones()  # Outlook needs the VTIMEZONE of Europe/Amsterdam
    return calendar.to_ical()
