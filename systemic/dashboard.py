"""What participants see: the session as escaped HTML sections and one genogram SVG.

A room of laptops follows the supervisor through a participant's dashboard.
Everything those pages show is computed here, from Jinja templates with
autoescaping (``systemic/templates/dashboard/``), so it can be tested
without a browser; the dashboard widget only sets values. Typed text is
escaped (a name like ``<img src=x onerror=alert(1)>`` is shown literally),
and for any case not marked fictional, names are replaced by initials or
role labels everywhere on the page (:class:`Naming`).

The page is cut into sections (:data:`SECTIONS`) so that a change redraws only
the parts it touched: :func:`sections_for` reads the store's change feed
(ids and kinds, never content), and :class:`SessionView` re-reads and
re-renders just those parts. With thirty viewers, each in its own kernel, a
new hypothesis then costs thirty small renders of one list, not thirty
genogram layouts. The wording is data (``systemic/dashboard.yaml``).

>>> from systemic.cases import Case, Person
>>> case = Case(id="c", title="The Rivers family", fictional=False,
...             people=[Person(id="mia", name="Mia Rivers", index=True)])
>>> naming = Naming.for_case(case)
>>> naming.name("mia"), naming.redact("Mia Rivers feels unheard")
('M.R.', 'M.R. feels unheard')
>>> sorted(sections_for([("hypothesis", "created")]))
['hypotheses']
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from systemic import steps
from systemic.cases import Case
from systemic.datafile import load_model_once
from systemic.errors import UnknownSession, WorkbookError
from systemic.html_templates import Markup, render
from systemic.store import Change, Store

__all__ = [
    "SECTIONS",
    "HTML_SECTIONS",
    "ALL_PARTS",
    "DashboardWording",
    "DashboardSettings",
    "Naming",
    "private_naming",
    "SessionView",
    "load_wording",
    "save_dashboard_settings",
    "load_dashboard_settings",
    "sections_for",
    "render_header",
    "render_waiting",
    "render_unavailable",
    "render_graces",
    "render_hypotheses",
    "render_questions",
    "render_uncertainty",
    "render_plan",
    "render_genogram",
    "render_genogram_heading",
    "render_ecomap",
    "ecomap_drawing",
    "initials",
]

#: The parts of the page, top to bottom: the header, then the sections the steps feed, in
#: session order (from the step registry). ``genogram`` is an SVG; the others are HTML.
SECTIONS: tuple[str, ...] = ("header", *steps.sections())
HTML_SECTIONS: tuple[str, ...] = tuple(s for s in SECTIONS if s != "genogram")
#: Besides the sections: who is selected ("follow the presenter") and which sections the
#: current step highlights; both change with the session row and cost no redraw.
ALL_PARTS: frozenset[str] = frozenset((*SECTIONS, "selected", "highlight", "step"))

#: Records of kind ``tag`` that hold the dashboard's settings carry this ``record_type``.
SETTINGS_RECORD = "dashboard_settings"
_WORDING_FILE = Path(__file__).with_name("dashboard.yaml")


# -- wording -----------------------------------------------------------------------------------


class _Words(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Notice(_Words):
    heading: str
    text: str


class DashboardWording(_Words):
    """Everything the dashboard says, read from ``systemic/dashboard.yaml``."""

    source: str = Field(min_length=1)
    title_fallback: str
    framework: str
    now: str
    thinking_about: str
    ended: str
    training_case: str
    real_case: str
    case_question: str
    hidden_name: str
    staff_names: dict[str, str]
    waiting: _Notice
    unavailable: _Notice
    sections: dict[str, dict[str, str]]
    question_types: dict[str, str]

    def section(self, name: str, key: str) -> str:
        """A sentence of one section; a missing key is shown as nothing, never an error."""
        return self.sections.get(name, {}).get(key, "")


def load_wording(path: str | Path | None = None) -> DashboardWording:
    """Read the dashboard's wording (default ``systemic/dashboard.yaml``).

    >>> load_wording().sections["plan"]["heading"]
    'The plan'
    """
    return load_model_once(DashboardWording, path, _WORDING_FILE)


# -- settings the supervisor chooses ---------------------------------------------------------------


class DashboardSettings(BaseModel):
    """What the supervisor chooses about the participants' pages.

    ``labels`` is how people are named when names are hidden: ``"initials"``
    or ``"roles"`` ("Mum", "Child (9)"). Names are always hidden for a case not
    marked fictional; ``hide_names`` hides them on a training case too.
    ``share_staff_graces`` shows the worker's and supervisor's own graces,
    which are private by default (DOMAIN.md §1.4).

    >>> DashboardSettings().labels, DashboardSettings().share_staff_graces
    ('initials', False)
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    record_type: Literal["dashboard_settings"] = SETTINGS_RECORD
    labels: Literal["initials", "roles"] = "initials"
    hide_names: bool = False
    share_staff_graces: bool = False


