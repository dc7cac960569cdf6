"""Breakout groups: a workshop of K groups on one fictional case, and the plenary that shows them.

A trainer splits the room into groups that each work through the same training case; in
the plenary everyone compares what each group drew, thought and would ask. Each group is
an ordinary session in the store, so the supervisor's notebooks work for it unchanged.
The groups of one workshop are found by the session's ``team`` field, which holds
``workshop:<id>`` (:data:`TEAM_PREFIX`): listing workshops is then one read of the list of
sessions. Each group also keeps one session-wide record (kind ``tag``, ``record_type``
``workshop_group``) with the workshop's name and the group's number, so that renaming a
session changes neither. Only fictional training cases may be used.

:class:`PlenaryView` reads a workshop from a store (usually read-only) and renders, for
each group, a heading, its genogram (SVG), its hypotheses and its chosen questions with
the participants' dashboard's renderers (:mod:`systemic.dashboard`). After a change it
reads the change feed and redraws only the parts of the groups that changed. Wording is
data (``breakout.yaml``).

>>> import tempfile, pathlib
>>> from systemic.store import Store
>>> with Store.open(pathlib.Path(tempfile.mkdtemp()) / "w.db") as store:
...     w = create_workshop(store, "Tuesday", "blended_family", 2, "camden_practice_framework")
...     [store.session(s).title for s in load_workshop(store, w.id).group_session_ids]
['Workshop Tuesday — group 1', 'Workshop Tuesday — group 2']
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from systemic.cases import Case, load_case
from systemic.dashboard import (
    DashboardWording,
)
from systemic.dashboard import load_wording as load_dashboard_wording
from systemic.datafile import load_model_once
from systemic.errors import UnknownSession, WorkbookError
from systemic.html_templates import render
from systemic.liveview import ChangeFeed, SectionReader, parts_for_kind
from systemic.paths import CASES_DIR
from systemic.store import Change, Store

__all__ = [
    "WORKSHOP_ENV",
    "TEAM_PREFIX",
    "RECORD_TYPE",
    "GROUP_PARTS",
    "BreakoutWording",
    "Workshop",
    "PlenaryUpdate",
    "PlenaryView",
    "load_breakout_wording",
    "create_workshop",
    "load_workshop",
    "list_workshops",
    "newest_workshop",
    "workshop_id_of",
    "plenary_command",
    "render_workshop_created",
    "render_plenary_header",
    "render_no_workshop",
    "render_group_heading",
    "render_group_genogram_heading",
    "in_column",
]

#: The environment variable that names the workshop a plenary page shows.
WORKSHOP_ENV = "SYSTEMIC_WORKBOOK_WORKSHOP"
#: A group's session has ``team`` = this prefix + the workshop's id.
TEAM_PREFIX = "workshop:"
#: The ``record_type`` of each group's session-wide record (kind ``tag``).
RECORD_TYPE = "workshop_group"
#: What the plenary shows of each group, top to bottom.
GROUP_PARTS: tuple[str, ...] = ("heading", "genogram", "hypotheses", "questions")

_WORDING_FILE = Path(__file__).with_name("breakout.yaml")
_RECORD_KIND = "tag"


def _group_parts(kind: str) -> frozenset[str] | None:
    """The parts of a group's column a change touches (None: the whole column).

    The plenary's own table is the live view's (:func:`systemic.liveview.parts_for_kind`),
    narrowed to what a column shows; the session row redraws the group's heading.
    """
    parts = parts_for_kind(kind)
    if parts is None:
        return None
    if kind == "session":
        return frozenset(("heading",))
    return frozenset(p for p in parts if p in GROUP_PARTS)


# -- wording -----------------------------------------------------------------------------------


class _Words(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Refusals(_Words):
    real_case: str = Field(min_length=1)
    group_count: str = Field(min_length=1)
    no_name: str = Field(min_length=1)
    long_name: str = Field(min_length=1)
    unknown_framework: str = Field(min_length=1)
    unknown_workshop: str = Field(min_length=1)


class _FormWords(_Words):
    created: str
    group: str
    plenary: str
    groups_work: str


class _PlenaryWords(_Words):
    title: str
    case: str
    groups: str
    go_to: str
    group: str
    now: str
    genogram: str
    genogram_help: str
    waiting_heading: str
    waiting_text: str


class BreakoutWording(_Words):
    """Everything breakout groups and the plenary say, read from ``breakout.yaml``."""

    source: str = Field(min_length=1)
    smallest_group_count: int = Field(ge=1)
    largest_group_count: int = Field(ge=1, le=50)
    longest_name: int = Field(ge=10, le=120)
    group_title: str = Field(min_length=1)
    refuse: _Refusals
    form: _FormWords
    plenary: _PlenaryWords


def load_breakout_wording(path: str | Path | None = None) -> BreakoutWording:
    """Read the breakout groups' wording (default ``systemic/workshop/breakout.yaml``).

    >>> w = load_breakout_wording()
    >>> w.smallest_group_count, w.largest_group_count
    (2, 12)
    """
    return load_model_once(BreakoutWording, path, _WORDING_FILE)


# -- workshops -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Workshop:
    """A workshop: its id, its name and its groups' sessions, group 1 first.

    >>> Workshop("ab12cd34", "Tuesday", ("s1", "s2")).group_number("s2")
    2
    """

    id: str
    name: str
    group_session_ids: tuple[str, ...]
    case_id: str = ""
    framework_id: str = ""
    date: dt.date | None = None

    def group_number(self, session_id: str) -> int:
        """The group's number (1 for the first), as the room calls it."""
        return self.group_session_ids.index(session_id) + 1


