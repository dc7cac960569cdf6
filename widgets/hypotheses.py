"""The hypotheses step: the group's ideas with evidence, a gentle coach, the circularity round.

Only binds :mod:`systemic.hypotheses` to a form. The framework's own wording
for the step sits at the top, then the discussion's hypotheses (text, author,
status) and a form for one of them: who is involved (found in the words by
:mod:`systemic.hypothesis_people`, following them as they change, with the
supervisor's own additions and removals kept), evidence for, evidence against,
what we don't know (one item a line) and the graces considered. The coach reads
the text as it is typed and answers in a short list, encouragements apart from
invitations. Every change is saved at once; a choice the store refuses (a tick,
a grace, a person) goes back to what is stored, while typed words stay in their
boxes. A reworded idea keeps the old wording beside it (revise), and an idea the
group lets go of is set aside, not deleted.

:func:`circularity_exercise` runs the Camden Social Work Charter's circularity
round: each participant in turn adds to the last speaker's idea.
"""

from __future__ import annotations

import weakref
from contextlib import suppress
from typing import Any

import anywidget
import ipywidgets as ipw
import traitlets
from pydantic import ValidationError

from systemic.cases import Case
from systemic.frameworks import Framework, list_frameworks
from systemic.genogram.kinship import relations
from systemic.graces import display_name, fill_blanks, focal_child, load_grace_list
from systemic.html_templates import Markup, render
from systemic.hypotheses import (
    CircularityRound,
    Feedback,
    Hypothesis,
    coach,
    load_coach,
    load_hypotheses,
    load_rounds,
    revise,
    save_hypothesis,
    save_round,
    set_aside,
)
from systemic.hypothesis_people import HandChoices, follow_rewording, hand_choices
from systemic.session import SupervisorSession
from widgets.graces import TABLE_CSS
from widgets.step_base import STORE_ERRORS, StepWidget, not_saved_text
from widgets.step_panel import (
    alert,
    in_step,
    lines,
    open_step,
    prompt_html,
)

__all__ = [
    "coach_html",
    "CoachFeedback",
    "HypothesesStep",
    "CircularityPanel",
    "hypotheses_step",
    "circularity_exercise",
]

_STATUS_WORDS = {
    "active": "active", "revised": "revised (reworded below)", "set_aside": "set aside",
}
# The list-level note replaces the coach's own "fewer than three": it is said once, by the list.
_LISTED_ONCE = {"fewer_than_three"}

# Hypotheses steps on screen, so that ideas from a circularity round show up in them at once.
_OPEN_STEPS: weakref.WeakSet[HypothesesStep] = weakref.WeakSet()


def coach_html(feedback: list[Feedback]) -> str:
    """The coach's remarks as a short escaped list: what works, then what to think about.

    >>> print(coach_html([]))  # doctest: +ELLIPSIS
    <div class='wb-coach'><p>The coach reads your idea as you type...</div>
    >>> "&lt;b&gt;" in coach_html([Feedback(rule_id="certainty", severity="gentle",
    ...                                     message="<b>")])
    True
    """
    return render(
        "widgets/hypotheses/coach.html.j2",
        good=[f.message for f in feedback if f.positive],
        invite=[f.message for f in feedback if not f.positive],
    )


class CoachFeedback(anywidget.AnyWidget):
    """The coach's remarks in a live region that stays on the page, so screen readers hear them.

    An ``ipywidgets.HTML`` replaces everything inside it on each change, and a live region
    made afresh is not announced; this one keeps its ``aria-live="polite"`` element and only
    swaps what is inside. ``value`` is HTML already escaped by :func:`coach_html`.
    """

    _esm = """
    function render({ model, el }) {
      const region = document.createElement("div");
      region.setAttribute("aria-live", "polite");
      region.setAttribute("aria-label", "The coach's thoughts on this idea");
      const show = () => { region.innerHTML = model.get("value"); };
      show();
      model.on("change:value", show);
      el.appendChild(region);
      return () => model.off("change:value", show);
    }
    export default { render };
    """
    _css = """
    .wb-coach { font-family: system-ui, sans-serif; color: #1a1a1a; max-width: 40rem; }
    .wb-coach-good { border-left: 4px solid #1e6b30; padding-left: 1.6rem; }
    .wb-coach-invite { border-left: 4px solid #0b5394; padding-left: 1.6rem; }
    """
    value = traitlets.Unicode("").tag(sync=True)