def save_dashboard_settings(store: Store, session_id: str, settings: DashboardSettings) -> None:
    """Keep the settings with the session (one record, replaced on each save).

    They are a session record of kind ``tag``; participants' pages redraw
    whole when they change.
    """
    existing = _settings_records(store, session_id)
    payload = settings.model_dump(mode="json")
    store.put_record(session_id, "tag", payload, record_id=existing[-1].id if existing else None)


def _settings_records(store: Store, session_id: str) -> list[Any]:
    return [
        r
        for r in store.records(session_id, "tag")
        if r.discussion_id is None and r.payload.get("record_type") == SETTINGS_RECORD
    ]


def load_dashboard_settings(store: Store, session_id: str) -> DashboardSettings:
    """The session's settings, or the defaults (initials, staff graces private).

    >>> import tempfile, pathlib
    >>> store = Store.open(pathlib.Path(tempfile.mkdtemp()) / "d.db")
    >>> sid = store.create_session("Demo", "camden_practice_framework")
    >>> save_dashboard_settings(store, sid, DashboardSettings(labels="roles"))
    >>> load_dashboard_settings(store, sid).labels
    'roles'
    >>> store.close()
    """
    found = _settings_records(store, session_id)
    if not found:
        return DashboardSettings()
    try:
        return DashboardSettings.model_validate(found[-1].payload)
    except ValidationError:
        return DashboardSettings()  # unreadable settings fall back to the private defaults


# -- names ---------------------------------------------------------------------------------------


def initials(name: str) -> str:
    """Initials for privacy mode, as the genogram shows them.

    >>> initials("Jayden Clarke-Okafor"), initials("  ")
    ('J.C.O.', '?')
    """
    from systemic.genogram.draw import initials as genogram_initials

    return genogram_initials(name)


_NICKNAME = re.compile(r"\(([^()]{1,40})\)")


def _name_variants(name: str) -> set[str]:
    """The ways a name may be written in a note: whole, nickname, each capitalised part.

    Lower-case parts are ordinary words ("Amira and Tunde's baby"), not names.

    >>> sorted(_name_variants("Kayode (Kay) Adeyemi-Hart"))
    ['Adeyemi', 'Adeyemi-Hart', 'Hart', 'Kay', 'Kayode', 'Kayode (Kay) Adeyemi-Hart']
    """
    out = {name.strip()}
    out.update(m.strip() for m in _NICKNAME.findall(name))
    plain = _NICKNAME.sub(" ", name)
    for word in plain.split():
        word = re.sub(r"['’]s$", "", word.strip(".,;:!?\"'’"))
        for part in {word, *word.split("-")}:
            if len(part) >= 2 and part[0].isupper():
                out.add(part)
    return {v for v in out if v}


def _unique(labels: Mapping[str, str]) -> dict[str, str]:
    """Make labels distinct (two "J.S." become "J.S." and "J.S. 2"), keeping their order."""
    seen: dict[str, int] = {}
    out = {}
    for pid, label in labels.items():
        seen[label] = seen.get(label, 0) + 1
        out[pid] = label if seen[label] == 1 else f"{label} {seen[label]}"
    return out


