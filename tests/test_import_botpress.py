"""Botpress v12 flows: detection, the model they become, positions, broken input, the corpus."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import corpus_dir, lint_tree as lint, steps_by_name as steps
from linter.engine.discover import discover
from linter.model.flow import Action, SetVariable
from linter.parse import import_unit
from linter.parse.importers import file_importer
from linter.parse.importers.botpress import condition

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "botpress"
BOT = FIXTURES / "coffee-bot"
BIKES = FIXTURES / "bike-shop"  # variables, a jump into another flow's node, a choice retry, an e-mail skill
LOOSE = FIXTURES / "loose-bot"  # flows and content files side by side, no flows/ or content-elements/
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
    # The start node comes first; then the choice's retry; a conditional exit to another flow gets a step that ends.
    assert [step.name for step in flow.steps] == ["entry", "order", "espresso", "vip", "sorry", "ask-name",
                                                  "order_retry", "to_latte"]
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
    assert ask.otherwise == "order_retry"  # an unknown answer: the skill asks again
    give_up, again = by_name["order_retry"].do
    assert give_up.then == "sorry" and again.goto == "order"  # out of retries: the "On failure" transition


def test_transitions_waits_and_ends():
    by_name = steps(load(MAIN)[0])
    _, brew_single, brew_double, branch, end = by_name["espresso"].do
    assert (brew_single.action.value, brew_single.text) == ("webhook", "barista/brew")  # custom code: a call
    assert brew_double.text == "barista/brew"
    assert (branch.if_.var, branch.if_.equals, branch.then) == ("user.vip", "yes", "vip")  # as placeholders say it
    assert end.end is True  # -> END
    ask, back = by_name["ask-name"].do  # onReceive: the node waits, its message is the question
    assert ask.ask == "What name goes on the cup?" and back.end is True  # "#": back to the calling flow
    latte, _ = load(LATTE)
    say, wait, bye, end = steps(latte)["entry"].do
    assert (latte.language, wait.wait, bye.say, end.end) == ("fr", "2s", "À bientôt !", True)  # "" is the end


def test_skill_flow_itself():
    """A choice skill's own file is what its skillData says: ask, a valid choice goes back, retry."""
    flow, _ = load(SKILL)
    assert flow.name == "skills_choice-a1"
    by_name = steps(flow)
    [ask] = by_name["entry"].do
    assert [(o.label, o.goto) for o in ask.replies] == [("Espresso", "return_to_caller"), ("Latte", "return_to_caller"),
                                                        ("Tea", "return_to_caller")]
    give_up, again = by_name[ask.otherwise].do
    assert give_up.then == "return_to_caller" and again.goto == "entry"


def test_notices_once_per_kind():
    _, result = load(MAIN)
    assert result.notices == ["botpress: skipped 1 builtin_image messages in main.flow.json"]
    assert result.errors == []


def test_conditions_are_approximated():
    # A field of the person's message is named as the question that waited for it captures it.
    assert condition("event.nlu.intent.name === 'order'") == {"var": "event_nlu_intent_name", "equals": "order"}
    # Memory is named as placeholders name it, so that a guard proves the placeholder's variable set.
    assert condition("user.nickname !== undefined") == {"var": "user.nickname", "not_equals": "undefined"}
    assert condition("session.cup != null") == {"var": "session.cup", "not_equals": "null"}
    assert condition("user.name !== ''") == {"var": "user.name", "not_equals": ""}
    assert condition("event.state.user.name !== ''") == {"var": "user.name", "not_equals": ""}  # the same memory
    assert condition("temp['skill-choice-ret'] == \"tea\"") == {"var": "temp.skill_choice_ret", "equals": "tea"}
    # Truthiness: `x` holds a value, `!x` holds none.
    assert condition("user.nickname") == {"var": "user.nickname", "not_equals": ""}
    assert condition(" ! temp.success ") == {"var": "temp.success", "equals": ""}
    for opaque in ("session.a && (temp.b === 1 || temp.c)", "false", "temp.count > 2", "!!user.x"):
        assert condition(opaque) == {"var": "condition", "equals": opaque.strip()}


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
    result = lint([bot / "flows"], bot, select=["BL001", "BL003"])
    messages = sorted((Path(e.path).name, e.line, e.message.split(":")[0]) for e in result.errors)
    assert messages == [("choice-a1.flow.json", 1, "invalid JSON")]  # reported once, by its own unit
    # The transition to the deleted latte.flow.json is a broken reference in the bot: a finding.
    assert sorted((f.code, Path(f.path).name, f.line) for f in result.findings) == [
        ("BL001", "main.flow.json", 50), ("BL003", "main.flow.json", 14)]
    assert "botpress: skipped 1 unreadable skill flows (reported with that file) in flows/main.flow.json" \
        in result.notices
    (bot / "flows" / "skills" / "choice-a1.flow.json").unlink()
    result = lint([bot / "flows" / "main.flow.json"], bot)
    assert result.errors == []
    assert any(f.code == "BL003" and "skill flow 'skills/choice-a1.flow.json' is used here" in f.message
               for f in result.findings)


