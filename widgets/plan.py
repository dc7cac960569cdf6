"""The plan step: the Signs of Safety map, questions for the family, SMART actions, the checks.

Two forms edit the discussion's one plan record: :func:`signs_of_safety_step`
owns its map, :func:`plan_step` its questions, actions and checks. Each edit
reads the stored plan, changes only its own part and writes it back at once,
so the two forms can sit in one notebook without undoing each other. Gentle
feedback (``systemic.plan.map_feedback`` and ``smart_feedback``) is shown
under the form as things to consider, never as a block. Typed text reaches
HTML only through templates with autoescaping.
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from collections.abc import Callable
from typing import Any

import ipywidgets as ipw

from systemic.html_templates import Markup, render
from systemic.hypotheses import load_hypotheses
from systemic.plan import (
    Action,
    CheckItem,
    DangerStatement,
    FamilyQuestion,
    Feedback,
    Plan,
    SafetyGoal,
    ScaleEntry,
    SignsOfSafetyMap,
    framework_checklist,
    load_plan,
    load_plan_vocabulary,
    map_feedback,
    save_plan,
    smart_feedback,
)
from systemic.questions.chosen import delete_chosen, load_chosen
from systemic.session import SupervisorSession
from widgets.step_base import STORE_ERRORS, StepWidget, not_saved_text
from widgets.step_panel import (
    alert,
    alert_line,
    child_name,
    clip,
    framework_tools_html,
    in_step,
    lines,
    open_step,
    paragraph,
    problem_text,
    prompt_html,
    status,
    subheading,
)
from widgets.uk_date import UKDatePicker

__all__ = [
    "update_plan",
    "stored_questions",
    "feedback_html",
    "SignsOfSafetyPanel",
    "PlanPanel",
    "signs_of_safety_step",
    "plan_step",
    "plan_questions",
    "chosen_questions_changed",
    "PART_TITLES",
    "plan_in_parts",
    "parts_of",
]

# Both forms rewrite the same record: one read-change-write at a time, across every form.
_PLAN_WRITES = threading.Lock()

_STYLE = {"description_width": "14rem"}
_WIDE = ipw.Layout(width="44rem")
_BOX = ipw.Layout(width="44rem", height="4.5rem")
_BUTTON = ipw.Layout(width="max-content")
_ROW = ipw.Layout(border="1px solid #5f6368", padding="0.4rem", margin="0.3rem 0")


#: The plans open in this kernel, told when the chosen questions change.
_OPEN_PLANS: weakref.WeakSet[PlanPanel] = weakref.WeakSet()


def chosen_questions_changed(discussion_id: str) -> None:
    """Tell the open plans of ``discussion_id`` that a question was chosen or taken off."""
    for panel in list(_OPEN_PLANS):
        if panel.discussion_id == discussion_id:
            panel.refresh_questions()


def update_plan(session: SupervisorSession, **parts: Any) -> Plan:
    """Replace some parts of the stored plan (``map``, ``actions``…) and save it at once.

    Reading and writing happen under one lock, so a form changing the map
    never undoes an action another form has just saved.
    """
    with _PLAN_WRITES:
        plan = load_plan(session.store, session.discussion_id)
        data = {
            "id": plan.id,
            "map": plan.map,
            "actions": plan.actions,
            "family_questions": plan.family_questions,
            "checks": plan.checks,
            **parts,
        }
        return save_plan(session.store, session.discussion_id, Plan(**data))


def stored_questions(session: SupervisorSession) -> list[tuple[str, str | None]]:
    """The questions chosen in the questions step: (text, template id), once each, in order."""
    seen: set[str] = set()
    out = []
    for q in load_chosen(session.store, session.discussion_id):
        if q.text not in seen:
            seen.add(q.text)
            out.append((q.text, q.template or None))
    return out


def plan_questions(saved: list[FamilyQuestion],
                   chosen: list[tuple[str, str | None]]) -> list[FamilyQuestion]:
    """The plan's questions for the family: every question chosen in the questions step (in
    the order chosen), then the group's own, each once.

    A question saved in the plan from the bank that is no longer chosen has been taken off
    in the questions step, so it goes; the group's own questions stay.

    >>> saved = [FamilyQuestion(text="Who worries most?", question_id="C1"),
    ...          FamilyQuestion(text="What helps on Mondays?")]
    >>> [q.text for q in plan_questions(saved, [("What would Nan notice?", "C2")])]
    ['What would Nan notice?', 'What helps on Mondays?']
    """
    asked = {q.text: q.ask for q in saved}
    out = [FamilyQuestion(text=text, question_id=template, ask=asked.get(text, ""))
           for text, template in chosen]
    have = {q.text for q in out}
    for q in saved:
        if q.text not in have and q.question_id is None:
            out.append(q)
            have.add(q.text)
    return out


def feedback_html(feedback: list[Feedback], heading: str = "Things to consider") -> str:
    """Gentle remarks as an escaped list; nothing when there are none."""
    return render("widgets/plan/feedback.html.j2", heading=heading,
                  items=[f.message for f in feedback])


def _text(description: str, value: str = "", placeholder: str = "") -> ipw.Text:
    return ipw.Text(
        value=value, description=description, placeholder=placeholder,
        continuous_update=False, style=_STYLE, layout=_WIDE,
    )


def _area(description: str, value: str = "", placeholder: str = "") -> ipw.Textarea:
    return ipw.Textarea(
        value=value, description=description, placeholder=placeholder,
        continuous_update=False, style=_STYLE, layout=_BOX,
    )


def _watch(fields: list[ipw.ValueWidget], callback: Callable[[object], None]) -> None:
    for field in fields:
        field.observe(callback, names="value")


class _Form(StepWidget):
    """Shared plumbing: the session, a lock, a message line, saving with kind errors."""

    def __init__(self, session: SupervisorSession):
        super().__init__(session)
        self._quiet = False
        info = self.session_info
        self.session_date = info.date
        self.participants = info.participants
        self.case = session.case
        self.child = child_name(self.case)
        self.message = ipw.HTML()

    def _changed(self, _change: object = None) -> None:
        if self._quiet:
            return
        # Under ipykernel 7 callbacks may run on a comm thread: one save at a time.
        with self._lock:
            try:
                self._save()
            except STORE_ERRORS as e:
                self.message.value = alert(problem_text(e))
                return
            self.message.value = status("Saved.")
            self._after_save()

    def _save(self) -> None:
        raise NotImplementedError

    def _after_save(self) -> None:
        pass


# -- the Signs of Safety map --------------------------------------------------------------------


class _DangerRow:
    """A danger statement and the safety goal paired with it."""

    def __init__(
        self, danger: DangerStatement, goal: SafetyGoal | None, child: str,
        changed: Callable[[object], None], remove: Callable[[_DangerRow], None],
    ):
        self.id = danger.id
        self.goal_id = goal.id if goal else None
        self.who = _text("Who is worried", danger.who_worried, "e.g. the school, Priya, Mum")
        self.what = _area(
            "What they are worried about", danger.what_behaviour,
            "What happens, in words the family would recognise",
        )
        self.impact = _area(
            "If nothing changes", danger.impact_if_unchanged,
            f"What they fear could happen to {child}",
        )
        self.disputed = ipw.Checkbox(
            value=danger.disputed, description="The family does not agree with this worry",
            indent=False,
        )
        self.family_view = _text("The family's view", danger.family_view)
        self.goal = _area(
            "Safety goal", goal.text if goal else "",
            "What people will see when this worry is answered, said as what they will do",
        )
        self.sustained = _text(
            "For how long", goal.sustained_for if goal else "", "e.g. three months"
        )
        self.sentence = ipw.HTML()
        self.remove = ipw.Button(description="Remove this worry", layout=_BUTTON)
        self.remove.on_click(lambda _b: remove(self))
        _watch(
            [self.who, self.what, self.impact, self.disputed, self.family_view, self.goal,
             self.sustained],
            changed,
        )
        self.box = ipw.VBox(
            [self.who, self.what, self.impact, self.disputed, self.family_view, self.goal,
             self.sustained, self.sentence, self.remove],
            layout=_ROW,
        )
        self.show()

    def danger(self) -> DangerStatement | None:
        if not (self.who.value.strip() or self.what.value.strip() or self.impact.value.strip()):
            return None
        return DangerStatement(
            id=self.id, who_worried=self.who.value.strip(),
            what_behaviour=self.what.value.strip(),
            impact_if_unchanged=self.impact.value.strip(), disputed=self.disputed.value,
            family_view=self.family_view.value.strip(),
        )

    def safety_goal(self) -> SafetyGoal | None:
        if not self.goal.value.strip():
            return None
        extra = {"id": self.goal_id} if self.goal_id else {}
        goal = SafetyGoal(
            danger_id=self.id, text=self.goal.value.strip(),
            sustained_for=self.sustained.value.strip(), **extra,
        )
        self.goal_id = goal.id
        return goal

    def show(self) -> None:
        danger = self.danger()
        self.sentence.value = render(
            "widgets/plan/danger_sentence.html.j2",
            sentence=danger.sentence() if danger and danger.what_behaviour else "",
        )


class _ScaleRow:
    """One person's 0–10 judgement of safety and why."""

    def __init__(
        self, entry: ScaleEntry | None, day: dt.date,
        changed: Callable[[object], None], remove: Callable[[_ScaleRow], None],
    ):
        self.date = entry.date if entry else day
        self.who = _text("Whose score", entry.who if entry else "", "e.g. Priya, Mum, the school")
        self.score = ipw.IntSlider(
            value=entry.score if entry else 5, min=0, max=10, description="Score (0 to 10)",
            continuous_update=False, style=_STYLE, layout=_WIDE,
        )
        self.why = _area("Why this score", entry.why if entry else "",
                         "What makes it this number and not lower?")
        self.remove = ipw.Button(description="Remove this score", layout=_BUTTON)
        self.remove.on_click(lambda _b: remove(self))
        _watch([self.who, self.score, self.why], changed)
        self.box = ipw.VBox([self.who, self.score, self.why, self.remove], layout=_ROW)

    def entry(self) -> ScaleEntry | None:
        if not self.who.value.strip():
            return None
        return ScaleEntry(
            who=self.who.value.strip(), score=self.score.value, why=self.why.value.strip(),
            date=self.date,
        )