@dataclass(frozen=True)
class Naming:
    """How each person is named on participants' pages.

    ``hide`` is true when names are hidden; ``shown`` maps person ids to what
    is shown instead; ``keys`` to the genogram's ``data-person`` value.
    :meth:`redact` removes names from free text (hypotheses, questions,
    notes): a part of a name shared by several people becomes ``[name]``.
    """

    hide: bool
    shown: Mapping[str, str]
    keys: Mapping[str, str]
    staff: Mapping[str, str] = field(default_factory=dict)
    hidden_name: str = "[name]"
    _pattern: re.Pattern[str] | None = None
    _replacements: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def for_case(
        cls,
        case: Case | None,
        settings: DashboardSettings | None = None,
        wording: DashboardWording | None = None,
    ) -> Naming:
        """The naming for a case: names hidden unless it is fictional (and not asked to hide).

        >>> from systemic.cases import Case, Person
        >>> case = Case(id="c", title="t", fictional=True, people=[Person(id="a", name="Amy")])
        >>> Naming.for_case(case).name("a"), Naming.for_case(case).keys
        ('Amy', {'a': 'a'})
        """
        from systemic.genogram.draw import person_keys

        settings = settings or DashboardSettings()
        words = wording or load_wording()
        if case is None:
            return cls(False, {}, {}, dict(words.staff_names), words.hidden_name)
        hide = (not case.fictional) or settings.hide_names
        keys = person_keys(case, privacy=hide)
        if not hide:
            shown = {p.id: p.name for p in case.people}
            return cls(False, shown, keys, dict(words.staff_names), words.hidden_name)
        by_initials = {p.id: initials(p.name) for p in case.people}
        if settings.labels == "roles":
            labels = _role_labels(case, by_initials, words.hidden_name)
        else:
            labels = by_initials
        shown = _unique(labels)
        extra = {}
        if case.worker:
            extra = {v: words.staff_names.get("worker", "") for v in _name_variants(case.worker)}
        pattern, replacements = _redactor(case, shown, words.hidden_name, extra)
        return cls(True, shown, keys, dict(words.staff_names), words.hidden_name, pattern,
                   replacements)

    def name(self, who: str) -> str:
        """The name shown for a person id, a staff role (``worker``…) or a participant."""
        if who in self.shown:
            return self.shown[who]
        if who in self.staff:
            return self.staff[who]
        return self.redact(who)

    def names(self, ids: Iterable[str]) -> str:
        return ", ".join(self.name(i) for i in ids)

    def key(self, person_id: str | None) -> str:
        """The genogram's ``data-person`` for a person id ("" for none or unknown)."""
        return self.keys.get(person_id or "", "")

    def redact(self, text: str) -> str:
        """The text with names replaced, when names are hidden (otherwise unchanged).

        >>> from systemic.cases import Case, Person
        >>> case = Case(id="c", title="t", fictional=False, people=[
        ...     Person(id="a", name="Amy Lee"), Person(id="b", name="Bo Lee")])
        >>> Naming.for_case(case).redact("amy and Mrs Lee")
        'A.L. and Mrs [name]'
        """
        if not self.hide or self._pattern is None or not text:
            return text
        return self._pattern.sub(lambda m: self._replacements[m.group(0).casefold()], text)


def private_naming(store: Store, session_id: str, case: Case) -> Naming:
    """Names hidden as on the participants' page, by the supervisor's initials-or-roles choice
    for the session, for the supervisor's own privacy view (a shared screen): hidden even
    for a training case, since privacy was asked for.

    >>> import pathlib, tempfile
    >>> from systemic.cases import Case, Person
    >>> case = Case(id="c", title="t", fictional=True, people=[Person(id="a", name="Amy")])
    >>> with Store.open(pathlib.Path(tempfile.mkdtemp()) / "d.db") as store:
    ...     private_naming(store, store.create_session("Tuesday", "camden"), case).name("a")
    'A.'
    """
    settings = load_dashboard_settings(store, session_id)
    return Naming.for_case(case, settings.model_copy(update={"hide_names": True}))


def _redactor(
    case: Case, shown: Mapping[str, str], hidden: str, extra: Mapping[str, str] | None = None
) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """A pattern matching every way a person's name may be written, and what replaces it.

    A part of a name that only one person has becomes their label; a part
    several people share (a surname, usually) becomes ``hidden``.
    """
    owners: dict[str, set[str]] = {}
    for p in case.people:
        for variant in _name_variants(p.name):
            owners.setdefault(variant.casefold(), set()).add(p.id)
    replacements = {
        variant: shown[next(iter(ids))] if len(ids) == 1 else hidden
        for variant, ids in owners.items()
    }
    for variant, label in (extra or {}).items():
        replacements.setdefault(variant.casefold(), label)
    if not replacements:
        return None, {}
    alternatives = sorted(replacements, key=len, reverse=True)
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(a) for a in alternatives) + r")(?!\w)",
        re.IGNORECASE,
    )
    return pattern, replacements


def _role_labels(case: Case, by_initials: Mapping[str, str], hidden: str) -> dict[str, str]:
    """Role labels ("Mum", "Child (9)"); names inside them ("Ryan's former wife") become initials.

    Kinship needs the genogram's graph library, so it is imported only when
    the supervisor asks for roles.
    """
    from systemic.genogram.kinship import role_label

    pattern, replacements = _redactor(case, by_initials, hidden)
    plain = Naming(True, by_initials, {}, {}, hidden, pattern, replacements)
    out = {}
    for p in case.people:
        try:
            label = role_label(case, p.id)
        except (KeyError, ValueError):
            label = ""
        out[p.id] = plain.redact(label) if label else by_initials[p.id]
    return out


# -- small HTML helpers -------------------------------------------------------------------------


def _friendly_date(text: str) -> str:
    """``2026-11-22`` as people say it: ``Sunday 22 November 2026``."""
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return text
    return f"{day:%A} {day.day} {day:%B %Y}"


