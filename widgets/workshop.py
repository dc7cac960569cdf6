"""The workshop exercises on screen: one panel per exercise, each with its check and a reset.

Only binds :mod:`systemic.workshop` to forms. Every exercise works on the workbook's
fictional training cases and keeps what participants type in this kernel only: nothing
is written to the session store, and "Start again" clears it. Under ipykernel 7 button
callbacks may run on another thread, so each panel changes its exercise under a lock.
Everything typed reaches the page through templates with autoescaping.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import ipywidgets as ipw
from pydantic import ValidationError

from systemic.cases import PARENT_KINDS, SEXES, UNION_STATUSES
from systemic.errors import WorkbookError
from systemic.genogram.draw import draw_svg
from systemic.graces import GraceList
from systemic.html_templates import Markup, render
from systemic.uncertainty import QUADRANTS, load_uncertainty
from systemic.workshop import (
    CircularityExercise,
    CircularQuestionsExercise,
    GenogramExercise,
    GracesPair,
    ThreeHypotheses,
    UncertaintyMove,
    load_wording,
)
from systemic.workshop.genogram_drawing import GenogramCheck
from widgets.genogram import GenogramWidget
from widgets.hypotheses import coach_html
from widgets.own_keys import OwnKeys
from widgets.step_panel import STEP_CSS, alert, in_step, problem_text, status, subheading
from widgets.uncertainty import GridMark, grid_svg, mason_layout

__all__ = [
    "GenogramPanel",
    "QuestionsPanel",
    "GracesPairPanel",
    "HypothesesPanel",
    "UncertaintyPanel",
    "CircularityRoundPanel",
    "genogram_exercise",
    "circular_questions_exercise",
    "graces_pairs_exercise",
    "three_hypotheses_exercise",
    "uncertainty_exercise",
    "circularity_round_exercise",
    "check_html",
]

_WIDE = ipw.Layout(width="40rem")
# Buttons as wide as their words: in a column, "auto" would stretch them across the page.
_AUTO = ipw.Layout(width="fit-content")
_SEX_WORDS = {"female": "Female", "male": "Male", "intersex": "Intersex",
              "unknown": "Not known"}


def _html(template: str, **values: object) -> ipw.HTML:
    """The exercise's ``template`` filled in with ``values``, in a step's frame."""
    return ipw.HTML(in_step(render(f"widgets/workshop/{template}", **values)))


def _exercise(panel: Callable[..., _Panel], *args: object) -> ipw.Widget:
    """``panel(*args).view()``, or one kind sentence when its data cannot be read."""
    try:
        # Keys pressed on the exercise's lists and buttons stay with them (widgets/own_keys.py).
        return ipw.VBox([OwnKeys(), panel(*args).view()])
    except WorkbookError as e:
        return ipw.HTML(alert(str(e)))


class _Panel:
    """What every exercise panel shares: a lock, a message line and a "Start again" button."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.message = ipw.HTML()
        self.reset_button = ipw.Button(description="Start again", layout=_AUTO,
                                       tooltip="Clear this exercise and start again")
        self.reset_button.on_click(lambda _b: self._guarded(self._reset))

    def _guarded(self, action: Callable[[], None]) -> None:
        # One change at a time; a problem becomes one kind sentence on the page.
        with self._lock:
            try:
                action()
            except (WorkbookError, ValueError, ValidationError) as e:
                self.message.value = alert(problem_text(e))

    def _reset(self) -> None:
        raise NotImplementedError

    def view(self) -> ipw.VBox:
        raise NotImplementedError


# -- (a) the genogram from a vignette -------------------------------------------------------


def check_html(check: GenogramCheck) -> str:
    """The check's summary, then what is missing or different, person by person.

    >>> from systemic.workshop import GenogramExercise
    >>> print(check_html(GenogramExercise().check()))  # doctest: +ELLIPSIS
    <p><strong>Your drawing is empty so far...</strong></p>...
    """
    return render(
        "widgets/workshop/check.html.j2", summary=check.summary,
        problems=[f.message for f in check.problems],
        right=[f.message for f in check.findings if f.right],
    )


