"""The circular questions step: questions for this family, filtered, balanced, chosen.

Only binds :mod:`systemic.questions` to a few widgets. The questions are generated
from the session's case and its active hypotheses (each hypothesis yields
questions that would test it), balanced across kinds of question by default, and
shown twelve at a time. Filters (kind, person, relationship, hypothesis, who is
asked) are dropdowns and toggles. Each question is a button with its own words:
press it to choose it (it then says "✓ Chosen", with a thicker border), press it
again to take it off; "More like this" sits beside it. A chosen question is
saved at once as a record of kind ``question`` whose payload is
:meth:`~systemic.questions.Question.to_json`, the payload the plan step and the
participants' dashboard read; it goes into an open plan by itself.

A short explanation of Tomm's four types sits above the list, in plain words from
the data (the classifier's meanings, the dashboard's names for each kind) with an
example from this family for each, and a caution about questions that suggest a
direction. :func:`classify_question` is the workshop exercise "make this lineal
question circular": type a question, see which type it most likely is and why.

>>> print(audience_words("child", "Maya"))
to ask Maya
>>> question_list_html([], {}, set(), "nothing matches <b>")
"<p class='wb-empty'>nothing matches &lt;b&gt;</p>"
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import ipywidgets as ipw

from systemic.cases import Case
from systemic.dashboard import load_wording
from systemic.errors import WorkbookError
from systemic.frameworks import fill
from systemic.genogram.kinship import relations
from systemic.graces import display_name, focal_child
from systemic.html_templates import render
from systemic.hypotheses import Hypothesis, load_hypotheses
from systemic.questions import (
    HypothesisInput,
    Question,
    choose,
    classify,
    generate,
    more_like,
)
from systemic.questions.bank import TOMM_TYPES, TYPES
from systemic.questions.chosen import RECORD_KIND as CHOSEN_KIND
from systemic.questions.chosen import (
    ChosenQuestion,
    delete_chosen,
    load_chosen,
    save_chosen,
)
from systemic.questions.classify import load_labelled, load_rules
from systemic.questions.generate import left_out_notes
from systemic.questions.rank import STRATEGIC_SHARE, matches
from systemic.session import SupervisorSession
from systemic.vocabularies import load_relationship_kinds
from widgets.plan import chosen_questions_changed
from widgets.step_base import STORE_ERRORS, StepWidget, not_saved_text
from widgets.step_panel import (
    STEP_CSS,
    alert,
    bullet_list,
    empty_note,
    in_step,
    open_step,
    problem_text,
    prompt_html,
    status,
)

__all__ = [
    "RECORD_KIND",
    "PAGE_SIZE",
    "audience_words",
    "question_list_html",
    "tomm_types_html",
    "classification_html",
    "QuestionsStep",
    "QuestionClassifier",
    "questions_step",
    "classify_question",
]

#: The store's record kind for a chosen question (read by the plan step and the dashboard).
RECORD_KIND = CHOSEN_KIND
#: How many questions are shown at a time.
PAGE_SIZE = 12

_ALL = ""  # the "no filter" value of every dropdown and toggle
_LABEL = {"description_width": "9rem"}
_WIDE = ipw.Layout(width="44rem")

_CSS = render("widgets/questions/style.html.j2")

#: Two columns: the question (a button: press it to choose it, again to take it off),
#: and its "More like this" — so those buttons line up.
_ROWS: dict[str, str] = {
    "grid_template_columns": "minmax(0, 1fr) max-content", "grid_gap": "0.3rem 0.6rem",
    "align_items": "flex-start", "width": "100%", "max_width": "62rem",
}
_FIT = ipw.Layout(width="fit-content")


Key = tuple[str, str]


def _key(q: Question) -> Key:
    """Questions are told apart by who is asked and their words (as the generator does)."""
    return (q.audience, q.text)


def _short(text: str, limit: int = 90) -> str:
    """A long text cut at a word, for a dropdown.

    >>> _short("one two three", 8)
    'one two…'
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def audience_words(audience: str, child: str) -> str:
    """Who a question is for, in plain words."""
    return {
        "family": "to ask the family",
        "child": f"to ask {child}",
        "supervision": "for the group to ask the worker",
    }.get(audience, audience)


