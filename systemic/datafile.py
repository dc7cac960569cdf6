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

from functools import cache
from pathlib import Path
from typing import Any, TypeVar, cast

import yaml
from pydantic import BaseModel, ValidationError

from systemic.errors import DataFileError, Problem

__all__ = [
    "MAX_FILE_BYTES",
    "read_yaml",
    "parse_model",
    "field_path",
    "load_model",
    "load_model_once",
]

#: Larger files are refused before parsing: no real case or framework comes near it.
MAX_FILE_BYTES = 2_000_000

M = TypeVar("M", bound=BaseModel)


def _fail(path: str, message: str, field: str = "") -> DataFileError:
    return DataFileError([Problem(path, field, message)])


class _Loader(yaml.SafeLoader):
    """Safe YAML, with dates kept as the text the person wrote and repeated keys refused.

    Dates stay text so that our own date type can say which field holds an
    impossible date (PyYAML would stop at ``2021-02-30`` without saying where);
    a repeated key would otherwise silently drop the first value.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str) and key in seen:
                mark = key_node.start_mark
                raise yaml.constructor.ConstructorError(
                    None, None, f"'{key}' is written twice — keep one", mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


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
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "somewhere"
        what = (e.problem or "unreadable YAML").strip()
        hint = " — check indentation and that text with a colon is in quotes"
        if "'\\t'" in what or "\t" in what:
            what, hint = "a tab is used to indent — indent with spaces", ""
        elif "written twice" in what:
            hint = ""
        raise _fail(name, f"YAML syntax error at {where}: {what}{hint}") from None
    except RecursionError:
        raise _fail(
            name,
            "lists or fields are nested far too deeply to read — check that every [ has "
            "its ] and every { its }",
        ) from None
    except yaml.YAMLError as e:
        raise _fail(name, f"YAML could not be read: {e}") from None
    if data is None:
        raise _fail(name, "file has only comments — add the fields, as in the README example")
    return data


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
            out += ("." if out else "") + str(part)
    return out


def _shown(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 60 else text[:57] + "..."


def _sentence(err: dict[str, Any]) -> str:
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return "is missing — add it"
    if kind == "extra_forbidden":
        return "is not a field we know — check the spelling, or remove it"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{_shown(value)} is not a whole number — write it like 1984"
    if kind in ("string_type",):
        return f"{_shown(value)} should be text — put it in quotes"
    if kind in ("bool_type", "bool_parsing"):
        return f"{_shown(value)} should be true or false"
    if kind in ("list_type",):
        return f"should be a list (lines starting with '- '), not {_shown(value)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"should be a set of 'name: value' fields, not {_shown(value)}"
    if kind == "literal_error":
        return f"{_shown(value)} is not one of {ctx.get('expected', 'the allowed values')}"
    if kind == "enum":
        return f"{_shown(value)} is not one of {ctx.get('expected', 'the allowed values')}"
    if kind in ("string_too_short", "too_short"):
        return "is empty — fill it in"
    if kind in ("string_too_long",):
        return f"is too long (at most {ctx.get('max_length')} characters) — shorten it"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{_shown(value)}: {err['msg'].lower()}"
    if kind == "date_from_datetime_parsing" or kind.startswith("date"):
        return f"{_shown(value)} is not a date — write it like 2024-03-15"
    if kind == "string_pattern_mismatch":
        return f"{_shown(value)} has characters we cannot use here — use letters, digits, - and _"
    # Our own validators raise ValueError("… — fix"): pydantic prefixes "Value error, ".
    msg = str(err.get("msg", "is not valid"))
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix) :]
    return msg


def parse_model(model: type[M], data: Any, path: str | Path) -> M:
    """Validate ``data`` as ``model``; on failure raise one problem per wrong field."""
    try:
        return model.model_validate(data)
    except RecursionError:
        raise DataFileError(
            [Problem(str(path), "", "lists or fields are nested far too deeply to read")]
        ) from None
    except ValidationError as e:
        problems = [
            Problem(str(path), field_path(tuple(err["loc"])), _sentence(err)) for err in e.errors()
        ]
        raise DataFileError(problems) from None


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
