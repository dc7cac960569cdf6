"""Councils' practice frameworks as validated data.

Each council describes its practice in its own words: values, principles, the
approaches it draws on, its rituals, its tools with families and how it runs
group supervision. A framework file (``frameworks/<id>.yaml``) holds that
description, paraphrased from the council's published document, plus the
prompt the workbook shows at each step of a supervision session. Adding a
council means adding a file, never code.

The workbook's session steps are fixed (:data:`STEP_IDS`); what each step says
comes from the framework in use, so the same step reads differently in
Camden and in North Somerset.

Regenerate ``frameworks/schema.json`` after changing the models with::

    .venv/bin/python -m systemic.frameworks

>>> framework = parse_framework(_EXAMPLE, "example.yaml")
>>> framework.prompt("graces").title
'Social GRRAACCEESS'
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, create_model, field_validator

from systemic.datafile import parse_model, printable, read_yaml
from systemic.errors import DataFileError, Problem, WorkbookError
from systemic.paths import FRAMEWORKS_DIR
from systemic.steps import prompt_keys

__all__ = [
    "STEP_IDS",
    "TOOL_KINDS",
    "PLACEHOLDERS",
    "StepId",
    "ToolKind",
    "NamedText",
    "FrameworkSource",
    "CheckIn",
    "Ritual",
    "PracticeTool",
    "Role",
    "Supervision",
    "TemplateSection",
    "PlanTemplate",
    "ChildFileNote",
    "Prompt",
    "Prompts",
    "Framework",
    "UnknownFramework",
    "placeholders",
    "blank_problem",
    "fill",
    "parse_framework",
    "load_framework",
    "list_frameworks",
    "framework_ids",
    "get_framework",
    "framework_json_schema",
    "write_framework_json_schema",
]

#: The framework prompt keys, in session order, from the step registry (:mod:`systemic.steps`).
STEP_IDS: tuple[str, ...] = prompt_keys()
StepId = Literal[STEP_IDS]  # type: ignore[valid-type]

#: Kinds of practice tool the workbook knows; ``other`` for anything a council adds.
ToolKind = Literal[
    "arc_framework",
    "check_in",
    "chronology",
    "circular_questions",
    "circularity_exercise",
    "concept_cards",
    "contextual_safeguarding",
    "creative_practice",
    "cultural_genogram",
    "direct_work",
    "dyadic_developmental_practice",
    "ecomap",
    "family_group_conference",
    "family_life_cycle",
    "family_network_meeting",
    "five_principles_of_good_practice",
    "genogram",
    "group_supervision",
    "listening_circle",
    "miracle_question",
    "motivational_interviewing",
    "pace",
    "reflective_discussion",
    "restorative_practice",
    "safe_and_together",
    "safe_uncertainty",
    "signs_of_safety",
    "social_discipline_window",
    "social_graces",
    "solihull_approach",
    "strengthening_families",
    "systemic_practice",
    "themes_and_patterns",
    "theraplay",
    "transitional_safeguarding",
    "trauma_informed_practice",
    "trauma_informed_principles",
    "tree_of_life",
    "other",
]
TOOL_KINDS: tuple[str, ...] = get_args(ToolKind)

#: Blanks a question may leave for the workbook to fill from the case in hand.
PLACEHOLDERS: tuple[str, ...] = ("child", "family_member")

Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9_]*$")]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Text = Annotated[str, Field(min_length=1, max_length=4000)]
SourceText = Annotated[
    str,
    Field(
        min_length=1,
        max_length=300,
        description="Where this comes from: the seed file name, and/or a DOMAIN.md section",
    ),
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _unique_ids(items: list[Any], what: str) -> list[Any]:
    """Refuse two entries with the same id: the workbook looks them up by it."""
    counts = Counter(item.id for item in items)
    twice = sorted(i for i, n in counts.items() if n > 1)
    if twice:
        raise ValueError(
            f'the {what} id "{twice[0]}" is used more than once — give each {what} its own id'
        )
    return items


#: A blank as written in a question: ``{child}``; ``{{`` and ``}}`` are a brace itself.
_BLANK = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


def _allowed() -> str:
    return " or ".join(f"{{{name}}}" for name in PLACEHOLDERS)


def blank_problem(text: str) -> str | None:
    """Why a question's blanks cannot be filled, or ``None`` when they all can.

    Blanks are a closed list (:data:`PLACEHOLDERS`), written exactly as ``{child}``:
    nothing after the name (``{child:d}``, ``{child!r}``) and nothing inside it
    (``{child.name}``, ``{child[0]}``). Python's own formatting would read those as
    instructions — to fail, or to pad a question out to a gigabyte.

    >>> blank_problem("Who does {child} go to?") is None
    True
    >>> blank_problem("Who does {child:>1000000000} go to?")
    '{child:>1000000000} has more than a name between its braces — write just {child}'
    >>> blank_problem("How old is {parent}?")
    '{parent} is not a blank the workbook can fill — use only {child} or {family_member}'
    """
    for match in _BLANK.finditer(text):
        whole, name = match.group(0), match.group(1)
        if whole in ("{{", "}}"):
            continue
        if name is None:
            return (f"has an unmatched {whole} — write blanks like {{child}}, or {whole}{whole} "
                    "for the brace itself")
        if name in PLACEHOLDERS:
            continue
        shown_blank = "{" + printable(name, 40) + "}"
        stem = re.match(r"[A-Za-z_]\w*", name)
        if stem and stem.group(0) in PLACEHOLDERS:
            return (f"{shown_blank} has more than a name between its braces — write just "
                    f"{{{stem.group(0)}}}")
        return f"{shown_blank} is not a blank the workbook can fill — use only {_allowed()}"
    return None


def placeholders(text: str) -> list[str]:
    """The blanks in a question, in order (a question's blanks are checked when it is read).

    >>> placeholders("What might {child} say to {family_member}? {{not a blank}}")
    ['child', 'family_member']
    """
    return [m.group(1) for m in _BLANK.finditer(text) if m.group(1) is not None]


def _known_blanks(questions: list[str]) -> list[str]:
    for question in questions:
        problem = blank_problem(question)
        if problem:
            raise ValueError(problem)
    return questions


#: Questions whose blanks are all ones the workbook can fill.
Questions = Annotated[list[Text], AfterValidator(_known_blanks)]


def fill(text: str, child: str, family_member: str) -> str:
    """Put names into a question's blanks, as plain text: never Python's formatting.

    The result is the question with each blank replaced by a name, so it is never
    longer than the question plus the names; a name with braces in it stays as written.
    A blank that is not one of :data:`PLACEHOLDERS` (a question not checked) is left as it is.

    >>> fill("Who does {child} go to?", child="Amy", family_member="Mum")
    'Who does Amy go to?'
    >>> fill("{child:>1000000000} and {{child}}", child="{family_member}", family_member="Mum")
    '{child:>1000000000} and {child}'
    """
    values = {"child": child, "family_member": family_member}

    def put(match: re.Match[str]) -> str:
        whole, name = match.group(0), match.group(1)
        if whole in ("{{", "}}"):
            return whole[0]
        return values.get(name, whole) if name is not None else whole

    return _BLANK.sub(put, text)


class NamedText(_Model):
    """A named idea with a plain description: a value, principle, approach or outcome."""

    name: Name
    description: Text
    source: SourceText | None = Field(
        default=None, description="Only where it is not the framework's own seed document"
    )


class FrameworkSource(_Model):
    """The published document a framework is paraphrased from."""

    file: Annotated[
        str, Field(min_length=5, max_length=200, pattern=r"^[A-Za-z0-9_.\-]+\.txt$")
    ] = Field(description="The seed file name, e.g. 000_1d8eb92c588cabe3.txt")
    title: Name
    author: Name | None = None
    year: Annotated[int, Field(ge=1990, le=2100)] | None = None


class CheckIn(_Model):
    """How a meeting opens and closes: the round where every voice is heard."""

    guidance: Text
    questions: Annotated[list[Text], Field(min_length=1)]
    source: SourceText
    check_out_questions: list[Text] = []
    check_out_source: SourceText | None = None


class Ritual(_Model):
    """An everyday ritual or mantra the council asks its staff to keep."""

    name: Name
    kind: Literal["ritual", "mantra"]
    description: Text
    source: SourceText | None = None


class PracticeTool(_Model):
    """A tool or technique the council names for work with families or with each other.

    ``items`` holds a tool's own parts (the five principles of good practice, the
    trauma-informed principles, the cells of a grid); ``questions`` holds example
    questions; ``steps`` are the session steps where the tool is offered.
    """

    id: Id
    name: Name
    kind: ToolKind
    description: Text
    used_by: Text | None = Field(
        default=None, description="Who uses it and why, where the seed says"
    )
    items: list[NamedText] = []
    questions: Questions = []
    steps: list[StepId] = []
    source: SourceText | None = None


class Role(_Model):
    """Who does what for group reflective supervision, where the seed sets it out."""

    role: Name
    responsibilities: Annotated[list[Text], Field(min_length=1)]


class Supervision(_Model):
    """How the framework describes supervision, especially group reflective supervision."""

    description: Text
    expectations: list[Text] = []
    roles: list[Role] = []
    team_meetings: list[Text] = []
    themes_and_patterns: Text | None = None
    source: SourceText


class TemplateSection(_Model):
    """One heading of a plan or note, with a line saying what goes under it."""

    id: Id
    title: Name
    guidance: Text


#: A plan's or note's headings, each with its own id.
Sections = Annotated[
    list[TemplateSection],
    Field(min_length=1),
    AfterValidator(lambda sections: _unique_ids(sections, "section")),
]


class PlanTemplate(_Model):
    """The shape a plan takes in this framework (a Signs of Safety map, SMART actions, …)."""

    kind: Literal["signs_of_safety", "smart_actions", "questions_and_actions"]
    guidance: Text
    sections: Sections
    source: SourceText


class ChildFileNote(_Model):
    """What the framework says about recording group supervision on the child's file.

    ``required`` and ``written_to_child`` are ``None`` where the seed does not
    say, so that the workbook never claims more than the council wrote.
    """

    required: bool | None = Field(
        default=None, description="Does the seed ask for a note from each discussion? null: silent"
    )
    template: Text | None = Field(default=None, description="The template the seed names, if any")
    written_to_child: bool | None = Field(
        default=None, description="Does the seed say notes are written to the child? null: silent"
    )
    guidance: Text
    sections: Sections
    source: SourceText


class Prompt(_Model):
    """What one session step says, in this council's voice.

    ``questions`` may leave ``{child}`` and ``{family_member}`` blank; :meth:`filled_questions`
    puts the names in.
    """

    title: Name
    guidance: Text = Field(description="Plain English, two to five sentences")
    questions: Questions = Field(
        default=[], description="Suggested questions; may use the blanks in PLACEHOLDERS"
    )
    source: SourceText

    def filled_questions(self, child: str, family_member: str) -> list[str]:
        """The questions with the names of the people in the case put in."""
        return [fill(q, child=child, family_member=family_member) for q in self.questions]


#: One prompt for every session step (the registry's prompt keys); a step the workbook does
#: not have is refused.
Prompts = create_model(
    "Prompts",
    __base__=_Model,
    __doc__="One prompt for every session step; a step the workbook does not have is refused.",
    **{key: (Prompt, ...) for key in STEP_IDS},  # type: ignore[call-overload]
)


class Framework(_Model):
    """A council's practice framework and the prompts it gives each session step."""

    id: Id = Field(description="The same as the file name without .yaml")
    name: Name
    council: Name
    source: FrameworkSource
    summary: Text
    structure: Text | None = Field(
        default=None, description="How the document organises its framework"
    )
    vision: Text | None = None
    values: Annotated[list[NamedText], Field(min_length=1)]
    principles: Annotated[list[NamedText], Field(min_length=1)]
    approach: list[NamedText] = []
    methods: list[NamedText] = []
    techniques: list[NamedText] = []
    check_in: CheckIn
    rituals: list[Ritual] = []
    practice_tools: list[PracticeTool] = []
    outcomes: list[Text] = []
    supervision: Supervision
    plan_template: PlanTemplate
    note_for_child_file: ChildFileNote
    prompts: Prompts
    seed_gaps: list[Text] = Field(
        default=[], description="What the seed document lacks or lost in extraction"
    )

    @field_validator("practice_tools")
    @classmethod
    def _tools_unique(cls, tools: list[PracticeTool]) -> list[PracticeTool]:
        return _unique_ids(tools, "practice tool")

    def prompt(self, step_id: str) -> Prompt:
        """The prompt this framework gives a session step.

        Raises
        ------
        ValueError
            If ``step_id`` is not one of :data:`STEP_IDS`.
        """
        if step_id not in STEP_IDS:
            raise ValueError(
                f'"{step_id}" is not a session step — use one of: {", ".join(STEP_IDS)}'
            )
        prompt: Prompt = getattr(self.prompts, step_id)
        return prompt

    def tools_for(self, step_id: str) -> list[PracticeTool]:
        """The council's practice tools offered at a session step."""
        self.prompt(step_id)
        return [tool for tool in self.practice_tools if step_id in tool.steps]


