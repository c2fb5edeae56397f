"""Hostile text from a flow never reaches a person raw.

Terminal escapes (a window title, a clear screen, colours), bidi overrides, zero-width characters
and line separators in message text, option labels, flow titles and file names are shown escaped
in every human-facing report, as error messages show them; machine formats carry them exactly.
Labels in the Mermaid diagram of the Markdown audit stay one quoted line with no Mermaid syntax.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace

import pytest

from linter.audit.build import build_audit
from linter.audit.facts import summarize
from linter.audit.score import load_weights
from linter.core.errors import printable
from linter.core.findings import Finding
from linter.core.results import LintResult
from linter.engine.runner import lint_paths
from linter.engine.settings import Overrides, SettingsResolver
from linter.report import get_audit_renderer, get_reporter, message_with_hint
from linter.report.audit_md import MERMAID_CLASSES

OSC_TITLE = "\x1b]0;pwned\x07"  # sets the terminal's window title
CLEAR_SCREEN = "\x1b[2J"
RED = "\x1b[31m"
RIGHT_TO_LEFT = "\u202e"  # "gnp.exe" then reads "exe.png"
EVIL = f"{OSC_TITLE}{CLEAR_SCREEN}{RED}red {RIGHT_TO_LEFT}gnp.exe zero\u200bwidth\u2028next\rback\nnewline"
EVIL_FILE = f"evil{CLEAR_SCREEN}{RIGHT_TO_LEFT}.flow.yaml"


def hostile_flow(evil: str, labels: tuple[str, ...] = ()) -> str:
    """A YAML flow with `evil` in its title, a trigger keyword, a message, a question and a reply
    label (BL603 quotes long labels), plus one reply per extra label; JSON strings are YAML."""
    quoted = json.dumps
    replies = "".join(f"              - {{label: {quoted(label)}, goto: done}}\n"
                      for label in ("Yes " + evil, *labels))
    return f"""\
flows:
  - kind: flow
    name: welcome
    title: {quoted("Welcome " + evil)}
    channel: messenger
    language: en
    trigger:
      kind: message
      keywords: [{quoted("hi" + evil)}]
    audience:
      kind: opted-in
    steps:
      - name: greet
        do:
          - say: {quoted("BUY NOW!!! " + evil + " {broken")}
          - ask: {quoted("Pick one " + evil)}
            replies:
{replies}            otherwise: done
      - name: done
        do:
          - say: "I'm a bot. Bye!"
          - end: true
"""


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    (folder / EVIL_FILE).write_text(hostile_flow(EVIL), encoding="utf-8")
    return folder


def botlint(folder: Path, *args: str) -> str:
    """`botlint ARGS .` in a subprocess in `folder`: its standard output (no input errors)."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([sys.executable, "-m", "linter", *args, "."], cwd=folder, env=env,
                          capture_output=True, encoding="utf-8")
    assert done.returncode in (0, 1), done.stdout + done.stderr
    assert done.stderr == ""
    return done.stdout


def assert_every_line_printable(output: str) -> None:
    for line in output.split("\n"):  # str.splitlines would split at \u2028 and \r and hide them
        assert line.isprintable(), repr(line)


# --- human-facing formats ----------------------------------------------------------------------

@pytest.mark.parametrize("args", [("check",), ("check", "--format", "github"), ("audit",),
                                  ("audit", "--format", "md")], ids=" ".join)
def test_human_formats_show_hostile_text_escaped(hostile_project, args):
    output = botlint(hostile_project, *args)
    assert_every_line_printable(output)
    for shown in (printable(OSC_TITLE), printable(RIGHT_TO_LEFT), printable("\u2028")):
        # Shown, not dropped; Markdown also escapes the brackets and the backslash.
        assert shown in output or shown.replace("\\", "\\\\").replace("]", "\\]") in output, shown
    if "github" in args:
        assert all(line.startswith("::") for line in output.splitlines())


def test_html_audit_shows_hostile_text_escaped(hostile_project):
    page = botlint(hostile_project, "audit", "--format", "html")
    unprintable = {char for char in page if not char.isprintable() and char not in "\n\t"}
    assert not unprintable, unprintable
    assert printable(OSC_TITLE) in page and printable(RIGHT_TO_LEFT) in page
    # Line breaks in a message stay line breaks in its bubble.
    assert "back\nnewline" in page


def text_lines(finding: Finding, fixed: list[dict] | None = None, color: bool = False) -> list[str]:
    result = LintResult(findings=[finding], files=1, notices={f"no lexicon for {EVIL}"}, fixed=fixed or [])
    out = io.StringIO()
    get_reporter("text")(result, out, color=color)
    return out.getvalue().split("\n")


