"""Analysis periods: the period P that is analysed and the periods before it.

Default: the 12 months ending at the last date in the data.
Also: a calendar year, or any from/to dates. The period before P has the same
length; for whole months it is the same number of months (a from/to span of whole
calendar months, 1 Jan – 30 Jun, has 1 Jul – 31 Dec of the year before as P-1).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from portfolio.errors import InputError


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months``, clamped to the end of the month (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both inclusive. ``months`` is set for month-long periods."""

    start: date
    end: date
    months: int | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InputError("period_invalid", reason=f"{self.start} > {self.end}")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self, n: int = 1) -> Period:
        """The period ``n`` steps before this one, of the same length."""
        if self.months:
            # both bounds from the same anchor (the day after P): stepping back from the start
            # clamped differently (31 May - 3 months = 28 Feb), so periods overlapped
            anchor = self.end + timedelta(days=1)
            end = add_months(anchor, -self.months * n) - timedelta(days=1)
            start = add_months(anchor, -self.months * (n + 1))
            return Period(start, end, self.months)
        shift = timedelta(days=self.days * n)
        return Period(self.start - shift, self.end - shift)

    def label(self) -> str:
        return f"{self.start:%d-%m-%Y} – {self.end:%d-%m-%Y}"


def months_ending(end: date, months: int = 12) -> Period:
    """The ``months`` months ending at ``end`` (inclusive)."""
    if months < 1:
        raise InputError("period_invalid", reason=f"months = {months}")
    start = add_months(end + timedelta(days=1), -months)
    return Period(start, end, months)


def calendar_year(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), 12)


def between(start: date, end: date) -> Period:
    """From ``start`` to ``end`` (both inclusive). A span of whole calendar months (from a
    first to a last day of a month) steps back by calendar months, any other span by days."""
    whole = start.day == 1 and (end + timedelta(days=1)).day == 1
    months = (end.year - start.year) * 12 + end.month - start.month + 1 if whole else None
    return Period(start, end, months)


def neighbours(period: Period, first: date, last: date, most_months: int) -> list[Period]:
    """The periods one step of the sidebar's choice away from ``period``: a month fewer
    and a month more of months ending at ``last`` (1 to ``most_months``), or the calendar
    year after and before (years of the data). None for a span of chosen dates: it has
    no step."""
    if period.months and period == months_ending(last, period.months):
        wider, narrower = period.months + 1, period.months - 1
        return [months_ending(last, m) for m in (narrower, wider) if 1 <= m <= most_months]
    year = period.start.year
    if period == calendar_year(year):
        return [calendar_year(y) for y in (year + 1, year - 1) if first.year <= y <= last.year]
    return []


def history(period: Period, first_date: date) -> list[Period]:
    """P, P-1, P-2, … back to the period that holds ``first_date``."""
    out = [period]
    while out[-1].start > first_date and len(out) < 200:
        out.append(period.previous(len(out)))
    return out


def shared_history(period: Period, first: date | None, count: int) -> list[Period] | None:
    """P, P-1, … back to the period holding ``first`` (as ``history``), at least
    ``count`` of them, when each of the first ``count`` periods has the rest of the list
    as its own history; else None. Month-long periods that end on the 28th to 30th of a
    month may step back to other days from P-1 than from P (months clamp differently)."""

    def back_to_first(p: Period) -> list[Period]:
        return history(p, first) if first else [p]

    periods = back_to_first(period)
    while len(periods) < count:
        periods.append(period.previous(len(periods)))
    if all(back_to_first(periods[b]) == periods[b:] for b in range(1, count)):
        return periods
    return None


def resolve_period(
    last_date: date | None,
    *,
    year: int | None = None,
    months: int | None = None,
    period_end: date | None = None,
    start: date | None = None,
    end: date | None = None,
    default_months: int = 12,
) -> Period:
    """The period a user asked for: a calendar year, from/to dates, or months ending at a date.

    Without any choice: ``default_months`` ending at ``last_date`` (the last date in the data).
    """
    if year is not None:
        return calendar_year(year)
    if start is not None or end is not None:
        if start is None or end is None:
            raise InputError("period_invalid", reason="from/to: both dates are needed")
        return between(start, end)
    end_date = period_end or last_date
    if end_date is None:
        raise InputError("period_invalid", reason="no dates in the data")
    return months_ending(end_date, months or default_months)
