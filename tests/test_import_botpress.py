"""Botpress v12 flows: detection, the model they become, positions, broken input, the corpus."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import corpus_dir, lint_tree as lint, steps_by_name as steps
from linter.engine.discover import discover
from linter.parse import import_unit
from linter.parse.importers import file_importer
from linter.parse.importers.botpress import condition

BOT = Path(__file__).resolve().parent / "fixtures" / "botpress" / "coffee-bot"
MAIN = BOT / "flows" / "main.flow.json"
LATTE = BOT / "flows" / "latte.flow.json"
SKILL = BOT / "flows" / "skills" / "choice-a1.flow.json"


def load(path: Path):
    parsed, result = import_unit(path, path.name, "botpress")
    [flow] = parsed.document.flows
    return flow, result


@pytest.fixture
def bot(tmp_path):
    """A copy of the fixture bot to break."""
    shutil.copytree(BOT, tmp_path / "coffee-bot")
    return tmp_path / "coffee-bot"


# --- detection ------------------------------------------------------------------------------------


def test_claims_flow_files_only(tmp_path):
    assert file_importer(MAIN).name == "botpress"
    assert file_importer(SKILL).name == "botpress"
    assert file_importer(BOT / "content-elements" / "builtin_text.json") is None
    layout = tmp_path / "main.flow.ui.json"
    layout.write_text('{"nodes": [{"id": "n", "position": {"x": 0, "y": 0}}]}', encoding="utf-8")
    assert file_importer(layout) is None
    other = tmp_path / "notes.flow.json"
    other.write_text('{"steps": []}', encoding="utf-8")
    assert file_importer(other) is None  # no nodes: not a Botpress flow
    units = sorted((unit.path.name, unit.format) for unit in discover([BOT], lambda path: False))
    assert units == [("choice-a1.flow.json", "botpress"), ("latte.flow.json", "botpress"),
                     ("main.flow.json", "botpress")]


# --- the model ------------------------------------------------------------------------------------


def test_nodes_become_steps_and_texts_are_resolved():
    flow, result = load(MAIN)
    assert (flow.name, flow.kind, flow.language, flow.channel) == ("main", "flow", "en", None)
    assert flow.trigger.kind.value == "message"
    # The start node comes first; a conditional exit to another flow gets a step that ends.
    assert [step.name for step in flow.steps] == ["entry", "order", "espresso", "vip", "sorry", "ask-name", "to_latte"]
    by_name = steps(flow)
    hello, remember, go = by_name["entry"].do
    assert remember.set.startswith(("user.", "temp.", "session.", "bot."))  # builtin/setVariable
    assert hello.say == "Morning! I'm the coffee bot ☕"  # English first; variations are not steps
    assert go.goto == "order"
    assert by_name["espresso"].do[0].say == "One espresso for {user.first_name}, coming up."
    assert by_name["to_latte"].do[0].end is True


def test_choice_skill_is_a_routed_question():
    by_name = steps(load(MAIN)[0])
    [ask] = by_name["order"].do
    assert ask.ask == "What can I get you?"  # from the skill's single-choice content element
    assert [(o.label, o.goto) for o in ask.replies] == [("Espresso", "espresso"), ("Latte", "to_latte"), ("Tea", None)]
    assert ask.otherwise == "sorry"  # the "On failure" transition


def test_transitions_waits_and_ends():
    by_name = steps(load(MAIN)[0])
    _, brew_single, brew_double, branch, end = by_name["espresso"].do
    assert (brew_single.action.value, brew_single.text) == ("webhook", "barista/brew")  # custom code: a call
    assert brew_double.text == "barista/brew"
    assert (branch.if_.var, branch.if_.equals, branch.then) == ("user_vip", "yes", "vip")
    assert end.end is True  # -> END
    ask, back = by_name["ask-name"].do  # onReceive: the node waits, its message is the question
    assert ask.ask == "What name goes on the cup?" and back.end is True  # "#": back to the calling flow
    latte, _ = load(LATTE)
    say, wait, bye, end = latte.steps[0].do
    assert (latte.language, wait.wait, bye.say, end.end) == ("fr", "2s", "À bientôt !", True)  # "" is the end


def test_skill_flow_itself():
    flow, _ = load(SKILL)
    assert flow.name == "skills_choice-a1"
    by_name = steps(flow)
    ask, _ = by_name["entry"].do
    assert [o.label for o in ask.replies] == ["Espresso", "Latte", "Tea"]
    wait, valid, again = by_name["parse"].do
    assert wait.wait_for_reply is None and valid.then == "return_to_caller" and again.goto == "parse"


def test_notices_once_per_kind():
    _, result = load(MAIN)
    assert result.notices == ["botpress: skipped 1 builtin_image messages in main.flow.json"]
    assert result.errors == []


def test_conditions_are_approximated():
    assert condition("event.nlu.intent.name === 'order'") == {"var": "event_nlu_intent_name", "equals": "order"}
    assert condition("user.nickname !== undefined") == {"var": "user_nickname", "not_equals": "undefined"}
    assert condition("temp['skill-choice-ret'] == \"tea\"") == {"var": "temp_skill_choice_ret", "equals": "tea"}
    opaque = "session.a && (temp.b === 1 || temp.c)"
    assert condition(opaque) == {"var": "condition", "equals": opaque}


def test_ndu_triggers_are_entry_points(tmp_path):
    flows = tmp_path / "flows"
    flows.mkdir()
    nodes = [{"id": "1", "name": "done", "type": "success", "next": [], "onEnter": [], "onReceive": None},
             {"id": "2", "name": "hi", "type": "trigger", "conditions": [{"id": "user_said_hi"}],
              "next": [{"condition": "true", "node": "done"}], "onEnter": []},
             {"id": "3", "name": "bye", "type": "trigger", "conditions": [{"id": "user_said_bye"}],
              "next": [{"condition": "true", "node": "done"}], "onEnter": []}]
    (flows / "greet.flow.json").write_text(json.dumps({"version": "0.0.1", "nodes": nodes}), encoding="utf-8")
    flow, result = load(flows / "greet.flow.json")
    first = flow.steps[0]
    assert first.name == "triggers" and first.do[0].then == "hi" and first.do[-1].goto == "bye"
    assert result.notices == [] and result.errors == []


# --- positions ------------------------------------------------------------------------------------


def test_findings_point_into_the_flow_file(bot):
    result = lint([bot], bot.parent, select=["BL001", "BL501", "BL505"])
    found = [(f.code, Path(f.path).name, f.line, f.col) for f in result.findings]
    assert found == [("BL505", "main.flow.json", 6, 5),  # "Tea": no transition tests its value
                     ("BL001", "main.flow.json", 50, 16),  # the transition to node 'cookie', which is gone
                     ("BL501", "main.flow.json", 61, 5)]  # 'ask-name': nothing leads there


def test_overlong_message_points_at_its_say(bot):
    texts = bot / "content-elements" / "builtin_text.json"
    elements = json.loads(texts.read_text(encoding="utf-8"))
    elements[1]["formData"]["text$en"] = "Espresso! " * 120
    texts.write_text(json.dumps(elements), encoding="utf-8")
    (bot / ".botlint.yaml").write_text("channel: instagram\n", encoding="utf-8")
    result = lint([bot / "flows" / "main.flow.json"], bot, select=["BL601"])
    [finding] = result.findings
    assert (Path(finding.path).name, finding.line, finding.col) == ("main.flow.json", 39, 9)
    assert "1200 characters" in finding.message


# --- broken input ---------------------------------------------------------------------------------


def test_broken_content_file_is_an_error_and_the_flows_still_lint(bot):
    (bot / "content-elements" / "builtin_text.json").write_text('[{"id": "builtin_text-hello",]', encoding="utf-8")
    result = lint([bot / "flows"], bot, select=["BL001"])
    [error] = result.errors  # said once, not once per flow that reads it
    assert (error.path, error.line) == ("content-elements/builtin_text.json", 1) and "invalid JSON" in error.message
    assert [f.code for f in result.findings] == ["BL001"]  # main.flow.json was still linted
    assert any("unresolved content" in notice for notice in result.notices)


def test_broken_flow_and_missing_files(bot):
    (bot / "flows" / "latte.flow.json").unlink()
    (bot / "flows" / "skills" / "choice-a1.flow.json").write_text('{"nodes": [', encoding="utf-8")
    result = lint([bot / "flows"], bot, select=["BL001"])
    messages = sorted((Path(e.path).name, e.line, e.message.split(":")[0]) for e in result.errors)
    assert messages == [("choice-a1.flow.json", 1, "invalid JSON"),  # reported once, by its own unit
                        ("main.flow.json", 14, "botpress")]  # the transition to latte.flow.json
    assert [f.code for f in result.findings] == ["BL001"]
    assert "botpress: skipped 1 unreadable skill flows (reported with that file) in flows/main.flow.json" \
        in result.notices
    (bot / "flows" / "skills" / "choice-a1.flow.json").unlink()
    result = lint([bot / "flows" / "main.flow.json"], bot)
    assert any("skill flow 'skills/choice-a1.flow.json' is missing" in e.message for e in result.errors)


def test_unexpected_shapes_never_crash(tmp_path):
    odd = {"startNode": 5, "catchAll": [], "nodes": [
        {"name": "a", "onEnter": "say hi", "next": {"node": "b"}, "onReceive": []},
        7,
        {"name": "b", "onEnter": [3, "say", "say #!", "say #builtin_text {\"text\": \"inline\"}"],
         "next": [{"condition": None, "node": None}, "x"]},
        {"type": "skill-call", "skill": "choice", "next": None}]}
    path = tmp_path / "odd.flow.json"
    path.write_text(json.dumps(odd), encoding="utf-8")
    flow, result = load(path)
    assert result.errors == [] and [s.name for s in flow.steps] == ["a", "b", "node"]
    assert steps(flow)["b"].do[0].say == "inline"
    (tmp_path / "list.flow.json").write_text('["nodes"]', encoding="utf-8")
    parsed, result = import_unit(tmp_path / "list.flow.json", "list.flow.json", "botpress")
    assert parsed.document.flows[0].steps == [] and result.errors == []


# --- the shared corpus ----------------------------------------------------------------------------


def test_every_corpus_botpress_flow_imports():
    corpus = corpus_dir()
    if corpus is None:
        pytest.skip("no corpus: set BOTLINT_CORPUS or put it at ../shared/corpus")
    files = sorted(path for path in (corpus / "botpress").rglob("*.flow.json") if file_importer(path))
    assert len(files) >= 28
    for path in files:
        parsed, result = import_unit(path, path.name, "botpress")
        assert result.errors == [], path
        [flow] = parsed.document.flows
        assert flow.steps, path
