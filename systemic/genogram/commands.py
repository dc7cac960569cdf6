"""Editing a genogram one small, checked, undoable step at a time.

The supervisor changes the family through forms, never by drawing. Each edit
is a small JSON-able dict, ``{"op": "add_child", "args": {...}}``: the session
store records it, :meth:`GenogramEditor.apply` replays it, and a participant's
dashboard can rebuild the same case from the log. Every edit builds a new frozen
:class:`~systemic.cases.Case` and runs the family checks
(:mod:`systemic.genogram.validate`); a rejected edit raises and leaves the
genogram exactly as it was.

>>> from systemic.cases import Case
>>> editor = GenogramEditor(Case(id="demo", title="Demo", fictional=True))
>>> mia = editor.add_person("Mia", sex="female", born=1990)
>>> kai = editor.add_child([mia], {"name": "Kai", "born": 2015})
>>> editor.history[-1]["op"], editor.case.parents[0].parents
('add_child', ['mia'])
>>> editor.undo()["op"], len(editor.case.people)
('add_child', 1)
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict

from systemic.cases import (
    Case,
    EcomapConnection,
    Household,
    ParentLink,
    Person,
    Relationship,
    Twins,
    Union,
)
from systemic.datafile import parse_model
from systemic.errors import DataFileError, ImpossibleFamily
from systemic.genogram.layout import keep_order
from systemic.genogram.model import DIRECTED_RELATIONSHIPS
from systemic.genogram.validate import family_issues

__all__ = [
    "GenogramEditor", "InvalidEdit", "Edit", "GenogramEdit", "slug", "unique_id", "ENDING_STATUSES",
]

Edit = dict[str, Any]


class GenogramEdit(BaseModel):
    """The stored form of one :data:`Edit` (a ``genogram_edit`` record): an op and its args."""

    model_config = ConfigDict(extra="allow")

    op: str
    args: dict[str, Any] = {}

#: Union statuses whose date is when the couple ended rather than began.
ENDING_STATUSES = ("separated", "divorced", "widowed")


class InvalidEdit(ValueError):
    """An edit that cannot be made as asked: an unknown kind, an unknown id, a missing name.

    Families that could not exist raise :class:`~systemic.errors.ImpossibleFamily` instead.
    """


# -- ids --------------------------------------------------------------------------------


def slug(text: str, fallback: str = "person") -> str:
    """A readable id from a name: lower case, ASCII, words joined by ``-``.

    >>> slug("Zoë O'Brien"), slug("   "), slug("Mum's house", "household")
    ('zoe-o-brien', 'person', 'mum-s-house')
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:48].strip("-")
    return out or fallback


def unique_id(base: str, taken: Iterable[str]) -> str:
    """``base``, or ``base-2``, ``base-3``… whichever is not taken yet.

    >>> unique_id("mia", ["mia", "mia-2"])
    'mia-3'
    """
    used = taken if isinstance(taken, set | frozenset) else set(taken)
    if base not in used:
        return base
    n = 2
    while f"{base}-{n}" in used:
        n += 1
    return f"{base}-{n}"


# -- building blocks ----------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    """Plain JSON values only, so that the session store can keep the edit as it is."""
    return json.loads(json.dumps(value, default=str))


def _model(model: type[BaseModel], data: Mapping[str, Any], what: str) -> Any:
    try:
        return parse_model(model, dict(data), what)
    except DataFileError as e:
        raise InvalidEdit("; ".join(f"{p.field or what}: {p.message}" if p.field
                                    else p.message for p in e.problems)) from None


def _case(case: Case, **changes: Any) -> Case:
    """A new case with some fields replaced, re-validated as a whole (one index person…)."""
    data = {name: getattr(case, name) for name in Case.model_fields}
    data.update(changes)
    return _model(Case, data, "case")


def _person(case: Case, pid: Any) -> Person:
    if isinstance(pid, str):
        for p in case.people:
            if p.id == pid:
                return p
    raise InvalidEdit(f"no one in this genogram has the id {pid!r} — choose someone who is in it")