def _section(name: str, heading: str, body: str) -> str:
    """A section of the page around ``body`` (HTML already made and escaped)."""
    return render("dashboard/section.html.j2", name=name, heading=heading, body=Markup(body))


def _empty(text: str) -> str:
    return render("dashboard/empty.html.j2", text=text)


# -- the header: title, framework, steps, who is selected ---------------------------------------


def render_waiting(wording: DashboardWording | None = None) -> str:
    """The page before any session exists."""
    w = (wording or load_wording()).waiting
    return render("dashboard/waiting.html.j2", heading=w.heading, text=w.text)


def render_unavailable(section: str = "", wording: DashboardWording | None = None) -> str:
    """What a part of the page shows when it could not be read (the reason stays in the log)."""
    w = (wording or load_wording()).unavailable
    return render("dashboard/unavailable.html.j2", section=section, heading=w.heading,
                  text=w.text)


def render_header(
    *,
    title: str,
    framework_name: str,
    date: str | None = None,
    current_step: str | None = None,
    step_guidance: str = "",
    case: Case | None = None,
    selected_person: str | None = None,
    ended: bool = False,
    naming: Naming | None = None,
    wording: DashboardWording | None = None,
) -> str:
    """The top of the page: the session, the steps (current one marked), the case, the selection.

    >>> html_text = render_header(title="Tuesday <group>", framework_name="Camden",
    ...                           current_step="graces")
    >>> "Tuesday &lt;group&gt;" in html_text and 'aria-current="step"' in html_text
    True
    """
    w = wording or load_wording()
    names = naming or Naming.for_case(case, wording=w)
    step_title = steps.step(current_step).where if current_step in steps.step_ids() else ""
    who = names.name(selected_person) if case is not None and selected_person else ""
    if not (who and case is not None and selected_person in case.people_by_id):
        who = ""
    return render(
        "dashboard/header.html.j2",
        title=title or w.title_fallback,
        framework_label=w.framework,
        framework_name=framework_name,
        date=_friendly_date(date) if date else "",
        steps=steps.steps(),
        current=current_step,
        ended=ended,
        ended_text=w.ended,
        step_title=step_title,
        now_text=w.now,
        who=who,
        who_key=names.key(selected_person) if who else "",
        thinking_about=w.thinking_about,
        guidance=names.redact(step_guidance) if step_guidance and not ended else "",
        case_title=names.redact(case.title) if case is not None else "",
        case_label=(w.training_case if case.fictional else w.real_case) if case else "",
        question=names.redact(case.question) if case is not None and case.question else "",
        question_label=w.case_question,
    )


# -- the genogram --------------------------------------------------------------------------------


def render_genogram_heading(wording: DashboardWording | None = None) -> str:
    """The heading above the genogram, with a line on how to move around it by keyboard.

    >>> "<h2" in render_genogram_heading()
    True
    """
    w = wording or load_wording()
    return render("dashboard/genogram_heading.html.j2", heading=w.section("genogram", "heading"),
                  help=w.section("genogram", "help"))


def render_genogram(case: Case, naming: Naming) -> str:
    """The genogram SVG participants see: names hidden as ``naming`` says, no one selected.

    The selection is not drawn into the SVG: the widget marks it, so that
    following the presenter never costs a new drawing.
    """
    from systemic.genogram.draw import draw_svg

    if naming.hide:
        return draw_svg(case, privacy=True, labels=dict(naming.shown))
    return draw_svg(case)


# -- the ecomap -----------------------------------------------------------------------------------


def render_ecomap(case: Case | None, naming: Naming, *,
                  wording: DashboardWording | None = None) -> str:
    """The ecomap the supervisor shows at step 3, drawn by the same code from the same case.

    Names are hidden as ``naming`` says (the genogram's labels; services' names go
    through :meth:`Naming.redact`). A case with no connections yet says so kindly.

    >>> from systemic.cases import Case, Person, Household, EcomapConnection
    >>> case = Case(id="c", title="t", fictional=True, focal_child="kai",
    ...     people=[Person(id="kai", name="Kai")],
    ...     households=[Household(id="home", name="Home", members=["kai"])],
    ...     ecomap=[EcomapConnection(id="gp", name="The GP", connected_to="kai")])
    >>> "The GP" in render_ecomap(case, Naming.for_case(case))
    True
    >>> "No connections" in render_ecomap(None, Naming(False, {}, {}))
    True
    """
    w = wording or load_wording()
    s = "ecomap"
    if case is None or not case.ecomap:
        return _section(s, w.section(s, "heading"), _empty(w.section(s, "empty")))
    try:
        svg = ecomap_drawing(case, naming)
    except ValueError:  # no household and no child in the middle yet
        return _section(s, w.section(s, "heading"), _empty(w.section(s, "no_centre")))
    body = render("widgets/ecomap/picture.html.j2", svg=Markup(svg))
    return _section(s, w.section(s, "heading"), body)


