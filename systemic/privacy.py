"""Keeping case text out of notebook files.

Case data are about children: the session store is the record, and nothing
of a case may stay in a notebook on disk. JupyterLab saves notebooks with
their outputs and, if asked, widget state; the supervisor's server runs
:func:`strip_before_save` before every save, so what reaches the disk is the
facilitator's script only.

>>> cell = {"cell_type": "code", "source": "x", "outputs": [{"text": "Jayden"}],
...         "execution_count": 3}
>>> nb = {"metadata": {"widgets": {"state": "Jayden"}}, "cells": [cell]}
>>> strip_notebook(nb)["cells"][0]["outputs"], nb["cells"][0]["execution_count"], nb["metadata"]
([], None, {})
"""

from __future__ import annotations

from typing import Any

__all__ = ["strip_notebook", "strip_before_save"]


def strip_notebook(nb: dict[str, Any]) -> dict[str, Any]:
    """Remove outputs, execution counts and saved widget state, in place; return the notebook."""
    nb.get("metadata", {}).pop("widgets", None)
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        cell.get("metadata", {}).pop("widgets", None)
        cell.pop("attachments", None)
    return nb


def strip_before_save(model: dict[str, Any], **_: Any) -> None:
    """A Jupyter ``pre_save_hook``: notebooks are stripped before they are written."""
    if model.get("type") == "notebook" and isinstance(model.get("content"), dict):
        strip_notebook(model["content"])
