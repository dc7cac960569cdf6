"""Dates and times the way people in UK councils write them: "7 December 2026".

One home for every date a person reads, on screen, in the note for the
child's file and in file names, so that no screen shows 12/07/2026 (which a
UK reader takes for the twelfth of July).

>>> import datetime as dt
>>> long_date(dt.date(2026, 12, 7))
'7 December 2026'
>>> long_date("2026-12-07", weekday=True)
'Monday 7 December 2026'
>>> file_stamp(dt.datetime(2026, 12, 7, 14, 5, 9))
'2026-12-07-1405'
"""

from __future__ import annotations

import datetime as dt

__all__ = ["long_date", "short_time", "file_stamp", "as_date", "period_label", "parse_uk_date"]


def as_date(value: dt.date | str) -> dt.date | None:
    """A date from a date, a datetime or ISO text; ``None`` when the text is not a date.

    >>> as_date("2026-12-07T10:00:00")
    datetime.date(2026, 12, 7)
    >>> as_date("soon") is None
    True
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def long_date(value: dt.date | str, *, weekday: bool = False) -> str:
    """A date as people write it in the UK; text that is not a date is returned as it is.

    >>> long_date("2027-01-01")
    '1 January 2027'
    >>> long_date("next week")
    'next week'
    """
    day = as_date(value)
    if day is None:
        return str(value)
    text = f"{day.day} {day:%B %Y}"
    return f"{day:%A} {text}" if weekday else text


def short_time(value: dt.datetime) -> str:
    """A time on the 24-hour clock, as on a council's meeting invitation.

    >>> short_time(dt.datetime(2026, 12, 7, 9, 30))
    '09:30'
    """
    return f"{value:%H:%M}"


def file_stamp(value: dt.datetime) -> str:
    """Date and time for a file name: sorts in order and never holds a slash or a colon."""
    return f"{value:%Y-%m-%d-%H%M}"


_QUARTERS = ("January to March", "April to June", "July to September",
             "October to December")


def period_label(period: str) -> str:
    """A month, quarter or year as pandas writes it ("2026-05", "2026Q2"), in words.

    Text that is none of these is returned as it is.

    >>> period_label("2026-05"), period_label("2026Q2"), period_label("2026")
    ('May 2026', 'April to June 2026', '2026')
    >>> period_label("spring")
    'spring'
    """
    text = str(period)
    try:
        if len(text) == 7 and text[4] == "-":
            return f"{dt.date(int(text[:4]), int(text[5:]), 1):%B %Y}"
        if len(text) == 6 and text[4] == "Q" and text[5] in "1234":
            return f"{_QUARTERS[int(text[5]) - 1]} {int(text[:4])}"
    except ValueError:
        return text
    return text


_MONTH_NAMES = {
    name.lower(): number
    for number in range(1, 13)
    for name in (dt.date(2000, number, 1).strftime("%B"), dt.date(2000, number, 1).strftime("%b"))
}
_MONTH_NAMES["sept"] = 9


def parse_uk_date(text: str) -> dt.date | None:
    """A date typed the UK way: "7 December 2026", "7 Dec 26", "07/12/2026" or "2026-12-07".

    Day first, always ("07/12/2026" is the seventh of December). ``None`` when
    the text is empty or not a date.

    >>> parse_uk_date("7 December 2026"), parse_uk_date("07/12/2026")
    (datetime.date(2026, 12, 7), datetime.date(2026, 12, 7))
    >>> parse_uk_date("Mon 7th Dec 26"), parse_uk_date("31/02/2026")
    (datetime.date(2026, 12, 7), None)
    """
    import re

    words = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.strip().lower().replace(",", " "))
    if not words:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", words):
        return as_date(words)
    parts = [p for p in re.split(r"[\s/.\-]+", words) if p]
    parts = [p for p in parts if not (p.isalpha() and p not in _MONTH_NAMES)]  # weekday names
    if len(parts) != 3 or not parts[0].isdigit() or not parts[2].isdigit():
        return None
    month = int(parts[1]) if parts[1].isdigit() else _MONTH_NAMES.get(parts[1])
    year = int(parts[2]) + (2000 if len(parts[2]) == 2 else 0)
    try:
        return dt.date(year, month or 0, int(parts[0]))
    except ValueError:
        return None
