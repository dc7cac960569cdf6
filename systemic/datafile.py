"""Reading YAML data files and turning validation errors into plain sentences.

Frameworks, cases and vocabularies are data written by people, often in a
text editor. When something is wrong, the person needs one line per problem
that names the file, the field and the fix, never a traceback.

>>> from pydantic import BaseModel
>>> class Person(BaseModel):
...     id: str
...     born: int
>>> try:
...     parse_model(Person, {"id": "amy", "born": "19x0"}, "x.yaml")
... except DataFileError as e:
...     print(e)
x.yaml: born: "19x0" is not a whole number — write it like 1984
"""

from __future__ import annotations

import re
import reprlib
from functools import cache
from importlib import import_module
from pathlib import Path
from typing import Any, TypeVar, cast

import yaml
from pydantic import BaseModel, ValidationError
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from systemic.errors import DataFileError, Problem

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_VALUES",
    "MAX_DEPTH",
    "shown",
    "printable",
    "capped",
    "read_yaml",
    "parse_model",
    "field_path",
    "load_model",
    "load_model_once",
]

#: Larger files are refused before parsing: no real case or framework comes near it
#: (the largest data file, the question templates, is about 50 kB).
MAX_FILE_BYTES = 500_000
#: The most values (texts, numbers, lists, sets of fields) a data file may hold; the
#: largest real one holds under 3,000. Reading 10,000 takes about a fifth of a second.
MAX_VALUES = 10_000
#: The deepest nesting of lists and fields; real files go about eight deep.
MAX_DEPTH = 40
#: The longest number, in digits (a year has four).
MAX_DIGITS = 30
#: At most this many problems are listed for one file; the rest are counted.
MAX_PROBLEMS = 20
#: Values quoted in a problem are cut to about this many characters.
SHOWN_CHARACTERS = 80

M = TypeVar("M", bound=BaseModel)


def _fail(path: str, message: str, field: str = "") -> DataFileError:
    return DataFileError([Problem(path, field, message)])


class _Refused(yaml.MarkedYAMLError):
    """A file we will not read further, with the line and column of the reason."""

    def __init__(self, problem: str, mark: yaml.Mark | None):
        super().__init__(problem=problem, problem_mark=mark)


#: libyaml's parser when PyYAML has it (ten times faster than PyYAML's own, which needs
#: seconds for a file at the size limit); the composing, with our limits, is ours either way.
_LIBYAML: Any = getattr(yaml, "__with_libyaml__", False) and import_module("yaml.cyaml").CParser
_PARSING: tuple[type, ...] = (
    (_LIBYAML,) if _LIBYAML else (yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser)
)