def _person_options(case: Case, worker: str | None) -> list[tuple[str, str]]:
    try:
        terms = relations(case)
    except (ValueError, KeyError):  # no focal child: names alone
        terms = {}
    options = [
        (f"{p.name} — {terms[p.id]}" if p.id in terms else p.name, p.id)
        for p in case.people if p.kind in ("person", "pregnancy")
    ]
    options.append((f"{worker}, the worker" if worker else "The worker", "worker"))
    options.append(("The professionals around the family", "professionals"))
    return options


class HypothesesStep(StepWidget):
    """The discussion's hypotheses and a form for one of them at a time."""

    def __init__(self, session: SupervisorSession):
        super().__init__(session)
        self._loading = False
        self._refused = False  # the store refused the last save
        info = self.session_info
        self.case: Case = session.case
        self.grace_list = load_grace_list(self.store, self.discussion_id)
        self.hypotheses: list[Hypothesis] = load_hypotheses(self.store, self.discussion_id)
        self.current: Hypothesis | None = None  # None: a new idea, saved once it has words
        # The people involved: taken from the words, then added to or taken out by hand.
        self.people_chosen: list[str] = []
        self.hand = HandChoices()  # who the supervisor added or took out, kept as words change
        self.names = {p.id: display_name(p) for p in self.case.people}

        self.guidance = ipw.HTML(self._guidance_html())
        self.overview = ipw.HTML()
        self.chooser = ipw.Dropdown(description="Idea", style={"description_width": "9rem"},
                                    layout=ipw.Layout(width="42rem"))
        self.new_button = ipw.Button(description="Start a new idea", button_style="primary")
        self._build_form([p.name for p in info.participants])
        self._build_actions()
        self._bind()
        self._show_list()
        self._load_form(None)
        _OPEN_STEPS.add(self)

    def _build_form(self, participants: list[str]) -> None:
        """The idea's own fields: its words, who offered it, the people, evidence, graces."""
        wide = ipw.Layout(width="42rem")
        label = {"description_width": "9rem"}
        self.text = ipw.Textarea(
            placeholder="I wonder whether…", description="The idea", continuous_update=True,
            layout=ipw.Layout(width="42rem", height="5rem"), style=label,
        )
        self.author = ipw.Combobox(
            options=participants, placeholder="Who offered it", description="Offered by",
            ensure_option=False, continuous_update=False, style=label,
        )
        self.status = ipw.HTML()
        self.person_options = _person_options(self.case, self.case.worker)
        self.people_box = ipw.HBox(layout=ipw.Layout(flex_flow="row wrap"))
        self.add_person = ipw.Dropdown(description="Add someone", style=label,
                                       layout=ipw.Layout(width="42rem"))
        self.people = ipw.VBox([
            ipw.HTML(render("widgets/hypotheses/people_intro.html.j2")),
            self.people_box, self.add_person,
        ])
        self.evidence_for = self._items("What fits", "One thing a line")
        self.evidence_against = self._items("What doesn't fit", "One thing a line")
        self.unknowns = self._items("What we don't know", "One question a line")
        self.graces = ipw.SelectMultiple(
            options=[(g.label, g.id) for g in self.grace_list.graces()],
            description="Graces considered", rows=6, layout=wide, style=label,
        )
        self.feedback = CoachFeedback(value=coach_html([]))

    def _build_actions(self) -> None:
        """Rewording, setting aside, bringing back and sharing an idea."""
        label = {"description_width": "9rem"}
        self.revision = ipw.Textarea(
            placeholder="The new wording; the old one is kept, marked revised",
            description="Reword it", layout=ipw.Layout(width="42rem", height="4rem"), style=label,
        )
        auto = ipw.Layout(width="auto")
        self.revise_button = ipw.Button(description="Keep the old wording and save the new",
                                        layout=auto)
        self.set_aside_button = ipw.Button(description="Set this idea aside", layout=auto)
        self.bring_back_button = ipw.Button(description="Bring it back", layout=auto)
        self.message = ipw.HTML()
        self.share_button = ipw.Button(description="Share with the group", layout=auto,
                                       tooltip="The group sees the idea once you share it")
        self.keep_from_group = ipw.Checkbox(description="Keep this idea from the group",
                                            indent=False)

    def _bind(self) -> None:
        """Every field saves as it changes; the buttons act at once."""
        self.text.observe(self._text_changed, names="value")
        self.keep_from_group.observe(self._field_changed, names="value")
        self.share_button.on_click(self._field_changed)
        for widget in (self.author, self.evidence_for, self.evidence_against, self.unknowns,
                       self.graces):
            widget.observe(self._field_changed, names="value")
        self.add_person.observe(self._person_added, names="value")
        self.chooser.observe(self._chosen, names="value")
        self.new_button.on_click(self._new)
        self.revise_button.on_click(self._revise)
        self.set_aside_button.on_click(self._set_aside)
        self.bring_back_button.on_click(self._bring_back)

    @staticmethod
    def _items(description: str, placeholder: str) -> ipw.Textarea:
        return ipw.Textarea(
            placeholder=placeholder, description=description, continuous_update=False,
            layout=ipw.Layout(width="42rem", height="4rem"), style={"description_width": "9rem"},
        )

    # -- wording ---------------------------------------------------------------------------------

    def _guidance_html(self) -> str:
        prompt = self.framework.prompt("hypotheses")
        child = focal_child(self.case)
        member = next(
            (m for h in self.case.households if child in h.members for m in h.members
             if m != child and self.case.person(m).kind == "person"),
            None,
        )
        return in_step(prompt_html(
            prompt,
            child=self.names.get(child, "the child") if child else "the child",
            family_member=self.names.get(member, "the family") if member else "the family",
        ))

    def _few_note(self) -> str:
        """The coach's "fewer than three ideas" note, said once by the list ("" when enough)."""
        rule = load_coach().rule("fewer_than_three")
        minimum = rule.minimum or 3
        count = len([h for h in self.hypotheses if h.active])
        if not rule.enabled or count >= minimum:
            return ""
        return fill_blanks(rule.message, count=str(count), minimum=str(minimum))

    # -- the list --------------------------------------------------------------------------------

    def _show_list(self) -> None:
        self.overview.value = render(
            "widgets/hypotheses/overview.html.j2", css=Markup(TABLE_CSS),
            rows=[(h.text, h.author or "—", _STATUS_WORDS[h.status]) for h in self.hypotheses],
            few=self._few_note(),
        )
        options = [("A new idea", "")] + [
            (f"{i}. {h.text[:60]}{'…' if len(h.text) > 60 else ''} ({_STATUS_WORDS[h.status]})",
             h.id)
            for i, h in enumerate(self.hypotheses, 1)
        ]
        was = self._loading
        self._loading = True
        try:
            self.chooser.options = options
            self.chooser.value = self.current.id if self.current and self.current.id else ""
        finally:
            self._loading = was

    # -- the form --------------------------------------------------------------------------------

    def _load_form(self, h: Hypothesis | None) -> None:
        with self._lock:
            self._loading = True
            try:
                self.current = h
                self.text.value = h.text if h else ""
                self.author.value = h.author if h else ""
                known = {value for _, value in self.person_options}
                self.people_chosen = [p for p in (h.people_involved if h else []) if p in known]
                self.hand = hand_choices(self.text.value, self.people_chosen, self.case)
                self._show_people()
                self.evidence_for.value = "\n".join(h.evidence_for) if h else ""
                self.evidence_against.value = "\n".join(h.evidence_against) if h else ""
                self.unknowns.value = "\n".join(h.unknowns) if h else ""
                shown = {value for _, value in self.graces.options}
                self.graces.value = tuple(g for g in (h.graces_considered if h else [])
                                          if g in shown)
                self.keep_from_group.value = bool(h.kept_from_group) if h else False
                self.revision.value = ""
                self.message.value = ""
            finally:
                self._loading = False
            self._show_status()
            self._show_list()
            self._show_feedback()

    def _show_status(self) -> None:
        h = self.current
        active = h is None or h.active
        self.text.disabled = not active
        self.revise_button.disabled = h is None or not h.id or not active
        self.revision.disabled = self.revise_button.disabled
        self.set_aside_button.disabled = h is None or not h.id or not active
        self.bring_back_button.disabled = h is None or h.status != "set_aside"
        if h is None or not h.id:
            self.status.value = render("widgets/hypotheses/status.html.j2", status="")
            return
        earlier = next((o for o in self.hypotheses if o.id == h.revised_from), None) \
            if h.revised_from else None
        self.status.value = render(
            "widgets/hypotheses/status.html.j2", status=_STATUS_WORDS[h.status],
            earlier=earlier.text if earlier is not None else "",
        )

    def form_hypothesis(self, draft: bool = False) -> Hypothesis:
        """The hypothesis as the form shows it now (not saved by this call).

        ``draft``: the words are still being typed (saved, not shown to the group).
        """
        base = self.current or Hypothesis()
        return Hypothesis.model_validate({
            **base.model_dump(),
            "draft": draft,
            "kept_from_group": bool(self.keep_from_group.value),
            "text": self.text.value,
            "author": (self.author.value or "").strip(),
            "people_involved": list(self.people_chosen),
            "evidence_for": lines(self.evidence_for.value),
            "evidence_against": lines(self.evidence_against.value),
            "unknowns": lines(self.unknowns.value),
            "graces_considered": list(self.graces.value),
        })

    def _show_feedback(self) -> None:
        try:
            h = self.form_hypothesis()
        except ValidationError:
            return
        feedback = coach(h.text, hypothesis=h, case=self.case, all_hypotheses=self.hypotheses,
                         names=self.names, graces=self.grace_list)
        self.feedback.value = coach_html([f for f in feedback if f.rule_id not in _LISTED_ONCE])

    def save(self, draft: bool = False, typed: bool = True) -> Hypothesis | None:
        """Save the form at once (a new idea only once it has words); return what was saved.

        While the idea is being typed it is saved as a draft: kept, never shown
        to the group. It reaches the group when the supervisor finishes it (the
        "Share with the group" button, or moving on to another part of the form).
        ``typed=False``: the save is of a choice, so a refusal says nothing of typed text.
        """
        with self._lock:
            try:
                h = self.form_hypothesis(draft=draft)
            except ValidationError:
                self.message.value = alert(
                    "That is too long to keep in one box — shorten it, or split it over lines."
                )
                return None
            if not h.id and not h.text.strip():
                return None
            self._refused = False
            try:
                saved = save_hypothesis(self.store, self.discussion_id, h)
            except STORE_ERRORS as e:
                self._refused = True
                self.message.value = alert(not_saved_text(e, typed=typed))
                return None
            self._keep(saved)
            self.current = saved
            self.message.value = ""
            self._show_status()
            self._show_list()
            return saved

    def _keep(self, h: Hypothesis) -> None:
        for i, known in enumerate(self.hypotheses):
            if known.id == h.id:
                self.hypotheses[i] = h
                return
        self.hypotheses.append(h)

    # -- what the supervisor does ------------------------------------------------------------------

    def _text_changed(self, _change: object = None) -> None:
        with self._lock:
            if self._loading:
                return
            self._follow_words()
            self.save(draft=True)
            self._show_feedback()

    # -- the people involved -----------------------------------------------------------------------

    def _follow_words(self) -> None:
        """Read the people from the new words, keeping whoever was added or taken out by hand."""
        known = {value for _, value in self.person_options}
        self.people_chosen = [p for p in self.hand.apply(self.text.value, self.case)
                              if p in known]
        self._show_people()

    def _show_people(self) -> None:
        called = {value: label.split(" — ")[0] for label, value in self.person_options}
        chips = []
        for pid in self.people_chosen:
            chip = ipw.Button(description=called.get(pid, pid), icon="times",
                              tooltip=f"Take {called.get(pid, pid)} out of the people involved",
                              layout=ipw.Layout(width="fit-content", margin="0 0.3rem 0.3rem 0"))
            chip.on_click(lambda _b, pid=pid: self.remove_person(pid))
            chips.append(chip)
        if not chips:
            chips = [ipw.HTML(render("widgets/hypotheses/no_people.html.j2"))]
        self.people_box.children = chips
        was = self._loading
        self._loading = True
        try:
            self.add_person.options = [("Choose someone…", "")] + [
                (label, value) for label, value in self.person_options
                if value not in self.people_chosen]
            self.add_person.value = ""
        finally:
            self._loading = was

    def _person_added(self, change: dict[str, Any]) -> None:
        if not self._loading and change["new"]:
            self.add_person_involved(change["new"])

    def add_person_involved(self, pid: str) -> None:
        """Add someone to the people involved by hand; saved at once."""
        with self._lock:
            chosen = self.people_chosen + ([] if pid in self.people_chosen else [pid])
            self._choose_people(self.hand.add(pid), chosen)

    def remove_person(self, pid: str) -> None:
        """Take someone out of the people involved by hand; saved at once."""
        with self._lock:
            chosen = [p for p in self.people_chosen if p != pid]
            self._choose_people(self.hand.remove(pid), chosen)

    def _choose_people(self, hand: HandChoices, chosen: list[str]) -> None:
        """Save a hand choice of people at once; a refused one goes back, the words stay."""
        before = self.hand, self.people_chosen
        self.hand, self.people_chosen = hand, chosen
        self._show_people()
        self.save(typed=False)
        if self._refused:
            self.hand, self.people_chosen = before
            self._show_people()
        self._show_feedback()

    def _field_changed(self, change: object = None) -> None:
        with self._lock:
            if self._loading:
                return
            owner = change.get("owner") if isinstance(change, dict) else None
            choice = owner is self.keep_from_group or owner is self.graces
            self.save(typed=not choice)
            if self._refused and choice:
                self._put_back_choices()
            self._show_feedback()

    def _put_back_choices(self) -> None:
        """Refused ticks and graces go back to what is stored (typed words stay): the box
        never shows an idea as kept from the group while the group can still see it, nor
        a grace as considered that a later save would quietly keep."""
        stored = self.current
        shown = {value for _, value in self.graces.options}
        self._loading = True
        try:
            self.keep_from_group.value = bool(stored and stored.kept_from_group)
            self.graces.value = tuple(g for g in (stored.graces_considered if stored else [])
                                      if g in shown)
        finally:
            self._loading = False

    def _chosen(self, change: dict[str, Any]) -> None:
        with self._lock:
            if self._loading:
                return
            chosen = next((h for h in self.hypotheses if h.id == change["new"]), None)
            self._finish_draft()
            self._load_form(chosen)

    def _new(self, _button: object = None) -> None:
        self._finish_draft()
        self._load_form(None)

    def _finish_draft(self) -> None:
        """Leaving an idea still marked as a draft shares it (unless kept from the group)."""
        with self._lock:
            if self.current is not None and self.current.draft and self.current.id:
                self.save()

    def _revise(self, _button: object = None) -> None:
        with self._lock:
            if self.current is None or not self.current.id:
                return
            try:
                old, new = revise(self.current, self.revision.value)
                # The reworded idea follows its new words for the people involved.
                new = new.model_copy(update={"people_involved": follow_rewording(
                    old.text, list(old.people_involved), new.text, self.case)})
                old, new = self._save_revision(old, new)
            except STORE_ERRORS as e:
                # The new wording is typed: it stays in its box to try again.
                self.message.value = alert(not_saved_text(e))
                return
            self._keep(old)
            self._keep(new)
            self._load_form(new)

    def _save_revision(self, old: Hypothesis, new: Hypothesis) -> tuple[Hypothesis, Hypothesis]:
        """Save both wordings, or neither: an old idea is never left revised with no new one."""
        old = save_hypothesis(self.store, self.discussion_id, old)
        try:
            return old, save_hypothesis(self.store, self.discussion_id, new)
        except STORE_ERRORS:
            if self.current is not None:
                with suppress(*STORE_ERRORS):  # put the old idea back as it was
                    save_hypothesis(self.store, self.discussion_id, self.current)
            raise

    def _set_status(self, h: Hypothesis) -> None:
        with self._lock:
            try:
                saved = save_hypothesis(self.store, self.discussion_id, h)
            except STORE_ERRORS as e:
                self.message.value = alert(not_saved_text(e, typed=False))
                return
            self._keep(saved)
            self._load_form(saved)

    def _set_aside(self, _button: object = None) -> None:
        if self.current is not None and self.current.id:
            self._set_status(set_aside(self.current))

    def _bring_back(self, _button: object = None) -> None:
        if self.current is not None and self.current.status == "set_aside":
            self._set_status(self.current.model_copy(update={"status": "active"}))

    def reload(self) -> None:
        """Read the hypotheses again (after a circularity round added some), keeping the form."""
        with self._lock:
            self.hypotheses = load_hypotheses(self.store, self.discussion_id)
            self._show_list()
            self._show_feedback()

    def view(self) -> ipw.VBox:
        buttons = ipw.HBox([self.revise_button, self.set_aside_button, self.bring_back_button])
        return ipw.VBox([
            self.guidance, self.overview, ipw.HBox([self.chooser, self.new_button]),
            self.text, ipw.HBox([self.share_button, self.keep_from_group]), self.feedback,
            self.author, self.status, self.people,
            self.evidence_for, self.evidence_against, self.unknowns, self.graces,
            self.revision, buttons, self.message,
        ])