def _from_payload(payload: Mapping[str, Any]) -> Question | None:
    """A stored chosen question back as a :class:`Question` (``None`` if it has no words)."""
    if not str(payload.get("text") or payload.get("question") or "").strip():
        return None
    return _question(ChosenQuestion.model_validate(payload))


def _question(c: ChosenQuestion) -> Question:
    return Question(
        type=c.type, subtype=c.subtype, audience=c.audience, text=c.text, people=c.people,
        template=c.template, hypothesis_id=c.hypothesis_id, score=c.score, tomm=c.tomm,
        caution=c.caution,
    )


def _kind_title(kind: str, titles: Mapping[str, str]) -> str:
    """The plain name of a kind of question, with Tomm's word after it for his four types.

    >>> _kind_title("circular", {"circular": "Connecting people"})
    'Connecting people (circular)'
    >>> _kind_title("signs_of_safety", {"signs_of_safety": "Safety and worries"})
    'Safety and worries'
    """
    plain = titles.get(kind) or kind.replace("_", " ").capitalize()
    return f"{plain} ({kind})" if kind in TOMM_TYPES and kind not in plain.lower() else plain


def question_list_html(
    questions: Sequence[Question],
    titles: Mapping[str, str],
    chosen: set[Key],
    empty: str,
    *,
    child: str = "the child",
    hypotheses: Mapping[str, str] | None = None,
    picked: Key | None = None,
    start: int = 1,
) -> str:
    """The questions as one numbered, escaped list: words, kind, who is asked, whether chosen.

    >>> q = Question("circular", "triadic", "family", "Who <b>worries</b> most?", ("a",), "C1")
    >>> html_text = question_list_html([q], {"circular": "Connecting people"}, {_key(q)}, "")
    >>> "&lt;b&gt;worries" in html_text and "Chosen" in html_text
    True
    """
    if not questions:
        return empty_note(empty)
    hypotheses = hypotheses or {}
    items = []
    for q in questions:
        meta = [_kind_title(q.type, titles), audience_words(q.audience, child)]
        if q.hypothesis_id and q.hypothesis_id in hypotheses:
            meta.append(f"tests the idea “{_short(hypotheses[q.hypothesis_id], 80)}”")
        items.append({
            "text": q.text, "chosen": _key(q) in chosen, "meta": " · ".join(meta),
            "caution": q.caution, "picked": _key(q) == picked,
        })
    return render("widgets/questions/list.html.j2", items=items, start=int(start))


def tomm_types_html(questions: Sequence[Question], titles: Mapping[str, str]) -> str:
    """Tomm's four types in plain words, with how many of this family's questions are of each
    and the best example of each; then a caution about questions that suggest a direction.

    The meanings and the tip come from the classifier's data (``classifier.yaml``), the
    plain names from the dashboard's (``dashboard.yaml``), so both views say the same.

    >>> "Connecting people" in tomm_types_html([], {"circular": "Connecting people"})
    True
    """
    rules = load_rules()
    kinds = []
    for tomm in TOMM_TYPES:
        of_this = [q for q in questions if q.tomm == tomm]
        text = rules.types[tomm]
        example = max(of_this, key=lambda q: q.score, default=None)
        said = f"{len(of_this)} of the questions for this family"
        if example is not None:
            said += f", for example: “{example.text}”"
        kinds.append(
            (_kind_title(tomm, titles), text.meaning[0].upper() + text.meaning[1:], said)
        )
    strategic = rules.types["strategic"]
    return render(
        "widgets/questions/tomm_types.html.j2", kinds=kinds,
        strategic_meaning=strategic.meaning, share=round(STRATEGIC_SHARE * 100),
        strategic_tip=" ".join(strategic.tip.split()),
    )