class UnknownFramework(WorkbookError, LookupError):
    """A framework id was asked for that has no file in the frameworks folder."""


def _explain_unknown_steps(error: DataFileError) -> DataFileError:
    """Name the real session steps when a prompt is filed under a step we don't have."""
    problems = []
    for p in error.problems:
        parts = p.field.split(".")
        if len(parts) == 2 and parts[0] == "prompts" and parts[1] not in STEP_IDS:
            p = Problem(
                p.file,
                p.field,
                f'"{parts[1]}" is not a session step — use one of: {", ".join(STEP_IDS)}',
            )
        problems.append(p)
    return DataFileError(problems)


def parse_framework(data: Any, path: str | Path) -> Framework:
    """Validate framework data already read from YAML.

    The id must match the file name, so that ``get_framework(id)`` finds it.
    """
    if not isinstance(data, dict):
        raise DataFileError(
            [Problem(str(path), "", "a framework file must be a set of 'name: value' fields — "
                     "copy one of the frameworks/*.yaml files to start")]
        )
    try:
        framework = parse_model(Framework, data, path)
    except DataFileError as e:
        raise _explain_unknown_steps(e) from None
    stem = Path(path).stem
    if Path(path).suffix == ".yaml" and framework.id != stem:
        raise DataFileError(
            [Problem(str(path), "id", f'"{framework.id}" differs from the file name — '
                     f'write id: {stem}, or rename the file to {framework.id}.yaml')]
        )
    return framework


