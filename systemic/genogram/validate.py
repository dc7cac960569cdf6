"""Refusing families that cannot exist, in sentences a supervisor can act on.

:mod:`systemic.cases` checks the shape of a case; this module checks that the
family could be real: nobody is their own ancestor, a child has at most two
birth parents, nobody is born after their birth mother died, and so on. The
genogram layout and drawing rely on these guarantees (every id known, no cycle
of parenthood, at most two birth parents), and every edit is checked here
before it is accepted.

Dates are compared as ranges: "2015" means some day in 2015, so only what is
certainly impossible is refused.

>>> from systemic.cases import Case, Person, ParentLink
>>> case = Case(id="c", title="t", fictional=True, people=[
...     Person(id="mia", name="Mia", sex="female", born=1985, died=2012),
...     Person(id="kai", name="Kai", sex="male", born=2015)],
...     parents=[ParentLink(child="kai", parents=["mia"])])
>>> family_problems(case)
['Kai cannot be born in 2015: his birth mother Mia died in 2012. Check both dates.']
"""

from __future__ import annotations

import calendar
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import networkx as nx

from systemic.cases import Case, PartialDate, Person
from systemic.errors import ImpossibleFamily, Problem

__all__ = [
    "FamilyProblem",
    "MIN_PARENT_AGE",
    "family_issues",
    "family_problems",
    "check_family",
    "case_problems",
    "pronouns",
    "parent_cycles",
    "ancestry_chain",
]

#: A birth or adoptive parent is at least this many years older than their child.
MIN_PARENT_AGE = 10

_NOT_BORN = ("pregnancy", "miscarriage", "termination", "stillbirth")


@dataclass(frozen=True)
class FamilyProblem:
    """One impossible thing: the sentence, where in the case file, and who is involved."""

    message: str
    field: str
    people: tuple[str, ...]


# -- words ------------------------------------------------------------------------------

_PRONOUNS = {
    "she": ("she", "her", "herself"),
    "he": ("he", "his", "himself"),
    "they": ("they", "their", "themself"),
}


def pronouns(person: Person) -> tuple[str, str, str]:
    """``(subject, possessive, reflexive)`` for ``person``: their own pronouns if
    recorded, else from sex, else "they".

    >>> pronouns(Person(id="a", name="A", sex="female"))
    ('she', 'her', 'herself')
    >>> pronouns(Person(id="a", name="A", sex="female", pronouns="they/them"))
    ('they', 'their', 'themself')
    """
    if person.pronouns:
        parts = [p.strip().lower() for p in person.pronouns.split("/") if p.strip()]
        if parts and parts[0] in _PRONOUNS:
            return _PRONOUNS[parts[0]]
        if len(parts) >= 2:
            return parts[0], parts[1], parts[1] + "self"
    return {"female": _PRONOUNS["she"], "male": _PRONOUNS["he"]}.get(
        person.sex, _PRONOUNS["they"]
    )


def _when(d: PartialDate) -> str:
    """'in 2015', 'in March 2015' or 'on 15 March 2015'."""
    if d.month is None:
        return f"in {d.year}"
    month = calendar.month_name[d.month]
    if d.day is None:
        return f"in {month} {d.year}"
    return f"on {d.day} {month} {d.year}"


def _names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _count(n: int) -> str:
    return {2: "two", 3: "three", 4: "four", 5: "five"}.get(n, str(n))


# -- dates as ranges ---------------------------------------------------------------------


def _earliest(d: PartialDate) -> date:
    return date(d.year, d.month or 1, d.day or 1)


def _latest(d: PartialDate) -> date:
    month = d.month or 12
    return date(d.year, month, d.day or calendar.monthrange(d.year, month)[1])


def _whole_years(start: date, end: date) -> int:
    """Completed years from ``start`` to ``end``, as an age is counted."""
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def _plus_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


# -- cycles of parenthood ---------------------------------------------------------------

#: A cycle longer than this is told by its first people only, so the line stays short.
_CHAIN_SHOWN = 3


