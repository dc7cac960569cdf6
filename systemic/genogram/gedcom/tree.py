"""GEDCOM records put together as a case: people, couples and who is whose child.

Nothing here refuses the file. A link to a record that is not there, a person in two
birth families, a couple of one person with themself, a link that would make someone
their own ancestor: each is skipped or mended, and counted in the
:class:`~.notes.ImportNotes`, so the family comes across and the user reads one line
per kind of problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from systemic.cases import Case, ParentLink, PartialDate, Person, Union
from systemic.genogram.commands import slug
from systemic.genogram.gedcom.couples import PARTNER_TAGS, child_kind, couple_spells
from systemic.genogram.gedcom.lines import VOID, Node, is_pointer
from systemic.genogram.gedcom.notes import ImportNotes
from systemic.genogram.gedcom.people import person_name, read_person
from systemic.genogram.validate import parent_cycles

__all__ = ["build_case"]

_MISSING = {"INDI": "missing_person", "FAM": "missing_family"}
#: The name given to the parent the file leaves out, when only their children are there.
UNNAMED_PARENT = "Parent not named in the file"


class _Ids:
    """Readable unique ids from names, in constant time per id (``mia``, ``mia-2``…)."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.next: dict[str, int] = {}

    def make(self, base: str) -> str:
        pid, n = base, self.next.get(base, 1)
        while pid in self.taken:
            n += 1
            pid = f"{base}-{n}"
        self.next[base] = n
        self.taken.add(pid)
        return pid


