"""Rasa projects: detection, the model they become, positions, broken input, the corpus."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from conftest import corpus_dir, lint_tree
from linter.engine.discover import discover
from linter.engine.runner import lint_paths
from linter.engine.settings import Overrides, SettingsResolver
from linter.model.flow import Action, Ask, Branch, End, Goto, Handoff, Say, SetVariable, TriggerKind, WaitForReply
from linter.parse import import_unit
from linter.parse.importers import folder_importer
from linter.parse.importers.rasa import claims_folder

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CAFE = FIXTURES / "rasa" / "cafe"  # Rasa 3 stories, rules, a form, buttons
NEWSLETTER = FIXTURES / "rasa" / "newsletter"  # Rasa Pro CALM flows, a domain/ folder, German
LIBRARY = FIXTURES / "rasa" / "library_md"  # Rasa 1.x Markdown, domain in core/, NLU in nlu/
MUSEUM = FIXTURES / "rasa" / "museum_split"  # Rasa Pro: domain/ with fragments, Rasa's default patterns


def load(path: Path):
    parsed, result = import_unit(path, path.name, "rasa")
    return {flow.name: flow for flow in parsed.document.flows}, result


def steps(flow):
    return {step.name: step for step in flow.steps}


def lint(paths, cwd, select=None, config: str | None = None):
    explicit = None
    if config is not None:
        explicit = cwd / "botlint-test.yaml"
        explicit.write_text(config, encoding="utf-8")
    return lint_paths(paths, SettingsResolver(Overrides(select=select), explicit, cwd=cwd))


def where(finding, cwd: Path, project: Path) -> str:
    """A finding's file relative to its project (findings name files relative to the working folder)."""
    return (cwd / finding.path).resolve().relative_to(project.resolve()).as_posix()


def copy_cafe(tmp_path: Path) -> Path:
    project = tmp_path / "cafe"
    shutil.copytree(CAFE, project)
    return project


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


# --- detection ------------------------------------------------------------------------------------


def test_claims_rasa_projects_and_nothing_else(tmp_path):
    assert folder_importer(CAFE).name == "rasa"
    assert folder_importer(NEWSLETTER).name == "rasa"  # domain/ folder plus config.yml
    assert not claims_folder(FIXTURES / "rasa")
    assert not claims_folder(CAFE / "data")
    for other in FIXTURES.iterdir():  # other formats' fixtures are not Rasa projects
        if other.is_dir() and other.name != "rasa":
            assert not any(claims_folder(folder) for folder in [other, *other.rglob("*")] if folder.is_dir())
    lookalike = tmp_path / "compose"
    write(lookalike / "domain.yml", "version: '3'\nservices:\n  web: {image: nginx}\n")
    (lookalike / "data").mkdir()
    assert not claims_folder(lookalike)  # a domain.yml without Rasa keys
    no_data = tmp_path / "no-data"
    write(no_data / "domain.yml", "intents: [greet]\n")
    assert not claims_folder(no_data)  # a domain but neither data/ nor config.yml


def test_a_project_is_one_unit_and_a_file_inside_it_lints_the_project():
    units = list(discover([FIXTURES / "rasa"], lambda path: False))
    assert sorted((unit.path.name, unit.format) for unit in units) == [
        ("cafe", "rasa"), ("library_md", "rasa"), ("museum_split", "rasa"), ("newsletter", "rasa")]
    [unit] = discover([CAFE / "data" / "stories.yml"], lambda path: False)
    stories = CAFE.resolve() / "data" / "stories.yml"
    assert (unit.path, unit.format, unit.only) == (CAFE.resolve(), "rasa", frozenset({stories}))


# --- the model: stories and rules -----------------------------------------------------------------