def test_unexpected_values_in_the_right_types_never_crash(tmp_path):
    odd = {"startNode": "a", "catchAll": {}, "nodes": [
        {"name": "a", "onEnter": ["say", "say #!", "say #builtin_text {\"text\": \"inline\"}", "builtin/wait [1]",
                                  "builtin/setVariable {}"], "next": [{"condition": None, "node": "b"}]},
        {"name": "b", "type": "skill-call", "skill": "choice", "next": None}]}
    path = tmp_path / "odd.flow.json"
    path.write_text(json.dumps(odd), encoding="utf-8")
    flow, result = load(path)
    # No flow jumps to this one: code starts it (entry_points), then its start node.
    assert result.errors == [] and [s.name for s in flow.steps][:3] == ["entry_points", "a", "b"]
    assert steps(flow)["a"].do[0].say == "inline"


WRONG_TYPES = [
    ('{"nodes": "oops"}', 1, "'nodes' of the flow should be a list, not a string"),
    ('["nodes"]', 1, "a flow file should be an object, not a list"),
    ('{"nodes": [7]}', 1, "nodes[0] of the flow should be an object, not a number"),
    ('{"nodes": [{"name": "a",\n "next": "b"}]}', 2, "'next' of node 'a' should be a list, not a string"),
    ('{"nodes": [{"name": "a",\n "onEnter": "say #!x"}]}', 2, "'onEnter' of node 'a' should be a list"),
    ('{"nodes": [{"name": "a", "next": [\n{"node": 5}]}]}', 2, "the 'node' of a transition of node 'a' should be a"),
    ('{"nodes": [{"id": "a"}]}', 1, "the 'name' of a node should be a string, not null"),
    ('{"catchAll": {"next": {}},\n "nodes": []}', 1, "'next' of the flow's catchAll should be a list"),
    ('{"startNode": "gone",\n "nodes": [{"name": "a"}]}', 1, "startNode 'gone' is not a node of this flow"),
]


@pytest.mark.parametrize("text, line, message", WRONG_TYPES)
def test_wrong_types_are_errors_at_their_position(tmp_path, text, line, message):
    path = tmp_path / "flows" / "bad.flow.json"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    parsed, result = import_unit(path, "bad.flow.json", "botpress")
    [error] = result.errors
    assert message in error.message and error.path == "bad.flow.json" and error.line == line and error.col
    assert parsed.document.flows == []
    linted = lint([path], tmp_path)  # never "All checks passed"
    assert [e.message for e in linted.errors] == [error.message]


# --- the shared corpus ----------------------------------------------------------------------------


def test_every_corpus_botpress_flow_imports():
    corpus = corpus_dir()
    if corpus is None:
        pytest.skip("no corpus: set BOTLINT_CORPUS or put it at ../shared/corpus")
    files = sorted(path for path in (corpus / "botpress").rglob("*.flow.json") if file_importer(path))
    assert len(files) >= 28
    for path in files:
        parsed, result = import_unit(path, path.name, "botpress")
        for error in result.errors:  # only a flow the bot really lacks (iamTommyAmazin jumps to one)
            missing = error.message.partition("transition to a missing flow '")[2].rstrip("'")
            assert missing and not (path.parent / missing).exists(), (path, error.message)
        [flow] = parsed.document.flows
        assert flow.steps, path