def parent_cycles(graph: nx.DiGraph) -> list[list[str]]:
    """One cycle (its people in order, each a parent of the next) per strongly connected
    tangle of ``graph`` (parent → child edges), in linear time however long the cycle,
    starting from the person who comes first in the graph.

    networkx finds the tangles; inside one, every person has a child in it, so walking
    from child to child must come back round — a walk far cheaper than ``find_cycle``
    on a cycle of thousands.

    >>> parent_cycles(nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]))
    [['a', 'b', 'c']]
    """
    order = {node: i for i, node in enumerate(graph)}
    out = []
    for component in nx.strongly_connected_components(graph):
        if len(component) < 2:
            continue
        node = min(component, key=order.__getitem__)  # the first in the file
        path: list[str] = []
        at: dict[str, int] = {}
        while node not in at:
            at[node] = len(path)
            path.append(node)
            node = next(v for v in graph.successors(node) if v in component)
        out.append(path[at[node]:])
    return sorted(out, key=lambda c: order[c[0]])


def ancestry_chain(cycle: list[str], name: Callable[[str], str]) -> str:
    """The sentence for a cycle of parenthood: every link for a short cycle; for a long
    one, its size and first few people only, with names cut short, so that even a
    500-generation cycle is one short line.

    >>> ancestry_chain(["a", "b"], str.upper)
    'Nobody can be their own ancestor, but A (a) is a parent of B (b), who is a parent of \
A (a). Remove or correct one of these parent links.'
    >>> ancestry_chain([f"p{i}" for i in range(500)], str.upper)
    'Nobody is their own ancestor, but these 500 people form a cycle: P0 (p0), P1 (p1), \
P2 (p2)… Correct one link.'
    """
    def who(pid: str, width: int) -> str:
        text = f"{name(pid)} ({pid})"
        if len(text) <= width:
            return text
        short_id = pid if len(pid) <= width // 2 else pid[:width // 2 - 1] + "…"
        return f"{name(pid)[:max(1, width - len(short_id) - 4)]}… ({short_id})"

    if len(cycle) <= _CHAIN_SHOWN + 1:
        chain = f"{who(cycle[0], 30)} is a parent of {who(cycle[1 % len(cycle)], 30)}"
        for pid in [*cycle[2:], cycle[0]] if len(cycle) > 1 else []:
            chain += f", who is a parent of {who(pid, 30)}"
        return (f"Nobody can be their own ancestor, but {chain}. "
                "Remove or correct one of these parent links.")
    first = ", ".join(who(pid, 20) for pid in cycle[:_CHAIN_SHOWN])
    return (f"Nobody is their own ancestor, but these {len(cycle):,} people form a cycle: "
            f"{first}… Correct one link.")


# -- the checks --------------------------------------------------------------------------


