"""The note for the child's file as a Word document (python-docx).

Many councils paste notes into their case recording system from Word, so the
DOCX keeps to plain building blocks: a title, paragraphs, one Heading 1 per
section and bulleted lists, in Word's built-in styles. Typed text is set as
run text, which Word never reads as markup.

>>> from systemic.note import NoteDocument, NoteSection
>>> doc = NoteDocument("Notes", ("Hello",), (NoteSection("s", "Ideas", (), ("One",)),), ())
>>> data = to_docx(doc)
>>> data[:2]
b'PK'
>>> [h for h in headings(data)]
[(0, 'Notes'), (1, 'Ideas')]
"""

from __future__ import annotations

import io

from systemic.export import clean_text
from systemic.note import NoteDocument

__all__ = ["to_docx", "headings"]

# Word's core properties hold at most 255 characters each.
_PROPERTY_LIMIT = 255


def to_docx(document: NoteDocument, author: str = "") -> bytes:
    """The note as the bytes of a ``.docx`` file."""
    from docx import Document

    doc = Document()
    props = doc.core_properties
    props.title = clean_text(document.title)[:_PROPERTY_LIMIT]
    props.author = clean_text(author)[:_PROPERTY_LIMIT]
    props.last_modified_by = ""
    props.comments = ""
    props.subject = "Notes from group supervision"
    doc.add_heading(clean_text(document.title), level=0)
    for paragraph in document.intro:
        doc.add_paragraph(clean_text(paragraph))
    for section in document.sections:
        doc.add_heading(clean_text(section.title), level=1)
        for paragraph in section.paragraphs:
            doc.add_paragraph(clean_text(paragraph))
        for item in section.items:
            doc.add_paragraph(clean_text(item), style="List Bullet")
    for paragraph in document.closing:
        doc.add_paragraph(clean_text(paragraph))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def headings(data: bytes) -> list[tuple[int, str]]:
    """The headings of a DOCX file as ``(level, text)``, the title being level 0.

    For tests and for checking a file against the framework's sections.
    """
    from docx import Document

    out = []
    for paragraph in Document(io.BytesIO(data)).paragraphs:
        style = paragraph.style.name if paragraph.style is not None else ""
        if style == "Title":
            out.append((0, paragraph.text))
        elif style.startswith("Heading "):
            out.append((int(style.split()[1]), paragraph.text))
    return out