class _Loader(Composer, *_PARSING, SafeConstructor, Resolver):  # type: ignore[misc]
    """Safe YAML with bounded size and plain keys; dates kept as text; repeated keys refused.

    Before anything is built, composing the file counts every value, an alias
    (``*name``, as programs that write YAML use) as all the values it repeats,
    and refuses more than :data:`MAX_VALUES` of them or nesting deeper than
    :data:`MAX_DEPTH`: a few lines of aliases can stand for billions of values
    (an "alias bomb"). An alias inside the value it names is refused too. Then
    a key must be a plain word (not a list, a set of fields, a number or yes/no),
    numbers are at most :data:`MAX_DIGITS` digits, and a repeated key is refused
    (it would otherwise silently drop the first value). Dates stay text so that
    our own date type can say which field holds an impossible date.
    """

    def __init__(self, stream: str):
        if _LIBYAML:
            _LIBYAML.__init__(self, stream)
        else:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self._values = 0  # values so far, each alias counted as all it stands for
        self._depth = 0  # depth of the value being read, the first one at 1
        self._deepest = 0  # deepest value (aliases expanded) inside the one being read
        self._open: set[str] = set()  # anchors whose value is still being read
        self._anchored: dict[str, tuple[int, int]] = {}  # anchor → (values, extra depth)

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            return self._compose_alias(event, parent, index)
        anchor = getattr(event, "anchor", None)
        self._depth += 1
        self._grow(1, self._depth, event.start_mark)
        values_before, deepest_before = self._values, self._deepest
        self._deepest = self._depth
        if anchor:
            self._open.add(anchor)
        node = super().compose_node(parent, index)
        if anchor:
            self._open.discard(anchor)
            self._anchored[anchor] = (self._values - values_before + 1, self._deepest - self._depth)
        self._deepest = max(deepest_before, self._deepest)
        self._depth -= 1
        return node

    def _compose_alias(
        self, event: yaml.AliasEvent, parent: yaml.Node | None, index: Any
    ) -> yaml.Node:
        name = event.anchor or ""
        if name in self._open:
            raise _Refused(
                f"'*{printable(name, 40)}' repeats a part of the file that contains it, so it "
                "never ends — write the value out in full",
                event.start_mark,
            )
        values, extra_depth = self._anchored.get(name, (1, 0))
        self._grow(values, self._depth + 1 + extra_depth, event.start_mark)
        return super().compose_node(parent, index)

    def _grow(self, values: int, depth: int, mark: yaml.Mark) -> None:
        """Count values read (an alias as all it repeats) and refuse past the limits."""
        self._values += values
        self._deepest = max(self._deepest, depth)
        if self._values > MAX_VALUES:
            raise _Refused(
                f"the file holds more than {MAX_VALUES:,} values (counting what each *alias "
                "repeats) — is this the right file?",
                mark,
            )
        if depth > MAX_DEPTH:
            raise _Refused(
                f"lists or fields are nested far too deeply (over {MAX_DEPTH} levels) — check "
                "that every [ has its ] and every { its }",
                mark,
            )

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Refused(
                    "a field name here is a list or a set of fields — a field name is a plain "
                    "word followed by a colon, like name:",
                    key_node.start_mark,
                )
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str):
                raise _Refused(
                    f"the field name {printable(key_node.value, 40)} is read as "
                    f"{'a number' if type(key) in (int, float) else 'yes/no or nothing'} "
                    "— field names are words; put it in quotes if it is meant",
                    key_node.start_mark,
                )
            if key in seen:
                raise _Refused(f"'{printable(key, 40)}' is written twice — keep one",
                               key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        digits = node.value.lstrip("+-0").replace("_", "")
        if len(digits) > MAX_DIGITS:
            raise _Refused(
                f"a number {len(digits):,} digits long — check this value", node.start_mark
            )
        return int(super().construct_yaml_int(node))


_Loader.add_constructor("tag:yaml.org,2002:timestamp", SafeConstructor.construct_yaml_str)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)


def read_yaml(path: str | Path) -> Any:
    """Read one YAML file, refusing empty, binary, huge and malformed files clearly.

    Raises
    ------
    DataFileError
        With a single problem that says what to do.
    """
    name = str(path)
    p = Path(path)
    if not p.exists():
        raise _fail(name, "file not found — check the path")
    if p.is_dir():
        raise _fail(name, "this is a folder — give the path of a .yaml file")
    size = p.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _fail(
            name,
            f"file is {size:,} bytes, over the {MAX_FILE_BYTES:,} limit — "
            "is this the right file? Split very large chronologies into a summary",
        )
    raw = p.read_bytes()
    if b"\x00" in raw:
        raise _fail(name, "this looks like a binary file, not YAML text — save it as plain text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise _fail(
            name, f"not UTF-8 text (byte {e.start}) — save the file with UTF-8 encoding"
        ) from None
    if not text.strip():
        raise _fail(name, "file is empty — start from case_templates/blank.yaml")
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except _Refused as e:
        raise _fail(name, f"{_where(e.problem_mark)}: {e.problem}") from None
    except yaml.MarkedYAMLError as e:
        raise _fail(name, _syntax_error(e, text)) from None
    except RecursionError:
        raise _fail(name, _TOO_DEEP) from None
    except yaml.reader.ReaderError as e:
        raise _fail(name, f"character {e.position + 1:,} is a control character "
                    f"(#x{e.character:04x}) that YAML does not allow — delete it, or save the "
                    "file again as plain text") from None
    except yaml.YAMLError as e:
        raise _fail(name, f"YAML could not be read: {printable(str(e), 160)} — check the file "
                    "is YAML text") from None
    if data is None:
        raise _fail(name, "file has only comments — add the fields, as in the README example")
    return data


