"""The YAML form (*.flow.yaml): the same model as .flow, safe loading, precise errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from conftest import REPO
from linter.core.errors import FlowSyntaxError
from linter.model.flow import Document
from linter.model.schema import flow_schema_json
from linter.parse import Comment, input_format, parse_file, parse_text

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CONSTRUCTS_YAML = FIXTURES / "constructs.flow.yaml"

BASE = """\
flows:
  - kind: flow
    name: a
    channel: sms
    steps:
      - name: s
        do:
          - say: hi
          - wait: 1d
"""


def parse_yaml(text: str):
    return parse_text(text, "t.flow.yaml", "yaml")


def yaml_error(text: str) -> FlowSyntaxError:
    with pytest.raises(FlowSyntaxError) as info:
        parse_yaml(text)
    error = info.value
    assert error.path == "t.flow.yaml"
    if error.line is not None:
        assert error.source_line == text.split("\n")[error.line - 1]
    return error


def dump(path: Path, fmt: str):
    return parse_text(path.read_text(encoding="utf-8"), path.name, fmt).document.model_dump(by_alias=True)


# --- the twins -----------------------------------------------------------------------------------


@pytest.mark.parametrize("flow, twin", [
    (FIXTURES / "constructs.flow", CONSTRUCTS_YAML),
    (REPO / "examples" / "messenger-welcome.flow", FIXTURES / "messenger-welcome.flow.yaml"),
], ids=["constructs", "messenger-welcome"])
def test_yaml_twin_gives_the_same_model(flow, twin):
    from_flow, from_yaml = dump(flow, "flow"), dump(twin, "yaml")
    assert from_flow["flows"], "the twin must not be trivially empty"
    assert from_yaml == from_flow


def test_spans_are_not_part_of_the_dump():
    document = parse_text(CONSTRUCTS_YAML.read_text(encoding="utf-8"), "c.flow.yaml", "yaml").document
    assert document.flows[0].span is not None
    assert "span" not in document.model_dump(by_alias=True)
    assert "span" not in document.model_dump(by_alias=True)["flows"][0]


def test_a_changed_value_breaks_the_twin():
    text = CONSTRUCTS_YAML.read_text(encoding="utf-8").replace("- wait: 15m", "- wait: 16m")
    flow = dump(FIXTURES / "constructs.flow", "flow")
    assert parse_text(text, "c.flow.yaml", "yaml").document.model_dump(by_alias=True) != flow


def test_yaml_twin_validates_against_the_model_as_plain_data():
    """The YAML form is exactly the model's input shape: plain loaded data validates as it is."""
    data = YAML(typ="safe", pure=True).load(CONSTRUCTS_YAML.read_text(encoding="utf-8"))
    document = Document.model_validate(data)
    assert document.model_dump(by_alias=True) == dump(FIXTURES / "constructs.flow", "flow")


def test_shipped_schema_is_up_to_date():
    shipped = (REPO / "schema" / "flow.schema.json").read_text(encoding="utf-8")
    assert shipped == flow_schema_json()


def test_schema_describes_the_yaml_keys():
    import json

    schema = json.loads(flow_schema_json())
    assert schema["required"] == ["flows"]
    text = json.dumps(schema)
    for key in ("followup_after", "wait_for_reply", "off_hours", "on_timeout", "keywords"):
        assert f'"{key}"' in text
    assert '"span"' not in text  # positions stay out of the schema


# --- positions -----------------------------------------------------------------------------------


def span(node):
    s = node.span
    return (s.line, s.col)


def test_yaml_spans_point_at_the_start_of_each_mapping():
    document = parse_text(CONSTRUCTS_YAML.read_text(encoding="utf-8"), "c.flow.yaml", "yaml").document
    welcome, nurture = document.flows
    assert span(welcome) == (4, 5)
    assert span(nurture) == (106, 5)
    assert span(welcome.trigger) == (10, 7)
    assert span(welcome.window) == (14, 13)  # a flow mapping starts at its '{'
    greet = welcome.steps[0]
    assert span(greet) == (17, 9)
    assert span(greet.do[0]) == (19, 13)
    assert span(greet.do[1]) == (22, 13)  # after a column-0 comment
    assert span(greet.do[3]) == (27, 13)
    assert span(greet.do[3].replies[0]) == (29, 17)
    assert span(greet.do[3].buttons[0]) == (32, 17)
    assert span(welcome.steps[3].do[0].hours) == (95, 15)
    followup = nurture.steps[0].do[1]
    assert span(followup) == (118, 13)
    assert span(followup.do[1]) == (122, 17)


def test_yaml_span_ends_after_the_last_value():
    document = parse_text(CONSTRUCTS_YAML.read_text(encoding="utf-8"), "c.flow.yaml", "yaml").document
    say = document.flows[0].steps[0].do[0]  # lines 19-20, ends with '            tag: ACCOUNT_UPDATE'
    assert (say.span.end_line, say.span.end_col) == (20, 32)


def test_flow_yml_suffix_works(tmp_path):
    assert input_format("x.flow.yml") == "yaml"
    assert input_format("X.FLOW.YAML") == "yaml"
    assert input_format("x.flow") == "flow"
    target = tmp_path / "twin.flow.yml"
    shutil.copy(CONSTRUCTS_YAML, target)
    result = parse_file(target, "twin.flow.yml")
    assert result.document.model_dump(by_alias=True) == dump(FIXTURES / "constructs.flow", "flow")


# --- unsafe and invalid YAML ---------------------------------------------------------------------


