"""Mutated copies of the real cases, frameworks and family trees, from a fixed seed.

Each file is a real file (``case_templates/*.yaml``, ``frameworks/*.yaml``, the
GEDCOM samples in ``../shared/data/gedcom``) with one to three mutations of the
kinds people and programs make, and the kinds attackers make: fields deleted or of
the wrong type, huge values, deep nesting, YAML alias bombs, keys that are not
words, repeated ids, references to nobody, cycles of parenthood, random bytes,
files cut short, format specifiers, control characters and unlikely years. The
mutations applied are in the file's name, so a finding says what caused it.

>>> import tempfile
>>> files = make_corpus(Path(tempfile.mkdtemp()), seed=1, cases=3, frameworks=2, gedcoms=2)
>>> len(files), sorted({f.parent.parent.name for f in files})
(7, ['cases', 'frameworks', 'gedcom'])
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from systemic.paths import CASES_DIR, FRAMEWORKS_DIR, SHARED_DIR

__all__ = ["make_corpus", "case_sources", "framework_sources", "gedcom_sources", "mutate_yaml",
           "mutate_gedcom", "ODD_VALUES", "FORMAT_BITS", "CONTROL_CHARACTERS"]

GEDCOM_DIR = SHARED_DIR / "data" / "gedcom"

#: Values of the wrong type or size put in place of a field's value.
ODD_VALUES: tuple[Any, ...] = (
    None, True, False, 0, -1, 1.5, float("inf"), "", " ", "x", [], {}, [None], [[]], {"a": 1},
    ["a", "b"], 10**25, "2021-02-30", "1984-13", "19x0", "9999", 9999, 999, 2201, "0000",
    "yes", "null", "~", "-", "@I1@", "../../etc/passwd", "<script>alert(1)</script>",
    "{child}", "a" * 65, "a" * 201, "a" * 4001,
)
#: Format specifiers and blank-like text put inside text.
FORMAT_BITS = (
    "{child:d}", "{child:>1000000000}", "{child.__class__}", "{child[0]}", "{child!r}", "{0}",
    "{}", "{", "}", "{{", "}}", "{parent}", "{family_member:^99999}", "%s", "%(child)s",
    "{child}{child}{child}", "${child}", "{child:{child}}",
)
CONTROL_CHARACTERS = (
    "\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b[2J", "\x7f", "\x85", "\u2028",
    "\u202e", "\ufeff", "\r", "\t", "\n", "\u0085\u200b",
)
#: Fields of a case that hold ids of people (or households).
REFERENCES = {
    "focal_child": None, "parents": ("child", "parents"), "unions": ("partners",),
    "relationships": ("from", "to"), "households": ("members",), "ecomap": ("connected_to",),
    "chronology": ("people",), "twins": ("people",),
}


def case_sources() -> list[Path]:
    return sorted(p for p in CASES_DIR.glob("*.yaml"))


def framework_sources() -> list[Path]:
    return sorted(p for p in FRAMEWORKS_DIR.glob("*.yaml"))


def gedcom_sources() -> list[Path]:
    return sorted(GEDCOM_DIR.glob("*.ged"))


# -- walking YAML data ---------------------------------------------------------------------------


def _places(data: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside ``data`` (not the root)."""
    out: list[tuple[Any, ...]] = []
    items = data.items() if isinstance(data, dict) else enumerate(data) \
        if isinstance(data, list) else ()
    for key, value in items:
        out.append((*here, key))
        out.extend(_places(value, (*here, key)))
    return out


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    _get(data, path[:-1])[path[-1]] = value


def _strings(data: Any) -> list[tuple[Any, ...]]:
    return [p for p in _places(data) if isinstance(_get(data, p), str)]


def _lists_of_records(data: Any) -> list[tuple[Any, ...]]:
    return [p for p in _places(data) if isinstance(_get(data, p), list)
            and _get(data, p) and all(isinstance(x, dict) and "id" in x for x in _get(data, p))]


# -- mutations of YAML data (return the data; may leave text tokens for _TEXT) -------------------

Op = Callable[[random.Random, Any], Any]