def _union(case: Case, uid: str) -> Union:
    for u in case.unions:
        if u.id == uid:
            return u
    raise InvalidEdit(f"there is no couple with the id {uid!r}")


def _household(case: Case, hid: str) -> Household:
    for h in case.households:
        if h.id == hid:
            return h
    raise InvalidEdit(f"there is no household with the id {hid!r}")


def _ids(value: Any, what: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return list(value)
    raise InvalidEdit(f"{what} should be an id or a list of ids, not {value!r}")


# -- the operations: pure functions from a case and JSON arguments to a new case --------


def _add_person(case: Case, person: dict[str, Any]) -> Case:
    return _case(case, people=[*case.people, _model(Person, person, "person")])


def _update_person(case: Case, id: str, fields: dict[str, Any]) -> Case:
    old = _person(case, id)
    if not isinstance(fields, dict):
        raise InvalidEdit("the changes should be a set of field names and values")
    if "id" in fields and fields["id"] != id:
        raise InvalidEdit("a person's id cannot be changed — remove them and add them again")
    new = _model(Person, {**old.model_dump(), **fields}, "person")
    return _case(case, people=[new if p.id == id else p for p in case.people])


def _remove_person(case: Case, id: str) -> Case:
    _person(case, id)
    parents = []
    for link in case.parents:
        if link.child == id:
            continue
        kept = [p for p in link.parents if p != id]
        if kept:
            parents.append(link.model_copy(update={"parents": kept}))
    twins = []
    for t in case.twins:
        kept = [p for p in t.people if p != id]
        if len(kept) >= 2:
            twins.append(t.model_copy(update={"people": kept}))
    households = []
    for h in case.households:
        kept = [p for p in h.members if p != id]
        if kept:
            households.append(h.model_copy(update={"members": kept}))
    left = {h.id for h in households} | {p.id for p in case.people if p.id != id}
    return _case(
        case,
        people=[p for p in case.people if p.id != id],
        unions=[u for u in case.unions if id not in u.partners],
        parents=parents,
        twins=twins,
        relationships=[r for r in case.relationships if id not in (r.from_, r.to)],
        households=households,
        ecomap=[e for e in case.ecomap if e.connected_to in left],
        chronology=[ev.model_copy(update={"people": [p for p in ev.people if p != id]})
                    for ev in case.chronology],
        focal_child=None if case.focal_child == id else case.focal_child,
    )


def _add_union(case: Case, union: dict[str, Any]) -> Case:
    new = _model(Union, union, "couple")
    if any(set(u.partners) == set(new.partners) and u.ended is None
           and u.status not in ENDING_STATUSES for u in case.unions):
        names = {p.id: p.name for p in case.people}
        a, b = (names.get(pid, pid) for pid in new.partners)
        raise InvalidEdit(f"{a} and {b} are already a couple — change that couple's status "
                          "instead")
    return _case(case, unions=[*case.unions, new])


def _add_partner(case: Case, union: dict[str, Any], person: dict[str, Any] | None = None) -> Case:
    if person is not None:
        case = _add_person(case, person)
    return _add_union(case, union)


def _remove_union(case: Case, id: str) -> Case:
    _union(case, id)
    return _case(case, unions=[u for u in case.unions if u.id != id])


def _set_union_status(case: Case, id: str, status: str, date: Any = None) -> Case:
    old = _union(case, id)
    changes: dict[str, Any] = {"status": status}
    if date is not None:
        changes["ended" if status in ENDING_STATUSES else "began"] = date
    new = _model(Union, {**old.model_dump(), **changes}, "couple")
    return _case(case, unions=[new if u.id == id else u for u in case.unions])


def _add_parent_link(case: Case, child: str, parents: list[str], kind: str = "birth",
                     since: Any = None) -> Case:
    data: dict[str, Any] = {"child": child, "parents": parents, "kind": kind}
    if since is not None:
        data["since"] = since
    link = _model(ParentLink, data, "parent link")
    if any(x.child == link.child and set(x.parents) == set(link.parents) and x.kind == link.kind
           for x in case.parents):
        raise InvalidEdit("that parent link is already in the genogram")
    return _case(case, parents=[*case.parents, link])


def _add_child(case: Case, parents: list[str], child: str, kind: str = "birth",
               since: Any = None, person: dict[str, Any] | None = None) -> Case:
    if person is not None:
        case = _add_person(case, person)
    return _add_parent_link(case, child, parents, kind, since)


def _remove_parent_link(case: Case, child: str, parents: list[str] | None = None,
                        kind: str | None = None) -> Case:
    def matches(link: ParentLink) -> bool:
        return (link.child == child and (kind is None or link.kind == kind)
                and (parents is None or set(link.parents) == set(parents)))

    kept = [link for link in case.parents if not matches(link)]
    if len(kept) == len(case.parents):
        raise InvalidEdit("there is no such parent link to remove")
    return _case(case, parents=kept)


def _add_twins(case: Case, people: list[str], identical: bool = False) -> Case:
    twins = _model(Twins, {"people": people, "identical": identical}, "twins")
    return _case(case, twins=[*case.twins, twins])


def _add_relationship(case: Case, relationship: dict[str, Any]) -> Case:
    return _case(case, relationships=[*case.relationships,
                                      _model(Relationship, relationship, "relationship")])


def _remove_relationship(case: Case, from_: str, to: str, kind: str | None = None) -> Case:
    def matches(r: Relationship) -> bool:
        if kind is not None and r.kind != kind:
            return False
        if (r.from_, r.to) == (from_, to):
            return True
        return r.kind not in DIRECTED_RELATIONSHIPS and (r.from_, r.to) == (to, from_)

    kept = [r for r in case.relationships if not matches(r)]
    if len(kept) == len(case.relationships):
        raise InvalidEdit(f"there is no relationship line from {from_!r} to {to!r} to remove")
    return _case(case, relationships=kept)


def _add_household(case: Case, household: dict[str, Any]) -> Case:
    return _case(case, households=[*case.households, _model(Household, household, "household")])


def _set_household_members(case: Case, id: str, members: list[str]) -> Case:
    old = _household(case, id)
    new = _model(Household, {**old.model_dump(), "members": members}, "household")
    return _case(case, households=[new if h.id == id else h for h in case.households])


def _remove_household(case: Case, id: str) -> Case:
    _household(case, id)
    return _case(case, households=[h for h in case.households if h.id != id],
                 ecomap=[e for e in case.ecomap if e.connected_to != id])


def _add_ecomap_connection(case: Case, connection: dict[str, Any]) -> Case:
    return _case(case, ecomap=[*case.ecomap,
                               _model(EcomapConnection, connection, "ecomap connection")])


def _remove_ecomap_connection(case: Case, id: str) -> Case:
    if not any(e.id == id for e in case.ecomap):
        raise InvalidEdit(f"there is no ecomap connection with the id {id!r}")
    return _case(case, ecomap=[e for e in case.ecomap if e.id != id])


def _set_index_person(case: Case, id: str | None) -> Case:
    if id is not None:
        _person(case, id)
    return _case(case, people=[p.model_copy(update={"index": p.id == id}) if p.index != (p.id == id)
                               else p for p in case.people])


def _set_focal_child(case: Case, id: str | None) -> Case:
    if id is not None:
        _person(case, id)
    return _case(case, focal_child=id)


_OPS: dict[str, Callable[..., Case]] = {
    "add_person": _add_person,
    "update_person": _update_person,
    "remove_person": _remove_person,
    "add_union": _add_union,
    "add_partner": _add_partner,
    "remove_union": _remove_union,
    "set_union_status": _set_union_status,
    "add_child": _add_child,
    "add_parent_link": _add_parent_link,
    "remove_parent_link": _remove_parent_link,
    "add_twins": _add_twins,
    "add_relationship": _add_relationship,
    "remove_relationship": _remove_relationship,
    "add_household": _add_household,
    "set_household_members": _set_household_members,
    "remove_household": _remove_household,
    "add_ecomap_connection": _add_ecomap_connection,
    "remove_ecomap_connection": _remove_ecomap_connection,
    "set_index_person": _set_index_person,
    "set_focal_child": _set_focal_child,
}


def _without_none(**fields: Any) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None}