def workshop_id_of(team: str | None) -> str | None:
    """The workshop id a session's ``team`` field names, or None for other sessions.

    >>> workshop_id_of("workshop:ab12cd34"), workshop_id_of("Children in need team")
    ('ab12cd34', None)
    """
    if team and team.startswith(TEAM_PREFIX) and len(team) > len(TEAM_PREFIX):
        return team[len(TEAM_PREFIX):]
    return None


def _training_case(case_id: str) -> Case:
    path = CASES_DIR / f"{case_id}.yaml"
    if not case_id or "/" in case_id or not path.is_file():
        raise WorkbookError(
            f"There is no training case '{case_id}' in {CASES_DIR} — choose one from the list."
        )
    return load_case(path)


def _checked_name(name: Any, words: BreakoutWording) -> str:
    text = " ".join(name.split()) if isinstance(name, str) else ""
    if not text:
        raise WorkbookError(words.refuse.no_name)
    if len(text) > words.longest_name:
        raise WorkbookError(words.refuse.long_name.format(count=words.longest_name))
    return text


def _checked_count(k: Any, words: BreakoutWording) -> int:
    smallest, largest = words.smallest_group_count, words.largest_group_count
    if isinstance(k, bool) or not isinstance(k, int) or not smallest <= k <= largest:
        raise WorkbookError(
            " ".join(
                words.refuse.group_count.format(smallest=smallest, largest=largest, count=k)
                .split()
            )
        )
    return k


