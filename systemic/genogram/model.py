"""The genogram as a graph: who is whose parent, partner, sibling and household.

The :class:`~systemic.cases.Case` is the source of truth; a :class:`Genogram` is a
read-only view of it as a networkx ``MultiDiGraph``, rebuilt whenever the case
changes, so questions such as "who are Kai's half-siblings?" are graph walks
rather than searches through lists. Edit the case (see
:mod:`systemic.genogram.commands`), never the graph.

>>> from systemic.cases import Case, Person, ParentLink
>>> case = Case(id="demo", title="Demo", fictional=True, people=[
...     Person(id="mia", name="Mia", sex="female", born=1990),
...     Person(id="kai", name="Kai", sex="male", born=2015)],
...     parents=[ParentLink(child="kai", parents=["mia"])])
>>> Genogram.from_case(case).parents_of("kai")
['mia']
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import networkx as nx

from systemic.cases import Case, Person, Union

__all__ = [
    "Genogram",
    "SiblingKind",
    "DIRECTED_RELATIONSHIPS",
    "KIN_PARENT_KINDS",
    "CARER_PARENT_KINDS",
    "household_node",
    "ecomap_node",
]

SiblingKind = Literal["full", "half", "step", "foster"]

#: Emotional relationships that point from one person at another (see
#: :class:`systemic.cases.Relationship`): the arrow points at ``to``.
DIRECTED_RELATIONSHIPS = frozenset(
    {"focused_on", "physical_abuse", "emotional_abuse", "sexual_abuse", "caretaker"}
)
#: Parent links that make family in the everyday sense: brothers, sisters, grandparents.
KIN_PARENT_KINDS = ("birth", "adoptive")
#: Parent links that are care arrangements rather than kinship.
CARER_PARENT_KINDS = ("foster", "special_guardianship", "kinship")


def household_node(household_id: str) -> str:
    """The graph node of a household (person ids cannot contain ``:``, so no clash).

    >>> household_node("mums-house")
    'household:mums-house'
    """
    return f"household:{household_id}"


def ecomap_node(connection_id: str) -> str:
    """The graph node of an ecomap system (a school, a GP, a friend).

    >>> ecomap_node("school")
    'ecomap:school'
    """
    return f"ecomap:{connection_id}"


@dataclass(frozen=True)
class Genogram:
    """A case seen as a graph. Build it with :meth:`from_case`.

    Nodes are person ids (``type="person"``), ``household:<id>`` nodes
    (``type="household"``) and ``ecomap:<id>`` nodes (``type="ecomap"``). Edges carry
    ``type`` and the case's own attributes:

    - ``parent``: parent → child, with ``kind`` (birth, adoptive, foster, …), ``since``,
      ``until`` and ``link`` (its index in ``case.parents``);
    - ``union``: first partner → second, with ``union`` (its id), ``status``, ``began``,
      ``ended``; direction means nothing;
    - ``emotional``: ``from`` → ``to``, with ``kind`` and ``directed``;
    - ``twin``: between twins, with ``identical``;
    - ``member``: person → household;
    - ``ecomap``: person or household → system, with ``strength``, ``stressful``, ``flow``.

    Notes
    -----
    The case is the source of truth and the graph is derived from it; the
    graph is never edited. Build a new ``Genogram`` after every edit (cheap:
    genograms rarely pass a hundred people).
    """

    case: Case
    graph: nx.MultiDiGraph = field(repr=False)

    @classmethod
    def from_case(cls, case: Case) -> Genogram:
        """Build the graph view of ``case``.

        Ids that point at nobody are skipped here; :mod:`systemic.genogram.validate`
        reports them.

        >>> from systemic.cases import Case, Person, Union
        >>> g = Genogram.from_case(Case(id="c", title="t", fictional=True,
        ...     people=[Person(id="a", name="A"), Person(id="b", name="B")],
        ...     unions=[Union(id="u", partners=["a", "b"], status="cohabiting")]))
        >>> sorted(g.graph.edges(keys=True))
        [('a', 'b', 'union:u')]
        """
        graph = nx.MultiDiGraph(case_id=case.id)
        for person in case.people:
            graph.add_node(person.id, type="person", person=person, name=person.name)
        people = {p.id for p in case.people}
        for union in case.unions:
            a, b = union.partners
            if a in people and b in people:
                graph.add_edge(a, b, key=f"union:{union.id}", type="union", union=union.id,
                               status=union.status, began=union.began, ended=union.ended)
        for i, link in enumerate(case.parents):
            for parent in link.parents:
                if parent in people and link.child in people:
                    graph.add_edge(parent, link.child, key=f"parent:{i}", type="parent",
                                   kind=link.kind, since=link.since,
                                   until=getattr(link, "until", None), link=i)
        for i, twins in enumerate(case.twins):
            known = [p for p in twins.people if p in people]
            for a, b in zip(known, known[1:], strict=False):
                graph.add_edge(a, b, key=f"twin:{i}", type="twin", identical=twins.identical)
        for i, rel in enumerate(case.relationships):
            if rel.from_ in people and rel.to in people:
                graph.add_edge(rel.from_, rel.to, key=f"emotional:{i}", type="emotional",
                               kind=rel.kind, directed=rel.kind in DIRECTED_RELATIONSHIPS)
        for household in case.households:
            node = household_node(household.id)
            graph.add_node(node, type="household", household=household, name=household.name)
            for member in household.members:
                if member in people:
                    graph.add_edge(member, node, key="member", type="member")
        households = {h.id for h in case.households}
        for connection in case.ecomap:
            node = ecomap_node(connection.id)
            graph.add_node(node, type="ecomap", connection=connection, name=connection.name)
            target = connection.connected_to
            source = household_node(target) if target in households else target
            if target in people or target in households:
                graph.add_edge(source, node, key="ecomap", type="ecomap",
                               strength=connection.strength, stressful=connection.stressful,
                               flow=connection.flow)
        return cls(case=case, graph=graph)

    # -- people -------------------------------------------------------------------------

    @cached_property
    def people(self) -> dict[str, Person]:
        """People by id, in the order of the case file."""
        return self.case.people_by_id

    def person(self, person_id: str) -> Person:
        """The person with this id (``KeyError`` if there is none)."""
        return self.people[person_id]

    @property
    def focal(self) -> str | None:
        """The focal child, or else the index person, or ``None``.

        >>> from systemic.cases import Case, Person, Union
        >>> Genogram.from_case(Case(id="c", title="t", fictional=True,
        ...     people=[Person(id="a", name="A", index=True)])).focal
        'a'
        """
        if self.case.focal_child in self.people:
            return self.case.focal_child
        for person in self.case.people:
            if person.index:
                return person.id
        return None

    def _edges(self, node: str, kind: str, out: bool) -> Iterable[tuple[str, dict]]:
        if node not in self.graph:
            return ()
        edges = (self.graph.out_edges(node, data=True) if out
                 else self.graph.in_edges(node, data=True))
        return ((v if out else u, d) for u, v, d in edges if d["type"] == kind)

    @staticmethod
    def _unique(ids: Iterable[str]) -> list[str]:
        return list(dict.fromkeys(ids))

    # -- parents and children -------------------------------------------------------------

    def parents_of(self, person_id: str, kinds: Iterable[str] | None = None) -> list[str]:
        """Everyone recorded as a parent of ``person_id``, optionally of certain kinds only.

        >>> from systemic.cases import Case, Person, ParentLink
        >>> g = Genogram.from_case(Case(id="c", title="t", fictional=True,
        ...     people=[Person(id=i, name=i) for i in ("mia", "sam", "kai")],
        ...     parents=[ParentLink(child="kai", parents=["mia"]),
        ...              ParentLink(child="kai", parents=["sam"], kind="foster")]))
        >>> g.parents_of("kai"), g.parents_of("kai", kinds=["foster"])
        (['mia', 'sam'], ['sam'])
        """
        wanted = None if kinds is None else set(kinds)
        return self._unique(p for p, d in self._edges(person_id, "parent", out=False)
                            if wanted is None or d["kind"] in wanted)

    def parent_links(self, person_id: str) -> list[tuple[str, str]]:
        """``(parent id, kind)`` for each parent link of ``person_id``, in file order."""
        return [(p, d["kind"]) for p, d in self._edges(person_id, "parent", out=False)]

    def children_of(self, person_id: str, kinds: Iterable[str] | None = None) -> list[str]:
        """Everyone ``person_id`` is recorded as a parent of, optionally of certain kinds only."""
        wanted = None if kinds is None else set(kinds)
        return self._unique(c for c, d in self._edges(person_id, "parent", out=True)
                            if wanted is None or d["kind"] in wanted)

    def birth_parents_of(self, person_id: str) -> list[str]:
        """The birth parents of ``person_id`` (at most two in a valid case)."""
        return self.parents_of(person_id, kinds=["birth"])

    # -- couples ---------------------------------------------------------------------------

    @cached_property
    def _unions_by_person(self) -> dict[str, list[Union]]:
        index: dict[str, list[Union]] = {}
        for union in self.case.unions:
            for pid in dict.fromkeys(union.partners):
                index.setdefault(pid, []).append(union)
        return index

    def unions_of(self, person_id: str) -> list[str]:
        """Ids of the unions (couples) ``person_id`` is part of, in file order."""
        return [u.id for u in self._unions_by_person.get(person_id, [])]

    def partners_of(self, person_id: str, statuses: Iterable[str] | None = None) -> list[str]:
        """Everyone ``person_id`` has been in a couple with, optionally by union status.

        >>> from systemic.cases import Case, Person, Union
        >>> g = Genogram.from_case(Case(id="c", title="t", fictional=True,
        ...     people=[Person(id=i, name=i) for i in ("a", "b", "c")],
        ...     unions=[Union(id="u1", partners=["a", "b"], status="divorced"),
        ...             Union(id="u2", partners=["c", "a"])]))
        >>> g.partners_of("a"), g.partners_of("a", statuses=["married"])
        (['b', 'c'], ['c'])
        """
        wanted = None if statuses is None else set(statuses)
        out = []
        for union in self._unions_by_person.get(person_id, []):
            if wanted is None or union.status in wanted:
                other = union.partners[1] if union.partners[0] == person_id else union.partners[0]
                if other != person_id:
                    out.append(other)
        return self._unique(out)

    def union_between(self, a: str, b: str) -> str | None:
        """The id of the latest union between ``a`` and ``b`` in the file, if any."""
        found = None
        for union in self._unions_by_person.get(a, []):
            if set(union.partners) == {a, b}:
                found = union.id
        return found

    # -- siblings ----------------------------------------------------------------------------

    def _kin_sets(self, person_id: str) -> list[frozenset[str]]:
        """Each set of birth or adoptive parents of ``person_id``."""
        by_kind: dict[str, set[str]] = {}
        for parent, kind in self.parent_links(person_id):
            if kind in KIN_PARENT_KINDS:
                by_kind.setdefault(kind, set()).add(parent)
        return [frozenset(s) for s in by_kind.values()]

    def _twins(self, a: str, b: str) -> bool:
        return any(a in t.people and b in t.people for t in self.case.twins)

    def sibling_kind(self, a: str, b: str) -> SiblingKind | None:
        """How ``a`` and ``b`` are siblings, if they are.

        - ``full``: the same birth (or adoptive) parents, or twins;
        - ``half``: one birth or adoptive parent in common;
        - ``step``: no parent in common, but a parent of one is the partner (now or
          before) or step-parent of the other;
        - ``foster``: one is fostered by the other's parent, or both by the same foster
          carer.

        >>> from systemic.cases import Case, Person, ParentLink
        >>> g = Genogram.from_case(Case(id="c", title="t", fictional=True,
        ...     people=[Person(id=i, name=i) for i in ("mum", "dad", "ex", "a", "b")],
        ...     parents=[ParentLink(child="a", parents=["mum", "dad"]),
        ...              ParentLink(child="b", parents=["mum", "ex"])]))
        >>> g.sibling_kind("a", "b")
        'half'
        """
        if a == b or a not in self.people or b not in self.people:
            return None
        if self._twins(a, b):
            return "full"
        sets_a, sets_b = self._kin_sets(a), self._kin_sets(b)
        if any(s and s == t for s in sets_a for t in sets_b):
            return "full"
        kin_a = set(self.parents_of(a, KIN_PARENT_KINDS))
        kin_b = set(self.parents_of(b, KIN_PARENT_KINDS))
        if kin_a & kin_b:
            return "half"
        step_a = set(self.parents_of(a, ["step"]))
        step_b = set(self.parents_of(b, ["step"]))
        if (step_a & kin_b) or (step_b & kin_a):
            return "step"
        if any(set(self.partners_of(p)) & kin_b for p in kin_a):
            return "step"
        # Foster siblings only through foster care: the children of a grandparent who
        # is a special guardian are the child's aunts and uncles, not foster siblings.
        carers_a = set(self.parents_of(a, ["foster"]))
        carers_b = set(self.parents_of(b, ["foster"]))
        if (carers_a & set(self.parents_of(b))) or (carers_b & set(self.parents_of(a))):
            return "foster"
        return None

    def siblings_of(self, person_id: str, kind: SiblingKind | None = None) -> list[str]:
        """The brothers and sisters of ``person_id``: all of them, or only one kind.

        See :meth:`sibling_kind` for what each kind means.

        >>> from systemic.cases import Case, Person, ParentLink, Union
        >>> g = Genogram.from_case(Case(id="c", title="t", fictional=True,
        ...     people=[Person(id=i, name=i) for i in ("mum", "steve", "a", "b", "s")],
        ...     unions=[Union(id="u", partners=["mum", "steve"])],
        ...     parents=[ParentLink(child="a", parents=["mum"]),
        ...              ParentLink(child="b", parents=["mum"]),
        ...              ParentLink(child="s", parents=["steve"])]))
        >>> g.siblings_of("a"), g.siblings_of("a", kind="step")
        (['b', 's'], ['s'])
        """
        candidates: list[str] = []
        for parent in self.parents_of(person_id):
            candidates += self.children_of(parent)
            for partner in self.partners_of(parent):
                candidates += self.children_of(partner)
        for twins in self.case.twins:
            if person_id in twins.people:
                candidates += twins.people
        out = []
        for other in self._unique(candidates):
            found = self.sibling_kind(person_id, other)
            if found is not None and (kind is None or found == kind):
                out.append(other)
        return out

    # -- generations and households ------------------------------------------------------

    def generation_of(self, person_id: str, relative_to: str | None = None) -> int | None:
        """How many generations ``person_id`` is above ``relative_to`` (the focal child
        unless given): parents are 1, grandparents 2, siblings and partners 0, children -1.

        This is kinship, not layout: it walks the shortest chain of parent links and
        couples. ``None`` if the two are not linked at all.

        >>> from systemic.cases import Case, Person, ParentLink
        >>> g = Genogram.from_case(Case(id="c", title="t", fictional=True, focal_child="kai",
        ...     people=[Person(id=i, name=i) for i in ("nan", "mia", "kai")],
        ...     parents=[ParentLink(child="kai", parents=["mia"]),
        ...              ParentLink(child="mia", parents=["nan"])]))
        >>> g.generation_of("nan"), g.generation_of("kai", relative_to="nan")
        (2, -2)
        """
        start = relative_to if relative_to is not None else self.focal
        if start is None:
            raise ValueError("this case has no focal child or index person — "
                             "name the person to count generations from")
        if start not in self.people or person_id not in self.people:
            return None
        seen = {start: 0}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            level = seen[node]
            steps = ([(p, 1) for p in self.parents_of(node)]
                     + [(c, -1) for c in self.children_of(node)]
                     + [(p, 0) for p in self.partners_of(node)])
            for other, delta in steps:
                if other not in seen:
                    seen[other] = level + delta
                    queue.append(other)
        return seen.get(person_id)

    def households_of(self, person_id: str) -> list[str]:
        """Ids of the households ``person_id`` lives in (usually one, sometimes two)."""
        return [h.id for h in self.case.households if person_id in h.members]