def load_framework(path: str | Path) -> Framework:
    """Read and validate one framework file.

    Raises
    ------
    DataFileError
        One problem per line, naming the file, the field and the fix.
    """
    return parse_framework(read_yaml(path), path)


def _framework_files(directory: Path) -> list[Path]:
    # Only top-level YAML: vocabularies live in a sub-folder and the schema is JSON.
    return sorted(
        p for p in Path(directory).glob("*.yaml")
        if not p.name.startswith(("_", ".")) and not p.stem.endswith("schema")
    )


def framework_ids(directory: str | Path = FRAMEWORKS_DIR) -> list[str]:
    """The ids of the frameworks in a folder (its file names), without reading them."""
    return [p.stem for p in _framework_files(Path(directory))]


def list_frameworks(directory: str | Path = FRAMEWORKS_DIR) -> list[Framework]:
    """Every framework in a folder, sorted by id.

    Raises
    ------
    DataFileError
        With the problems of every broken file together, so one run shows them all.
    """
    frameworks: list[Framework] = []
    problems: list[Problem] = []
    for path in _framework_files(Path(directory)):
        try:
            frameworks.append(load_framework(path))
        except DataFileError as e:
            problems.extend(e.problems)
    if problems:
        raise DataFileError(problems)
    return sorted(frameworks, key=lambda f: f.id)