def evil_finding() -> Finding:
    return Finding("BL603", "option-label-too-long", "warning", f"label '{EVIL}'", f"hint {EVIL}",
                   f"dir/{EVIL_FILE}", 3, 5, 3, 9, "welcome", "greet", EVIL, "f" * 20)


def test_text_escapes_findings_notices_and_baseline_entries_even_in_colour():
    fixed = [{"path": EVIL_FILE, "line": 2, "code": "BL001", "message": EVIL}]
    for color in (False, True):
        lines = text_lines(evil_finding(), fixed, color)
        for line in lines:
            # Only the colour codes the report adds itself.
            assert re.sub(r"\x1b\[\d+m", "", line).isprintable(), repr(line)
        assert any(line.startswith("note: no lexicon for \\x1b]0;pwned\\x07") for line in lines)
        assert any(line.startswith(f"    fixed: evil\\x1b[2J\\u202e.flow.yaml:2: BL001 {printable(EVIL)}")
                   for line in lines)
    assert text_lines(evil_finding())[0] == f"dir/{printable(EVIL_FILE)}:3:5: BL603 [warning] label '{printable(EVIL)}'"


def test_github_escapes_unprintable_characters_but_keeps_line_breaks_as_the_toolkit_does():
    out = io.StringIO()
    get_reporter("github")(LintResult(findings=[evil_finding()], notices={EVIL}), out)
    lines = out.getvalue().split("\n")
    assert lines[-1] == "" and len(lines) == 3
    assert_every_line_printable(out.getvalue())
    annotation, notice = lines[:2]
    assert annotation.startswith("::warning file=dir/evil\\x1b[2J\\u202e.flow.yaml,line=3,col=5,")
    # A line break is still a line break in the annotation (%0D, %0A); the rest is escaped.
    assert "width\\u2028next" in annotation and "%0Dback%0Anewline" in annotation
    assert notice == "::notice::\\x1b]0;pwned\\x07\\x1b[2J\\x1b[31mred \\u202egnp.exe zero\\u200bwidth" \
                     "\\u2028next%0Dback%0Anewline"


def unescape_property(value: str) -> str:
    """A workflow command property as the Actions runner reads it."""
    for escaped, char in (("%2C", ","), ("%3A", ":"), ("%0A", "\n"), ("%0D", "\r"), ("%25", "%")):
        value = value.replace(escaped, char)
    return value


def test_github_file_property_with_percent_comma_and_colon_round_trips(tmp_path):
    name = "50%25 off, a:b %0A.flow.yaml"
    (tmp_path / name).write_text(hostile_flow("plain"), encoding="utf-8")
    output = botlint(tmp_path, "check", "--format", "github")
    for line in output.splitlines():
        properties = line.split("::")[1].split(" ", 1)[1]
        fields = dict(field.split("=", 1) for field in properties.split(","))
        assert unescape_property(fields["file"]) == name


# --- machine formats carry the text exactly ----------------------------------------------------

def test_machine_formats_carry_hostile_text_exactly_and_stay_valid(hostile_project):
    findings = json.loads(botlint(hostile_project, "check", "--format", "json"))["findings"]
    assert any(OSC_TITLE in finding["message"] for finding in findings)
    assert {finding["path"] for finding in findings} == {EVIL_FILE}
    expected = sorted(message_with_hint(SimpleNamespace(**finding)) for finding in findings)

    sarif = json.loads(botlint(hostile_project, "check", "--format", "sarif"))
    [run] = sarif["runs"]
    assert sorted(result["message"]["text"] for result in run["results"]) == expected

    gitlab = json.loads(botlint(hostile_project, "check", "--format", "gitlab"))
    assert sorted(issue["description"] for issue in gitlab) == expected
    assert {issue["location"]["path"] for issue in gitlab} == {EVIL_FILE}

    # XML 1.0 cannot hold C0 controls even escaped: those alone become U+FFFD, the rest is exact.
    junit = ET.fromstring(botlint(hostile_project, "check", "--format", "junit").encode("utf-8"))
    not_xml = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
    failures = junit.findall(".//failure")
    assert sorted(failure.get("message") for failure in failures) == \
        sorted(not_xml.sub("\ufffd", finding["message"]) for finding in findings)
    assert any(RIGHT_TO_LEFT in failure.get("message") for failure in failures)


# --- Mermaid -----------------------------------------------------------------------------------