def test_stories_and_rules_become_flows_started_by_the_person():
    flows, result = load(CAFE)
    assert sorted(flows) == ["after_a_checkpoint", "barista", "more_help", "order_with_the_button",
                             "say_goodbye", "show_a_photo", "size_from_an_entity",
                             "typed_answer_to_the_menu_question"]
    order = flows["order_with_the_button"]
    assert (order.kind, order.title, order.language, order.channel) == ("flow", "order with the button", "en", None)
    assert (order.trigger.kind.value, order.trigger.value) == ("message", "greet")
    assert flows["more_help"].trigger.value is None  # a rule that starts with the bot: mid-conversation
    assert result.files == 5 and result.errors == []  # config, domain, nlu (not read further), stories, rules


def test_story_turns_messages_buttons_and_forms():
    flows, _ = load(CAFE)
    order = steps(flows["order_with_the_button"])
    assert list(order) == ["greet", "order_coffee", "other_stories"]
    greet, question = order["greet"].do
    assert isinstance(greet, Say) and greet.say == "Hi! I'm Bean, the bot of Corner Cafe."  # first variation
    assert isinstance(question, Ask) and question.ask == "What can I do for you?"
    assert [(o.label, o.goto, o.url) for o in question.buttons] == [
        ("See the menu", "other_stories", None),  # another story handles /ask_menu
        ("Order a coffee", "order_coffee", None),  # the button this story follows
        ("Opening hours", None, None),  # no story or rule handles /ask_hours
        ("Our website", None, "https://cafe.example.com"),
    ]
    assert question.otherwise == "other_stories"  # other answers go on in other stories, or the fallback
    size, drink, pickup, submit, confirm, end = order["order_coffee"].do
    assert isinstance(size, SetVariable) and size.set == "size"  # its NLU examples annotate a size
    assert (drink.ask, drink.capture, pickup.capture) == ("Which drink would you like?", "drink", "pickup_time")
    assert (submit.action.value, submit.text) == ("webhook", "action_submit_order")
    assert confirm.say == "Your {drink} will be ready at {pickup_time}." and isinstance(end, End)
    assert isinstance(order["other_stories"].do[0], End)

    typed = flows["typed_answer_to_the_menu_question"]
    question = steps(typed)["greet"].do[-1]
    assert question.otherwise == "affirm"  # the person typed: no button matches the next turn
    assert [o.goto for o in question.buttons] == ["other_stories", "other_stories", None, None]


def test_waiting_for_the_person_entities_handoff_and_the_end():
    flows, _ = load(CAFE)
    size = steps(flows["size_from_an_entity"])
    menu, question = size["ask_menu"].do
    assert isinstance(menu, Say)
    assert (question.ask, question.capture) == ("Which size would you like?", "size")  # the answer fills a slot
    assert [type(s) for s in size["inform"].do] == [Say, End]
    barista = flows["barista"].steps[0].do
    assert isinstance(barista[-1], Handoff) and barista[-1].handoff == "action_handoff_to_barista"
    help_rule = steps(flows["more_help"])
    said, wait = help_rule["start"].do
    assert said.say == "Anything else?" and isinstance(wait, WaitForReply) and wait.wait_for_reply is None
    assert isinstance(help_rule["affirm"].do[-1], End)  # every story and rule ends on purpose


def test_skipped_elements_are_said_once_per_kind():
    flows, result = load(CAFE)
    assert [type(s) for s in flows["show_a_photo"].steps[0].do] == [End]  # an image-only response
    assert result.notices == [
        "rasa: skipped 1 checkpoint (not followed: each story is linted on its own) in cafe/data/stories.yml",
        "rasa: skipped 1 response without text (an image or a custom payload) in cafe/domain.yml",
    ]


# --- the model: CALM flows ------------------------------------------------------------------------


