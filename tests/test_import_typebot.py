"""Typebot JSON exports: detection, the model they become, positions, broken input, the corpus."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import corpus_dir, lint_tree as lint, steps_by_name as steps
from linter.engine.discover import discover
from linter.parse import import_unit
from linter.parse.importers import file_importer
from linter.parse.importers.typebot import rich_text

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "typebot"
PIZZA = FIXTURES / "pizza-order.json"
LEGACY = FIXTURES / "legacy-minified.json"


def load(path: Path):
    parsed, result = import_unit(path, path.name, "typebot")
    [flow] = parsed.document.flows
    return flow, result


# --- detection ------------------------------------------------------------------------------------


def test_claims_typebot_exports_and_nothing_else(tmp_path):
    assert file_importer(PIZZA).name == "typebot"
    assert file_importer(LEGACY).name == "typebot"  # single-line, older export with a start block
    assert file_importer(FIXTURES / "not-a-typebot.json") is None  # "groups" and "edges", but not a bot
    botpress = tmp_path / "main.flow.json"
    botpress.write_text('{"version": "0.0.1", "startNode": "entry", "nodes": [], "groups": [], '
                        '"blocks": [], "edges": [], "events": []}', encoding="utf-8")
    assert file_importer(botpress) is None or file_importer(botpress).name != "typebot"
    units = list(discover([FIXTURES], lambda path: False))
    assert sorted((unit.path.name, unit.format) for unit in units) == [
        ("bakery-links.json", "typebot"), ("legacy-minified.json", "typebot"), ("pizza-order.json", "typebot")]


# --- the model ------------------------------------------------------------------------------------


def test_flow_steps_texts_and_transitions():
    flow, result = load(PIZZA)
    assert (flow.name, flow.title, flow.kind) == ("Pizza_order", "Pizza order", "flow")
    # The chat opens and the bot speaks first: a start trigger, not a message the person wrote.
    assert flow.trigger.kind.value == "start" and flow.channel is None and flow.language is None
    # The start event's group comes first; a routed question starts its own step (its re-ask target).
    assert [step.name for step in flow.steps] == [
        "Welcome", "Welcome_2", "Old_promo", "Pizza_size", "Address", "Confirm", "Opening_hours", "Human",
        "Address_again"]
    by_name = steps(flow)
    [hello] = by_name["Welcome"].do
    assert hello.say == "Hi, I'm Slice the pizza bot 🍕"  # bold text joined inline
    [menu] = by_name["Welcome_2"].do
    assert menu.ask == "What can I do for you?"  # the bubble before the input is its question
    assert [(o.label, o.goto) for o in menu.replies] == [
        ("Order a pizza", "Pizza_size"), ("Opening hours", "Opening_hours"), ("Talk to a person", "Human")]
    assert menu.otherwise == "Welcome_2"  # Typebot re-asks an answer that matches no button


def test_inputs_become_captures():
    by_name = steps(load(PIZZA)[0])
    [size] = by_name["Pizza_size"].do  # the image before it is skipped
    # Buttons that all lead to one place and store the answer: read as a capture.
    assert (size.capture, size.then, [o.label for o in size.replies]) == ("Pizza_size", "Address", ["Small", "Large"])
    assert all(o.goto is None for o in size.replies) and size.otherwise is None
    [address] = by_name["Address"].do  # what follows an input with an edge never runs
    assert address.ask == "Where should we bring your {Pizza_size} pizza?"
    assert (address.capture, address.expect, address.then) == ("Delivery_address", "text", "Confirm")


def test_logic_blocks():
    by_name = steps(load(PIZZA)[0])
    check, wait, done, mail, end = by_name["Confirm"].do
    assert (check.if_.var, check.if_.equals, check.then) == ("Delivery_address", "", "Address_again")
    assert wait.wait == "3s"
    assert done.say == "Thanks! Your pizza goes to {Delivery_address}.\nSee you soon."
    assert (mail.action.value, mail.text) == ("email", "Your pizza order")
    assert end.end is True  # a group that runs out ends the chat: groups never fall through
    assert by_name["Opening_hours"].do[-1].goto == "Welcome"  # Jump
    assert by_name["Human"].do[-1].handoff == "Chatwoot"
    sorry, redirect = by_name["Address_again"].do
    assert redirect.end is True  # a redirect: the person leaves


BAKERY = FIXTURES / "bakery-links.json"


def test_links_to_this_typebot_are_jumps_and_other_bots_come_back():
    flow, result = load(BAKERY)
    by_name = steps(flow)
    assert by_name["Cake"].do[-1].goto == "Times"  # a link to a group of this same typebot
    assert by_name["Times"].do[-1].goto == "Hello"  # a link to this typebot (by its id) with no group: its start
    # A link to another typebot: that bot runs, then this one goes on along the link's edge.
    assert by_name["Bread"].do[-1].goto == "After_order"
    assert by_name["Bye"].do[-1].end is True  # ... and a link without an edge is where this bot ends
    assert by_name["Loop_back"].do == [by_name["Loop_back"].do[0]] and by_name["Loop_back"].do[0].goto == \
        "After_order_2"  # a Jump to a block: the step cut there
    assert result.notices == [
        "typebot: skipped 2 links to other typebots (their blocks are not linted here) in bakery-links.json"]


def test_groups_reached_only_by_links_and_jumps_are_reachable(tmp_path):
    shutil.copy(BAKERY, tmp_path)
    result = lint([tmp_path], tmp_path, select=["BL501", "BL001"])
    assert result.findings == [] and result.errors == []


def test_the_bubble_before_buttons_is_the_question():
    by_name = steps(load(BAKERY)[0])
    [hello] = by_name["Hello"].do
    assert hello.say == "Morning! This is the Corner Bakery bot."
    [menu] = by_name["Hello_2"].do  # the question starts its own step: the re-ask goes back to it
    assert menu.ask == "Bread, cake or our opening times?" and [o.label for o in menu.replies][0] == "Bread"
    # Also where a jump enters at the bubble: the bubble and its buttons stay one question.
    [again] = by_name["After_order_2"].do
    assert again.ask == "Anything else for today?" and again.otherwise == "After_order_2"
    assert [s.say for s in by_name["After_order"].do] == ["Thanks, your loaf is on the list."]


def test_the_start_event_is_where_the_bot_speaks_first(tmp_path):
    """The chat opens and the bot speaks: opener rules judge its first messages as unprompted."""
    doc = json.loads(BAKERY.read_text(encoding="utf-8"))
    doc["groups"][0]["blocks"][0]["content"]["richText"][0]["children"][0]["text"] = \
        "Morning! Order two loaves now and get 20% off, today only."
    text = json.dumps(doc, indent=1)
    (tmp_path / "pitch.json").write_text(text, encoding="utf-8")
    flow, _ = load(tmp_path / "pitch.json")
    line_of = lambda needle: text[:text.index(needle)].count("\n") + 1  # noqa: E731
    assert flow.trigger.kind.value == "start" and flow.trigger.span.line == line_of('"id": "ev_start"') - 1
    result = lint([tmp_path], tmp_path, select=["BL201"])
    assert [(f.code, f.line) for f in result.findings] == [("BL201", line_of('"id": "b_hi"') - 1)]
    assert "before the person has said anything" in result.findings[0].message


def test_older_export_item_edges_and_continuation():
    flow, result = load(LEGACY)
    assert flow.name == "Cafe_corner" and flow.title == "Café corner"
    by_name = steps(flow)
    assert by_name["Start"].do[0].goto == "Menu"  # the start block's edge, from edges[] only
    [ask] = by_name["Menu"].do
    # "Coffee" has no edge: it continues with the rest of the group, a step of its own.
    assert [(o.label, o.goto) for o in ask.replies] == [("Tea", "Tea"), ("Coffee", "Menu_2")]
    assert by_name["Menu_2"].do[0].say == "Coffee it is!"
    assert result.notices == ["typebot: skipped 2 blocks of unsupported type 'Google Sheets' in legacy-minified.json"]


def test_notices_are_one_per_kind():
    _, result = load(PIZZA)
    assert result.notices == ["typebot: skipped 1 image blocks (media is not linted) in pizza-order.json",
                              "typebot: skipped 2 blocks of unsupported type 'mistral' in pizza-order.json"]
    assert result.errors == [] and result.files == 1


def test_rich_text_flattening():
    tree = [{"type": "p", "children": [{"text": "See "}, {"type": "a", "url": "https://x.example",
                                                           "children": [{"text": "our menu"}]}]},
            {"type": "ul", "children": [{"type": "li", "children": [{"text": "one"}]},
                                        {"type": "li", "children": [{"text": "two"}]}]}]
    assert rich_text(tree) == "See our menu\none\ntwo"
    assert rich_text("not a tree") == ""


# --- positions ------------------------------------------------------------------------------------


def test_findings_point_into_the_export(tmp_path):
    shutil.copy(PIZZA, tmp_path)
    shutil.copy(LEGACY, tmp_path)
    result = lint([tmp_path], tmp_path, select=["BL001", "BL501"])
    found = [(f.code, f.path, f.line, f.col) for f in result.findings]
    jump_col = LEGACY.read_text(encoding="utf-8").index('{"id":"b7"') + 1
    assert found == [("BL001", "legacy-minified.json", 1, jump_col),  # Jump to a group that is gone
                     ("BL501", "pizza-order.json", 9, 5)]  # the "Old promo" group nothing leads to
    assert "missing_group_g_gone" in result.findings[0].message


def test_overlong_message_points_at_its_bubble(tmp_path):
    doc = json.loads(PIZZA.read_text(encoding="utf-8"))
    doc["groups"][1]["blocks"][0]["content"]["richText"][0]["children"] = [{"text": "Pizza! " * 200}]
    (tmp_path / "long.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False), encoding="utf-8")
    (tmp_path / ".botlint.yaml").write_text("channel: instagram\n", encoding="utf-8")
    result = lint([tmp_path], tmp_path, select=["BL601"])
    [finding] = result.findings
    text = (tmp_path / "long.json").read_text(encoding="utf-8")
    line = text[:text.index('"id": "b_hello"')].count("\n") + 1
    assert (finding.path, finding.line) == ("long.json", line - 1)  # the block's opening brace
    assert "1400 characters" in finding.message


# --- broken input ---------------------------------------------------------------------------------


def test_broken_json_is_reported_and_the_rest_is_linted(tmp_path):
    shutil.copy(LEGACY, tmp_path)
    text = PIZZA.read_text(encoding="utf-8")
    (tmp_path / "broken.json").write_text(text[:text.index('"edges"')] + '"edges": [}', encoding="utf-8")
    result = lint([tmp_path], tmp_path, select=["BL001"])
    [error] = result.errors
    assert error.path == "broken.json" and error.line is not None and "invalid JSON" in error.message
    assert [f.path for f in result.findings] == ["legacy-minified.json"]


def test_unexpected_shapes_never_crash(tmp_path):
    """Right JSON types, odd contents: read as far as they go, never a crash."""
    odd = {"name": "odd", "events": [{"type": "start", "outgoingEdgeId": "nowhere"}],
           "groups": [{"id": "g", "title": "G", "blocks": [
               {"id": "b", "type": "choice input", "items": [{"id": "i"}]},
               {"id": "c", "type": "Condition", "items": [{"content": {"comparisons": [{"value": 3}]}}]},
               {"id": "d", "type": "Wait", "options": {"secondsToWaitFor": "{{delay}}"}},
               {"id": "e", "type": "text", "content": {"richText": [{"type": "p", "children": [{"text": "ok"}]}]}}]}],
           "edges": [{"id": "x", "from": {}, "to": {"groupId": "elsewhere"}}]}
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(odd), encoding="utf-8")
    flow, result = load(path)
    assert [s.say for s in flow.steps[0].do if hasattr(s, "say")] == ["ok"]
    assert result.errors == [] and result.notices == []
    (tmp_path / "list.json").write_text('["groups", "blocks", "edges", "events"]', encoding="utf-8")
    parsed, result = import_unit(tmp_path / "list.json", "list.json", "typebot")
    assert parsed.document.flows == [] and "cannot read" in result.errors[0].message


@pytest.mark.parametrize("change, needle, message", [
    (lambda doc: doc.update(groups="oops"), '"groups"', "'groups' of the typebot should be a list, not a string"),
    (lambda doc: doc["groups"][1].update(blocks={"b": 1}), '"blocks": {', "should be a list, not an object"),
    (lambda doc: doc["groups"][1]["blocks"].insert(1, 5), "5,", "blocks[1] of group 'Welcome' should be an object"),
    (lambda doc: doc["groups"][1]["blocks"][0].update(type=7), '"type": 7', "'type' of a block should be a string"),
    (lambda doc: doc["groups"][1]["blocks"][0]["content"].update(richText="oops"), '"richText": "oops"',
     "'richText' of a text block should be a list"),
    (lambda doc: doc["groups"][1]["blocks"][2].update(items="none"), '"items": "none"', "'items' of a 'choice input'"),
    (lambda doc: doc["edges"].append("e9"), '"e9"', "edges[7] of the typebot should be an object, not a string"),
    (lambda doc: doc["edges"][0].update(to=[]), '"to": []', "'to' of an edge should be an object, not a list"),
], ids=["groups", "blocks", "block", "type", "richText", "items", "edge", "edge-end"])
def test_wrong_json_types_are_an_error_at_their_place(tmp_path, change, needle, message):
    """A valid JSON file with a wrong type where the format fixes one is refused at that spot,
    never read as an empty bot that passes every check."""
    doc = json.loads(PIZZA.read_text(encoding="utf-8"))
    change(doc)
    text = json.dumps(doc, indent=1, ensure_ascii=False)
    path = tmp_path / "wrong.json"
    path.write_text(text, encoding="utf-8")
    parsed, result = import_unit(path, "wrong.json", "typebot")
    [error] = result.errors
    assert parsed.document.flows == [] and message in error.message, error.message
    before = text[:text.index(needle)]
    assert (error.path, error.line) == ("wrong.json", before.count("\n") + 1)
    assert error.col is not None


def test_a_file_without_groups_is_an_error(tmp_path):
    path = tmp_path / "nogroups.json"
    path.write_text('{"name": "x", "events": [], "edges": []}', encoding="utf-8")
    parsed, result = import_unit(path, "nogroups.json", "typebot")
    assert parsed.document.flows == [] and "no 'groups'" in result.errors[0].message


# --- the shared corpus ----------------------------------------------------------------------------


def test_every_corpus_typebot_imports():
    corpus = corpus_dir()
    if corpus is None:
        pytest.skip("no corpus: set BOTLINT_CORPUS or put it at ../shared/corpus")
    files = sorted(path for path in (corpus / "typebot").rglob("*.json") if file_importer(path))
    assert len(files) >= 12
    for path in files:
        parsed, result = import_unit(path, path.name, "typebot")
        assert result.errors == [], path
        [flow] = parsed.document.flows
        assert flow.steps and any(step.do for step in flow.steps), path