def _delete(rng: random.Random, data: Any) -> Any:
    places = [p for p in _places(data) if isinstance(_get(data, p[:-1]), dict | list)]
    if places:
        path = rng.choice(places)
        del _get(data, path[:-1])[path[-1]]
    return data


def _retype(rng: random.Random, data: Any) -> Any:
    path = rng.choice(_places(data))
    _set(data, path, copy.deepcopy(rng.choice(ODD_VALUES)))
    return data


def _huge_text(rng: random.Random, data: Any) -> Any:
    path = rng.choice(_strings(data) or _places(data))
    _set(data, path, rng.choice("xé{ ") * rng.choice((5_000, 100_000, 400_000, 1_100_000)))
    return data


def _huge_list(rng: random.Random, data: Any) -> Any:
    """A list of thousands of copies of its first item, written as JSON (which YAML reads)."""
    lists = [p for p in _places(data) if isinstance(_get(data, p), list) and _get(data, p)]
    if not lists:
        return data
    path = rng.choice(lists)
    item = json.dumps(_get(data, path)[0], ensure_ascii=False, default=str)
    _set(data, path, "FUZZTOKEN")
    return (data, "FUZZTOKEN", "[" + ", ".join([item] * rng.choice((300, 3_000, 30_000))) + "]")


def _deep(rng: random.Random, data: Any) -> Any:
    depth = rng.choice((8, 35, 39, 41, 300, 20_000))
    path = rng.choice(_places(data))
    opener, closer = rng.choice((("[", "]"), ("{a: ", "}")))
    _set(data, path, "FUZZTOKEN")
    return (data, "FUZZTOKEN", opener * depth + "x" + closer * depth)


def _alias_bomb(rng: random.Random, data: Any) -> Any:
    levels = rng.choice((3, 5, 9, 12))
    parts = ["&a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    parts += [f"&a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, levels)]
    path = rng.choice(_places(data))
    _set(data, path, "FUZZTOKEN")
    return (data, "FUZZTOKEN", "[" + ", ".join(parts) + "]")


def _recursive_alias(rng: random.Random, data: Any) -> Any:
    path = rng.choice(_places(data))
    _set(data, path, "FUZZTOKEN")
    return (data, "FUZZTOKEN", rng.choice(("&r [a, *r]", "&r {a: *r}", "*undefined")))


def _shared_values(rng: random.Random, data: Any) -> Any:
    """Repeat one value elsewhere as the same object: PyYAML writes an anchor and alias."""
    places = _places(data)
    source, target = rng.choice(places), rng.choice(places)
    if source[: len(target)] != target and target[: len(source)] != source:
        _set(data, target, _get(data, source))
    return data


def _odd_key(rng: random.Random, data: Any) -> Any:
    dicts = [()] + [p for p in _places(data) if isinstance(_get(data, p), dict)]
    path = rng.choice(dicts)
    key = rng.choice(("FUZZKEY1", "FUZZKEY2", "FUZZKEY3", "FUZZKEY4", "FUZZKEY5"))
    _get(data, path)[key] = "v"
    replacement = {"FUZZKEY1": "? [a, b]\n", "FUZZKEY2": "{a: 1}", "FUZZKEY3": "1984",
                   "FUZZKEY4": "yes", "FUZZKEY5": "null"}[key]
    return (data, key + ":", replacement + ":") if key != "FUZZKEY1" else (
        data, "FUZZKEY1: v", "? [a, b]\n: v")


def _duplicate_id(rng: random.Random, data: Any) -> Any:
    lists = _lists_of_records(data)
    if lists:
        records = _get(data, rng.choice(lists))
        if rng.random() < 0.5 or len(records) < 2:
            records.append(copy.deepcopy(rng.choice(records)))
        else:
            a, b = rng.sample(range(len(records)), 2)
            records[a]["id"] = records[b]["id"]
    return data


def _shared_id(rng: random.Random, data: Any) -> Any:
    """An ecomap or household id that is a person's id (cases only)."""
    people = [p["id"] for p in data.get("people", []) if isinstance(p, dict) and "id" in p]
    others = [r for key in ("ecomap", "households") for r in data.get(key, []) or []
              if isinstance(r, dict)]
    if people and others:
        rng.choice(others)["id"] = rng.choice(people)
    return data