def create_workshop(
    store: Store,
    name: str,
    case: Case | str,
    k: int,
    framework_id: str,
    *,
    date: dt.date | None = None,
) -> Workshop:
    """Create a workshop of ``k`` groups, each its own session on the same training case.

    Parameters
    ----------
    store : Store
        A read-write store.
    name : str
        A short name the room knows the workshop by ("Tuesday morning").
    case : Case or str
        A fictional training case, or the id of one in ``case_templates/``.
    k : int
        How many groups, from 2 to 12 (``breakout.yaml`` holds the limits).
    framework_id : str
        The practice framework whose wording the groups' notebooks show.
    date : datetime.date, optional
        The day of the workshop; today by default.

    Returns
    -------
    Workshop
        With the groups' session ids, group 1 first.

    Raises
    ------
    WorkbookError
        A case not marked fictional, a number of groups out of range, no name, or an
        unknown framework: one kind sentence saying what to do.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from systemic.cases import Case, Person
    >>> real = Case(id="r", title="A family", fictional=False, people=[Person(id="a", name="A")])
    >>> with Store.open(pathlib.Path(tempfile.mkdtemp()) / "w.db") as store:
    ...     try:
    ...         create_workshop(store, "Tuesday", real, 3, "camden_practice_framework")
    ...     except WorkbookError as e:
    ...         print(str(e)[:48])
    Workshops use the fictional training cases only,
    """
    from systemic.frameworks import framework_ids
    from systemic.session import SupervisorSession

    words = load_breakout_wording()
    name = _checked_name(name, words)
    k = _checked_count(k, words)
    if framework_id not in framework_ids():
        raise WorkbookError(words.refuse.unknown_framework.format(id=framework_id))
    if isinstance(case, str):
        case = _training_case(case)
    if not case.fictional:
        raise WorkbookError(" ".join(words.refuse.real_case.split()))
    workshop_id = secrets.token_hex(4)
    sessions = []
    for number in range(1, k + 1):
        session = SupervisorSession.start(
            store,
            framework_id=framework_id,
            case=case,
            title=words.group_title.format(name=name, number=number),
            date=date,
        )
        store.put_record(
            session.session_id,
            _RECORD_KIND,
            {
                "record_type": RECORD_TYPE,
                "workshop_id": workshop_id,
                "workshop_name": name,
                "group": number,
                "groups": k,
            },
        )
        # Last, so that a session is one of the workshop's groups only once it is complete.
        store.update_session(session.session_id, team=TEAM_PREFIX + workshop_id)
        sessions.append(session.session_id)
    return Workshop(
        workshop_id, name, tuple(sessions), case.id, framework_id, date or dt.date.today()
    )


def _group_record(store: Store, session_id: str) -> Mapping[str, Any]:
    for record in store.records(session_id, _RECORD_KIND):
        if record.discussion_id is None and record.payload.get("record_type") == RECORD_TYPE:
            return record.payload
    return {}


def _workshop(store: Store, workshop_id: str, newest_first: list[Any]) -> Workshop:
    """A workshop from its groups' session summaries (as :meth:`Store.list_sessions` lists)."""
    members = []
    for order, summary in enumerate(reversed(newest_first)):
        record = _group_record(store, summary.id)
        number = record.get("group")
        members.append((number if isinstance(number, int) else 10_000 + order, summary, record))
    members.sort(key=lambda m: m[0])
    names = [str(r["workshop_name"]) for _, _, r in members if r.get("workshop_name")]
    first = members[0][1]
    case_id = ""
    discussions = store.discussions(first.id)
    if discussions:
        case_id = discussions[0].case_id
    return Workshop(
        id=workshop_id,
        name=names[0] if names else workshop_id,
        group_session_ids=tuple(s.id for _, s, _ in members),
        case_id=case_id,
        framework_id=first.framework_id,
        date=first.date,
    )


def _workshops_by_id(store: Store) -> dict[str, list[Any]]:
    """Each workshop's groups' session summaries, newest workshop first."""
    found: dict[str, list[Any]] = {}
    for summary in store.list_sessions():
        workshop_id = workshop_id_of(summary.team)
        if workshop_id is not None:
            found.setdefault(workshop_id, []).append(summary)
    return found


def load_workshop(store: Store, workshop_id: str) -> Workshop:
    """The workshop with this id.

    Raises
    ------
    UnknownSession
        When the store holds no group of that workshop.
    """
    members = _workshops_by_id(store).get(str(workshop_id).strip())
    if not members:
        words = load_breakout_wording()
        raise UnknownSession(" ".join(words.refuse.unknown_workshop.format(id=workshop_id).split()))
    return _workshop(store, str(workshop_id).strip(), members)


def list_workshops(store: Store) -> list[Workshop]:
    """Every workshop in the store, the newest first.

    >>> import tempfile, pathlib
    >>> with Store.open(pathlib.Path(tempfile.mkdtemp()) / "w.db") as store:
    ...     for name in ("Monday", "Tuesday"):
    ...         _ = create_workshop(store, name, "kinship_care", 2, "camden_practice_framework")
    ...     [w.name for w in list_workshops(store)]
    ['Tuesday', 'Monday']
    """
    return [_workshop(store, wid, members) for wid, members in _workshops_by_id(store).items()]


