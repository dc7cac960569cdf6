"""Keys pressed on the workbook's forms stay with the forms (see ``static/own_keys.js``).

JupyterLab's notebook shortcuts in command mode ("b" adds a cell, "d d" deletes one) also
fire while a button, a list or a tick box of a widget has keyboard focus. One invisible
widget in each step of the session notebook marks those controls so that JupyterLab leaves
their keys alone; typing in text boxes was never affected.

>>> OwnKeys().layout.display is None
True
"""

from __future__ import annotations

from pathlib import Path

import anywidget

__all__ = ["OwnKeys"]


class OwnKeys(anywidget.AnyWidget):
    """Invisible: once on the page, widget controls keep their keys from JupyterLab."""

    _esm = Path(__file__).resolve().parent / "static" / "own_keys.js"