def test_calm_flows_collect_branch_link_and_handoff():
    flows, result = load(NEWSLETTER)
    assert result.errors == [] and result.notices == []
    signup = flows["newsletter_signup"]
    assert (signup.title, signup.language, signup.trigger.value) == ("Newsletter-Anmeldung", "de", "signup")
    assert signup.description == "Die Person meldet sich zum Newsletter an."
    by_name = steps(signup)
    email, news, branch, other = by_name["collect_email"].do  # steps nothing jumps to share one step
    assert (email.ask, email.capture) == ("Wie lautet deine E-Mail-Adresse?", "email")
    assert news.capture == "wants_news" and [o.label for o in news.buttons] == ["Ja, gern", "Lieber nicht"]
    assert isinstance(branch, Branch) and (branch.if_.var, branch.if_.equals) == ("wants_news", "true")
    assert branch.then == "utter_thanks" and isinstance(other, Goto) and other.goto == "declined"
    assert [type(s) for s in by_name["utter_thanks"].do] == [Say, End]  # the nested `then` list, next: END
    assert [type(s) for s in by_name["declined"].do] == [Say, End]
    said, handoff = flows["talk_to_someone"].steps[0].do
    assert said.say == "Einen Moment, ich schaue nach." and isinstance(handoff, Handoff) and handoff.handoff is None


def test_calm_branch_to_end_never_swallows_the_steps_before_it():
    flows, _ = load(NEWSLETTER)
    check = steps(flows["quick_check"])
    assert list(check) == ["utter_checking", "thanks", "END"]  # the shared END step comes last
    said, question, branch, goto = check["utter_checking"].do
    assert (said.say, question.capture) == ("Einen Moment, ich schaue nach.", "wants_news")
    assert (branch.if_.var, branch.if_.not_equals, branch.then, goto.goto) == ("wants_news", "true", "END", "thanks")
    assert [type(s) for s in check["END"].do] == [End]


# --- positions ------------------------------------------------------------------------------------


def test_text_findings_point_at_the_response_and_structure_at_the_story(tmp_path):
    result = lint([CAFE], tmp_path, select=["BL601", "BL505"], config="channel: instagram\n")
    found = sorted({(f.code, where(f, tmp_path, CAFE), f.line) for f in result.findings})
    assert found == [("BL505", "domain.yml", 56),  # the 'Opening hours' button: no story handles it
                     ("BL601", "domain.yml", 61)]  # the menu text, 1054 characters
    assert result.errors == []


def test_calm_reference_and_unreachable_step_point_into_flows_yml(tmp_path):
    result = lint([NEWSLETTER], tmp_path, select=["BL001", "BL501"])
    found = [(f.code, where(f, tmp_path, NEWSLETTER), f.line, f.col) for f in result.findings]
    assert found == [("BL001", "data/flows.yml", 30, 9), ("BL501", "data/flows.yml", 31, 9)]


def test_a_comment_in_the_domain_suppresses_for_every_story(tmp_path):
    project = copy_cafe(tmp_path)
    domain = project / "domain.yml"
    button = '        - title: "Opening hours"'
    text = domain.read_text(encoding="utf-8").replace(button, "        # botlint: disable-next-line=BL505\n" + button)
    domain.write_text(text, encoding="utf-8")
    assert lint([project], tmp_path, select=["BL505"]).findings == []


# --- broken input ---------------------------------------------------------------------------------


def test_broken_yaml_is_an_error_and_the_rest_is_still_linted(tmp_path):
    project = copy_cafe(tmp_path)
    write(project / "data" / "stories.yml", "stories:\n  - story: broken\n    steps: [\n")
    result = lint([project], tmp_path, select=["BL601"], config="channel: instagram\n")
    [error] = result.errors
    assert (error.path.endswith("stories.yml"), error.line) == (True, 4)
    # The menu is only sent by the broken stories: its text is still linted, as a response no story sends.
    [finding] = result.findings
    assert (where(finding, tmp_path, project), finding.line, finding.flow) == ("domain.yml", 61, "responses_sent_by_code")
    flows, _ = load(project)
    assert sorted(flows) == ["more_help", "responses_sent_by_code", "say_goodbye", "show_a_photo"]