class SignsOfSafetyPanel(_Form):
    """The map's three columns, the paired goals and the scales; saved as the plan's map."""

    def __init__(self, session: SupervisorSession):
        super().__init__(session)
        signs = load_plan(self.store, session.discussion_id).map
        paired = {d.id for d in signs.dangers}
        first_goal: dict[str, SafetyGoal] = {}
        # Goals this form does not show (a second goal for one worry, or one whose worry has
        # gone) are kept as they are, so that nothing typed elsewhere is lost.
        self._other_goals: list[SafetyGoal] = []
        for goal in signs.safety_goals:
            if goal.danger_id in paired and goal.danger_id not in first_goal:
                first_goal[goal.danger_id] = goal
            else:
                self._other_goals.append(goal)
        vocabulary = load_plan_vocabulary().signs_of_safety
        one_a_line = "One a line"
        self.harms = _area("Harm that has happened", "\n".join(signs.harms), one_a_line)
        self.complicating = _area(
            "Complicating factors", "\n".join(signs.complicating), one_a_line
        )
        self.strengths = _area("Strengths", "\n".join(signs.strengths), one_a_line)
        self.existing_safety = _area(
            "Existing safety", "\n".join(signs.existing_safety), one_a_line
        )
        self.next_steps = _area("Next steps", "\n".join(signs.next_steps), one_a_line)
        _watch(
            [self.harms, self.complicating, self.strengths, self.existing_safety,
             self.next_steps],
            self._changed,
        )
        self.danger_rows = [
            _DangerRow(d, first_goal.get(d.id), self.child, self._changed, self._remove_danger)
            for d in signs.dangers
        ]
        self.scale_rows = [
            _ScaleRow(s, self.session_date, self._changed, self._remove_scale)
            for s in signs.scales
        ]
        self.dangers_box = ipw.VBox([r.box for r in self.danger_rows])
        self.scales_box = ipw.VBox([r.box for r in self.scale_rows])
        self.add_danger = ipw.Button(description="Add a danger statement", layout=_BUTTON)
        self.add_scale = ipw.Button(description="Add a score", layout=_BUTTON)
        self.add_danger.on_click(self._new_danger)
        self.add_scale.on_click(self._new_scale)
        self.feedback = ipw.HTML()
        self.intro = ipw.HTML(in_step(render("widgets/plan/map_intro.html.j2", tools=Markup(
            framework_tools_html(self.framework, "signs_of_safety", "In your framework: {tool}")
        ))))
        self.scale_question = ipw.HTML(render(
            "widgets/plan/scaling.html.j2",
            question=vocabulary.scale_question.format(child=self.child),
        ))
        self._show_feedback(signs)

    def current_map(self) -> SignsOfSafetyMap:
        """The map as the form shows it (blank rows left out)."""
        dangers, goals = [], []
        for row in self.danger_rows:
            danger = row.danger()
            if danger is None:
                continue
            dangers.append(danger)
            goal = row.safety_goal()
            if goal is not None:
                goals.append(goal)
        return SignsOfSafetyMap(
            harms=lines(self.harms.value),
            dangers=dangers,
            complicating=lines(self.complicating.value),
            strengths=lines(self.strengths.value),
            existing_safety=lines(self.existing_safety.value),
            safety_goals=[*goals, *self._other_goals],
            next_steps=lines(self.next_steps.value),
            scales=[e for e in (r.entry() for r in self.scale_rows) if e is not None],
        )

    def _save(self) -> None:
        update_plan(self.session, map=self.current_map())

    def _after_save(self) -> None:
        for row in self.danger_rows:
            row.show()
        self._show_feedback(self.current_map())

    def _show_feedback(self, signs: SignsOfSafetyMap) -> None:
        self.feedback.value = feedback_html(map_feedback(signs))

    def _new_danger(self, _button: object = None) -> None:
        with self._lock:
            empty = DangerStatement(who_worried="", what_behaviour="", impact_if_unchanged="")
            row = _DangerRow(empty, None, self.child, self._changed, self._remove_danger)
            self.danger_rows.append(row)
            self.dangers_box.children = [r.box for r in self.danger_rows]

    def _remove_danger(self, row: _DangerRow) -> None:
        with self._lock:
            self.danger_rows.remove(row)
            self._other_goals = [g for g in self._other_goals if g.danger_id != row.id]
            self.dangers_box.children = [r.box for r in self.danger_rows]
            self._changed()

    def _new_scale(self, _button: object = None) -> None:
        with self._lock:
            row = _ScaleRow(None, self.session_date, self._changed, self._remove_scale)
            self.scale_rows.append(row)
            self.scales_box.children = [r.box for r in self.scale_rows]

    def _remove_scale(self, row: _ScaleRow) -> None:
        with self._lock:
            self.scale_rows.remove(row)
            self.scales_box.children = [r.box for r in self.scale_rows]
            self._changed()

    def view(self) -> ipw.VBox:
        def heading(text: str) -> ipw.HTML:
            return ipw.HTML(subheading(text))

        return ipw.VBox([
            self.intro,
            heading("What are we worried about?"), self.harms,
            ipw.HTML(paragraph("Danger statements: who is worried, about what, and what they "
                               "fear will happen if nothing changes. Each has its safety goal.")),
            self.dangers_box, self.add_danger, self.complicating,
            heading("What is working well?"), self.strengths, self.existing_safety,
            heading("What needs to happen?"),
            ipw.HTML(paragraph("The safety goals sit with their danger statements above.")),
            self.next_steps,
            self.scale_question, self.scales_box, self.add_scale,
            self.message, self.feedback,
        ])


