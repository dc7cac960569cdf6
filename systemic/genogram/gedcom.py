"""Importing a family tree from GEDCOM 5.5, 5.5.1 or 7 as a case.

GEDCOM is the family-history exchange format. A family may already have its
tree in a genealogy program; importing it saves drawing the skeleton of the
genogram by hand. Only the structure comes across: people (name, sex, birth
and death dates), couples (marriage, divorce) and who is whose child, with
adoption and fostering from ``FAMC.PEDI``. GEDCOM has no emotional relationships
or households; those are added in the workbook.

Why our own reader: GEDCOM's line grammar is tiny (``level [@xref@] TAG [value]``)
and the Python libraries we compared (GENOGRAM.md §6.1) either ignore ``PEDI``
in their parent helpers (so an adopted child is silently given their adoptive
parents as birth parents) or read only GEDCOM 7. Reading the lines ourselves also
lets every error name the file and the line.

>>> case = parse_gedcom('''0 HEAD
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
... 0 @F1@ FAM
... 1 WIFE @I1@
... 1 CHIL @I2@
... 0 TRLR''', "smith.ged")
>>> [(p.id, p.born) for p in case.people], case.parents[0].kind
([('mia-smith', '1985'), ('kai-smith', None)], 'adoptive')
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from systemic.cases import Case, ParentLink, PartialDate, Person, Union
from systemic.errors import DataFileError, Problem
from systemic.genogram.commands import slug, unique_id
from systemic.genogram.validate import family_issues

__all__ = ["load_gedcom", "parse_gedcom", "gedcom_date", "decode_gedcom", "MAX_GEDCOM_BYTES"]

#: Larger files are refused: a family tree of 50,000 people is not a genogram.
MAX_GEDCOM_BYTES = 20_000_000

_LINE = re.compile(r"^\s*(\d+)[ \t]+(?:(@[^@\s][^@]*@)[ \t]+)?([A-Za-z0-9_]+)(?:[ \t](.*))?$")
_POINTER = re.compile(r"^@[^@#\s][^@]*@$")
_VOID = "@VOID@"


# -- reading the file -----------------------------------------------------------------------


def _fail(path: str, message: str, line: int | None = None) -> DataFileError:
    return DataFileError([Problem(path, f"line {line}" if line else "", message)])


# ANSEL (ANSI Z39.47), the old GEDCOM 5 character set: ASCII plus a few letters and
# combining accents written *before* their letter. Only what family names use.
_ANSEL_LETTERS = {
    0xA1: "Ł", 0xA2: "Ø", 0xA3: "Đ", 0xA4: "Þ", 0xA5: "Æ", 0xA6: "Œ", 0xA7: "ʹ", 0xA8: "·",
    0xAA: "®", 0xAB: "±", 0xAE: "ʼ", 0xB0: "ʻ", 0xB1: "ł", 0xB2: "ø", 0xB3: "đ", 0xB4: "þ",
    0xB5: "æ", 0xB6: "œ", 0xB8: "ı", 0xB9: "£", 0xBA: "ð", 0xC3: "©", 0xC5: "¿", 0xC6: "¡",
    0xCF: "ß",
}
_ANSEL_ACCENTS = {
    0xE1: "\u0300", 0xE2: "\u0301", 0xE3: "\u0302", 0xE4: "\u0303", 0xE5: "\u0304",
    0xE6: "\u0306", 0xE7: "\u0307", 0xE8: "\u0308", 0xE9: "\u030c", 0xEA: "\u030a",
    0xED: "\u0315", 0xEE: "\u030b", 0xF0: "\u0327", 0xF1: "\u0328", 0xF2: "\u0323",
}


def _ansel(raw: bytes) -> str:
    if raw.isascii():
        return raw.decode("ascii")
    out: list[str] = []
    pending: list[str] = []
    for byte in raw:
        if byte in _ANSEL_ACCENTS:
            pending.append(_ANSEL_ACCENTS[byte])
            continue
        char = chr(byte) if byte < 0x80 else _ANSEL_LETTERS.get(byte, "\ufffd")
        out.append(char + "".join(pending))
        pending = []
    return unicodedata.normalize("NFC", "".join(out))


def decode_gedcom(raw: bytes) -> str:
    """Text from a GEDCOM file's bytes: UTF-8 (with or without BOM), UTF-16, ANSEL, or
    ANSI (Windows-1252) as the header's ``CHAR`` says.

    >>> decode_gedcom("0 HEAD\\n1 CHAR UTF-8\\n".encode("utf-8-sig")).splitlines()[0]
    '0 HEAD'
    >>> decode_gedcom(b"0 HEAD\\n1 CHAR ANSEL\\n0 @I1@ INDI\\n1 NAME Zo\\xe8e").split()[-1]
    'Zoë'
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    head = raw[:2000].decode("ascii", errors="replace").upper()
    charset = re.search(r"^\s*1\s+CHAR\s+(\S+)", head, re.MULTILINE)
    declared = charset.group(1) if charset else "UTF-8"
    if declared == "ANSEL":
        return _ansel(raw)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


