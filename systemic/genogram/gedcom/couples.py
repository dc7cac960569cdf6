"""GEDCOM ``FAM`` records as couples: who the partners are, and the story of the couple.

GEDCOM 5 writes partners as ``HUSB`` and ``WIFE``, but same-sex couples appear as two
``HUSB`` or two ``WIFE`` lines, and some programs write ``_PARTNER``; GEDCOM 7 says
not to read sex or role from HUSB and WIFE at all. So every partner line counts, in
file order, and sex comes from each person's own ``SEX``.

A couple who married, divorced and married each other again is often one ``FAM``
record with two ``MARR`` events and a ``DIV`` between: that is two unions here, the
first divorced and the second married.

>>> from systemic.genogram.gedcom.lines import Node
>>> from systemic.genogram.gedcom.notes import ImportNotes
>>> fam = Node(0, "@F1@", "FAM", "", 1, [
...     Node(1, None, "MARR", "", 2, [Node(2, None, "DATE", "1950", 3)]),
...     Node(1, None, "DIV", "", 4, [Node(2, None, "DATE", "1960", 5)]),
...     Node(1, None, "MARR", "", 6, [Node(2, None, "DATE", "1965", 7)])])
>>> couple_spells(fam, ImportNotes())
[('divorced', '1950', '1960'), ('married', '1965', None)]
"""

from __future__ import annotations

from systemic.genogram.gedcom.dates import read_date
from systemic.genogram.gedcom.lines import Node
from systemic.genogram.gedcom.notes import ImportNotes
from systemic.genogram.gedcom.people import event_date, happened

__all__ = ["PARTNER_TAGS", "couple_spells", "child_kind"]

#: Lines naming a partner in a family: GEDCOM's own and those some programs write.
PARTNER_TAGS = ("HUSB", "WIFE", "_PARTNER", "PARTNER", "_PART", "_SPOU")
_ENDS = ("DIV", "ANUL")

Spell = tuple[str, str | None, str | None]


def _dated(node: Node, notes: ImportNotes) -> str | None:
    when = node.first("DATE")
    if when is None:
        return None
    found, unlikely = read_date(when.value)
    if unlikely is not None:
        notes.add("unlikely_year", when.line, str(unlikely))
    return found


def _events(family: Node, notes: ImportNotes) -> list[tuple[str, str | None]]:
    """Marriages ("start") and divorces ("end") in time order, or file order if undated."""
    events = [("start" if n.tag == "MARR" else "end", _dated(n, notes))
              for n in family.children
              if (n.tag == "MARR" or n.tag in _ENDS) and n.value.upper() != "N"]
    if all(when is not None for _kind, when in events):
        events.sort(key=lambda e: e[1] or "")
    return events


def couple_spells(family: Node, notes: ImportNotes) -> list[Spell]:
    """``(status, began, ended)`` for each time the couple were together: one spell,
    or several if they married again after a divorce."""
    events = _events(family, notes)
    starts = [e for e in events if e[0] == "start"]
    if len(starts) > 1 and any(kind == "end" for kind, _ in events):
        spells: list[list] = []
        for kind, when in events:
            if kind == "start" and (not spells or spells[-1][0] == "divorced"):
                spells.append(["married", when, None])
            elif kind == "end" and spells and spells[-1][0] == "married":
                spells[-1][0], spells[-1][2] = "divorced", when
        if len(spells) > 1:
            return [(s, b, e) for s, b, e in spells]
    return [_one_spell(family, notes)]


def _one_spell(family: Node, notes: ImportNotes) -> Spell:
    began = event_date(family, "MARR", notes)
    if happened(family, "DIV") or happened(family, "ANUL"):
        return "divorced", began, (event_date(family, "DIV", notes)
                                   or event_date(family, "ANUL", notes))
    if happened(family, "MARR"):
        return "married", began, None
    if happened(family, "ENGA"):
        return "engaged", event_date(family, "ENGA", notes), None
    if any(n.value.upper() == "MARR" for n in family.all("NO")):
        return "cohabiting", None, None
    return "married", None, None


# -- children ------------------------------------------------------------------------------

_PEDI = {"BIRTH": "birth", "ADOPTED": "adoptive", "FOSTER": "foster", "SEALING": "birth"}
_PHRASE_KINDS = (("STEP", "step"), ("GUARDIAN", "special_guardianship"), ("FOSTER", "foster"),
                 ("ADOPT", "adoptive"))
_VENDOR_KINDS = {"ADOPTED": "adoptive", "FOSTER": "foster", "STEP": "step", "NATURAL": "birth",
                 "BIRTH": "birth", "BIOLOGICAL": "birth", "GUARDIAN": "special_guardianship"}


def child_kind(famc: Node | None, chil: Node | None) -> str | None:
    """The parent-link kind from ``FAMC.PEDI`` (5.5.1 and 7), or vendors' ``_FREL``/``_MREL``
    under ``CHIL``; ``None`` means the link is disproven and left out.

    >>> child_kind(Node(1, None, "FAMC", "@F1@", 1, [Node(2, None, "PEDI", "adopted", 2)]), None)
    'adoptive'
    """
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
