"""Dates and times as people read them on the board's pages (English, like the site).

Resume dates are JSON Resume's partial ISO dates (`2021`, `2021-03`, `2021-03-15`) and read
"Mar 2021"; ranges read "Mar 2021 to present" (with an en dash). Event times are shown in the
event's own time zone with its abbreviation and offset ("Tue 15 Dec 2026, 18:30 to 20:30 CET
(UTC+1)", with an en dash), whatever offset the API wrote them with.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import UTC, date, datetime, timedelta

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
EN_DASH = "\u2013"
MINUS = "\u2212"
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def partial_date(value: str | None) -> str:
    """`2021-03` -> `Mar 2021`; `2021` stays; anything unparsable is shown as given."""
    if not value:
        return ""
    found = _PARTIAL_DATE.match(value.strip())
    if not found:
        return value.strip()
    year, month, day = found.groups()
    if month is None or not 1 <= int(month) <= 12:
        return year
    if day is None or not 1 <= int(day) <= 31:
        return f"{MONTHS[int(month) - 1]} {year}"
    return f"{int(day)} {MONTHS[int(month) - 1]} {year}"


def date_range(start: str | None, end: str | None, *, open_ended: bool = True) -> str:
    """`Mar 2021 to present`, `2019 to Feb 2021` (an en dash), or one date.

    `open_ended`: a missing end means the role goes on (work); else the range is just its
    start (a project's or an award's date)."""
    first, last = partial_date(start), partial_date(end)
    if first and not last:
        return f"{first} {EN_DASH} present" if open_ended else first
    if first and last and first != last:
        return f"{first} {EN_DASH} {last}"
    return first or last


def day(moment: datetime | date | None) -> str:
    """`6 Dec 2026`."""
    if moment is None:
        return ""
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def _zone(name: str | None) -> zoneinfo.ZoneInfo | None:
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def in_zone(moment: datetime, zone_name: str | None) -> datetime:
    """The moment on the event's clock (a naive time is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    zone = _zone(zone_name)
    return moment.astimezone(zone) if zone else moment.astimezone(UTC)


def utc_offset(moment: datetime) -> str:
    """`UTC+1`, `UTC+5:30`, `UTC-3` (a minus sign), `UTC`."""
    offset = moment.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else MINUS
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def zone_label(moment: datetime) -> str:
    """`CET (UTC+1)`; zones without a letter abbreviation show the offset alone."""
    offset = utc_offset(moment)
    abbreviation = moment.tzname() or ""
    if abbreviation.isalpha() and abbreviation != offset:
        return f"{abbreviation} ({offset})"
    return offset


def _clock(moment: datetime) -> str:
    return f"{moment:%H:%M}"


def _weekday_day(moment: datetime) -> str:
    return f"{DAYS[moment.weekday()]} {day(moment)}"


def event_time(starts: datetime, ends: datetime | None, zone_name: str | None) -> str:
    """`Tue 15 Dec 2026, 18:30 to 20:30 CET (UTC+1)` (an en dash) in the event's zone; an event over
    several days names both days."""
    start = in_zone(starts, zone_name)
    if ends is None:
        return f"{_weekday_day(start)}, {_clock(start)} {zone_label(start)}"
    end = in_zone(ends, zone_name)
    if end.date() == start.date():
        return f"{_weekday_day(start)}, {_clock(start)}{EN_DASH}{_clock(end)} {zone_label(start)}"
    start_label, end_label = zone_label(start), zone_label(end)
    if start_label == end_label:
        return (
            f"{_weekday_day(start)}, {_clock(start)} {EN_DASH} {_weekday_day(end)}, {_clock(end)} "
            f"{start_label}"
        )
    return (
        f"{_weekday_day(start)}, {_clock(start)} {start_label} {EN_DASH} "
        f"{_weekday_day(end)}, {_clock(end)} {end_label}"
    )
