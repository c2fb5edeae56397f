"""The command line as a user meets it: exit codes, output formats, listing and docs."""

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from linter.cli import main

CLEAN = 'flow f:\n  step s:\n    say "Hi!"\n    end\n'
BROKEN = 'flow f:\n  step s:\n    goto nowhere\n'


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_exit_0_when_clean(project, capsys):
    write(project / "a.flow", CLEAN)
    assert main(["check", "a.flow"]) == 0
    assert "All checks passed (1 file checked)." in capsys.readouterr().out


def test_exit_1_with_findings_and_text_format(project, capsys):
    write(project / "a.flow", BROKEN)
    assert main(["check", "a.flow", "--no-color"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "a.flow:3:5: BL001 [error] 'goto' names step 'nowhere', which flow 'f' does not define"
    assert out[1].startswith("    hint: ")
    assert out[-1] == "Found 1 problem (1 error) in 1 file."


def test_exit_2_on_parse_error_but_other_files_still_linted(project, capsys):
    write(project / "bad.flow", 'flow f:\n  step s:\n    sya "hi"\n')
    write(project / "worse.flow", BROKEN)
    assert main(["check", "."]) == 2
    out = capsys.readouterr().out
    assert "bad.flow:3:5: error: unexpected 'sya'" in out
    assert "worse.flow:3:5: BL001" in out


def test_fail_on_and_exit_zero(project):
    write(project / "a.flow", BROKEN)
    write(project / ".botlint.yaml", "severity:\n  BL001: info\n")
    assert main(["check", "a.flow"]) == 0  # info is below the default fail level (warning)
    assert main(["check", "a.flow", "--fail-on", "info"]) == 1
    assert main(["check", "a.flow", "--fail-on", "info", "--exit-zero"]) == 0


def test_quiet_prints_findings_only(project, capsys):
    write(project / "a.flow", BROKEN)
    main(["check", "a.flow", "-q"])
    assert capsys.readouterr().out.splitlines() == [
        "a.flow:3:5: BL001 [error] 'goto' names step 'nowhere', which flow 'f' does not define"]


def test_json_format(project, capsys):
    write(project / "a.flow", BROKEN)
    write(project / "b.flow", "flow f:\n  step s:\n    say \"open\n")
    assert main(["check", ".", "--format", "json"]) == 2
    payload = json.loads(capsys.readouterr().out)
    [finding] = payload["findings"]
    assert finding["code"] == "BL001" and (finding["line"], finding["col"]) == (3, 5)
    [error] = payload["errors"]
    assert error["path"] == "b.flow" and error["line"] == 3 and "unterminated string" in error["message"]
    assert payload["summary"]["files"] == 2


def test_default_path_is_cwd_and_skips_vcs_and_virtualenvs(project, capsys):
    write(project / "flows" / "a.flow", BROKEN)
    write(project / ".git" / "x.flow", BROKEN)
    write(project / "env" / "pyvenv.cfg", "home = /usr\n")
    write(project / "env" / "lib" / "x.flow", BROKEN)
    write(project / "node_modules" / "x.flow", BROKEN)
    write(project / "notes.txt", BROKEN)
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "flows/a.flow" in out and "in 1 file." in out


def test_missing_path_is_an_error(project, capsys):
    assert main(["check", "nope.flow"]) == 2
    assert "nope.flow: error: no such file or directory" in capsys.readouterr().out


def test_unknown_rule_code_on_the_command_line(project, capsys):
    write(project / "a.flow", CLEAN)
    assert main(["check", "a.flow", "--select", "BL999"]) == 2
    err = capsys.readouterr().err
    assert "unknown rule code or prefix 'BL999'" in err and "Traceback" not in err


def test_bad_config_is_exit_2_with_position(project, capsys):
    write(project / "a.flow", CLEAN)
    write(project / ".botlint.yaml", "language: en\nignroe: [BL001]\n")
    assert main(["check", "a.flow"]) == 2
    assert ".botlint.yaml:2:1: error: unknown config key 'ignroe'" in capsys.readouterr().err


def test_rules_lists_every_rule(capsys):
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    assert "BL001   undefined-step" in out
    assert "BL900   unused-suppression" in out and out.rstrip().endswith("off")


def test_rule_prints_documentation(capsys):
    assert main(["rule", "bl601"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("BL601 message-too-long")
    assert "Why is this bad" in out and "Example" in out


def test_unknown_rule_doc_is_exit_2(capsys):
    assert main(["rule", "BL999"]) == 2
    assert "unknown rule code 'BL999'" in capsys.readouterr().err


def test_every_rule_is_documented():
    from linter.rules import all_rules

    for rule in all_rules().values():
        doc = rule.documentation()
        assert doc.startswith(f"{rule.code} {rule.name}:"), rule.code
        for section in ("What it does", "Why is this bad", "Example"):
            assert section in doc, (rule.code, section)
        assert "Bad" in doc and "Good" in doc, rule.code


def test_usage_error_is_exit_2(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["check", "--format", "xml"])
    assert caught.value.code == 2


def test_version_and_subprocess_entry_point(project):
    write(project / "a.flow", BROKEN)
    run = subprocess.run([sys.executable, "-m", "linter", "check", "a.flow"], capture_output=True, text=True)
    assert run.returncode == 1 and "BL001" in run.stdout and "\033[" not in run.stdout  # no colour in a pipe
    version = subprocess.run([sys.executable, "-m", "linter", "--version"], capture_output=True, text=True)
    assert version.stdout.startswith("botlint ")


# As a user's shell runs botlint: standard output block-buffered in a pipe (this environment may not).
BUFFERED = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}


@pytest.mark.parametrize("argv, code", [(["check", "a.flow"], 1), (["--version"], 0),
                                        (["check", "--format", "xml"], 2)])
def test_the_command_exits_with_mains_code(project, monkeypatch, capsys, argv, code):
    from linter import cli

    write(project / "a.flow", BROKEN)
    monkeypatch.setattr(sys, "argv", ["botlint", *argv])
    thresholds = gc.get_threshold()
    try:
        with pytest.raises(SystemExit) as exited:
            cli.run()
    finally:
        gc.set_threshold(*thresholds)  # the command's collector pace, not this test process's
        gc.unfreeze()  # nor its exit's frozen heap
    assert exited.value.code == code


def test_the_command_can_be_profiled(project):
    # It exits as any program does, so `python -m cProfile -m linter` gets to print its table.
    write(project / "a.flow", BROKEN)
    done = subprocess.run([sys.executable, "-m", "cProfile", "-s", "cumulative", "-m", "linter", "check", "a.flow"],
                          capture_output=True, text=True, cwd=project, timeout=120)
    assert "BL001" in done.stdout, done.stderr  # the report, then the profile (cProfile exits 0)
    assert "function calls" in done.stdout and "(run)" in done.stdout


@pytest.mark.parametrize("flows", [1, 400])  # less than the stream's buffer, and more than a pipe holds
def test_the_whole_report_reaches_a_pipe(project, flows):
    write(project / "a.flow", "".join(f'flow f{index}:\n  step s:\n    goto nowhere\n' for index in range(flows)))
    done = subprocess.run([sys.executable, "-m", "linter", "check", "--format", "json", "a.flow"],
                          capture_output=True, text=True, env=BUFFERED)
    assert done.returncode == 1
    assert sum(finding["code"] == "BL001" for finding in json.loads(done.stdout)["findings"]) == flows


def test_a_reader_gone_before_the_report_is_written_costs_no_error(project):
    # The report waits in stdout's buffer until the exit flushes it, into a pipe nobody reads.
    write(project / "a.flow", BROKEN)
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run([sys.executable, "-m", "linter", "check", "a.flow"], stdout=write_end,
                              stderr=subprocess.PIPE, env=BUFFERED, cwd=project, timeout=120)
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr) == (1, b"")


def test_a_reader_that_goes_away_costs_no_traceback(project):
    many = "".join(f'flow f{index}:\n  step s:\n    goto nowhere\n' for index in range(400))
    write(project / "a.flow", many)
    botlint = subprocess.Popen([sys.executable, "-m", "linter", "check", "a.flow"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=BUFFERED)
    botlint.stdout.readline()
    botlint.stdout.close()  # as `| head -1` does
    errors = botlint.stderr.read().decode()
    assert botlint.wait(timeout=60) in (0, 1) and "Traceback" not in errors and errors == ""


def test_shipped_examples(capsys, monkeypatch):
    monkeypatch.chdir(REPO)
    assert main(["check", "examples/everything-wrong.flow"]) == 1
    assert main(["check", "examples", "--ignore", "ALL"]) == 0
    capsys.readouterr()
    for example in sorted((REPO / "examples").glob("*")):
        meant_to_fail = example.name == "everything-wrong.flow" or "-bad." in example.name
        if not example.name.startswith("."):
            assert main(["check", str(example.relative_to(REPO))]) == (1 if meant_to_fail else 0), example.name


def test_readme_rules_table_is_generated_from_the_registry():
    from linter.cli import rules_table
    from linter.engine.settings import Overrides, resolve
    from linter.rules import all_rules

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- rules-table")
    table = readme[readme.index("\n", start) + 1:readme.index("<!-- /rules-table -->")]
    assert table == rules_table("markdown", resolve(None, Overrides(), REPO).selected, all_rules())


def test_readme_example_output_is_real(monkeypatch, capsys):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    command = "$ botlint check examples/everything-wrong.flow\n"
    shown = readme[readme.index(command) + len(command):]
    shown = shown[:shown.index("```")]
    monkeypatch.chdir(REPO)
    main(["check", "examples/everything-wrong.flow", "--no-color"])
    assert capsys.readouterr().out == shown


def test_readme_parse_error_example_is_real(project, capsys):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    command = "$ botlint check -q broken.flow\n"
    shown = readme[readme.index(command) + len(command):]
    shown = shown[:shown.index("```")]
    write(project / "broken.flow", 'flow f:\n  step s:\n    sya "hi"\n')
    assert main(["check", "-q", "broken.flow"]) == 2
    assert capsys.readouterr().out == shown


def test_readme_family_findings_are_real(monkeypatch, capsys):
    import re as regex

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    lines = regex.findall(r"\| `(examples/[^`]+)` \|", readme)
    assert len(lines) >= 7
    monkeypatch.chdir(REPO)
    for line in lines:
        path = line.split(":", 1)[0]
        main(["check", path, "-q", "--no-color"])
        assert line in capsys.readouterr().out.splitlines(), line


def test_a_crashing_rule_costs_its_findings_not_the_run(project, capsys, monkeypatch):
    from linter.rules import all_rules, get_rule

    def broken(ctx):
        raise ValueError("boom")

    monkeypatch.setitem(all_rules(), "BL002", get_rule("BL002")._replace(check=broken))
    write(project / "a.flow", BROKEN)
    assert main(["check", "a.flow", "--no-color"]) == 2
    out = capsys.readouterr()
    assert "a.flow:3:5: BL001" in out.out  # the other rules still ran
    assert "internal error in rule BL002 (ValueError: boom)" in out.out
    assert "Traceback" not in out.out + out.err


def test_a_crashing_importer_costs_its_project_not_the_run(project, capsys, monkeypatch):
    import dataclasses

    from linter.parse.importers import importers

    def broken(path, display):
        raise KeyError("steps")

    monkeypatch.setitem(importers(), "typebot", dataclasses.replace(importers()["typebot"], load=broken))
    fixture = sorted((REPO / "tests" / "fixtures" / "typebot").glob("*.json"))[0]
    write(project / "bot.json", fixture.read_text(encoding="utf-8"))
    write(project / "a.flow", BROKEN)
    assert main(["check", ".", "--no-color"]) == 2
    out = capsys.readouterr().out
    assert "bot.json: error: internal error in the typebot importer (KeyError" in out
    assert "a.flow:3:5: BL001" in out


def test_every_importer_is_an_input_format_of_the_command_line():
    # The choices come from the importer modules' names without importing them: each module's
    # IMPORTER must be named after its module, or --input-format would refuse a working importer.
    from linter.cli import build_parser
    from linter.parse.importers import importers
    from linter.resources import importer_modules

    assert list(importer_modules()) == sorted(importers())
    for name in ("flow", "yaml", *importers()):
        assert build_parser().parse_args(["check", "--input-format", name]).input_format == name