# -- the editor -------------------------------------------------------------------------


class GenogramEditor:
    """One case being edited, with undo and redo.

    Parameters
    ----------
    case
        The case to start from. It is never changed: each edit makes a new case,
        available as :attr:`case`.

    Notes
    -----
    An edit is refused if the family it would make has a problem the case did not
    have before (see :func:`systemic.genogram.validate.family_problems`). Starting
    from a valid case, that means every case the editor holds is valid; starting
    from an imported tree with old date muddles, the supervisor can still work on it.
    """

    def __init__(self, case: Case):
        self._case = case
        self._issues = {issue.message for issue in family_issues(case, today=dt.date.today())}
        # Each entry: (the case on the other side of the edit, its known problems, the edit).
        self._undo: list[tuple[Case, set[str], Edit]] = []
        self._redo: list[tuple[Case, set[str], Edit]] = []
        self._listeners: list[Callable[[Edit, Case], None]] = []

    # -- state ----------------------------------------------------------------------

    @property
    def case(self) -> Case:
        """The case as it is now."""
        return self._case

    @property
    def history(self) -> list[Edit]:
        """The edits that lead from the starting case to :attr:`case`, oldest first.

        Replaying them with :meth:`apply` on the starting case gives the same case.
        """
        return [json.loads(json.dumps(edit)) for _, _, edit in self._undo]

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def subscribe(self, callback: Callable[[Edit, Case], None]) -> Callable[[], None]:
        """Call ``callback(edit, case)`` after every edit, undo and redo (for the store
        and the widget). Returns a function that stops the calls."""
        self._listeners.append(callback)
        return lambda: self._listeners.remove(callback)

    def _tell(self, edit: Edit) -> None:
        for listener in list(self._listeners):
            listener(edit, self._case)

    # -- doing and undoing ----------------------------------------------------------

    def apply(self, edit: Mapping[str, Any]) -> Case:
        """Make one edit given as ``{"op": ..., "args": {...}}`` (as :attr:`history`
        records them); ``{"op": "undo"}`` and ``{"op": "redo"}`` work too.

        Raises
        ------
        ImpossibleFamily
            The edit would describe a family that cannot exist.
        InvalidEdit
            The edit is malformed, names an unknown kind, or an id that is not there.
        """
        if not isinstance(edit, Mapping) or not isinstance(edit.get("op"), str):
            raise InvalidEdit('an edit is {"op": name, "args": {...}}')
        op, args = edit["op"], edit.get("args", {})
        if op in ("undo", "redo"):
            (self.undo if op == "undo" else self.redo)()
            return self._case
        if op not in _OPS:
            known = ", ".join(sorted(_OPS))
            raise InvalidEdit(f"{op!r} is not an edit we know — use one of {known}")
        if not isinstance(args, Mapping):
            raise InvalidEdit("the args of an edit should be a set of names and values")
        args = _jsonable(dict(args))
        try:
            inspect.signature(_OPS[op]).bind(self._case, **args)
        except TypeError as e:
            raise InvalidEdit(f"{op}: {e}") from None
        new = _OPS[op](self._case, **args)
        issues = family_issues(new, today=dt.date.today())
        fresh = [issue for issue in issues if issue.message not in self._issues]
        if fresh:
            people = tuple(dict.fromkeys(pid for issue in fresh for pid in issue.people))
            raise ImpossibleFamily("\n".join(issue.message for issue in fresh), people=people)
        # The left-to-right order goes with the case, so every screen draws the same picture.
        new = keep_order(self._case, new)
        record = {"op": op, "args": args}
        self._undo.append((self._case, self._issues, record))
        self._redo.clear()
        self._case, self._issues = new, {issue.message for issue in issues}
        self._tell(record)
        return new

    def undo(self) -> Edit | None:
        """Take back the last edit; returns it, or ``None`` if there is nothing to undo."""
        if not self._undo:
            return None
        previous, issues, edit = self._undo.pop()
        self._redo.append((self._case, self._issues, edit))
        self._case, self._issues = previous, issues
        self._tell({"op": "undo", "args": {}})
        return edit

    def redo(self) -> Edit | None:
        """Make the last undone edit again; returns it, or ``None`` if there is none."""
        if not self._redo:
            return None
        following, issues, edit = self._redo.pop()
        self._undo.append((self._case, self._issues, edit))
        self._case, self._issues = following, issues
        self._tell({"op": "redo", "args": {}})
        return edit

    # -- ids for new things -----------------------------------------------------------

    def _new_person_id(self, name: str, extra: Iterable[str] = ()) -> str:
        return unique_id(slug(name), [p.id for p in self._case.people] + list(extra))

    def _new_person(self, fields: Mapping[str, Any], taken: Iterable[str] = ()) -> dict[str, Any]:
        data = dict(fields)
        if not isinstance(data.get("name"), str) or not data["name"].strip():
            raise InvalidEdit("a new person needs a name (a first name or a role is enough)")
        data.setdefault("id", self._new_person_id(data["name"], taken))
        return data

    def _new_union_id(self, a: str, b: str) -> str:
        return unique_id(slug(f"{a}-{b}", "couple"), [u.id for u in self._case.unions])

    def _partners(self, value: Any) -> list[str]:
        if isinstance(value, str) and any(u.id == value for u in self._case.unions):
            return list(_union(self._case, value).partners)
        return _ids(value, "the parents")

    # -- people -------------------------------------------------------------------------

    def add_person(self, name: str, *, id: str | None = None, **fields: Any) -> str:
        """Add someone; returns their id (made from the name unless given).

        ``fields`` are those of :class:`~systemic.cases.Person`: ``sex``, ``born``,
        ``died``, ``kind``, ``pronouns``, ``role``, ``notes``…
        """
        person = self._new_person({"name": name, **fields, **_without_none(id=id)})
        self.apply({"op": "add_person", "args": {"person": person}})
        return person["id"]

    def update_person(self, pid: str, **fields: Any) -> None:
        """Change some of a person's details (not their id)."""
        self.apply({"op": "update_person", "args": {"id": pid, "fields": fields}})

    def remove_person(self, pid: str) -> None:
        """Remove someone and every line to them: couples, parent links, relationships,
        twins, household places and ecomap connections."""
        self.apply({"op": "remove_person", "args": {"id": pid}})

    # -- couples ------------------------------------------------------------------------

    def add_union(self, a: str, b: str, status: str = "married", *, began: Any = None,
                  ended: Any = None, id: str | None = None, notes: str | None = None) -> str:
        """Make ``a`` and ``b`` a couple; returns the couple's id."""
        union = {"id": id or self._new_union_id(a, b), "partners": [a, b], "status": status,
                 **_without_none(began=began, ended=ended, notes=notes)}
        self.apply({"op": "add_union", "args": {"union": union}})
        return union["id"]

    def add_partner(self, pid: str, partner: str | Mapping[str, Any], status: str = "married",
                    *, began: Any = None, ended: Any = None, union_id: str | None = None) -> str:
        """Give ``pid`` a partner: an existing person's id, or a new person's details
        (``{"name": "Steve", "sex": "male"}``). One step to undo. Returns the partner's id."""
        args: dict[str, Any] = {}
        if isinstance(partner, str):
            other = partner
        else:
            person = self._new_person(partner)
            other = person["id"]
            args["person"] = person
        args["union"] = {"id": union_id or self._new_union_id(pid, other),
                         "partners": [pid, other], "status": status,
                         **_without_none(began=began, ended=ended)}
        self.apply({"op": "add_partner", "args": args})
        return other

    def set_union_status(self, uid: str, status: str, date: Any = None) -> None:
        """Change a couple's status; ``date`` is when it ended for separated, divorced and
        widowed, and when it began otherwise."""
        self.apply({"op": "set_union_status", "args": {"id": uid, "status": status,
                                                        "date": date}})

    def remove_union(self, uid: str) -> None:
        """Remove a couple line (their children keep their parents)."""
        self.apply({"op": "remove_union", "args": {"id": uid}})

    # -- parents and children -----------------------------------------------------------

    def add_child(self, union_or_parents: str | list[str], child: str | Mapping[str, Any],
                  kind: str = "birth", *, since: Any = None) -> str:
        """Give a couple (by union id) or one or two parents a child: an existing person's
        id or a new person's details. Returns the child's id."""
        parents = self._partners(union_or_parents)
        args: dict[str, Any] = {"parents": parents, "kind": kind, "since": since}
        if isinstance(child, str):
            args["child"] = child
        else:
            person = self._new_person(child)
            args["child"] = person["id"]
            args["person"] = person
        self.apply({"op": "add_child", "args": args})
        return args["child"]

    def add_parent_link(self, child: str, parents: str | list[str], kind: str = "birth",
                        *, since: Any = None) -> None:
        """Record one set of parents for ``child`` (birth, adoptive, foster, step, …)."""
        self.apply({"op": "add_parent_link",
                    "args": {"child": child, "parents": _ids(parents, "the parents"),
                             "kind": kind, "since": since}})

    def remove_parent_link(self, child: str, parents: list[str] | None = None,
                           kind: str | None = None) -> None:
        """Remove the parent links of ``child`` that match ``parents`` and ``kind``."""
        self.apply({"op": "remove_parent_link",
                    "args": {"child": child, "parents": parents, "kind": kind}})

    def add_twins(self, people: list[str], identical: bool = False) -> None:
        """Mark two to four people as twins (or triplets…)."""
        self.apply({"op": "add_twins", "args": {"people": people, "identical": identical}})

    # -- relationships, households, ecomap ------------------------------------------------

    def add_relationship(self, from_: str, to: str, kind: str, *,
                         notes: str | None = None) -> None:
        """Draw an emotional relationship line; for directed kinds the arrow points at ``to``."""
        relationship = {"from": from_, "to": to, "kind": kind, **_without_none(notes=notes)}
        self.apply({"op": "add_relationship", "args": {"relationship": relationship}})

    def remove_relationship(self, from_: str, to: str, kind: str | None = None) -> None:
        """Remove the relationship lines between two people (of one kind, if given)."""
        self.apply({"op": "remove_relationship", "args": {"from_": from_, "to": to,
                                                           "kind": kind}})

    def add_household(self, name: str, members: list[str], *, id: str | None = None) -> str:
        """Draw a household boundary round ``members``; returns its id."""
        hid = id or unique_id(slug(name, "household"), [h.id for h in self._case.households])
        self.apply({"op": "add_household",
                    "args": {"household": {"id": hid, "name": name, "members": members}}})
        return hid

    def set_household_members(self, hid: str, members: list[str]) -> None:
        """Say who lives in a household now."""
        self.apply({"op": "set_household_members", "args": {"id": hid, "members": members}})

    def remove_household(self, hid: str) -> None:
        """Remove a household boundary and its ecomap connections."""
        self.apply({"op": "remove_household", "args": {"id": hid}})

    def add_ecomap_connection(self, name: str, connected_to: str, *, kind: str = "agency",
                              strength: str = "moderate", stressful: bool = False,
                              flow: str = "none", notes: str | None = None,
                              id: str | None = None) -> str:
        """Connect a person or household to a system (school, GP, a friend); returns its id."""
        eid = id or unique_id(slug(name, "connection"), [e.id for e in self._case.ecomap])
        connection = {"id": eid, "name": name, "kind": kind, "connected_to": connected_to,
                      "strength": strength, "stressful": stressful, "flow": flow,
                      **_without_none(notes=notes)}
        self.apply({"op": "add_ecomap_connection", "args": {"connection": connection}})
        return eid

    def remove_ecomap_connection(self, eid: str) -> None:
        self.apply({"op": "remove_ecomap_connection", "args": {"id": eid}})

    def set_index_person(self, pid: str | None) -> None:
        """Mark ``pid`` as the index person (double outline), or nobody with ``None``."""
        self.apply({"op": "set_index_person", "args": {"id": pid}})

    def set_focal_child(self, pid: str | None) -> None:
        """Choose the child the supervision is about (family words are relative to them)."""
        self.apply({"op": "set_focal_child", "args": {"id": pid}})
