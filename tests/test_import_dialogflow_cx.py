"""The Dialogflow CX importer: detection, the model it builds, positions, broken input, the corpus.

The fixture tests/fixtures/dialogflow_cx/coffee-agent is a small hand-written CX export (a café
ordering agent): two flows, pages with chips, a form, conditional messages, a route group,
special targets (END_SESSION, PREVIOUS_PAGE, END_FLOW_WITH_HUMAN_ESCALATION) and a live-agent handoff.
library-agent (a book renewal calling a card-check flow), bakery-agent (a cake order whose page replays
its question after a "hold music" flow) and garden-playbook-agent (an agent that starts in a playbook)
are hand-written too.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import corpus_dir
from linter.engine.discover import discover
from linter.engine.runner import lint_paths
from linter.engine.settings import Overrides, SettingsResolver
from linter.model.flow import Ask, Branch, End, Goto, Handoff, Say
from linter.parse import import_unit
from linter.parse.importers import file_importer, folder_importer
from linter.parse.importers.dialogflow_cx import IMPORTER, load

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "dialogflow_cx"
AGENT = FIXTURES / "coffee-agent"
START = AGENT / "flows" / "Default Start Flow"
# A library agent whose card check is a flow of its own (forms, a route group, a flow called and returning).
LIBRARY = FIXTURES / "library-agent"
# A bakery whose flow-level "hold on" route calls a Hold Music flow; the page replays its question after it.
BAKERY = FIXTURES / "bakery-agent"
# A generative agent that starts in a playbook (instructions, an example conversation, a tool, a code block).
PLAYBOOK_AGENT = FIXTURES / "garden-playbook-agent"


def imported(path: Path = AGENT):
    parsed, result = import_unit(path, "agent", "dialogflow-cx")
    return parsed.document, result


def flow(document, name: str = "Default_Start_Flow"):
    return next(f for f in document.flows if f.name == name)


def step(document, name: str, flow_name: str = "Default_Start_Flow"):
    return next(s for s in flow(document, flow_name).steps if s.name == name)


def copy_agent(tmp_path: Path) -> Path:
    return Path(shutil.copytree(AGENT, tmp_path / "coffee-agent"))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(path: Path, needle: str, occurrence: int = 0) -> int:
    return [number for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if needle in line][occurrence]


def lint(tmp_path: Path, target: Path, select: list[str], config: str = "language: en\n"):
    (tmp_path / ".botlint.yaml").write_text(config, encoding="utf-8")
    return lint_paths([target], SettingsResolver(Overrides(select=select), cwd=tmp_path))


# --- detection -----------------------------------------------------------------------------------


def test_claims_an_agent_folder_and_nothing_else(tmp_path):
    assert IMPORTER.name == "dialogflow-cx"
    assert folder_importer(AGENT) is IMPORTER
    assert not IMPORTER.claims_folder(AGENT / "flows")
    assert not IMPORTER.claims_folder(START / "pages")
    es_export = tmp_path / "es"  # Dialogflow ES: agent.json and intents/, no flows/
    (es_export / "intents").mkdir(parents=True)
    (es_export / "agent.json").write_text("{}", encoding="utf-8")
    assert not IMPORTER.claims_folder(es_export)
    only_flows = tmp_path / "only-flows"
    (only_flows / "flows").mkdir(parents=True)
    assert not IMPORTER.claims_folder(only_flows)
    # Its JSON files are not export files of another format.
    assert file_importer(AGENT / "agent.json") is None
    assert file_importer(START / "pages" / "Confirm.json") is None


def test_the_agent_is_one_unit_when_its_parent_is_walked():
    units = list(discover([FIXTURES], lambda path: False))
    assert sorted((unit.path, unit.format) for unit in units) == [
        (BAKERY, "dialogflow-cx"), (AGENT, "dialogflow-cx"), (PLAYBOOK_AGENT, "dialogflow-cx"),
        (LIBRARY, "dialogflow-cx")]


# --- the model -----------------------------------------------------------------------------------


def test_each_cx_flow_is_a_flow_started_by_the_person():
    document, result = imported()
    assert [f.name for f in document.flows] == ["Default_Start_Flow", "Opening_Hours"]  # the start flow first
    start = flow(document)
    assert start.title == "Default Start Flow"
    assert start.description == "Takes coffee orders for the Corner Café."
    assert start.language == "en"
    assert start.trigger.kind.value == "message"
    assert start.channel is None and start.audience is None and start.window is None
    assert start.steps[0].name == "Start_Page"
    assert result.errors == []
    assert result.files == 13  # agent.json, 2 flows, 5 pages, 1 route group, 2 intents and their training phrases


def test_language_is_the_primary_subtag(tmp_path):
    agent = copy_agent(tmp_path)
    edit(agent / "agent.json", '"defaultLanguageCode": "en"', '"defaultLanguageCode": "de-AT"')
    document, _ = imported(agent)
    assert {f.language for f in document.flows} == {"de"}


def test_the_start_page_routes_the_first_message_by_intent():
    document, _ = imported()
    start = step(document, "Start_Page")
    branches = [(node.if_.var, node.if_.equals, node.then) for node in start.do if isinstance(node, Branch)]
    assert branches == [("intent", "Default Welcome Intent", "Start_Page_Default_Welcome_Intent"),
                        ("intent", "order.coffee", "Choose_Size"),
                        ("intent", "talk.human", "Start_Page_talk_human"),
                        ("intent", "opening.hours", "Start_Page")]  # that flow ends back here
    assert isinstance(start.do[-1], Goto) and start.do[-1].goto == "Start_Page_no-match"
    # The welcome answer: the first English variant, as the question the next message answers.
    welcome = step(document, "Start_Page_Default_Welcome_Intent").do
    assert isinstance(welcome[0], Ask) and welcome[0].ask == "Hi! Fancy a coffee?"
    assert welcome[1].goto == "Start_Page"
    fallback = step(document, "Start_Page_no-match").do
    assert fallback[0].ask == "Sorry, I only know about coffee. Want to order one?"


def test_chips_covering_every_intent_route_are_a_routed_menu():
    document, _ = imported()
    ask = step(document, "Choose_Size").do[0]
    assert ask.ask == "Which size would you like?"
    assert [(option.label, option.goto) for option in ask.replies] == [("Small", "Get_Name"),
                                                                       ("Large", "Choose_Size_size_large")]
    # Typed text may still match one of the flow's intent routes, else the page's no-match.
    other = step(document, ask.otherwise).do
    assert ask.otherwise == "Choose_Size_other"
    assert [(node.if_.equals, node.then) for node in other[:-1]] == [
        ("order.coffee", "Choose_Size"), ("talk.human", "Start_Page_talk_human"), ("opening.hours", "Start_Page")]
    assert other[-1].goto == "Choose_Size_no-match"
    large = step(document, "Choose_Size_size_large").do
    assert large[0].say == "Good choice, a large one." and large[1].goto == "Get_Name"
    fallback = step(document, "Choose_Size_no-match").do
    assert (fallback[0].if_.var, fallback[0].if_.equals) == ("event", "sys.no-match-3")
    assert isinstance(step(document, fallback[0].then).do[0], End)  # "End Session"
    # The reprompt is the question now; typed answers are routed like the chips (not shown again).
    assert fallback[1].ask == "Please pick small or large." and fallback[2].goto == "Choose_Size_listen"
    listen = step(document, "Choose_Size_listen").do
    assert [(node.if_.equals, node.then) for node in listen[:-1]] == [("size.small", "Get_Name"),
                                                                      ("size.large", "Choose_Size_size_large")]
    assert listen[-1].goto == "Choose_Size_other"


def test_form_parameters_are_captured():
    document, _ = imported()
    do = step(document, "Get_Name").do
    name, email = do[0], do[1]
    assert (name.ask, name.capture, name.expect, name.otherwise) == (
        "What name should we write on the cup?", "customer_name", "text", "Get_Name_customer_name_other")
    # An answer that is not the parameter may match an intent route in scope (here the flow's), else it
    # goes to the parameter's reprompt handlers, or, without any, asks again.
    other = step(document, name.otherwise).do
    assert [node.if_.equals for node in other[:-1]] == ["order.coffee", "talk.human", "opening.hours"]
    assert other[-1].goto == "Get_Name"
    assert (email.capture, email.expect, email.otherwise) == ("email", "email", "Get_Name_email_other")
    assert step(document, "Get_Name_email_other").do[-1].goto == "Get_Name_email_no-match"
    assert not any(isinstance(node, Ask) and node.capture == "loyalty_card" for node in do)  # optional: not asked
    # A reprompt is the parameter's question from then on: its answer goes on with the form from there.
    assert do[2].goto == "Get_Name_email_answered"
    reprompt = step(document, "Get_Name_email_no-match").do
    assert reprompt[0].then == "Human_Help"
    assert (reprompt[1].ask, reprompt[1].capture, reprompt[1].expect) == (
        "That doesn't look like an email address. Try again?", "email", "email")
    assert (reprompt[1].then, reprompt[1].otherwise) == ("Get_Name_email_answered", "Get_Name_email_other")
    # The form-complete route says thanks with the captured name, calls the webhook and moves on.
    done = step(document, "Get_Name_email_answered").do
    assert done[0].say == "Thanks, {customer_name}!"
    assert (done[1].action.value, done[1].text) == ("webhook", "save-order")
    assert done[2].goto == "Confirm"


def test_conditions_special_targets_route_groups_and_handoffs():
    document, _ = imported()
    confirm = step(document, "Confirm").do
    # The first conditional case, voice markup dropped; condition routes are checked again after the answer.
    assert confirm[0].ask == "Your usual is on the way, shall I charge your card?"
    assert confirm[0].capture == "intent"  # the answer is classified; the intent branches test it
    # A route stays on this page: the routes are a step of their own, where staying leads.
    assert confirm[1].goto == "Confirm_listen"
    confirm = step(document, "Confirm_listen").do
    assert (confirm[0].if_.var, confirm[0].if_.equals, confirm[0].then) == ("blocked", "true", "Human_Help")
    intents = {node.if_.equals: node.then for node in confirm if isinstance(node, Branch) and node.if_.var == "intent"}
    assert intents == {"confirmation.yes": "Confirm_confirmation_yes", "confirmation.no": "Get_Name",
                       "small.thanks": "Confirm_small_thanks",  # PREVIOUS_PAGE: the one page leading here
                       # The flow's routes are in scope on every page: to the steps the start page made.
                       "order.coffee": "Choose_Size", "talk.human": "Start_Page_talk_human",
                       "opening.hours": "Start_Page"}
    assert [type(node) for node in step(document, "Confirm_confirmation_yes").do] == [Say, End]  # END_SESSION
    thanks = step(document, "Confirm_small_thanks").do  # from the route group file, staying on the page
    # The person answers it; the page's question is not asked again.
    assert thanks[0].ask == "You're welcome!" and thanks[1].goto == "Confirm_listen"
    human = step(document, "Human_Help").do
    assert isinstance(human[1], Handoff) and human[1].handoff == "Baristas"
    escalation = step(document, "Start_Page_talk_human").do
    assert escalation[0].say == "Sure, let me find a barista for you."
    assert isinstance(escalation[1], Handoff) and escalation[1].handoff is None
    hours = flow(document, "Opening_Hours").steps
    assert [s.name for s in hours] == ["Start_Page", "Hours"]
    assert hours[0].do[0].goto == "Hours"
    assert hours[1].do[0].say == "We're open from 7 to 18, every day." and isinstance(hours[1].do[1], End)


def test_skipped_elements_are_noticed_once_per_kind(tmp_path):
    agent = copy_agent(tmp_path)
    audio = '{ "playAudio": { "audioUri": "gs://example/ding.wav" } }'
    edit(agent / "flows" / "Opening Hours" / "pages" / "Hours.json", '"messages": [ {', f'"messages": [ {audio}, {{')
    result = load(agent, "agent")
    assert result.notices == [
        "dialogflow-cx: skipped 1 generative fallbacks in agent",
        "dialogflow-cx: skipped 2 messages of type 'playAudio' in agent",
        "dialogflow-cx: skipped 1 rich content elements of type 'image' in agent",
    ]


# --- positions -----------------------------------------------------------------------------------


def test_spans_name_the_original_file_and_line():
    document, _ = imported()
    page = START / "pages" / "Choose Size.json"
    ask = step(document, "Choose_Size").do[0]
    assert ask.span.file == "agent/flows/Default Start Flow/pages/Choose Size.json"
    assert ask.span.line == line_of(page, "Which size would you like?")
    assert ask.replies[1].span.line == line_of(page, '"text": "Large"')
    assert step(document, "Choose_Size").span.line == line_of(page, '"displayName"')
    route = step(document, "Choose_Size_size_large")
    assert route.span.line == line_of(page, '"intent": "size.large"') - 1  # the route's opening brace
    branch = step(document, "Confirm_listen").do[0]
    assert branch.span.line == line_of(START / "pages" / "Confirm.json", '"targetPage": "Human Help"')
    assert flow(document).span.file == "agent/flows/Default Start Flow/Default Start Flow.json"


def test_undefined_page_is_reported_at_the_route(tmp_path):
    agent = copy_agent(tmp_path)
    confirm = agent / "flows" / "Default Start Flow" / "pages" / "Confirm.json"
    edit(confirm, '"targetPage": "Human Help"', '"targetPage": "Human Hlep"')
    result = lint(tmp_path, agent, ["BL001"])
    assert result.errors == []
    [finding] = result.findings
    assert finding.path == "coffee-agent/flows/Default Start Flow/pages/Confirm.json"
    assert finding.line == line_of(confirm, "Human Hlep")
    assert "Human_Hlep" in finding.message
    # Naming one file of the project lints the project and reports that file only.
    assert [f.code for f in lint(tmp_path, confirm, ["BL001"]).findings] == ["BL001"]
    assert lint(tmp_path, agent / "agent.json", ["BL001"]).findings == []


def test_unreachable_page_and_long_message_point_at_their_files(tmp_path):
    agent = copy_agent(tmp_path)
    pages = agent / "flows" / "Opening Hours" / "pages"
    (pages / "Holidays.json").write_text('{\n  "displayName": "Holidays",\n  "entryFulfillment": {\n'
                                         '    "messages": [ { "text": { "text": [ "Closed on holidays." ] } } ]\n'
                                         '  }\n}\n', encoding="utf-8")
    edit(pages / "Hours.json", "We're open from 7 to 18, every day.", "Open daily. " * 180)
    result = lint(tmp_path, agent, ["BL501", "BL601"], config="language: en\nchannel: messenger\n")
    found = {(f.code, f.path.rsplit("/", 1)[-1], f.line) for f in result.findings}
    long_line = line_of(pages / "Hours.json", "Open daily.")
    assert found == {("BL501", "Holidays.json", 2), ("BL601", "Hours.json", long_line)}


# --- broken input --------------------------------------------------------------------------------


def test_a_broken_page_is_an_error_and_the_rest_is_still_linted(tmp_path):
    agent = copy_agent(tmp_path)
    page = agent / "flows" / "Default Start Flow" / "pages" / "Get Name.json"
    page.write_text('{\n  "displayName": "Get Name",\n  "form": { "parameters": [ }\n}\n', encoding="utf-8")
    result = lint(tmp_path, agent, ["BL001"])
    [error] = result.errors
    assert error.path == "coffee-agent/flows/Default Start Flow/pages/Get Name.json"
    assert (error.line, error.col) == (3, 29)  # the '}' where a value was expected
    # The other pages still import: their routes to the lost page are reported where they are.
    choose = START / "pages" / "Choose Size.json"
    assert sorted((f.path.rsplit("/", 1)[-1], f.line) for f in result.findings) == [
        ("Choose Size.json", line_of(choose, '"text": "Small"')),  # the chip's target
        ("Choose Size.json", line_of(choose, '"intent": "size.small"')),  # typed after a reprompt
        ("Choose Size.json", line_of(choose, '"targetPage": "Get Name"', 1)),  # where the large route goes on
    ]
    assert all("Get_Name" in f.message for f in result.findings)
    document, _ = imported(agent)
    assert [f.name for f in document.flows] == ["Default_Start_Flow", "Opening_Hours"]


def test_missing_flow_and_route_group_are_errors_with_positions(tmp_path):
    agent = copy_agent(tmp_path)
    shutil.rmtree(agent / "flows" / "Opening Hours")
    shutil.rmtree(agent / "flows" / "Default Start Flow" / "transitionRouteGroups")
    document, result = imported(agent)
    messages = sorted((e.message, e.path.rsplit("/", 1)[-1], e.line) for e in result.errors)
    start = START / "Default Start Flow.json"
    assert messages == [
        ("dialogflow-cx: route group 'Small Talk' is not in this agent", "Confirm.json",
         line_of(START / "pages" / "Confirm.json", '"Small Talk"')),
        ("dialogflow-cx: route names flow 'Opening Hours', which the agent does not define",
         "Default Start Flow.json", line_of(start, '"targetFlow"')),
    ]
    assert [f.name for f in document.flows] == ["Default_Start_Flow"]


def test_unexpected_shapes_do_not_crash(tmp_path):
    agent = copy_agent(tmp_path)
    (agent / "flows" / "Default Start Flow" / "pages" / "Odd.json").write_text(
        '{"displayName": "Odd", "entryFulfillment": {"messages": [{"text": {"text": "not a list"}}, 7,'
        ' {"payload": {"richContent": "x"}}, {"unknownKind": {}}], "conditionalCases": [{"cases": 3}]},'
        ' "form": {"parameters": [{"required": true, "fillBehavior": 5}, "x"]},'
        ' "transitionRoutes": [{"intent": "", "condition": 12, "targetPage": ["x"]}, "y"],'
        ' "eventHandlers": [{"event": "sys.no-match-default", "targetPage": 5}, null]}', encoding="utf-8")
    (agent / "flows" / "Empty").mkdir()
    (agent / "flows" / "Listy").mkdir()
    (agent / "flows" / "Listy" / "Listy.json").write_text("[]", encoding="utf-8")
    document, result = imported(agent)
    assert any(s.name == "Odd" for s in flow(document).steps)
    assert {e.path.rsplit("/", 1)[-1] for e in result.errors} == {"Empty", "Listy.json", "Odd.json"}
    # Valid JSON with values of the wrong type: each one is an error at its key.
    odd = sorted(e.message.removeprefix("dialogflow-cx: ") for e in result.errors if e.path.endswith("Odd.json"))
    assert odd == ["'cases' should be a list, not a number", "'condition' should be a string, not a number",
                   "'fillBehavior' should be an object, not a number", "'richContent' should be a list, not a string",
                   "'targetPage' should be a string, not a list", "'targetPage' should be a string, not a number",
                   "'text' of a text message should be a list, not a string",
                   "an item of 'eventHandlers' should be an object, not null",
                   "an item of 'messages' should be an object, not a number",
                   "an item of 'parameters' should be an object, not a string",
                   "an item of 'transitionRoutes' should be an object, not a string"]
    assert "dialogflow-cx: skipped 1 messages of type 'unknownKind' in agent" in result.notices


# --- the shared corpus ---------------------------------------------------------------------------


def test_every_corpus_agent_imports():
    corpus = corpus_dir()
    if corpus is None:
        pytest.skip("no corpus: set BOTLINT_CORPUS or put it at ../shared/corpus")
    agents = [unit.path for unit in discover([corpus], lambda path: False) if unit.format == "dialogflow-cx"]
    if not agents:
        pytest.skip("the corpus has no Dialogflow CX agent")
    for agent in agents:
        document, result = imported(agent)
        assert result.errors == [], agent
        assert document.flows and all(f.steps for f in document.flows), agent
        assert any(isinstance(node, (Say, Ask)) for f in document.flows for s in f.steps for node in s.do), agent


def test_set_parameter_actions_become_set_statements(tmp_path):
    agent = copy_agent(tmp_path)
    page = agent / "flows" / "Default Start Flow" / "pages" / "Choose Size.json"
    edit(page, '"entryFulfillment": {\n', '"entryFulfillment": {\n    "setParameterActions": [ {\n'
         '      "parameter": "$flow.drink-size",\n      "value": "medium"\n    } ],\n')
    document, _ = imported(agent)
    statements = [s for f in document.flows for st in f.steps for s in st.do if getattr(s, "set", None)]
    assert [(s.set, s.value, s.span.line) for s in statements] == [("drink_size", "medium", 5)]


# --- what CX fills, where it starts, what a flow call means --------------------------------------


def test_form_parameters_intents_and_called_flows_fill_what_later_messages_name(tmp_path):
    document, result = imported(LIBRARY)
    assert result.errors == []
    read = step(document, "Read_Card", "Card_Check").do
    # No prompt on the page: the person answers the caller's question; the answer fills the parameter,
    # anything else may match the route group's intent, else the reprompt handler's page.
    assert read[0].wait_for_reply is None
    assert (read[1].if_.var, read[1].then) == ("card_number", "Read_Card_card_number_other")
    assert read[2].set == "card_number"
    other = step(document, "Read_Card_card_number_other", "Card_Check").do
    assert [(other[0].if_.equals, other[0].then), other[1].goto] == [("cancel", "Cancelled"), "Card_Help"]
    # The intent's parameters become session parameters.
    assert [s.set for s in step(document, "Start_Page_renew_book").do[:1]] == ["book_title"]
    # The called flow ends with END_FLOW: it fills its parameters and CX checks the caller's routes again
    # (first those testing what only that flow gives: "Renew_returned", then the others).
    renew = step(document, "Renew").do
    assert renew[-1].goto == "Renew_routes"
    call = step(document, "Renew_route").do
    assert [s.set for s in call[:-1]] == ["card_number", "card_outcome"] and call[-1].goto == "Renew_returned"
    assert step(document, "Renew_returned").do[-1].goto == "Renew_routes"
    # The page asks nothing itself: the wait keeps what CX reads in the answer, which its intent routes test.
    waits = [s for s in step(document, "Renew_routes").do if hasattr(s, "wait_for_reply")]
    assert [w.capture for w in waits] == ["intent"]
    found = lint(tmp_path, LIBRARY, ["BL109", "BL501"])
    assert found.errors == [] and found.findings == []  # every page is reached, every placeholder is filled


def test_an_optional_parameter_is_not_captured(tmp_path):
    agent = Path(shutil.copytree(LIBRARY, tmp_path / "library-agent"))
    edit(agent / "flows" / "Card Check" / "pages" / "Read Card.json", '"required": true', '"required": false')
    [finding] = lint(tmp_path, agent, ["BL109"]).findings
    assert "{card_number}" in finding.message and finding.path.endswith("Read Card.json")


def test_pages_entered_from_another_flow_and_reprompt_targets_are_reachable(tmp_path):
    document, _ = imported(LIBRARY)
    start = step(document, "Start_Page", "Card_Check").do
    assert (start[0].if_.var, start[0].if_.equals, start[0].then) == ("entry_page", "Lost Card", "Lost_Card")
    agent = Path(shutil.copytree(LIBRARY, tmp_path / "library-agent"))
    edit(agent / "flows" / "Default Start Flow" / "Default Start Flow.json",
         '"targetFlow": "Card Check",\n    "targetPage": "Lost Card"', '"targetFlow": "Card Check"')
    [finding] = lint(tmp_path, agent, ["BL501"]).findings  # near miss: nothing enters there any more
    assert "'Lost_Card'" in finding.message


def test_the_start_trigger_is_the_greeting_or_the_bot_speaking_first(tmp_path):
    document, _ = imported(LIBRARY)
    trigger = flow(document).trigger
    assert (trigger.kind.value, trigger.keywords) == ("message", ["hello", "good morning", "hi there"])
    assert flow(document, "Card_Check").trigger.keywords == []  # entered from another flow, not by a greeting
    agent = copy_agent(tmp_path)
    edit(agent / "flows" / "Default Start Flow" / "Default Start Flow.json",
         '"description": "Takes coffee orders for the Corner Café.",',
         '"description": "Takes coffee orders for the Corner Café.",\n  "entryFulfillment": { "messages": '
         '[ { "text": { "text": [ "Hi, I am the café bot. Coffee?" ] } } ] },')
    document, _ = imported(agent)
    assert flow(document).trigger.kind.value == "start"
    first = step(document, "Start_Page").do
    assert first[0].say == "Hi, I am the café bot. Coffee?"
    # The person answers before the start page routes (in a step of its own: Opening Hours comes back to it).
    routes = step(document, first[1].goto).do
    assert routes[0].wait_for_reply is None and routes[1].goto == "Start_Page_listen"
    # The welcome route stays on the page: the person's next message is routed there, without the greeting.
    assert step(document, "Start_Page_listen").do[0].if_.equals == "Default Welcome Intent"
    assert step(document, "Start_Page_Default_Welcome_Intent").do[-1].goto == "Start_Page_listen"


def test_handoffs_escalation_and_live_agent():
    document, _ = imported(LIBRARY)
    staff = step(document, "Start_Page_staff").do
    assert staff[0].say == "I'll pass you to a librarian." and isinstance(staff[1], Handoff)
    human = step(imported()[0], "Human_Help").do  # liveAgentHandoff
    assert isinstance(human[1], Handoff) and human[1].handoff == "Baristas"


def test_an_agent_that_starts_in_a_playbook_is_linted_from_its_examples(tmp_path):
    document, result = imported(PLAYBOOK_AGENT)
    assert result.errors == []
    [example] = document.flows  # the Default Start Flow is never entered
    assert (example.name, example.title) == ("Plant_Doctor_Yellow_leaves", "Plant Doctor: Yellow leaves")
    assert example.description == "Help people find out why a house plant is unwell."
    assert (example.trigger.kind.value, example.trigger.keywords) == ("message", ["My fern has yellow leaves"])
    do = example.steps[0].do
    assert do[0].ask == "I'm the Green Thumb assistant, a bot. How often do you water your fern?"
    assert (do[1].action.value, do[1].text) == ("webhook", "lookup-plant")
    assert do[2].say.startswith("That's a bit much") and isinstance(do[3], End)
    assert result.notices == [
        "dialogflow-cx: skipped 1 code blocks in agent",
        "dialogflow-cx: skipped 1 flows the agent never enters (it starts in playbook 'Plant Doctor') in agent",
        "dialogflow-cx: skipped 1 playbook instructions (prompts for an LLM) in agent",
        "dialogflow-cx: skipped 1 playbook invocations in examples (linted where defined) in agent",
        "dialogflow-cx: skipped 1 tools (for playbooks) in agent",
    ]
    assert lint(tmp_path, PLAYBOOK_AGENT, ["BL501", "BL503"]).findings == []


def test_a_flow_a_playbook_invokes_is_linted(tmp_path):
    agent = Path(shutil.copytree(PLAYBOOK_AGENT, tmp_path / "garden"))
    edit(agent / "playbooks" / "Plant Doctor" / "Plant Doctor.json", '"referencedTools"',
         '"referencedFlows": [ "Default Start Flow" ],\n  "referencedTools"')
    document, result = imported(agent)
    assert [f.name for f in document.flows] == ["Plant_Doctor_Yellow_leaves", "Default_Start_Flow"]
    assert not any("never enters" in notice for notice in result.notices)


def test_wrong_types_in_valid_json_are_errors_with_positions(tmp_path):
    agent = copy_agent(tmp_path)
    confirm = agent / "flows" / "Default Start Flow" / "pages" / "Confirm.json"
    text = confirm.read_text(encoding="utf-8")
    confirm.write_text(text.replace('"transitionRoutes": [', '"transitionRoutes": "oops", "x": [', 1), encoding="utf-8")
    result = lint(tmp_path, agent, ["BL001"])
    [error] = result.errors
    assert error.message == "dialogflow-cx: 'transitionRoutes' should be a list, not a string"
    assert error.path.endswith("Confirm.json") and error.line == line_of(confirm, '"transitionRoutes"')


# --- staying on a page, conditions, values a called flow reports ----------------------------------


def test_a_route_without_target_stays_without_repeating_the_entry_or_the_form(tmp_path):
    agent = copy_agent(tmp_path)
    page = agent / "flows" / "Default Start Flow" / "pages" / "Get Name.json"
    edit(page, '"webhook": "save-order"\n    },\n    "targetPage": "Confirm"', '"webhook": "save-order"\n    }')
    document, _ = imported(agent)
    done = step(document, "Get_Name_email_answered").do
    # The form is complete: thanks, the webhook, then the page's routes once the person writes, not its form.
    assert done[0].say == "Thanks, {customer_name}!" and done[1].action.value == "webhook"
    assert done[2].wait_for_reply is None and done[3].goto == "Get_Name_listen"
    listen = step(document, "Get_Name_listen").do
    assert [node.if_.equals for node in listen[:-1]] == ["order.coffee", "talk.human", "opening.hours"]
    assert step(document, "Get_Name_wait").do[-1].goto == "Get_Name_listen"  # unmatched: wait again, no re-asking
    # Near miss: with its target the route moves on, and the page has no routes step of its own.
    document, _ = imported()
    assert step(document, "Get_Name_email_answered").do[-1].goto == "Confirm"
    assert "Get_Name_listen" not in {s.name for s in flow(document).steps}


def test_a_matched_route_without_target_runs_and_the_later_routes_are_still_checked(tmp_path):
    agent = copy_agent(tmp_path)
    page = agent / "flows" / "Default Start Flow" / "pages" / "Confirm.json"
    edit(page, '"transitionRoutes": [', '"transitionRoutes": [ { "condition": "$session.params.customer-name != null '
         'AND $session.params.visits > 3", "triggerFulfillment": { "setParameterActions": [ { "parameter": "regular", '
         '"value": true }, { "parameter": "visits", "value": 0 } ] } },')
    document, _ = imported(agent)
    confirm = step(document, "Confirm").do
    # One comparison of the AND that shows a value is set stands for it (the analysis reads that guard).
    test = confirm[-2].if_
    assert (test.var, test.not_equals) == ("customer_name", "null")
    ran = step(document, confirm[-2].then).do
    assert [(node.set, node.value) for node in ran[:2]] == [("regular", "true"), ("visits", "0")]
    assert ran[2].goto == confirm[-1].goto == "Confirm_next"  # then on to the next route, no waiting
    assert isinstance(step(document, "Confirm_next").do[0], Branch)


@pytest.mark.parametrize(("text", "expected"), [
    ('$session.params.pin != null', {"var": "pin", "not_equals": "null"}),
    ('$page.params.size = "large"', {"var": "size", "equals": "large"}),
    ('$flow.zip-code : *', {"var": "zip_code", "not_equals": ""}),
    ('NOT $flow.zip-code : *', {"var": "zip_code", "equals": ""}),
    ('($flow.vip = true)', {"var": "vip", "equals": "true"}),
    ('$flow.tries < 3 AND $flow.pin != null', {"var": "pin", "not_equals": "null"}),
    ('$page.params.status = "FINAL" AND true', None),
    # near misses: kept as written (no comparison shows a value is set, or an OR)
    ('$flow.pin = null AND $flow.tries < 3', {"var": "condition", "equals": "$flow.pin = null AND $flow.tries < 3"}),
    ('$flow.a = "x" OR $flow.b = "y"', {"var": "condition", "equals": '$flow.a = "x" OR $flow.b = "y"'}),
    ('$sys.func.COUNT($flow.list) > 0', {"var": "condition", "equals": "$sys.func.COUNT($flow.list) > 0"}),
])
def test_route_conditions_become_model_conditions(text, expected):
    from linter.parse.importers.dialogflow_cx import _condition
    assert _condition(text) == expected


def ok_branches(document, name: str) -> list:
    return [node for node in step(document, name).do if isinstance(node, Branch) and node.if_.equals == "ok"]


def test_a_value_only_the_called_flow_gives_proves_it_ran(tmp_path):
    document, _ = imported(LIBRARY)
    # The card check reports "ok": only on the way back from it, after it filled the card number.
    assert [node.then for node in ok_branches(document, "Renew_returned")] == ["Renewed"]
    assert ok_branches(document, "Renew_routes") == [] and ok_branches(document, "Renew_listen") == []
    # The flow's card.lost route calls the card check from this page too: it comes back here.
    lost = step(document, "Renew_card_lost").do
    assert [node.set for node in lost[:-1]] == ["card_number", "card_outcome"] and lost[-1].goto == "Renew_returned"
    # Near miss: a value the calling flow sets itself proves nothing about the called flow.
    agent = Path(shutil.copytree(LIBRARY, tmp_path / "library-agent"))
    edit(agent / "flows" / "Default Start Flow" / "pages" / "Renew.json", '"triggerFulfillment": {},\n    "targetPage"',
         '"triggerFulfillment": { "setParameterActions": [ { "parameter": "card-outcome", "value": "ok" } ] },\n'
         '    "targetPage"')
    document, _ = imported(agent)
    assert len(ok_branches(document, "Renew_routes")) == 1
    assert not any(s.name == "Renew_returned" for s in flow(document).steps)


def test_after_a_form_a_value_only_the_called_flow_gives_stays_in_place_and_proves_it_ran(tmp_path):
    agent = Path(shutil.copytree(LIBRARY, tmp_path / "library-agent"))
    edit(agent / "flows" / "Default Start Flow" / "pages" / "Renew.json", '"displayName": "Renew",',
         '"displayName": "Renew", "form": { "parameters": [ { "displayName": "branch", "required": true, '
         '"fillBehavior": { "initialPromptFulfillment": { "messages": [ { "text": { "text": [ "Which branch?" ] } } ] '
         '} } } ] },')
    document, _ = imported(agent)
    # The routes come after the person's answer: checked there, and "ok" shows the card check ran.
    ok = ok_branches(document, "Renew_routes")
    filled = step(document, ok[0].then).do
    assert [node.set for node in filled[:-1]] == ["card_number", "card_outcome"] and filled[-1].goto == "Renewed"
    assert not any(s.name == "Renew_returned" for s in flow(document).steps)


def test_a_route_on_what_only_a_called_flow_gives_is_not_checked_on_entry(tmp_path):
    # The bakery's flow-level "hold on" route calls the Hold Music flow, which sets back-from-hold when
    # the person is back; Cake Order then replays its question. On entry that flag is unset.
    document, result = imported(BAKERY)
    assert result.errors == []
    order = step(document, "Cake_Order").do
    assert order[0].set == "last_question" and [type(node) for node in order[1:]] == [Say, Say, Say, Goto]
    assert order[-1].goto == "Cake_Order_routes"  # the entry messages, then the routes the entry checks: none
    assert not any(isinstance(node, Branch) for node in step(document, "Cake_Order_routes").do)
    hold = step(document, "Cake_Order_hold_on").do  # the hold music comes back to this page
    assert [node.set for node in hold[:-1]] == ["back_from_hold"] and hold[-1].goto == "Cake_Order_returned"
    returned = step(document, "Cake_Order_returned").do
    assert (returned[0].if_.var, returned[0].if_.equals) == ("back_from_hold", "true")
    assert step(document, returned[0].then).do[0].say == "{last_question}"
    assert lint(tmp_path, BAKERY, ["BL106", "BL501"]).findings == []  # the replay is not a 4th bubble on entry


@pytest.mark.parametrize("where, old, new", [
    # The page's own flow sets the flag: it may hold on entry.
    (("flows", "Default Start Flow", "Default Start Flow.json"),
     '"intent": "order.cake",\n    "triggerFulfillment": {}',
     '"intent": "order.cake",\n    "triggerFulfillment": { "setParameterActions": [ '
     '{ "parameter": "back-from-hold", "value": false } ] }'),
    # An intent the flow routes extracts it from what the person says.
    (("intents", "order.cake", "order.cake.json"), '"id": "cake-size"', '"id": "back-from-hold"'),
    # A flow that leads to this one sets it: the hold music can start the order over, flag and all.
    (("flows", "Hold Music", "Hold Music.json"), '"targetPage": "Waiting"\n  }',
     '"targetPage": "Waiting"\n  }, {\n    "intent": "start.over",\n    "triggerFulfillment": {},\n'
     '    "targetFlow": "Default Start Flow"\n  }'),
])
def test_a_route_on_a_value_set_before_the_page_is_still_checked_on_entry(tmp_path, where, old, new):
    agent = Path(shutil.copytree(BAKERY, tmp_path / "bakery-agent"))
    edit(agent.joinpath(*where), old, new)
    document, _ = imported(agent)
    routes = step(document, "Cake_Order").do
    assert [(node.if_.var, node.if_.equals) for node in routes if isinstance(node, Branch)] == \
        [("back_from_hold", "true")]
    assert not any(s.name == "Cake_Order_returned" for s in flow(document).steps)
    found = lint(tmp_path, agent, ["BL106"]).findings
    assert [(f.code, f.line) for f in found] == [("BL106", line_of(agent / "flows" / "Default Start Flow" / "pages" /
                                                                   "Cake Order.json", "last-question", 1))]


def test_the_page_message_comes_right_before_an_escalation(tmp_path):
    agent = copy_agent(tmp_path)
    edit(agent / "flows" / "Default Start Flow" / "pages" / "Human Help.json", '''}, {
      "liveAgentHandoff": {
        "metadata": {
          "team": "Baristas"
        }
      }
    } ]
  }''', '''} ]
  },
  "transitionRoutes": [ { "condition": "true", "triggerFulfillment": { "setParameterActions": [
    { "parameter": "handed-over", "value": true } ] }, "targetPage": "END_FLOW_WITH_HUMAN_ESCALATION" } ]''')
    document, _ = imported(agent)
    human = step(document, "Human_Help").do
    assert (human[0].set, human[1].say) == ("handed_over", "I'm handing you over to our baristas; they answer "
                                                           "here within 10 minutes.")
    assert isinstance(human[2], Handoff)
    assert lint(tmp_path, agent, ["BL304"]).findings == []
    # Near miss: a message that shows the value set after it stays before that set.
    edit(agent / "flows" / "Default Start Flow" / "pages" / "Human Help.json", "within 10 minutes.",
         "within 10 minutes ($session.params.handed-over).")
    human = step(imported(agent)[0], "Human_Help").do
    assert "say" in human[0].model_fields_set and human[1].set == "handed_over" and isinstance(human[2], Handoff)


def test_bl201_a_start_page_route_for_another_intent_answers_it_and_the_welcome_one_opens(tmp_path):
    # The start page routes the person's first message by intent: its "talk.human" route answers
    # someone who asked for a person (here, with prices), while the welcome route answers a greeting.
    agent = copy_agent(tmp_path)
    welcome = agent / "intents" / "Default Welcome Intent"
    (welcome / "trainingPhrases").mkdir(parents=True)
    (welcome / "Default Welcome Intent.json").write_text('{"name": "w", "displayName": "Default Welcome Intent"}',
                                                        encoding="utf-8")
    phrases = ", ".join('{"parts": [{"text": "%s"}]}' % phrase for phrase in ("hi", "hello", "hey there"))
    (welcome / "trainingPhrases" / "en.json").write_text('{"trainingPhrases": [%s]}' % phrases, encoding="utf-8")
    start = agent / "flows" / "Default Start Flow" / "Default Start Flow.json"
    edit(start, '"Sure, let me find a barista for you."',
         '"Sure! A barista session costs 15 EUR, and a cupping is 20% off today."')
    assert [f.code for f in lint(tmp_path, agent, ["BL201"]).findings] == []
    edit(start, '"Hi! Fancy a coffee?"', '"Hi! Flat whites are 3.50 EUR, 20% off today."')
    [finding] = lint(tmp_path, agent, ["BL201"]).findings
    assert finding.line == line_of(start, "Flat whites") and "more than a greeting" in finding.message
