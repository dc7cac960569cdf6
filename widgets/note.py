"""The last step: the note for the child's file, its exports, and the check-out.

The supervisor writes a short draft (summary, the child's voice, decisions
with reasons, the review date); the rest of the note comes from the session
(``systemic.note.build_note``). A live preview shows the note as it will be
exported, with any jargon marked and a kinder alternative beside it. Exports
are explicit: one button per format, into a folder the supervisor chooses
(their Documents folder by default, never inside the workbook's own files).
The check-out shows the framework's closing questions and ends the session;
check-ins are deleted then unless the supervisor chooses to keep them.

>>> from systemic.note import NoteDocument, NoteSection
>>> doc = NoteDocument("Notes", ("Hello <Maya>",), (NoteSection("s", "Ideas", ("She is LAC.",)),),
...                    ())
>>> html = note_preview_html(doc)
>>> "&lt;Maya&gt;" in html and "<mark" in html
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import ipywidgets as ipw
from pydantic import ValidationError

from systemic.checkin import ending_words
from systemic.checkin import load_entries as load_checkin_entries
from systemic.errors import WorkbookError
from systemic.export import default_filename, write_new_file, write_note
from systemic.genogram.export import genogram_svg
from systemic.html_templates import Markup, render
from systemic.hypotheses import load_hypotheses
from systemic.jargon import jargon_findings
from systemic.note import (
    Decision,
    NoteDocument,
    NoteDraft,
    build_note,
    load_draft,
    note_document,
    note_jargon,
    save_draft,
)
from systemic.paths import PROJECT_ROOT
from systemic.plan import long_date
from systemic.session import SupervisorSession
from systemic.vocabularies import load_checkin_prompts
from widgets.download import download_html
from widgets.step_base import STORE_ERRORS, StepWidget, not_saved_text
from widgets.step_panel import (
    alert,
    child_name,
    clip,
    in_step,
    open_step,
    problem_text,
    prompt_html,
    status,
    subheading,
)
from widgets.uk_date import UKDatePicker

__all__ = [
    "EXPORT_BUTTONS",
    "default_export_folder",
    "export_folder_problem",
    "marked_html",
    "note_preview_html",
    "jargon_html",
    "NotePanel",
    "CheckOutPanel",
    "note_step",
    "check_out",
]

#: The export buttons, in the order shown: format and the words on the button.
EXPORT_BUTTONS: tuple[tuple[str, str], ...] = (
    ("docx", "Download and save as Word (DOCX)"),
    ("md", "Download and save as Markdown"),
    ("html", "Download and save as a web page (HTML)"),
)

_STYLE = {"description_width": "14rem"}
_WIDE = ipw.Layout(width="44rem")
_BOX = ipw.Layout(width="44rem", height="5rem")
_BUTTON = ipw.Layout(width="max-content")
#: What an ended session says, on every step that would change it.
ENDED_HOW = ("Nothing in it can be changed now. To carry on, press Reopen the session "
             "(here, or at the start of the session notebook).")
_ROW = ipw.Layout(border="1px solid #5f6368", padding="0.4rem", margin="0.3rem 0")


def default_export_folder() -> Path:
    """Where notes are saved unless the supervisor chooses elsewhere: ``~/Documents``."""
    return Path.home() / "Documents"


def export_folder_problem(folder: Path) -> str | None:
    """Why a folder will not do for a note about a child, or None when it will.

    The workbook's own folders may be shared or published (notebooks are in
    version control), so a note is never written inside them.

    >>> export_folder_problem(PROJECT_ROOT / "notebooks") is not None
    True
    >>> export_folder_problem(Path.home() / "Documents") is None
    True
    """
    try:
        inside = folder.expanduser().resolve().is_relative_to(PROJECT_ROOT.resolve())
    except OSError:
        inside = False
    if inside:
        return (
            f"{folder} is inside the workbook's own files, which may be shared — choose a "
            "folder of your own, such as your Documents folder."
        )
    if folder.exists() and not folder.is_dir():
        return f"{folder} is a file, not a folder — choose a folder to save the note in."
    return None


def marked_html(text: str) -> str:
    """Text escaped, with each jargon term marked and its kinder alternative in the tooltip.

    >>> print(marked_html("Respite & <rest>"))  # doctest: +NORMALIZE_WHITESPACE
    <mark title="Instead: &#34;a short break&#34; or &#34;a sleepover&#34;">Respite</mark>
    &amp; &lt;rest&gt;
    """
    parts: list[tuple[str, str | None]] = []
    at = 0
    for finding in jargon_findings(text):
        parts.append((text[at:finding.start], None))
        parts.append((text[finding.start:finding.end], finding.suggestion))
        at = finding.end
    parts.append((text[at:], None))
    return render("widgets/note/marked.html.j2", parts=parts)


def note_preview_html(document: NoteDocument) -> str:
    """The note as the exports will say it, escaped, jargon marked."""
    def marked(texts: Iterable[str]) -> list[Markup]:
        return [Markup(marked_html(text)) for text in texts]

    sections = [
        (Markup(marked_html(s.title)), marked(s.paragraphs), marked(s.items))
        for s in document.sections
    ]
    return render(
        "widgets/note/preview.html.j2", title=Markup(marked_html(document.title)),
        intro=marked(document.intro), sections=sections, closing=marked(document.closing),
    )


def jargon_html(document: NoteDocument) -> str:
    """The jargon check: each term found, where, and a kinder way to say it."""
    findings = [
        (f.finding.text, f.section, f.finding.suggestion) for f in note_jargon(document)
    ]
    return render("widgets/note/jargon.html.j2", findings=findings)


def _area(description: str, value: str = "", placeholder: str = "") -> ipw.Textarea:
    return ipw.Textarea(
        value=value, description=description, placeholder=placeholder,
        continuous_update=False, style=_STYLE, layout=_BOX,
    )


class _DecisionRow:
    def __init__(
        self, decision: Decision, changed: Callable[[object], None],
        remove: Callable[[_DecisionRow], None],
    ):
        self.decision = _area("Decision", decision.decision, "What was decided")
        self.reason = _area("Why", decision.reason, "The reason, in plain words")
        self.remove = ipw.Button(description="Remove this decision", layout=_BUTTON)
        self.remove.on_click(lambda _b: remove(self))
        for field in (self.decision, self.reason):
            field.observe(changed, names="value")
        self.box = ipw.VBox([self.decision, self.reason, self.remove], layout=_ROW)

    def value(self) -> Decision | None:
        if not self.decision.value.strip():
            return None
        return Decision(decision=self.decision.value.strip(), reason=self.reason.value.strip())


class NotePanel(StepWidget):
    """The draft, a live preview with the jargon check, and the export buttons."""

    def __init__(self, session: SupervisorSession, folder: Path | str | None = None):
        super().__init__(session)
        self.case = session.case
        self.child = child_name(self.case)
        draft = load_draft(self.store, self.discussion_id)
        self._draft_id = draft.id
        self._approved_by = draft.approved_by
        self._address_chosen = draft.address_child is not None
        self._build_draft(draft)
        self._build_ideas(draft)
        self._build_decisions(draft)
        self.address_child.observe(self._address_changed, names="value")
        for field in (self.question, self.summary, self.child_voice, self.review_date,
                      self.author, *(box for _, box in self.ideas)):
            field.observe(self._changed, names="value")

        self.preview = ipw.HTML()
        self.jargon = ipw.HTML()
        self.refresh = ipw.Button(description="Refresh the preview", layout=_BUTTON)
        self.refresh.on_click(lambda _b: self.show_preview())
        self.message = ipw.HTML()
        self._build_exports(folder)
        self.intro = ipw.HTML(self._intro_html())
        self.show_preview()

    def _build_draft(self, draft: NoteDraft) -> None:
        """The supervisor's own words: whom it is written to, the question, summary, voice."""
        asks = bool(self.framework.note_for_child_file.written_to_child)
        self.address_child = ipw.Checkbox(
            value=draft.address_child if draft.address_child is not None else asks,
            description=f"Write the note to {self.child}, as a letter", indent=False,
        )
        self.question = _area(
            "The question brought",
            draft.question if draft.question is not None else self.case.question,
        )
        self.summary = _area(
            "Summary", draft.summary, "A few plain sentences about what the group talked about"
        )
        self.child_voice = _area(
            f"{self.child}'s voice", draft.child_voice,
            f"What {self.child} has said or shown, and how it shaped the discussion",
        )
        self.review_date = UKDatePicker(
            value=draft.review_date, description="Review date", style=_STYLE,
            layout=ipw.Layout(width="24rem"),
        )
        self.author = ipw.Text(
            value=draft.author, description="Written by", continuous_update=False,
            style=_STYLE, layout=_WIDE,
        )

    def _build_ideas(self, draft: NoteDraft) -> None:
        """One tick box for each active idea: on the file unless the supervisor unticks it."""
        hypotheses = load_hypotheses(self.store, self.discussion_id, "active")
        shown = {h.id for h in hypotheses}
        self._left_out_elsewhere = [i for i in draft.leave_out if i not in shown]
        self.ideas = [
            (h.id, ipw.Checkbox(
                value=h.id not in draft.leave_out, indent=False,
                description=f"On the file: {clip(h.text, 80)}", layout=ipw.Layout(width="60rem"),
            ))
            for h in hypotheses
        ]

    def _build_decisions(self, draft: NoteDraft) -> None:
        """The decisions with their reasons, a row each, and a button to add one."""
        self.decision_rows = [
            _DecisionRow(d, self._changed, self._remove_decision) for d in draft.decisions
        ]
        self.decisions_box = ipw.VBox([r.box for r in self.decision_rows])
        self.add_decision = ipw.Button(description="Add a decision", layout=_BUTTON)
        self.add_decision.on_click(self._new_decision)

    def _build_exports(self, folder: Path | str | None) -> None:
        """The folder to save in, a button per format, and the genogram's download."""
        self.folder = ipw.Text(
            value=str(Path(folder) if folder is not None else default_export_folder()),
            description="Save notes in this folder", continuous_update=False,
            style=_STYLE, layout=_WIDE,
        )
        self.export_buttons: dict[str, ipw.Button] = {}
        for fmt, words in EXPORT_BUTTONS:
            button = ipw.Button(description=words, layout=_BUTTON)
            button.on_click(lambda _b, f=fmt: self.export(f))
            self.export_buttons[fmt] = button
        self.saved = ipw.HTML()
        self.genogram_button = ipw.Button(description="Download the genogram (SVG)",
                                          layout=_BUTTON)
        self.genogram_button.on_click(lambda _b: self.download_genogram())
        self.download = ipw.HTML()

    def _intro_html(self) -> str:
        note = self.framework.note_for_child_file
        return in_step(
            prompt_html(self.framework.prompt("note"), self.child)
            + render("widgets/note/intro.html.j2", guidance=note.guidance,
                     template=note.template or "")
        )

    # -- the draft --
    def draft(self) -> NoteDraft:
        """The draft as the form shows it."""
        question = self.question.value.strip()
        unchanged = question == (self.case.question or "").strip()
        return NoteDraft(
            id=self._draft_id,
            summary=self.summary.value.strip(),
            question=None if unchanged else question,
            child_voice=self.child_voice.value.strip(),
            decisions=[d for d in (r.value() for r in self.decision_rows) if d is not None],
            review_date=self.review_date.value,
            author=self.author.value.strip(),
            approved_by=self._approved_by,
            address_child=self.address_child.value if self._address_chosen else None,
            leave_out=[*self._left_out_elsewhere,
                       *(i for i, box in self.ideas if not box.value)],
        )

    def _address_changed(self, change: object = None) -> None:
        self._address_chosen = True
        self._changed(change)

    def _changed(self, _change: object = None) -> None:
        # Under ipykernel 7 callbacks may run on a comm thread: one save at a time.
        with self._lock:
            try:
                saved = save_draft(self.store, self.discussion_id, self.draft())
            except (WorkbookError, ValidationError, ValueError) as e:
                self.message.value = alert(problem_text(e))
                return
            self._draft_id = saved.id
            self.message.value = status("Saved.")
            self.show_preview()

    def _new_decision(self, _button: object = None) -> None:
        with self._lock:
            self.decision_rows.append(
                _DecisionRow(Decision(decision=""), self._changed, self._remove_decision)
            )
            self.decisions_box.children = [r.box for r in self.decision_rows]

    def _remove_decision(self, row: _DecisionRow) -> None:
        with self._lock:
            self.decision_rows.remove(row)
            self.decisions_box.children = [r.box for r in self.decision_rows]
            self._changed()

    # -- the note --
    def document(self) -> NoteDocument:
        """The note as it stands in the store, headed and worded as every export will be."""
        return note_document(build_note(self.store, self.discussion_id))

    def show_preview(self) -> None:
        try:
            document = self.document()
        except STORE_ERRORS as e:
            self.preview.value = alert(problem_text(e))
            self.jargon.value = ""
            return
        self.preview.value = note_preview_html(document)
        self.jargon.value = jargon_html(document)

    def export(self, fmt: str) -> Path | None:
        """Write the note in ``fmt`` into the chosen folder; show and return the file's path."""
        with self._lock:
            folder = Path(self.folder.value.strip() or default_export_folder()).expanduser()
            problem = export_folder_problem(folder)
            if problem:
                self.saved.value = alert(problem)
                return None
            try:
                folder.mkdir(parents=True, exist_ok=True, mode=0o700)
                note = build_note(self.store, self.discussion_id)
                path = write_note(note, fmt, folder)
            except OSError as e:
                self.saved.value = alert(
                    f"The note could not be saved in {folder} ({e.strerror or e}) — choose "
                    "another folder."
                )
                return None
            except STORE_ERRORS as e:
                self.saved.value = alert(problem_text(e))
                return None
            self.saved.value = render("widgets/note/saved.html.j2", path=str(path))
            self.download.value = render("widgets/note/download.html.j2", saved="", link=Markup(
                download_html(path.read_bytes(), path.name,
                              f"Download {path.name} to this computer")))
            return path

    def download_genogram(self) -> str:
        """Offer the genogram as an SVG download named by case, date and time; save it too."""
        with self._lock:
            try:
                note = build_note(self.store, self.discussion_id)
                svg = genogram_svg(self.session.case).encode("utf-8")
                name = default_filename(note, "svg", kind="genogram")
                folder = Path(self.folder.value.strip() or default_export_folder()).expanduser()
                saved = ""
                if export_folder_problem(folder) is None:
                    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
                    path = write_new_file(folder / name, svg)
                    name = path.name
                    saved = str(path)
            except STORE_ERRORS as e:
                self.saved.value = alert(problem_text(e))
                return ""
            self.download.value = render("widgets/note/download.html.j2", saved=saved, link=Markup(
                download_html(svg, name, f"Download {name} to this computer")))
            return name

    def view(self) -> ipw.VBox:
        ideas: list[ipw.Widget] = []
        if self.ideas:
            ideas = [
                ipw.HTML(render("widgets/note/ideas_heading.html.j2")),
                *(box for _, box in self.ideas),
            ]
        return ipw.VBox([
            self.intro, self.address_child, self.question, self.summary, self.child_voice,
            *ideas,
            ipw.HTML(subheading("Decisions and why")), self.decisions_box, self.add_decision,
            self.review_date, self.author, self.message,
            ipw.HTML(subheading("The note as it will be saved")), self.refresh, self.preview,
            self.jargon,
            ipw.HTML(subheading("Save the note")), self.folder,
            ipw.HBox([*self.export_buttons.values(), self.genogram_button]), self.saved,
            self.download,
        ])