@pytest.mark.parametrize("value", [
    "!!python/object:os.system hi",
    "!!python/name:os.system hi",
    "!shout hi",
    "!!binary aGk=",
])
def test_unsafe_or_custom_scalar_tags_are_rejected_with_a_position(value):
    error = yaml_error(BASE.replace("say: hi", f"say: {value}"))
    assert (error.line, error.col) == (8, 18)
    assert "unsupported YAML tag" in error.message


@pytest.mark.parametrize("text, line", [
    ("flows: !!python/object/apply:os.system\n  - {kind: flow, name: a, steps: []}\n", 1),
    ("flows:\n  - !shout {kind: flow, name: a, steps: []}\n", 2),
])
def test_tags_on_mappings_and_sequences_are_rejected(text, line):
    error = yaml_error(text)
    assert error.line == line
    assert "tag" in error.message


def test_merge_keys_are_rejected():
    error = yaml_error("flows:\n  - &f {kind: flow, name: a, steps: []}\n  - <<: *f\n")
    assert (error.line, error.col) == (3, 5)
    assert "merge" in error.message


def test_duplicate_key_is_rejected_at_the_key():
    error = yaml_error(BASE.replace("          - wait: 1d\n", "          - wait: 1d\n            wait: 2d\n"))
    assert (error.line, error.col) == (10, 13)
    assert error.message == "duplicate key 'wait'"


def test_duplicate_top_level_key():
    error = yaml_error(BASE + "flows: []\n")
    assert (error.line, error.col) == (10, 1)
    assert "duplicate key 'flows'" in error.message


def test_unknown_statement_key_points_at_it():
    error = yaml_error(BASE.replace("say: hi", "sayy: hi"))
    assert (error.line, error.col) == (8, 13)
    assert "unknown statement" in error.message and "say" in error.message


def test_unknown_extra_key_points_at_it():
    error = yaml_error(BASE.replace("- say: hi", "- say: hi\n            sayy: x"))
    assert (error.line, error.col) == (9, 13)
    assert error.message == "unknown key 'sayy'"


def test_unknown_channel_points_at_the_channel_key():
    error = yaml_error(BASE.replace("channel: sms", "channel: fax"))
    assert (error.line, error.col) == (4, 5)
    assert error.message.startswith("channel:") and "'messenger'" in error.message


@pytest.mark.parametrize("value, message", [
    ('"2 days"', "'2 days' is not a duration"),
    ("5", "valid string"),
])
def test_bad_wait_points_at_the_statement(value, message):
    error = yaml_error(BASE.replace("wait: 1d", f"wait: {value}"))
    assert (error.line, error.col) == (9, 13)
    assert error.message.startswith("wait: ") and message in error.message


def test_missing_required_key():
    error = yaml_error("flows:\n  - kind: flow\n    name: a\n")
    assert (error.line, error.col) == (2, 5)
    assert error.message == "missing required key 'steps'"


@pytest.mark.parametrize("text, line, col, fragment", [
    ("flows: [\n", 2, 1, "invalid YAML"),
    ("flows:\n\t- kind: flow\n", 2, 1, "invalid YAML"),
    ("- a\n", 1, 1, "must be a mapping with a 'flows' list"),
])
def test_invalid_yaml_has_a_position(text, line, col, fragment):
    error = yaml_error(text)
    assert (error.line, error.col) == (line, col)
    assert fragment in error.message


@pytest.mark.parametrize("text, comments", [
    ("", []),
    ("# just a comment\n", [Comment(1, 1, "# just a comment")]),
])
def test_empty_yaml_gives_zero_flows(text, comments):
    result = parse_yaml(text)
    assert result.document.flows == []
    assert result.comments == comments


# --- comments ------------------------------------------------------------------------------------


def test_disable_comment_is_collected():
    result = parse_yaml(BASE.replace("say: hi", "say: hi  # botlint: disable=BL001"))
    assert result.comments == [Comment(8, 22, "# botlint: disable=BL001")]
    assert result.document.flows[0].steps[0].do[0].say == "hi"


@pytest.mark.parametrize("value", [
    '"hi # botlint: disable=BL001"',
    "'hi # botlint: disable=BL001'",
    "|\n              hi\n              # botlint: disable=BL001",
])
def test_disable_text_inside_a_scalar_is_not_a_comment(value):
    result = parse_yaml(BASE.replace("say: hi", f"say: {value}"))
    assert result.comments == []
    assert "# botlint: disable=BL001" in result.document.flows[0].steps[0].do[0].say


def test_fixture_comments():
    result = parse_text(CONSTRUCTS_YAML.read_text(encoding="utf-8"), "c.flow.yaml", "yaml")
    assert [(c.line, c.col) for c in result.comments] == [(1, 1), (2, 1), (7, 25), (21, 1), (39, 31), (121, 15)]
    assert result.comments[2].text == "# trailing comment after a setting"
    # '#' inside the block scalar (line 26) and inside the quoted URL (line 33) are not comments
    assert all(c.line not in (26, 33) for c in result.comments)


@pytest.mark.parametrize("extra, key", [("    origin: rasa\n", "origin"),
                                         ("    missing: [{kind: response, name: utter_x}]\n", "missing")])
def test_importer_only_facts_are_unknown_keys_in_a_flow_file(tmp_path, extra, key):
    # Only an importer knows where a flow came from or what its project lacks; a flow file that
    # says so would switch rules into imported-flow mode.
    path = tmp_path / "f.flow.yaml"
    path.write_text("flows:\n  - kind: flow\n    name: f\n" + extra
                    + "    steps:\n      - name: a\n        do:\n          - end: true\n", encoding="utf-8")
    with pytest.raises(FlowSyntaxError, match=f"unknown key '{key}'"):
        parse_file(path, "f.flow.yaml")
