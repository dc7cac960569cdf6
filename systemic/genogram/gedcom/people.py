"""GEDCOM ``INDI`` records as people: name, sex, birth, and death with or without a date.

>>> from systemic.genogram.gedcom.lines import Node
>>> from systemic.genogram.gedcom.notes import ImportNotes
>>> record = Node(0, "@I1@", "INDI", "", 1, [Node(1, None, "NAME", "Rose /Kennedy/", 2),
...                                          Node(1, None, "DEAT", "Y", 3)])
>>> person = read_person(record, "rose-kennedy", ImportNotes())
>>> person.name, person.died, person.has_died
('Rose Kennedy', None, True)
"""

from __future__ import annotations

from systemic.cases import PartialDate, Person
from systemic.genogram.gedcom.dates import read_date
from systemic.genogram.gedcom.lines import Node
from systemic.genogram.gedcom.notes import ImportNotes

__all__ = ["read_person", "person_name", "happened", "event_date"]

_SEX = {"M": "male", "F": "female", "X": "intersex", "U": "unknown"}
#: Records of a death: a death itself, or what follows one.
_DEATH_EVENTS = ("DEAT", "BURI", "CREM")


def person_name(record: Node) -> str:
    """The name as shown: slashes round the surname dropped; GIVN/SURN if NAME is bare.

    >>> person_name(Node(0, None, "INDI", "", 1, [Node(1, None, "NAME", "Jürgen /Müller/", 2)]))
    'Jürgen Müller'
    """
    node = record.first("NAME")
    text = node.value if node else ""
    if node and not text.replace("/", "").strip():
        text = f"{node.text('GIVN')} {node.text('SURN')}"
    text = " ".join(text.replace("/", " ").replace("_", " ").split())
    return text[:200] or "Name not known"


def happened(record: Node, tag: str) -> bool:
    """Whether an event is recorded: ``1 DEAT``, ``1 DEAT Y`` or a ``DEAT`` with only a
    place say yes; ``1 DEAT N`` (written by some programs for "no") and GEDCOM 7's
    ``1 NO DEAT`` say no.

    >>> happened(Node(0, None, "INDI", "", 1, [Node(1, None, "DEAT", "N", 2)]), "DEAT")
    False
    """
    if any(n.value.upper() == tag for n in record.all("NO")):
        return False
    return any(n.value.upper() != "N" for n in record.all(tag))


def event_date(record: Node, tag: str, notes: ImportNotes) -> str | None:
    """The first readable date of the ``tag`` events; unlikely years are noted and left out."""
    for event in record.all(tag):
        node = event.first("DATE")
        if node is None:
            continue
        found, unlikely = read_date(node.value)
        if unlikely is not None:
            notes.add("unlikely_year", node.line, str(unlikely))
        if found:
            return found
    return None


def read_person(record: Node, pid: str, notes: ImportNotes) -> Person:
    """The person of an ``INDI`` record, with the id ``pid``."""
    born = event_date(record, "BIRT", notes)
    died = event_date(record, "DEAT", notes)
    dead = died is not None or any(happened(record, tag) for tag in _DEATH_EVENTS)
    return Person(id=pid, name=person_name(record),
                  sex=_SEX.get(record.text("SEX").upper()[:1], "unknown"),
                  born=PartialDate.parse(born) if born else None,
                  died=PartialDate.parse(died) if died else None,
                  deceased=dead and died is None)
