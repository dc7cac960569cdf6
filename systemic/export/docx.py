"""The note for the child's file as a Word document (python-docx), ready for the file.

Many councils paste notes into their case recording system from Word, so the DOCX keeps
to plain building blocks in Word's built-in styles: the Title, one Heading 1 per
section, paragraphs and bulleted lists. It is set up as a UK council document: A4 with
2.5 cm margins, UK English, the case reference in the header and "Page 1 of 2" in the
footer of every page (Word's PAGE and NUMPAGES fields), and document properties that say
what it is (the title, the supervisor as author, created now). Typed text is set as run
text, which Word never reads as markup.

>>> from systemic.note import NoteDocument, NoteSection
>>> doc = NoteDocument("Notes", ("Hello",), (NoteSection("s", "Ideas", (), ("One",)),), ())
>>> data = to_docx(doc, author="Sam", reference="case-1")
>>> data[:2]
b'PK'
>>> [h for h in headings(data)]
[(0, 'Notes'), (1, 'Ideas')]
>>> setup = page_setup(data)
>>> setup["width_mm"], setup["height_mm"], setup["header"], setup["footer"]
(210, 297, 'Case reference: case-1', 'Page {PAGE} of {NUMPAGES}')
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from systemic.export import clean_text
from systemic.note import NoteDocument

__all__ = ["to_docx", "headings", "page_setup", "A4_MM", "MARGIN_MM"]

# Word's core properties hold at most 255 characters each.
_PROPERTY_LIMIT = 255
#: A4, in millimetres (width, height).
A4_MM = (210, 297)
MARGIN_MM = 25
#: UK English, for Word's spelling check and for screen readers.
LANGUAGE = "en-GB"


def to_docx(document: NoteDocument, author: str = "", *, reference: str = "",
            created: dt.datetime | None = None) -> bytes:
    """The note as the bytes of a ``.docx`` file.

    ``author`` is the supervisor who wrote it, ``reference`` the case reference shown on
    every page, ``created`` when it was made (now, by default).
    """
    from docx import Document

    doc = Document()
    _page(doc, clean_text(reference))
    _properties(doc, document, clean_text(author), created)
    _language(doc)
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


def _page(doc: Any, reference: str) -> None:
    """A4 with even margins; the case reference above and the page number below every page."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(A4_MM[0]), Mm(A4_MM[1])
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(MARGIN_MM))
    header = section.header.paragraphs[0]
    header.text = f"Case reference: {reference}" if reference else ""
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")


def _field(paragraph: Any, code: str) -> None:
    """A Word field (``PAGE``, ``NUMPAGES``) that Word and LibreOffice fill in on each page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {code} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _properties(doc: Any, document: NoteDocument, author: str,
                created: dt.datetime | None) -> None:
    # Word stores these as UTC without a zone; python-docx's blank template says 2013.
    now = (created or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    now = now.replace(tzinfo=None, microsecond=0)
    props = doc.core_properties
    props.title = clean_text(document.title)[:_PROPERTY_LIMIT]
    props.author = author[:_PROPERTY_LIMIT]
    props.last_modified_by = author[:_PROPERTY_LIMIT]
    props.created = props.modified = props.last_printed = now
    props.revision = 1
    props.comments = ""
    props.keywords = ""
    props.subject = "Notes from group supervision"
    props.category = "Child's file"
    props.language = LANGUAGE


def _language(doc: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run_properties = doc.styles["Normal"].element.get_or_add_rPr()
    lang = run_properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_properties.append(lang)
    lang.set(qn("w:val"), LANGUAGE)


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


def page_setup(data: bytes) -> dict[str, Any]:
    """The page size in millimetres, and the header and footer as text (fields in braces)."""
    from docx import Document
    from docx.oxml.ns import qn

    section = Document(io.BytesIO(data)).sections[0]

    def text(paragraph: Any) -> str:
        parts = []
        for child in paragraph._p:
            if child.tag == qn("w:r"):
                parts.append("".join(t.text or "" for t in child.iter(qn("w:t"))))
            elif child.tag == qn("w:fldSimple"):
                parts.append("{" + child.get(qn("w:instr")).strip() + "}")
        return "".join(parts)

    return {
        "width_mm": round(section.page_width.mm),
        "height_mm": round(section.page_height.mm),
        "header": text(section.header.paragraphs[0]),
        "footer": text(section.footer.paragraphs[0]),
    }