class GenogramPanel(_Panel):
    """Exercise (a): the vignette, the drawing so far, forms to draw with, and the check."""

    def __init__(self, vignette_id: str | None = None):
        super().__init__()
        self.exercise = GenogramExercise(vignette_id)
        v = self.exercise.vignette
        self.vignette = _html("intro.html.j2", title=v.title, text=v.text,
                              after=f"About {v.minutes} minutes.")
        self.drawing = GenogramWidget(mode="view")
        self.name = ipw.Text(description="Name", placeholder="First name, as in the vignette")
        self.sex = ipw.Dropdown(description="Sex", value="unknown",
                                options=[(_SEX_WORDS[s], s) for s in SEXES])
        self.born = ipw.Text(description="Born", placeholder="Year, e.g. 2017")
        self.died = ipw.Text(description="Died", placeholder="Year, if they have died")
        self.add_person = ipw.Button(description="Add this person", button_style="primary",
                                     layout=_AUTO)
        self.partner_a = ipw.Dropdown(description="Couple")
        self.partner_b = ipw.Dropdown(description="and")
        statuses = load_wording().genogram.statuses
        self.couple_status = ipw.Dropdown(description="Now",
                                          options=[(statuses[s], s) for s in UNION_STATUSES])
        self.add_couple = ipw.Button(description="Join as a couple", layout=_AUTO)
        self.child = ipw.Dropdown(description="Child")
        self.parent_a = ipw.Dropdown(description="Parent")
        self.parent_b = ipw.Dropdown(description="and")
        kinds = load_wording().genogram.parent_kinds
        self.parent_kind = ipw.Dropdown(description="As their",
                                        options=[(kinds[k], k) for k in PARENT_KINDS])
        self.add_parents = ipw.Button(description="Draw the parent line", layout=_AUTO)
        self.twin_a = ipw.Dropdown(description="Twins")
        self.twin_b = ipw.Dropdown(description="and")
        self.add_twins = ipw.Button(description="Mark as twins", layout=_AUTO)
        self.undo = ipw.Button(description="Undo", layout=_AUTO)
        self.check_button = ipw.Button(description="Check my drawing", button_style="success",
                                       layout=_AUTO)
        self.feedback = ipw.HTML()
        self.add_person.on_click(lambda _b: self._guarded(self._person))
        self.add_couple.on_click(lambda _b: self._guarded(self._couple))
        self.add_parents.on_click(lambda _b: self._guarded(self._parents))
        self.add_twins.on_click(lambda _b: self._guarded(self._twins))
        self.undo.on_click(lambda _b: self._guarded(self._undo))
        self.check_button.on_click(lambda _b: self._guarded(self._check))
        self._redraw()

    def _people(self) -> list[tuple[str, str]]:
        return [(p.name, p.id) for p in self.exercise.drawing.people]

    def _redraw(self) -> None:
        people = self._people()
        optional = [("(no one)", ""), *people]
        for d in (self.partner_a, self.partner_b, self.child, self.parent_a, self.twin_a,
                  self.twin_b):
            d.options = people
        self.parent_b.options = optional
        self.drawing.svg = draw_svg(self.exercise.drawing)
        self.feedback.value = ""

    @staticmethod
    def _year(text: str, what: str) -> int | None:
        words = text.strip()
        if not words:
            return None
        if not (words.isdigit() and len(words) == 4):
            raise WorkbookError(f"Write the year {what} as four figures, like 2017.")
        return int(words)

    def _person(self) -> None:
        name = self.name.value.strip()
        if not name:
            raise WorkbookError("Write the person's name first, as the vignette gives it.")
        fields = {"sex": self.sex.value, "born": self._year(self.born.value, "they were born"),
                  "died": self._year(self.died.value, "they died")}
        self.exercise.editor.add_person(name, **{k: v for k, v in fields.items() if v})
        for box in (self.name, self.born, self.died):
            box.value = ""
        self.sex.value = "unknown"
        self._redraw()
        self.message.value = status(f"{name} is on the drawing.")

    def _couple(self) -> None:
        a, b = self.partner_a.value, self.partner_b.value
        if not a or not b or a == b:
            raise WorkbookError("Choose two different people to join as a couple.")
        self.exercise.editor.add_union(a, b, self.couple_status.value)
        self._redraw()
        self.message.value = status("The couple is joined.")

    def _parents(self) -> None:
        parents = [p for p in (self.parent_a.value, self.parent_b.value) if p]
        if not self.child.value or not parents:
            raise WorkbookError("Choose the child and at least one parent.")
        if self.child.value in parents:
            raise WorkbookError("Someone cannot be their own parent: choose another person.")
        self.exercise.editor.add_parent_link(self.child.value, list(dict.fromkeys(parents)),
                                             kind=self.parent_kind.value)
        self._redraw()
        self.message.value = status("The parent line is drawn.")

    def _twins(self) -> None:
        a, b = self.twin_a.value, self.twin_b.value
        if not a or not b or a == b:
            raise WorkbookError("Choose the two children born together.")
        self.exercise.editor.add_twins([a, b])
        self._redraw()
        self.message.value = status("They are marked as twins.")

    def _undo(self) -> None:
        if self.exercise.editor.undo() is None:
            self.message.value = status("There is nothing to undo.")
            return
        self._redraw()
        self.message.value = status("The last change is undone.")

    def _check(self) -> None:
        self.feedback.value = in_step(check_html(self.exercise.check()), kind="wb-feedback",
                                      role="status")
        self.message.value = ""

    def _reset(self) -> None:
        self.exercise.reset()
        self._redraw()
        self.message.value = status("The drawing is cleared.")

    def view(self) -> ipw.VBox:
        row = ipw.HBox
        return ipw.VBox([
            self.vignette,
            self.drawing,
            ipw.HTML(subheading("Add someone")),
            row([self.name, self.sex]), row([self.born, self.died]), self.add_person,
            ipw.HTML(subheading("Join a couple")),
            row([self.partner_a, self.partner_b]), row([self.couple_status, self.add_couple]),
            ipw.HTML(subheading("Draw a parent line")),
            row([self.child, self.parent_kind]), row([self.parent_a, self.parent_b]),
            self.add_parents,
            ipw.HTML(subheading("Mark twins")),
            row([self.twin_a, self.twin_b, self.add_twins]),
            self.message,
            row([self.check_button, self.undo, self.reset_button]),
            self.feedback,
        ])


