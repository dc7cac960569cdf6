"""One rule for which years a family record may hold, for case files and GEDCOM alike.

A year outside this range is a typing slip ("9999", "19") or a calendar the workbook
does not draw (years before 1000 are kept by genealogists but mean nothing in a
genogram). Case files refuse such a year with one line; GEDCOM imports leave the
date out and say so, as an old tree should still open.

>>> plausible_year(1984), plausible_year(9999)
(True, False)
>>> year_problem(9999)
'9999 is not a likely year — write it like 1984'
"""

from __future__ import annotations

__all__ = ["MIN_YEAR", "MAX_YEAR", "plausible_year", "year_problem"]

#: The earliest year a date may hold.
MIN_YEAR = 1000
#: The latest year a date may hold (due dates and plans reach a little ahead).
MAX_YEAR = 2200


def plausible_year(year: int) -> bool:
    """Whether ``year`` is one a family record may hold.

    >>> plausible_year(999), plausible_year(2200)
    (False, True)
    """
    return MIN_YEAR <= year <= MAX_YEAR


def year_problem(year: int | str) -> str | None:
    """The sentence saying why ``year`` is refused, or ``None`` if it is plausible.

    >>> year_problem(2015) is None
    True
    """
    if plausible_year(int(year)):
        return None
    return f"{year} is not a likely year — write it like 1984"