def ecomap_drawing(case: Case, naming: Naming, centre: str | None = None) -> str:
    """The ecomap's SVG with names hidden as ``naming`` says: the one home for the hiding,
    used by the participants' page and by the supervisor's own privacy view at step 3.

    People are shown by the supervisor's choice (initials or roles), the family's names
    are taken out of services' names, and no id is left in the drawing. Raises
    ``ValueError`` when there is no one to put in the middle.

    >>> from systemic.cases import Case, Person, Household, EcomapConnection
    >>> case = Case(id="c", title="t", fictional=False, focal_child="kai",
    ...     people=[Person(id="kai", name="Kai Lee")],
    ...     households=[Household(id="home", name="Home", members=["kai"])],
    ...     ecomap=[EcomapConnection(id="gp", name="Kai Lee's GP", connected_to="kai")])
    >>> svg = ecomap_drawing(case, Naming.for_case(case))
    >>> "Lee" in svg, "K.L." in svg
    (False, True)
    """
    from systemic.genogram.ecomap import ecomap_svg

    if not naming.hide:
        return ecomap_svg(case, centre)
    return ecomap_svg(case, centre, privacy=True, labels=dict(naming.shown),
                      redact=naming.redact)


# -- Social GRRAACCEESS ----------------------------------------------------------------------------


def render_graces(
    entries: Sequence[Any],
    naming: Naming,
    *,
    share_staff: bool = False,
    grace_labels: Mapping[str, str] | None = None,
    wording: DashboardWording | None = None,
) -> str:
    """Burnham's grid of who holds which grace, seen or not, spoken about or not.

    ``entries`` are :class:`systemic.graces.GraceEntry`; the worker's and
    supervisor's own go through :func:`systemic.graces.shareable` and appear
    only when ``share_staff`` is true.

    >>> from systemic.graces import GraceEntry
    >>> entries = [GraceEntry(person="worker", grace="age", visible=True, voiced=True),
    ...            GraceEntry(person="amy", grace="race", visible=True, voiced=False)]
    >>> html_text = render_graces(entries, Naming(False, {"amy": "Amy"}, {}))
    >>> "Amy" in html_text and "Worker" not in html_text
    True
    """
    from systemic.graces import grid, shareable
    from systemic.vocabularies import load_graces

    w = wording or load_wording()
    vocab = load_graces()
    labels = dict(grace_labels or {})
    for g in vocab.graces:
        labels.setdefault(g.id, g.label)

    def label(grace_id: str) -> str:
        return labels.get(grace_id, grace_id.replace("_", " ").capitalize())

    shown = shareable(entries, share_staff=share_staff)
    cells, unplaced = [], []
    if shown:
        g = grid(shown, vocab)
        for cell in g.cells:
            items = [
                f"{naming.name(e.person)}: {label(e.grace)}"
                + (f" ({naming.redact(e.note)})" if e.note.strip() else "")
                for e in cell.entries
            ]
            cells.append((cell.cell.id, cell.cell.label, items))
        unplaced = [f"{naming.name(e.person)}: {label(e.grace)}" for e in g.unplaced]
    body = render(
        "dashboard/graces.html.j2",
        staff_private="" if share_staff else w.section("graces", "staff_private"),
        empty="" if shown else w.section("graces", "empty"),
        cells=cells,
        unplaced=unplaced,
        unplaced_label=w.section("graces", "unplaced"),
    )
    return _section("graces", w.section("graces", "heading"), body)


# -- hypotheses ------------------------------------------------------------------------------------