# -- questions, actions and checks --------------------------------------------------------------


class _ActionRow:
    """One action: what, who, by when, done, and the idea it explores."""

    def __init__(
        self, action: Action, owners: list[str], ideas: list[tuple[str, str]],
        changed: Callable[[object], None], remove: Callable[[_ActionRow], None],
    ):
        self.id = action.id
        self.what = _text(
            "What will be done", action.what, "e.g. Ask Maya what handovers feel like"
        )
        self.owner = ipw.Combobox(
            value=action.owner, options=owners, description="Who will do it",
            ensure_option=False, continuous_update=False, style=_STYLE, layout=_WIDE,
        )
        self.due = UKDatePicker(
            value=action.due, description="By when", style=_STYLE,
            layout=ipw.Layout(width="24rem"),
        )
        self.done = ipw.Checkbox(value=action.done, description="Done", indent=False)
        known = [v for _, v in ideas]
        if action.hypothesis_id and action.hypothesis_id not in known:
            ideas = [*ideas, ("An idea no longer active", action.hypothesis_id)]
        self.idea = ipw.Dropdown(
            options=ideas, value=action.hypothesis_id or "", description="The idea it explores",
            style=_STYLE, layout=_WIDE,
        )
        self.feedback = ipw.HTML()
        self.remove = ipw.Button(description="Remove this action", layout=_BUTTON)
        self.remove.on_click(lambda _b: remove(self))
        _watch([self.what, self.owner, self.due, self.done, self.idea], changed)
        self.box = ipw.VBox(
            [self.what, self.owner, ipw.HBox([self.due, self.done]), self.idea, self.feedback,
             self.remove],
            layout=_ROW,
        )

    def action(self) -> Action | None:
        if not self.what.value.strip():
            return None
        return Action(
            id=self.id, what=self.what.value.strip(), owner=self.owner.value.strip(),
            due=self.due.value, done=self.done.value, hypothesis_id=self.idea.value or None,
        )


