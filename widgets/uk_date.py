"""A date field the UK way: "7 December 2026" shown, day-first typing understood.

ipywidgets' ``DatePicker`` shows whatever the browser's locale says (often
12/07/2026 on a machine set up in the US). This field is a text box that shows
:func:`systemic.dates.long_date` and reads what is typed with
:func:`systemic.dates.parse_uk_date`; its ``value`` is a ``datetime.date`` (or
None), like the picker it replaces, so forms observe ``value`` as before.

>>> import datetime as dt
>>> field = UKDatePicker(value=dt.date(2026, 12, 7), description="By when")
>>> field.text.value
'7 December 2026'
>>> field.text.value = "03/11/2026"
>>> field.value
datetime.date(2026, 11, 3)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import ipywidgets as ipw
import traitlets

from systemic.dates import long_date, parse_uk_date
from systemic.html_templates import render

__all__ = ["UKDatePicker"]


class UKDatePicker(ipw.VBox):
    """A text box for a date, shown and read the UK way; ``value`` is the date."""

    value = traitlets.Any(None, allow_none=True)

    def __init__(self, value: dt.date | None = None, description: str = "",
                 style: Any = None, layout: Any = None, **kwargs: Any):
        self.text = ipw.Text(
            value=long_date(value) if value else "", description=description,
            placeholder="e.g. 7 December 2026", continuous_update=False,
            style=style or {}, layout=layout or ipw.Layout(),
        )
        self.problem = ipw.HTML()
        super().__init__([self.text, self.problem], **kwargs)
        self.value = value
        self.text.observe(self._typed, names="value")

    def _typed(self, _change: object = None) -> None:
        typed = self.text.value.strip()
        day = parse_uk_date(typed)
        if typed and day is None:
            self.problem.value = render("widgets/uk_date/problem.html.j2", typed=typed)
            return
        self.problem.value = ""
        self.value = day

    @traitlets.observe("value")
    def _shown(self, change: dict[str, Any]) -> None:
        new = change["new"]
        if new is not None and parse_uk_date(self.text.value) != new:
            self.text.value = long_date(new)
        elif new is None and parse_uk_date(self.text.value) is not None:
            self.text.value = ""