# --- what real bots mean -------------------------------------------------------------------------


@pytest.fixture
def bikes(tmp_path):
    shutil.copytree(BIKES, tmp_path / "bike-shop")
    return tmp_path / "bike-shop"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_variables_stored_by_actions_fill_placeholders(bikes):
    main = steps(load(bikes / "flows" / "main.flow.json")[0])
    # A built-in's "output" goes to temp.
    assert [s.set for s in main["hello"].do if isinstance(s, SetVariable)] == ["temp.visits"]
    ask, stored = main["ask-name"].do[:2]
    assert ask.ask == "Who am I talking to?" and stored.set == "user.rider"  # onReceive: after the answer
    assert lint([bikes], bikes, select=["BL109"]).findings == []
    # Near miss: a reset to null fills nothing.
    edit(bikes / "flows" / "main.flow.json", '\\"value\\":\\"{{event.payload.text}}\\"', '\\"value\\":\\"null\\"')
    found = [(f.code, Path(f.path).name) for f in lint([bikes], bikes, select=["BL109"]).findings]
    assert found == [("BL109", "main.flow.json"), ("BL109", "repairs.flow.json")]


def test_slot_and_call_api_skills_fill_their_variables(tmp_path):
    flows = tmp_path / "flows"
    (flows / "skills").mkdir(parents=True)
    (flows / "skills" / "Slot-s1.flow.json").write_text(json.dumps(
        {"skillData": {"slotName": "city", "contentElement": "builtin_text-city"}, "nodes": []}), encoding="utf-8")
    (flows / "skills" / "CallAPI-a1.flow.json").write_text(json.dumps(
        {"skillData": {"url": "https://forecast.invalid", "memory": "session", "variable": "forecast"},
         "nodes": []}), encoding="utf-8")
    nodes = [{"name": "where", "type": "skill-call", "skill": "Slot", "flow": "skills/Slot-s1.flow.json",
              "next": [{"condition": "true", "node": "fetch"}]},
             {"name": "fetch", "type": "skill-call", "skill": "CallAPI", "flow": "skills/CallAPI-a1.flow.json",
              "next": [{"condition": "true", "node": "END"}]}]
    (flows / "weather.flow.json").write_text(json.dumps({"startNode": "where", "nodes": nodes}), encoding="utf-8")
    by_name = steps(load(flows / "weather.flow.json")[0])
    ask, slot, value, _ = by_name["where"].do
    assert (ask.capture, slot.set, value.set) == ("city", "session.slots.city", "session.slots.city.value")
    call, stored, _ = by_name["fetch"].do
    assert (call.action.value, call.text, stored.set) == ("webhook", "https://forecast.invalid", "session.forecast")


def test_jump_to_a_node_of_another_flow(bikes):
    main = steps(load(bikes / "flows" / "main.flow.json")[0])
    assert main["to_repairs_book"].do[0].end is True  # the catch-all's jump leaves main
    assert main["entry_points"].do[0].then == "bye"  # repairs comes back to main's node with "##bye"
    repairs, result = load(bikes / "flows" / "repairs.flow.json")
    first = repairs.steps[0]
    assert first.name == "entry_points" and first.do[-1].then == "book"  # entered at 'book' from main
    assert result.errors == []
    assert lint([bikes], bikes, select=["BL001", "BL501"]).findings == []
    # Near miss: a node the other flow does not have is a BL003 finding at the transition.
    edit(bikes / "flows" / "main.flow.json", "repairs.flow.json#book", "repairs.flow.json#booking")
    _, result = load(bikes / "flows" / "main.flow.json")
    assert result.errors == []
    [finding] = lint([bikes / "flows" / "main.flow.json"], bikes, select=["BL003"]).findings
    assert "node 'repairs.flow.json#booking' is used here, which that flow does not have" in finding.message
    assert (Path(finding.path).name, finding.line) == ("main.flow.json", 5)


