"""Step 1 of the layout: which row (generation) each person stands in.

Longest path from the oldest people shown, then partners brought into one row
(kinship2's alignment rule), re-deriving descendants after every move; see
:func:`assign_generations`.

>>> from systemic.cases import Case, Person
>>> assign_generations(Case(id="c", title="t", fictional=True,
...                         people=[Person(id="a", name="A")]))
{'a': 0}
"""

from __future__ import annotations

from collections.abc import Mapping

from systemic.cases import Case
from systemic.genogram.layout.base import _KIND_RANK, _Index, _Link

__all__ = ["assign_generations"]


def _generation_link(idx: _Index, child: str) -> _Link | None:
    links = idx.links_of.get(child)
    if not links:
        return None
    return min(links, key=lambda k: (_KIND_RANK.get(k.kind, 9), k.position))


def _ancestors(
    start: str, parents_of: Mapping[str, tuple[str, ...]], memo: dict[str, set[str]] | None = None
) -> set[str]:
    if memo is not None and start in memo:
        return memo[start]
    seen = {start}
    todo = [start]
    while todo:
        p = todo.pop()
        for q in parents_of.get(p, ()):
            if q not in seen:
                seen.add(q)
                todo.append(q)
    if memo is not None:
        memo[start] = seen
    return seen


def assign_generations(case: Case, *, _index: _Index | None = None) -> dict[str, int]:
    """The row of every person: 0 for the oldest generation shown, then 1, 2, …

    A child is one row below the lower of their parents (longest path in the
    parent graph, using each child's birth parents where known). Partners are
    then brought into one row: someone who married in takes their partner's
    row, and when both partners have parents shown, the shallower side's
    ancestors move down, which is kinship2's alignment rule. Descendants are
    re-derived after every move. Partners who are related by birth across
    generations (an uncle and his niece) keep their true rows, and their
    couple line bends. People with no family links take the row of someone
    they live with or have a relationship with, else the top row.

    Parameters
    ----------
    case : Case
        A valid case (no one their own ancestor).

    Returns
    -------
    dict
        Person id to row number, smallest 0.

    Examples
    --------
    >>> from systemic.cases import Case, Person, Union, ParentLink
    >>> case = Case(id="c", title="t", fictional=True, people=[
    ...     Person(id="gran", name="Gran"), Person(id="mum", name="Mum"),
    ...     Person(id="dad", name="Dad"), Person(id="kid", name="Kid")],
    ...     unions=[Union(id="u", partners=["mum", "dad"])],
    ...     parents=[ParentLink(child="mum", parents=["gran"]),
    ...              ParentLink(child="kid", parents=["mum", "dad"])])
    >>> assign_generations(case)
    {'gran': 0, 'mum': 1, 'dad': 1, 'kid': 2}

    Notes
    -----
    Rules from kinship2's ``kindepth(align=TRUE)`` as described in
    GENOGRAM.md §3.1 and §3.2 (Therneau & Sinnwell, kinship2 vignette).
    """
    idx = _index or _Index(case)
    parents_of = {}
    for child in idx.people:
        link = _generation_link(idx, child)
        if link is not None:
            parents_of[child] = idx.families[link.family].parents
    order = _topological(list(idx.people), parents_of)
    gen = _Aligner(idx, parents_of, order).run()
    _place_unlinked(idx, parents_of, gen)
    low = min(gen.values(), default=0)
    return {p: gen[p] - low for p in idx.people}


def _topological(people: list[str], parents_of: dict[str, tuple[str, ...]]) -> list[str]:
    """Parents before children (Kahn), input order among equals; a cycle
    (an invalid case) is cut by forgetting the parents of those caught in it."""
    kids: dict[str, list[str]] = {}
    for child, ps in parents_of.items():
        for p in ps:
            kids.setdefault(p, []).append(child)
    indegree = {p: len(parents_of.get(p, ())) for p in people}
    order: list[str] = [p for p in people if indegree[p] == 0]
    head = 0
    while head < len(order):
        p = order[head]
        head += 1
        for c in kids.get(p, ()):
            indegree[c] -= 1
            if indegree[c] == 0:
                order.append(c)
    if len(order) < len(people):
        placed = set(order)
        for p in people:
            if p not in placed:
                parents_of.pop(p, None)
                order.append(p)
    return order


