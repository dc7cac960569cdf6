"""Who is who to the focal child: the people a question can be about, and their names.

A question in the room names people the way the family does: "Mum", "Nan",
"Maya's dad Tunde", "your brother Kay". This module works out what each person is
to the focal child from the family links (parents of each kind, couples, twins),
how close they usually are (living together, emotional lines, shared events), how
old they are, and which of them can fill each role a template needs: the carers,
the siblings, the adults, the people who have died.

The words come from :mod:`systemic.genogram.kinship` (``kinship_terms.yaml``), so
the questions call people what the genogram calls them; a ``role`` the worker wrote in
the case is tidied for use in a sentence ("grandad (mum's dad)" becomes "grandad").
What *kind* of relative someone is (a parent, a carer, a sibling, a grandparent),
which decides the roles they can fill and how close they usually are, is reckoned
here from the links, with the weights in ``labels.yaml``.

>>> from systemic.cases import parse_case
>>> case = parse_case({"id": "d", "title": "D", "fictional": True, "focal_child": "amy",
...     "people": [{"id": "amy", "name": "Amy Lee", "born": 2016},
...                {"id": "kim", "name": "Kim Lee", "sex": "female", "born": 1990},
...                {"id": "jo", "name": "Jo Lee", "sex": "female", "born": 1962}],
...     "parents": [{"child": "amy", "parents": ["kim"]}, {"child": "kim", "parents": ["jo"]}]},
...     "d.yaml")
>>> cast = Cast(case, "amy")
>>> cast.label("kim", "family"), cast.label("jo", "supervision"), cast.kin("jo").category
('Mum', "Amy's nan Jo", 'grandparent')
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from systemic.cases import Case, Person
from systemic.datafile import read_yaml
from systemic.genogram.kinship import kinship_terms, relations
from systemic.questions.safety import TITLES, person_names

__all__ = ["LABELS_PATH", "Kin", "Cast", "choose_focus"]

LABELS_PATH = Path(__file__).with_name("labels.yaml")

_BLOOD_KINDS = ("birth", "adoptive")
_CURRENT_UNIONS = ("married", "civil_partnership", "cohabiting", "engaged", "casual")
_MARRIED = ("married", "civil_partnership")
_YOUNG_CATEGORIES = ("sibling", "twin", "half_sibling", "step_sibling", "cousin", "child",
                     "grandchild", "niece_nephew")


@dataclass(frozen=True)
class Kin:
    """What someone is to the focal person.

    ``term`` is the word used in questions ("mum", "half-sister", "dad's partner",
    empty when nothing is known), from :func:`systemic.genogram.kinship.relations`;
    ``category`` the kind of relative, for choosing whom to ask about (a key of
    ``salience`` in ``labels.yaml``); ``from_role`` is true when the word is the
    worker's own ``role`` text.
    """

    term: str
    category: str
    from_role: bool = False


def _plain_name(name: str) -> str:
    """A name without brackets, titles or a role after a comma: "Mrs Hana Shah (mum, 36)"
    is "Hana Shah"."""
    plain = re.sub(r"\([^)]*\)?", " ", name).split(",")[0]
    return " ".join(w for w in plain.split() if w.rstrip(".").lower() not in TITLES)


def _first_and_last(name: str, first: str) -> str:
    """ "Robert Francis Kennedy Jr." → "Robert Kennedy" (suffixes are not surnames)."""
    words = [w for w in name.split()[1:] if w.rstrip(".").lower() not in _SUFFIXES]
    return f"{first} {words[-1]}" if words else first


_SUFFIXES = {"jr", "sr", "junior", "senior", "ii", "iii", "iv", "v"}
_OLDEST = 110


@cache
def _labels() -> dict[str, Any]:
    return read_yaml(LABELS_PATH)


def choose_focus(case: Case) -> str | None:
    """The person questions centre on: the focal child, else the index person, else the
    youngest living person with parents recorded, else the youngest living person (else
    the youngest of anyone, so that supervision questions can still be asked).

    >>> from systemic.cases import Case, Person
    >>> choose_focus(Case(id="c", title="t", fictional=True,
    ...     people=[Person(id="a", name="A", born=1980), Person(id="b", name="B", born=2001)]))
    'b'
    """
    if case.focal_child:
        return case.focal_child
    for p in case.people:
        if p.index:
            return p.id
    living = [p for p in case.people if p.kind == "person" and not p.has_died]
    if not living:
        # Nobody to ask about directly; questions for supervision still centre somewhere.
        living = [p for p in case.people if p.kind == "person"] or list(case.people)
    if not living:
        return None
    with_parents = {link.child for link in case.parents}
    pool = [p for p in living if p.id in with_parents] or living

    def youth(p: Person) -> tuple[int, int, int]:
        return p.born.sort_key() if p.born is not None else (0, 0, 0)

    return max(pool, key=youth).id


class Cast:
    """The people of a case as the question generator sees them, centred on ``focus``.

    Parameters
    ----------
    case : Case
        The case.
    focus : str
        The id of the focal child (or whoever the questions centre on).
    today : date, optional
        The day ages are reckoned on (today by default).
    """

    def __init__(self, case: Case, focus: str, *, today: date | None = None):
        self.case = case
        self.focus = focus
        self.people = case.people_by_id
        if focus not in self.people:
            raise KeyError(focus)
        self.year = (today or date.today()).year
        labels = _labels()
        self._household_words = {w.lower() for w in labels["household_words"]}
        self._salience_of: dict[str, float] = labels["salience"]
        self._bonus: dict[str, float] = labels["bonus"]
        self._role_words: list[dict[str, str]] = labels["role_words"]
        self._order = {p.id: i for i, p in enumerate(case.people)}
        self._index_links()
        self._words = relations(case, focus)
        terms = kinship_terms()
        self._no_word = {
            w.lower()
            for words in (terms.self_, terms.distant, terms.unlinked)
            for w in (words.female, words.male, words.other, words.any) if w
        }
        self._names = self._first_names()
        self._names_lower = {
            w.lower() for p in case.people
            for w in re.findall(r"[A-Za-z][\w\-]*", " ".join([_plain_name(p.name),
                                                              *person_names(p.name)]))
        }
        self._kin: dict[str, Kin] = {pid: self._reckon(pid) for pid in self.people}
        self._focus_name = re.compile(rf"\b{re.escape(self._names[focus])}(’s|'s)?\b")
        self._labels: dict[tuple[str, str], str] = {}
        counts = Counter(k.term.lower() for pid, k in self._kin.items() if pid != focus)
        self._unique_words = {w for w in self._household_words if counts[w] == 1}
        self._salience = {pid: self._score(pid) for pid in self.people}

    # ------------------------------------------------------------ the family links
    def _index_links(self) -> None:
        case = self.case
        self.parent_links: dict[str, list[tuple[str, str, bool]]] = defaultdict(list)
        self.children: dict[str, set[str]] = defaultdict(set)
        for link in case.parents:
            current = getattr(link, "until", None) is None
            for parent in link.parents:
                self.parent_links[link.child].append((parent, link.kind, current))
                if link.kind in _BLOOD_KINDS:
                    self.children[parent].add(link.child)
        self.partners: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for u in case.unions:
            a, b = u.partners
            self.partners[a].append((b, u.status))
            self.partners[b].append((a, u.status))
        self.twins_of: dict[str, set[str]] = defaultdict(set)
        for t in case.twins:
            for pid in t.people:
                self.twins_of[pid] |= set(t.people) - {pid}
        self.households_of: dict[str, list[str]] = defaultdict(list)
        for h in case.households:
            for pid in h.members:
                self.households_of[pid].append(h.id)
        self.lines_with_focus = {
            (r.to if r.from_ == self.focus else r.from_)
            for r in case.relationships
            if self.focus in (r.from_, r.to)
        }
        self.events_with_focus = {
            pid for ev in case.chronology if self.focus in ev.people for pid in ev.people
        }

    def blood_parents(self, pid: str) -> set[str]:
        return {p for p, kind, _ in self.parent_links.get(pid, ()) if kind in _BLOOD_KINDS}

    def _reckon(self, pid: str) -> Kin:
        person = self.people[pid]
        from_role = bool(person.role) and pid != self.focus and (
            self.focus == self.case.focal_child)
        term = self._tidy(self._words.get(pid, ""))
        category = self._category(pid)
        if category == "unknown" and term:
            category = self._role_category(term)
        return Kin(term, category, from_role=from_role)

    def _category(self, pid: str) -> str:  # one branch per kind of relative, closest first
        f = self.focus
        if pid == f:
            return "self"
        links = {p: (kind, cur) for p, kind, cur in self.parent_links.get(f, ())}
        parents = self.blood_parents(f)
        if pid in links:
            kind, current = links[pid]
            if kind in _BLOOD_KINDS:
                return "parent"
            if kind == "step":
                return "step_parent"
            blood = self._blood_category(pid, parents)
            if blood != "unknown":
                return blood
            return "carer" if current else "past_carer"
        for parent in sorted(parents):
            for other, status in self.partners.get(parent, ()):
                if other != pid or other in parents:
                    continue
                if status in _MARRIED:
                    return "step_parent"
                if status in _CURRENT_UNIONS:
                    return "parent_partner"
                if status in ("separated", "divorced"):
                    return "parent_ex_partner"
        for other, status in self.partners.get(f, ()):
            if other == pid:
                return "partner" if status in _CURRENT_UNIONS else "unknown"
        return self._blood_category(pid, parents)

    def _blood_category(self, pid: str, parents: set[str]) -> str:
        f = self.focus
        mine = self.blood_parents(pid)
        if mine and parents & mine:
            if pid in self.twins_of.get(f, set()):
                return "twin"
            if mine == parents and len(parents) == 2:
                return "sibling"
            return "half_sibling"
        step_parents = {p for p, kind, _ in self.parent_links.get(f, ()) if kind == "step"}
        partners_of_parents = {
            o for p in parents for o, s in self.partners.get(p, ()) if s in _CURRENT_UNIONS
        }
        if mine and mine & (step_parents | partners_of_parents):
            return "step_sibling"
        grandparents = {g for p in parents for g in self.blood_parents(p)}
        if pid in grandparents:
            return "grandparent"
        great_grandparents = {g2 for g in grandparents for g2 in self.blood_parents(g)}
        if pid in great_grandparents:
            return "great_grandparent"
        aunts = {c for g in grandparents for c in self.children.get(g, ())} - parents
        if pid in aunts or any(
            o in aunts for o, s in self.partners.get(pid, ()) if s in _CURRENT_UNIONS
        ):
            return "aunt_uncle"
        if mine & aunts:
            return "cousin"
        great_aunts = {c for g in great_grandparents for c in self.children.get(g, ())}
        if pid in great_aunts - grandparents:
            return "great_aunt_uncle"
        if f in mine:
            return "child"
        if mine & self.children.get(f, set()):
            return "grandchild"
        siblings = {c for p in parents for c in self.children.get(p, ())} - {f}
        if mine & siblings:
            return "niece_nephew"
        return "unknown"

    def _tidy(self, word: str) -> str:
        """A family word or a worker's role text, tidied for use inside a sentence.

        "grandad (mum's dad)" → "grandad"; "grandad and special guardian" → "grandad";
        "Mum" → "mum"; the words for "themself", "relative" and "someone in the
        network" say nothing a name does not, so they become "".
        """
        text = re.split(r"[(,;]", word)[0]
        text = re.split(r"\s+and\s+", text)[0].strip().rstrip(".")
        if not text or text.lower() in self._no_word or text.lower().startswith(
            ("the child", "the young person")
        ):
            return ""
        first = re.split(r"['\s]", text)[0]
        if first[:1].isupper() and first[1:].islower() and first.lower() not in self._names_lower:
            text = text[0].lower() + text[1:]
        return text

    def _role_category(self, role: str) -> str:
        words = role.lower()
        possessive = re.match(r"^([\w\-]+)'s?\s+(.*)$", words)
        if possessive:
            owner, rest = possessive.groups()
            if owner not in self._household_words:
                return "other_named"
            words = rest
            if "partner" in words:
                return "parent_partner"
        for entry in self._role_words:
            if entry["word"] in words:
                return entry["category"]
        return "other_named"

    # ------------------------------------------------------------ names and labels
    def _first_names(self) -> dict[str, str]:
        """The shortest name that tells people apart: "Kay", else "Kay Hart", else the
        full name. The focal child is always called by their first name. Brackets hold a
        nickname only when they look like one ("Kayode (Kay)"), never a role or an age
        ("Hana Shah (mum, 36)"); titles ("Mrs", "Dr") are not names."""
        plain = {pid: _plain_name(p.name) for pid, p in self.people.items()}
        firsts: dict[str, str] = {}
        for pid, p in self.people.items():
            firsts[pid] = (person_names(p.name) or [plain[pid] or p.name])[0]
        people = [pid for pid, p in self.people.items() if p.kind == "person"]
        for shorten in (_first_and_last, lambda pid, first: plain[pid]):
            counts = Counter(firsts[pid] for pid in people)
            for pid in people:
                if counts[firsts[pid]] > 1 and pid != self.focus:
                    firsts[pid] = shorten(plain[pid], firsts[pid]) if shorten is \
                        _first_and_last else plain[pid]
        return firsts

    def name(self, pid: str) -> str:
        """The name used in questions: the first name, or the full name where two share it."""
        return self._names[pid]

    def kin(self, pid: str) -> Kin:
        return self._kin[pid]

    def label(self, pid: str, audience: str) -> str:
        """How a question names ``pid``, for the family, the child or supervision.

        The family and the child hear "Mum" where only one person is Mum; supervision
        hears "Maya's mum Leanne"; anyone else is "Maya's uncle Craig" (family and
        supervision) or "your uncle Craig" (child).
        """
        key = (pid, audience)
        if key not in self._labels:
            self._labels[key] = self._label(pid, audience)
        return self._labels[key]

    def _label(self, pid: str, audience: str) -> str:
        name = self.name(pid)
        if pid == self.focus:
            return "you" if audience == "child" else name
        term = self._kin[pid].term
        if not term:
            return name
        whose = "your" if audience == "child" else f"{self.name(self.focus)}'s"
        word = term.lower()
        if word in self._unique_words and audience != "supervision":
            return word.capitalize()
        if term.lower().startswith("the "):
            return name  # a long way round is said by name, never in brackets
        owner = re.match(r"^([\w\-]+)'s?\s+(.*)$", term)
        if owner:
            who = owner.group(1).lower()
            if who in self._household_words:
                if who in self._unique_words and audience != "supervision":
                    return f"{who.capitalize()}'s {owner.group(2)} {name}"
                return f"{whose} {term} {name}"
            if who in self._names_lower:  # someone else's relative: "Keon's dad Andre"
                return f"{term} {name}"
            if len(term.split()) > 3:
                return name
            return f"{whose} {term} {name}"  # "Arthur's wife's mum Eleanor"
        if len(term.split()) > 2:
            return name
        return f"{whose} {term} {name}"

    def short(self, pid: str, audience: str) -> str:
        """A second mention of ``pid`` in the same question: "Mum", or the first name."""
        if pid == self.focus and audience == "child":
            return "you"
        word = self._kin[pid].term.lower()
        if word in self._unique_words and audience != "supervision" and pid != self.focus:
            return word.capitalize()
        return self.name(pid)

    def pronouns(self, pid: str, audience: str = "family") -> tuple[str, str, str]:
        """(subject, object, possessive) for ``pid``: from their recorded pronouns, else
        from their sex ("he", "she"); "they" for a man or a woman only when recorded as
        their wish, and for anyone whose sex is not recorded. The child asked is "you".

        >>> from systemic.cases import Case, Person
        >>> cast = Cast(Case(id="c", title="t", fictional=True, people=[
        ...     Person(id="a", name="A", sex="male"),
        ...     Person(id="b", name="B", sex="female", pronouns="they/them")]), "a")
        >>> cast.pronouns("a"), cast.pronouns("b"), cast.pronouns("a", "child")
        (('he', 'him', 'his'), ('they', 'them', 'their'), ('you', 'you', 'your'))
        """
        if pid == self.focus and audience == "child":
            return ("you", "you", "your")
        person = self.people[pid]
        said = (person.pronouns or "").lower().replace(" ", "")
        for start, words in (("she", ("she", "her", "her")), ("he", ("he", "him", "his")),
                             ("they", ("they", "them", "their")),
                             ("ze", ("ze", "zir", "zir")), ("xe", ("xe", "xem", "xyr"))):
            if said.startswith(start):
                return words
        return {"female": ("she", "her", "her"), "male": ("he", "him", "his")}.get(
            person.sex, ("they", "them", "their"))

    def possessive(self, pid: str) -> str:
        return f"{self.name(pid)}'s"

    def their(self, pid: str) -> str:
        """The possessive pronoun for ``pid``: from their pronouns if given, else "their"
        unless their sex says "his" or "her"."""
        person = self.people[pid]
        said = (person.pronouns or "").lower().replace(" ", "")
        for start, word in (("she", "her"), ("he", "his"), ("they", "their"), ("ze", "zir")):
            if said.startswith(start):
                return word
        return {"female": "her", "male": "his"}.get(person.sex, "their")

    def second_mentions(self, text: str) -> str:
        """After the child is first named, "Maya's" in a label becomes "her":
        "What do Elijah and his step-dad Marek fall out about?" rather than "… and
        Elijah's step-dad Marek …". Quoted chronology text is left as written.
        """
        name = self.name(self.focus)
        if text.count(name) < 2:
            return text
        parts = re.split(r"(‘[^’]*’)", text)
        seen = False
        for i, part in enumerate(parts):
            if part.startswith("‘"):
                continue
            out, pos = [], 0
            for m in self._focus_name.finditer(part):
                if seen and m.group(1):
                    out.append(part[pos:m.start()] + self.their(self.focus))
                    pos = m.end()
                seen = True
            parts[i] = "".join(out) + part[pos:]
        return "".join(parts)

    # ------------------------------------------------------------ age, life, closeness
    def age(self, pid: str) -> int | None:
        born = self.people[pid].born
        if born is None:
            return None
        end = self.people[pid].died
        return (end.year if end is not None else self.year) - born.year

    def living(self, pid: str) -> bool:
        """A living person (not a pregnancy, a loss of a pregnancy, or a pet).

        Someone born more than 110 years ago with no death recorded (common in family
        trees) is not taken to be alive, nor spoken of as dead.
        """
        p = self.people[pid]
        if p.kind != "person" or p.has_died:
            return False
        return p.born is None or self.year - p.born.year <= _OLDEST

    def dead(self, pid: str) -> bool:
        p = self.people[pid]
        return p.kind == "person" and p.has_died

    def minor(self, pid: str, adult_age: int = 18) -> bool:
        age = self.age(pid)
        if age is not None:
            return age < adult_age
        if self.children.get(pid) or self.partners.get(pid):
            return False  # a partner or children of their own: taken to be an adult
        if pid == self.focus:
            return True
        return self._kin[pid].category in _YOUNG_CATEGORIES

    def can_be_asked(self, child_min_age: int, adult_age: int) -> bool:
        """Whether the focal person can be asked the child-friendly questions: living, and
        of an age to answer; with no birth date, only if the case names them as the
        focal child and nothing says they are an adult."""
        focus = self.focus
        if not self.living(focus):
            return False
        age = self.age(focus)
        if age is not None:
            return child_min_age <= age < adult_age
        return focus == self.case.focal_child and self.minor(focus, adult_age)

    def _score(self, pid: str) -> float:
        if pid == self.focus:
            return 1.0
        kin = self._kin[pid]
        score = self._salience_of.get(kin.category, self._salience_of["unknown"])
        if self.is_current_carer(pid):
            score = max(score, self._salience_of["carer"] - 0.05)
        if set(self.households_of.get(pid, ())) & set(self.households_of.get(self.focus, ())):
            score += self._bonus["same_household"]
        if pid in self.lines_with_focus:
            score += self._bonus["line_with_child"]
        if pid in self.events_with_focus:
            score += self._bonus["shared_event"]
        return min(score, 1.0)

    def salience(self, pid: str) -> float:
        """How close ``pid`` is to the focal child, 0–1 (``labels.yaml`` sets the weights)."""
        return self._salience[pid]

    def is_current_carer(self, pid: str) -> bool:
        return any(p == pid and current for p, _, current in self.parent_links.get(self.focus, ()))

    # ------------------------------------------------------------ who can fill a role
    def ranked(self, ids: Any) -> list[str]:
        """``ids`` closest to the child first (ties in the order of the case file)."""
        return sorted(set(ids), key=lambda pid: (-self._salience[pid], self._order[pid]))

    def carers(self, adult_age: int = 18) -> list[str]:
        """Living adults who look after the child now.

        Current parents of any kind, and the adults of the child's household who are
        family or a parent's partner. Where the case records the child's households,
        only carers who live with the child (in any of their homes) count: a parent
        in prison or far away is a parent, not the person putting them to bed.
        """
        focus_homes = set(self.households_of.get(self.focus, ()))
        linked = {p for p, _, current in self.parent_links.get(self.focus, ()) if current}
        home_adults = {
            pid
            for pid in self.people
            if set(self.households_of.get(pid, ())) & focus_homes
            and self._kin[pid].category not in ("unknown", "other_named", "self")
        }
        by_role = {
            pid for pid, k in self._kin.items()
            if k.from_role and k.category in ("parent", "carer", "step_parent", "parent_partner")
        }
        pool = linked | home_adults | by_role
        if focus_homes:
            pool = {pid for pid in pool if set(self.households_of.get(pid, ())) & focus_homes}
        return self.ranked(
            pid for pid in pool
            if pid != self.focus and self.living(pid) and not self.minor(pid, adult_age)
        )

    def siblings(self) -> list[str]:
        kinds = ("sibling", "twin", "half_sibling", "step_sibling")
        return self.ranked(
            pid for pid, k in self._kin.items()
            if k.category in kinds and self.living(pid) and pid != self.focus
        )

    def adults(self, adult_age: int = 18, floor: float = 0.3) -> list[str]:
        """Living adults who matter to the child (closer than a distant relative)."""
        return self.ranked(
            pid for pid in self.people
            if pid != self.focus and self.living(pid) and not self.minor(pid, adult_age)
            and self._salience[pid] >= floor
        )

    def relatives(self, floor: float = 0.3) -> list[str]:
        return self.ranked(
            pid for pid in self.people
            if pid != self.focus and self.living(pid) and self._salience[pid] >= floor
        )

    def lost(self, floor: float = 0.3) -> list[str]:
        """People who have died and who matter to the child or to someone living."""
        on_lines = {x for r in self.case.relationships for x in (r.from_, r.to)}
        return self.ranked(
            pid for pid in self.people
            if self.dead(pid) and (self._salience[pid] >= floor or pid in on_lines)
        )