def test_email_skill_is_not_a_chat_message(bikes):
    for path in (bikes / "flows" / "main.flow.json", bikes / "flows" / "skills" / "SendEmail-e1.flow.json"):
        flow, _ = load(path)
        statements = [s for step in flow.steps for s in step.do]
        assert any(isinstance(s, Action) and s.action.value == "email" and s.text is None for s in statements), path
        texts = " ".join(getattr(s, "say", None) or getattr(s, "ask", None) or "" for s in statements)
        assert "BOOKING" not in texts and "mechanic" not in texts
    # The subject shouts and the body is long: no finding, since neither reaches the chat.
    assert lint([bikes], bikes, select=["BL103", "BL104", "BL105"]).findings == []


def test_choice_retry_is_the_skill_asking_again(bikes):
    main = steps(load(bikes / "flows" / "main.flow.json")[0])
    [ask] = main["service"].do
    give_up, sorry, again = main[ask.otherwise].do
    assert (give_up.then, sorry.say, again.goto) == ("bye", "Please tap one of the buttons.", "service")
    skill = steps(load(bikes / "flows" / "skills" / "choice-b1.flow.json")[0])
    give_up, sorry, again = skill[skill["entry"].do[0].otherwise].do
    assert (give_up.then, again.goto) == ("return_to_caller", "entry")
    assert lint([bikes], bikes, select=["BL107", "BL504"]).findings == []
    # Near miss: a skill that does not repeat its question makes the retry message the question.
    edit(bikes / "flows" / "skills" / "choice-b1.flow.json", '"repeatChoicesOnInvalid": true',
         '"repeatChoicesOnInvalid": false')
    main = steps(load(bikes / "flows" / "main.flow.json")[0])
    _, retry = main["service_retry"].do
    assert retry.ask == "Please tap one of the buttons." and [o.goto for o in retry.replies] == ["notify", "bye"]
    assert retry.otherwise == "service_retry"


def test_timeout_node_is_reached_when_the_person_goes_silent(bikes):
    main = steps(load(bikes / "flows" / "main.flow.json")[0])
    branch = main["entry_points"].do[-1]
    assert (branch.if_.var, branch.if_.equals, branch.then) == ("event", "timeout", "timeout")


def test_main_flow_is_where_the_bot_speaks_first(bikes):
    assert load(bikes / "flows" / "main.flow.json")[0].trigger.kind.value == "start"
    for other in ("repairs.flow.json", "skills/choice-b1.flow.json"):
        assert load(bikes / "flows" / other)[0].trigger.kind.value == "message"


def test_content_kept_beside_the_flows(tmp_path):
    flow, result = load(LOOSE / "main.flow.json")
    assert flow.steps[0].do[0].ask == "Which library branch? North or South?" and result.notices == []
    assert flow.trigger.kind.value == "start"
    north, _ = load(LOOSE / "north.flow.json")
    assert north.steps[0].do[0].say == "North branch: open from 9 to 5."
    assert lint([LOOSE], LOOSE, select=["BL001", "BL501"]).findings == []
    # Near miss: without any content, one notice for the bot, not one per flow.
    bot = tmp_path / "bare"
    shutil.copytree(LOOSE, bot)
    (bot / "builtin_text.json").unlink()
    result = lint([bot], tmp_path)
    assert [f.code for f in result.findings if f.code == "BL001"] == []
    notices = [n for n in result.notices if "content" in n]
    assert notices == ["botpress: the bot in bare has no content elements (no content-elements folder beside its "
                       "flows folder, no content files beside its flows): its messages are skipped"]


def test_skipped_actions_are_said_once_per_kind(bikes):
    _, result = load(bikes / "flows" / "main.flow.json")
    assert result.notices == ["botpress: skipped 1 builtin/appendContext actions in main.flow.json",
                              "botpress: skipped 1 variable resets (setVariable to null) in main.flow.json"]


# --- guards, the person's answer, code that runs first, skills reused -----------------------------

TEA = FIXTURES / "tea-house"  # a guard, intent routing after a question, a silent choice skill, one skill called twice


@pytest.fixture
def tea(tmp_path):
    shutil.copytree(TEA, tmp_path / "tea-house")
    return tmp_path / "tea-house"


