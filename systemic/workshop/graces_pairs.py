"""Exercise (c): a Social GRRAACCEESS self-map in pairs, and where the partners differ.

Two participants each place some of their own graces in Burnham's grid (seen or not,
spoken about or not), as :class:`~systemic.graces.GraceEntry` records. The check says
which graces each of them mapped, which both did, and, where both mapped the same
grace, how their places differ, using the same sentence as the supervision step's
:func:`systemic.graces.differences`. A self-map is personal: it is kept in memory only,
never in the store, and reset clears it.

>>> pair = GracesPair("Sam", "Jo")
>>> pair.place("Sam", "age", visible=True, voiced=False)
>>> pair.place("Jo", "age", visible=True, voiced=True)
>>> pair.place("Jo", "class", visible=False, voiced=False)
>>> check = pair.check()
>>> check.both, check.only_second
(('age',), ('class',))
>>> print(check.lines[2])
You both mapped Age.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from systemic.errors import WorkbookError
from systemic.graces import GraceEntry, GraceList, differences, fill_blanks
from systemic.workshop.data import PairsWording, load_wording

__all__ = ["PairCheck", "compare_self_maps", "GracesPair"]


@dataclass(frozen=True)
class PairCheck:
    """What two self-maps hold and where they differ, as grace ids and sentences."""

    first: str
    second: str
    mapped_first: tuple[str, ...]
    mapped_second: tuple[str, ...]
    both: tuple[str, ...]
    only_first: tuple[str, ...]
    only_second: tuple[str, ...]
    differences: tuple[str, ...]
    lines: tuple[str, ...]
    done: bool


def _listed(labels: list[str]) -> str:
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def _mapped(entries: list[GraceEntry], who: str) -> list[str]:
    return list(dict.fromkeys(e.grace for e in entries if e.person == who and e.placed))


def compare_self_maps(
    first: str,
    second: str,
    entries: list[GraceEntry],
    graces: GraceList | None = None,
    wording: PairsWording | None = None,
) -> PairCheck:
    """Compare two partners' self-maps (their entries, ``person`` being each one's name).

    Only graces placed in the grid (both seen/not seen and spoken/not spoken) count as
    mapped. The pair is done when each has mapped at least ``minimum`` graces.
    """
    words = wording or load_wording().graces_pairs
    grace_list = graces or GraceList()
    mine, theirs = _mapped(entries, first), _mapped(entries, second)
    both = [g for g in mine if g in theirs]
    only_first = [g for g in mine if g not in theirs]
    only_second = [g for g in theirs if g not in mine]

    def labels(ids: list[str]) -> str:
        return _listed([grace_list.label(g) for g in ids])

    lines: list[str] = []
    for who, ids in ((first, mine), (second, theirs)):
        if ids:
            lines.append(fill_blanks(words.mapped, who=who, count=str(len(ids)),
                                     graces=labels(ids)))
        else:
            lines.append(fill_blanks(words.mapped_none, who=who))
    if both:
        lines.append(fill_blanks(words.both, graces=labels(both)))
    for who, ids in ((first, only_first), (second, only_second)):
        if ids:
            lines.append(fill_blanks(words.only, who=who, graces=labels(ids)))
    placed = [e for e in entries if e.placed]
    found = differences(placed, worker=first, against=[second], graces=grace_list,
                        names={first: first, second: second})
    sentences = tuple(d.sentence for d in found if d.grace in both)
    lines.extend(sentences)
    if both and not sentences:
        lines.append(words.same_places)
    done = len(mine) >= words.minimum and len(theirs) >= words.minimum
    lines.append(words.done if done else fill_blanks(words.not_yet, minimum=str(words.minimum)))
    return PairCheck(first, second, tuple(mine), tuple(theirs), tuple(both),
                     tuple(only_first), tuple(only_second), sentences, tuple(lines), done)


@dataclass
class GracesPair:
    """Two partners' self-maps, held in memory only (never saved), which can be reset."""

    first: str
    second: str
    entries: list[GraceEntry] = field(default_factory=list)
    graces: GraceList = field(default_factory=GraceList)

    def __post_init__(self) -> None:
        words = load_wording().graces_pairs
        self.first = (self.first or "").strip()
        self.second = (self.second or "").strip()
        if not self.first or not self.second or max(len(self.first), len(self.second)) > 40:
            raise WorkbookError(words.names_needed)
        if self.first.casefold() == self.second.casefold():
            raise WorkbookError(fill_blanks(words.same_names, who=self.first))

    def _partner(self, who: str) -> str:
        for name in (self.first, self.second):
            if (who or "").strip().casefold() == name.casefold():
                return name
        words = load_wording().graces_pairs
        raise WorkbookError(fill_blanks(words.unknown_partner, who=(who or "").strip(),
                                        first=self.first, second=self.second))

    def place(self, who: str, grace: str, *, visible: bool | None, voiced: bool | None,
              note: str = "") -> None:
        """Put (or move) one of ``who``'s graces in the grid.

        Raises
        ------
        WorkbookError
            When ``who`` is not one of the pair or the grace is not on the list.
        """
        person = self._partner(who)
        if grace not in self.graces.ids():
            raise WorkbookError(fill_blanks(load_wording().graces_pairs.unknown_grace,
                                            grace=grace))
        entry = GraceEntry(person=person, grace=grace, visible=visible, voiced=voiced,
                           note=note, staff=True)
        self.entries = [e for e in self.entries if (e.person, e.grace) != (person, grace)]
        self.entries.append(entry)

    def remove(self, who: str, grace: str) -> None:
        """Take one of ``who``'s graces off the map."""
        person = self._partner(who)
        self.entries = [e for e in self.entries if (e.person, e.grace) != (person, grace)]

    def check(self) -> PairCheck:
        return compare_self_maps(self.first, self.second, self.entries, self.graces)

    @property
    def done(self) -> bool:
        return self.check().done

    def reset(self) -> None:
        """Clear both self-maps."""
        self.entries = []