class _Checker:
    def __init__(self, case: Case, dates: bool, today: date | None = None):
        self.case = case
        self.dates = dates
        self.today = today
        self.people: dict[str, Person] = {}
        for p in case.people:
            self.people.setdefault(p.id, p)
        self.issues: list[FamilyProblem] = []

    def add(self, message: str, field: str, *people: str) -> None:
        self.issues.append(FamilyProblem(message, field, tuple(dict.fromkeys(people))))

    def name(self, pid: str) -> str:
        p = self.people.get(pid)
        return p.name if p else f"'{pid}'"

    def run(self) -> list[FamilyProblem]:
        self.duplicates()
        self.unknown_ids()
        self.couples()
        self.parent_links()
        self.cycles()
        self.birth_parents()
        self.twins()
        if self.dates:
            self.life_dates()
            self.births_and_parents()
        if self.dates and self.today is not None:
            self.dates_to_come(self.today)
        return self.issues

    # ids ------------------------------------------------------------------------------

    def duplicates(self) -> None:
        groups = (("people", "people", self.case.people), ("unions", "couples", self.case.unions),
                  ("households", "households", self.case.households),
                  ("ecomap", "ecomap connections", self.case.ecomap))
        for field, what, items in groups:
            counts = Counter(x.id for x in items)
            reported: set[str] = set()
            for i, item in enumerate(items):
                if counts[item.id] > 1 and item.id not in reported:
                    reported.add(item.id)
                    names = [x.name for x in items if x.id == item.id and hasattr(x, "name")]
                    who = f" ({_names(names)})" if names else ""
                    self.add(f"{_count(counts[item.id]).capitalize()} {what} have the id "
                             f"'{item.id}'{who}. Give each their own id.",
                             f"{field}[{i}].id", *([item.id] if field == "people" else []))

    def unknown_ids(self) -> None:
        case = self.case
        households = {h.id for h in case.households}

        def known(pid: str, where: str, field: str, allowed: set[str] | None = None) -> None:
            if pid not in self.people and (allowed is None or pid not in allowed):
                self.add(f"{where} '{pid}' is not in the family. Add them first, or fix the id.",
                         field)

        if case.focal_child is not None:
            known(case.focal_child, "The focal child", "focal_child")
        for i, u in enumerate(case.unions):
            for j, pid in enumerate(u.partners):
                other = u.partners[1 - j]
                known(pid, f"{self.name(other)}'s partner", f"unions[{i}].partners[{j}]")
        for i, link in enumerate(case.parents):
            known(link.child, "The child of a parent link", f"parents[{i}].child")
            for j, pid in enumerate(link.parents):
                known(pid, f"{self.name(link.child)}'s parent", f"parents[{i}].parents[{j}]")
        for i, t in enumerate(case.twins):
            for j, pid in enumerate(t.people):
                known(pid, "A twin", f"twins[{i}].people[{j}]")
        for i, r in enumerate(case.relationships):
            known(r.from_, "A relationship line starts at", f"relationships[{i}].from")
            known(r.to, f"{self.name(r.from_)}'s relationship line goes to",
                  f"relationships[{i}].to")
            if r.from_ == r.to:
                self.add(f"A relationship line needs two people, but both ends are "
                         f"{self.name(r.to)}. Choose the other person.",
                         f"relationships[{i}]", r.to)
        for i, h in enumerate(case.households):
            for j, pid in enumerate(h.members):
                known(pid, f"The household '{h.name}' includes", f"households[{i}].members[{j}]")
        for i, e in enumerate(case.ecomap):
            if e.connected_to not in self.people and e.connected_to not in households:
                self.add(f"The ecomap connection '{e.name}' is linked to '{e.connected_to}', "
                         "who is not in the family and is not a household. Fix the id.",
                         f"ecomap[{i}].connected_to")
        for i, ev in enumerate(case.chronology):
            for j, pid in enumerate(ev.people):
                known(pid, "A chronology event names", f"chronology[{i}].people[{j}]")

    def couples(self) -> None:
        for i, u in enumerate(self.case.unions):
            a, b = u.partners
            if a == b:
                reflexive = pronouns(self.people[a])[2] if a in self.people else "themself"
                self.add(f"{self.name(a)} cannot be in a couple with {reflexive}. "
                         "Name two different people.", f"unions[{i}].partners", a)
            if self.dates and u.began and u.ended and _latest(u.ended) < _earliest(u.began):
                self.add(f"The couple {self.name(a)} and {self.name(b)} cannot end "
                         f"{_when(u.ended)}, before it began {_when(u.began)}. Check both dates.",
                         f"unions[{i}].ended", a, b)

    # parenthood -----------------------------------------------------------------------

    def parent_links(self) -> None:
        for i, link in enumerate(self.case.parents):
            child = link.child
            if child in link.parents:
                their = pronouns(self.people[child])[1] if child in self.people else "their"
                self.add(f"{self.name(child)} cannot be {their} own parent. "
                         f"Remove '{child}' from this link's parents.",
                         f"parents[{i}].parents", child)
            if len(link.parents) == 2 and link.parents[0] == link.parents[1]:
                self.add(f"{self.name(link.parents[0])} is listed twice as a parent of "
                         f"{self.name(child)}. Name each parent once.",
                         f"parents[{i}].parents", link.parents[0], child)
            for j, pid in enumerate(link.parents):
                parent = self.people.get(pid)
                if parent is not None and parent.kind in _NOT_BORN:
                    self.add(f"{parent.name} is recorded as a {parent.kind}, so cannot be a "
                             f"parent of {self.name(child)}. Check the parent's id.",
                             f"parents[{i}].parents[{j}]", pid, child)

    def cycles(self) -> None:
        """Report one cycle of parenthood (no one their own ancestor) per tangle of
        people who reach each other, found with networkx in linear time. Self-parenthood
        is reported by :meth:`parent_links`."""
        graph = nx.DiGraph()
        graph.add_nodes_from(self.people)
        for i, link in enumerate(self.case.parents):
            for pid in link.parents:
                known = pid in self.people and link.child in self.people
                if known and pid != link.child and not graph.has_edge(pid, link.child):
                    graph.add_edge(pid, link.child, link=i)
        for cycle in parent_cycles(graph):
            closing = graph.edges[cycle[-1], cycle[0]]["link"]
            self.report_cycle(cycle, closing)

    def report_cycle(self, cycle: list[str], link: int) -> None:
        self.add(ancestry_chain(cycle, self.name), f"parents[{link}]", *cycle)

    def birth_parent_sets(self) -> dict[str, list[int]]:
        sets: dict[str, list[int]] = defaultdict(list)
        for i, link in enumerate(self.case.parents):
            if link.kind == "birth":
                sets[link.child].append(i)
        return sets

    def birth_parents(self) -> None:
        for child, links in self.birth_parent_sets().items():
            if len(links) < 2:
                continue
            parents = list(dict.fromkeys(p for i in links for p in self.case.parents[i].parents))
            if len(parents) > 2:
                self.add(f"{self.name(child)} has {_count(len(parents))} birth parents "
                         f"({_names([self.name(p) for p in parents])}). A child has at most "
                         "two: record the others as step, adoptive or foster parents.",
                         f"parents[{links[1]}]", child, *parents)
            else:
                self.add(f"{self.name(child)} has {_count(len(links))} separate sets of birth "
                         "parents. Put both birth parents in one set, and record any others as "
                         "step, adoptive or foster parents.", f"parents[{links[1]}]", child,
                         *parents)

    def twins(self) -> None:
        births: dict[str, frozenset[str]] = {}
        for link in self.case.parents:
            if link.kind == "birth":
                births[link.child] = births.get(link.child, frozenset()) | set(link.parents)
        for i, t in enumerate(self.case.twins):
            known = [p for p in t.people if p in self.people]
            repeated = [p for p, n in Counter(known).items() if n > 1]
            for pid in repeated:
                self.add(f"{self.name(pid)} is listed twice in the same twins. "
                         "Name each twin once.", f"twins[{i}].people", pid)
            distinct = list(dict.fromkeys(known))
            names = _names([self.name(p) for p in distinct])
            years = {self.people[p].born.year for p in distinct if self.people[p].born}
            if self.dates and len(years) > 1:
                shown = _names([str(y) for y in sorted(years)])
                self.add(f"{names} are twins but were born in different years ({shown}). "
                         "Check the years, or remove them from the twins.", f"twins[{i}]",
                         *distinct)
            sets = {births[p] for p in distinct if births.get(p)}
            if len(sets) > 1:
                self.add(f"{names} are twins but have different birth parents. Give them the "
                         "same birth parents, or remove them from the twins.", f"twins[{i}]",
                         *distinct)

    # dates ----------------------------------------------------------------------------

    def life_dates(self) -> None:
        for i, p in enumerate(self.case.people):
            if p.born and p.died and _latest(p.died) < _earliest(p.born):
                subject = pronouns(p)[0]
                were = "were" if subject == "they" else "was"
                self.add(f"{p.name} cannot have died {_when(p.died)}, before {subject} {were} "
                         f"born {_when(p.born)}. Check both dates.", f"people[{i}].died", p.id)

    def dates_to_come(self, today: date) -> None:
        """A slip of a key in the editor (2099 for 2009) would draw a living child with a
        cross: nobody has died, or been born, on a date still to come."""
        for i, p in enumerate(self.case.people):
            if p.died and _earliest(p.died) > today:
                self.add(f"{p.name} cannot have died {_when(p.died)}: that date has not come "
                         "yet. Check the date.", f"people[{i}].died", p.id)
            if p.born and p.kind not in _NOT_BORN and _earliest(p.born) > today:
                self.add(f"{p.name} cannot be born {_when(p.born)}: that date has not come "
                         "yet. Check the date, or record a baby on the way as a pregnancy.",
                         f"people[{i}].born", p.id)

    def births_and_parents(self) -> None:
        index = {p.id: i for i, p in reversed(list(enumerate(self.case.people)))}
        for link in self.case.parents:
            child = self.people.get(link.child)
            if child is None or child.born is None:
                continue
            field = f"people[{index[child.id]}].born"
            their = pronouns(child)[1]
            for pid in link.parents:
                parent = self.people.get(pid)
                if parent is None or pid == child.id:
                    continue
                if link.kind == "birth" and parent.died:
                    self.born_after_death(child, parent, their, field)
                if link.kind in ("birth", "adoptive") and parent.born:
                    self.too_young(child, parent, link.kind, field)

    def born_after_death(self, child: Person, parent: Person, their: str, field: str) -> None:
        assert child.born is not None and parent.died is not None
        born, died = _earliest(child.born), _latest(parent.died)
        if parent.sex == "female":
            if born > died:
                self.add(f"{child.name} cannot be born {_when(child.born)}: {their} birth "
                         f"mother {parent.name} died {_when(parent.died)}. Check both dates.",
                         field, child.id, parent.id)
        elif born > _plus_years(died, 1):
            who = "father" if parent.sex == "male" else "parent"
            self.add(f"{child.name} cannot be born {_when(child.born)}: {their} birth {who} "
                     f"{parent.name} died {_when(parent.died)}, more than a year before. "
                     "Check both dates.", field, child.id, parent.id)

    def too_young(self, child: Person, parent: Person, kind: str, field: str) -> None:
        assert child.born is not None and parent.born is not None
        if _latest(child.born) >= _plus_years(_earliest(parent.born), MIN_PARENT_AGE):
            return
        relation = "birth" if kind == "birth" else "adopted"
        a_parent = "a birth parent" if kind == "birth" else "an adoptive parent"
        if _earliest(parent.born) > _latest(child.born):
            self.add(f"{parent.name} (born {parent.born.year}) cannot be {a_parent} of "
                     f"{child.name} (born {child.born.year}): a parent is older than their "
                     "child. Check both dates.", field, child.id, parent.id)
            return
        gap = _whole_years(_earliest(parent.born), _latest(child.born))
        older = ("less than a year older" if gap == 0
                 else f"only {gap} year{'s' if gap != 1 else ''} older")
        self.add(f"{parent.name} is {older} than {pronouns(parent)[1]} {relation} child "
                 f"{child.name}; {a_parent} is at least {MIN_PARENT_AGE} years older. "
                 "Check both dates.", field, child.id, parent.id)