def test_odd_shapes_are_errors_and_an_undefined_response_is_a_finding(tmp_path):
    project = copy_cafe(tmp_path)
    write(project / "data" / "more.yml", """\
        stories:
          - story: typo
            steps:
              - intent: greet
              - action: utter_greeet
          - story: no steps
            steps: oops
          - story: fine
            steps:
              - intent: bye
              - action: utter_bye
        rules: not a list
        """)
    flows, result = load(project)
    problems = sorted((e.path.split("/")[-1], e.line, e.message) for e in result.errors)
    assert problems == [("more.yml", 6, "this story has no list of 'steps'"),
                        ("more.yml", 12, "'rules' should be a list")]
    assert {"typo", "fine", "order_with_the_button"} <= set(flows)
    # A typo in a response name is a bug in the bot, not an unreadable file: BL003 reports it there.
    [missing] = flows["typo"].missing
    assert (missing.kind, missing.name, missing.span.line) == ("response", "utter_greeet", 5)
    result = lint_tree([project], tmp_path, select=["BL003"])
    assert [(f.code, f.path.split("/")[-1], f.line) for f in result.findings] == [("BL003", "more.yml", 5)]
    assert "utter_greeet" in result.findings[0].message


def test_broken_domain_is_one_error_and_stories_still_import(tmp_path):
    project = copy_cafe(tmp_path)
    write(project / "domain.yml", "intents:\n  - greet\nresponses:\n  utter_greet: [\n")
    flows, result = load(project)
    [error] = result.errors  # no flood of "response not defined" for every story
    assert error.path.endswith("domain.yml")
    assert "order_with_the_button" in flows


def test_unknown_elements_and_old_formats_give_one_notice_each(tmp_path):
    project = copy_cafe(tmp_path)
    write(project / "data" / "odd.yml", """\
        stories:
          - story: odd
            steps:
              - intent: greet
              - teleport: somewhere
              - teleport: elsewhere
              - action: utter_greet
        flows:
          odd_flow:
            description: x
            steps:
              - dance: tango
              - action: utter_bye
        """)
    write(project / "data" / "old_stories.md", "## happy path\n* greet\n  - utter_greet\n  ~ a stray line\n")
    write(project / "data" / "README.md", "## How to train\nRun the trainer.\n")
    flows, result = load(project)
    assert [step.name for step in flows["odd"].steps] == ["greet"]
    assert [type(s) for s in flows["happy_path"].steps[0].do] == [Say, End]  # Markdown stories are read
    assert [n for n in result.notices if "teleport" in n or "dance" in n or "Markdown" in n] == [
        "rasa: skipped 1 flow step of unsupported type 'dance' in cafe/data/odd.yml",
        "rasa: skipped 1 Markdown line that is no story step (`* intent`, `- action`, `> checkpoint`) "
        "in cafe/data/old_stories.md",
        "rasa: skipped 1 Markdown file with headings that is neither stories nor NLU in cafe/data/README.md",
        "rasa: skipped 2 story steps of unsupported type 'teleport' in cafe/data/odd.yml",
    ]
    assert result.errors == []


# --- the shared corpus ----------------------------------------------------------------------------


def test_every_corpus_project_imports():
    corpus = corpus_dir()
    if corpus is None:
        pytest.skip("no corpus: set BOTLINT_CORPUS or put it at ../shared/corpus")
    # The folders botlint lints as Rasa projects (the outermost folder that claims its files).
    projects = [unit.path for unit in discover([corpus / "rasa"], lambda path: False) if unit.format == "rasa"]
    if not projects:
        pytest.skip("the corpus has no Rasa projects")
    for project in projects:
        parsed, result = import_unit(project, project.name, "rasa")
        assert result.errors == [], project
        assert parsed.document.flows and all(flow.steps for flow in parsed.document.flows), project


