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

import datetime as dt
import os
import re
from pathlib import Path

from systemic.dates import file_stamp
from systemic.note import ChildFileNote, NoteDocument, note_document

__all__ = [
    "FORMATS", "EXTENSIONS", "clean_text", "render", "default_filename", "free_path",
    "write_new_file", "write_note",
]

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


def default_filename(
    note: ChildFileNote, fmt: str, at: dt.datetime | None = None, kind: str = "note"
) -> str:
    """A name that says what the file is: the case, the session's date and the time of export.

    >>> note = ChildFileNote(session_id="s", discussion_id="d", case_id="hart family/1",
    ...     fictional=True, framework_id="f", date=dt.date(2026, 10, 20), layout=[])
    >>> default_filename(note, "md", dt.datetime(2026, 12, 7, 14, 5))
    'hart_family_1-note-2026-10-20-1405.md'
    """
    case = re.sub(r"[^A-Za-z0-9_-]+", "_", note.case_id).strip("_") or "case"
    when = at or dt.datetime.now()
    stamp = file_stamp(dt.datetime.combine(note.date, when.time()))
    return f"{case}-{kind}-{stamp}{EXTENSIONS.get(fmt, '.' + fmt)}"


def free_path(target: str | os.PathLike[str]) -> Path:
    """``target``, or the same name with -2, -3 … added when a file of that name exists.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.md").write_text("x")
    >>> free_path(folder / "a.md").name, free_path(folder / "b.md").name
    ('a-2.md', 'b.md')
    """
    path = Path(target)
    number = 1
    while path.exists():
        number += 1
        path = Path(target).with_name(f"{Path(target).stem}-{number}{Path(target).suffix}")
    return path


def write_new_file(target: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``target`` or, when that exists, the next free name; never overwrite.

    The file is readable and writable by its owner only (it is about a child).
    """
    for _ in range(1000):
        path = free_path(target)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another export took the name a moment ago: the next one
            continue
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        return path
    raise FileExistsError(f"no free name next to {target}")


def write_note(note: ChildFileNote, fmt: str, path: str | os.PathLike[str]) -> Path:
    """Write the note to ``path`` (a file, or a folder to put it in); return the file's path.

    An existing file is never overwritten: the name gets -2, -3 … instead. The
    file is readable and writable by its owner only.
    """
    target = Path(path).expanduser()
    if target.is_dir():
        target = target / default_filename(note, fmt)
    return write_new_file(target, render(note, fmt))