class _CheckRow:
    """One principle of the framework, held up against the plan."""

    def __init__(self, item: CheckItem, changed: Callable[[object], None]):
        self.item = item
        self.considered = ipw.Checkbox(
            value=item.considered, description=f"{item.item}: considered", indent=False,
            layout=ipw.Layout(width="44rem"),
        )
        self.about = ipw.HTML(paragraph(item.description) if item.description else "")
        self.note = _text("How the plan shows it", item.note)
        _watch([self.considered, self.note], changed)
        self.box = ipw.VBox([self.considered, self.about, self.note], layout=_ROW)

    def check(self) -> CheckItem:
        return self.item.model_copy(
            update={"considered": self.considered.value, "note": self.note.value.strip()}
        )


class PlanPanel(_Form):
    """Questions to take to the family, SMART actions, and the framework's own checks."""

    def __init__(self, session: SupervisorSession):
        super().__init__(session)
        plan = load_plan(self.store, session.discussion_id)
        self.chosen_texts = {text for text, _ in stored_questions(session)}
        self.questions: list[FamilyQuestion] = plan_questions(
            list(plan.family_questions), stored_questions(session))
        self.own_question = _text("Your own question", placeholder="A question for the family")
        self.add_question = ipw.Button(description="Add this question", layout=_BUTTON)
        self.add_question.on_click(self._add_own_question)
        # Two columns, so every "Remove" button lines up beside its question.
        self.questions_box = ipw.GridBox(layout=ipw.Layout(
            grid_template_columns="minmax(0, 44rem) max-content", grid_gap="0.2rem 0.8rem",
            align_items="center"))
        self._show_questions()
        _OPEN_PLANS.add(self)

        self.owners = self._owners()
        # "" stands for "no particular idea": a menu cannot show None as chosen.
        self.ideas: list[tuple[str, str]] = [("No particular idea", "")] + [
            (clip(h.text, 70), h.id) for h in load_hypotheses(self.store, session.discussion_id,
                                                         "active")
        ]
        self.action_rows = [self._action_row(a) for a in plan.actions]
        self.actions_box = ipw.VBox([r.box for r in self.action_rows])
        self.add_action = ipw.Button(description="Add an action", layout=_BUTTON)
        self.add_action.on_click(self._new_action)

        self.check_rows = [
            _CheckRow(item, self._changed)
            for item in framework_checklist(self.framework, plan.checks)
        ]
        shown = {(r.item.tool_id, r.item.item) for r in self.check_rows}
        # Checks from another framework (if the session's framework changed) are kept as they were.
        self._other_checks = [c for c in plan.checks if (c.tool_id, c.item) not in shown]
        tools = sorted({r.item.tool_name for r in self.check_rows})
        self.checks_heading = ipw.HTML(
            render("widgets/plan/checks_heading.html.j2", tools=" and ".join(tools)))
        template = self.framework.plan_template
        self.intro = ipw.HTML(in_step(
            prompt_html(self.framework.prompt("plan"), self.child)
            + render("widgets/plan/plan_shape.html.j2", framework=self.framework.name,
                     guidance=template.guidance,
                     sections=[(s.title, s.guidance) for s in template.sections])
        ))
        self._show_feedback()

    def _owners(self) -> list[str]:
        names = [self.case.worker or ""] + [p.name for p in self.participants]
        from systemic.graces import display_name

        names += [display_name(p) for p in self.case.people if p.kind == "person" and p.alive]
        return list(dict.fromkeys(n for n in names if n))

    def _action_row(self, action: Action) -> _ActionRow:
        return _ActionRow(action, self.owners, self.ideas, self._changed, self._remove_action)

    # -- questions --
    def _show_questions(self) -> None:
        cells: list[ipw.Widget] = []
        for question in self.questions:
            remove = ipw.Button(description="Remove", layout=_BUTTON,
                                tooltip=f"Remove “{clip(question.text, 60)}” from the plan")
            remove.on_click(lambda _b, q=question: self._remove_question(q))
            cells += [ipw.HTML(render("widgets/plan/question.html.j2", text=question.text,
                                      chosen=question.text in self.chosen_texts)), remove]
        if not cells:
            cells = [ipw.HTML(paragraph("None yet: questions chosen in the questions step "
                                        "appear here by themselves, or add your own below.")),
                     ipw.HTML()]
        self.questions_box.children = cells

    def refresh_questions(self) -> None:
        """Show the questions chosen in the questions step now (chosen or taken off since)."""
        with self._lock:
            chosen = stored_questions(self.session)
            questions = plan_questions(self.questions, chosen)
            self.chosen_texts = {text for text, _ in chosen}
            if [q.text for q in questions] != [q.text for q in self.questions]:
                self.questions = questions
                self._show_questions()
                self._changed()
            else:
                self._show_questions()

    def _add_own_question(self, _button: object = None) -> None:
        with self._lock:
            text = self.own_question.value.strip()
            if not text:
                self.message.value = alert("Type the question first, then add it.")
                return
            if text not in {q.text for q in self.questions}:
                self.questions.append(FamilyQuestion(text=text))
            self.own_question.value = ""
            self._show_questions()
            self._changed()

    def _remove_question(self, question: FamilyQuestion) -> None:
        """Take a question out of the plan; a chosen one is taken off the chosen questions
        too, so it is gone everywhere (the questions step, the participants' screens)."""
        with self._lock:
            if question.text in self.chosen_texts:
                try:
                    for held in load_chosen(self.store, self.discussion_id):
                        if held.text == question.text:
                            delete_chosen(self.store, self.discussion_id, held)
                except STORE_ERRORS as e:
                    self.message.value = alert(not_saved_text(e, typed=False))
                    return
                self.chosen_texts.discard(question.text)
            self.questions = [q for q in self.questions if q.text != question.text]
            self._show_questions()
            self._changed()

    # -- actions --
    def _new_action(self, _button: object = None) -> None:
        with self._lock:
            self.action_rows.append(self._action_row(Action(what="")))
            self.actions_box.children = [r.box for r in self.action_rows]

    def _remove_action(self, row: _ActionRow) -> None:
        with self._lock:
            self.action_rows.remove(row)
            self.actions_box.children = [r.box for r in self.action_rows]
            self._changed()

    def _save(self) -> None:
        actions = [a for a in (r.action() for r in self.action_rows) if a is not None]
        update_plan(
            self.session,
            actions=actions,
            family_questions=list(self.questions),
            checks=[*(r.check() for r in self.check_rows), *self._other_checks],
        )

    def _after_save(self) -> None:
        self._show_feedback()

    def _show_feedback(self) -> None:
        for row in self.action_rows:
            action = row.action()
            row.feedback.value = (
                feedback_html(smart_feedback(action, self.session_date), "To make it clearer")
                if action else ""
            )

    def view(self) -> ipw.VBox:
        return ipw.VBox([
            self.intro,
            ipw.HTML(subheading("Questions to take to the family")),
            self.questions_box, ipw.HBox([self.own_question, self.add_question]),
            ipw.HTML(render("widgets/plan/actions_heading.html.j2")),
            self.actions_box, self.add_action,
            self.checks_heading, *[r.box for r in self.check_rows],
            self.message,
        ])