def classification_html(text: str, titles: Mapping[str, str] | None = None) -> str:
    """What :func:`systemic.questions.classify` makes of a typed question, escaped.

    >>> print(classification_html("  "))
    <p class='wb-empty'>Type a question to see which kind it most likely is.</p>
    >>> "Most likely lineal" in classification_html("When did the drinking start?")
    True
    """
    if not text.strip():
        return render("widgets/questions/classification.html.j2", text="")
    titles = titles if titles is not None else load_wording().question_types
    verdict = classify(text)
    meaning = load_rules().types[verdict.type].meaning
    return render(
        "widgets/questions/classification.html.j2", text=" ".join(text.split()),
        title=_kind_title(verdict.type, titles), meaning=meaning,
        sure=round(verdict.confidence * 100), why=verdict.why, tip=verdict.tip,
    )


def _hypothesis_inputs(hypotheses: Iterable[Hypothesis]) -> tuple[HypothesisInput, ...]:
    return tuple(
        HypothesisInput(id=h.id, text=h.text, people=tuple(h.people_involved))
        for h in hypotheses if h.id and h.text.strip()
    )


class QuestionsStep(StepWidget):
    """Generated questions for the session's case and hypotheses, and the group's choices.

    Parameters
    ----------
    session : SupervisorSession
        The session in progress; its first case discussion is the one used.
    """

    def __init__(self, session: SupervisorSession):
        super().__init__(session)
        self._loading = False
        self.case: Case = session.case
        self.titles: dict[str, str] = dict(load_wording().question_types)
        self.names = {p.id: display_name(p) for p in self.case.people}
        focal = focal_child(self.case)
        self.child = self.names.get(focal, "the child") if focal else "the child"
        self.hypotheses: tuple[HypothesisInput, ...] = ()
        self.questions: list[Question] = []
        self.problem = ""
        self.chosen: dict[Key, tuple[str, Question]] = {}
        self.pages: list[list[Question]] = []  # the lists shown so far (for "12 others")
        self.like: Question | None = None  # "more like this" of that question
        self.showing_all = False  # "Show all questions" pressed since the last first list

        self.guidance = ipw.HTML(self._guidance_html())
        self.types_note = ipw.HTML()
        self._build_filters()
        self._build_list()
        self.message = ipw.HTML()

        for widget in (self.kind, self.person, self.relationship, self.hypothesis,
                       self.audience, self.balance):
            widget.observe(self._filters_changed, names="value")
        self.others_button.on_click(self._others)
        self.all_button.on_click(self._all)
        self.first_button.on_click(self._first)

        with self._lock:
            self._load_chosen()
            self._generate()
            self._show_list(reset=True)

    def _build_filters(self) -> None:
        """Kind, person, relationship, idea tested, who is asked, and mixing the kinds."""
        self.kind = ipw.Dropdown(description="Kind", style=_LABEL, layout=_WIDE)
        self.person = ipw.Dropdown(description="About", style=_LABEL, layout=_WIDE)
        self.relationship = ipw.Dropdown(description="Relationship", style=_LABEL, layout=_WIDE)
        self.hypothesis = ipw.Dropdown(description="Testing the idea", style=_LABEL,
                                       layout=_WIDE)
        # Radio buttons: the choice shows as a filled circle, not as a shade of grey.
        self.audience = ipw.RadioButtons(
            options=[("Everyone", _ALL)], value=_ALL, description="Asked of",
            orientation="horizontal", style=_LABEL, layout=ipw.Layout(width="44rem"),
        )
        self.balance = ipw.Checkbox(value=True, description="Mix the kinds of question",
                                    indent=False)

    def _build_list(self) -> None:
        """The list of questions, the buttons that page through it, and the chosen ones."""
        self.heading = ipw.HTML()
        self.style = ipw.HTML(STEP_CSS + _CSS)
        self.how = ipw.HTML(render("widgets/questions/how.html.j2"))
        self.list = ipw.GridBox(layout=ipw.Layout(**_ROWS))
        self.list.add_class("wb-q-rows")
        self.empty = ipw.HTML()
        auto = _FIT
        self.others_button = ipw.Button(description=f"Show {PAGE_SIZE} others", layout=auto)
        self.all_button = ipw.Button(description="Show all questions", layout=auto,
                                     tooltip="Every question that fits the filters, best first")
        self.left_out = ipw.HTML()
        self.first_button = ipw.Button(description="Back to the first list", layout=auto)
        self.chosen_heading = ipw.HTML()
        self.chosen_rows = ipw.GridBox(layout=ipw.Layout(**_ROWS))
        self.chosen_list = ipw.VBox([self.chosen_heading, self.chosen_rows])

    # -- reading ---------------------------------------------------------------------------------

    def _guidance_html(self) -> str:
        child = focal_child(self.case)
        member = next(
            (m for h in self.case.households if child in h.members for m in h.members
             if m != child and self.case.person(m).kind == "person"),
            None,
        )
        family_member = self.names.get(member, "the family") if member else "the family"
        prompt = self.framework.prompt("questions")
        said = set(prompt.filled_questions(self.child, family_member))
        tools = [
            (tool.name, tool.description,
             [text for text in (fill(q, self.child, family_member) for q in tool.questions)
              if text not in said])  # the prompt may quote the tool's own example
            for tool in self.framework.tools_for("questions")
        ]
        return in_step(
            prompt_html(prompt, self.child, family_member)
            + render("widgets/questions/tools.html.j2", tools=tools),
            css=_CSS,
        )

    def _load_chosen(self) -> None:
        self.chosen = {
            c.key: (c.id, _question(c)) for c in load_chosen(self.store, self.discussion_id)
        }

    def _active_hypotheses(self) -> tuple[HypothesisInput, ...]:
        return _hypothesis_inputs(load_hypotheses(self.store, self.discussion_id, "active"))

    def _generate(self) -> None:
        """Make the questions afresh from the case and the active hypotheses."""
        self.hypotheses = self._active_hypotheses()
        try:
            self.questions = generate(self.case, hypotheses=self.hypotheses)
            self.problem = ""
        except (WorkbookError, KeyError, ValueError) as e:
            self.questions = []
            self.problem = problem_text(e)
        if not self.questions and not self.problem:
            self.problem = (
                "There are no questions yet: the case needs a child at the centre with their "
                "family around them. Add them in 02 The case and its genogram."
            )
        self.types_note.value = in_step(tomm_types_html(self.questions, self.titles))
        try:
            notes = left_out_notes(self.case)
        except (WorkbookError, KeyError, ValueError):
            notes = []
        self.left_out.value = in_step(bullet_list(notes), role="note") if notes else ""
        self._fill_filters()

    def reload(self) -> None:
        """Read the hypotheses again and remake the questions if the active ones changed."""
        with self._lock:
            if self._active_hypotheses() != self.hypotheses:
                self._generate()
                self._show_list(reset=True)

    def _fill_filters(self) -> None:
        counts: dict[str, int] = {}
        named: set[str] = set()
        for q in self.questions:
            counts[q.type] = counts.get(q.type, 0) + 1
            named.update(q.people)
        try:
            words = relations(self.case)
        except (ValueError, KeyError):
            words = {}
        people = [
            (f"{self.names[p.id]} — {words[p.id]}" if p.id in words else self.names[p.id], p.id)
            for p in self.case.people if p.id in named
        ]
        kinds = {k.id: k.label.lower() for k in load_relationship_kinds().kinds}
        pairs: dict[tuple[str, str], str] = {}
        for r in self.case.relationships:
            pairs.setdefault((r.from_, r.to), kinds.get(r.kind, r.kind.replace("_", " ")))
        for u in self.case.unions:
            a, b = u.partners
            pairs.setdefault((a, b), f"a couple, {u.status.replace('_', ' ')}")
        together = [
            (f"{self.names.get(a, a)} and {self.names.get(b, b)} — {what}", (a, b))
            for (a, b), what in pairs.items()
            if any(a in q.people and b in q.people for q in self.questions)
        ]
        ideas = {h.id: h.text for h in self.hypotheses}
        # The child is offered only when old enough to be asked (the generator decides).
        audiences = [
            (label, value, tip) for label, value, tip in (
                ("Everyone", _ALL, "Questions for anyone"),
                ("The family", "family", "Questions the worker asks the family"),
                (self.child, "child", f"Questions in words {self.child} can answer"),
                ("The worker", "supervision", "Questions the group asks the worker"),
            ) if value == _ALL or any(q.audience == value for q in self.questions)
        ]
        self._loading = True
        try:
            if [v for _, v in self.audience.options] != [v for _, v, _ in audiences]:
                _set_options(self.audience, [(label, value) for label, value, _ in audiences])
                self.audience.tooltips = [tip for _, _, tip in audiences]
            _set_options(self.kind, [(f"Every kind: {len(self.questions)}", _ALL)] + [
                (f"{_kind_title(t, self.titles)}: {counts[t]}", t) for t in TYPES if t in counts
            ])
            _set_options(self.person, [("Anyone", _ALL), *people])
            _set_options(self.relationship, [("Any", _ALL), *together])
            _set_options(self.hypothesis, [("Any idea, or none", _ALL)] + [
                (_short(text, 80), hid) for hid, text in ideas.items()
            ])
        finally:
            self._loading = False

    # -- what is shown ---------------------------------------------------------------------------

    def _filters(self) -> dict[str, Any]:
        return {
            "types": [self.kind.value] if self.kind.value else None,
            "person": self.person.value or None,
            "relationship": self.relationship.value or None,
            "hypothesis": self.hypothesis.value or None,
            "audiences": [self.audience.value] if self.audience.value else None,
        }

    def matching(self) -> list[Question]:
        """Every generated question that passes the filters, best first."""
        return [q for q in self.questions if matches(q, **self._filters())]

    def shown(self) -> list[Question]:
        """The questions on screen now."""
        return list(self.pages[-1]) if self.pages else []

    def _next_page(self) -> list[Question]:
        seen = {_key(q) for page in self.pages for q in page}
        rest = [q for q in self.questions if _key(q) not in seen]
        return choose(rest, limit=PAGE_SIZE, balance=self.balance.value, **self._filters())

    def _show_list(self, reset: bool = False) -> None:
        if reset:
            self.like = None
            self.showing_all = False
            self.pages = []
            self.pages = [self._next_page()]
        shown = self.shown()
        if self.problem:
            heading = self.problem
        elif self.like is not None:
            heading = f"Questions like “{_short(self.like.text, 120)}”"
        else:
            total = len(self.matching())
            first = sum(len(p) for p in self.pages[:-1]) + 1
            mixed = " (mixing the kinds)" if self.balance.value and not self.kind.value \
                and not self.showing_all else ""
            heading = (
                f"Questions {first} to {first + len(shown) - 1} of {total} that fit{mixed}"
                if shown else ""
            )
        self.heading.value = render("widgets/questions/heading.html.j2", heading=heading)
        self._render()

    def _render(self) -> None:
        shown = self.shown()
        ideas = {h.id: h.text for h in self.hypotheses}
        self.empty.value = "" if shown or self.problem else empty_note(
            "No questions fit these choices: try another kind, person or relationship, or set a "
            "filter back to its first choice.")
        start = 1 if self.like else sum(len(p) for p in self.pages[:-1]) + 1
        cells: list[ipw.Widget] = []
        for number, q in enumerate(shown, start):
            cells += self._row(q, number, ideas)
        self.list.children = cells
        chosen = [q for _, q in self.chosen.values()]
        self.chosen_heading.value = in_step(
            render("widgets/questions/chosen_heading.html.j2", count=len(chosen)))
        rows: list[ipw.Widget] = []
        for q in chosen:
            off = ipw.Button(description="Take it off", layout=_FIT,
                             tooltip=f"Take “{_short(q.text, 60)}” off the chosen questions")
            off.on_click(lambda _b, q=q: self.unchoose_question(q))
            rows += [ipw.HTML(render("widgets/questions/chosen_row.html.j2", text=q.text,
                                     meta=self._meta(q, ideas))), off]
        self.chosen_rows.children = rows
        self.first_button.disabled = self.like is None and len(self.pages) <= 1 \
            and not self.showing_all
        self.others_button.disabled = self.like is not None or not self._has_more()

    def _meta(self, q: Question, ideas: Mapping[str, str]) -> str:
        meta = [_kind_title(q.type, self.titles), audience_words(q.audience, self.child)]
        if q.hypothesis_id and q.hypothesis_id in ideas:
            meta.append(f"tests the idea “{_short(ideas[q.hypothesis_id], 80)}”")
        return " · ".join(meta)

    def _row(self, q: Question, number: int, ideas: Mapping[str, str]) -> list[ipw.Widget]:
        """One question: a button with its words (press to choose, again to take off), what
        kind it is and who is asked, and "More like this" beside it."""
        chosen = _key(q) in self.chosen
        pick = ipw.Button(
            description=(f"✓ Chosen: {number}. {q.text}" if chosen else f"{number}. {q.text}"),
            tooltip=("Chosen: press to take it off the chosen questions" if chosen
                     else "Press to choose this question"),
            layout=ipw.Layout(width="auto"))  # the column's width, less its margins
        pick.add_class("wb-q-pick")
        if chosen:
            pick.add_class("wb-q-picked")
        pick.on_click(lambda _b, q=q: self.toggle(q))
        about = ipw.HTML(render("widgets/questions/about.html.j2", meta=self._meta(q, ideas),
                                caution=q.caution))
        like = ipw.Button(description="More like this", layout=_FIT,
                          tooltip=f"Questions like “{_short(q.text, 60)}”")
        like.on_click(lambda _b, q=q: self.more_like_this(q))
        return [ipw.VBox([pick, about], layout=ipw.Layout(width="100%")), like]

    def _has_more(self) -> bool:
        seen = {_key(q) for page in self.pages for q in page}
        return any(_key(q) not in seen for q in self.matching())

    def chosen_questions(self) -> list[Question]:
        """The questions the group has chosen, in the order they were chosen."""
        return [q for _, q in self.chosen.values()]

    # -- what the supervisor does ----------------------------------------------------------------

    def toggle(self, question: Question) -> None:
        """Choose ``question``, or take it off if it is chosen (as pressing it does)."""
        if _key(question) in self.chosen:
            self.unchoose_question(question)
        else:
            self.choose_question(question)

    def question_button(self, question: Question) -> ipw.Button:
        """The button showing ``question`` in the list (for tests and checks)."""
        keys = [_key(q) for q in self.shown()]
        return self.list.children[2 * keys.index(_key(question))].children[0]

    def choose_question(self, question: Question) -> None:
        """Save ``question`` as chosen, at once (once only, however often it is pressed)."""
        with self._lock:
            try:
                self._load_chosen()  # another copy of this step may have chosen it already
                if _key(question) not in self.chosen:
                    saved = save_chosen(
                        self.store, self.discussion_id,
                        ChosenQuestion.model_validate(question.to_json()),
                    )
                    self.chosen[_key(question)] = (saved.id, question)
            except STORE_ERRORS as e:
                self.message.value = alert(not_saved_text(e, typed=False))
                return
            self.message.value = status(f"Chosen and saved: “{_short(question.text, 80)}”")
            self._show_list()
        chosen_questions_changed(self.discussion_id)  # it goes into the plan by itself

    def unchoose_question(self, question: Question) -> None:
        """Take ``question`` off the chosen list (its record is deleted), at once."""
        with self._lock:
            try:
                self._load_chosen()
                delete_chosen(
                    self.store, self.discussion_id,
                    ChosenQuestion.model_validate(question.to_json()),
                )
                self._load_chosen()
            except STORE_ERRORS as e:
                self.message.value = alert(not_saved_text(e, typed=False))
                return
            self.message.value = status(f"No longer chosen: “{_short(question.text, 80)}”")
            self._show_list()
        chosen_questions_changed(self.discussion_id)

    def more_like_this(self, question: Question) -> None:
        """Show the questions closest to ``question`` (same kind, same people, same idea)."""
        with self._lock:
            self.like = question
            self.pages = [more_like(question, self.questions, limit=PAGE_SIZE)]
            self.message.value = ""
            self._show_list()

    def _filters_changed(self, _change: object = None) -> None:
        with self._lock:
            if self._loading:
                return
            if self._active_hypotheses() != self.hypotheses:
                self._generate()
            self.message.value = ""
            self._show_list(reset=True)

    def _others(self, _button: object = None) -> None:
        with self._lock:
            if self.like is None and self._has_more():
                self.pages.append(self._next_page())
                self.message.value = ""
                self._show_list()

    def show_all(self) -> None:
        """Every question that fits the filters on one list, best first."""
        with self._lock:
            self.like = None
            self.pages = [choose(self.questions, limit=max(len(self.questions), 1),
                                 balance=False, **self._filters())]
            self.showing_all = True
            self.message.value = ""
            self._show_list()

    def _all(self, _button: object = None) -> None:
        self.show_all()

    def _first(self, _button: object = None) -> None:
        with self._lock:
            self.message.value = ""
            self._show_list(reset=True)

    def view(self) -> ipw.VBox:
        return ipw.VBox([
            self.guidance, self.types_note, self.left_out,
            self.kind, self.person, self.relationship, self.hypothesis, self.audience,
            self.balance, self.style, self.heading, self.how, self.message, self.empty,
            self.list,
            ipw.HBox([self.others_button, self.all_button, self.first_button]),
            self.chosen_list,
        ])


