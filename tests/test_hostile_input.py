"""Hostile and odd inputs: each gets one clear line, and nothing outside the linted folder is shown.

Links that lead out of the folder being linted (or out of a bot's project folder), a format forced
on a path that is not of it, exports whose JSON holds a value of the wrong type, paths with nothing
to lint, files in UTF-16, baselines that are not botlint's, bad indentation and multi-document YAML.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import check_in_process as check
from linter.cli import build_parser
from linter.engine.result_cache import ResultCache
from linter.engine.runner import lint_paths
from linter.engine.settings import Overrides, SettingsResolver
from linter.core.errors import FlowSyntaxError
from linter.parse import parse_text
from linter.parse.source import decode

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
GOOD = (REPO / "examples" / "messenger-welcome.flow").read_text(encoding="utf-8")  # lints clean
# What a link may lead to: a file holding a token, which no message may ever quote.
TOKEN = "ghp_hostileInputToken123"


def lint(*paths: Path, cwd: Path, follow_links: bool = False, cache=None):
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        options = {"follow_links": True} if follow_links else {}  # the default is not to follow
        return lint_paths([Path(path) for path in paths], SettingsResolver(Overrides(), None), cache=cache, **options)
    finally:
        os.chdir(previous)


def everything_said(result) -> str:
    return "\n".join([*(f"{e} {e.source_line}" for e in result.errors), *result.notices,
                      *(f.message for f in result.findings)])


@pytest.fixture
def outside(tmp_path):
    """A folder beside the one linted, holding a secret; skipped where there are no symbolic links."""
    try:
        (tmp_path / ".probe").symlink_to(tmp_path)
    except (OSError, NotImplementedError):
        pytest.skip("this file system has no symbolic links")
    (tmp_path / ".probe").unlink()
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    # Broken in every format botlint reads, so that reading it would quote it in a syntax error.
    (folder / "token.txt").write_text(f'TOKEN={TOKEN} {{"x": ]\n', encoding="utf-8")
    return folder


# --- 3. links that leave the tree ----------------------------------------------------------------

def test_a_flow_link_out_of_the_linted_folder_is_not_read_and_one_notice_names_them(tmp_path, outside):
    repo = tmp_path / "repo"
    (repo / "flows").mkdir(parents=True)
    (repo / "flows" / "good.flow").write_text(GOOD, encoding="utf-8")
    (repo / "flows" / "passwd.flow").symlink_to(outside / "token.txt")
    (repo / "creds.flow.yaml").symlink_to(outside / "token.txt")
    code, output = check("repo", cwd=tmp_path)
    assert TOKEN not in output
    assert code == 0, output
    assert ("note: skipped 2 links that point outside the linted folder: repo/creds.flow.yaml, "
            "repo/flows/passwd.flow (use --follow-links to read them)") in output
    assert "All checks passed (1 file checked)." in output


def test_follow_links_reads_them(tmp_path, outside):
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "passwd.flow").symlink_to(outside / "token.txt")
    result = lint("repo", cwd=tmp_path, follow_links=True)
    assert [error.path for error in result.errors] == ["repo/passwd.flow"]
    assert not any("outside" in notice for notice in result.notices)


@pytest.mark.parametrize("command", ["check", "audit"])
def test_follow_links_is_an_option_of_check_and_audit(command):
    assert build_parser().parse_args([command, "--follow-links", "x"]).follow_links is True
    assert build_parser().parse_args([command, "x"]).follow_links is False


def test_a_link_named_on_the_command_line_is_linted_on_purpose(tmp_path, outside):
    (tmp_path / "mine.flow").symlink_to(outside / "token.txt")
    code, output = check("mine.flow", cwd=tmp_path)
    assert code == 2 and "mine.flow:1:1: error: unexpected 'TOKEN'" in output


def test_a_link_within_the_linted_folder_is_followed(tmp_path, outside):
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "welcome.flow").write_text(GOOD.replace("Hi", "Hi!!"), encoding="utf-8")
    (tmp_path / "alias.flow").symlink_to(Path("shared") / "welcome.flow")
    result = lint(".", cwd=tmp_path)
    assert result.files == 2 and not result.errors and not result.notices


def _rasa(project: Path, outside: Path) -> str:
    shutil.copytree(FIXTURES / "rasa" / "cafe", project)
    (outside / "stories.yml").write_text(f"stories:\n  - story: leak\n    steps: {TOKEN}: x\n", encoding="utf-8")
    (project / "data" / "leak.yml").symlink_to(outside / "stories.yml")
    return "data/leak.yml"


def _composer(project: Path, outside: Path) -> str:
    shutil.copytree(FIXTURES / "composer" / "bakerybot", project)
    (project / "dialogs" / "leak").mkdir()
    (project / "dialogs" / "leak" / "leak.dialog").symlink_to(outside / "token.txt")
    return "dialogs/leak/leak.dialog"


def _dialogflow_cx(project: Path, outside: Path) -> str:
    shutil.copytree(FIXTURES / "dialogflow_cx" / "coffee-agent", project)
    (project / "flows" / "Default Start Flow" / "pages" / "Leak.json").symlink_to(outside / "token.txt")
    return "flows/Default Start Flow/pages/Leak.json"


def _botpress(project: Path, outside: Path) -> str:
    shutil.copytree(FIXTURES / "botpress" / "tea-house", project)
    (project / "content-elements" / "builtin_card.json").symlink_to(outside / "token.txt")
    return "content-elements/builtin_card.json"


@pytest.mark.parametrize("make", [_rasa, _composer, _dialogflow_cx, _botpress])
def test_importers_do_not_follow_links_out_of_the_project(tmp_path, outside, make):
    leak = make(tmp_path / "bot", outside)
    followed = lint("bot", cwd=tmp_path, follow_links=True)
    assert TOKEN in everything_said(followed)  # read, it would be quoted: the default must not read it
    result = lint("bot", cwd=tmp_path)
    assert TOKEN not in everything_said(result)
    assert not any(error.path.endswith(leak) for error in result.errors)
    notices = [notice for notice in result.notices if "outside the project folder" in notice]
    assert notices == [notices[0]] and f"bot/{leak} (use --follow-links to read it)" in notices[0]


def test_the_cache_keeps_a_followed_import_apart_from_a_skipped_one(tmp_path, outside):
    _dialogflow_cx(tmp_path / "bot", outside)
    cache = ResultCache(tmp_path)
    assert TOKEN not in everything_said(lint("bot", cwd=tmp_path, cache=cache))
    assert TOKEN in everything_said(lint("bot", cwd=tmp_path, cache=cache, follow_links=True))
    assert TOKEN not in everything_said(lint("bot", cwd=tmp_path, cache=cache))


# --- 4. a format forced on a path that is not of it --------------------------------------------

NOT_OF_IT = {
    "rasa": "not a Rasa project: expected a folder with domain.yml or data/",
    "dialogflow-cx": "not a Dialogflow CX agent: expected a folder with agent.json and flows/",
    "composer": "not a Bot Framework Composer bot: expected a folder with <bot>.dialog beside dialogs/ or "
                "language-generation/",
    "typebot": "not a Typebot export: expected the .json file Typebot exports",
    "botpress": "not a Botpress flow: expected a flows/*.flow.json file",
}
# Another format's project for each: a Rasa project, or a Dialogflow CX agent for the Rasa importer.
OTHER_PROJECT = {"rasa": "dialogflow_cx/coffee-agent"}


@pytest.mark.parametrize("fmt", sorted(NOT_OF_IT))
@pytest.mark.parametrize("kind", ["a flow file", "an empty folder", "another format's project"])
def test_a_forced_format_on_a_path_not_of_it_is_one_line_naming_what_it_needs(tmp_path, fmt, kind):
    if kind == "a flow file":
        target = tmp_path / "hello.flow"
        target.write_text(GOOD, encoding="utf-8")
    elif kind == "an empty folder":
        target = tmp_path / "empty"
        target.mkdir()
    else:
        target = Path(shutil.copytree(FIXTURES / OTHER_PROJECT.get(fmt, "rasa/cafe"), tmp_path / "project"))
    code, output = check("--input-format", fmt, target.name, cwd=tmp_path)
    assert code == 2, output
    errors = [line for line in output.splitlines() if ": error: " in line]
    assert errors == [f"{target.name}: error: {errors[0].split(': error: ')[1]}"], output
    assert NOT_OF_IT[fmt] in errors[0]
    assert "All checks passed" not in output


@pytest.mark.parametrize("fmt, other, message", [
    ("typebot", "botpress/tea-house/flows/main.flow.json", "typebot: the file has no 'groups'"),
    ("botpress", "typebot/pizza-order.json", "botpress: the file has no 'nodes'"),
])
def test_a_forced_export_format_on_another_export_says_what_is_missing(tmp_path, fmt, other, message):
    shutil.copy(FIXTURES / other, tmp_path / "export.json")
    code, output = check("--input-format", fmt, "export.json", cwd=tmp_path)
    assert code == 2 and f"export.json:1:1: error: {message}" in output


# --- 5. silent passes -------------------------------------------------------------------------------

def _edit_json(path: Path, change) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def _line_of(path: Path, text: str) -> int:
    return next(number for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if text in line)


START_FLOW = Path("flows") / "Default Start Flow" / "Default Start Flow.json"


@pytest.mark.parametrize("file, change, key, message", [
    (START_FLOW, lambda d: d["transitionRoutes"][2]["triggerFulfillment"]["messages"][0].update(text="Sure!"),
     '"text": "Sure!"', "'text' of a message should be an object, not a string"),
    (START_FLOW, lambda d: d["transitionRoutes"][2]["triggerFulfillment"]["messages"][0]["text"].update(text="Sure!"),
     '"text": "Sure!"', "'text' of a text message should be a list, not a string"),
    (Path("agent.json"), lambda d: d.update(defaultLanguageCode=5), '"defaultLanguageCode"',
     "'defaultLanguageCode' should be a string, not a number"),
    (Path("intents") / "size.large" / "trainingPhrases" / "en.json", lambda d: d.update(trainingPhrases="big"),
     '"trainingPhrases"', "'trainingPhrases' should be a list, not a string"),
])
def test_dialogflow_cx_wrong_types_are_errors_at_their_key(tmp_path, file, change, key, message):
    agent = Path(shutil.copytree(FIXTURES / "dialogflow_cx" / "coffee-agent", tmp_path / "agent"))
    _edit_json(agent / file, change)
    result = lint("agent", cwd=tmp_path)
    assert [(e.path, e.line, e.message) for e in result.errors] == [
        (str(Path("agent") / file), _line_of(agent / file, key), f"dialogflow-cx: {message}")]


def _first_send(node):
    if isinstance(node, dict):
        if node.get("$kind") == "Microsoft.SendActivity":
            return node
        node = list(node.values())
    if isinstance(node, list):
        return next((found for item in node if (found := _first_send(item)) is not None), None)
    return None


@pytest.mark.parametrize("key, value, message", [
    ("activity", 42, "'activity' of 'Microsoft.SendActivity' should be a string or an object, not a number"),
    ("assignments", "oops", "'assignments' of 'Microsoft.SendActivity' should be a list, not a string"),
])
def test_composer_wrong_types_are_errors_at_their_key(tmp_path, key, value, message):
    bot = Path(shutil.copytree(FIXTURES / "composer" / "bakerybot", tmp_path / "bot"))
    _edit_json(bot / "bakerybot.dialog", lambda d: _first_send(d).update({key: value}))
    result = lint("bot", cwd=tmp_path)
    assert [(e.path, e.line, e.message) for e in result.errors] == [
        ("bot/bakerybot.dialog", _line_of(bot / "bakerybot.dialog", f'"{key}"'), f"composer: {message}")]


@pytest.mark.parametrize("bot, export, change, message", [
    ("typebot", "pizza-order.json", lambda d: d["groups"][1].update(blocks="oops"),
     "typebot: 'blocks' of group 'Welcome' should be a list, not a string"),
    ("botpress/tea-house", "flows/main.flow.json", lambda d: d.update(nodes="oops"),
     "botpress: 'nodes' of the flow should be a list, not a string"),
])
def test_exports_with_a_list_of_the_wrong_type_do_not_pass(tmp_path, bot, export, change, message):
    shutil.copytree(FIXTURES / bot, tmp_path / "bot")
    _edit_json(tmp_path / "bot" / export, change)
    code, output = check("bot", cwd=tmp_path)
    assert code == 2 and f": error: {message}" in output, output


def test_a_folder_with_nothing_to_lint_is_an_error(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "README.md").write_text("# not a flow\n", encoding="utf-8")
    code, output = check("docs", cwd=tmp_path)
    assert code == 2, output
    assert "docs: error: nothing to lint: no .flow, .flow.yaml or known project" in output
    assert "All checks passed" not in output


def test_an_empty_path_beside_one_with_flows_is_a_notice(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "good.flow").write_text(GOOD, encoding="utf-8")
    code, output = check("empty", "good.flow", cwd=tmp_path)
    assert code == 0, output
    assert "note: nothing to lint in empty: no .flow, .flow.yaml or known project" in output


def test_a_forced_flow_format_on_a_folder_without_flows_is_an_error(tmp_path):
    (tmp_path / "empty").mkdir()
    code, output = check("--input-format", "yaml", "empty", cwd=tmp_path)
    assert code == 2 and "empty: error: nothing to lint: no .flow or .flow.yaml file" in output


# --- 11. messages that say what is wrong ----------------------------------------------------------

@pytest.mark.parametrize("encoding, name", [("utf-16", "UTF-16"), ("utf-16-le", "UTF-16"), ("utf-16-be", "UTF-16"),
                                            ("utf-32", "UTF-32"), ("utf-32-le", "UTF-32")])
def test_a_wide_encoded_file_is_named_by_its_encoding(encoding, name):
    with pytest.raises(FlowSyntaxError) as info:
        decode(GOOD.encode(encoding), "wide.flow")
    assert info.value.message == f"file is {name}: save it as UTF-8"


def test_a_utf16_export_is_named_by_its_encoding_and_a_binary_file_still_is_binary(tmp_path):
    (tmp_path / "bot.json").write_bytes((FIXTURES / "typebot" / "pizza-order.json").read_text(encoding="utf-8")
                                        .encode("utf-16"))
    code, output = check("--input-format", "typebot", "bot.json", cwd=tmp_path)
    assert code == 2 and "bot.json: error: file is UTF-16: save it as UTF-8" in output
    with pytest.raises(FlowSyntaxError) as info:
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "image.flow")
    assert info.value.message.startswith("binary file (NUL byte)")


def test_a_json_file_without_a_baseline_version_is_not_a_botlint_baseline(tmp_path):
    (tmp_path / "good.flow").write_text(GOOD, encoding="utf-8")
    (tmp_path / "base.json").write_text('{"findings": [1, 2]}', encoding="utf-8")
    code, output = check("--baseline", "base.json", "good.flow", cwd=tmp_path)
    assert code == 2
    assert "base.json:1:1: error: not a botlint baseline: missing 'baseline_version'" in output
    assert "None" not in output


def flow_error(source: str) -> FlowSyntaxError:
    with pytest.raises(FlowSyntaxError) as info:
        parse_text(source, "bad.flow", "flow")
    return info.value


def test_a_line_indented_too_deep_is_named_so_at_that_line():
    error = flow_error('flow f:\n  step a:\n    say "Hi"\n      say "again"\n')
    assert error.message.startswith("unexpected indentation (this line is indented deeper than the block it is in)")
    assert (error.line, error.col) == (4, 7) and "change of indentation" not in error.message


def test_a_block_with_nothing_indented_under_it_is_named_so():
    error = flow_error('flow f:\n  step a:\n    ask "Size?":\n  step b:\n    end\n')
    assert error.message == "nothing is indented under this line; expected an indented block"
    assert (error.line, error.col) == (3, 17)


def test_a_second_yaml_document_in_a_flow_file_is_named_with_its_line():
    with pytest.raises(FlowSyntaxError) as info:
        parse_text("flows:\n  - name: a\n    steps: []\n---\nflows: []\n", "two.flow.yaml", "yaml")
    error = info.value
    assert error.message == "a flow file holds one YAML document; found a second one at line 4"
    assert (error.line, error.col) == (4, 1)


def test_a_second_yaml_document_in_a_project_file_is_named_with_its_line(tmp_path):
    bot = Path(shutil.copytree(FIXTURES / "rasa" / "cafe", tmp_path / "bot"))
    domain = bot / "domain.yml"
    lines = domain.read_text(encoding="utf-8").count("\n")
    domain.write_text(domain.read_text(encoding="utf-8") + "---\nintents: []\n", encoding="utf-8")
    result = lint("bot", cwd=tmp_path)
    assert [(e.path, e.message) for e in result.errors] == [
        ("bot/domain.yml", f"botlint reads one YAML document per file; found a second one at line {lines + 1}")]


def test_the_command_line_skips_a_link_out_of_the_tree_unless_asked(tmp_path):
    import subprocess
    import sys

    (tmp_path / "secret.flow").write_text("token-1234 is secret\n", encoding="utf-8")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.flow").symlink_to(tmp_path / "secret.flow")
    (tmp_path / "in" / "ok.flow").write_text('flow f:\n  step a:\n    say "Hi!"\n    end\n', encoding="utf-8")

    def check(*extra):
        return subprocess.run([sys.executable, "-m", "linter", "check", "--no-cache", *extra, "in"], cwd=tmp_path,
                              capture_output=True, text=True, timeout=60)

    default = check()
    assert "token-1234" not in default.stdout + default.stderr
    assert "skipped 1 link that points outside the linted folder: in/a.flow (use --follow-links" in default.stdout
    followed = check("--follow-links")
    assert followed.returncode == 2 and "token-1234" in followed.stdout + followed.stderr


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_the_confinement_refuses_every_way_a_link_leads_out_and_reads_the_rest(tmp_path):
    """may_read's quick check (no link between the project folder and the file) and its full check
    (realpath) agree: links out are refused, however they are reached; plain files and links
    that stay inside are read."""
    from linter.parse.source import confined_to, may_read

    project, elsewhere = tmp_path / "bot", tmp_path / "elsewhere"
    (project / "flows" / "deep").mkdir(parents=True)
    elsewhere.mkdir()
    (elsewhere / "secret.json").write_text("{}", encoding="utf-8")
    (tmp_path / "secret-too.json").write_text("{}", encoding="utf-8")
    (project / "flows" / "secret-too.json").write_text("{}", encoding="utf-8")  # what the letters name
    (project / "flows" / "deep" / "main.json").write_text("{}", encoding="utf-8")
    os.symlink(elsewhere, project / "flows" / "out")  # a folder link out
    os.symlink(elsewhere / "secret.json", project / "flows" / "secret.json")  # a file link out
    os.symlink(project / "flows" / "deep", project / "inside")  # a folder link that stays inside
    with confined_to(project) as refused:
        assert may_read(project / "flows" / "deep" / "main.json")
        assert may_read(project / "inside" / "main.json")
        assert may_read(project / "flows" / "deep" / ".." / "deep" / "main.json")
        assert may_read(project / "flows" / "not-there.json")  # reading it fails later, with its own error
        assert not may_read(project / "flows" / "secret.json")
        assert not may_read(project / "flows" / "out" / "secret.json")
        # By the letters bot/flows/secret-too.json, inside; through the link, elsewhere/../secret-too.json.
        assert not may_read(project / "flows" / "out" / ".." / "secret-too.json")
        assert may_read(elsewhere / "secret.json")  # not this folder's to refuse (botlint's own data)
    assert len(refused) == 3