# -- the public functions --------------------------------------------------------------


def family_issues(case: Case, *, dates: bool = True,
                  today: date | None = None) -> list[FamilyProblem]:
    """Every impossible thing about ``case``, with field paths and the people involved.

    ``dates=False`` checks only the structure (ids, cycles, birth parents), which is
    what layout needs; imported family trees use it, as old records often
    disagree about dates. With ``today``, births and deaths after it are refused too
    (the genogram editor's check: files keep one rule for a year, see plausible.py).

    >>> from systemic.cases import Case, Person
    >>> case = Case(id="c", title="t", fictional=True,
    ...             people=[Person(id="mia", name="Mia", sex="female", died=2099)])
    >>> [i.message for i in family_issues(case, today=date(2026, 12, 7))]
    ['Mia cannot have died in 2099: that date has not come yet. Check the date.']
    """
    return _Checker(case, dates, today).run()


def family_problems(case: Case) -> list[str]:
    """Every impossible thing about ``case``, one plain sentence each (empty if none).

    >>> from systemic.cases import Case, Person, ParentLink
    >>> family_problems(Case(id="c", title="t", fictional=True,
    ...     people=[Person(id="a", name="Amy", sex="female"), Person(id="b", name="Ben")],
    ...     parents=[ParentLink(child="a", parents=["b"]), ParentLink(child="b", parents=["a"])]))
    ['Nobody can be their own ancestor, but Amy (a) is a parent of Ben (b), who is a parent of \
Amy (a). Remove or correct one of these parent links.']
    """
    return [issue.message for issue in family_issues(case)]