def render_hypotheses(
    hypotheses: Sequence[Any],
    naming: Naming,
    *,
    grace_labels: Mapping[str, str] | None = None,
    wording: DashboardWording | None = None,
) -> str:
    """The group's ideas, each with what fits, what does not and what we do not know yet.

    Active ideas come first, each in full; set-aside ones follow in a short
    list, since a disproved idea still tells the group something. What the
    group does not see: ideas still being typed (drafts), ideas the supervisor
    keeps from the group, and earlier wordings of a revised idea.

    >>> from systemic.hypotheses import Hypothesis
    >>> h = Hypothesis(text="I wonder whether Mum and Nan worry together",
    ...                evidence_for=["they phone daily"])
    >>> "they phone daily" in render_hypotheses([h], Naming(False, {}, {}))
    True
    """
    w = wording or load_wording()
    s = "hypotheses"
    labels = dict(grace_labels or {})
    hypotheses = [h for h in hypotheses if getattr(h, "shown_to_group", True)]
    active = [h for h in hypotheses if h.status == "active"]
    earlier = [h for h in hypotheses if h.status != "active"]
    if not hypotheses:
        return _section(s, w.section(s, "heading"), _empty(w.section(s, "empty")))
    keys = ("evidence_for", "evidence_against", "unknowns")
    ideas = [
        {
            "text": naming.redact(h.text),
            "people": naming.names(h.people_involved) if h.people_involved else "",
            "evidence": [
                (key.replace("_", "-"), w.section(s, key), items)
                for key in keys
                if (items := [naming.redact(i) for i in getattr(h, key) if str(i).strip()])
            ],
            "graces": ", ".join(
                labels.get(g, g.replace("_", " ").capitalize()) for g in h.graces_considered
            ),
        }
        for h in active
    ]
    body = render(
        "dashboard/hypotheses.html.j2",
        active=ideas,
        people_label=w.section(s, "people"),
        graces_label=w.section(s, "graces"),
        earlier_heading=w.section(s, "earlier"),
        earlier=[(naming.redact(h.text), w.section(s, h.status) or h.status.replace("_", " "))
                 for h in earlier],
    )
    return _section(s, w.section(s, "heading"), body)


# -- chosen questions ------------------------------------------------------------------------------


def chosen_payloads(store: Store, owner_id: str) -> list[dict[str, Any]]:
    """The chosen questions of a discussion, read the one way (the questions step's model)."""
    return [q.model_dump(mode="json") for q in steps.step("questions").read(store, owner_id)]


def _prompt_key(step_id: str | None) -> str | None:
    """The framework prompt a step shows (None for an unknown step or one without)."""
    return steps.step(step_id).prompt if step_id in steps.step_ids() else None


def render_questions(
    questions: Sequence[Mapping[str, Any]],
    naming: Naming,
    *,
    wording: DashboardWording | None = None,
) -> str:
    """The questions the group has chosen, grouped by kind of question.

    Each is a stored payload with ``text``, ``type`` and ``people`` (person ids),
    as :meth:`systemic.questions.Question.to_json` writes it.

    >>> html_text = render_questions([{"type": "circular", "text": "Who worries most?",
    ...                                "people": []}], Naming(False, {}, {}))
    >>> "Connecting people" in html_text and "Who worries most?" in html_text
    True
    """
    w = wording or load_wording()
    s = "questions"
    if not questions:
        return _section(s, w.section(s, "heading"), _empty(w.section(s, "empty")))
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for q in questions:
        groups.setdefault(str(q.get("type") or ""), []).append(q)
    order = [t for t in w.question_types if t in groups] + [
        t for t in groups if t not in w.question_types
    ]
    shown = []
    for kind in order:
        title = w.question_types.get(kind) or kind.replace("_", " ").capitalize() or "Questions"
        items = []
        for q in groups[kind]:
            people = [str(p) for p in q.get("people") or [] if isinstance(p, str)]
            items.append((naming.redact(str(q.get("text") or "")),
                          naming.names(people) if people else ""))
        shown.append((title, items))
    body = render("dashboard/questions.html.j2", groups=shown,
                  about_label=w.section(s, "about"))
    return _section(s, w.section(s, "heading"), body)


# -- safe uncertainty ------------------------------------------------------------------------------


def render_uncertainty(
    placements: Sequence[Any],
    naming: Naming,
    *,
    wording: DashboardWording | None = None,
) -> str:
    """Mason's grid with who is where now and where the group hopes, always with its caveat.

    The caveat (the grid is a reflective lens, not a risk assessment) comes from
    :func:`systemic.uncertainty.caveat` and is shown even when the grid is empty.

    >>> from systemic.uncertainty import Placement
    >>> html_text = render_uncertainty(
    ...     [Placement(who="worker", now="unsafe_uncertainty", hoped="safe_uncertainty")],
    ...     Naming(False, {}, {}, {"worker": "Worker"}))
    >>> "not a risk assessment" in html_text and "Worker" in html_text
    True
    """
    from systemic.uncertainty import load_uncertainty

    w = wording or load_wording()
    s = "uncertainty"
    vocab = load_uncertainty()
    from systemic.uncertainty_grid import (
        grid_svg,
        marks,
        mason_layout,
        relationship_label,
        window_layout,
    )

    def who(p: Any) -> str:
        # The stored label may be a first name; with names hidden, the ids decide.
        label = relationship_label(p, naming.name, hide=naming.hide)
        return label if naming.hide else naming.redact(label)

    # The same drawing as the supervisor's step (systemic.uncertainty_grid).
    mason = marks(placements, "safe_uncertainty", who)
    window = marks(placements, "social_discipline_window", who)
    body = render(
        "dashboard/uncertainty.html.j2",
        caveat=vocab.caveat.text,
        empty="" if placements else w.section(s, "empty"),
        mason=Markup(grid_svg(mason_layout(vocab), mason, "wb-dm")),
        window=Markup(grid_svg(window_layout(vocab), window, "wb-dw")) if window else "",
        window_heading=w.section(s, "window_heading"),
    )
    return _section(s, w.section(s, "heading"), body)