HOSTILE_LABELS = (
    "two\nlines",
    "%%{init: {'theme':'dark', 'securityLevel':'loose'}}%%",
    'x"]\nclick s_greet href "javascript:alert(1)"\n%% comment',
    '"] --> s_done\n  s_x["',
    "A|b [c] (d) {e} #quot; #35; &amp; :f; `code`",
    "<img src=x onerror=alert(1)> <b>bold</b>",
    "style s_greet fill:#f00",
    "classDef error fill:#000\nclass s_done error\nlinkStyle 0 stroke:#f00",
    "\\ backslash \\\" ",
    "```mermaid",
)

ID = r"[sm]_[A-Za-z0-9_]+"
# What a label may hold: printable text without Mermaid syntax, and entity codes.
LABEL = r"(?:[^\"%<>\[\](){}|#&`\\]|#(?:quot|lt|gt|amp|\d+);)*"
NODE = re.compile(rf"  (?P<id>{ID})\[\"(?P<label>{LABEL})(?:<br/><small>(?P<small>{LABEL})</small>)?\"\]")
EDGE = re.compile(rf"  (?P<source>{ID}) (?:-->|-\.->)(?:\|\"(?P<label>{LABEL})\"\|)? (?P<target>{ID})")
CLASS_DEF = re.compile(r"  classDef (?P<style>\w+) (?P<css>.+)")
CLASS = re.compile(rf"  class (?P<members>{ID}(?:,{ID})*) (?P<style>\w+)")
# Statements (click, class, classDef, style, linkStyle), even inside a word: Mermaid's own
# preprocessing looks for `style` and `classDef` anywhere on a line.
KEYWORD = re.compile(r"click|class|style", re.IGNORECASE)


def decoded(label: str) -> str:
    """A label as Mermaid shows it."""
    named = {"quot": '"', "lt": "<", "gt": ">", "amp": "&"}
    return re.sub(r"#(\w+);", lambda m: named.get(m[1]) or chr(int(m[1])), label)


def check_mermaid(block: str) -> list[str]:
    """Every line of the block against the grammar of what the report writes; the edge labels."""
    first, *lines = block.rstrip("\n").split("\n")
    assert first == "flowchart TD"
    declared, labels = set(), []
    for line in lines:
        assert line.isprintable(), repr(line)
        if node := NODE.fullmatch(line):
            declared.add(node["id"])
            parts = [node["label"], node["small"] or ""]
        elif edge := EDGE.fullmatch(line):
            assert {edge["source"], edge["target"]} <= declared, line
            parts = [edge["label"] or ""]
            labels.append(decoded(parts[0]))
        elif class_def := CLASS_DEF.fullmatch(line):
            assert MERMAID_CLASSES.get(class_def["style"]) == class_def["css"], line
            continue
        elif members := CLASS.fullmatch(line):
            assert set(members["members"].split(",")) <= declared and members["style"] in MERMAID_CLASSES, line
            continue
        else:
            raise AssertionError(f"not a line the report writes: {line!r}")
        for part in parts:
            assert not KEYWORD.search(part), line
    assert "%%" not in block
    return labels


def test_mermaid_labels_are_one_line_without_mermaid_syntax(tmp_path):
    (tmp_path / "labels.flow.yaml").write_text(hostile_flow(EVIL, HOSTILE_LABELS), encoding="utf-8")
    result = lint_paths([tmp_path], SettingsResolver(Overrides(), cwd=tmp_path), summarize=summarize)
    assert not result.errors, result.errors
    out = io.StringIO()
    get_audit_renderer("md")(build_audit(result, load_weights()), out)
    [block] = re.findall(r"```mermaid\n(.*?)```\n", out.getvalue(), re.S)
    labels = check_mermaid(block)
    # Neutralised, not lost: each label reads as its text on one line, unprintables escaped.
    for label in ("Yes " + EVIL, *HOSTILE_LABELS):
        assert f"'{printable(label.replace(chr(10), ' '))}'" in labels, label


def test_the_mermaid_grammar_of_the_test_rejects_what_an_attacker_would_write():
    for line in ('  s_a["x"]\n  click s_a href "javascript:alert(1)"', '  s_a["x"] %%{init: {}}%%',
                 '  s_a["x" ] --> s_b', '  s_a["<b>x</b>"]', '  s_a["style x"]', '  s_a -->|"a|b"| s_b'):
        with pytest.raises(AssertionError):
            check_mermaid(f'flowchart TD\n  s_a["a"]\n  s_b["b"]\n{line}\n')