def newest_workshop(store: Store) -> Workshop | None:
    """The workshop created last, or None when there is none yet."""
    for workshop_id, members in _workshops_by_id(store).items():
        return _workshop(store, workshop_id, members)
    return None


def plenary_command(workshop_id: str, store: Path | None = None) -> str:
    """The command that serves a workshop's plenary page.

    A store file other than the usual one is named in it: the trainer's terminal may not
    have the setting that pointed the notebook there, and the plenary would then look
    for the workshop in another store.

    >>> plenary_command("ab12cd34")
    'systemic-workbook plenary --workshop ab12cd34'
    >>> plenary_command("ab12cd34", Path("/tmp/day one/workbook.db"))
    "systemic-workbook plenary --workshop ab12cd34 --store '/tmp/day one/workbook.db'"
    """
    from systemic.store.location import store_flag

    return f"systemic-workbook plenary --workshop {workshop_id}{store_flag(store)}"


# -- rendering -----------------------------------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(text.split())


def render_no_workshop(wording: BreakoutWording | None = None) -> str:
    """What the plenary page says before any workshop exists.

    >>> "No workshop yet" in render_no_workshop()
    True
    """
    w = (wording or load_breakout_wording()).plenary
    return render("plenary/no_workshop.html.j2", heading=w.waiting_heading,
                  text=_one_line(w.waiting_text))


def render_workshop_created(workshop: Workshop, wording: BreakoutWording | None = None,
                            store: Path | None = None) -> str:
    """What the trainer reads once a workshop exists: each group's session, the plenary
    (``store``: the workshop's store file, named in the command when it is not the usual one).

    >>> html_text = render_workshop_created(Workshop("ab12cd34", "<Tues>", ("s1", "s2")))
    >>> "&lt;Tues&gt;" in html_text and "--workshop ab12cd34" in html_text
    True
    """
    w = (wording or load_breakout_wording()).form
    count = len(workshop.group_session_ids)
    return render(
        "plenary/workshop_created.html.j2",
        created=w.created.format(name=workshop.name, count=count),
        groups=[w.group.format(number=n, id=sid)
                for n, sid in enumerate(workshop.group_session_ids, start=1)],
        plenary=w.plenary,
        command=plenary_command(workshop.id, store),
        groups_work=_one_line(w.groups_work),
    )


def render_plenary_header(
    workshop: Workshop,
    case_title: str = "",
    wording: BreakoutWording | None = None,
) -> str:
    """The top of the plenary: the workshop's name, the case, and a link to each group.

    >>> html_text = render_plenary_header(Workshop("w1", "<b>Tuesday</b>", ("s1", "s2")))
    >>> "&lt;b&gt;Tuesday&lt;/b&gt;" in html_text and 'href="#wb-group-2"' in html_text
    True
    """
    w = (wording or load_breakout_wording()).plenary
    count = len(workshop.group_session_ids)
    return render(
        "plenary/header.html.j2",
        title=w.title.format(name=workshop.name),
        case_title=case_title,
        case_label=w.case,
        status=w.groups.format(count=count),
        go_to=w.go_to,
        links=[(n, w.group.format(number=n)) for n in range(1, count + 1)],
    )


def render_group_heading(
    number: int,
    current_step: str | None = None,
    wording: BreakoutWording | None = None,
) -> str:
    """A group's heading, with the step it has reached.

    >>> html_text = render_group_heading(2, "hypotheses")
    >>> html_text.startswith('<h2 class="wb-group-h" id="wb-group-2">Group 2</h2>')
    True
    >>> "Now: <strong>Hypotheses</strong>" in html_text
    True
    """
    from systemic.steps import step_title

    w = (wording or load_breakout_wording()).plenary
    return render(
        "plenary/group_heading.html.j2",
        number=int(number),
        title=w.group.format(number=int(number)),
        now=w.now,
        step_title=step_title(current_step) if current_step else "",
    )


