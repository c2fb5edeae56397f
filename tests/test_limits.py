"""Bounded work: file size, nesting depth, steps per flow and message length are limited,
configurable, and refused with an error that names the file (and the place, where there is
one); YAML aliases cannot explode and no YAML tag constructs anything."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from conftest import lint_tree
from linter.engine.settings import Overrides, SettingsResolver, resolve
from linter.core.errors import ConfigError, FlowSyntaxError
from linter.parse import import_unit, parse_file, parse_text
from linter.parse.limits import Limits

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def flow(steps: int, text: str = "hi") -> str:
    lines = ["flow big:"]
    for index in range(steps):
        lines += [f"  step s{index}:", f'    say "{text}"', "    end"]
    return "\n".join(lines) + "\n"


def yaml_flow(steps: int, text: str = "hi") -> str:
    lines = ["flows:", "  - kind: flow", "    name: big", "    steps:"]
    for index in range(steps):
        lines += [f"      - name: s{index}", "        do:", f"          - say: {text!r}", "          - end: true"]
    return "\n".join(lines) + "\n"


def error_of(call, *args, **kwargs) -> FlowSyntaxError:
    with pytest.raises(FlowSyntaxError) as info:
        call(*args, **kwargs)
    return info.value


# --- the defaults -----------------------------------------------------------------------------------

def test_defaults():
    assert Limits() == Limits(max_file_bytes=10_000_000, max_depth=64, max_steps=10_000, max_message_chars=100_000)
    assert Limits.keys() == {"max-file-bytes": "max_file_bytes", "max-depth": "max_depth",
                             "max-steps": "max_steps", "max-message-chars": "max_message_chars"}


# --- max-file-bytes: refused from its size, before it is read --------------------------------------

def test_a_file_over_the_limit_is_refused_unread(tmp_path, monkeypatch):
    path = tmp_path / "huge.flow"
    with open(path, "wb") as handle:  # sparse: 50 MB on paper, nothing on disk
        handle.truncate(50_000_000)
    reads = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: reads.append(n) or real_read(fd, n))
    error = error_of(parse_file, path, "huge.flow")
    assert reads == []  # not one byte read
    assert error.path == "huge.flow" and error.line is None
    assert error.message.startswith("file is 50.0 MB (50000000 bytes), more than 10000000 bytes: not read")
    assert "limits.max-file-bytes" in error.message


def test_the_result_cache_does_not_read_a_file_over_the_limit_either(tmp_path):
    """The cache key hashes a file's content; for a file refused unread, its size stands in
    (so a 5 GB file is neither read nor held in memory to be hashed)."""
    from linter.engine.result_cache import _content_hash

    for name, data in {"a": b"x" * 20, "b": b"y" * 20, "c": b"x" * 21, "d": b"x" * 10, "e": b"y" * 10}.items():
        (tmp_path / name).write_bytes(data)
    hashes = {name: _content_hash(tmp_path / name, max_bytes=10) for name in "abcde"}
    assert hashes["a"] == hashes["b"]  # over the limit: the content is not read
    assert hashes["a"] != hashes["c"]  # but the size (which the error message shows) counts
    assert hashes["d"] != hashes["e"]  # within it, the content counts


def test_a_file_over_the_limit_through_the_cache(tmp_path, monkeypatch, capsys):
    from linter.cli import main

    with open(tmp_path / "huge.flow", "wb") as handle:
        handle.truncate(50_000_000)
    monkeypatch.chdir(tmp_path)
    for _ in range(2):  # the second run is answered from the cache
        assert main(["check", "--no-color", "huge.flow"]) == 2
        assert "huge.flow: error: file is 50.0 MB" in capsys.readouterr().out
    assert list((tmp_path / ".botlint_cache").rglob("*.json"))


def test_file_size_limit_boundary_and_raised(tmp_path):
    path = tmp_path / "a.flow"
    path.write_bytes(flow(1).encode())
    size = path.stat().st_size
    assert parse_file(path, "a.flow", limits=Limits(max_file_bytes=size)).document.flows
    error = error_of(parse_file, path, "a.flow", limits=Limits(max_file_bytes=size - 1))
    assert f"more than {size - 1} bytes" in error.message


def test_importers_read_each_file_within_the_limit(tmp_path):
    export = tmp_path / "bot.json"
    export.write_bytes((FIXTURES / "typebot" / "pizza-order.json").read_bytes())
    _, result = import_unit(export, "bot.json", "typebot", limits=Limits(max_file_bytes=1000))
    assert [e.message.split(",")[0] for e in result.errors] == [
        f"file is {export.stat().st_size / 1000:.1f} kB ({export.stat().st_size} bytes)"]


# --- max-depth -------------------------------------------------------------------------------------

def test_flow_language_blocks_nested_too_deep():
    body = "".join("  " * (level + 2) + "followup after 1d:\n" for level in range(70))
    source = "flow a:\n  step s:\n" + body + "  " * 72 + "end\n"
    error = error_of(parse_text, source, "deep.flow")
    # unit, step and 62 followups make 64 blocks: the next one is the 65th
    assert (error.line, error.col) == (66, 131)
    assert error.message.startswith("blocks nested 65 deep, more than 64 (limits.max-depth")
    assert parse_text(source, "deep.flow", limits=Limits(max_depth=100)).document.flows


@pytest.mark.parametrize("text, line, col", [
    ("flows: " + "[" * 100 + "]" * 100 + "\n", 1, 71),  # the root mapping is the first of the 65
    ("".join(" " * level + "a:\n" for level in range(100)), 65, 65),
])
def test_yaml_nested_too_deep(text, line, col):
    error = error_of(parse_text, text, "deep.flow.yaml", "yaml")
    assert (error.path, error.line, error.col) == ("deep.flow.yaml", line, col)
    assert "nested 65 deep, more than 64 (limits.max-depth" in error.message


def test_json_nested_too_deep(tmp_path):
    export = tmp_path / "deep.json"
    export.write_text('{"version": "6", "groups": ' + "[" * 80 + "]" * 80 + "}", encoding="utf-8")
    _, result = import_unit(export, "deep.json", "typebot")
    [error] = result.errors
    assert (error.path, error.line, error.col) == ("deep.json", 1, 91)
    assert "nested 65 deep" in error.message


def test_depth_far_above_python_recursion_is_still_an_error_not_a_crash():
    text = "flows: " + "[" * 20_000 + "]" * 20_000 + "\n"
    error = error_of(parse_text, text, "deep.flow.yaml", "yaml", limits=Limits(max_depth=10 ** 6))
    assert "nested too deeply" in error.message and error.path == "deep.flow.yaml"


# --- max-steps -------------------------------------------------------------------------------------

def test_too_many_steps_in_the_flow_language_stop_at_the_step():
    error = error_of(parse_text, flow(11), "big.flow", limits=Limits(max_steps=10))
    assert (error.line, error.col) == (32, 3)  # `step s10:`, the 11th
    assert error.message == "flow 'big' has more than 10 steps (limits.max-steps; raise it in the config to allow more)"
    assert len(parse_text(flow(10), "big.flow", limits=Limits(max_steps=10)).document.flows[0].steps) == 10


def test_the_step_limit_is_per_flow():
    two = flow(6) + flow(6).replace("flow big", "flow other")
    assert len(parse_text(two, "two.flow", limits=Limits(max_steps=6)).document.flows) == 2


def test_too_many_steps_in_yaml():
    error = error_of(parse_text, yaml_flow(11), "big.flow.yaml", "yaml", Limits(max_steps=10))
    assert (error.line, error.col) == (45, 9)  # the 11th step's mapping
    assert error.message.startswith("flow 'big' has 11 steps, more than 10 (limits.max-steps")


def test_too_many_steps_in_an_import(tmp_path):
    project = tmp_path / "bot.json"
    project.write_bytes((FIXTURES / "typebot" / "pizza-order.json").read_bytes())
    error = error_of(import_unit, project, "bot.json", "typebot", limits=Limits(max_steps=2))
    assert error.path == "bot.json" and error.line is not None
    assert "steps, more than 2 (limits.max-steps" in error.message


# --- max-message-chars -----------------------------------------------------------------------------

def test_too_long_a_string_in_the_flow_language():
    error = error_of(parse_text, flow(1, "x" * 101), "long.flow", limits=Limits(max_message_chars=100))
    assert (error.line, error.col) == (3, 9)
    assert error.message.startswith("string of 101 characters, more than 100 (limits.max-message-chars")
    assert parse_text(flow(1, "x" * 100), "long.flow", limits=Limits(max_message_chars=100)).document.flows


def test_too_long_a_message_in_yaml():
    error = error_of(parse_text, yaml_flow(1, "x" * 101), "long.flow.yaml", "yaml", Limits(max_message_chars=100))
    assert (error.line, error.col) == (7, 13)
    assert error.message.startswith("'say' text of 101 characters, more than 100 (limits.max-message-chars")


# --- configuration ---------------------------------------------------------------------------------

def settings_for(tmp_path: Path, name: str, text: str):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return resolve(path, Overrides(), tmp_path)


@pytest.mark.parametrize("name, text", [
    ("pyproject.toml", "[tool.botlint]\nlimits = { max-file-bytes = 2000, max-depth = 8, max-steps = 5, "
                       "max-message-chars = 50 }\n"),
    ("pyproject.toml", "[tool.botlint.limits]\nmax-file-bytes = 2000\nmax-depth = 8\nmax-steps = 5\n"
                       "max-message-chars = 50\n"),
    (".botlint.yaml", "limits:\n  max-file-bytes: 2000\n  max-depth: 8\n  max-steps: 5\n  max-message-chars: 50\n"),
])
def test_limits_from_the_config(tmp_path, name, text):
    assert settings_for(tmp_path, name, text).limits == Limits(2000, 8, 5, 50)


def test_unset_limits_keep_their_defaults(tmp_path):
    limits = settings_for(tmp_path, ".botlint.yaml", "limits: {max-steps: 20}\n").limits
    assert limits == Limits(max_steps=20)


@pytest.mark.parametrize("name, text, line, words", [
    (".botlint.yaml", "language: en\nlimits:\n  max-steps: 5\n  max-stepz: 5\n", 4, "unknown limit 'max-stepz'"),
    (".botlint.yaml", "limits:\n  max-depth: 0\n", 2, "limit 'max-depth' must be a whole number, 1 or more"),
    (".botlint.yaml", "limits:\n  max-depth: true\n", 2, "not True"),
    (".botlint.yaml", "limits:\n  max-depth: '64'\n", 2, "not '64'"),
    (".botlint.yaml", "limits:\n  max-depth: 6.5\n", 2, "not 6.5"),
    (".botlint.yaml", "limits: 5\n", 1, "'limits' must be a dict"),
    ("pyproject.toml", "[tool.botlint]\nselect = ['BL']\nlimits = { max-depht = 3 }\n", 3, "unknown limit 'max-depht'"),
    ("pyproject.toml", "[tool.botlint.limits]\nmax-steps = -1\n", 2, "limit 'max-steps' must be a whole number"),
])
def test_bad_limits_are_config_errors_with_file_and_line(tmp_path, name, text, line, words):
    with pytest.raises(ConfigError) as info:
        settings_for(tmp_path, name, text)
    error = info.value
    assert (error.path, error.line) == (str(tmp_path / name), line)
    assert words in error.message
    if "unknown limit" in words:
        assert "(known: max-file-bytes, max-depth, max-steps, max-message-chars)" in error.message


def test_configured_limits_reach_the_linted_files(tmp_path):
    (tmp_path / ".botlint.yaml").write_text("limits: {max-steps: 3}\n", encoding="utf-8")
    (tmp_path / "ok.flow").write_text(flow(3), encoding="utf-8")
    (tmp_path / "big.flow").write_text(flow(4), encoding="utf-8")
    result = lint_tree([tmp_path], tmp_path)
    assert [(e.path, e.line) for e in result.errors] == [("big.flow", 11)]
    assert "more than 3 steps" in result.errors[0].message
    assert result.files == 2  # the other file is linted all the same


def test_limits_are_part_of_the_result_cache_key(tmp_path):
    low = settings_for(tmp_path, ".botlint.yaml", "limits: {max-steps: 3}\n")
    high = settings_for(tmp_path, ".botlint.yaml", "limits: {max-steps: 4}\n")
    assert low.digest() != high.digest()


def test_raising_a_limit_turns_the_error_into_findings(tmp_path):
    (tmp_path / "big.flow").write_text(flow(4), encoding="utf-8")
    (tmp_path / ".botlint.yaml").write_text("limits: {max-steps: 3}\n", encoding="utf-8")
    assert lint_tree([tmp_path], tmp_path).errors
    (tmp_path / ".botlint.yaml").write_text("limits: {max-steps: 4}\n", encoding="utf-8")
    assert not lint_tree([tmp_path], tmp_path).errors


# --- YAML aliases: bounded, never a bomb -----------------------------------------------------------

LAUGHS = "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(9))


def test_billion_laughs_in_a_yaml_flow():
    error = error_of(parse_text, LAUGHS, "laughs.flow.yaml", "yaml")
    assert (error.line, error.col) == (4, 29)  # the alias that pushed the repeats over the bound
    assert "aliases repeat" in error.message and "alias bomb" in error.message


def test_recursive_alias_is_refused():
    error = error_of(parse_text, "flows: &a [*a]\n", "loop.flow.yaml", "yaml")
    assert (error.line, error.col) == (1, 12)
    assert "alias '*a' is inside the value it names" in error.message


def test_reusing_a_few_values_with_aliases_still_works():
    text = textwrap.dedent("""\
        flows:
          - kind: flow
            name: a
            steps:
              - name: s
                do:
                  - ask: Pick one
                    replies: &options
                      - {label: Yes, goto: s}
                      - {label: No, goto: t}
                  - ask: Again?
                    replies: *options
              - name: t
                do: [{end: true}]
        """)
    ask = parse_text(text, "a.flow.yaml", "yaml").document.flows[0].steps[0].do
    assert [o.label for o in ask[1].replies] == ["Yes", "No"] == [o.label for o in ask[0].replies]


def test_billion_laughs_in_the_config(tmp_path):
    (tmp_path / ".botlint.yaml").write_text(LAUGHS, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        SettingsResolver(Overrides(), cwd=tmp_path).for_path(tmp_path / "x.flow")
    assert (info.value.path, info.value.line) == (str(tmp_path / ".botlint.yaml"), 4)
    assert "alias bomb" in info.value.message


def test_billion_laughs_in_a_ruleset(tmp_path):
    (tmp_path / ".botlint.yaml").write_text("rulesets: [team.yaml]\n", encoding="utf-8")
    (tmp_path / "team.yaml").write_text(LAUGHS, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        SettingsResolver(Overrides(), cwd=tmp_path).for_path(tmp_path / "x.flow")
    assert (info.value.path, info.value.line) == (str((tmp_path / "team.yaml").resolve()), 4)


def test_billion_laughs_in_a_rasa_project(tmp_path):
    import shutil

    project = tmp_path / "bot"
    shutil.copytree(FIXTURES / "rasa" / "cafe", project)
    (project / "data" / "stories.yml").write_text("stories:\n" + textwrap.indent(LAUGHS, "  "), encoding="utf-8")
    _, result = import_unit(project, "bot", "rasa")
    [error] = [e for e in result.errors if "alias" in e.message]
    assert (error.path, error.line) == (os.path.join("bot", "data", "stories.yml"), 5)


# --- YAML tags never construct objects -------------------------------------------------------------

UNSAFE = [
    "!!python/object/apply:os.system [\"touch {marker}\"]",
    "!!python/object/new:os.system [\"touch {marker}\"]",
    "!!python/name:os.system",
    "!!python/object:os._wrap_close {{}}",
    "!<tag:yaml.org,2002:python/object/apply:os.system> [\"touch {marker}\"]",
    "!!python/object/apply:subprocess.check_call [[touch, \"{marker}\"]]",
]


@pytest.fixture
def no_system(monkeypatch):
    """Fails the test if anything tries to run a command; the marker file proves it twice."""
    import subprocess

    def refuse(*args, **kwargs):
        raise AssertionError("a YAML tag ran a command")

    monkeypatch.setattr(os, "system", refuse)
    monkeypatch.setattr(subprocess, "check_call", refuse)
    monkeypatch.setattr(subprocess, "Popen", refuse)


@pytest.mark.parametrize("tag", UNSAFE)
def test_no_tag_constructs_anything_in_a_yaml_flow(tmp_path, no_system, tag):
    marker = tmp_path / "ran"
    text = f"flows:\n  - kind: flow\n    name: a\n    steps:\n      - name: s\n        do:\n" \
           f"          - say: {tag.format(marker=marker)}\n"
    error = error_of(parse_text, text, "t.flow.yaml", "yaml")
    assert (error.line, error.col) == (7, 18) and "unsupported YAML tag" in error.message
    assert not marker.exists()


@pytest.mark.parametrize("tag", UNSAFE)
def test_no_tag_constructs_anything_in_the_config(tmp_path, no_system, tag):
    marker = tmp_path / "ran"
    (tmp_path / ".botlint.yaml").write_text(f"language: {tag.format(marker=marker)}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        SettingsResolver(Overrides(), cwd=tmp_path).for_path(tmp_path / "x.flow")
    assert (info.value.line, info.value.col) == (1, 11) and "unsupported YAML tag" in info.value.message
    assert not marker.exists()


@pytest.mark.parametrize("tag", UNSAFE)
def test_no_tag_constructs_anything_in_a_ruleset(tmp_path, no_system, tag):
    marker = tmp_path / "ran"
    (tmp_path / ".botlint.yaml").write_text("rulesets: [team.yaml]\n", encoding="utf-8")
    (tmp_path / "team.yaml").write_text(f"rules:\n  BL402: {tag.format(marker=marker)}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        SettingsResolver(Overrides(), cwd=tmp_path).for_path(tmp_path / "x.flow")
    assert info.value.line == 2 and "unsupported YAML tag" in info.value.message
    assert not marker.exists()


@pytest.mark.parametrize("tag", UNSAFE)
def test_no_tag_constructs_anything_in_a_rasa_project(tmp_path, no_system, tag):
    import shutil

    marker = tmp_path / "ran"
    project = tmp_path / "bot"
    shutil.copytree(FIXTURES / "rasa" / "cafe", project)
    domain = project / "domain.yml"
    domain.write_text(domain.read_text(encoding="utf-8") + f"\nsession_config: {tag.format(marker=marker)}\n",
                      encoding="utf-8")
    _, result = import_unit(project, "bot", "rasa")
    assert any(e.path == os.path.join("bot", "domain.yml") and "unsupported YAML tag" in e.message
               for e in result.errors)
    assert not marker.exists()


# --- the largest flows the limits let through: every rule finishes on them ----------------------------

def _long_flow(shape: str, steps: int) -> str:
    lines = ["flow long:", "  channel messenger", "  trigger message", "  audience opted-in"]
    for index in range(steps):
        after = f"s{index + 1}" if index < steps - 1 else ("s0" if shape == "loop" else "")
        lines.append(f"  step s{index}:")
        if shape == "replies":
            lines += [f'    ask "Question {index}?":', f'      reply "Yes" -> {after or "s0"}',
                      f"      otherwise -> s{index}"]
        elif shape == "timeouts":
            lines += [f'    say "Note {index}"', f"    wait for reply timeout 1d -> {after or 's0'}"]
        else:  # goto, loop, fallthrough
            lines.append(f'    say "Message number {index}"')
            if shape != "fallthrough" and after:
                lines.append(f"    goto {after}")
    if shape != "loop":
        lines.append("    end")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("shape", ["goto", "loop", "fallthrough", "replies", "timeouts"])
def test_every_rule_finishes_on_a_long_flow(tmp_path, shape):
    """A chain of steps far deeper than Python's recursion limit: found by bench/limits.py,
    where BL503's recursive search of step cycles failed on a 9,000-step flow."""
    import sys

    steps = sys.getrecursionlimit() * 3
    (tmp_path / "long.flow").write_text(_long_flow(shape, steps), encoding="utf-8")
    result = lint_tree([tmp_path / "long.flow"], tmp_path)
    assert not result.errors, [str(error) for error in result.errors]
    assert result.files == 1
    if shape == "loop":  # the cycle is found, its start named
        assert any(f.code == "BL503" and "loop with no exit: s0 -> s1 ->" in f.message for f in result.findings)