def check_family(case: Case) -> Case:
    """Return ``case`` unchanged if the family could exist; else raise.

    Raises
    ------
    ImpossibleFamily
        Its message is every problem, one per line; ``people`` holds the ids involved.

    >>> from systemic.cases import Case, Person, Union
    >>> check_family(Case(id="c", title="t", fictional=True,
    ...     people=[Person(id="mia", name="Mia", sex="female")],
    ...     unions=[Union(id="u", partners=["mia", "mia"])]))
    Traceback (most recent call last):
    ...
    systemic.errors.ImpossibleFamily: Mia cannot be in a couple with herself. Name two \
different people.
    """
    issues = family_issues(case)
    if issues:
        people = tuple(dict.fromkeys(pid for issue in issues for pid in issue.people))
        raise ImpossibleFamily("\n".join(issue.message for issue in issues), people=people)
    return case


def case_problems(case: Case, path: str | Path) -> list[Problem]:
    """The family checks as :class:`~systemic.errors.Problem` s naming the file and field,
    for :func:`systemic.cases.parse_case` and ``systemic-workbook validate``.

    >>> from systemic.cases import Case, Person
    >>> [str(p) for p in case_problems(Case(id="c", title="t", fictional=True,
    ...     people=[Person(id="a", name="Amy", born=2000, died=1990)]), "c.yaml")]
    ['c.yaml: people[0].died: Amy cannot have died in 1990, before they were born in 2000. \
Check both dates.']
    """
    return [Problem(str(path), issue.field, issue.message) for issue in family_issues(case)]