@dataclass
class _Tree:
    notes: ImportNotes
    by_xref: dict[str, Node] = field(default_factory=dict)
    pid: dict[int, str] = field(default_factory=dict)  # id(INDI record) → person id
    name: dict[str, str] = field(default_factory=dict)  # person id → name
    ids: _Ids = field(default_factory=_Ids)
    people: list[Person] = field(default_factory=list)
    unions: list[Union] = field(default_factory=list)
    links: list[ParentLink] = field(default_factory=list)
    birth_family: set[str] = field(default_factory=set)

    def index(self, records: list[Node]) -> list[Node]:
        """Records by xref; a second record with an id already used is skipped."""
        kept = []
        for record in records:
            if record.xref:
                if record.xref in self.by_xref:
                    self.notes.add("duplicate_record", record.line, record.xref[:40])
                    continue
                self.by_xref[record.xref] = record
            kept.append(record)
        return kept

    def target(self, node: Node, wanted: str) -> Node | None:
        """The record a pointer line points to, or ``None`` (noted) if it cannot be used."""
        if node.value == VOID or not node.value:
            return None
        if not is_pointer(node.value):
            self.notes.add("not_a_pointer", node.line)
            return None
        found = self.by_xref.get(node.value)
        if found is None:
            self.notes.add(_MISSING[wanted], node.line, node.value[:40])
            return None
        if found.tag != wanted:
            self.notes.add("wrong_kind", node.line, node.value[:40])
            return None
        return found

    # -- people -----------------------------------------------------------------------------

    def person(self, record: Node) -> None:
        pid = self.ids.make(slug(person_name(record)))
        self.pid[id(record)] = pid
        person = read_person(record, pid, self.notes)
        self.name[pid] = person.name
        self.people.append(person)
        for tag in ("FAMC", "FAMS"):
            for node in record.all(tag):
                self.target(node, "FAM")  # counts links to missing families

    def unnamed_parent(self) -> str:
        pid = self.ids.make("parent-not-named")
        self.name[pid] = UNNAMED_PARENT
        self.people.append(Person(id=pid, name=UNNAMED_PARENT))
        return pid

    # -- families -----------------------------------------------------------------------------

    def partners(self, family: Node) -> list[str]:
        found: list[str] = []
        for node in family.children:
            if node.tag in PARTNER_TAGS:
                record = self.target(node, "INDI")
                if record is not None:
                    found.append(self.pid[id(record)])
        distinct = list(dict.fromkeys(found))
        if len(distinct) < len(found):
            self.notes.add("self_couple", family.line)
        if len(distinct) > 2:
            self.notes.add("extra_partner", family.line)
        return distinct[:2]

    def family(self, family: Node, famc_of: dict[str, list[tuple[str, Node]]]) -> None:
        partners = self.partners(family)
        if len(partners) == 2:
            for status, began, ended in couple_spells(family, self.notes):
                uid = self.ids.make(slug(f"{partners[0]}-{partners[1]}", "couple")[:60])
                self.unions.append(Union(
                    id=uid, partners=partners, status=status,
                    began=PartialDate.parse(began) if began else None,
                    ended=PartialDate.parse(ended) if ended else None))
        children: dict[str, tuple[Node | None, Node | None]] = {}
        for chil in family.all("CHIL"):
            child = self.target(chil, "INDI")
            if child is not None:
                children.setdefault(self.pid[id(child)], (None, chil))
        for pid, famc in famc_of.get(family.xref or "", []):
            children[pid] = (famc, children.get(pid, (None, None))[1])
        if not partners and len(children) > 1:
            self.notes.add("no_parents", family.line)
            partners = [self.unnamed_parent()]
        if partners:
            for pid, (famc, chil) in children.items():
                self.child(pid, partners, famc, chil)

    def child(self, pid: str, parents: list[str], famc: Node | None, chil: Node | None) -> None:
        kind = child_kind(famc, chil)
        line = (famc or chil).line if (famc or chil) else None
        if kind is None:
            return
        if pid in parents:
            self.notes.add("own_parent", line)
            parents = [p for p in parents if p != pid]
            if not parents:
                return
        if kind == "birth":
            if pid in self.birth_family:
                self.notes.add("second_birth_family", line, self.name[pid][:40])
                return
            self.birth_family.add(pid)
        self.links.append(ParentLink(child=pid, parents=parents, kind=kind))

    # -- cycles -------------------------------------------------------------------------------

    def break_cycles(self) -> None:
        """Drop the parent links that make someone their own ancestor: the back edges of
        one depth-first search, so the rest is a tree however tangled the file."""
        graph = nx.DiGraph()
        graph.add_nodes_from(p.id for p in self.people)
        for i, link in enumerate(self.links):
            for parent in link.parents:
                graph.add_edge(parent, link.child, link=i)
        cycles = parent_cycles(graph)
        if not cycles:
            return
        pre = {n: i for i, n in enumerate(nx.dfs_preorder_nodes(graph))}
        post = {n: i for i, n in enumerate(nx.dfs_postorder_nodes(graph))}
        dropped = {d["link"] for u, v, d in graph.edges(data=True)
                   if pre[v] <= pre[u] and post[u] <= post[v]}
        self.links = [link for i, link in enumerate(self.links) if i not in dropped]
        names = self.name
        cycle = cycles[0]
        shown = " → ".join(names[pid][:24] for pid in [*cycle[:3], cycle[0]][:4])
        if len(cycle) > 3:
            shown = " → ".join(names[pid][:24] for pid in cycle[:3]) + " → …"
        n = len(dropped)
        self.notes.say(f"{n:,} parent link{'s' if n != 1 else ''} ignored: "
                       f"{'they' if n != 1 else 'it'} made people their own ancestors "
                       f"(the first cycle: {len(cycle):,} people, {shown})")


def build_case(records: list[Node], path: str, notes: ImportNotes, *, case_id: str,
               title: str, fictional: bool) -> Case:
    """The case made from the records of one file (see :func:`~.load_gedcom`)."""
    tree = _Tree(notes)
    records = tree.index(records)
    individuals = [r for r in records if r.tag == "INDI"]
    for record in individuals:
        tree.person(record)
    famc_of: dict[str, list[tuple[str, Node]]] = {}  # family xref → (child, FAMC line)
    for record in individuals:
        for famc in record.all("FAMC"):
            famc_of.setdefault(famc.value, []).append((tree.pid[id(record)], famc))
    for record in records:
        if record.tag == "FAM":
            tree.family(record, famc_of)
    tree.break_cycles()
    return Case(id=case_id, title=title, fictional=fictional, people=tree.people,
                unions=tree.unions, parents=tree.links)