# --- Rasa 1.x Markdown and where a project keeps its parts ----------------------------------------


def test_markdown_stories_and_nlu_with_the_domain_in_a_subfolder():
    [unit] = discover([LIBRARY], lambda path: False)
    assert (unit.path.name, unit.format) == ("library_md", "rasa")  # not core/ alone: nlu/ belongs to it
    assert claims_folder(LIBRARY) and not claims_folder(LIBRARY / "nlu")
    flows, result = load(LIBRARY)
    assert result.errors == [] and result.files == 4  # domain, stories, NLU, pipeline config
    greet = flows["greet_path"]
    assert (greet.language, greet.trigger.kind, greet.trigger.value) == ("en", TriggerKind.message, "greet")
    assert greet.trigger.keywords == ["hi", "good morning", "hello Page"]  # annotations reduced to their text
    assert flows["renew_a_book"].trigger.keywords == ["renew Dune please", "can I keep The Hobbit longer"]
    said, wait = steps(greet)["greet"].do
    assert said.say == "Hello! I'm Page, the library's bot." and isinstance(wait, WaitForReply)
    assert (said.span.file, said.span.line) == ("library_md/core/domain.yml", 27)  # the text, in the domain
    hours = steps(greet)["ask_hours"]
    assert (hours.span.file, hours.span.line, hours.span.col) == ("library_md/core/stories.md", 5, 3)
    assert [type(s) for s in hours.do] == [Say, End]


def test_markdown_turns_fill_slots_and_a_requested_slot_is_its_question():
    flows, _ = load(LIBRARY)
    renew = steps(flows["renew_a_book"])["renew"].do
    assert [type(s) for s in renew] == [SetVariable, Say, End] and renew[0].set == "book_title"
    card = steps(flows["library_card"])
    form, question = card["get_card"].do
    assert (form.action.value, form.text) == ("webhook", "card_form")  # a Rasa 1.x form is code
    assert (question.ask, question.capture) == ("Which email should the card be linked to?", "email")


def test_a_placeholder_the_project_fills_is_no_broken_template(tmp_path):
    result = lint([LIBRARY], tmp_path, select=["BL109"])
    found = [(where(f, tmp_path, LIBRARY), f.line, f.message) for f in result.findings]
    # Only for the story that never names a title: the other one fills {book_title} from the person's
    # words, and the responses code sends ({email}, {fine_amount}) come after that code ran.
    assert found == [("core/domain.yml", 31, "placeholder without a fallback can come out empty: "
                                             "{book_title} (never captured in this flow)")]


def test_a_transfer_to_another_bot_is_no_human_handoff():
    flows, _ = load(LIBRARY)
    catalog = flows["catalog"].steps[0].do
    assert isinstance(catalog[-2], Action) and catalog[-2].text == "action_handoff_to_catalog_bot"
    librarian = flows["librarian"].steps[0].do
    assert isinstance(librarian[-1], Handoff) and librarian[-1].handoff == "action_human_handoff"


def test_responses_only_code_sends_are_one_more_flow_the_text_rules_read(tmp_path):
    flows, _ = load(LIBRARY)
    code = flows["responses_sent_by_code"]
    assert code.trigger.kind == TriggerKind.message and code.trigger.value is None
    dispatch = code.steps[0].do
    assert [type(s) for s in dispatch] == [WaitForReply, Action, Branch, Branch, End]
    assert [(s.name, [type(x) for x in s.do]) for s in code.steps[1:]] == [
        ("utter_card_ready", [Say, End]), ("utter_overdue", [Say, End])]
    assert steps(code)["utter_overdue"].do[0].say == "You owe {fine_amount} in late fees."
    # Structure rules have nothing to say about it; a text rule does read it.
    result = lint([LIBRARY], tmp_path, select=["BL501", "BL502", "BL107", "BL103"])
    assert [f.flow for f in result.findings if f.flow == "responses_sent_by_code"] == []
    project = tmp_path / "library"
    shutil.copytree(LIBRARY, project)
    domain = project / "core" / "domain.yml"
    domain.write_text(domain.read_text(encoding="utf-8").replace("late fees.", "late fees!!!"), encoding="utf-8")
    shouting = lint([project], tmp_path, select=["BL103"]).findings
    assert [(f.flow, f.step) for f in shouting] == [("responses_sent_by_code", "utter_overdue")]


