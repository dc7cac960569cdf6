"""``systemic-workbook export SESSION --format docx|md|html``: write the note for the child's file.

The store is opened read-only: exporting never changes a session. After
writing, the jargon check lists any professional terms in the note with a
kinder alternative, so the supervisor can reword them before the note goes on
the file. Every error is one plain line and exit status 2.

>>> import argparse
>>> parser = argparse.ArgumentParser(prog="export")
>>> add_arguments(parser)
>>> parser.parse_args(["abc", "--format", "md"]).format
'md'
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from systemic.errors import WorkbookError
from systemic.export import FORMATS, default_filename, write_note

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the export command's arguments to ``parser`` (a subcommand's parser)."""
    parser.add_argument("session", metavar="SESSION", help="the session's id (see `sessions`)")
    parser.add_argument(
        "--format", choices=FORMATS, default=None,
        help="docx (default, or as --out's file name ends), md or html",
    )
    parser.add_argument(
        "--out", metavar="PATH",
        help="the file to write, or a folder to write it in (default: the current folder)",
    )
    parser.add_argument(
        "--store",
        help="session store: a file, or a postgresql:// address (default: "
        "$SYSTEMIC_WORKBOOK_STORE or a file in your user data folder)",
    )
    parser.add_argument(
        "--case", metavar="CASE_ID", help="which case, when the session discussed more than one"
    )


def _err(message: str) -> int:
    print(f"systemic-workbook: {message}", file=sys.stderr)
    return 2


#: What a file name's ending says its format is.
_ENDINGS = {".docx": "docx", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
_KINDS = {"docx": "Word", "md": "Markdown", "html": "web page"}


def note_format(given: str | None, out: str | None) -> str:
    """The format to write: as given, else as ``--out``'s file name ends, else DOCX. A
    format that contradicts the file name is refused (Word cannot open a web page
    named ``note.docx``).

    >>> note_format(None, "note.md"), note_format(None, None), note_format("html", "n.html")
    ('md', 'docx', 'html')
    >>> note_format("html", "note.docx")
    Traceback (most recent call last):
    ...
    systemic.errors.WorkbookError: --out note.docx is a Word file name but --format is html — \
name the file note.html, or leave --format out
    """
    ending = _ENDINGS.get(Path(out).suffix.lower()) if out else None
    if given and ending and given != ending:
        name = Path(out or "").name
        raise WorkbookError(
            f"--out {name} is a {_KINDS[ending]} file name but --format is {given} — name "
            f"the file {Path(name).stem}.{given}, or leave --format out")
    return given or ending or "docx"


def run(args: argparse.Namespace) -> int:
    """Write the note; print where, and any jargon to reword. Returns the exit status."""
    from systemic.note import note_document, note_for_session, note_jargon
    from systemic.store import Store
    from systemic.store.location import resolve_store

    try:
        store_path = resolve_store(args.store)
    except WorkbookError as e:
        return _err(str(e))
    if store_path.path is not None and not store_path.path.is_file():
        return _err(f"no session store at {store_path} — give the right file with --store")
    try:
        args.format = note_format(args.format, args.out)
        with Store.open(store_path, readonly=True) as store:
            note = note_for_session(store, args.session, getattr(args, "case", None))
        target = Path(args.out).expanduser() if args.out else Path.cwd()
        if args.out and args.out.endswith(("/", os.sep)) and not target.is_dir():
            # A folder was meant: never a file named like it, with no extension.
            return _err(f"cannot write in {target}: that folder does not exist — make it "
                        "first, or give a folder that does")
        if not target.is_dir() and not target.parent.is_dir():
            return _err(f"cannot write {target}: the folder {target.parent} does not exist")
        if target.is_dir():
            target = target / default_filename(note, args.format)
        written = write_note(note, args.format, target)
    except WorkbookError as e:
        return _err(str(e).splitlines()[0] if str(e) else type(e).__name__)
    except OSError as e:
        return _err(f"cannot write the note: {e.strerror or e}")
    print(f"Wrote the note for the child's file: {written}")
    document = note_document(note)
    findings = note_jargon(document)
    if findings:
        print("Before it goes on the file, think about rewording:")
        for f in findings:
            print(f'  "{f.finding.text}" ({f.section}): {f.finding.suggestion}')
    if note.addressed_to_child and note.child_age is not None:
        from systemic.letter import hard_sentences

        hard = hard_sentences(document, note.child_age)
        if hard:
            print(f"Hard for a {note.child_age}-year-old to read; say it more simply:")
            for h in hard:
                print(f'  "{h.sentence}" ({h.section})')
    return 0
