"""A real browser download from the notebook: a link holding the file itself.

A file saved "where the supervisor chooses" is on the computer running the
kernel, which may not be the supervisor's own. This link carries the file's
bytes (a ``data:`` URL) and the ``download`` attribute, so clicking it saves
the file through the browser, to the supervisor's Downloads folder, with the
name given. The link lives in the widget only: notebooks are saved without
widget state, so the file's contents never reach the notebook on disk.

>>> html_text = download_html(b"hello", "hart-note-2026-12-07-1405.md", "Download the note")
>>> 'download="hart-note-2026-12-07-1405.md"' in html_text and "aGVsbG8=" in html_text
True
"""

from __future__ import annotations

import base64
import mimetypes

from systemic.html_templates import render

__all__ = ["download_html", "MIME_TYPES"]

MIME_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".md": "text/markdown",
    ".html": "text/html",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}


def download_html(data: bytes, filename: str, label: str) -> str:
    """An escaped link that downloads ``data`` as ``filename`` when clicked."""
    suffix = "." + filename.rsplit(".", 1)[-1] if "." in filename else ""
    mime = MIME_TYPES.get(suffix) or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    encoded = base64.b64encode(data).decode("ascii")
    return render("widgets/download/link.html.j2", filename=filename, mime=mime,
                  encoded=encoded, label=label)