def _dangling(rng: random.Random, data: Any) -> Any:
    spots = []
    for key, fields in REFERENCES.items():
        if key not in data:
            continue
        if fields is None:
            spots.append((key,))
            continue
        for i, record in enumerate(data[key] or []):
            for name in fields:
                if isinstance(record, dict) and name in record:
                    value = record[name]
                    if isinstance(value, list) and value:
                        spots.append((key, i, name, rng.randrange(len(value))))
                    else:
                        spots.append((key, i, name))
    if spots:
        _set(data, rng.choice(spots), f"nobody_{rng.randrange(1000)}")
    return data


def _cycle(rng: random.Random, data: Any) -> Any:
    """A person made their own parent, or their own ancestor through a chain."""
    ids = [p["id"] for p in data.get("people", []) if isinstance(p, dict) and "id" in p]
    if not ids:
        return data
    links = data.setdefault("parents", [])
    if rng.random() < 0.3:
        who = rng.choice(ids)
        links.append({"child": who, "parents": [who]})
        return data
    chain = rng.sample(ids, min(len(ids), rng.choice((2, 3, 6))))
    for child, parent in zip(chain, chain[1:] + chain[:1], strict=True):
        links.append({"child": child, "parents": [parent], "kind": rng.choice(("birth", "step"))})
    return data


def _long_cycle(rng: random.Random, data: Any) -> Any:
    """Hundreds of generations, each the parent of the next, the last of the first."""
    n = rng.choice((200, 500))
    data["people"] = [{"id": f"g{i}", "name": f"Person {i}"} for i in range(n)]
    data["parents"] = [{"child": f"g{i}", "parents": [f"g{(i + 1) % n}"]} for i in range(n)]
    for key in ("unions", "relationships", "households", "ecomap", "chronology", "twins",
                "focal_child"):
        data.pop(key, None)
    return data


def _format_bits(rng: random.Random, data: Any) -> Any:
    strings = _strings(data)
    questions = [p for p in strings if "questions" in p]
    path = rng.choice(questions if questions and rng.random() < 0.6 else strings)
    text = _get(data, path)
    at = rng.randrange(len(text) + 1)
    _set(data, path, text[:at] + rng.choice(FORMAT_BITS) + text[at:])
    return data


def _control(rng: random.Random, data: Any) -> Any:
    path = rng.choice(_strings(data) or _places(data))
    text = str(_get(data, path))
    at = rng.randrange(len(text) + 1)
    _set(data, path, text[:at] + rng.choice(CONTROL_CHARACTERS) + text[at:])
    return data


def _year(rng: random.Random, data: Any) -> Any:
    dates = [p for p in _places(data) if p and p[-1] in ("born", "died", "began", "ended", "date",
                                                          "since", "until", "year")]
    if dates:
        _set(data, rng.choice(dates), rng.choice((9999, "9999-01", 999, "0999", 2200, 2201, 1000,
                                                  "2021-02-29", "1900-02-29", 0, -44, "1984-00")))
    return data


DATA_OPS: dict[str, Op] = {
    "delete": _delete, "retype": _retype, "hugetext": _huge_text, "hugelist": _huge_list,
    "deep": _deep, "aliasbomb": _alias_bomb, "recursivealias": _recursive_alias,
    "sharedvalues": _shared_values, "oddkey": _odd_key, "duplicateid": _duplicate_id,
    "dangling": _dangling, "format": _format_bits, "control": _control, "year": _year,
}
CASE_OPS: dict[str, Op] = {**DATA_OPS, "cycle": _cycle, "longcycle": _long_cycle,
                           "sharedid": _shared_id}


# -- mutations of bytes --------------------------------------------------------------------------


def _truncate(rng: random.Random, raw: bytes) -> bytes:
    return raw[: rng.randrange(len(raw) + 1)]


def _random_bytes(rng: random.Random, raw: bytes) -> bytes:
    out = bytearray(raw)
    for _ in range(rng.choice((1, 3, 20))):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _insert_bytes(rng: random.Random, raw: bytes) -> bytes:
    at = rng.randrange(len(raw) + 1)
    junk = rng.choice((b"\x00", b"\xff\xfe", b"\xc3", b"\xef\xbb\xbf", b"\t", b"\r",
                       bytes(rng.randrange(256) for _ in range(rng.choice((4, 64, 4096))))))
    return raw[:at] + junk + raw[at:]


