"""Configuration: discovery, selection, severities, per-file ignores, rulesets, and clear errors."""

import textwrap

import pytest

from conftest import codes
from linter.engine.runner import lint_paths
from linter.engine.settings import Overrides, SettingsResolver
from linter.core.errors import ConfigError

BROKEN = """\
flow f:
  channel instagram
  step start:
    say "%s"
    goto nowhere
""" % ("x" * 1200)


def test_defaults_run_the_default_rules(lint):
    assert sorted(codes(lint(BROKEN))) == ["BL001", "BL601"]


def test_yaml_config_ignore(lint):
    assert codes(lint(BROKEN, config="ignore: [BL601]\n")) == ["BL001"]


def test_pyproject_select_prefix(lint):
    result = lint(BROKEN, config='[tool.botlint]\nselect = ["BL6"]\n', config_name="pyproject.toml")
    assert codes(result) == ["BL601"]


def test_pyproject_without_botlint_section_is_not_a_config(lint, tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.other]\nx = 1\n', encoding="utf-8")
    (tmp_path.parent / ".botlint.yaml").write_text("ignore: [BL001]\n", encoding="utf-8")
    try:
        assert codes(lint(BROKEN)) == ["BL601"]  # found the config one folder up
    finally:
        (tmp_path.parent / ".botlint.yaml").unlink()


def test_severity_override_and_fail_on(lint):
    result = lint(BROKEN, config="severity:\n  BL601: info\n")
    assert {f.code: f.severity for f in result.findings} == {"BL001": "error", "BL601": "info"}


def test_extend_select_turns_on_an_opt_in_rule(lint):
    source = 'flow f:\n  step s:\n    say "hi"  # botlint: disable=BL001\n    end\n'
    assert codes(lint(source)) == []
    assert codes(lint(source, config="extend-select: [BL900]\n")) == ["BL900"]


def test_cli_select_beats_the_file(lint):
    assert codes(lint(BROKEN, config="select: [BL001]\n", select=["BL601"])) == ["BL601"]


def test_cli_ignore(lint):
    assert codes(lint(BROKEN, ignore=["BL001"])) == ["BL601"]


def test_per_file_ignores(lint):
    result = lint(BROKEN, name="legacy/old.flow", config="per-file-ignores:\n  'legacy/*': [BL601]\n")
    assert codes(result) == ["BL001"]
    result = lint(BROKEN, name="fresh/new.flow", config="per-file-ignores:\n  'legacy/*': [BL601]\n")
    assert sorted(codes(result)) == ["BL001", "BL601"]


def test_default_language_and_channel_from_config(tmp_path):
    (tmp_path / ".botlint.yaml").write_text("language: de\nchannel: sms\n", encoding="utf-8")
    settings = SettingsResolver(Overrides(), cwd=tmp_path).for_path(tmp_path / "x.flow")
    assert (settings.language, settings.channel) == ("de", "sms")


