"""The check-in step: the framework's questions and a round in turn order, with a pass button.

Only binds :class:`systemic.checkin.CheckInRound` to a text box and two
buttons; each turn is written to the store at once (as a session record that
is deleted at the end of the session unless the supervisor keeps it).
"""

from __future__ import annotations

import ipywidgets as ipw

from systemic.checkin import CheckInRound, load_entries, save_entry
from systemic.html_templates import render
from systemic.session import SupervisorSession
from widgets.step_base import StepWidget
from widgets.step_panel import alert, open_step, problem_text

__all__ = ["CheckInPanel", "check_in"]


class CheckInPanel(StepWidget):
    def __init__(self, session: SupervisorSession):
        super().__init__(session)
        info, framework = self.session_info, self.framework
        self.questions = list(framework.check_in.questions)
        prompt = framework.prompt("check_in")
        names = [p.name for p in info.participants]
        self.round = CheckInRound(names, tuple(load_entries(session.store, session.session_id)))
        self.guidance = ipw.HTML(render(
            "widgets/checkin/guidance.html.j2", title=prompt.title, guidance=prompt.guidance,
            items=self.questions,
        ))
        self.turn = ipw.HTML()
        self.text = ipw.Textarea(
            placeholder="A few words, in their own words",
            layout=ipw.Layout(width="36rem", height="4rem"),
        )
        self.say = ipw.Button(description="Add their check-in", button_style="primary")
        self.skip = ipw.Button(description="They pass")
        self.message = ipw.HTML()
        self.say.on_click(self._answer)
        self.skip.on_click(self._pass)
        self._show()

    def _show(self) -> None:
        nxt = self.round.next_speaker()
        passed = self.round.passed()
        self.turn.value = render(
            "widgets/checkin/turn.html.j2", speaker=nxt,
            spoken=[(n, n in passed) for n in self.round.spoken()],
        )
        for button in (self.say, self.skip):
            button.disabled = nxt is None

    def _take(self, make_turn, *, typed: bool) -> None:  # type: ignore[no-untyped-def]
        # A pass is a press, not typing: a failed save then does not talk of typed text.
        # Under ipykernel 7 button callbacks may run on a comm thread: one turn at a time.
        with self._lock:
            name = self.round.next_speaker()
            if name is None:
                return
            try:
                new_round = make_turn(name)
            except ValueError as e:
                self.message.value = alert(problem_text(e))
                return
            with self.saving(typed=typed) as saved:
                save_entry(self.session.store, self.session.session_id, new_round.entries[-1])
            if not saved.ok:
                return
            self.round = new_round
            self.text.value = ""
            self.message.value = ""
            self._show()

    def _answer(self, _button: object = None) -> None:
        self._take(lambda name: self.round.answer(name, self.text.value), typed=True)

    def _pass(self, _button: object = None) -> None:
        self._take(self.round.pass_turn, typed=False)

    def view(self) -> ipw.VBox:
        return ipw.VBox(
            [self.guidance, self.turn, self.text, ipw.HBox([self.say, self.skip]), self.message]
        )


def check_in() -> ipw.Widget:
    """The check-in for the session in progress (the newest in the store)."""
    return open_step(CheckInPanel, "check_in")