class CheckOutPanel(StepWidget):
    """The closing round's questions, and ending the session (check-ins deleted unless kept).

    Once ended, the session takes no more changes (the store refuses them, and every step
    says so in one line); "Reopen the session" here, or at the start of the notebook, opens
    it again.
    """

    def __init__(self, session: SupervisorSession):
        super().__init__(session)
        info, framework = self.session_info, self.framework
        self.questions = list(framework.check_in.check_out_questions) or [
            p.text for p in load_checkin_prompts().check_out()
        ]
        self.intro = ipw.HTML(in_step(
            render("widgets/note/check_out.html.j2", questions=self.questions)))
        self.keep_checkin = ipw.Checkbox(
            value=False, description="Keep the check-ins after the session", indent=False
        )
        self.end = ipw.Button(description="End the session", layout=_BUTTON)
        self.end.on_click(self._end)
        self.reopen = ipw.Button(description="Reopen the session",
                                 layout=ipw.Layout(width="max-content"),
                                 tooltip="Open the session again so that it can be changed")
        self.reopen.on_click(self._reopen)
        self.message = ipw.HTML()
        self._show_state(
            f"This session ended on {long_date(info.ended.date())}. {ENDED_HOW}"
            if info.ended else "")

    def _show_state(self, said: str) -> None:
        ended = self.store.session(self.session.session_id).ended is not None
        self.end.disabled = ended
        self.keep_checkin.disabled = ended
        self.reopen.layout.display = "" if ended else "none"
        self.message.value = status(said) if said else ""

    def _end(self, _button: object = None) -> None:
        with self._lock:
            keep = self.keep_checkin.value
            try:
                entries = load_checkin_entries(self.store, self.session.session_id)
                self.store.end_session(self.session.session_id, keep_checkin=keep)
            except STORE_ERRORS as e:
                self.message.value = alert(not_saved_text(e, typed=False))
                return
            self._show_state(f"The session has ended. {ending_words(entries, keep)} "
                             f"Thank you, everyone. {ENDED_HOW}")

    def _reopen(self, _button: object = None) -> None:
        with self._lock:
            try:
                self.store.reopen_session(self.session.session_id)
            except STORE_ERRORS as e:
                self.message.value = alert(not_saved_text(e, typed=False))
                return
            self._show_state("The session is open again: changes are saved as before.")

    def view(self) -> ipw.VBox:
        return ipw.VBox([self.intro, self.keep_checkin, ipw.HBox([self.end, self.reopen]),
                         self.message])


def note_step(folder: Path | str | None = None) -> ipw.Widget:
    """The note for the child's file for the session in progress (the newest in the store)."""
    return open_step(NotePanel, "note", folder)


def check_out() -> ipw.Widget:
    """The check-out and the end of the session in progress."""
    return open_step(CheckOutPanel, "note")