# --- the circularity round (Camden Social Work Charter) ----------------------------------------


def _circularity_tool(framework: Framework) -> tuple[str, str] | None:
    """The exercise's description, from this framework or else the one that names it."""
    for source in (framework, *list_frameworks()):
        for tool in source.practice_tools:
            if tool.kind == "circularity_exercise":
                return source.name, tool.description
    return None


class CircularityPanel(StepWidget):
    """Participants in turn, each adding to the last speaker's idea; saved after every turn."""

    def __init__(self, session: SupervisorSession):
        super().__init__(session)
        info, framework = self.session_info, self.framework
        self.participants = [p.name for p in info.participants]
        rounds = load_rounds(self.store, self.discussion_id)
        self.round: CircularityRound | None = (
            rounds[-1] if rounds and not rounds[-1].closed else self._fresh()
        )

        tool = _circularity_tool(framework)
        source, description = tool if tool is not None else ("", "")
        self.guidance = ipw.HTML(in_step(render(
            "widgets/hypotheses/circularity_intro.html.j2", description=description,
            source="" if source == framework.name else source,
        )))
        self.turn = ipw.HTML()
        self.last_idea = ipw.HTML()
        self.text = ipw.Textarea(
            placeholder="Their idea, linked to the one before",
            layout=ipw.Layout(width="42rem", height="4rem"),
        )
        self.add_button = ipw.Button(description="Add their idea", button_style="primary")
        self.pass_button = ipw.Button(description="They pass")
        self.end_button = ipw.Button(description="End the round")
        self.new_round_button = ipw.Button(description="Start a new round")
        self.to_hypotheses = ipw.Button(description="Add the round's ideas to our hypotheses",
                                        layout=ipw.Layout(width="auto"))
        self.end_button.layout = ipw.Layout(width="auto")
        self.new_round_button.layout = ipw.Layout(width="auto")
        self.chain = ipw.HTML()
        self.message = ipw.HTML()
        self.add_button.on_click(self._add)
        self.pass_button.on_click(self._pass)
        self.end_button.on_click(self._end)
        self.new_round_button.on_click(self._new_round)
        self.to_hypotheses.on_click(self._copy_to_hypotheses)
        self._show()

    def _fresh(self) -> CircularityRound | None:
        if not self.participants:
            return None
        return CircularityRound(participants=self.participants)

    def _show(self) -> None:
        r = self.round
        buttons = (self.add_button, self.pass_button, self.end_button)
        if r is None:
            self.turn.value = alert(
                "There is no one in this session's group yet — add the participants in "
                "00 Start the session, then run this cell again."
            )
            for b in (*buttons, self.new_round_button, self.to_hypotheses):
                b.disabled = True
            return
        speaker = r.next_speaker()
        for b in buttons:
            b.disabled = speaker is None
        self.to_hypotheses.disabled = not any(not c.passed for c in r.contributions)
        self.turn.value = render("widgets/hypotheses/turn.html.j2", speaker=speaker,
                                 prompt=r.prompt())
        self.last_idea.value = render("widgets/hypotheses/last_idea.html.j2",
                                      last=r.builds_on(len(r.contributions)))
        self.chain.value = render("widgets/hypotheses/chain.html.j2", links=list(r.links()))

    def _act(self, action: str) -> None:
        # Under ipykernel 7 button callbacks may run on a comm thread: one turn at a time.
        with self._lock:
            r = self.round
            if r is None:
                return
            speaker = r.next_speaker()
            try:
                if action == "add":
                    r.add(speaker or "", self.text.value)
                elif action == "pass":
                    r.pass_turn(speaker or "")
                else:
                    r.close()
                self.round = save_round(self.store, self.discussion_id, r)
            except STORE_ERRORS as e:
                self.message.value = alert(not_saved_text(e, typed=action == "add"))
                return
            if action == "add":
                self.text.value = ""
            self.message.value = ""
            self._show()

    def _add(self, _button: object = None) -> None:
        self._act("add")

    def _pass(self, _button: object = None) -> None:
        self._act("pass")

    def _end(self, _button: object = None) -> None:
        self._act("close")

    def _new_round(self, _button: object = None) -> None:
        with self._lock:
            if self.round is not None and self.round.id and not self.round.closed:
                self.round.close()
                save_round(self.store, self.discussion_id, self.round)
            self.round = self._fresh()
            self.message.value = ""
            self._show()

    def _copy_to_hypotheses(self, _button: object = None) -> None:
        with self._lock:
            if self.round is None:
                return
            have = {(h.text.strip(), h.author) for h in
                    load_hypotheses(self.store, self.discussion_id)}
            added = 0
            try:
                for h in self.round.as_hypotheses():
                    if (h.text.strip(), h.author) not in have:
                        save_hypothesis(self.store, self.discussion_id, h)
                        added += 1
            except STORE_ERRORS as e:
                self.message.value = alert(not_saved_text(e, typed=False))
                return
            for step in list(_OPEN_STEPS):
                if step.discussion_id == self.discussion_id:
                    step.reload()
            self.message.value = render("widgets/hypotheses/copied.html.j2", added=added)

    def view(self) -> ipw.VBox:
        return ipw.VBox([
            self.guidance, self.turn, self.last_idea, self.text,
            ipw.HBox([self.add_button, self.pass_button, self.end_button]),
            self.chain, ipw.HBox([self.new_round_button, self.to_hypotheses]), self.message,
        ])


def hypotheses_step() -> ipw.Widget:
    """The hypotheses step for the session in progress (as ``resume_session`` finds it)."""
    return open_step(HypothesesStep, "hypotheses")


def circularity_exercise() -> ipw.Widget:
    """The circularity round for the session in progress (as ``resume_session`` finds it)."""
    return open_step(CircularityPanel, "hypotheses")