# --- a domain/ folder and Rasa Pro's defaults -----------------------------------------------------


def test_domain_folder_merges_domain_files_and_skips_fragments_as_rasa_does():
    flows, result = load(MUSEUM)
    assert result.errors == []
    assert result.notices == ["rasa: skipped 2 files in domain/ without a domain key (Rasa does not read them "
                              "as domain) in museum_split/domain/entities.yml, "
                              "museum_split/domain/fragments/utter_museum_welcome.yml"]
    welcome = flows["pattern_session_start"]
    assert welcome.steps[0].do[0].say == "Welcome to the Harbour Museum! I'm its chat assistant."  # domain/welcome.yml


def test_rasa_pro_default_responses_and_actions_are_known(tmp_path):
    flows, result = load(MUSEUM)
    assert result.errors == []
    assert [type(s) for s in flows["pattern_chitchat"].steps[0].do] == [End]  # Rasa's own (generated) text
    assert [type(s) for s in flows["pattern_cannot_handle"].steps[0].do] == [End]  # action_cancel_flow is silent
    tickets = flows["buy_tickets"].steps[0].do
    assert [type(s) for s in tickets] == [Ask, Action, Say, End]
    assert lint([MUSEUM], tmp_path, select=["BL109"]).findings == []  # {price}: the custom action before it
    project = tmp_path / "museum"
    shutil.copytree(MUSEUM, project)
    write(project / "data" / "more.yml", "flows:\n  typo:\n    description: x\n    steps:\n"
                                         "      - action: utter_cannot_handel\n")
    flows, result = load(project)
    assert result.errors == []  # a valid project: the typo is a finding, not an input error
    assert [(m.name, m.span.line) for m in flows["typo"].missing] == [("utter_cannot_handel", 5)]  # nobody's


def test_session_start_is_where_the_bot_speaks_first():
    flows, _ = load(MUSEUM)
    assert flows["pattern_session_start"].trigger.kind == TriggerKind.start
    assert flows["buy_tickets"].trigger.kind == TriggerKind.message


def test_a_form_with_a_validation_action_may_fill_any_slot(tmp_path):
    project = copy_cafe(tmp_path)
    domain = project / "domain.yml"
    text = domain.read_text(encoding="utf-8")
    text = text.replace('"When will you pick it up?"', '"When will you pick up your {drink_label}?"')
    domain.write_text(text, encoding="utf-8")
    assert [f.line for f in lint([project], tmp_path, select=["BL109"]).findings] == [81]  # near miss: no code
    domain.write_text(text.replace("actions:\n", "actions:\n  - validate_order_form\n"), encoding="utf-8")
    flows, _ = load(project)
    form = steps(flows["order_with_the_button"])["order_coffee"].do
    assert [getattr(s, "text", None) or getattr(s, "capture", None) for s in form[1:6]] == [
        "validate_order_form", "drink", "validate_order_form", "pickup_time", "validate_order_form"]
    assert lint([project], tmp_path, select=["BL109"]).findings == []


# --- wrong types in valid YAML --------------------------------------------------------------------