class _Aligner:
    """Longest-path rows, then partners brought level (kinship2's ``align`` rule)."""

    def __init__(self, idx: _Index, parents_of: dict[str, tuple[str, ...]], order: list[str]):
        self.idx = idx
        self.parents_of = parents_of
        self.order = order
        self.all_children: dict[str, list[str]] = {}
        for child, links in idx.links_of.items():
            for link in links:
                for p in idx.families[link.family].parents:
                    self.all_children.setdefault(p, []).append(child)
        self.founders = [p for p in idx.people if p not in parents_of]
        self.couples = [f.parents for f in idx.families.values() if len(f.parents) == 2]
        self.floor: dict[str, int] = {}
        self.memo: dict[str, set[str]] = {}
        #: Whose floor was set since the rows were last derived (see :meth:`derive`).
        self.raised: set[str] = set()
        self.gen: dict[str, int] = {}
        self.kids: dict[str, list[str]] = {}
        for child, ps in parents_of.items():
            for q in ps:
                self.kids.setdefault(q, []).append(child)

    def derive(self) -> dict[str, int]:
        """Each person's row: one below their lower parent, or their floor if lower.

        After the first time only those whose floor was set since, and their
        descendants, are worked out again: everyone else's parents and floor are as
        they were, so is their row (royal92: 16 rounds over 3,010 people)."""
        if not self.gen:
            todo = None
        else:
            todo = set(self.raised)
            stack = list(self.raised)
            while stack:
                for c in self.kids.get(stack.pop(), ()):
                    if c not in todo:
                        todo.add(c)
                        stack.append(c)
        self.raised = set()
        gen = dict(self.gen)
        floor = self.floor
        parents_of = self.parents_of
        for p in self.order:
            if todo is not None and p not in todo:
                continue
            ps = parents_of.get(p)
            g = floor.get(p, 0)
            if ps:
                g = max(g, max([gen[q] for q in ps]) + 1)
            gen[p] = g
        self.gen = gen
        return gen

    def lower_founders(self, gen: Mapping[str, int]) -> bool:
        """A founder comes down to their partner's row, or just above their children."""
        changed = False
        for f in self.founders:
            target = gen[f]
            partners = self.idx.partners.get(f)
            if partners:
                target = max(target, max([gen[q] for q in partners]))
            children = self.all_children.get(f)
            if children:
                target = max(target, min([gen[c] for c in children]) - 1)
            if target > gen[f]:
                self.floor[f] = target
                self.raised.add(f)
                changed = True
        return changed

    def push_ancestors(self, gen: Mapping[str, int]) -> bool:
        """The shallower partner's ancestors move down, unless the two are related by birth."""
        moved: set[str] = set()
        for a, b in self.couples:
            if gen[a] == gen[b] or a in moved or b in moved:
                continue
            high, low = (a, b) if gen[a] < gen[b] else (b, a)
            up = _ancestors(high, self.parents_of, self.memo)
            if up & moved or up & _ancestors(low, self.parents_of, self.memo):
                # Related by birth (keep true rows and bend the couple line), or
                # already moved this round (look again next round).
                continue
            delta = gen[low] - gen[high]
            for q in up:
                if q not in self.parents_of:
                    self.floor[q] = gen[q] + delta
                    self.raised.add(q)
            moved |= up
        return bool(moved)

    def run(self) -> dict[str, int]:
        """Lower the founders, push the shallower side's ancestors down, and again, until
        nothing moves (at most a few rounds), then let the founders settle: in an
        intermarried tree the pushes can go round in circles (royal92: each push splits
        as many couples as it joins), and stopping right after a push left married-in
        partners rows above their spouses (594 of royal92's couples)."""
        gen = self.derive()
        for _round in range(12):
            if self.lower_founders(gen):
                gen = self.derive()
                continue
            if not self.push_ancestors(gen):
                break
            gen = self.derive()
        for _round in range(12):
            if not self.lower_founders(gen):
                break
            gen = self.derive()
        self.gen = gen
        return gen


def _place_unlinked(idx: _Index, parents_of: Mapping[str, tuple[str, ...]],
                    gen: dict[str, int]) -> None:
    """People with no family links take the row of someone they live or relate with."""
    has_children = {p for fam in idx.families.values() for p in fam.parents
                    if idx.children_of.get(fam.id)}
    linked = {p for p in idx.people if p in parents_of or p in has_children or p in idx.partners}
    for p in idx.people:
        if p in linked:
            continue
        near = [
            q
            for k in idx.households_of.get(p, ())
            for q in idx.case.households[k].members
            if q in linked
        ] + [q for q in idx.related.get(p, ()) if q in linked]
        gen[p] = gen[near[0]] if near else 0
