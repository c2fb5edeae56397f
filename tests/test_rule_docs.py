"""Every rule's documented example behaves as documented.

`botlint rule CODE` prints the rule module's docstring. Its Example section
holds `Bad:` and `Good:` blocks (a label may carry a note: `Good (they
asked):`), each a whole `.flow` file a reader can paste and lint, and may
start with a `Config:` block of YAML for what only the config can say (a
business name, a policy profile). Each block is linted alone with that config,
or the default one, plus the rule itself (opt-in rules are off by default):
a Bad block must parse and be reported by the rule, a Good block must parse
and not be. Neither may name a step it lacks, so that no example leans on
steps the reader has to imagine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest

from conftest import codes
from linter.rules import all_rules

# Rules whose example cannot be one `.flow` file, each with why.
NO_FLOW_EXAMPLE = {
    "BL003": "only importers report it: a Rasa, Botpress or Composer project that names what it lacks spans "
             "several files",
}

# Rules whose documented example shows what the rule should do and the rule does not (a bug in the rule).
RULE_BUGS: dict[str, str] = {}

_HEADING = re.compile(r"    (Config|Bad|Good)(?: \([^()\n]+\))?:")
_BLOCK_INDENT = " " * 8


class ExampleError(ValueError):
    pass


@dataclass
class Example:
    config: str | None = None
    blocks: list[tuple[str, str]] = field(default_factory=list)  # (label as written, flow source)

    def of_kind(self, kind: str) -> list[tuple[str, str]]:
        return [(label, source) for label, source in self.blocks if label.split(" (")[0] == kind]


def parse_example(doc: str) -> Example:
    """The Example section of a rule's documentation. Strict: a line that is
    neither a heading nor indented under one, an empty block, a misplaced
    `Config:` or a missing `Bad:` or `Good:` is an ExampleError saying so."""
    lines = doc.splitlines()
    if "Example" not in lines:
        raise ExampleError("no 'Example' section heading")
    start = lines.index("Example") + 1
    end = next((number for number in range(start, len(lines)) if lines[number][:1].strip()), len(lines))
    example = Example()
    label, body = None, []

    def close():
        text = "\n".join(body).strip("\n")
        if label is None:
            return
        if not text:
            raise ExampleError(f"'{label}:' has no indented block under it")
        if label == "Config":
            example.config = text + "\n"
        else:
            example.blocks.append((label, text + "\n"))

    for number in range(start, end):
        line = lines[number]
        heading = _HEADING.fullmatch(line)
        if heading:
            close()
            label, body = line.strip()[:-1], []
            if heading.group(1) == "Config" and (example.blocks or example.config is not None or label != "Config"):
                raise ExampleError(f"Example line {number - start + 1}: 'Config:' (without a note) may only come "
                                   "first, once")
        elif not line.strip():
            body.append("")
        elif line.startswith(_BLOCK_INDENT) and label is not None:
            body.append(line[len(_BLOCK_INDENT):])
        else:
            raise ExampleError(f"Example line {number - start + 1} is neither a 'Bad:', 'Good:' or 'Config:' "
                               f"heading nor indented under one: {line.strip()!r}")
    close()
    for kind in ("Bad", "Good"):
        if not example.of_kind(kind):
            raise ExampleError(f"no '{kind}:' block in the Example")
    return example


def _every_rule():
    return [pytest.param(code, id=code, marks=[pytest.mark.xfail(strict=True, reason=RULE_BUGS[code])]
                         if code in RULE_BUGS else []) for code in sorted(all_rules())]


@pytest.mark.parametrize("code", _every_rule())
def test_documented_examples_behave_as_documented(lint, code):
    if code in NO_FLOW_EXAMPLE:
        pytest.skip(NO_FLOW_EXAMPLE[code])
    try:
        example = parse_example(all_rules()[code].documentation())
    except ExampleError as error:
        pytest.fail(f"{code}'s documentation: {error}")
    for number, (label, source) in enumerate(example.blocks, start=1):
        result = lint(source, name=f"example-{number}.flow", config=example.config, extend_select=[code])
        assert not result.errors, f"{code} '{label}' example does not lint: {[str(e) for e in result.errors]}"
        found = [f"{f.line}:{f.col} {f.code} {f.message}" for f in result.findings]
        if label.startswith("Bad"):
            assert code in codes(result), f"{code} does not report its '{label}' example; found {found}"
        else:
            assert code not in codes(result), f"{code} reports its '{label}' example: {found}"
        if code != "BL001":
            assert "BL001" not in codes(result), f"{code} '{label}' example names a step it lacks: {found}"


# Good examples that one change makes Bad: the change is what the rule turns on.
NEAR_MISSES = [
    ("BL201", "Good (they asked)", '"price", "any free spots?"', '"hi"'),  # a greeting asks for nothing
    ("BL305", "Good (a quick handoff takes the answer)", "sla 2h", "sla 3d"),  # past quick_sla
]


@pytest.mark.parametrize(("code", "label", "change", "to"), NEAR_MISSES, ids=[near[0] for near in NEAR_MISSES])
def test_one_change_makes_a_documented_good_example_bad(lint, code, label, change, to):
    source = dict(parse_example(all_rules()[code].documentation()).blocks)[label]
    assert source.count(change) == 1
    assert code in codes(lint(source.replace(change, to), extend_select=[code]))


def test_the_exception_lists_name_real_rules():
    assert set(NO_FLOW_EXAMPLE) | set(RULE_BUGS) <= set(all_rules())


@pytest.mark.parametrize(("doc", "problem"), [
    ("X\n\nExample\n    Bad:\n        step a:\n          end\n", "no 'Good:' block"),
    ("X\n\nExample\n    Good:\n        step a:\n          end\n", "no 'Bad:' block"),
    ("X\n\nWhat it does\n    Flags things.\n", "no 'Example' section"),
    ("X\n\nExample\n    Bad:\n    Good:\n        step a:\n", "'Bad:' has no indented block"),
    ("X\n\nExample\n    Bad (channel sms) say \"hi\"\n", "neither a 'Bad:', 'Good:' or 'Config:' heading"),
    ("X\n\nExample\n    Bad:\n        a\n    Config:\n        channel: sms\n    Good:\n        b\n", "may only come first"),
])
def test_a_malformed_example_section_is_a_clear_failure(doc, problem):
    with pytest.raises(ExampleError, match=re.escape(problem)):
        parse_example(doc)


def test_the_example_section_ends_at_the_next_heading():
    doc = ('X\n\nExample\n    Config:\n        business-name: "Brightbean"\n    Bad (they never asked):\n'
           '        step a:\n\n          end\n    Good:\n        step b:\n          end\n\nOptions\n    None.\n')
    example = parse_example(doc)
    assert example.config == 'business-name: "Brightbean"\n'
    assert example.blocks == [("Bad (they never asked)", "step a:\n\n  end\n"), ("Good", "step b:\n  end\n")]


@pytest.mark.parametrize("code", sorted(all_rules()))
def test_every_option_is_documented_with_its_shipped_default(code):
    from linter.engine.settings import shipped_rule_defaults

    rule = all_rules()[code]
    text = rule.documentation(shipped_rule_defaults(code))
    assert text.count("\nOptions\n") == 1, "one Options section, made from the options model"
    fields = rule.options.model_fields if rule.options is not None else {}
    for name, spec in fields.items():
        assert spec.description, f"{code} option {name} has no description"
        assert f"\n    {name} (" in text and ", default " in text.split(f"\n    {name} (", 1)[1].split("\n")[0]