# -- the plan --------------------------------------------------------------------------------------


def render_plan(
    plan: Any,
    naming: Naming,
    *,
    wording: DashboardWording | None = None,
) -> str:
    """The Signs of Safety map in its three columns, the scales, the actions and questions.

    >>> from systemic.plan import Plan, SignsOfSafetyMap
    >>> html_text = render_plan(Plan(map=SignsOfSafetyMap(strengths=["Nan visits daily"])),
    ...                         Naming(False, {}, {}))
    >>> "What is working well?" in html_text and "Nan visits daily" in html_text
    True
    """
    w = wording or load_wording()
    s = "plan"
    m = plan.map
    r = naming.redact
    if m.is_empty() and not plan.actions and not plan.family_questions:
        body = render("dashboard/plan.html.j2", empty=w.section(s, "empty"))
        return _section(s, w.section(s, "heading"), body)

    def block(key: str, items: Iterable[str]) -> list[tuple[str, list[str]]]:
        shown = [r(i) for i in items if str(i).strip()]
        return [(w.section(s, key), shown)] if shown else []

    goals = [g.text + (f" ({g.sustained_for})" if g.sustained_for else "")
             for g in m.safety_goals]
    columns = [
        ("worried", block("harms", m.harms) + block("dangers", [d.sentence() for d in m.dangers])
         + block("complicating", m.complicating)),
        ("working_well", block("strengths", m.strengths)
         + block("existing_safety", m.existing_safety)),
        ("needs_to_happen", block("safety_goals", goals) + block("next_steps", m.next_steps)),
    ]
    actions = []
    for a in plan.actions:
        bits = [r(a.what)]
        if a.owner:
            bits.append(f"{w.section(s, 'owner')} {r(a.owner)}")
        if a.due:
            bits.append(f"{w.section(s, 'due')} {_friendly_date(a.due.isoformat())}")
        actions.append(" — ".join(bits) + (f" ({w.section(s, 'done')})" if a.done else ""))
    body = render(
        "dashboard/plan.html.j2",
        empty="",
        columns=[(key.replace("_", "-"), w.section(s, key), blocks)
                 for key, blocks in columns],
        scales=[f"{r(e.who)}: {e.score}" + (f" — {r(e.why)}" if e.why else "")
                for e in m.scales],
        scales_label=w.section(s, "scales"),
        actions=actions,
        actions_label=w.section(s, "actions"),
        questions=[r(q.text) for q in plan.family_questions if str(q.text).strip()],
        questions_label=w.section(s, "family_questions"),
    )
    return _section(s, w.section(s, "heading"), body)


# -- which parts a change touches -----------------------------------------------------------------


def sections_for(
    changes: Iterable[Change | tuple[str, str]],
    session_id: str | None = None,
    *,
    follow_newest: bool = False,
) -> set[str]:
    """The parts of the page that a batch of changes touches.

    ``changes`` are :class:`~systemic.store.Change` entries (or ``(kind,
    action)`` pairs). Changes of sessions other than ``session_id`` are
    ignored; when the page follows the newest session (``follow_newest``), a
    new session redraws everything.

    >>> sorted(sections_for([("session", "updated")]))
    ['header', 'highlight', 'selected', 'step']
    >>> sections_for([("checkin", "created")])
    set()
    >>> sections_for([("case", "updated")]) == set(ALL_PARTS)
    True
    """
    from systemic.liveview import parts_for_kind

    out: set[str] = set()
    for change in changes:
        if isinstance(change, tuple):
            kind, action, owner = change[0], change[1], None
        else:
            kind, action, owner = change.kind, change.action, change.session_id
        if kind == "session" and action == "created":
            if follow_newest:
                return set(ALL_PARTS)
            continue
        if session_id is not None and owner is not None and owner != session_id:
            continue
        touched = parts_for_kind(kind)
        if touched is None:  # the case, a discussion, the dashboard's settings, anything new
            return set(ALL_PARTS)
        out |= touched
    return out


# -- reading a session for its participants -------------------------------------------------------