def get_framework(framework_id: str, directory: str | Path = FRAMEWORKS_DIR) -> Framework:
    """The framework with this id.

    Raises
    ------
    UnknownFramework
        Naming the frameworks there are.
    """
    ids = framework_ids(directory)
    if framework_id not in ids:
        known = ", ".join(ids) if ids else f"none — add a framework file to {directory}"
        raise UnknownFramework(
            f'no framework called "{framework_id}" — the frameworks are: {known}'
        )
    return load_framework(Path(directory) / f"{framework_id}.yaml")


def framework_json_schema() -> dict[str, Any]:
    """The JSON Schema of a framework file, as committed in ``frameworks/schema.json``."""
    schema = Framework.model_json_schema()
    schema["title"] = "Practice framework"
    return schema


def write_framework_json_schema(directory: str | Path = FRAMEWORKS_DIR) -> Path:
    """Write ``schema.json`` into the frameworks folder and return its path."""
    path = Path(directory) / "schema.json"
    path.write_text(
        json.dumps(framework_json_schema(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return path


_EXAMPLE: dict[str, Any] = {
    "id": "example",
    "name": "Example",
    "council": "Example Council",
    "source": {"file": "example.txt", "title": "Example framework"},
    "summary": "A framework for the doctest.",
    "values": [{"name": "Curious", "description": "We stay interested."}],
    "principles": [{"name": "Relational", "description": "Relationships come first."}],
    "check_in": {"guidance": "Go round once.", "questions": ["How are you?"], "source": "x"},
    "supervision": {"description": "Group supervision.", "source": "x"},
    "plan_template": {
        "kind": "questions_and_actions", "guidance": "Plan.", "source": "x",
        "sections": [{"id": "actions", "title": "Actions", "guidance": "Who, what, when."}],
    },
    "note_for_child_file": {
        "guidance": "Write kindly.", "source": "x",
        "sections": [{"id": "summary", "title": "Summary", "guidance": "What we talked about."}],
    },
    "prompts": {
        step: {"title": "Social GRRAACCEESS" if step == "graces" else step.title(),
               "guidance": "Say it. Then say more.", "source": "x"}
        for step in STEP_IDS
    },
}


if __name__ == "__main__":
    print(write_framework_json_schema())