@dataclass
class _Node:
    level: int
    xref: str | None
    tag: str
    value: str
    line: int
    children: list[_Node] = field(default_factory=list)

    def first(self, tag: str) -> _Node | None:
        return next((c for c in self.children if c.tag == tag), None)

    def all(self, tag: str) -> Iterator[_Node]:
        return (c for c in self.children if c.tag == tag)

    def text(self, tag: str) -> str:
        node = self.first(tag)
        return node.value if node else ""


def _records(text: str, path: str) -> list[_Node]:
    """Parse the lines into level-0 records with their sub-structures."""
    records: list[_Node] = []
    stack: list[_Node] = []
    seen_line = False
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        m = _LINE.match(raw)
        if not seen_line:
            if not m or m.group(1) != "0" or m.group(3).upper() != "HEAD":
                raise _fail(path, 'this is not a GEDCOM file: it should begin with "0 HEAD" — '
                            "export the family tree as GEDCOM from the family-history program",
                            number)
            seen_line = True
        if not m:
            raise _fail(path, f"cannot read {raw.strip()[:40]!r}: each line should be a level "
                        "number, an optional @id@, a tag and a value, like '1 NAME Mia /Smith/'",
                        number)
        level = int(m.group(1))
        parent_level = stack[-1].level if stack else -1
        if level > parent_level + 1:
            raise _fail(path, f"level {level} follows level {parent_level}: a line can be at "
                        "most one level deeper than the line above — the file may have been "
                        "edited by hand", number)
        value = (m.group(4) or "").strip()
        if not _POINTER.match(value):
            value = value.replace("@@", "@")
        node = _Node(level, m.group(2), m.group(3).upper(), value, number)
        while stack and stack[-1].level >= level:
            stack.pop()
        if stack:
            stack[-1].children.append(node)
        else:
            records.append(node)
        stack.append(node)
    if not seen_line:
        raise _fail(path, "the file is empty — export the family tree as GEDCOM again")
    return records


# -- dates -----------------------------------------------------------------------------------