def test_wrong_types_are_errors_with_positions_never_a_pass(tmp_path):
    project = copy_cafe(tmp_path)
    write(project / "data" / "wrong.yml", """\
        stories:
          - just a string
          - story: steps are text
            steps: "utter_greet"
          - story: a step is text
            steps:
              - intent: greet
              - utter_greet
        responses: 5
        nlu: 7
        flows: [a, b]
        """)
    write(project / "data" / "wrong_rules.yml", "rules: oops\n")
    flows, result = load(project)
    problems = sorted((e.path.split("/")[-1], e.line, e.col, e.message) for e in result.errors)
    assert problems == [
        ("wrong.yml", 2, 5, "each entry of 'stories' should be a mapping with 'story' and 'steps'"),
        ("wrong.yml", 3, 5, "this story has no list of 'steps'"),
        ("wrong.yml", 8, 9, "a story step should be a mapping such as `- intent: x` or `- action: y`"),
        ("wrong.yml", 9, 1, "'responses' should be a mapping of response names to their variations"),
        ("wrong.yml", 10, 1, "'nlu' should be a list"),
        ("wrong.yml", 11, 1, "'flows' should be a mapping of flow ids to flows"),
        ("wrong_rules.yml", 1, 1, "'rules' should be a list"),
    ]
    result = lint([project], tmp_path)
    assert len(result.errors) == 7  # reported: botlint never says all checks passed


def test_wrong_types_in_the_domain_are_errors(tmp_path):
    project = copy_cafe(tmp_path)
    domain = project / "domain.yml"
    write(domain, "intents: greet\nslots: [a]\nforms: 3\nactions: 5\nresponses:\n  utter_greet: Hi there\n")
    _, result = load(project)
    problems = sorted((e.line, e.message) for e in result.errors if e.path.endswith("domain.yml"))
    assert problems == [
        (1, "'intents' should be a list"),
        (2, "'slots' should be a mapping of slot names to slots"),
        (3, "'forms' should be a mapping of form names to forms"),
        (4, "'actions' should be a list of action names"),
        (6, "response 'utter_greet' should be a list of variations (`- text: ...`)"),
    ]


# --- a form left asking, and a handoff that code performs -------------------------------------------

FEEDBACK_RULES = """\
    version: "3.1"
    rules:
      - rule: start feedback
        steps:
          - intent: complain
          - action: feedback_form
          - active_loop: feedback_form
{done}"""
FEEDBACK_DONE = """\
      - rule: feedback done
        condition:
          - active_loop: feedback_form
        steps:
          - action: feedback_form
          - active_loop: null
          - slot_was_set:
              - requested_slot: null
          - action: action_file_complaint
          - action: utter_bye
"""


def with_feedback_form(tmp_path: Path, done: bool) -> Path:
    """The cafe with a feedback form that a rule starts and leaves asking; `done`: a second rule
    (conditioned on the active form) says what happens when the form is complete."""
    project = copy_cafe(tmp_path)
    domain = project / "domain.yml"
    text = domain.read_text(encoding="utf-8")
    text = text.replace("forms:\n", "forms:\n  feedback_form:\n    required_slots:\n      - complaint\n")
    text = text.replace("responses:\n", 'responses:\n  utter_ask_complaint:\n'
                                        '    - text: "Please describe what went wrong with your order."\n')
    text = text.replace("actions:\n", "actions:\n  - action_file_complaint\n")
    domain.write_text(text, encoding="utf-8")
    write(project / "data" / "feedback.yml", FEEDBACK_RULES.format(done=FEEDBACK_DONE if done else ""))
    return project


def test_a_form_left_asking_goes_on_with_its_completion_rule(tmp_path):
    project = with_feedback_form(tmp_path, done=True)
    flows, result = load(project)
    assert result.errors == []
    do = steps(flows["start_feedback"])["complain"].do
    assert [type(s) for s in do] == [Ask, Action, Say, End]
    assert (do[0].capture, do[1].text, do[2].say) == ("complaint", "action_file_complaint", "Bye, see you soon!")
    # The answer goes straight to the code that files it: no question only a person can answer.
    assert lint([project], tmp_path, select=["BL305"]).findings == []


