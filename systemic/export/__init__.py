"""Exports: the note for the child's file as DOCX, Markdown or HTML.

Every format is drawn from the same :class:`~systemic.note.NoteDocument`, so
the three say the same thing under the same headings. Typed text is data,
never markup: HTML escapes it, Markdown backslash-escapes it, and DOCX holds
it as plain runs. Characters XML cannot hold (stray control characters) are
dropped in every format alike. Exports are explicit actions; files are
written readable by their owner only, since they are about a child.

>>> clean_text("Maya\\x00 said\\tno")
'Maya said\\tno'
>>> FORMATS
('docx', 'md', 'html')
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from systemic.note import ChildFileNote, NoteDocument, note_document

__all__ = ["FORMATS", "EXTENSIONS", "clean_text", "render", "default_filename", "write_note"]

#: The formats ``systemic-workbook export --format`` accepts.
FORMATS: tuple[str, ...] = ("docx", "md", "html")
EXTENSIONS = {"docx": ".docx", "md": ".md", "html": ".html"}

# Characters XML 1.0 cannot hold (all C0 controls but tab, newline and return; surrogates;
# U+FFFE and U+FFFF). Word refuses a file with them, so every format drops them alike.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Typed text without the characters a document cannot hold; newlines become ``\\n``."""
    return _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _document(note: ChildFileNote | NoteDocument) -> NoteDocument:
    return note if isinstance(note, NoteDocument) else note_document(note)


def render(note: ChildFileNote | NoteDocument, fmt: str) -> bytes:
    """The note in one of :data:`FORMATS`, as the bytes of the file.

    Raises
    ------
    ValueError
        For a format the workbook does not write, naming those it does.
    """
    document = _document(note)
    if fmt == "docx":
        from systemic.export.docx import to_docx

        if isinstance(note, ChildFileNote):
            return to_docx(document, author=note.author or note.supervisor,
                           reference=note.case_id)
        return to_docx(document)
    if fmt == "md":
        from systemic.export.markdown import to_markdown

        return to_markdown(document).encode("utf-8")
    if fmt == "html":
        from systemic.export.markdown import to_html

        return to_html(document).encode("utf-8")
    raise ValueError(f"'{fmt}' is not a format the workbook writes — use one of: "
                     f"{', '.join(FORMATS)}")


def default_filename(note: ChildFileNote, fmt: str) -> str:
    """A file name that says what the file is: ``note-2026-10-20-blended_family.docx``.

    >>> import datetime as dt
    >>> note = ChildFileNote(session_id="s", discussion_id="d", case_id="hart family/1",
    ...     fictional=True, framework_id="f", date=dt.date(2026, 10, 20), layout=[])
    >>> default_filename(note, "md")
    'note-2026-10-20-hart_family_1.md'
    """
    case = re.sub(r"[^A-Za-z0-9_-]+", "_", note.case_id).strip("_") or "case"
    return f"note-{note.date.isoformat()}-{case}{EXTENSIONS[fmt]}"


def write_note(note: ChildFileNote, fmt: str, path: str | os.PathLike[str]) -> Path:
    """Write the note to ``path`` (a file, or a folder to put it in); return the file's path.

    The file is readable and writable by its owner only.
    """
    target = Path(path).expanduser()
    if target.is_dir():
        target = target / default_filename(note, fmt)
    data = render(note, fmt)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return target
