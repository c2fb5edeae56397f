"""Bot Framework Composer bots: detection, the model they become, positions, broken input, the corpus.

The fixture tests/fixtures/composer/plantbot is a small hand-written Composer bot (a plant shop):
a root dialog with a welcome loop, intents, suggested actions, a handoff, an unsupported custom action
and a missing dialog; an `order` dialog (text/choice/confirm inputs with retry prompts, a branch, an
HTTP request, EndDialog, RepeatDialog, an interruption trigger); a `tips` dialog nobody begins
(switch, foreach with break, EndTurn, a GotoAction to a missing action); .lg files in two languages.
tests/fixtures/composer/bakerybot (a bakery) holds a welcome card, a retry prompt that repeats its question,
an event emitted and handled by its dialog, a call transfer, and a RepeatDialog from an interruption.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import corpus_dir
from linter.engine.discover import discover
from linter.engine.runner import lint_paths
from linter.engine.settings import Overrides, SettingsResolver
from linter.model.flow import Ask, Branch, End, Goto, Handoff, SetVariable, WaitForReply
from linter.parse import import_unit
from linter.parse.importers import folder_importer
from linter.parse.importers.composer.lg import first_variation, parse_lg
from linter.parse.importers.composer.project import claims_folder

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "composer"
BOT = FIXTURES / "plantbot"
BAKERY = FIXTURES / "bakerybot"
LG = BOT / "language-generation" / "en-us" / "plantbot.en-us.lg"
ORDER_LG = BOT / "dialogs" / "order" / "language-generation" / "en-us" / "order.en-us.lg"


def imported(path: Path = BOT):
    parsed, result = import_unit(path, "plantbot", "composer")
    return parsed.document, result


def flow(document, name: str):
    return next(f for f in document.flows if f.name == name)


def steps(flow_):
    return {step.name: step for step in flow_.steps}


def copy_bot(tmp_path: Path) -> Path:
    return Path(shutil.copytree(BOT, tmp_path / "plantbot"))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    return next(number for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if needle in line)


def lint(tmp_path: Path, target: Path, select: list[str], config: str = "language: en\n"):
    (tmp_path / ".botlint.yaml").write_text(config, encoding="utf-8")
    return lint_paths([target], SettingsResolver(Overrides(select=select), cwd=tmp_path))


# --- detection ------------------------------------------------------------------------------------


def test_claims_the_bot_folder_and_nothing_else(tmp_path):
    assert folder_importer(BOT).name == "composer"
    assert not claims_folder(BOT / "dialogs" / "order")  # a dialog's own folder inside the bot
    assert not claims_folder(BOT / "recognizers")
    assert not claims_folder(FIXTURES)
    for other in ("dialogflow_cx/coffee-agent", "rasa", "typebot", "botpress"):
        assert not claims_folder(FIXTURES.parent / other)
    # A recognizer-only .dialog beside language-generation/ is not a bot.
    stub = tmp_path / "stub"
    (stub / "language-generation").mkdir(parents=True)
    (stub / "stub.dialog").write_text('{"$kind": "Microsoft.LuisRecognizer"}', encoding="utf-8")
    assert not claims_folder(stub)
    units = list(discover([FIXTURES], lambda path: False))
    assert sorted((unit.path.name, unit.format) for unit in units) == [("bakerybot", "composer"),
                                                                       ("plantbot", "composer")]


def test_a_file_inside_the_bot_is_linted_with_its_bot(tmp_path):
    bot = copy_bot(tmp_path)
    tips = bot / "dialogs" / "tips" / "tips.dialog"
    [unit] = list(discover([tips], lambda path: False))
    assert (unit.path, unit.format, unit.only) == (bot.resolve(), "composer", frozenset({tips.resolve()}))
    result = lint(tmp_path, tips, ["BL001", "BL304"])
    assert {(f.path.split("/")[-1], f.code) for f in result.findings} == {("tips.dialog", "BL001")}


# --- the model ------------------------------------------------------------------------------------


def test_one_flow_per_trigger_begun_dialogs_inlined():
    document, result = imported()
    assert [f.name for f in document.flows] == [
        "plantbot-conversation-update", "plantbot-Order", "plantbot-Help", "plantbot-Agent", "plantbot-Care",
        "plantbot-unknown-intent", "order-Cancel", "tips-begin"]  # "Later" has no actions; order is inlined
    order = flow(document, "plantbot-Order")
    assert (order.trigger.kind.value, order.trigger.value, order.language) == ("message", "Order", "en")
    greet = flow(document, "plantbot-conversation-update")
    assert greet.title == "Greet newcomers" and "bot speaks first" in greet.description
    assert greet.trigger.kind.value == "start"  # someone joined: the bot speaks first
    assert result.files == 7  # 3 dialogs, 4 .lg files of en-us (the recognizer stub and de-de unread)


def test_texts_come_from_the_lg_files():
    document, _ = imported()
    by_name = steps(flow(document, "plantbot-conversation-update"))
    [welcome, back] = by_name["plantbot_then"].do
    # A template that only calls another one; a ``` multi-line variation.
    assert welcome.say == "Hi, I'm Fernly, the plant shop bot 🌿\nAsk me to order a plant, or for a gardener."
    assert back.goto == "plantbot_loop"
    [test] = by_name["plantbot_loop"].do
    assert (test.then, test.else_) == ("plantbot_loop_body", "end")
    # The first variation of several; en-us wins over de-de (settings say en-us).
    [sorry, end] = steps(flow(document, "plantbot-unknown-intent"))["unknown-intent"].do
    assert sorry.say == 'Sorry, I do not know that one. Try "order" or "help".' and isinstance(end, End)
    # A structured activity: its first Text variation, and its suggested actions as replies.
    [help_, _] = steps(flow(document, "plantbot-Help"))["Help"].do
    assert isinstance(help_, Ask) and help_.ask == "I can take plant orders or fetch a gardener."
    assert [(o.label, o.goto) for o in help_.replies] == [("Order a plant", None), ("Talk to a gardener", None)]


def test_inputs_branches_and_the_return_from_a_dialog():
    document, _ = imported()
    by_name = steps(flow(document, "plantbot-Order"))
    assert [step.name for step in flow(document, "plantbot-Order").steps] == [
        "Order", "order", "order_retry", "order_next", "order_chosen", "order_retry_2", "order_next_2",
        "order_then", "order_else", "plantbot_next"]
    assert [s.goto for s in by_name["Order"].do] == ["order"]
    plant, name = by_name["order"].do
    assert isinstance(plant, SetVariable) and plant.set == "dialog_plant"  # BeginDialog options
    assert (name.ask, name.capture, name.expect) == ("Lovely! Who should the plant be addressed to?", "user_name",
                                                     "text")
    assert (name.then, name.otherwise) == ("order_next", "order_retry")  # the invalid prompt is the retry
    [retry] = by_name["order_retry"].do
    assert retry.ask == "Sorry, '{this_value|value}' is too short for a name. Who is it for?"
    size, confirm = by_name["order_next"].do
    assert (size.ask, size.capture, [o.label for o in size.replies]) == (
        "Which pot size, {user_name}?", "dialog_size", ["Small", "Medium", "Large"])
    # A parameterised template (Greeting(user)): its first branch, the parameter bound; the branch's
    # IF checks user.name, so the placeholder there cannot come out empty (a fallback says so).
    assert confirm.ask == "Hello {user_name|name}! Shall I send a {dialog_size} {dialog_plant} to you?"
    assert [(o.label, o.goto) for o in confirm.replies] == [("Yes", "order_chosen"), ("No", "order_chosen")]
    assert [s.set for s in by_name["order_chosen"].do if isinstance(s, SetVariable)] == ["dialog_confirmed"]
    [test] = by_name["order_next_2"].do
    assert isinstance(test, Branch) and (test.if_.var, test.if_.equals) == ("dialog_confirmed", "true")
    webhook, receipt, done, back = by_name["order_then"].do
    assert (webhook.action.value, webhook.text, receipt.set) == ("webhook", "https://plants.example.com/orders",
                                                                 "dialog_receipt")
    # A property under one the bot filled names that one; computed values get a fallback.
    assert done.say == "Done! Your order number is {dialog_receipt}. You have {count_user_orders|N} orders with us."
    assert back.goto == "plantbot_next"  # EndDialog returns to the caller's next action
    *sets, repeat = by_name["order_else"].do
    assert [(s.set, s.value) for s in sets] == [("dialog_size", "Medium"), ("dialog_attempts", None)]
    assert repeat.goto == "order"  # RepeatDialog starts the dialog again
    said, end = by_name["plantbot_next"].do
    assert said.say == "Anything else I can do for your plants, {user_name}?" and isinstance(end, End)


def test_handoff_switch_loop_and_jumps():
    document, _ = imported()
    said, handoff = steps(flow(document, "plantbot-Agent"))["Agent"].do  # nothing after the handoff
    assert isinstance(handoff, Handoff) and handoff.handoff == "Gardeners"
    tips = steps(flow(document, "tips-begin"))
    summer, winter, default = tips["begin"].do
    assert (summer.if_.var, summer.if_.equals, summer.then) == ("user_season", "summer", "tips_case_summer")
    assert isinstance(default, Goto) and default.goto == "tips_default"
    [loop] = tips["tips_loop"].do
    assert (loop.then, loop.else_) == ("tips_loop_body", "tips_next_2")
    assert [s.goto for s in tips["tips_then"].do] == ["tips_next_2"]  # BreakLoop
    assert tips["tips_next_3"].do[0].say == "Your {dialog_foreach_value} needs a look."
    wait, jump = tips["tips_next_2"].do  # EndTurn waits; TraceActivity is skipped quietly
    assert isinstance(wait, WaitForReply) and wait.wait_for_reply is None
    assert jump.goto == "no-such-action"  # a GotoAction to no action: BL001 reports it


def test_lg_parsing():
    lg = parse_lg("[import](common.lg)\n> note\n# Pick(a, b)\n- IF: ${a}\n    - first ${b}\n- ELSE:\n"
                  "    - second\n\n# Card\n[HeroCard\n    title = Fern\n    text = A fern\n]\n", "x.lg")
    assert lg.imports == ["common.lg"] and list(lg.templates) == ["Pick", "Card"]
    assert lg.templates["Pick"].params == ["a", "b"]
    pick = first_variation(lg.templates["Pick"])
    assert (pick.text, pick.span["line"], pick.span["col"]) == ("first ${b}", 5, 7)
    card = first_variation(lg.templates["Card"])
    assert card.kind == "HeroCard" and card.fields["title"][0] == "Fern"


def bakery():
    parsed, result = import_unit(BAKERY, "bakerybot", "composer")
    return parsed.document, result


def test_the_welcome_is_where_the_bot_speaks_first(tmp_path):
    document, result = bakery()
    welcome = flow(document, "bakerybot-conversation-update")
    assert welcome.trigger.kind.value == "start" and result.errors == []
    # So opener rules judge its first message as unprompted (with `message` it was "before the person replied").
    bot = Path(shutil.copytree(BAKERY, tmp_path / "bakerybot"))
    edit(bot / "language-generation" / "en-us" / "bakerybot.en-us.lg", "Fresh bread every morning",
         "Buy now: 20% off every loaf, today only")
    found = lint(tmp_path, bot, ["BL201"]).findings
    assert [f.message.split(":")[0] for f in found] == ["pitch before the person has said anything"]


def test_card_title_subtitle_and_text_are_separate_texts():
    from linter.model.text import sentences

    document, _ = bakery()
    [card, _] = steps(flow(document, "bakerybot-conversation-update"))["conversation-update"].do
    assert card.say == ("Corner Bakery\n\nFresh bread every morning\n\n"
                        "Ask me to order a loaf or to call the shop")
    assert len(sentences(card.say)) == 3  # three lines of a card, not one run-on sentence


def test_a_call_transfer_is_a_handoff():
    document, _ = bakery()
    said, transfer = steps(flow(document, "bakerybot-Call"))["Call"].do  # what follows is never said
    assert said.say == "Putting you through to the shop now." and isinstance(transfer, Handoff)


def test_a_retry_prompt_that_repeats_the_question_is_the_plain_reask(tmp_path):
    document, _ = bakery()
    ask = steps(flow(document, "bakerybot-Order"))["Order"].do[0]
    assert (ask.ask, ask.capture, ask.otherwise) == ("Which loaf would you like to order?", "user_loaf", None)
    assert not [s for s in flow(document, "bakerybot-Order").steps if "retry" in s.name]
    assert lint(tmp_path, BAKERY, ["BL107"]).findings == []
    # A retry prompt in other words stays a step of its own (plantbot's order dialog): the near miss.
    order = steps(flow(imported()[0], "plantbot-Order"))
    assert order["order"].do[1].otherwise == "order_retry"


def test_an_emitted_event_runs_its_handler_in_place(tmp_path):
    document, _ = bakery()
    assert "bakerybot-LoadOrder" not in [f.name for f in document.flows]  # no flow of its own
    order = flow(document, "bakerybot-Order")
    assert [s.name for s in order.steps] == ["Order", "lookup", "bakerybot_returned", "bakerybot_next",
                                             "bakerybot_then", "end"]
    # The handler's BeginDialog stores its result, which fills the fields under it (dialog.order.size).
    assert [s.set for s in steps(order)["bakerybot_returned"].do[:2]] == ["dialog_order", "dialog_order_size"]
    [test] = steps(order)["bakerybot_next"].do
    assert (test.if_.var, test.if_.not_equals, test.then) == ("dialog_order", "", "bakerybot_then")  # exists()
    assert [f for f in lint(tmp_path, BAKERY, ["BL109"]).findings if f.flow == "bakerybot-Order"] == []


def test_repeat_dialog_from_an_interruption_starts_the_dialog_over():
    document, _ = bakery()
    again = steps(flow(document, "pickup-Again"))
    assert again["Again"].do[0].goto == "pickup"
    assert again["pickup"].do[0].ask == "When will you come by?"  # its OnBeginDialog, not the trigger again


@pytest.mark.parametrize("change, needle, message", [
    (lambda d: d.update(triggers="oops"), '"triggers": "oops"', "'triggers' of the dialog should be a list, not a"),
    (lambda d: d["triggers"].insert(1, 5), "  5,", "triggers[1] of the dialog should be an object, not a number"),
    (lambda d: d["triggers"][1].update(actions={"x": 1}), '"actions": {', "'actions' of 'Microsoft.OnIntent'"),
    (lambda d: d["triggers"][1]["actions"][2].update(actions="none"), '"actions": "none"',
     "'actions' of 'Microsoft.IfCondition' should be a list, not a string"),
    (lambda d: d["triggers"][1]["actions"][0].update(property=["x"]), '"property": [',
     "'property' of 'Microsoft.TextInput' should be a string, not a list"),
], ids=["triggers", "trigger", "actions", "nested-actions", "property"])
def test_wrong_json_types_in_a_dialog_are_errors_at_their_place(tmp_path, change, needle, message):
    bot = Path(shutil.copytree(BAKERY, tmp_path / "bakerybot"))
    path = bot / "bakerybot.dialog"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    text = json.dumps(data, indent=2)
    path.write_text(text, encoding="utf-8")
    parsed, result = import_unit(bot, "bakerybot", "composer")
    [error] = result.errors
    assert message in error.message and error.path.endswith("bakerybot.dialog"), error.message
    assert (error.line, error.col is not None) == (text[:text.index(needle)].count("\n") + 1, True)
    assert parsed.document.flows  # the rest is still read


def test_an_action_that_is_not_an_object_is_one_notice(tmp_path):
    bot = Path(shutil.copytree(BAKERY, tmp_path / "bakerybot"))
    call = '"actions": [\n        { "$kind": "Microsoft.SendActivity", "$designer": { "id": "bk0041" }'
    edit(bot / "bakerybot.dialog", call, call.replace("[", "[7, 8,", 1))
    _, result = import_unit(bot, "bakerybot", "composer")
    assert result.errors == [] and result.notices == ["composer: skipped 2 actions that are not objects in bakerybot"]


# --- positions ------------------------------------------------------------------------------------


def test_findings_point_into_the_dialog_files(tmp_path):
    bot = copy_bot(tmp_path)
    result = lint(tmp_path, bot, ["BL001", "BL304"])
    tips = bot / "dialogs" / "tips" / "tips.dialog"
    found = {(f.code, f.path, f.line) for f in result.findings}
    assert ("BL001", str(tips.relative_to(tmp_path)), line_of(tips, "Microsoft.GotoAction")) in found
    agent = bot / "plantbot.dialog"
    assert ("BL304", str(agent.relative_to(tmp_path)), line_of(agent, "Microsoft.SendHandoffActivity")) in found


def test_overlong_message_points_at_its_lg_line(tmp_path):
    bot = copy_bot(tmp_path)
    lg = bot / "dialogs" / "order" / "language-generation" / "en-us" / "order.en-us.lg"
    edit(lg, "- No problem, I've dropped the order.", "- No problem. " + "Really, no problem at all. " * 90)
    result = lint(tmp_path, bot, ["BL601"], "language: en\nchannel: messenger\n")
    [finding] = result.findings
    assert (finding.path, finding.line, finding.col) == (str(lg.relative_to(tmp_path)), line_of(lg, "Really"), 3)


def test_lg_comments_suppress_findings(tmp_path):
    bot = copy_bot(tmp_path)
    result = lint(tmp_path, bot, ["BL110"])
    assert [f.path.split("/")[-1] for f in result.findings] == ["tips.dialog"]  # "it is", not the .lg's "do not"
    edit(bot / "language-generation" / "en-us" / "plantbot.en-us.lg", "> botlint: disable-next-line=BL110\n", "")
    result = lint(tmp_path, bot, ["BL110"])
    assert sorted(f.path.split("/")[-1] for f in result.findings) == ["plantbot.en-us.lg", "tips.dialog"]


# --- broken input ---------------------------------------------------------------------------------


def test_missing_dialog_is_a_finding_and_unknown_actions_a_notice(tmp_path):
    # A dialog the bot begins but does not have is a bug in the bot (BL003), not an unreadable
    # file: the rest of the project is read and linted.
    document, result = imported()
    assert result.errors == []
    [missing] = flow(document, "plantbot-Care").missing
    assert (missing.kind, missing.name) == ("flow", "careguide.dialog")
    assert result.notices == ["composer: skipped 2 actions of unsupported type 'Fernly.PlantLookup' in plantbot"]
    assert [type(s) for s in steps(flow(document, "plantbot-Care"))["Care"].do] == [End]
    [finding] = lint(tmp_path, copy_bot(tmp_path), ["BL003"]).findings
    assert (finding.path.split("/")[-1], finding.line) == ("plantbot.dialog", line_of(BOT / "plantbot.dialog",
                                                                                      '"dialog": "careguide"'))
    assert finding.message == "flow 'careguide.dialog' is used here, which the bot does not have"


def test_broken_dialog_is_reported_and_the_rest_is_linted(tmp_path):
    bot = copy_bot(tmp_path)
    order = bot / "dialogs" / "order" / "order.dialog"
    edit(order, '"autoEndDialog": true,', '"autoEndDialog": true,,')
    result = lint(tmp_path, bot, ["BL001"])
    messages = [(e.path.split("/")[-1], e.line, e.message) for e in result.errors]
    assert [(name, line) for name, line, _ in messages] == [("order.dialog", line_of(order, "autoEndDialog"))]
    assert [f.code for f in result.findings] == ["BL001"]  # tips.dialog is still linted
    # What begins the unreadable dialog is not also a missing one: its error says what is wrong.
    assert [f.message for f in lint(tmp_path, bot, ["BL003"]).findings] == [
        "flow 'careguide.dialog' is used here, which the bot does not have"]  # the fixture's own missing one


def test_broken_lg_and_missing_templates(tmp_path):
    bot = copy_bot(tmp_path)
    lg = bot / "dialogs" / "order" / "language-generation" / "en-us" / "order.en-us.lg"
    lg.write_bytes(b"# TextInput_Prompt_or0003()\n- caf\xe9\n")  # not UTF-8
    document, result = imported(bot)
    messages = [e.message for e in result.errors]
    assert any("not valid UTF-8" in message for message in messages)
    assert any("template 'SendActivity_or0021' is not defined in order.lg" in message for message in messages)
    assert flow(document, "tips-begin").steps  # the rest is read


def test_unexpected_shapes_never_crash(tmp_path):
    bot = copy_bot(tmp_path)
    tips = bot / "dialogs" / "tips" / "tips.dialog"
    edit(tips, '"cases": [', '"cases": [7, {"value": 3, "actions": "none"},')
    edit(tips, '"itemsProperty": "user.plants",', '"itemsProperty": ["odd"],')
    edit(bot / "dialogs" / "order" / "order.dialog", '"choices": [', '"choices": [null, {"value": 5}, ')
    edit(bot / "plantbot.dialog", '"activity": "${SendActivity_pb0012()}"', '"activity": {"text": "Bye!"}')
    (bot / "dialogs" / "odd").mkdir()
    (bot / "dialogs" / "odd" / "odd.dialog").write_text('{"$kind": "Microsoft.AdaptiveDialog", "triggers": '
                                                        '[1, {"$kind": "Microsoft.OnIntent", "actions": [2, []]}]}',
                                                        encoding="utf-8")
    (bot / "dialogs" / "list.dialog").write_text("[1, 2]", encoding="utf-8")
    document, result = imported(bot)
    assert flow(document, "tips-begin").steps and not [e for e in result.errors if "cannot read" in e.message]
    assert steps(flow(document, "plantbot-Order"))["plantbot_next"].do[0].say == "Bye!"
    assert any("actions that are not objects" in notice for notice in result.notices)


# --- the shared corpus ----------------------------------------------------------------------------


def test_every_corpus_bot_imports():
    corpus = corpus_dir()
    if corpus is None:
        pytest.skip("no corpus: set BOTLINT_CORPUS or put it at ../shared/corpus")
    bots = sorted(unit.path for unit in discover([corpus / "botframework"], lambda path: False)
                  if unit.format == "composer")
    if not bots:
        pytest.skip("the corpus holds no Composer bots")
    dialogs = {path.resolve() for path in (corpus / "botframework").rglob("*.dialog")
               if path.name.count(".") == 1}
    covered = set()
    for bot in bots:
        document, result = imported(bot)
        assert document.flows and all(f.steps for f in document.flows), bot
        assert not result.errors, (bot, result.errors)
        covered |= {path.resolve() for path in bot.rglob("*.dialog")}
    assert dialogs <= covered  # every adaptive dialog of the corpus belongs to a bot that was read