def test_near_miss_a_form_left_asking_with_no_completion_rule_still_ends_there(tmp_path):
    project = with_feedback_form(tmp_path, done=False)
    flows, _ = load(project)
    assert [type(s) for s in steps(flows["start_feedback"])["complain"].do] == [Ask, End]
    [finding] = lint([project], tmp_path, select=["BL305"]).findings
    assert where(finding, tmp_path, project) == "domain.yml" and "'describe'" in finding.message


HANDOFF_RULES = """\
    version: "3.1"
    rules:
      - rule: straight to a barista
        steps:
          - intent: talk_to_human
          - action: action_handoff_to_barista
      - rule: vague handoff
        steps:
          - intent: complain
          - action: utter_one_moment
          - action: action_handoff_to_barista
"""


def test_a_handoff_action_is_code_that_hands_over(tmp_path):
    project = copy_cafe(tmp_path)
    domain = project / "domain.yml"
    domain.write_text(domain.read_text(encoding="utf-8").replace(
        "responses:\n", 'responses:\n  utter_one_moment:\n    - text: "One moment please."\n'), encoding="utf-8")
    write(project / "data" / "handoff.yml", HANDOFF_RULES)
    flows, _ = load(project)
    barista = flows["barista"].steps[0].do
    assert [type(s) for s in barista] == [Say, Action, Handoff]
    assert (barista[1].text, barista[2].handoff) == ("action_handoff_to_barista", "action_handoff_to_barista")
    assert barista[2].by_code  # what the code tells the person is not in the project
    # The code may tell the person who comes: a handoff it performs with no message before it is not
    # "silent"; a message before the code is still judged ("One moment please." says neither who nor when).
    findings = lint([project], tmp_path, select=["BL304"]).findings
    assert [(where(f, tmp_path, project), f.message) for f in findings] == [
        ("data/handoff.yml", "handoff message 'One moment please.' says neither who will answer nor when")]


# --- custom payloads and preset slots ---------------------------------------------------------------

def custom_payload_project(tmp_path: Path) -> Path:
    project = tmp_path / "widget"
    write(project / "domain.yml", """\
        version: "3.1"
        intents: [ask_demo, ask_version]
        slots:
          bot_version:
            type: any
            initial_value: "2.1"
            mappings: [{type: custom}]
        responses:
          utter_demo:
            - custom:
                answers:
                  - type: ssml
                    ssml: <speak>Which demo would you like?</speak>
                  - type: text
                    text: Which demo would you like to see?
                  - type: multichoice
                    options:
                      - {label: Banking, value: Banking}
                      - {label: Insurance, value: Insurance}
          utter_version:
            - text: "I'm on version {bot_version}."
          utter_map:
            - custom: {image: "https://example.com/map.png"}
        """)
    write(project / "data" / "stories.yml", """\
        version: "3.1"
        stories:
          - story: demo
            steps:
              - intent: ask_demo
              - action: utter_demo
          - story: version
            steps:
              - intent: ask_version
              - action: utter_version
              - action: utter_map
        """)
    return project


def test_a_custom_payload_shows_its_text_and_its_choices(tmp_path):
    flows, result = load(custom_payload_project(tmp_path))
    [ask] = [s for s in steps(flows["demo"])[flows["demo"].steps[0].name].do if isinstance(s, Ask)]
    assert ask.ask == "Which demo would you like to see?"  # the text, not the voice version
    assert [option.label for option in ask.buttons] == ["Banking", "Insurance"]
    assert ask.span.line == 15  # at the text in the payload
    assert any("without text" in notice for notice in result.notices)  # the image-only payload


def test_a_slot_with_an_initial_value_is_filled_from_the_start(tmp_path):
    project = custom_payload_project(tmp_path)
    flows, _ = load(project)
    first = flows["version"].steps[0].do[0]
    assert isinstance(first, SetVariable) and (first.set, first.value) == ("bot_version", "2.1")
    assert [f.code for f in lint([project], tmp_path, select=["BL109"]).findings] == []