_TOO_DEEP = ("lists or fields are nested far too deeply to read — check that every [ has its ] "
             "and every { its }")


def _syntax_error(error: yaml.MarkedYAMLError, text: str) -> str:
    """One line for a YAML syntax error: where, what, and the usual fix."""
    mark = error.problem_mark
    what = printable((error.problem or "unreadable YAML").strip(), 120)
    at = text[mark.index] if mark is not None and 0 <= mark.index < len(text) else ""
    if "'\\t'" in what or "\t" in what or at == "\t":
        return f"YAML syntax error at {_where(mark)}: a tab is used to indent — indent with spaces"
    if "nesting depth" in what:
        return _TOO_DEEP
    return (f"YAML syntax error at {_where(mark)}: {what} — check indentation and that text "
            "with a colon is in quotes")


def field_path(loc: tuple[Any, ...]) -> str:
    """Write a pydantic location the way a person reads a YAML file.

    >>> field_path(("people", 2, "born"))
    'people[2].born'
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif str(part).startswith(("function-", "tagged-union[")):
            continue
        else:
            out += ("." if out else "") + printable(str(part), 40)
    return out


def _where(mark: yaml.Mark | None) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark else "somewhere"


def printable(text: str, limit: int = SHOWN_CHARACTERS) -> str:
    """Text cut to about ``limit`` characters, on one line, control characters made visible.

    A problem is one line on a terminal: a value with a new line, an escape code
    or a million characters must not break it, scroll it away or fill memory.

    >>> printable("Mia\\nRivers\\x1b[31m")
    'Mia\\\\nRivers\\\\x1b[31m'
    >>> len(printable("x" * 10_000))
    80
    """
    cut = text[: limit + 1]
    out = "".join(c if c.isprintable() else repr(c)[1:-1] for c in cut)
    return out if len(out) <= limit and len(text) <= limit else out[: limit - 3] + "..."


def shown(value: Any, limit: int = SHOWN_CHARACTERS) -> str:
    """A value quoted in a problem: text in double quotes, anything else as Python shows it,
    never more than about ``limit`` characters however large the value.

    >>> shown("19x0"), shown(10**5000), shown(list(range(10**5)))
    ('"19x0"', 'a number about 5,001 digits long', '[0, 1, 2, 3, 4, 5, ...]')
    >>> len(shown("x" * 10**6))
    80
    """
    if isinstance(value, str):
        return '"' + printable(value, limit - 2) + '"'
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**40:
        return f"a number about {int(abs(value).bit_length() * 0.30103) + 1:,} digits long"
    return printable(_short_repr.repr(value), limit)


_short_repr = reprlib.Repr()
_short_repr.maxlevel, _short_repr.maxlist, _short_repr.maxdict = 3, 6, 4
_short_repr.maxstring, _short_repr.maxother, _short_repr.maxlong = 60, 60, 60


def _choices(expected: str) -> str:
    """The values a field may take, as pydantic lists them, the first few if there are many.

    >>> _choices("'a', 'b' or 'c'")
    "'a', 'b' or 'c'"
    >>> _choices(", ".join(f"'kind_{i}'" for i in range(40)))[-58:]
    "'kind_5', 'kind_6', 'kind_7' … (40 in all: see the schema)"
    """
    if not expected:
        return "the allowed values"
    if len(expected) <= 160:
        return expected
    values = re.split(r", | or ", expected)
    return ", ".join(values[:8]) + f" … ({len(values)} in all: see the schema)"


def _sentence(err: dict[str, Any]) -> str:
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return "is missing — add it"
    if kind == "extra_forbidden":
        return "is not a field we know — check the spelling, or remove it"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{shown(value)} is not a whole number — write it like 1984"
    if kind in ("string_type",):
        return f"{shown(value)} should be text — put it in quotes"
    if kind in ("bool_type", "bool_parsing"):
        return f"{shown(value)} should be true or false"
    if kind in ("list_type",):
        return f"should be a list (lines starting with '- '), not {shown(value)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"should be a set of 'name: value' fields, not {shown(value)}"
    if kind in ("literal_error", "enum"):
        return f"{shown(value)} is not one of {_choices(str(ctx.get('expected', '')))}"
    if kind in ("string_too_short", "too_short"):
        return "is empty — fill it in"
    if kind in ("string_too_long",):
        return f"is too long (at most {ctx.get('max_length')} characters) — shorten it"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{shown(value)}: {err['msg'].lower()}"
    if kind == "date_from_datetime_parsing" or kind.startswith("date"):
        return f"{shown(value)} is not a date — write it like 2024-03-15"
    if kind == "string_pattern_mismatch":
        return f"{shown(value)} has characters we cannot use here — use letters, digits, - and _"
    # Our own validators raise ValueError("… — fix"): pydantic prefixes "Value error, ".
    msg = str(err.get("msg", "is not valid"))
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix) :]
    return printable(msg, 300)


def parse_model(model: type[M], data: Any, path: str | Path) -> M:
    """Validate ``data`` as ``model``; on failure raise one problem per wrong field."""
    try:
        return model.model_validate(data)
    except RecursionError:
        raise DataFileError(
            [Problem(str(path), "", "lists or fields are nested far too deeply to read")]
        ) from None
    except ValidationError as e:
        errors = e.errors(include_url=False, include_context=True, include_input=True)
        problems = [
            Problem(str(path), field_path(tuple(err["loc"])), _sentence(err))
            for err in errors[:MAX_PROBLEMS]
        ]
        raise DataFileError(problems + _more(str(path), len(errors))) from None


def _more(path: str, count: int) -> list[Problem]:
    if count <= MAX_PROBLEMS:
        return []
    return [Problem(path, "", f"and {count - MAX_PROBLEMS:,} more problems — fix these first, "
                    "then check the file again")]


def capped(problems: list[Problem], path: str | Path) -> list[Problem]:
    """The first :data:`MAX_PROBLEMS` problems and a line counting the rest, so that a
    broken file is a short list, not a flood.

    >>> len(capped([Problem("x.yaml", "id", "is missing — add it")] * 50, "x.yaml"))
    21
    """
    return problems[:MAX_PROBLEMS] + _more(str(path), len(problems))


def load_model(model: type[M], path: str | Path) -> M:
    """Read a YAML file and validate it as ``model``."""
    return parse_model(model, read_yaml(path), path)


@cache
def _load_once(model: type[BaseModel], path: Path) -> BaseModel:
    return load_model(model, path)


def load_model_once(model: type[M], path: str | Path | None, default: Path) -> M:
    """Read ``path`` (``default`` when it is None) as ``model``, once per model and file.

    Wording and vocabularies are asked for on every redraw; each file is read
    and validated the first time only, and the same (frozen) model is shared
    after that. A file that fails is not remembered: it is read again next time.

    >>> import pathlib, tempfile
    >>> from pydantic import BaseModel
    >>> class Wording(BaseModel):
    ...     greeting: str
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder) / "wording.yaml"
    ...     _ = path.write_text("greeting: Hello", encoding="utf-8")
    ...     first = load_model_once(Wording, None, path)
    ...     _ = path.write_text("greeting: Changed", encoding="utf-8")
    ...     first is load_model_once(Wording, str(path), path), first.greeting
    (True, 'Hello')
    """
    return cast(M, _load_once(model, Path(path) if path is not None else default))