def render_group_genogram_heading(number: int, wording: BreakoutWording | None = None) -> str:
    """The heading above a group's genogram, with how to move around it by keyboard.

    >>> render_group_genogram_heading(1).startswith('<h3 id="wb-g1-genogram-h">')
    True
    """
    w = (wording or load_breakout_wording()).plenary
    return render("plenary/group_genogram_heading.html.j2", number=int(number),
                  heading=w.genogram, help=_one_line(w.genogram_help))


_HEADING = re.compile(r"<(/?)h([1-5])\b")
_ID = re.compile(r'\b(id|aria-labelledby)="wb-([a-z0-9-]+)"')


def in_column(html_text: str, number: int) -> str:
    """A dashboard section made fit for group ``number``'s column.

    Its headings go one level down (the group's own heading is level 2) and its ids
    get the group's number, so that K columns on one page keep ids unique and headings
    in order. Typed text is already escaped, so ``<h`` and ``id="`` can only be ours.

    >>> print(in_column('<section aria-labelledby="wb-questions-h">'
    ...                 '<h2 id="wb-questions-h">Questions</h2></section>', 3))
    <section aria-labelledby="wb-g3-questions-h"><h3 id="wb-g3-questions-h">Questions</h3></section>
    """
    demoted = _HEADING.sub(lambda m: f"<{m[1]}h{int(m[2]) + 1}", html_text)
    return _ID.sub(lambda m: f'{m[1]}="wb-g{int(number)}-{m[2]}"', demoted)


@cache
def _grace_labels() -> dict[str, str]:
    from systemic.vocabularies import load_graces

    return {g.id: g.label for g in load_graces().graces}


# -- following a workshop ------------------------------------------------------------------------


@dataclass(frozen=True)
class PlenaryUpdate:
    """What changed on the plenary page.

    ``header`` is the new top of the page (None: unchanged); ``groups`` maps a group's
    session id to its changed parts (:data:`GROUP_PARTS`: HTML, and the SVG for
    ``genogram``); ``regrouped`` says the groups themselves changed, so the columns
    must be laid out again from :attr:`PlenaryView.columns`.
    """

    header: str | None = None
    groups: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    regrouped: bool = False

    def __bool__(self) -> bool:
        return self.header is not None or bool(self.groups) or self.regrouped


class _Group(SectionReader):
    """One group's column: its session's sections (the live view's reader) and its number."""

    def __init__(self, store: Store, session_id: str, number: int, wording: Any):
        super().__init__(store, session_id, wording)
        self.number = number


