"""Exercise (a): draw the genogram from a written vignette, and see what is missing or wrong.

Participants read a vignette (``vignettes.yaml``) and draw the family with the genogram
editor. :func:`check_drawing` compares their drawing with the answer, person by person
and line by line, in kind plain words (``wording.yaml``). People are matched by name,
ignoring capitals: by full name, first name or the nickname in brackets, so that "kay"
finds "Kayode (Kay) Adeyemi-Hart". The answer is the training case itself, cut down to
the vignette's people (:func:`answer_case`).

>>> exercise = GenogramExercise(get_vignette("jada_and_jayden"))
>>> jada = exercise.editor.add_person("Jada", sex="female", born=2016)
>>> check = exercise.check()
>>> check.correct, [f.message for f in check.findings if f.people == ("Jada",)]
(False, ['Jada is on your drawing.'])
>>> print(check.summary)
1 of 6 people and 0 of 13 lines are right.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from systemic.cases import Case, ParentLink, Person, Relationship, Twins, Union
from systemic.genogram.commands import GenogramEditor
from systemic.graces import fill_blanks
from systemic.vocabularies import load_relationship_kinds
from systemic.workshop.data import (
    GenogramWording,
    Vignette,
    get_vignette,
    load_wording,
    training_case,
)

__all__ = [
    "About",
    "Status",
    "Finding",
    "GenogramCheck",
    "answer_case",
    "name_keys",
    "shown_name",
    "check_drawing",
    "GenogramExercise",
]

About = Literal["person", "couple", "parent", "twins", "relationship"]
Status = Literal["right", "missing", "different", "extra"]


@dataclass(frozen=True)
class Finding:
    """One thing the check noticed about one person or one line.

    ``people`` are the names it is about, as the vignette gives them (or as drawn, for
    someone not in the vignette).
    """

    about: About
    status: Status
    people: tuple[str, ...]
    message: str

    @property
    def right(self) -> bool:
        return self.status == "right"


@dataclass(frozen=True)
class GenogramCheck:
    """Everything the check found, and its summary sentence."""

    findings: tuple[Finding, ...]
    summary: str

    @property
    def correct(self) -> bool:
        """True when every person and line is right and nothing extra is drawn."""
        return bool(self.findings) and all(f.right for f in self.findings)

    @property
    def problems(self) -> list[Finding]:
        """What is missing, different or extra, people first, then lines."""
        return [f for f in self.findings if not f.right]

    def by_person(self) -> dict[str, list[Finding]]:
        """Each person's findings: about them, and about every line they are part of."""
        out: dict[str, list[Finding]] = {}
        for f in self.findings:
            for name in f.people:
                out.setdefault(name, []).append(f)
        return out


def answer_case(vignette: Vignette, case: Case | None = None) -> Case:
    """The training case cut down to the vignette's people and the lines it checks.

    >>> [p.id for p in answer_case(get_vignette("jada_and_jayden")).people][:2]
    ['delroy', 'beverley']
    """
    source = case or training_case(vignette.case)
    keep = set(vignette.people)
    unknown = sorted(keep - set(source.people_by_id))
    if unknown:
        raise ValueError(f"vignette '{vignette.id}' names '{unknown[0]}', who is not in "
                         f"the case '{source.id}' — fix the people list")
    parents = []
    for link in source.parents:
        inside = [p for p in link.parents if p in keep]
        if link.child in keep and inside:
            parents.append(link.model_copy(update={"parents": inside}))
    return Case(
        id=f"{vignette.id}-answer",
        title=vignette.title,
        fictional=True,
        people=[p for p in source.people if p.id in keep],
        unions=[u for u in source.unions if set(u.partners) <= keep],
        parents=parents,
        twins=[t for t in source.twins if set(t.people) <= keep],
        relationships=[r for r in source.relationships if {r.from_, r.to} <= keep],
    )


_BRACKETS = re.compile(r"\(([^()]*)\)")