def genogram_exercise(vignette_id: str | None = None) -> ipw.Widget:
    """Exercise (a): draw the genogram from a written vignette (the first one by default)."""
    return _exercise(GenogramPanel, vignette_id)


# -- (b) lineal to circular --------------------------------------------------------------------


class QuestionsPanel(_Panel):
    """Exercise (b): each lineal question with a box for a circular version and its check."""

    def __init__(self, case: str | None = None):
        super().__init__()
        self.exercise = CircularQuestionsExercise.for_case(case)
        self.boxes: list[ipw.Textarea] = []
        self.verdicts: list[ipw.HTML] = []
        rows: list[ipw.Widget] = []
        for i, q in enumerate(self.exercise.questions):
            box = ipw.Textarea(placeholder="Your circular version", layout=ipw.Layout(
                width="40rem", height="3.5rem"))
            button = ipw.Button(description="Check", layout=_AUTO)
            verdict = ipw.HTML()
            button.on_click(lambda _b, i=i: self._guarded(lambda: self._attempt(i)))
            self.boxes.append(box)
            self.verdicts.append(verdict)
            rows += [ipw.HTML(render("widgets/workshop/question.html.j2", number=i + 1,
                                     text=q.text)),
                     ipw.HBox([box, button]), verdict]
        self.rows = rows
        self.progress = ipw.HTML()
        self._show_progress()

    def _attempt(self, i: int) -> None:
        result = self.exercise.attempt(i, self.boxes[i].value)
        self.verdicts[i].value = render("widgets/workshop/verdict.html.j2",
                                        passed=result.passed, message=result.message)
        self.message.value = ""
        self._show_progress()

    def _show_progress(self) -> None:
        self.progress.value = status(self.exercise.progress())

    def _reset(self) -> None:
        self.exercise.reset()
        for box, verdict in zip(self.boxes, self.verdicts, strict=True):
            box.value = ""
            verdict.value = ""
        self._show_progress()

    def view(self) -> ipw.VBox:
        return ipw.VBox([ipw.HTML(STEP_CSS), *self.rows, self.message, self.progress,
                         self.reset_button])


def circular_questions_exercise(case: str | None = None) -> ipw.Widget:
    """Exercise (b): turn lineal questions into circular ones (one training case, or all)."""
    return QuestionsPanel(case).view()


