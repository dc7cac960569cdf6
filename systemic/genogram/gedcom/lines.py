"""GEDCOM's lines read into records: ``level [@xref@] TAG [value]``, nested by level.

Reading is forgiving and bounded. A line that cannot be read, or that jumps more than
one level deeper than the line above, is skipped with its sub-lines and counted in
the :class:`~.notes.ImportNotes`; lines are cut at :data:`MAX_LINE` characters and a
record keeps at most :data:`MAX_SUBLINES` lines; the parts of a record the genogram
never uses (sources, notes, media, places) are not kept at all, so a large file costs
little memory. Only a file that is not GEDCOM at all, or holds nothing, is refused.

>>> from systemic.genogram.gedcom.notes import ImportNotes
>>> notes = ImportNotes()
>>> [r.tag for r in read_records("0 HEAD\\n0 @I1@ INDI\\n1 NAME Mia\\nnonsense\\n0 TRLR",
...                              "t.ged", notes)]
['HEAD', 'INDI', 'TRLR']
>>> notes.lines()
['1 line that could not be read skipped (line 4)']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from systemic.errors import DataFileError, Problem
from systemic.genogram.gedcom.notes import ImportNotes

__all__ = ["Node", "read_records", "fail", "MAX_LINE", "MAX_SUBLINES", "MAX_RECORDS",
           "MAX_LINES_KEPT", "VOID"]

#: Longer lines are cut (GEDCOM 5 allows 255 characters; notes run longer).
MAX_LINE = 4000
#: A person or family with more lines than this keeps the first ones.
MAX_SUBLINES = 2000
#: More records than this is not a genogram: the file is refused.
MAX_RECORDS = 30_000
#: More lines about people and families than this, likewise (it bounds the memory used).
MAX_LINES_KEPT = 300_000
#: Tags seen so far, so that each is held in memory once.
_TAGS: dict[str, str] = {}
#: The deepest level read (``FAMC`` → ``PEDI`` → ``PHRASE``); deeper lines are skipped.
_DEEPEST = 3

_LINE = re.compile(r"^\s*(\d{1,2})[ \t]+(?:(@[^@\s][^@]*@)[ \t]+)?([A-Za-z0-9_]{1,31})"
                   r"(?:[ \t](.*))?$")
_POINTER = re.compile(r"^@[^@#\s][^@]*@$")
VOID = "@VOID@"

#: The level-1 tags the genogram uses, per record type; the rest are skipped unread.
_KEEP = {
    "HEAD": {"CHAR", "GEDC", "SOUR"},
    "INDI": {"NAME", "SEX", "BIRT", "CHR", "BAPM", "DEAT", "BURI", "CREM", "FAMC", "FAMS",
             "NO"},
    "FAM": {"HUSB", "WIFE", "CHIL", "MARR", "DIV", "ANUL", "ENGA", "DIVF", "NO", "_PARTNER",
            "PARTNER", "_PART", "_SPOU", "MARS", "MARC", "MARL", "MARB", "EVEN"},
}


def fail(path: str, message: str, line: int | None = None) -> DataFileError:
    """The one-line error for a file that cannot be imported at all."""
    return DataFileError([Problem(path, f"line {line}" if line else "", message)])


@dataclass(slots=True)
class Node:
    """One line and the lines nested under it."""

    level: int
    xref: str | None
    tag: str
    value: str
    line: int
    children: list[Node] = field(default_factory=list)

    def first(self, tag: str) -> Node | None:
        return next((c for c in self.children if c.tag == tag), None)

    def all(self, tag: str) -> Iterator[Node]:
        return (c for c in self.children if c.tag == tag)

    def add(self, child: Node) -> None:
        if self.children is _LEAF:
            self.children = []
        self.children.append(child)

    def text(self, tag: str) -> str:
        node = self.first(tag)
        return node.value if node else ""



#: The children of every line that has none: one shared empty list, never appended to
#: (see :meth:`Node.add`), as most lines are leaves and a list each would double the memory.
_LEAF: list[Node] = []
def is_pointer(value: str) -> bool:
    """Whether ``value`` is a pointer like ``@I1@``.

    >>> is_pointer("@I1@"), is_pointer("@@"), is_pointer("Mia")
    (True, False, False)
    """
    return bool(_POINTER.match(value))


_LINE_END = re.compile(r"\r\n?|\n")


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """Numbered non-blank lines, split on CR, LF or CR LF, a megabyte at a time (so a
    large file is never held twice as a list of lines).

    >>> list(_lines("0 HEAD\\r\\n\\r\\n1 CHAR X\\r0 TRLR"))
    [(1, '0 HEAD'), (3, '1 CHAR X'), (4, '0 TRLR')]
    """
    number, start, size = 0, 0, len(text)
    while start < size:
        cut = _LINE_END.search(text, min(size, start + (1 << 20)))
        end = cut.end() if cut else size
        for raw in _LINE_END.split(text[start:end]):
            number += 1
            if raw and not raw.isspace():
                yield number, raw
        number -= 1 if end < size or text.endswith(("\n", "\r")) else 0
        start = end


class _Reader:
    def __init__(self, path: str, notes: ImportNotes):
        self.path, self.notes = path, notes
        self.records: list[Node] = []
        self.stack: list[Node] = []
        self.skip_below: int | None = None  # skipping the sub-lines of a skipped line
        self.kept = 0
        self.nodes = 0

    def start(self, number: int, m: re.Match[str] | None) -> None:
        if not m or m.group(1) != "0" or m.group(3).upper() != "HEAD":
            raise fail(self.path, 'this is not a GEDCOM file: it should begin with "0 HEAD" — '
                       "export the family tree as GEDCOM from the family-history program", number)

    def skipped(self, raw: str) -> bool:
        """A quick look at the level, for the many lines inside a skipped structure."""
        first, second = raw[0], raw[1:2]
        if self.skip_below is None or not "0" <= first <= "9":
            return False
        level = int(first + second) if "0" <= second <= "9" else int(first)
        return level > self.skip_below

    def line(self, number: int, raw: str) -> None:
        if self.skipped(raw):
            return
        if len(raw) > MAX_LINE:
            raw = raw[:MAX_LINE]
            self.notes.add("long_line", number)
        m = _LINE.match(raw)
        if not self.records and not self.stack:
            self.start(number, m)
        if not m:
            self.notes.add("unreadable_line", number)
            return
        level = int(m.group(1))
        if self.skip_below is not None and level > self.skip_below:
            return
        self.skip_below = None
        while self.stack and self.stack[-1].level >= level:
            self.stack.pop()
        parent_level = self.stack[-1].level if self.stack else -1
        if level > parent_level + 1:
            self.notes.add("level_jump", number)
            self.skip_below = level - 1
            return
        if level > _DEEPEST:
            self.skip_below = _DEEPEST  # nothing the genogram reads is nested deeper
            return
        tag = m.group(3).upper()
        tag = _TAGS.setdefault(tag, tag) if len(_TAGS) < 10_000 else tag
        if not self.wanted(level, tag, number):
            self.skip_below = min(level, self.skip_below if self.skip_below is not None else 99)
            return
        value = (m.group(4) or "").strip()
        if not is_pointer(value):
            value = value.replace("@@", "@")
        node = Node(level, m.group(2), tag, value or "", number, _LEAF)
        if self.stack:
            self.stack[-1].add(node)
        else:
            self.records.append(node)
        self.nodes += 1
        if self.nodes > MAX_LINES_KEPT:
            raise fail(self.path, f"the file has more than {MAX_LINES_KEPT:,} lines about people "
                       "and families — export only the branch of the tree the genogram needs",
                       number)
        self.stack.append(node)

    def wanted(self, level: int, tag: str, number: int) -> bool:
        """Keep records, the level-1 lines the genogram uses and what is under them."""
        if level == 0:
            if len(self.records) >= MAX_RECORDS:
                raise fail(self.path, f"the file has more than {MAX_RECORDS:,} records — "
                           "export only the branch of the tree the genogram needs", number)
            self.kept = 0
            return True
        record = self.stack[0]
        keep = _KEEP.get(record.tag)
        if level == 1 and keep is not None and tag not in keep:
            return False
        if keep is None and record.tag not in ("TRLR",):
            return False  # sources, notes, media, submitters: nothing for a genogram
        self.kept += 1
        if self.kept > MAX_SUBLINES:
            self.notes.add("too_many_lines", record.line)
            self.skip_below = 0  # the rest of this record
            return False
        return True


def read_records(text: str, path: str, notes: ImportNotes) -> list[Node]:
    """The level-0 records of ``text`` with the sub-lines the genogram uses.

    Raises :class:`~systemic.errors.DataFileError` (one line) if the text does not
    begin with ``0 HEAD`` or holds nothing.
    """
    reader = _Reader(path, notes)
    for number, raw in _lines(text):
        reader.line(number, raw)
    if not reader.records:
        raise fail(path, "the file is empty — export the family tree as GEDCOM again")
    return reader.records