def _set_options(dropdown: ipw.Dropdown, options: list[tuple[str, Any]]) -> None:
    """New options, keeping the value when it is still one of them."""
    before = dropdown.value
    dropdown.options = options
    values = [value for _, value in options]
    if before in values:
        dropdown.value = before
    elif values:
        dropdown.value = values[0]


class QuestionClassifier:
    """A text box where the group types a question and sees which of Tomm's types it is, and why.

    It reads nothing from the store and saves nothing: it is for the workshop exercise
    "make this lineal question circular".
    """

    def __init__(self) -> None:
        self.titles: dict[str, str] = dict(load_wording().question_types)
        example = next((q.text for q in load_labelled() if q.type == "lineal"), "")
        self.text = ipw.Textarea(
            placeholder=f"For example: {example}" if example else "Type a question",
            description="A question", continuous_update=True, style=_LABEL,
            layout=ipw.Layout(width="44rem", height="4rem"),
        )
        self.result = ipw.HTML(self._html())
        self.text.observe(self._typed, names="value")

    def _html(self) -> str:
        return in_step(classification_html(self.text.value, self.titles), css=_CSS,
                       live="polite")

    def _typed(self, _change: object = None) -> None:
        self.result.value = self._html()

    def view(self) -> ipw.VBox:
        return ipw.VBox([self.text, self.result])


def questions_step() -> ipw.Widget:
    """The circular questions step for the session in progress (as ``resume_session`` finds it)."""
    return open_step(QuestionsStep, "questions")


def classify_question() -> ipw.Widget:
    """A box that says which of Tomm's four types a typed question most likely is, and why."""
    return QuestionClassifier().view()