# -- (c) GRRAACCEESS self-map in pairs ----------------------------------------------------------


class GracesPairPanel(_Panel):
    """Exercise (c): two partners place their own graces; the check compares the two maps."""

    def __init__(self) -> None:
        super().__init__()
        self.pair: GracesPair | None = None
        self.graces = GraceList()
        words = load_wording().graces_pairs
        self.intro = _html("caveat.html.j2", caveat=words.private, after="")
        self.first = ipw.Text(description="Partner 1", placeholder="First name or initials")
        self.second = ipw.Text(description="Partner 2", placeholder="First name or initials")
        self.start = ipw.Button(description="Start the self-maps", button_style="primary",
                                layout=_AUTO)
        self.who = ipw.Dropdown(description="Whose")
        self.grace = ipw.Dropdown(description="Grace",
                                  options=[(g.label, g.id) for g in self.graces.graces()])
        self.visible = ipw.RadioButtons(description="Is it", options=[
            ("seen by others", True), ("not seen", False)])
        self.voiced = ipw.RadioButtons(description="Is it", options=[
            ("spoken about", True), ("not spoken about", False)])
        self.place = ipw.Button(description="Place it", layout=_AUTO)
        self.remove = ipw.Button(description="Take it off", layout=_AUTO)
        self.maps = ipw.HTML()
        self.comparison = ipw.HTML()
        self.form = ipw.VBox([ipw.HBox([self.who, self.grace]),
                              ipw.HBox([self.visible, self.voiced]),
                              ipw.HBox([self.place, self.remove])])
        self.form.layout.display = "none"
        self.start.on_click(lambda _b: self._guarded(self._start))
        self.place.on_click(lambda _b: self._guarded(self._place))
        self.remove.on_click(lambda _b: self._guarded(self._remove))

    def _start(self) -> None:
        self.pair = GracesPair(self.first.value, self.second.value, graces=self.graces)
        self.who.options = [self.pair.first, self.pair.second]
        self.form.layout.display = None
        self.message.value = ""
        self._show()

    def _place(self) -> None:
        if self.pair is None:
            raise WorkbookError(load_wording().graces_pairs.names_needed)
        self.pair.place(self.who.value, self.grace.value, visible=self.visible.value,
                        voiced=self.voiced.value)
        self.message.value = ""
        self._show()

    def _remove(self) -> None:
        if self.pair is not None:
            self.pair.remove(self.who.value, self.grace.value)
            self._show()

    def _show(self) -> None:
        if self.pair is None:
            self.maps.value = self.comparison.value = ""
            return
        vocabulary = self.graces.vocabulary
        rows = [
            (e.person, self.graces.label(e.grace),
             vocabulary.cell(bool(e.visible), bool(e.voiced)).label)
            for e in self.pair.entries
        ]
        self.maps.value = render("widgets/workshop/self_maps.html.j2", css=Markup(STEP_CSS),
                                 rows=rows)
        self.comparison.value = render("widgets/workshop/comparison.html.j2",
                                       lines=list(self.pair.check().lines))

    def _reset(self) -> None:
        if self.pair is not None:
            self.pair.reset()
        self.pair = None
        self.first.value = self.second.value = ""
        self.form.layout.display = "none"
        self._show()
        self.message.value = status("Both self-maps are cleared.")

    def view(self) -> ipw.VBox:
        return ipw.VBox([self.intro, ipw.HBox([self.first, self.second]), self.start,
                         self.form, self.maps, self.comparison, self.message,
                         self.reset_button])


def graces_pairs_exercise() -> ipw.Widget:
    """Exercise (c): a Social GRRAACCEESS self-map in pairs, kept on this screen only."""
    return GracesPairPanel().view()


# -- (d) three hypotheses with the coach ----------------------------------------------------