def test_a_guard_proves_the_variable_its_placeholder_names(tea):
    main = steps(load(tea / "flows" / "main.flow.json")[0])
    guard = main["start"].do[-2]
    assert (guard.if_.var, guard.if_.not_equals, guard.then) == ("user.guest", "undefined", "known")
    assert main["known"].do[0].say == "Nice to see you again, {user.guest}."  # event.state.user is user
    assert lint([tea], tea, select=["BL109"]).findings == []
    # Near miss: `!== 'regular'` proves nothing on its then-edge; the person may not have given a name.
    edit(tea / "flows" / "main.flow.json", "user.guest !== undefined", "user.guest !== 'regular'")
    [finding] = lint([tea], tea, select=["BL109"]).findings
    assert "{user.guest}" in finding.message and Path(finding.path).name == "main.flow.json"


def test_fields_of_the_incoming_event_get_a_fallback(tea):
    main = steps(load(tea / "flows" / "main.flow.json")[0])
    assert main["menu"].do[1].say == "You wrote {event.payload.text|text}, noted."  # the channel always sets it
    # Near miss: an NLU slot may be missing from a message: no fallback.
    edit(tea / "content-elements" / "builtin_text.json", "{{event.payload.text}}", "{{event.nlu.slots.tea.value}}")
    main = steps(load(tea / "flows" / "main.flow.json")[0])
    assert main["menu"].do[1].say == "You wrote {event.nlu.slots.tea.value}, noted."
    assert [f.code for f in lint([tea], tea, select=["BL109"]).findings] == ["BL109"]


def test_intent_routing_after_a_question_handles_the_answer(tea):
    main = steps(load(tea / "flows" / "main.flow.json")[0])
    _, ask, *routes, end = main["known"].do
    assert ask.ask.endswith("How can we help you today?") and ask.capture == "event_nlu_intent_name"
    assert [(r.if_.var, r.if_.equals, r.then) for r in routes] == [
        ("event_nlu_intent_name", "menu", "menu"), ("event_nlu_intent_name", "hours", "hours")]
    assert lint([tea], tea, select=["BL305"]).findings == []
    # Near miss: without the catch-all's intent routes, nothing handles the open question's answer.
    flow = json.loads((tea / "flows" / "main.flow.json").read_text(encoding="utf-8"))
    flow["catchAll"]["next"] = []
    (tea / "flows" / "main.flow.json").write_text(json.dumps(flow), encoding="utf-8")
    assert steps(load(tea / "flows" / "main.flow.json")[0])["known"].do[1].capture is None
    [finding] = lint([tea], tea, select=["BL305"]).findings
    assert "not even saved" in finding.message


def test_a_flow_no_flow_jumps_to_is_started_by_code(tea):
    goodbye, _ = load(tea / "flows" / "goodbye.flow.json")
    first = goodbye.steps[0]
    assert first.name == "entry_points" and first.do[0].action.value == "webhook"  # a hook filled temp.farewell
    assert lint([tea / "flows" / "goodbye.flow.json"], tea, select=["BL109"]).findings == []
    # Near miss: main jumps to it, and nothing on that path fills temp.farewell.
    edit(tea / "flows" / "main.flow.json", '"node": "END"\n        }\n      ]\n    },\n    {\n      "id": "t8"',
         '"node": "goodbye.flow.json"\n        }\n      ]\n    },\n    {\n      "id": "t8"')
    goodbye, _ = load(tea / "flows" / "goodbye.flow.json")
    assert not any(isinstance(s, Action) for s in goodbye.steps[0].do)  # what main filled, and no code
    [finding] = lint([tea / "flows" / "goodbye.flow.json"], tea, select=["BL109"]).findings
    assert "{temp.farewell}" in finding.message


