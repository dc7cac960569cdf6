"""The family as the layout sees it: families, parent links and the case's index.

A case lists people, unions and parent links as they were written; the layout needs
them as families whose children hang together (a couple, however many times they
married, or one parent alone), each child's links to them, partners, twins,
households, and everyone's measured label, looked up again and again by every step.
:class:`_Index` builds those lookups once per case; :func:`_hang_families` picks
the family each child hangs from, :func:`_components` the connected families.

>>> from systemic.cases import Case, Person, ParentLink
>>> case = Case(id="c", title="t", fictional=True,
...     people=[Person(id="a", name="A"), Person(id="b", name="B")],
...     parents=[ParentLink(child="b", parents=["a"])])
>>> idx = _Index(case)
>>> idx.families["~a"].parents, _hang_families(idx, {"a": 0, "b": 1})
(('a',), {'b': '~a'})
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from systemic.cases import Case, Person
from systemic.genogram.layout.measures import _symbol_half, measure_label, union_label

#: Which kind of parent link a child hangs from first (after a placement they live in).
_KIND_RANK = {
    "birth": 0,
    "adoptive": 1,
    "special_guardianship": 2,
    "kinship": 3,
    "foster": 4,
    "step": 5,
}
_PLACEMENT_KINDS = frozenset({"adoptive", "special_guardianship", "kinship", "foster"})


@dataclass(frozen=True)
class Family:
    """Parents whose children hang together: a couple, or one parent alone.

    ``id`` is the couple's first union id, ``~a+b`` for two parents with no
    union recorded, or ``~a`` for one parent (``~`` cannot appear in case ids).
    """

    id: str
    parents: tuple[str, ...]
    unions: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Link:
    child: str
    family: str
    kind: str
    current: bool
    position: int


class _Index:
    """Lookups built once per case, shared by the layout steps."""

    def __init__(self, case: Case, names: Mapping[str, str] | None = None):
        self.case = case
        self.people: dict[str, Person] = {p.id: p for p in case.people}
        self.order: dict[str, int] = {p.id: i for i, p in enumerate(case.people)}
        self.names = dict(names or {})
        self.families: dict[str, Family] = {}
        self.component_of: dict[str, int] | None = None  # see _components
        self._read_unions()
        self._read_links()
        self._read_partners_and_twins()
        self._read_overlays()
        self._measure()

    def _read_unions(self) -> None:
        """One family per couple, however many unions (married, divorced, remarried) they had."""
        self._family_unions: dict[frozenset[str], list[str]] = {}
        self._family_parents: dict[frozenset[str], tuple[str, ...]] = {}
        self._family_id: dict[frozenset[str], str] = {}
        self.union_rows: dict[str, list[tuple[str, Any, Any]]] = {}
        self.union_status: dict[str, str] = {}
        for union in self.case.unions:
            a, b = union.partners
            if a == b or a not in self.people or b not in self.people:
                continue
            pair = frozenset((a, b))
            if pair not in self._family_id:
                self._family_id[pair] = union.id
                self._family_parents[pair] = (a, b)
                self._family_unions[pair] = []
            self._family_unions[pair].append(union.id)
            fid = self._family_id[pair]
            self.union_rows.setdefault(fid, []).append((union.status, union.began, union.ended))
            self.union_status[fid] = union.status  # the latest listed wins
        for pair, fid in self._family_id.items():
            self.families[fid] = Family(fid, self._family_parents[pair],
                                        tuple(self._family_unions[pair]))

    def _family_for(self, parents: tuple[str, ...]) -> str:
        """The family id of these parents, made up (``~a`` or ``~a+b``) if no union joins them."""
        if len(parents) == 1:
            fid = f"~{parents[0]}"
            if fid not in self.families:
                self.families[fid] = Family(fid, parents)
            return fid
        pair = frozenset(parents)
        if pair not in self._family_id:
            self._family_id[pair] = f"~{parents[0]}+{parents[1]}"
            self._family_parents[pair] = parents
            self._family_unions[pair] = []
        fid = self._family_id[pair]
        if fid not in self.families:
            self.families[fid] = Family(fid, self._family_parents[pair],
                                        tuple(self._family_unions[pair]))
        return fid

    def _couple_of(self, parents: tuple[str, ...], birth: Sequence[str]) -> str | None:
        """The couple a step-parent's line leaves from: a lone step-parent who is the partner
        of one of the child's own parents is a step-parent through that couple, so the line
        starts where the couple's children's lines start, not beside the step-parent alone
        (it then crosses none of the couple's own children's lines)."""
        if len(parents) != 1:
            return None
        for other in birth:
            fid = self._family_id.get(frozenset((parents[0], other)))
            if fid is not None and other != parents[0]:
                return fid
        return None

    def _birth_parents(self) -> dict[str, list[str]]:
        """Birth links of one child are one set of parents, however they were written."""
        out: dict[str, list[str]] = {}
        for link in self.case.parents:
            if link.kind == "birth" and link.child in self.people:
                known = out.setdefault(link.child, [])
                for p in link.parents:
                    if p in self.people and p != link.child and p not in known:
                        known.append(p)
        return out

    def _read_links(self) -> None:
        birth_parents = self._birth_parents()
        self.links_of: dict[str, list[_Link]] = {}
        self.children_of: dict[str, list[_Link]] = {}
        seen_birth: set[str] = set()
        for i, link in enumerate(self.case.parents):
            child = link.child
            if child not in self.people:
                continue
            if link.kind == "birth":
                if child in seen_birth:
                    continue
                seen_birth.add(child)
                parents = tuple(birth_parents[child][:2])
            else:
                parents = tuple(
                    dict.fromkeys(p for p in link.parents if p in self.people and p != child)
                )
            if not parents:
                continue
            fid = self._couple_of(parents, birth_parents.get(child, ())) or self._family_for(
                parents)
            item = _Link(child, fid, link.kind, getattr(link, "until", None) is None, i)
            self.links_of.setdefault(child, []).append(item)
            self.children_of.setdefault(fid, []).append(item)

    def _read_partners_and_twins(self) -> None:
        self.families_of: dict[str, list[str]] = {}
        self.partners: dict[str, list[str]] = {}
        for fid, fam in self.families.items():
            for p in fam.parents:
                self.families_of.setdefault(p, []).append(fid)
            if len(fam.parents) == 2:
                a, b = fam.parents
                self.partners.setdefault(a, []).append(b)
                self.partners.setdefault(b, []).append(a)
        self.twin_set: dict[str, int] = {}
        self.twin_identical: list[bool] = []
        for t in self.case.twins:
            k = len(self.twin_identical)
            self.twin_identical.append(t.identical)
            for p in t.people:
                if p in self.people and p not in self.twin_set:
                    self.twin_set[p] = k

    def _read_overlays(self) -> None:
        self.households_of: dict[str, list[int]] = {}
        for k, h in enumerate(self.case.households):
            for p in dict.fromkeys(h.members):
                if p in self.people:
                    self.households_of.setdefault(p, []).append(k)
        self.related: dict[str, list[str]] = {}
        for r in self.case.relationships:
            if r.from_ in self.people and r.to in self.people:
                self.related.setdefault(r.from_, []).append(r.to)
                self.related.setdefault(r.to, []).append(r.from_)

    def _measure(self) -> None:
        self._union_text: dict[str, str] = {}
        self._birth_keys: dict[str, tuple[Any, ...]] = {}
        self.lines: dict[str, tuple[str, ...]] = {}
        self.name_lines: dict[str, int] = {}
        self.label_w: dict[str, float] = {}
        self.label_h: dict[str, float] = {}
        self.half: dict[str, float] = {}
        self.width: dict[str, float] = {}
        for p in self.case.people:
            lines, n_name, w, h = measure_label(p, self.names.get(p.id))
            self.lines[p.id] = lines
            self.name_lines[p.id] = n_name
            self.label_w[p.id] = w
            self.label_h[p.id] = h
            self.half[p.id] = _symbol_half(p)
            self.width[p.id] = max(2 * self.half[p.id], w)


    def birth_key(self, pid: str) -> tuple[Any, ...]:
        """Sort key for siblings: oldest first, twins together, then case order."""
        key = self._birth_keys.get(pid)
        if key is None:
            born = self.people[pid].born
            key = (born.sort_key() if born else (9999, 99, 99), -1, self.order[pid])
            twin = self.twin_set.get(pid)
            if twin is not None:
                # Twins sort as one: by the earliest birth in the set, then together.
                sibs = [q for q, k in self.twin_set.items() if k == twin]
                keys = [self.people[q].born.sort_key() for q in sibs if self.people[q].born]
                key = (min(keys) if keys else key[0], twin, self.order[pid])
            self._birth_keys[pid] = key
        return key

    def lives_with(self, child: str, fid: str) -> bool:
        """True if the child shares a household with every parent of the family."""
        homes = set(self.households_of.get(child, ()))
        return bool(homes) and all(
            homes.intersection(self.households_of.get(p, ())) for p in self.families[fid].parents
        )

    def union_text(self, fid: str) -> str:
        text = self._union_text.get(fid)
        if text is None:
            text = self._union_text[fid] = union_label(self.union_rows.get(fid, []))
        return text


# -- step 1: generations ------------------------------------------------------------------------


def _hang_families(idx: _Index, gens: Mapping[str, int]) -> dict[str, str]:
    """The family each child hangs from on a sibling bar (their placement).

    A child in a household with all the carers of an adoptive, foster, special
    guardianship or kinship link hangs from them; otherwise from their birth
    parents; otherwise from their first other link. Only a family whose row is
    just above the child's qualifies; the child's other links are drawn as
    routed lines.
    """
    hang: dict[str, str] = {}
    for child, links in idx.links_of.items():
        current = [k for k in links if k.current and k.kind != "step"]
        ranked = sorted(
            current,
            key=lambda link: (
                0 if link.kind in _PLACEMENT_KINDS and idx.lives_with(link.child, link.family)
                else 1,
                _KIND_RANK.get(link.kind, 9),
                link.position,
            ),
        )
        for link in ranked:
            hub_row = max(gens[p] for p in idx.families[link.family].parents)
            if hub_row == gens[child] - 1:
                hang[child] = link.family
                break
    return hang


def _components(idx: _Index) -> dict[str, int]:
    """Each person's connected family, numbered in the order of the file; worked out once
    per index (ordering asks for every set of units it builds). Read-only."""
    if idx.component_of is None:
        idx.component_of = _find_components(idx)
    return idx.component_of


def _find_components(idx: _Index) -> dict[str, int]:
    parent = {p: p for p in idx.people}

    def find(p: str) -> str:
        while parent[p] != p:
            parent[p] = parent[parent[p]]
            p = parent[p]
        return p

    def join(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            if idx.order[ra] < idx.order[rb]:
                parent[rb] = ra
            else:
                parent[ra] = rb

    for fam in idx.families.values():
        for p in fam.parents[1:]:
            join(fam.parents[0], p)
        for link in idx.children_of.get(fam.id, ()):
            join(fam.parents[0], link.child)
    roots: dict[str, int] = {}
    out = {}
    for p in idx.people:
        r = find(p)
        if r not in roots:
            roots[r] = len(roots)
        out[p] = roots[r]
    return out