class HypothesesPanel(_Panel):
    """Exercise (d): hypotheses on a training case, each read by the coach."""

    def __init__(self, case: str = "blended_family"):
        super().__init__()
        self.exercise = ThreeHypotheses.for_case(case)
        c = self.exercise.case
        assert c is not None
        self.intro = _html("intro.html.j2", title=c.title, text=c.question, after="")
        self.text = ipw.Textarea(placeholder="I wonder whether…",
                                 layout=ipw.Layout(width="40rem", height="4rem"))
        self.add = ipw.Button(description="Add this hypothesis", button_style="primary",
                              layout=_AUTO)
        self.number = ipw.Dropdown(description="Number")
        self.revise = ipw.Button(description="Put this wording in its place", layout=_AUTO)
        self.remove = ipw.Button(description="Take it away", layout=_AUTO)
        self.listing = ipw.HTML()
        self.progress = ipw.HTML()
        self.add.on_click(lambda _b: self._guarded(self._add))
        self.revise.on_click(lambda _b: self._guarded(self._revise))
        self.remove.on_click(lambda _b: self._guarded(self._remove))
        self._show()

    def _add(self) -> None:
        self.exercise.add(self.text.value)
        self.text.value = ""
        self.message.value = ""
        self._show()

    def _revise(self) -> None:
        if self.number.value is None:
            raise WorkbookError("Write a hypothesis first, then you can reword it.")
        self.exercise.revise(self.number.value, self.text.value)
        self.text.value = ""
        self.message.value = ""
        self._show()

    def _remove(self) -> None:
        if self.number.value is not None:
            self.exercise.remove(self.number.value)
            self._show()

    def _show(self) -> None:
        attempts = [
            (attempt.text, attempt.message, Markup(coach_html(list(attempt.feedback))))
            for attempt in self.exercise.attempts()
        ]
        self.listing.value = render("widgets/workshop/attempts.html.j2", css=Markup(STEP_CSS),
                                    attempts=attempts)
        self.number.options = list(range(1, len(self.exercise.texts) + 1))
        self.progress.value = status(self.exercise.progress())

    def _reset(self) -> None:
        self.exercise.reset()
        self.text.value = ""
        self._show()

    def view(self) -> ipw.VBox:
        return ipw.VBox([self.intro, self.text, self.add, self.listing,
                         ipw.HBox([self.number, self.revise, self.remove]), self.message,
                         self.progress, self.reset_button])


def three_hypotheses_exercise(case: str = "blended_family") -> ipw.Widget:
    """Exercise (d): write three hypotheses with the coach, on a training case."""
    return _exercise(HypothesesPanel, case)


# -- (e) safe uncertainty --------------------------------------------------------------------


class UncertaintyPanel(_Panel):
    """Exercise (e): place people of a training case on Mason's grid; argue for a move."""

    def __init__(self, case: str = "blended_family"):
        super().__init__()
        self.exercise = UncertaintyMove.for_case(case)
        vocabulary = load_uncertainty()
        positions = [(vocabulary.position(q).label, q) for q in QUADRANTS]
        self.caveat = _html("caveat.html.j2", caveat=self.exercise.caveat,
                            after=self.exercise.case.question)
        self.grid = ipw.HTML()
        self.who = ipw.Dropdown(description="Who", options=[
            (c.label, c.who) for c in self.exercise.choices()])
        self.now = ipw.Dropdown(description="Now", options=positions)
        self.place = ipw.Button(description="Place them", button_style="primary",
                                layout=_AUTO)
        self.hoped = ipw.Dropdown(description="Could move to", options=positions,
                                  style={"description_width": "initial"})
        self.reason = ipw.Textarea(placeholder="Why: what would help them move?",
                                   layout=ipw.Layout(width="40rem", height="3.5rem"))
        self.argue = ipw.Button(description="Argue for the move", layout=_AUTO)
        self.progress = ipw.HTML()
        self.place.on_click(lambda _b: self._guarded(self._place))
        self.argue.on_click(lambda _b: self._guarded(self._argue))
        self._show()

    def _place(self) -> None:
        placement = self.exercise.place(self.who.value, self.now.value)
        self.message.value = status(f"{placement.shown_as()} is placed.")
        self._show()

    def _argue(self) -> None:
        move = self.exercise.argue(self.who.value, self.hoped.value, self.reason.value)
        self.message.value = (status(move.message) if move.ok else alert(move.message))
        if move.ok:
            self.reason.value = ""
        self._show()

    def _show(self) -> None:
        marks = [GridMark(p.shown_as(), p.now, p.hoped)
                 for p in self.exercise.placements.values()]
        self.grid.value = grid_svg(mason_layout(), marks, ident="wb-workshop-grid")
        self.progress.value = status(self.exercise.progress())

    def _reset(self) -> None:
        self.exercise.reset()
        self.reason.value = ""
        self.message.value = status("Everyone is taken off the grid.")
        self._show()

    def view(self) -> ipw.VBox:
        return ipw.VBox([self.caveat, self.grid, ipw.HBox([self.who, self.now, self.place]),
                         self.hoped, self.reason, self.argue, self.message, self.progress,
                         self.reset_button])