def _encoding(rng: random.Random, raw: bytes) -> bytes:
    text = raw.decode("utf-8", errors="replace")
    return rng.choice((lambda: b"\xef\xbb\xbf" + raw, lambda: text.encode("utf-16"),
                       lambda: text.encode("latin-1", errors="replace"), lambda: b"",
                       lambda: b"   \n\n", lambda: b"# only a comment\n",
                       lambda: raw.replace(b"\n", b"\r"), lambda: raw.replace(b"\n  ", b"\n\t")))()


BYTE_OPS: dict[str, Callable[[random.Random, bytes], bytes]] = {
    "truncate": _truncate, "randombytes": _random_bytes, "insertbytes": _insert_bytes,
    "encoding": _encoding,
}


def _dump(data: Any) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml: a 30,000-item list is slow
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=10_000)


@cache
def _source_data(source: Path) -> Any:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(source.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506


def mutate_yaml(rng: random.Random, source: Path, ops: dict[str, Op]) -> tuple[str, bytes]:
    """One mutated file from ``source``: the mutations' names and the file's bytes."""
    data = copy.deepcopy(_source_data(source))
    names, swaps = [], []
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        name = rng.choice(list(ops) + list(BYTE_OPS))
        names.append(name)
        if name in ops:
            result = ops[name](rng, data)
            if isinstance(result, tuple):
                data, token, text = result
                swaps.append((token, text))
    raw = _dump(data)
    for token, text in swaps:
        raw = raw.replace(token, text, 1)
    out = raw.encode("utf-8", errors="surrogatepass")
    for name in names:
        if name in BYTE_OPS:
            out = BYTE_OPS[name](rng, out)
    return "+".join(names), out


# -- mutations of GEDCOM -------------------------------------------------------------------------

def _gedcom_lines(rng: random.Random, lines: list[str]) -> tuple[str, list[str]]:
    heads = [line.split() for line in lines if line.startswith("0 @")]
    people = sorted(h[1] for h in heads if len(h) == 3 and h[2] == "INDI") or ["@I1@"]
    families = sorted(h[1] for h in heads if len(h) == 3 and h[2] == "FAM") or ["@F1@"]
    lines = lines or ["0 HEAD"]
    at = rng.randrange(1, len(lines) + 1)
    kind = rng.choice((
        "deletelines", "dangling", "cycle", "selfparent", "longcycle", "hugelevel", "leveljump",
        "deeplevels", "hugename", "year", "format", "control", "duplicatexref", "noise", "empty",
        "headonly", "charset", "manyfamilies",
    ))
    if kind == "deletelines":
        for _ in range(rng.choice((1, 5, 50))):
            if len(lines) > 1:
                del lines[rng.randrange(len(lines))]
    elif kind == "dangling":
        lines.insert(at, f"1 {rng.choice(('FAMC', 'FAMS', 'HUSB', 'WIFE', 'CHIL'))} @X{at}@")
    elif kind == "cycle":  # a person made a child of a family they head
        family = rng.choice(families)
        lines += [f"0 {family}X FAM", f"1 HUSB {people[0]}", f"1 CHIL {people[0]}"]
    elif kind == "selfparent":
        person = rng.choice(people)
        lines += ["0 @FSELF@ FAM", f"1 HUSB {person}", f"1 CHIL {person}"]
    elif kind == "longcycle":
        n = rng.choice((50, 500))
        lines = ["0 HEAD", "1 CHAR UTF-8"]
        for i in range(n):
            lines += [f"0 @I{i}@ INDI", f"1 NAME Person /Gen{i}/", f"1 SEX {'MF'[i % 2]}",
                      f"0 @F{i}@ FAM", f"1 HUSB @I{i}@", f"1 CHIL @I{(i + 1) % n}@"]
        lines.append("0 TRLR")
    elif kind == "hugelevel":
        lines.insert(at, rng.choice(("9" * 5000, "99999999999999999999", "-1", "01")) + " NOTE x")
    elif kind == "leveljump":
        lines.insert(at, "7 NOTE jump")
    elif kind == "deeplevels":
        lines[at:at] = [f"{level} NOTE deep" for level in range(1, rng.choice((50, 3000)))]
    elif kind == "hugename":
        lines.insert(at, "1 NAME " + "Ann " * rng.choice((100, 50_000)) + "/Long/")
    elif kind == "year":
        lines.insert(at, "2 DATE " + rng.choice(("9999", "31 FEB 1900", "ABT 99999", "0",
                                                  "BET 2000 AND 1000", "1 JAN 2201", "FROM 9999",
                                                  "@#DHEBREW@ 5780", "12 MAR 1850/51", "1" * 400)))
    elif kind == "format":
        lines.insert(at, "1 NAME " + rng.choice(FORMAT_BITS) + " /" + rng.choice(FORMAT_BITS) + "/")
    elif kind == "control":
        line = rng.randrange(len(lines))
        lines[line] += rng.choice(CONTROL_CHARACTERS)
    elif kind == "duplicatexref":
        lines += [f"0 {rng.choice(people)} INDI", "1 NAME Again /Twice/"]
    elif kind == "noise":
        lines.insert(at, rng.choice(("garbage line", "", "0", "1 @", "@@", "0 @I1@", "1 NAME")))
    elif kind == "empty":
        lines = []
    elif kind == "headonly":
        lines = ["0 HEAD"]
    elif kind == "charset":
        lines.insert(1, "1 CHAR " + rng.choice(("ANSEL", "UTF-16", "ASCII", "IBMPC", "x" * 50)))
    elif kind == "manyfamilies":
        person = rng.choice(people)
        for i in range(rng.choice((20, 400))):
            lines += [f"0 @FM{i}@ FAM", f"1 HUSB {person}", f"1 CHIL @I{i}@"]
    return kind, lines


def mutate_gedcom(rng: random.Random, source: Path) -> tuple[str, bytes]:
    """One mutated family tree from ``source``: the mutations' names and the file's bytes."""
    lines = source.read_bytes().decode("utf-8", errors="replace").splitlines()
    names = []
    for _ in range(rng.choice((1, 1, 2, 3))):
        if rng.random() < 0.75:
            name, lines = _gedcom_lines(rng, lines)
        else:
            name = rng.choice(list(BYTE_OPS))
        names.append(name)
    out = "\n".join(lines).encode("utf-8", errors="surrogatepass")
    for name in names:
        if name in BYTE_OPS:
            out = BYTE_OPS[name](rng, out)
    return "+".join(names), out


# -- the corpus ----------------------------------------------------------------------------------


def make_corpus(folder: Path, seed: int = 17, cases: int = 470, frameworks: int = 350,
                gedcoms: int = 180) -> list[Path]:
    """Write the mutated files under ``folder`` (cases/, frameworks/, gedcom/) and list them.

    Each file has its own sub-folder so that a framework keeps the file name its id
    must match.
    """
    rng = random.Random(seed)
    out: list[Path] = []
    # Not royal92.ged: every step on its 3,000 people takes about 2.5 s on a quiet machine
    # (three layouts), so mutated copies would measure the machine's load, not the reader;
    # kennedy.ged (208 people) a third as often as the small trees, for the same reason.
    ordinary_trees = [s for s in gedcom_sources() if s.name != "royal92.ged"]
    ordinary_trees += [s for s in ordinary_trees if s.name != "kennedy.ged"] * 2
    plan = (
        ([("cases", s) for s in case_sources()], cases),
        ([("frameworks", s) for s in framework_sources()], frameworks),
        ([("gedcom", s) for s in ordinary_trees], gedcoms),
    )
    for sources, count in plan:
        for n in range(count):
            kind, source = rng.choice(sources)
            if kind == "gedcom":
                names, raw = mutate_gedcom(rng, source)
            else:
                names, raw = mutate_yaml(rng, source, CASE_OPS if kind == "cases" else DATA_OPS)
            path = folder / kind / f"{n:04d}-{source.stem[:12]}-{names}"[:120] / source.name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(raw)
            out.append(path)
    return out
