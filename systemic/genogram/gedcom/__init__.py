"""Importing a family tree from GEDCOM 5.5, 5.5.1 or 7 as a case.

GEDCOM is the family-history exchange format. A family may already have its
tree in a genealogy program; importing it saves drawing the skeleton of the
genogram by hand. Only the structure comes across: people (name, sex, birth
and death — with or without a date), couples (marriage, divorce, marrying again)
and who is whose child, with adoption and fostering from ``FAMC.PEDI``. GEDCOM has
no emotional relationships or households; those are added in the workbook.

Why our own reader: GEDCOM's line grammar is tiny (``level [@xref@] TAG [value]``)
and the Python libraries we compared (GENOGRAM.md §6.1) either ignore ``PEDI``
in their parent helpers (so an adopted child is silently given their adoptive
parents as birth parents) or read only GEDCOM 7. Reading the lines ourselves also
lets us mend what real files get wrong and say so in one line per kind of problem.

The steps, one module each: :mod:`.charsets` (bytes to text), :mod:`.lines` (text
to records), :mod:`.people` and :mod:`.couples` (records to people and couples),
:mod:`.tree` (the case, mending what is broken), :mod:`.notes` (what was mended).

>>> imported = parse_gedcom_notes('''0 HEAD
... 1 GEDC
... 2 VERS 5.5.1
... 0 @I1@ INDI
... 1 NAME Mia /Smith/
... 1 SEX F
... 1 BIRT
... 2 DATE ABT 1985
... 0 @I2@ INDI
... 1 NAME Kai /Smith/
... 1 FAMC @F1@
... 2 PEDI adopted
... 1 FAMC @F9@
... 0 @F1@ FAM
... 1 WIFE @I1@
... 1 CHIL @I2@
... 0 TRLR''', "smith.ged")
>>> case = imported.case
>>> [(p.id, p.born) for p in case.people], case.parents[0].kind
([('mia-smith', '1985'), ('kai-smith', None)], 'adoptive')
>>> [str(note) for note in imported.notes]
['smith.ged: 1 link to a missing family ignored (@F9@, line 13)']
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from systemic.cases import Case
from systemic.errors import Problem
from systemic.genogram.commands import slug
from systemic.genogram.gedcom.charsets import decode_gedcom, decode_with_note
from systemic.genogram.gedcom.dates import gedcom_date
from systemic.genogram.gedcom.lines import fail, read_records
from systemic.genogram.gedcom.notes import ImportNotes
from systemic.genogram.gedcom.tree import build_case
from systemic.genogram.validate import family_issues

__all__ = ["load_gedcom", "read_gedcom", "parse_gedcom", "parse_gedcom_notes", "gedcom_date",
           "decode_gedcom", "GedcomImport", "MAX_GEDCOM_BYTES"]

#: Larger files are refused: a family tree of 50,000 people is not a genogram.
MAX_GEDCOM_BYTES = 15_000_000


@dataclass(frozen=True)
class GedcomImport:
    """An imported tree: the case, and one line per kind of thing skipped or mended."""

    case: Case
    notes: list[Problem]


def _title(path: str) -> str:
    stem = Path(path).stem.replace("_", " ").replace("-", " ").strip()
    return (stem[:1].upper() + stem[1:]) or "Imported family tree"


def parse_gedcom_notes(text: str, path: str | Path = "<gedcom>", *, fictional: bool = False,
                       title: str | None = None, notes: ImportNotes | None = None
                       ) -> GedcomImport:
    """Turn GEDCOM text into a case and its import notes (see :func:`read_gedcom`)."""
    with _no_cycle_collection():
        return _parse(text, str(path), fictional, title, notes or ImportNotes())


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while a tree is built: the records and people hold
    no reference cycles, and on a large file the collector would otherwise walk the
    growing heap again and again (half the time of a 50,000-person import)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _parse(text: str, name: str, fictional: bool, title: str | None,
           notes: ImportNotes) -> GedcomImport:
    records = read_records(text, name, notes)
    if not any(r.tag in ("INDI", "FAM") for r in records):
        raise fail(name, "the file is empty: it holds no people — export the family tree "
                   "as GEDCOM again, with its people")
    case = build_case(records, name, notes, case_id=slug(Path(name).stem, "gedcom"),
                      title=title or _title(name), fictional=fictional)
    del records  # free the lines before the checks build their graph
    issues = family_issues(case, dates=False)
    if issues:  # pragma: no cover - the tree is mended so that layout can rely on it
        raise fail(name, f"could not be mended: {issues[0].message}")
    return GedcomImport(case, [Problem(name, "", line) for line in notes.lines()])


def parse_gedcom(text: str, path: str | Path = "<gedcom>", *, fictional: bool = False,
                 title: str | None = None) -> Case:
    """Turn GEDCOM text into a :class:`~systemic.cases.Case` (see :func:`load_gedcom`).

    >>> parse_gedcom("0 HEAD\\n0 @I1@ INDI\\n1 NAME Kai /Smith/\\n0 TRLR").people[0].name
    'Kai Smith'
    """
    return parse_gedcom_notes(text, path, fictional=fictional, title=title).case


def read_gedcom(path: str | Path, *, fictional: bool = False,
                title: str | None = None) -> GedcomImport:
    """Read a GEDCOM 5.5, 5.5.1 or 7 file as a case, with what was skipped or mended.

    Parameters
    ----------
    path
        The ``.ged`` file, in any of the character sets GEDCOM files come in
        (:mod:`.charsets`).
    fictional
        ``False`` unless told: an imported tree is usually a real family, and real
        cases are shown to participants with initials.
    title
        The case title; by default made from the file name.

    Returns
    -------
    GedcomImport
        The case — people (ids made from names, unique; a death with no date, or a
        burial, marks them as having died), couples (``MARR`` → married, ``DIV``/``ANUL``
        → divorced, marrying again after a divorce → a second couple, ``ENGA`` →
        engaged, GEDCOM 7 ``NO MARR`` → cohabiting, otherwise married; any two
        partners, whatever their sex or the tags) and one parent link per child and
        family, with its kind from ``FAMC.PEDI`` or vendors' ``_FREL``/``_MREL`` — and
        the notes: one line per kind of problem mended or skipped, naming the file.

    Raises
    ------
    DataFileError
        One line naming the file, only when nothing can be imported: not found, a
        folder, too big, binary, not GEDCOM, or empty.
    """
    name = str(path)
    p = Path(path)
    if not p.exists():
        raise fail(name, "file not found — check the path")
    if p.is_dir():
        raise fail(name, "this is a folder — give the path of a .ged file")
    size = p.stat().st_size
    if size > MAX_GEDCOM_BYTES:
        raise fail(name, f"file is {size:,} bytes, over the {MAX_GEDCOM_BYTES:,} limit — "
                   "export only the branch of the tree the genogram needs")
    try:
        raw = p.read_bytes()
    except OSError as e:
        raise fail(name, f"cannot be read ({e.strerror or e}) — check its permissions") from None
    notes = ImportNotes()
    text, note = decode_with_note(raw)
    del raw
    if note:
        notes.say(note)
    if "\x00" in text[:4000] or _binary(text):
        raise fail(name, "this looks like a binary file, not GEDCOM text — export the family "
                   "tree as a .ged file")
    return parse_gedcom_notes(text, name, fictional=fictional, title=title, notes=notes)


def _binary(text: str) -> bool:
    """Control characters other than tab and line ends in the first few thousand."""
    sample = text[:4000]
    return sum(1 for c in sample if ord(c) < 32 and c not in "\t\r\n") > 8


def load_gedcom(path: str | Path, *, fictional: bool = False, title: str | None = None) -> Case:
    """Read a GEDCOM file as a case (see :func:`read_gedcom`, which also gives the notes)."""
    return read_gedcom(path, fictional=fictional, title=title).case