def uncertainty_exercise(case: str = "blended_family") -> ipw.Widget:
    """Exercise (e): place a case on the safe-uncertainty grid and argue for a move."""
    return _exercise(UncertaintyPanel, case)


# -- (f) the circularity exercise -------------------------------------------------------------


class CircularityRoundPanel(_Panel):
    """Exercise (f): the circularity round, whose turn it is, and how each idea links."""

    def __init__(self, participants: list[str] | None = None, topic: str = ""):
        super().__init__()
        self.exercise: CircularityExercise | None = None
        self.topic = topic
        self.names = ipw.Text(description="Who", value=", ".join(participants or []),
                              placeholder="First names, in speaking order, with commas",
                              layout=_WIDE)
        self.start = ipw.Button(description="Start the round", button_style="primary",
                                layout=_AUTO)
        self.turn = ipw.HTML()
        self.text = ipw.Textarea(placeholder="Their thoughts, linked to the idea before",
                                 layout=ipw.Layout(width="40rem", height="4rem"))
        self.add = ipw.Button(description="Add their idea", button_style="primary",
                              layout=_AUTO)
        self.skip = ipw.Button(description="They pass", layout=_AUTO)
        self.close = ipw.Button(description="End the round", layout=_AUTO)
        self.links = ipw.HTML()
        self.progress = ipw.HTML()
        self.start.on_click(lambda _b: self._guarded(self._start))
        self.add.on_click(lambda _b: self._guarded(self._add))
        self.skip.on_click(lambda _b: self._guarded(self._pass))
        self.close.on_click(lambda _b: self._guarded(self._close))
        if participants:
            self._guarded(self._start)
        else:
            self._show()

    def _start(self) -> None:
        names = [n.strip() for n in self.names.value.split(",") if n.strip()]
        if len(names) < 2:
            raise WorkbookError("Write at least two first names, with commas between them.")
        self.exercise = CircularityExercise(names, self.topic)
        self.message.value = ""
        self._show()

    def _add(self) -> None:
        if self.exercise is not None:
            self.exercise.round.add(self.exercise.round.next_speaker() or "", self.text.value)
            self.text.value = ""
            self.message.value = ""
            self._show()

    def _pass(self) -> None:
        if self.exercise is not None:
            self.exercise.round.pass_turn(self.exercise.round.next_speaker() or "")
            self.message.value = ""
            self._show()

    def _close(self) -> None:
        if self.exercise is not None:
            self.exercise.round.close()
            self._show()

    def _show(self) -> None:
        running = self.exercise is not None and not self.exercise.round.closed
        for button in (self.add, self.skip, self.close):
            button.disabled = not running
        if self.exercise is None:
            self.turn.value = self.links.value = self.progress.value = ""
            return
        r = self.exercise.round
        self.turn.value = render("widgets/workshop/turn.html.j2", prompt=r.prompt())
        links = [
            (None if contribution.passed else contribution.text, link.message)
            for contribution, link in zip(r.contributions, self.exercise.links(), strict=True)
        ]
        self.links.value = render("widgets/workshop/links.html.j2", css=Markup(STEP_CSS),
                                  links=links)
        summary, progress = self.exercise.summary(), self.exercise.progress()
        self.progress.value = status(summary if progress == summary
                                     else f"{summary} {progress}")

    def _reset(self) -> None:
        if self.exercise is not None:
            self.exercise.reset()
        self.text.value = ""
        self.message.value = status("A fresh round with the same people.")
        self._show()

    def view(self) -> ipw.VBox:
        return ipw.VBox([ipw.HBox([self.names, self.start]), self.turn, self.text,
                         ipw.HBox([self.add, self.skip, self.close]), self.links,
                         self.message, self.progress, self.reset_button])


def circularity_round_exercise(participants: list[str] | None = None,
                               topic: str = "") -> ipw.Widget:
    """Exercise (f): the Camden Charter's circularity exercise, with its check."""
    return CircularityRoundPanel(participants, topic).view()
