"""The family around one person: a readable genogram cut from a tree of any size.

A family history file may hold thousands of people; drawn whole, each is a speck.
:func:`family_around` keeps the people a supervision group talks about — the
person, their parents and grandparents, their partners, their brothers and
sisters with their partners, their children and grandchildren with the other
parent of each — and everything among those people (couples, parent links,
twins, relationship lines, households). By default two generations up and two
down; more on request. The whole tree stays one choice away: it is the case
itself.

>>> from systemic.cases import Case, Person, ParentLink
>>> case = Case(id="c", title="t", fictional=True, people=[
...     Person(id=p, name=p) for p in ("great", "gran", "mum", "me", "kid", "grandkid",
...                                    "greatgrandkid")],
...     parents=[ParentLink(child=c, parents=[p]) for p, c in (
...         ("great", "gran"), ("gran", "mum"), ("mum", "me"), ("me", "kid"),
...         ("kid", "grandkid"), ("grandkid", "greatgrandkid"))])
>>> [p.id for p in family_around(case, "me").people]
['gran', 'mum', 'me', 'kid', 'grandkid']
>>> len(family_around(case, "me", generations=3).people)
7
"""

from __future__ import annotations

from collections.abc import Iterable

from systemic.cases import Case

__all__ = ["family_around", "default_person", "LARGE_FAMILY"]

#: From this many people a family tree opens around one person, not whole.
LARGE_FAMILY = 150


def default_person(case: Case) -> str | None:
    """Whom to centre a view on: the index person, else the focal child, else the first.

    >>> from systemic.cases import Case, Person
    >>> default_person(Case(id="c", title="t", fictional=True,
    ...     people=[Person(id="a", name="A"), Person(id="b", name="B", index=True)]))
    'b'
    """
    for p in case.people:
        if p.index:
            return p.id
    if case.focal_child and case.focal_child in case.people_by_id:
        return case.focal_child
    return case.people[0].id if case.people else None


class _Kin:
    """Parents, children and partners of everyone, from the case's links."""

    def __init__(self, case: Case):
        self.parents: dict[str, list[str]] = {}
        self.children: dict[str, list[str]] = {}
        self.partners: dict[str, list[str]] = {}
        for link in case.parents:
            for p in link.parents:
                self.parents.setdefault(link.child, []).append(p)
                self.children.setdefault(p, []).append(link.child)
        for u in case.unions:
            a, b = u.partners
            self.partners.setdefault(a, []).append(b)
            self.partners.setdefault(b, []).append(a)

    def walk(self, start: Iterable[str], step: dict[str, list[str]], depth: int) -> set[str]:
        found: set[str] = set()
        level = set(start)
        for _ in range(depth):
            level = {q for p in level for q in step.get(p, ())} - found
            found |= level
        return found


def family_around(case: Case, person: str | None = None, generations: int = 2) -> Case:
    """The part of ``case`` around ``person`` (default: :func:`default_person`).

    Parameters
    ----------
    case : Case
        The whole family.
    person : str, optional
        The id of the person at the centre.
    generations : int
        How many generations up (parents, grandparents…) and down (children,
        grandchildren…) to keep; at least 1.

    Raises
    ------
    KeyError
        No one in the case has the id ``person``.
    """
    centre = person if person is not None else default_person(case)
    if centre is None:
        return case
    if centre not in case.people_by_id:
        raise KeyError(centre)
    depth = max(1, int(generations))
    kin = _Kin(case)
    up = kin.walk([centre], kin.parents, depth)
    down = kin.walk([centre], kin.children, depth)
    siblings = {c for p in kin.parents.get(centre, ()) for c in kin.children.get(p, ())}
    keep = {centre} | up | down | siblings
    # Partners of the person and of their brothers and sisters; the other parent of each
    # child and grandchild kept, so every child hangs from their own couple.
    keep |= {q for p in {centre} | siblings for q in kin.partners.get(p, ())}
    keep |= {q for c in down for q in kin.parents.get(c, ())}
    return restrict(case, keep)


def restrict(case: Case, keep: set[str]) -> Case:
    """``case`` with only the people in ``keep`` and what lies among them.

    >>> from systemic.cases import Case, Person, Union
    >>> case = Case(id="c", title="t", fictional=True,
    ...     people=[Person(id="a", name="A"), Person(id="b", name="B")],
    ...     unions=[Union(id="u", partners=["a", "b"])])
    >>> restrict(case, {"a"}).unions
    []
    """
    people = [p for p in case.people if p.id in keep]
    households = []
    for h in case.households:
        members = [m for m in h.members if m in keep]
        if members:
            households.append(h.model_copy(update={"members": members}))
    places = keep | {h.id for h in households}
    parents = []
    for link in case.parents:
        shown = [p for p in link.parents if p in keep]
        if link.child in keep and shown:
            parents.append(link.model_copy(update={"parents": shown}))
    twins = []
    for t in case.twins:
        members = [p for p in t.people if p in keep]
        if len(members) >= 2:
            twins.append(t.model_copy(update={"people": members}))
    return case.model_copy(update={
        "people": people,
        "unions": [u for u in case.unions if all(p in keep for p in u.partners)],
        "parents": parents,
        "twins": twins,
        "relationships": [r for r in case.relationships if r.from_ in keep and r.to in keep],
        "households": households,
        "ecomap": [e for e in case.ecomap if e.connected_to in places],
        "chronology": [e for e in case.chronology if all(p in keep for p in e.people)],
        "order": [p for p in case.order if p in keep],
        "focal_child": case.focal_child if case.focal_child in keep else None,
    })
