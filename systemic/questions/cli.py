"""``systemic-workbook questions CASE_FILE``: circular questions for a case, at the terminal.

The lead's ``systemic/cli.py`` wires this in as a subcommand with
:func:`add_arguments` and :func:`run`. A bad case file or an unknown person is one
line on stderr and exit status 2, never a traceback.

>>> import argparse
>>> parser = argparse.ArgumentParser()
>>> add_arguments(parser)
>>> args = parser.parse_args(["case.yaml", "--focus", "maya", "--json"])
>>> args.focus, args.json, args.limit, args.all
('maya', True, 12, False)
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from systemic.cases import Case, load_case
from systemic.errors import DataFileError, ImpossibleFamily
from systemic.questions.bank import AUDIENCES, TYPES
from systemic.questions.generate import HypothesisInput, generate, left_out_notes
from systemic.questions.rank import DEFAULT_LIMIT, choose

__all__ = ["add_arguments", "run", "load_any_case"]

_AUDIENCE_WORDS = {"family": "for the family", "child": "asked of the child",
                   "supervision": "for the worker, in supervision"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``questions`` arguments to ``parser``."""
    parser.add_argument("case_file", metavar="CASE_FILE",
                        help="a case file (.yaml) or a family tree (.ged)")
    parser.add_argument("--focus", metavar="PERSON",
                        help="id of the person the questions centre on (default: the focal child)")
    parser.add_argument("--json", action="store_true",
                        help="print a JSON list of questions instead of text")
    parser.add_argument("--type", dest="types", action="append", choices=TYPES,
                        help="only this type of question (repeat for more)")
    parser.add_argument("--audience", dest="audiences", action="append", choices=AUDIENCES,
                        help="only questions for this audience (repeat for more)")
    parser.add_argument("--hypothesis", dest="hypotheses", action="append", metavar="TEXT",
                        help="a hypothesis to test, in the group's words (repeat for more)")
    parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT,
                        help=f"how many questions to show (default {DEFAULT_LIMIT})")
    parser.add_argument("--all", action="store_true",
                        help="show every question the bank makes for this family, best first")


def load_any_case(path: str | Path) -> Case:
    """A case from a case file, or from a GEDCOM family tree (``.ged``)."""
    if Path(path).suffix.lower() == ".ged":
        from systemic.genogram.gedcom import load_gedcom

        return load_gedcom(path)
    return load_case(path)


def _people_named(case: Case, text: str) -> tuple[str, ...]:
    """The people whose first name appears in ``text`` (for a typed hypothesis)."""
    words = set(re.findall(r"[A-Za-z][\w\-]*", text))
    out = []
    for p in case.people:
        first = p.name.split()[0] if p.name.split() else ""
        if p.kind == "person" and (first in words or p.id in words):
            out.append(p.id)
    return tuple(out)


def _fail(message: str) -> int:
    print(f"systemic-workbook: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    """Print the questions for ``args.case_file``; 0 on success, 2 on a bad file or person."""
    try:
        case = load_any_case(args.case_file)
    except DataFileError as e:
        problems = [str(p) for p in e.problems]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        return _fail(problems[0] + more if problems else str(e))
    except ImpossibleFamily as e:
        return _fail(f"{args.case_file}: {e}")
    focus = args.focus
    if focus is not None and focus not in case.people_by_id:
        ids = ", ".join(p.id for p in case.people[:8])
        return _fail(f"{args.case_file}: --focus: no person has id '{focus}' — "
                     f"use one of {ids}{', …' if len(case.people) > 8 else ''}")
    if args.limit < 1:
        return _fail("--limit: give a number of questions of 1 or more")
    hypotheses = [
        HypothesisInput(id=f"h{i + 1}", text=text, people=_people_named(case, text))
        for i, text in enumerate(args.hypotheses or [])
    ]
    questions = generate(case, focus=focus, hypotheses=hypotheses,
                         audiences=args.audiences or AUDIENCES)
    limit = len(questions) if args.all else args.limit
    shown = choose(questions, limit=limit, types=args.types, balance=not args.all)
    notes = left_out_notes(case, focus=focus)
    if args.json:
        print(json.dumps([q.to_json() for q in shown], indent=2, ensure_ascii=False))
        for note in notes:
            print(note, file=sys.stderr)
        return 0
    if not questions:
        # Not "0 of 0": say why there are none and what to do.
        print(f"No questions yet for {Path(args.case_file).name}: the workbook writes them "
              "from the family's people and relationships — add them to the case file "
              "first." if len(case.people) < 2 else
              f"No questions for {Path(args.case_file).name} with these choices — try "
              "without --type or --audience.")
        return 0
    who = case.people_by_id.get(focus or case.focal_child or "", None)
    title = f"Questions about {who.name}" if who else "Questions"
    how = "best first" if args.all else "mixing the kinds, two in three circular or reflexive"
    print(f"{title} ({Path(args.case_file).name}): {len(shown)} of {len(questions)}, {how}")
    for note in notes:
        print(note)
    for n, q in enumerate(shown, 1):
        kind = q.type.replace("_", " ")
        print(f"{n:3}. [{kind}, {q.subtype}; {_AUDIENCE_WORDS[q.audience]}] {q.text}")
        if q.caution:
            print(f"     {q.caution}")
    if not args.all and len(shown) < len(questions):
        print(f"Every question: add --all ({len(questions)} in all).")
    return 0