def _fold(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").casefold().split())


def name_keys(person: Person) -> list[str]:
    """The ways a participant might write someone's name, folded to lower case.

    >>> name_keys(Person(id="kay", name="Kayode (Kay) Adeyemi-Hart"))
    ['kayode (kay) adeyemi-hart', 'kayode adeyemi-hart', 'kay', 'kayode']
    """
    full = _fold(person.name)
    plain = _fold(_BRACKETS.sub(" ", person.name))
    keys = [full, plain]
    keys += [_fold(m) for m in _BRACKETS.findall(person.name) if m.strip()]
    if plain:
        keys.append(plain.split()[0])
    return list(dict.fromkeys(k for k in keys if k))


def shown_name(person: Person) -> str:
    """The name the check's messages use: the nickname in brackets, else the first name.

    >>> shown_name(Person(id="jo", name="Joanne (Jo) Baptiste"))
    'Jo'
    """
    nick = [m.strip() for m in _BRACKETS.findall(person.name) if m.strip()]
    if nick:
        return nick[0]
    plain = _BRACKETS.sub(" ", person.name).split()
    return plain[0] if plain else person.name


def _match(drawn: Case, answer: Case) -> tuple[dict[str, str], list[Person], list[Person]]:
    """drawn id → answer id for everyone matched; drawn people not matched; drawn twice."""
    index: dict[str, list[str]] = {}
    for person in answer.people:
        for key in name_keys(person):
            index.setdefault(key, []).append(person.id)
    taken: set[str] = set()
    matched: dict[str, str] = {}
    unmatched: list[Person] = []
    twice: list[Person] = []
    for person in drawn.people:
        written = _fold(person.name)
        candidates = index.get(written, [])
        free = [c for c in candidates if c not in taken]
        if len(free) == 1 or (free and len(set(candidates)) == 1):
            matched[person.id] = free[0]
            taken.add(free[0])
        elif candidates and not free:
            twice.append(person)
        else:
            unmatched.append(person)
    return matched, unmatched, twice


class _Checker:
    def __init__(self, drawn: Case, answer: Case, checks: Iterable[str], words: GenogramWording):
        self.drawn, self.answer, self.words = drawn, answer, words
        self.checks = set(checks)
        self.matched, self.unmatched, self.twice = _match(drawn, answer)
        self.back = {a: d for d, a in self.matched.items()}
        self.names = {p.id: shown_name(p) for p in answer.people}
        self.findings: list[Finding] = []

    def say(self, about: About, status: Status, people: tuple[str, ...], key: str, /,
            **blanks: str) -> None:
        message = fill_blanks(getattr(self.words, key), **blanks)
        self.findings.append(Finding(about, status, people, message))

    def name(self, answer_id: str) -> str:
        return self.names[answer_id]

    # -- people ----------------------------------------------------------------------------

    def people(self) -> None:
        drawn = self.drawn.people_by_id
        w = self.words
        for person in self.answer.people:
            name = self.name(person.id)
            if person.id not in self.back:
                self.say("person", "missing", (name,), "person_missing", name=name)
                continue
            mine = drawn[self.back[person.id]]
            before = len(self.findings)
            if mine.kind != person.kind:
                self.say("person", "different", (name,), "kind", name=name,
                         drawn=w.kinds[mine.kind], answer=w.kinds[person.kind])
            if "unknown" not in (mine.sex, person.sex) and mine.sex != person.sex:
                self.say("person", "different", (name,), "sex", name=name,
                         drawn=w.sexes[mine.sex], answer=w.sexes[person.sex])
            if mine.born and person.born and mine.born.year != person.born.year:
                self.say("person", "different", (name,), "born", name=name,
                         drawn=str(mine.born.year), answer=str(person.born.year))
            if person.has_died and not mine.has_died:
                self.say("person", "missing", (name,), "died_missing", name=name)
            if mine.has_died and not person.has_died:
                self.say("person", "different", (name,), "died_extra", name=name)
            if len(self.findings) == before:
                self.say("person", "right", (name,), "person_right", name=name)
        # A near spelling of someone not drawn yet is probably them ("Leane" for Leanne).
        missing = {k: p.id for p in self.answer.people if p.id not in self.back
                   for k in name_keys(p)}
        for person in self.unmatched:
            close = difflib.get_close_matches(_fold(person.name), list(missing), n=1,
                                              cutoff=0.75)
            if close:
                self.say("person", "extra", (person.name,), "person_extra_close",
                         name=person.name, answer=self.name(missing[close[0]]))
            else:
                self.say("person", "extra", (person.name,), "person_extra", name=person.name)
        for person in self.twice:
            self.say("person", "extra", (person.name,), "person_twice", name=person.name)

    # -- lines -------------------------------------------------------------------------------

    def _mapped(self, ids: Iterable[str]) -> tuple[str, ...] | None:
        """Drawn ids as answer ids; None when the line involves someone not matched."""
        out = tuple(self.matched.get(i, "") for i in ids)
        return None if "" in out else out

    def couples(self) -> None:
        statuses = self.words.statuses
        mine: dict[frozenset[str], Union] = {}
        for u in self.drawn.unions:
            pair = self._mapped(u.partners)
            if pair is not None:
                mine[frozenset(pair)] = u
        expected = {frozenset(u.partners): u for u in self.answer.unions}
        for key, u in expected.items():
            a, b = (self.name(i) for i in u.partners)
            if key not in mine:
                self.say("couple", "missing", (a, b), "couple_missing", a=a, b=b)
            elif mine[key].status != u.status:
                self.say("couple", "different", (a, b), "couple_status", a=a, b=b,
                         drawn=statuses[mine[key].status], answer=statuses[u.status])
            else:
                self.say("couple", "right", (a, b), "couple_right", a=a, b=b,
                         status=statuses[u.status])
        for key, u in mine.items():
            if key not in expected:
                a, b = (self.name(self.matched[i]) for i in u.partners)
                self.say("couple", "extra", (a, b), "couple_extra", a=a, b=b)

    @staticmethod
    def _pairs(links: Iterable[ParentLink]) -> dict[tuple[str, str], str]:
        return {(link.child, p): link.kind for link in links for p in link.parents}

    def parents(self) -> None:
        kinds = self.words.parent_kinds
        mine: dict[tuple[str, str], str] = {}
        for (child, parent), kind in self._pairs(self.drawn.parents).items():
            pair = self._mapped((child, parent))
            if pair is not None:
                mine[(pair[0], pair[1])] = kind
        expected = self._pairs(self.answer.parents)
        for (child_id, parent_id), kind in expected.items():
            child, parent = self.name(child_id), self.name(parent_id)
            drawn_kind = mine.get((child_id, parent_id))
            if drawn_kind is None:
                self.say("parent", "missing", (parent, child), "parent_missing",
                         parent=parent, child=child, kind=kinds[kind])
            elif drawn_kind != kind:
                self.say("parent", "different", (parent, child), "parent_kind", parent=parent,
                         child=child, drawn=kinds[drawn_kind], answer=kinds[kind])
            else:
                self.say("parent", "right", (parent, child), "parent_right", parent=parent,
                         child=child, kind=kinds[kind])
        for (child_id, parent_id), kind in mine.items():
            if (child_id, parent_id) not in expected:
                child, parent = self.name(child_id), self.name(parent_id)
                self.say("parent", "extra", (parent, child), "parent_extra", parent=parent,
                         child=child, kind=kinds[kind])

    def _names(self, ids: Iterable[str]) -> tuple[str, ...]:
        return tuple(self.name(i) for i in ids)

    @staticmethod
    def _joined(names: tuple[str, ...]) -> str:
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    def twins(self) -> None:
        mine: set[frozenset[str]] = set()
        for t in self.drawn.twins:
            group = self._mapped(t.people)
            if group is not None:
                mine.add(frozenset(group))
        expected: dict[frozenset[str], Twins] = {frozenset(t.people): t for t in self.answer.twins}
        for key, t in expected.items():
            names = self._names(t.people)
            status: Status = "right" if key in mine else "missing"
            self.say("twins", status, names, f"twins_{status}", names=self._joined(names))
        for key in mine - set(expected):
            names = self._names(sorted(key, key=lambda i: list(self.names).index(i)))
            self.say("twins", "extra", names, "twins_extra", names=self._joined(names))

    def relationships(self) -> None:
        labels = {k.id: k.label.lower() for k in load_relationship_kinds().kinds}
        mine: dict[frozenset[str], Relationship] = {}
        for r in self.drawn.relationships:
            pair = self._mapped((r.from_, r.to))
            if pair is not None:
                mine[frozenset(pair)] = r
        expected = {frozenset((r.from_, r.to)): r for r in self.answer.relationships}
        for key, r in expected.items():
            a, b = self.name(r.from_), self.name(r.to)
            if key not in mine:
                self.say("relationship", "missing", (a, b), "relationship_missing", a=a, b=b,
                         kind=labels[r.kind])
            elif mine[key].kind != r.kind:
                self.say("relationship", "different", (a, b), "relationship_kind", a=a, b=b,
                         drawn=labels[mine[key].kind], answer=labels[r.kind])
            else:
                self.say("relationship", "right", (a, b), "relationship_right", a=a, b=b,
                         kind=labels[r.kind])
        for key, r in mine.items():
            if key not in expected:
                a, b = self.name(self.matched[r.from_]), self.name(self.matched[r.to])
                self.say("relationship", "extra", (a, b), "relationship_extra", a=a, b=b,
                         kind=labels[r.kind])

    def run(self) -> GenogramCheck:
        self.people()
        for kind, check in (("couples", self.couples), ("parents", self.parents),
                            ("twins", self.twins), ("relationships", self.relationships)):
            if kind in self.checks:
                check()
        people = [f for f in self.findings if f.about == "person" and f.status != "extra"]
        links = [f for f in self.findings if f.about != "person" and f.status != "extra"]
        right_people = {f.people for f in people} - {f.people for f in people if not f.right}
        if not self.drawn.people:
            summary = self.words.nothing_drawn
        elif all(f.right for f in self.findings):
            summary = self.words.all_right
        else:
            summary = fill_blanks(
                self.words.summary, people_right=str(len(right_people)),
                people=str(len(self.answer.people)),
                links_right=str(sum(f.right for f in links)), links=str(len(links)))
        return GenogramCheck(tuple(self.findings), summary)


def check_drawing(
    drawn: Case, answer: Case, checks: Iterable[str] = ("couples", "parents", "twins"),
    wording: GenogramWording | None = None,
) -> GenogramCheck:
    """Compare a drawn case with the answer, person by person and line by line.

    Parameters
    ----------
    drawn : Case
        The participant's drawing (from the genogram editor).
    answer : Case
        What the vignette describes (:func:`answer_case`).
    checks : iterable of str
        Which lines to compare: ``couples``, ``parents``, ``twins``, ``relationships``.

    Returns
    -------
    GenogramCheck
        For every person in the answer: right, missing or different (sex, year of
        birth, death, kind); for every line: right, missing or different; then anyone
        or any line drawn that the vignette does not have ("extra"). Lines to someone not
        in the vignette are left out: the person's own finding covers them.

    Examples
    --------
    >>> answer = Case(id="a", title="A", fictional=True,
    ...     people=[Person(id="amy", name="Amy", born=2015), Person(id="liz", name="Liz")],
    ...     parents=[ParentLink(child="amy", parents=["liz"])])
    >>> drawn = Case(id="d", title="D", fictional=True,
    ...     people=[Person(id="a", name="amy", born=2016), Person(id="l", name="LIZ")])
    >>> for f in check_drawing(drawn, answer).problems:
    ...     print(f.message)
    Amy's year of birth is drawn as 2016; look again at the vignette, which gives 2015.
    The line showing Liz as Amy's parent is missing.
    """
    return _Checker(drawn, answer, checks, wording or load_wording().genogram).run()


class GenogramExercise:
    """One participant's (or table's) drawing of one vignette, which can be checked and reset.

    ``editor`` is a :class:`~systemic.genogram.commands.GenogramEditor` on an empty case:
    the widget's forms call it (add a person, a couple, a child…), with undo.
    """

    def __init__(self, vignette: Vignette | str | None = None):
        self.vignette = vignette if isinstance(vignette, Vignette) else get_vignette(vignette)
        self.answer = answer_case(self.vignette)
        self.editor = self._blank()

    def _blank(self) -> GenogramEditor:
        return GenogramEditor(Case(id=f"{self.vignette.id}-drawing", title="Your drawing",
                                   fictional=True))

    @property
    def drawing(self) -> Case:
        return self.editor.case

    def check(self) -> GenogramCheck:
        """What is right, missing, different or extra in the drawing so far."""
        return check_drawing(self.editor.case, self.answer, self.vignette.check)

    @property
    def done(self) -> bool:
        return self.check().correct

    def reset(self) -> None:
        """Start again from an empty drawing."""
        self.editor = self._blank()