def test_nearest_config_wins(tmp_path):
    (tmp_path / ".botlint.yaml").write_text("ignore: [BL001]\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / ".botlint.yaml").write_text("ignore: [BL601]\n", encoding="utf-8")
    for folder in (tmp_path, tmp_path / "sub"):
        (folder / "f.flow").write_text(BROKEN, encoding="utf-8")
    result = lint_paths([tmp_path], SettingsResolver(Overrides(), cwd=tmp_path))
    by_file = {(f.path, f.code) for f in result.findings}
    assert by_file == {("f.flow", "BL601"), ("sub/f.flow", "BL001")}


def test_explicit_config_applies_everywhere(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / ".botlint.yaml").write_text("ignore: [BL601]\n", encoding="utf-8")
    (tmp_path / "sub" / "f.flow").write_text(BROKEN, encoding="utf-8")
    explicit = tmp_path / "ci.yaml"
    explicit.write_text("ignore: [BL001]\n", encoding="utf-8")
    result = lint_paths([tmp_path / "sub"], SettingsResolver(Overrides(), explicit, cwd=tmp_path))
    assert codes(result) == ["BL601"]


def test_exclude_skips_files_in_folders_but_not_named_files(tmp_path):
    (tmp_path / ".botlint.yaml").write_text("exclude: [generated]\n", encoding="utf-8")
    (tmp_path / "generated").mkdir()
    (tmp_path / "generated" / "g.flow").write_text(BROKEN, encoding="utf-8")
    resolver = SettingsResolver(Overrides(), cwd=tmp_path)
    assert lint_paths([tmp_path], resolver).files == 0
    assert lint_paths([tmp_path / "generated" / "g.flow"], resolver).files == 1


def _error(tmp_path, text, name=".botlint.yaml", **overrides) -> ConfigError:
    (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    (tmp_path / "f.flow").write_text(BROKEN, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        lint_paths([tmp_path / "f.flow"], SettingsResolver(Overrides(**overrides), cwd=tmp_path))
    return caught.value


@pytest.mark.parametrize("text, line, col, words", [
    ("language: en\nselct: [BL001]\n", 2, 1, "unknown config key 'selct'"),
    ("ignore: [BL001, BL999]\n", 1, 1, "unknown rule code or prefix 'BL999'"),
    ("select: BL001\n", 1, 1, "'select' must be a list"),
    ("severity:\n  BL001: loud\n", 2, 3, "must be one of"),
    ("per-file-ignores:\n  'a/*': [XX1]\n", 2, 3, "'XX1'"),
    ("fail-on: never\n", 1, 1, "fail-on must be one of"),
    ("channel: fax\n", 1, 1, "unknown channel 'fax'"),
    ("ignore: [BL001\n", 2, 1, "invalid YAML"),
])
def test_yaml_config_errors_name_file_and_position(tmp_path, text, line, col, words):
    error = _error(tmp_path, text)
    assert error.path.endswith(".botlint.yaml")
    assert (error.line, error.col) == (line, col)
    assert words in error.message


@pytest.mark.parametrize("text, line, words", [
    ('[tool.botlint]\nselect = ["BL001"]\nignore = ["NOPE"]\n', 3, "'NOPE'"),
    ('[tool.botlint]\nselect = ["BL001"\n', 3, "invalid TOML"),
    ('[tool.botlint]\nlanguage = "en"\nbogus = 1\n', 3, "unknown config key 'bogus'"),
])
def test_pyproject_errors_name_file_and_line(tmp_path, text, line, words):
    error = _error(tmp_path, text, name="pyproject.toml")
    assert error.path.endswith("pyproject.toml")
    assert error.line == line
    assert words in error.message


@pytest.mark.parametrize("ruleset, words", [
    ("rules:\n  BL999: {enabled: true}\n", "unknown rule code 'BL999'"),
    ("rules:\n  BL601: {max: 3}\n", "has no option 'max'"),
    ("rules:\n  BL601: {fallback_max_chars: lots}\n", "must be an integer, not 'lots'"),
    ("rulez: {}\n", "unknown key 'rulez'"),
])
def test_ruleset_errors(tmp_path, ruleset, words):
    (tmp_path / "extra.yaml").write_text(ruleset, encoding="utf-8")
    error = _error(tmp_path, "rulesets: [extra.yaml]\n")
    assert error.path.endswith("extra.yaml")
    assert error.line is not None
    assert words in error.message


def test_missing_ruleset_and_unknown_cli_code(tmp_path):
    assert "ruleset file not found" in _error(tmp_path, "rulesets: [nope.yaml]\n").message
    assert "--select" in _error(tmp_path, "language: en\n", select=["ZZ1"]).message


def test_per_path_channel_and_language(lint, tmp_path):
    config = "channel: messenger\nper-path:\n  'ig/*': {channel: instagram}\n"
    long_ask = 'flow f:\n  step s:\n    ask "%s"\n' % ("x" * 1200)
    assert codes(lint(long_ask, name="ig/a.flow", config=config, select=["BL601"])) == ["BL601"]
    assert codes(lint(long_ask, name="fb/a.flow", config=config, select=["BL601"])) == []


def test_per_path_errors(tmp_path):
    error = _error(tmp_path, "per-path:\n  'x/*': {chanel: sms}\n")
    assert "unknown or bad key 'chanel'" in error.message and error.line == 2


def test_readme_config_and_ruleset_examples_are_valid(tmp_path):
    from conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    toml_start = readme.index("```toml\n[tool.botlint]\nselect")
    toml = readme[toml_start + len("```toml\n"):readme.index("```", toml_start + 8)]
    yaml_start = readme.index("```yaml\nrules:\n  BL900")
    ruleset = readme[yaml_start + len("```yaml\n"):readme.index("```", yaml_start + 8)]
    project = tmp_path / "project"
    project.mkdir()
    (project / "botlint-rules.yaml").write_text(ruleset, encoding="utf-8")
    (project / "pyproject.toml").write_text(toml, encoding="utf-8")
    settings = SettingsResolver(Overrides(), cwd=project).for_path(project / "a.flow")
    from linter.rules import get_rule

    assert settings.rule_options(get_rule("BL402")).max_followups == 2
    assert "as per your request" in settings.rulesets.lexicons["en"]["boilerplate"]
    # merged into the config's own copy: a config without that ruleset, in the same run, does not see it
    from linter.engine.config.rulesets import shipped_lexicons

    assert "as per your request" not in shipped_lexicons()["en"]["boilerplate"]
    (tmp_path / "plain").mkdir()
    plain = SettingsResolver(Overrides(), cwd=tmp_path / "plain").for_path(tmp_path / "plain" / "a.flow")
    assert "as per your request" not in plain.rulesets.lexicons["en"]["boilerplate"]

    assert settings.severity_of(get_rule("BL601")) == "warning"
    assert settings.limits.max_steps == 10_000 and settings.limits.max_depth == 64  # the defaults, as shown


@pytest.mark.parametrize("ruleset, where, words", [
    ("rules:\n  BL403:\n    max_mentions: -1\n", "3:5", "rule BL403 option 'max_mentions': must be at least 0, not -1"),
    ("rules:\n  BL403:\n    max_mentions: true\n", "3:5", "must be an integer, not True"),
    ("rules:\n  BL405:\n    quiet_hours: '25:00-07:00'\n", "3:5", "'25:00-07:00' is not a range of times HH:MM-HH:MM"),
    ("rules:\n  BL102:\n    http_status: '(['\n", "3:5", "not a regular expression"),
    ("rules:\n  BL105:\n    max_chars: {sms: lots}\n", "3:5", "['sms'] must be an integer, not 'lots'"),
    ("rules:\n  BL109:\n    malformed_severity: loud\n", "3:5", "must be 'info', 'warning' or 'error', not 'loud'"),
    ("rules:\n  BL403:\n    max_mentionz: 3\n", "3:5", "rule BL403 has no option 'max_mentionz' (it has: enabled, severity, "
                                                   "max_mentions)"),
])
def test_a_bad_rule_option_is_an_error_at_its_place_even_with_nothing_to_lint(tmp_path, ruleset, where, words):
    # Options are checked when the pack loads, not when a rule first reads them: an empty folder fails too.
    import subprocess
    import sys

    (tmp_path / "extra.yaml").write_text(ruleset, encoding="utf-8")
    (tmp_path / ".botlint.yaml").write_text("rulesets: [extra.yaml]\n", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    run = subprocess.run([sys.executable, "-m", "linter", "check", "empty"], cwd=tmp_path, capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 2, run.stdout + run.stderr
    assert f"extra.yaml:{where}: " in run.stderr.split(" ", 1)[0] + " " and words in run.stderr, run.stderr
    assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr


_WARM_RUN = """
import io, json, sys, contextlib
from linter.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(["check", "--jobs", "1", "a.flow"])
print(json.dumps({"code": code, "pydantic": "pydantic" in sys.modules}))
"""


@pytest.mark.parametrize("name, text", [
    (".botlint.yaml", "select: [ALL]\nseverity:\n  BL601: info\nlimits: {max-steps: 50}\n"),
    ("pyproject.toml", '[tool.botlint]\nselect = ["ALL"]\nseverity = {BL601 = "info"}\nlimits = {max-steps = 50}\n'),
])
def test_a_warm_run_with_a_config_does_not_import_pydantic(tmp_path, name, text):
    """The schema is checked once per config text: a config that passed is not checked (nor pydantic
    imported, ~60 ms) again while its text is unchanged."""
    import json
    import os
    import subprocess
    import sys

    from conftest import REPO

    (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "a.flow").write_text(BROKEN, encoding="utf-8")
    environment = {**os.environ, "PYTHONPATH": str(REPO), "BOTLINT_CACHE_DIR": str(tmp_path / "cache")}
    cold, warm = (json.loads(subprocess.run([sys.executable, "-c", _WARM_RUN], capture_output=True, text=True,
                                            env=environment, cwd=tmp_path, timeout=120, check=True).stdout)
                  for _ in range(2))
    assert cold == {"code": 1, "pydantic": True}
    assert warm == {"code": 1, "pydantic": False}


def test_a_config_that_passed_is_checked_again_once_edited(tmp_path):
    (tmp_path / "f.flow").write_text(BROKEN, encoding="utf-8")
    (tmp_path / ".botlint.yaml").write_text("language: de\n", encoding="utf-8")
    assert SettingsResolver(Overrides(), cwd=tmp_path).for_path(tmp_path / "f.flow").language == "de"
    error = _error(tmp_path, "language: 5\n")
    assert "'language' must be a str, not 5" in error.message and (error.line, error.col) == (1, 1)


def test_configs_that_passed_are_remembered_in_one_small_file(tmp_path, monkeypatch):
    import json

    from linter.engine.config import schema
    from linter.engine.settings import resolve

    monkeypatch.setenv("BOTLINT_CACHE_DIR", str(tmp_path / "cache"))
    config = tmp_path / ".botlint.yaml"
    for number in range(40):  # a config edited and saved again and again
        config.write_text(f"language: l{number}\n", encoding="utf-8")
        resolve(config, Overrides(), tmp_path)
    stores = list((tmp_path / "cache").glob("config-checked-*"))
    assert len(stores) == 1 and len(json.loads(stores[0].read_text(encoding="utf-8"))) == 32

    def checked(config):
        raise AssertionError(f"checked again: {config.text!r}")

    monkeypatch.setattr(schema, "check", checked)
    assert resolve(config, Overrides(), tmp_path).language == "l39"  # remembered: not checked
    config.write_text("language: l0\n", encoding="utf-8")  # forgotten, the oldest: checked
    with pytest.raises(AssertionError, match="checked again"):
        resolve(config, Overrides(), tmp_path)


@pytest.mark.parametrize("argv, words", [
    (["--select", ""], "--select names no rule"),
    (["--select", " , "], "--select names no rule"),
])
def test_a_selection_of_no_rule_is_an_error_not_a_silent_pass(argv, words):
    import subprocess
    import sys

    from conftest import REPO

    run = subprocess.run([sys.executable, "-m", "linter", "check", *argv, "examples/tone-bad.flow"], cwd=REPO,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and words in run.stderr and "All checks passed" not in run.stdout


@pytest.mark.parametrize("target, words", [
    ("folder", "ruleset is a folder: name a YAML file in it"),
    ("/dev/zero", "ruleset is not a regular file"),
    ("missing.yaml", "ruleset file not found"),
])
def test_a_ruleset_that_is_not_a_file_says_what_it_is(tmp_path, target, words):
    (tmp_path / "folder").mkdir()
    error = _error(tmp_path, f"rulesets: [{target}]\n")
    assert words in error.message
