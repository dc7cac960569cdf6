"""GEDCOM dates ("ABT 1840", "12 MAR 1850", "BET 1840 AND 1850") as partial dates.

>>> gedcom_date("12 MAR 1850"), gedcom_date("ABT 1840")
('1850-03-12', '1840')
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from systemic.plausible import plausible_year

__all__ = ["gedcom_date", "read_date"]

_MONTHS = {name.upper(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.upper(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["SEPT"] = 9
_APPROXIMATE = ("ABT", "ABOUT", "CAL", "EST", "BEF", "AFT", "INT", "CIRCA", "C.")


def read_date(value: str) -> tuple[str | None, int | None]:
    """``(partial date, None)``, or ``(None, year)`` if the year is not a likely one
    (:func:`systemic.plausible.plausible_year`, the rule case files follow too), or
    ``(None, None)`` if there is no date to read.

    >>> read_date("9999"), read_date("3 MAY 1990"), read_date("unknown")
    ((None, 9999), ('1990-05-03', None), (None, None))
    >>> read_date("28 Jan 1456-1457"), read_date("@#DFRENCH R@ 2 PLUV 1")
    (('1456-01-28', None), (None, None))
    """
    text = re.sub(r"\([^)]*\)", " ", value[:200].upper())
    if re.search(r"@#D(FRENCH R|HEBREW|ROMAN|UNKNOWN)@", text):
        return None, None  # calendars the genogram does not convert
    text = re.sub(r"@#D[A-Z ]+@", " ", text)
    words = text.replace(",", " ").split()
    if not words or words[0] in ("FRENCH_R", "HEBREW"):
        return None, None
    if words[0] in ("GREGORIAN", "JULIAN"):
        words = words[1:]
    if any(w in ("B.C.", "BC", "BCE") for w in words):
        return None, None
    approximate = False
    if words and (words[0] in _APPROXIMATE or words[0] in ("BET", "FROM", "TO")):
        approximate = True
        words = words[1:]
        for stop in ("AND", "TO"):
            if stop in words:
                words = words[: words.index(stop)]
    years = [w for w in words if re.fullmatch(r"\d{1,6}([/-]\d{1,4})?", w)]
    if not years:
        return None, None
    year = int(re.split(r"[/-]", years[-1])[0])  # "1745/46", "1456-1457": the first
    if not plausible_year(year):
        return None, year
    if approximate:
        return str(year), None
    before = words[: words.index(years[-1])]
    month = next((_MONTHS[w] for w in before if w in _MONTHS), None)
    day = next((int(w) for w in before if w.isdigit() and 1 <= int(w) <= 31), None)
    if month is None:
        return str(year), None
    if day is not None:
        try:
            return date(year, month, day).isoformat(), None
        except ValueError:
            pass
    return f"{year}-{month:02d}", None


def gedcom_date(value: str) -> str | None:
    """A GEDCOM date as a :class:`~systemic.cases.PartialDate` string, best effort.

    Exact dates keep their precision; approximate ones (about, before, after,
    between, from…to) keep only a year; what cannot be read, or has an unlikely
    year, is ``None``.

    >>> [gedcom_date(v) for v in ("12 MAR 1850", "MAR 1850", "ABT 1840", "BEF 1900",
    ...                           "BET 1840 AND 1850", "29 December 1812", "1745/46")]
    ['1850-03-12', '1850-03', '1840', '1900', '1840', '1812-12-29', '1745']
    >>> [gedcom_date(v) for v in ("@#DJULIAN@ 5 JAN 1700", "(unknown)", "800", "9999")]
    ['1700-01-05', None, None, None]
    """
    return read_date(value)[0]