def test_memory_that_only_code_fills_is_filled_before_the_flow(tmp_path):
    """main tests that a hook filled session.order (no flow fills it), then shows its fields."""
    bot = tmp_path / "bot"
    (bot / "flows").mkdir(parents=True)
    (bot / "content-elements").mkdir()
    (bot / "content-elements" / "builtin_text.json").write_text(json.dumps([
        {"id": "builtin_text-ready", "formData": {"text$en": "{{session.order.name}}, your pot is ready."}},
        {"id": "builtin_text-hi", "formData": {"text$en": "Hi! Pick a tea from the menu."}}]), encoding="utf-8")
    nodes = [{"name": "start", "onEnter": [], "onReceive": None,
              "next": [{"condition": "session.order && session.order.size !== 'none'", "node": "ready"},
                       {"condition": "true", "node": "hi"}]},
             {"name": "ready", "onEnter": ["say #!builtin_text-ready"], "onReceive": None, "next": []},
             {"name": "hi", "onEnter": ["say #!builtin_text-hi"], "onReceive": None, "next": []}]
    main = bot / "flows" / "main.flow.json"
    main.write_text(json.dumps({"startNode": "start", "nodes": nodes}), encoding="utf-8")
    flow, _ = load(main)
    assert flow.steps[0].do[0].text == "code that fills session.order"
    assert lint([bot], bot, select=["BL109"]).findings == []
    # Near miss: a flow of the bot fills session.order itself, so no hook is needed to explain it.
    nodes[2]["onEnter"].append('builtin/setVariable {"type":"session","name":"order","value":"{{event.payload}}"}')
    main.write_text(json.dumps({"startNode": "start", "nodes": nodes}), encoding="utf-8")
    assert load(main)[0].steps[0].name == "start"
    assert [f.code for f in lint([bot], bot, select=["BL109"]).findings] == ["BL109"]


def test_a_silent_choice_skill_leaves_a_wrong_answer_unhandled(tea):
    main = steps(load(tea / "flows" / "main.flow.json")[0])
    [ask] = main["size"].do  # no invalid-answer text, does not repeat: the skill waits again without a word
    assert ask.otherwise is None and "size_retry" not in main
    [finding] = lint([tea], tea, select=["BL504"]).findings
    assert (Path(finding.path).name, finding.line) == ("main.flow.json", 75)
    # Near miss: an "On failure" transition is where a wrong answer ends up once the retries run out.
    edit(tea / "flows" / "main.flow.json", '"node": "brew"\n        }\n      ]',
         '"node": "brew"\n        },\n        { "condition": "true", "node": "hours" }\n      ]')
    assert steps(load(tea / "flows" / "main.flow.json")[0])["size"].do[0].otherwise == "hours"
    assert lint([tea], tea, select=["BL504"]).findings == []
    # Near miss: a skill that repeats its question answers a wrong answer: a retry step asks again.
    edit(tea / "flows" / "skills" / "choice-size.flow.json", '"repeatChoicesOnInvalid": false',
         '"repeatChoicesOnInvalid": true')
    main = steps(load(tea / "flows" / "main.flow.json")[0])
    assert main["size"].do[0].otherwise == "size_retry" and main["size_retry"].do[-1].goto == "size"


def test_one_content_element_sent_from_several_nodes_is_written_once(tea):
    flow, _ = load(tea / "flows" / "main.flow.json")
    first, second = steps(flow)["again"].do[0], steps(flow)["again-2"].do[0]
    assert first.ask == second.ask and first.span == second.span  # one skill, one question: the first call
    assert [f.line for f in lint([tea], tea, select=["BL107"]).findings] == []
    # Near miss: the same words written in a second content element are a second place to word it.
    elements = tea / "content-elements" / "builtin_single-choice.json"
    choices = json.loads(elements.read_text(encoding="utf-8"))
    choices.append({**choices[0], "id": "builtin_single-choice-more-2"})
    elements.write_text(json.dumps(choices), encoding="utf-8")
    skill = json.loads((tea / "flows" / "skills" / "choice-more.flow.json").read_text(encoding="utf-8"))
    skill["skillData"]["contentId"] = "builtin_single-choice-more-2"
    (tea / "flows" / "skills" / "choice-more-2.flow.json").write_text(json.dumps(skill), encoding="utf-8")
    edit(tea / "flows" / "main.flow.json", '"name": "again-2",\n      "type": "skill-call",\n      "skill": "choice",\n'
         '      "flow": "skills/choice-more.flow.json"', '"name": "again-2",\n      "type": "skill-call",\n'
         '      "skill": "choice",\n      "flow": "skills/choice-more-2.flow.json"')
    [finding] = lint([tea / "flows" / "main.flow.json"], tea, select=["BL107"]).findings
    assert "Shall we brew another pot?" in finding.message and finding.line == 145
