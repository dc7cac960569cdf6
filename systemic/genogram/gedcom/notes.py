"""What an import skipped or mended, one line per kind of problem.

Real family-tree files are rarely perfect: a link to a family that was deleted, a
person listed twice, a line cut short. One bad record should never cost the rest of
the family, so the importer mends or skips it and counts it here; the user then
reads one line per kind ("2 links to missing families ignored"), not one per
record, with the first example to look at.

>>> notes = ImportNotes()
>>> notes.add("missing_family", 12)
>>> notes.add("missing_family", 40)
>>> notes.lines()
['2 links to missing families ignored (the first on line 12)']
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["ImportNotes", "KINDS"]

#: Each kind of problem: (one, many) — what was done, said for one and for several.
KINDS: dict[str, tuple[str, str]] = {
    "unreadable_line": ("1 line that could not be read skipped",
                        "{n} lines that could not be read skipped"),
    "level_jump": ("1 line more than one level below the line above skipped",
                   "{n} lines more than one level below the line above skipped"),
    "long_line": ("1 over-long line cut short", "{n} over-long lines cut short"),
    "too_many_lines": ("1 record with too many lines cut short",
                       "{n} records with too many lines cut short"),
    "duplicate_record": ("1 record skipped: its id was already used by another",
                         "{n} records skipped: their ids were already used by others"),
    "missing_family": ("1 link to a missing family ignored",
                       "{n} links to missing families ignored"),
    "missing_person": ("1 link to a missing person ignored",
                       "{n} links to missing people ignored"),
    "wrong_kind": ("1 link to the wrong kind of record ignored",
                   "{n} links to the wrong kind of record ignored"),
    "not_a_pointer": ("1 link that is not an @id@ ignored",
                      "{n} links that are not @id@s ignored"),
    "self_couple": ("1 couple of a person with themself ignored",
                    "{n} couples of a person with themself ignored"),
    "extra_partner": ("1 family has more than two partners: the first two kept",
                      "{n} families have more than two partners: the first two kept"),
    "own_parent": ("1 link making someone their own parent ignored",
                   "{n} links making someone their own parent ignored"),
    "second_birth_family": (
        "1 second birth family ignored — mark it PEDI adopted or foster if it is one",
        "{n} second birth families ignored — mark them PEDI adopted or foster if they are"),
    "no_parents": ("1 family has children but no parents: they are kept as siblings",
                   "{n} families have children but no parents: they are kept as siblings"),
    "unlikely_year": ("1 date with an unlikely year left out",
                      "{n} dates with an unlikely year left out"),
}


@dataclass
class ImportNotes:
    """Counts of what was skipped or mended, by kind, with where the first one was."""

    counts: dict[str, int] = field(default_factory=dict)
    first: dict[str, str] = field(default_factory=dict)
    extra: list[str] = field(default_factory=list)

    def add(self, kind: str, line: int | None = None, detail: str = "") -> None:
        """Count one problem of ``kind``; ``line`` and ``detail`` describe the first."""
        if kind not in KINDS:
            raise KeyError(kind)
        self.counts[kind] = self.counts.get(kind, 0) + 1
        if kind not in self.first:
            where = f"line {line}" if line else ""
            self.first[kind] = ", ".join(p for p in (detail, where) if p)

    def say(self, sentence: str) -> None:
        """A note of its own (for example about the character set)."""
        if sentence not in self.extra:
            self.extra.append(sentence)

    def lines(self) -> list[str]:
        """One line per kind, in the order of :data:`KINDS`, then the notes of their own."""
        out = []
        for kind, (one, many) in KINDS.items():
            n = self.counts.get(kind, 0)
            if not n:
                continue
            text = one if n == 1 else many.format(n=f"{n:,}")
            first = self.first.get(kind)
            if first:
                where = (f"({first})" if n == 1 else f"(the first on {first})"
                         if first.startswith("line") else f"(the first: {first})")
                done, _, fix = text.partition(" — ")
                text = f"{done} {where}" + (f" — {fix}" if fix else "")
            out.append(text)
        return out + [e[:1].upper() + e[1:] for e in self.extra]