class PlenaryView:
    """Reads one workshop (or the newest) from a store and renders every group's column.

    Call :meth:`read` for the whole page, then :meth:`update` after each change: it
    reads the change feed since the last call and returns only the groups, and the
    parts of them, that changed. Nothing here writes; the store is usually read-only.

    >>> import tempfile, pathlib
    >>> from systemic.hypotheses import Hypothesis, save_hypothesis
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "p.db"
    >>> with Store.open(path) as store:
    ...     w = create_workshop(store, "Tuesday", "blended_family", 2, "camden_practice_framework")
    ...     view = PlenaryView(Store.open(path, readonly=True))
    ...     first = view.read()
    ...     second = store.discussions(w.group_session_ids[1])[0].id
    ...     _ = save_hypothesis(store, second, Hypothesis(text="I wonder whether…"))
    ...     changed = view.update()
    ...     view.store.close()
    >>> len(first.groups), [(w.group_number(s), sorted(p)) for s, p in changed.groups.items()]
    (2, [(2, ['hypotheses'])])
    """

    def __init__(
        self,
        store: Store,
        workshop_id: str | None = None,
        *,
        wording: BreakoutWording | None = None,
        dashboard_wording: DashboardWording | None = None,
    ):
        self.store = store
        self.fixed_workshop = workshop_id.strip() if workshop_id else None
        self.wording = wording or load_breakout_wording()
        self.dashboard_wording = dashboard_wording or load_dashboard_wording()
        self.feed = ChangeFeed(store)
        self.workshop: Workshop | None = None
        self._groups: dict[str, _Group] = {}

    @property
    def seen(self) -> int:
        """The last change this view has read."""
        return self.feed.seen

    @property
    def columns(self) -> list[tuple[str, int]]:
        """The groups shown, as (session id, group number), group 1 first."""
        return [(g.session_id, g.number) for g in self._groups.values()]

    # -- which workshop and groups

    def _find(self) -> Workshop | None:
        if self.fixed_workshop is None:
            return newest_workshop(self.store)
        try:
            return load_workshop(self.store, self.fixed_workshop)
        except UnknownSession:
            return None  # not created yet: the page waits for it

    def _set_workshop(self, workshop: Workshop | None) -> None:
        self.workshop = workshop
        ids = workshop.group_session_ids if workshop else ()
        self._groups = {
            sid: _Group(self.store, sid, n, self.dashboard_wording)
            for n, sid in enumerate(ids, start=1)
        }
        for group in self._groups.values():
            group.resolve()

    def _may_regroup(self, changes: Iterable[Change]) -> bool:
        """Whether a session outside the groups now belongs to the workshop shown (or newer)."""
        others = {
            c.session_id
            for c in changes
            if c.kind == "session" and c.session_id and c.session_id not in self._groups
        }
        for session_id in others:
            try:
                found = workshop_id_of(self.store.session(session_id).team)
            except UnknownSession:
                continue
            if found is not None and self.fixed_workshop in (None, found):
                return True
        return False

    # -- reading

    def read(self) -> PlenaryUpdate:
        """The whole page, as it is now."""
        self.feed.start()
        self._set_workshop(self._find())
        return self._everything()

    def update(self) -> PlenaryUpdate:
        """What changed since the last :meth:`read` or :meth:`update` (maybe nothing)."""
        changes = self.feed.next()
        if changes is None:
            return self.read()
        if not changes:
            return PlenaryUpdate()
        if self._may_regroup(changes):
            found = self._find()
            before = self.workshop.group_session_ids if self.workshop else ()
            if (found.group_session_ids if found else ()) != before:
                self._set_workshop(found)
                return self._everything()
        touched: dict[str, set[str]] = {}
        whole: set[str] = set()
        for change in changes:
            if change.session_id not in self._groups:
                continue
            parts = _group_parts(change.kind)
            if parts is None:
                whole.add(change.session_id)
                parts = frozenset(GROUP_PARTS)
            touched.setdefault(change.session_id, set()).update(parts)
        for session_id in whole:
            self._groups[session_id].resolve()
        groups = {
            g.session_id: self._render_group(g, touched[g.session_id])
            for g in self._groups.values()
            if touched.get(g.session_id)
        }
        return PlenaryUpdate(header=self._header() if whole else None, groups=groups)

    # -- rendering

    def _everything(self) -> PlenaryUpdate:
        return PlenaryUpdate(
            header=self._header(),
            groups={g.session_id: self._render_group(g, set(GROUP_PARTS))
                    for g in self._groups.values()},
            regrouped=True,
        )

    def _header(self) -> str:
        if self.workshop is None:
            return render_no_workshop(self.wording)
        first = next(iter(self._groups.values()), None)
        case_title = first.case.title if first is not None and first.case is not None else ""
        return render_plenary_header(self.workshop, case_title, self.wording)

    def _render_group(self, group: _Group, parts: set[str]) -> dict[str, str]:
        out = {}
        for name in GROUP_PARTS:
            if name not in parts:
                continue
            if name == "heading":
                out[name] = self._heading(group)
            elif name == "genogram":
                out[name] = group.render(name)
            else:
                out[name] = in_column(group.render(name), group.number)
        return out

    def _heading(self, group: _Group) -> str:
        try:
            step = self.store.session(group.session_id).current_step
        except UnknownSession:
            step = None
        return render_group_heading(group.number, step, self.wording)