_MONTHS = {name.upper(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.upper(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["SEPT"] = 9
_APPROXIMATE = ("ABT", "ABOUT", "CAL", "EST", "BEF", "AFT", "INT", "CIRCA", "C.")


def gedcom_date(value: str) -> str | None:
    """A GEDCOM date as a :class:`~systemic.cases.PartialDate` string, best effort.

    Exact dates keep their precision; approximate ones (about, before, after,
    between, from…to) keep only a year; what cannot be read is ``None``.

    >>> [gedcom_date(v) for v in ("12 MAR 1850", "MAR 1850", "ABT 1840", "BEF 1900",
    ...                           "BET 1840 AND 1850", "29 December 1812", "1745/46")]
    ['1850-03-12', '1850-03', '1840', '1900', '1840', '1812-12-29', '1745']
    >>> [gedcom_date(v) for v in ("@#DJULIAN@ 5 JAN 1700", "(unknown)", "800")]
    ['1700-01-05', None, None]
    """
    text = re.sub(r"\([^)]*\)", " ", value.upper())
    text = re.sub(r"@#D[A-Z ]+@", " ", text)
    words = text.replace(",", " ").split()
    if not words:
        return None
    if words[0] in ("FRENCH_R", "HEBREW"):
        return None
    if words[0] in ("GREGORIAN", "JULIAN"):
        words = words[1:]
    if any(w in ("B.C.", "BC", "BCE") for w in words):
        return None
    approximate = False
    if words and (words[0] in _APPROXIMATE or words[0] in ("BET", "FROM", "TO")):
        approximate = True
        words = words[1:]
        for stop in ("AND", "TO"):
            if stop in words:
                words = words[: words.index(stop)]
    years = [w for w in words if re.fullmatch(r"\d{3,4}(/\d{1,4})?", w)]
    if not years:
        return None
    year = int(years[0].split("/")[0])
    if not 1000 <= year <= 2200:
        return None
    if approximate:
        return str(year)
    before = words[: words.index(years[0])]
    month = next((_MONTHS[w] for w in before if w in _MONTHS), None)
    day = next((int(w) for w in before if w.isdigit() and 1 <= int(w) <= 31), None)
    if month is None:
        return str(year)
    if day is not None:
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            pass
    return f"{year}-{month:02d}"


# -- records to a case --------------------------------------------------------------------------

_SEX = {"M": "male", "F": "female", "X": "intersex", "U": "unknown"}
_PEDI = {"BIRTH": "birth", "ADOPTED": "adoptive", "FOSTER": "foster", "SEALING": "birth"}
_PHRASE_KINDS = (("STEP", "step"), ("GUARDIAN", "special_guardianship"), ("FOSTER", "foster"),
                 ("ADOPT", "adoptive"))
_VENDOR_KINDS = {"ADOPTED": "adoptive", "FOSTER": "foster", "STEP": "step", "NATURAL": "birth",
                 "BIRTH": "birth", "BIOLOGICAL": "birth", "GUARDIAN": "special_guardianship"}


def _name(record: _Node) -> str:
    node = record.first("NAME")
    text = node.value if node else ""
    if node and not text.replace("/", "").strip():
        text = f"{node.text('GIVN')} {node.text('SURN')}"
    text = " ".join(text.replace("/", " ").replace("_", " ").split())
    return text[:200] or "Name not known"


def _event_date(record: _Node, tag: str) -> str | None:
    for event in record.all(tag):
        found = gedcom_date(event.text("DATE"))
        if found:
            return found
    return None


def _child_kind(famc: _Node | None, chil: _Node | None) -> str | None:
    """The parent-link kind from ``FAMC.PEDI`` (5.5.1 and 7), or vendors' ``_FREL``/``_MREL``
    under ``CHIL``; ``None`` means the link is disproven and left out."""
    if famc is not None:
        status = famc.first("STAT")
        if status is not None and status.value.upper() == "DISPROVEN":
            return None
        pedi = famc.first("PEDI")
        if pedi is not None and pedi.value:
            word = pedi.value.upper()
            if word in _PEDI:
                return _PEDI[word]
            phrase = (pedi.text("PHRASE") + " " + word).upper()
            return next((kind for key, kind in _PHRASE_KINDS if key in phrase), "kinship")
    if chil is not None:
        words = {c.value.upper() for c in chil.children if c.tag in ("_FREL", "_MREL")}
        kinds = [_VENDOR_KINDS[w] for w in words if w in _VENDOR_KINDS]
        return next((k for k in kinds if k != "birth"), "birth")
    return "birth"


def _happened(record: _Node, tag: str) -> bool:
    """Whether an event is recorded: ``1 DIV`` or ``1 DIV Y`` yes; ``1 DIV N`` (written by
    some programs for "not divorced") and GEDCOM 7's ``1 NO DIV`` no."""
    if any(n.value.upper() == tag for n in record.all("NO")):
        return False
    return any(n.value.upper() != "N" for n in record.all(tag))


def _union_status(family: _Node) -> tuple[str, str | None, str | None]:
    """(status, began, ended) from a FAM record's events."""
    began = _event_date(family, "MARR")
    if _happened(family, "DIV") or _happened(family, "ANUL"):
        return "divorced", began, _event_date(family, "DIV") or _event_date(family, "ANUL")
    if _happened(family, "MARR"):
        return "married", began, None
    if _happened(family, "ENGA"):
        return "engaged", _event_date(family, "ENGA"), None
    if any(n.value.upper() == "MARR" for n in family.all("NO")):
        return "cohabiting", None, None
    return "married", None, None


def _title(path: str) -> str:
    stem = Path(path).stem.replace("_", " ").replace("-", " ").strip()
    return (stem[:1].upper() + stem[1:]) or "Imported family tree"


def parse_gedcom(text: str, path: str | Path = "<gedcom>", *, fictional: bool = False,
                 title: str | None = None) -> Case:
    """Turn GEDCOM text into a :class:`~systemic.cases.Case` (see :func:`load_gedcom`)."""
    name = str(path)
    records = _records(text, name)
    by_xref: dict[str, _Node] = {}
    for record in records:
        if record.xref:
            if record.xref in by_xref:
                raise _fail(name, f"{record.xref} is used for two records (the other is on "
                            f"line {by_xref[record.xref].line}) — each needs its own id",
                            record.line)
            by_xref[record.xref] = record

    def target(node: _Node, wanted: str) -> _Node | None:
        if node.value == _VOID or not node.value:
            return None
        if not _POINTER.match(node.value):
            raise _fail(name, f"{node.tag} should point to a record like @I1@, not "
                        f"{node.value[:40]!r}", node.line)
        found = by_xref.get(node.value)
        if found is not None and found.tag == wanted:
            return found
        what = {"INDI": "person", "FAM": "family"}[wanted]
        if found is None:
            raise _fail(name, f"{node.tag} points to {node.value}, but there is no such record "
                        "— the file may be cut short; export it again", node.line)
        if found.tag != wanted:
            raise _fail(name, f"{node.tag} points to {node.value}, which is not a {what} "
                        f"(it is a {found.tag} record)", node.line)
        return found

    individuals = [r for r in records if r.tag == "INDI"]
    families = [r for r in records if r.tag == "FAM"]

    ids: dict[int, str] = {}  # id(record) → person id
    taken: set[str] = set()
    people: list[Person] = []
    line_of: dict[str, int] = {}
    for record in individuals:
        person_name = _name(record)
        pid = unique_id(slug(person_name), taken)
        taken.add(pid)
        ids[id(record)] = pid
        line_of[pid] = record.line
        born, died = _event_date(record, "BIRT"), _event_date(record, "DEAT")
        people.append(Person(id=pid, name=person_name,
                             sex=_SEX.get(record.text("SEX").upper()[:1], "unknown"),
                             born=PartialDate.parse(born) if born else None,
                             died=PartialDate.parse(died) if died else None))
        for famc in record.all("FAMC"):
            target(famc, "FAM")
        for fams in record.all("FAMS"):
            target(fams, "FAM")

    famc_of: dict[str, list[tuple[_Node, _Node]]] = {}  # family xref → (person, FAMC line)
    for record in individuals:
        for famc in record.all("FAMC"):
            famc_of.setdefault(famc.value, []).append((record, famc))
    unions: list[Union] = []
    links: list[ParentLink] = []
    union_ids: set[str] = set()
    birth_family: dict[str, int] = {}  # person id → line of their birth family's FAMC/CHIL
    for family in families:
        partners = []
        for tag in ("HUSB", "WIFE"):
            node = family.first(tag)
            person = target(node, "INDI") if node else None
            if person is not None:
                partners.append(ids[id(person)])
        if len(partners) == 2:
            status, began, ended = _union_status(family)
            uid = unique_id(slug(f"{partners[0]}-{partners[1]}", "couple"), union_ids)
            union_ids.add(uid)
            unions.append(Union(id=uid, partners=partners, status=status,
                                began=PartialDate.parse(began) if began else None,
                                ended=PartialDate.parse(ended) if ended else None))
        children: dict[str, tuple[_Node | None, _Node | None]] = {}
        for chil in family.all("CHIL"):
            child = target(chil, "INDI")
            if child is not None:
                children.setdefault(ids[id(child)], (None, chil))
        for record, famc in famc_of.get(family.xref or "", []):
            pid = ids[id(record)]
            children[pid] = (famc, children.get(pid, (None, None))[1])
        if not partners:
            continue
        for pid, (famc, chil) in children.items():
            kind = _child_kind(famc, chil)
            if kind is None:
                continue
            if kind == "birth":
                line = (famc or chil).line  # type: ignore[union-attr]
                if pid in birth_family:
                    raise _fail(name, f"{pid_name(people, pid)} has a second birth family "
                                f"here (the first is on line {birth_family[pid]}) — mark one "
                                "with PEDI adopted or foster in the family-history program",
                                line)
                birth_family[pid] = line
            links.append(ParentLink(child=pid, parents=partners, kind=kind))

    try:
        case = Case(id=slug(Path(name).stem, "gedcom"), title=title or _title(name),
                    fictional=fictional, people=people, unions=unions, parents=links)
    except ValidationError as e:  # pragma: no cover - our own values are always valid
        raise _fail(name, f"could not be turned into a case: {e.errors()[0]['msg']}") from None
    issues = family_issues(case, dates=False)
    if issues:
        raise DataFileError([
            Problem(name, f"line {line_of[issue.people[0]]}" if issue.people else "",
                    issue.message) for issue in issues])
    return case


def pid_name(people: list[Person], pid: str) -> str:
    return next((p.name for p in people if p.id == pid), pid)


def load_gedcom(path: str | Path, *, fictional: bool = False, title: str | None = None) -> Case:
    """Read a GEDCOM 5.5, 5.5.1 or 7 file as a case.

    Parameters
    ----------
    path
        The ``.ged`` file.
    fictional
        ``False`` unless told: an imported tree is usually a real family, and real
        cases are shown to participants with initials.
    title
        The case title; by default made from the file name.

    Returns
    -------
    Case
        People (ids made from names, unique), couples (``MARR`` → married,
        ``DIV``/``ANUL`` → divorced, ``ENGA`` → engaged, GEDCOM 7 ``NO MARR`` →
        cohabiting, otherwise married) and one parent link per child and family,
        with its kind from ``FAMC.PEDI`` (birth, adopted → adoptive, foster,
        sealing → birth) or the ``_FREL``/``_MREL`` tags some programs write.
        The structure is checked (no one their own ancestor, at most one birth
        family); dates are not, as old records often disagree — see
        :func:`systemic.genogram.validate.family_problems`.

    Raises
    ------
    DataFileError
        One line naming the file and the line number: not GEDCOM, a binary file,
        bad level numbers, a pointer to a missing record, …

    Notes
    -----
    A death recorded without a date, and years before 1000, cannot be shown and are
    left out. Sources, notes, places and media are not imported.
    """
    name = str(path)
    p = Path(path)
    if not p.exists():
        raise _fail(name, "file not found — check the path")
    if p.is_dir():
        raise _fail(name, "this is a folder — give the path of a .ged file")
    size = p.stat().st_size
    if size > MAX_GEDCOM_BYTES:
        raise _fail(name, f"file is {size:,} bytes, over the {MAX_GEDCOM_BYTES:,} limit — "
                    "export only the branch of the tree the genogram needs")
    raw = p.read_bytes()
    if b"\x00" in raw and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _fail(name, "this looks like a binary file, not GEDCOM text — export the family "
                    "tree as a .ged file")
    try:
        text = decode_gedcom(raw)
    except UnicodeDecodeError:
        raise _fail(name, "the text could not be read — export it again as UTF-8") from None
    return parse_gedcom(text, name, fictional=fictional, title=title)