class SessionView:
    """Reads one session (or the newest) from a store and renders what participants see.

    Call :meth:`read` for the whole page, then :meth:`update` after each
    change: it reads the change feed since the last call and returns only the
    parts that changed, as ``{part: value}`` — HTML for :data:`HTML_SECTIONS`,
    the SVG for ``genogram``, the ``data-person`` key for ``selected`` and the
    tuple of sections the current step highlights for ``highlight``.

    The store is usually read-only (a participant's kernel); nothing here writes.

    >>> import tempfile, pathlib
    >>> from systemic.cases import Case, Person
    >>> from systemic.session import SupervisorSession
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "v.db"
    >>> case = Case(id="c", title="A family", fictional=True,
    ...             people=[Person(id="amy", name="Amy", sex="female", born=2015)])
    >>> with Store.open(path) as store:
    ...     s = SupervisorSession.start(store, framework_id="camden_practice_framework", case=case)
    ...     view = SessionView(Store.open(path, readonly=True))
    ...     first = view.read()
    ...     s.select_person("amy")
    ...     sorted(view.update())
    ['header', 'highlight', 'selected', 'step']
    """

    def __init__(
        self,
        store: Store,
        session_id: str | None = None,
        wording: DashboardWording | None = None,
    ):
        from systemic.liveview import ChangeFeed, SectionReader

        self.store = store
        self.fixed_session = session_id
        self.wording = wording or load_wording()
        self.feed = ChangeFeed(store, session_id)  # one given session: its own feed
        self.reader = SectionReader(store, None, self.wording)
        self._frameworks: dict[str, Any] = {}

    @property
    def seen(self) -> int:
        """The last change this view has read."""
        return self.feed.seen

    # -- what is being followed

    def _resolve(self) -> None:
        """(Re)read which session and case are followed, and how people are named."""
        session_id = self.fixed_session or self.store.running_session()
        if session_id is None:
            sessions = self.store.list_sessions()
            session_id = sessions[0].id if sessions else None
        self.reader.session_id = session_id
        self.reader.resolve()

    @property
    def session_id(self) -> str | None:
        return self.reader.session_id

    @property
    def naming(self) -> Naming:
        return self.reader.naming

    # -- reading

    def read(self) -> dict[str, Any]:
        """Every part of the page, as it is now."""
        self.feed.start()
        self._resolve()
        return self._render(set(ALL_PARTS))

    def update(self) -> dict[str, Any]:
        """The parts touched since the last :meth:`read` or :meth:`update` (maybe none)."""
        changes = self.feed.next()
        if changes is None:
            return self.read()
        if not changes:
            return {}
        if self._switched():
            return self.read()
        parts = sections_for(
            changes, self.session_id, follow_newest=self.fixed_session is None
        )
        if not parts:
            return {}
        if parts == set(ALL_PARTS):
            self._resolve()
        elif "graces" in parts:
            self.reader.read_grace_labels()
        return self._render(parts)

    def _switched(self) -> bool:
        """True when the supervisor now runs another session than the one shown."""
        if self.fixed_session is not None:
            return False
        running = self.store.running_session()
        return running is not None and running != self.session_id

    def _render(self, parts: set[str]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        session = None
        if self.session_id is not None:
            try:
                session = self.store.session(self.session_id)
            except UnknownSession:
                session = None
        if session is None:
            if "header" in parts:
                out["header"] = render_waiting(self.wording)
            for name in parts - {"header"}:
                out[name] = "" if name not in ("highlight",) else ()
            out.pop("step", None)
            return out
        if "header" in parts:
            try:
                out["header"] = self._header(session)
            except (WorkbookError, ValidationError, KeyError, ValueError):
                out["header"] = render_unavailable("header", self.wording)
        for name in SECTIONS[1:]:
            if name in parts:
                out[name] = self.reader.render(name)
        if "selected" in parts:
            out["selected"] = self.naming.key(session.selected_person)
        if "highlight" in parts:
            step = session.current_step or ""
            out["highlight"] = steps.step(step).sections if step in steps.step_ids() else ()
        if "step" in parts:
            out["step"] = session.current_step or ""
        return out

    def _header(self, session: Any) -> str:
        from systemic.frameworks import get_framework

        framework_name, guidance = session.framework_id, ""
        if session.framework_id not in self._frameworks:
            try:
                found = get_framework(session.framework_id)
            except WorkbookError:
                found = None  # a framework file removed since the session began
            self._frameworks[session.framework_id] = found
        framework = self._frameworks[session.framework_id]
        if framework is not None:
            framework_name = framework.name
            prompt_key = _prompt_key(session.current_step)
            if prompt_key:
                guidance = framework.prompt(prompt_key).guidance
        return render_header(
            title=session.title,
            framework_name=framework_name,
            date=session.date.isoformat() if session.date else None,
            current_step=session.current_step,
            step_guidance=guidance,
            case=self.reader.case,
            selected_person=session.selected_person,
            ended=session.is_ended,
            naming=self.naming,
            wording=self.wording,
        )