def signs_of_safety_step() -> ipw.Widget:
    """The Signs of Safety map for the session in progress (the newest in the store)."""
    return open_step(SignsOfSafetyPanel, "uncertainty")


def plan_step() -> ipw.Widget:
    """Questions for the family, SMART actions and the framework's checks, for the session."""
    return open_step(PlanPanel, "uncertainty")


# -- the plan in parts ----------------------------------------------------------------------

#: The step's four tools, each a titled part the supervisor opens and closes.
PART_TITLES = (
    "1. Safe uncertainty: where everyone is on the grid",
    "2. The social discipline window",
    "3. The Signs of Safety map",
    "4. Questions for the family and actions",
)


def plan_in_parts(open_part: int | None = 0) -> ipw.Widget:
    """The safe-uncertainty step as four titled parts, one open at a time (the first, at
    first): the grid, the social discipline window, the Signs of Safety map, the plan.

    Each title is a button (see :class:`widgets.parts.Parts`), so the keyboard opens it too.
    """
    from widgets.parts import Parts
    from widgets.uncertainty import discipline_window_step, uncertainty_step

    parts = [uncertainty_step(), discipline_window_step(), signs_of_safety_step(), plan_step()]
    said = {alert_line(part) for part in parts}
    if len(said) == 1 and None not in said:
        return parts[0]  # all four say the same (the case was erased): say it once
    made = Parts(PART_TITLES, parts, selected_index=open_part)
    made.view.add_class("wb-plan-parts")
    _PARTS[made.view] = made
    return made.view


#: The :class:`~widgets.parts.Parts` behind each view :func:`plan_in_parts` made.
_PARTS: weakref.WeakKeyDictionary[ipw.Widget, object] = weakref.WeakKeyDictionary()


def parts_of(view: ipw.Widget) -> object:
    """The parts behind a view made by :func:`plan_in_parts` (for tests and checks)."""
    return _PARTS[view]
