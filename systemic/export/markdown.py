"""The note for the child's file as Markdown and as a self-contained HTML page.

Typed text is escaped in both, so what the supervisor wrote is shown exactly
as written and can never become markup: ``<script>`` stays text. The HTML
page carries a tiny inline stylesheet and a content security policy that
forbids loading anything, so it opens the same offline and on any intranet.

>>> from systemic.note import NoteDocument, NoteSection
>>> doc = NoteDocument("Notes", ("Hello <b>",), (NoteSection("s", "Ideas", ("a*b*",)),), ())
>>> print(to_markdown(doc))
# Notes
<BLANKLINE>
Hello \\<b\\>
<BLANKLINE>
## Ideas
<BLANKLINE>
a\\*b\\*
<BLANKLINE>
>>> "Hello &lt;b&gt;" in to_html(doc)
True
"""

from __future__ import annotations

import html
import re

from systemic.export import clean_text
from systemic.note import NoteDocument

__all__ = ["escape_markdown", "to_markdown", "escape_html", "to_html", "STYLESHEET"]

# Characters that mean something to Markdown (CommonMark and GitHub's) anywhere in a line.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>#|~&])")
# Characters that mean something only at the start of a line: lists, quotes, headings, rules.
_MD_LINE_START = re.compile(r"^(\s*)([-+=>#]|\d+[.)])")


def escape_markdown(text: str) -> str:
    """Typed text made literal in Markdown; each line's leading spaces are dropped.

    >>> escape_markdown("# not a heading\\n1. not a list <i>")
    '\\\\# not a heading\\n1\\\\. not a list \\\\<i\\\\>'
    """
    lines = []
    for line in clean_text(text).split("\n"):
        line = _MD_INLINE.sub(r"\\\1", line.strip())
        line = _MD_LINE_START.sub(lambda m: m.group(1) + _escape_marker(m.group(2)), line)
        lines.append(line)
    return "\n".join(lines)


def _escape_marker(marker: str) -> str:
    if marker[-1] in ".)":
        return marker[:-1] + "\\" + marker[-1]
    return "\\" + marker


def _md_block(text: str, indent: str = "") -> str:
    """A paragraph or list item whose own line breaks stay line breaks."""
    lines = escape_markdown(text).split("\n")
    return ("\\\n" + indent).join(lines)


def to_markdown(document: NoteDocument) -> str:
    """The note as Markdown: the title, the opening, one ``##`` heading per section."""
    out = [f"# {_md_block(document.title)}", ""]
    for paragraph in document.intro:
        out += [_md_block(paragraph), ""]
    for section in document.sections:
        out += [f"## {_md_block(section.title)}", ""]
        for paragraph in section.paragraphs:
            out += [_md_block(paragraph), ""]
        if section.items:
            out += [f"- {_md_block(item, '  ')}" for item in section.items]
            out.append("")
    for paragraph in document.closing:
        out += [_md_block(paragraph), ""]
    return "\n".join(out)


#: The page's only styling: readable on screen and on paper, no fonts or images fetched.
STYLESHEET = """
body { font-family: Arial, Helvetica, sans-serif; line-height: 1.5; color: #1a1a1a;
       max-width: 42rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: 1rem; }
h2 { font-size: 1.2rem; margin-top: 1.6rem; border-bottom: 1px solid #ccc; }
ul { padding-left: 1.4rem; }
li { margin-bottom: 0.4rem; }
.closing { margin-top: 2rem; color: #444; }
@media print { body { margin: 0; max-width: none; } }
""".strip()

_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def escape_html(text: str) -> str:
    """Typed text made literal in HTML, its line breaks kept.

    >>> escape_html('<script>alert("1")</script>\\nnext')
    '&lt;script&gt;alert(&quot;1&quot;)&lt;/script&gt;<br>\\nnext'
    """
    return "<br>\n".join(html.escape(line, quote=True) for line in clean_text(text).split("\n"))


def to_html(document: NoteDocument) -> str:
    """The note as one self-contained HTML page (nothing loaded from anywhere)."""
    e = escape_html
    out = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{e(document.title)}</title>",
        f"<style>\n{STYLESHEET}\n</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{e(document.title)}</h1>",
    ]
    out += [f"<p>{e(p)}</p>" for p in document.intro]
    for section in document.sections:
        out.append("<section>")
        out.append(f"<h2>{e(section.title)}</h2>")
        out += [f"<p>{e(p)}</p>" for p in section.paragraphs]
        if section.items:
            out.append("<ul>")
            out += [f"<li>{e(item)}</li>" for item in section.items]
            out.append("</ul>")
        out.append("</section>")
    out += [f'<p class="closing">{e(p)}</p>' for p in document.closing]
    out += ["</main>", "</body>", "</html>", ""]
    return "\n".join(out)
