"""Fuzzing the front-ends: whatever bytes a file holds, botlint lints it or says clearly why not.

Each front-end (the flow language, YAML flows, each importer, the config loader) gets
generated and mutated versions of the shipped examples and fixtures: truncations, byte
flips and insertions, invalid UTF-8, deep nesting, huge strings, odd Unicode (bidi marks,
zero-width joiners, combining marks, BOMs), lone surrogate escapes, CRLF/CR line ends,
tabs, NUL bytes, YAML tags and aliases. The property: either it parses (and, through the
command line, lints), or it raises a BotlintError that names the file, with a line and
column where the input has positions, as one printable line; the command line exits 0, 1
or 2 with no traceback and no "internal error". Never a hang: each input runs under a
time bound.

The CI-sized run is small and derandomized; `python fuzz/run.py --minutes 10` runs the
same properties (`PROPERTIES` below) with many more examples. Inputs the long run found
are pinned here as regression tests.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import os
import re
import shutil
import signal
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter.core.errors import BotlintError, ConfigError
from linter.parse.limits import Limits

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"

MAX_INPUT_BYTES = 600_000
# No per-input deadline: timings flake on a loaded machine (a CLI run took 3.8 s once, 9 ms on
# retry). The hard bound catches hangs.
HARD_BOUND_SECONDS = 20
CI = settings(max_examples=150, derandomize=True, deadline=None, database=None, print_blob=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.filter_too_much, HealthCheck.large_base_example])


class Hang(Exception):
    """An input ran longer than the hard time bound."""


@contextlib.contextmanager
def time_bound(seconds: float = HARD_BOUND_SECONDS):
    """Raise Hang in the code under test if it runs longer than `seconds` (main thread, POSIX)."""
    if not hasattr(signal, "setitimer") or os.name != "posix":
        yield
        return

    def expire(signum, frame):
        raise Hang(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- what a clear error is -------------------------------------------------------------------------

def assert_clear(error: BotlintError, path: str | None, text: str | None = None, positioned: bool = True) -> None:
    """One printable line that names the file; a line and column inside the input where it has them."""
    message = error.message
    assert message and message.isprintable() and len(message) <= 500, repr(message)
    assert "Traceback" not in message and "internal error" not in message, message
    if path is not None:
        assert error.path == path or (error.path or "").startswith(path.rstrip("/") + "/"), (error.path, path)
    if error.line is not None:
        assert error.line >= 1 and (error.col is None or error.col >= 1), (error.line, error.col)
        if text is not None:
            assert error.line <= text.count("\n") + 2, (error.line, text.count("\n"))
    elif positioned and text is not None:
        # Errors about the whole file (its size, its bytes) have no position; syntax errors do.
        assert _UNPOSITIONED.search(message), f"no position: {message}"
    if error.source_line is not None:
        assert "\n" not in error.source_line and len(error.source_line) <= 301
    assert "\n" not in str(error)


# Messages that are about a whole file or a limit, not a place in it.
_UNPOSITIONED = re.compile(r"nested too deeply|cannot read|file is|no flows|invalid YAML: .*(stream|document)")


# --- inputs -----------------------------------------------------------------------------------------

def _read_seeds(paths) -> list[bytes]:
    return [path.read_bytes() for path in paths]


FLOW_SEEDS = _read_seeds(sorted((REPO / "examples").glob("*.flow")) + sorted(FIXTURES.glob("*.flow")))
YAML_SEEDS = _read_seeds(sorted(FIXTURES.glob("*.flow.yaml")) + sorted((REPO / "examples").glob("*.flow.yaml")))

ODD_TEXT = [
    "\u200f", "\u202e", "\u202d", "\u2066", "\u200d", "\u200b", "\u2060", "\u0301", "e\u0301\u0302\u0303",
    "\ufeff", "\u00a0", "\u2028", "\u2029", "\u0085", "\t", "\r\n", "\r", "\x00", "\x1b[31m", "\x0b", "\x0c",
    "\x7f", "\x01", "😀", "👩\u200d👩\u200d👧", "\U0010ffff", "\ufffd", "\uffff", "ǅ", "İ", "ß", "ﬃ", "Ⅻ",
    "١٢٣", "עברית", "\u0644\u0627", "𝔘𝔫𝔦", "ㅤ", "\u3000", "\ue000",
]
BAD_BYTES = [b"\xff", b"\x80", b"\xc0\xaf", b"\xed\xa0\x80", b"\xed\xb0\x80", b"\xf4\x90\x80\x80", b"\xe2\x82",
             b"\xef\xbb\xbf", b"\xfe\xff", b"\x00", b"\r", b"\r\n"]
DECLARATIONS = [
    "# -*- coding: latin-1 -*-\n", "# botlint: encoding=cp1251\n", "# coding: utf-8\n", "# coding=utf-16\n",
    "# vim: set fileencoding=koi8-r :\n", "# coding: punycode\n", "# coding: klingon\n", "# coding: rot13\n",
    "# botlint: encoding=\n", "# coding: utf_8_sig\n", "# coding: shift_jis\n", "#!/bin/sh\n# coding: latin-1\n",
]
FLOW_SNIPPETS = [
    '"', '"""', "\\", "\\u", "\\ud800", "\\udc00", "\\uD83D\\uDE00", "\\u{110000}", "\\u{D800}", "\\u{1F600}",
    "\\q", ":", "->", "-> ", "#", "  ", "    ", "\n", "\n\n", "step x:\n", "  step y:\n    end\n",
    "followup after 1d:\n", 'ask "q":\n', 'say "x"\n', "{", "}", "{first_name|", "{{", "flow f:\n",
    "sequence s:\n", "  channel sms\n", "  channel sms\n  channel sms\n", "wait 99999999999999999999d\n",
    "count 99999999999999999999999", "limit 1 per day", "09:00-25:61", "mon-sun", "if x == \"y\" -> z\n",
    "# botlint: disable=BL601", "# botlint: disable-next-line=XX999", "# botlint: disable-file", "\t", "\f",
    "action webhook \"", "handoff to \"\":\n", 'trigger message keywords "a", "b"\n', "set a\n",
]
YAML_SNIPPETS = [
    "&a ", "*a", "&a [*a]", "!!python/object/apply:os.system [\"id\"]", "!!python/name:os.system",
    "!!python/object/new:os.system [id]", "!!binary aGk=", "!!str ", "!!map ", "!!set ", "!!omap ", "!foo ",
    "!<tag:yaml.org,2002:python/object:os.system> ", "%YAML 1.1\n---\n", "%TAG ! tag:x,2000:\n---\n", "---\n",
    "...\n", "? ", "<<: *a\n", "{", "}", "[", "]", "\"\\ud800\"", "\"\\ud83d\\ude00\"", "\"\\U0010ffff\"",
    "\"\\x00\"", "'", "|", ">", "- ", ": ", "\t", "0x1F", "-0x1f", "0b101", "0o17", "1_000", "1:30", "1e999",
    ".inf", "-.inf", ".nan", "9" * 5000, "yes", "no", "on", "~", "null", "2001-12-14t21:59:43.10-05:00",
    "span: {line: 1}\n", "flows: 5\n", "flows: [1, 2]\n", "flows:\n- kind: flow\n  name: a\n  steps: []\n",
    "end: true", "say: ", "goto: ", "if: {replied: true}", "do: []", "followup_after: 1d",
]
JSON_SNIPPETS = [
    "{", "}", "[", "]", ",", ":", "\"", "\\", "\\ud800", "\"\\ud800\"", "\"\\ud83d\\ude00\"", "\\u0000",
    "\"\\u0000\"", "null", "true", "false", "1e999", "-0", "9" * 5000, "{\"a\":", "\"$kind\"", "\"text\"",
    "\"id\"", "\"type\"", "\"nodes\"", "[]", "{}", "\"\"", "\"\\\"", "0.5e-7", "NaN", "Infinity", "\"x\":1,",
]


def _pos(draw, data) -> int:
    return draw(st.integers(0, len(data)))


@st.composite
def mutated(draw, seeds: list[bytes], snippets: list[str], deepen=None, max_ops: int = 4) -> bytes:
    """A seed with 1..max_ops random edits: bytes, text and structure."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, max_ops))):
        del data[MAX_INPUT_BYTES:]  # large inputs are bench/limits.py's business: keep each example quick
        op = draw(st.sampled_from(["truncate", "flip", "insert", "snippet", "odd", "bad", "delete", "repeat",
                                   "newlines", "tabs", "huge", "deepen", "declare", "bom", "nul"]))
        if op == "truncate":
            del data[_pos(draw, data):]
        elif op == "flip" and data:
            at = draw(st.integers(0, len(data) - 1))
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "insert":
            at = _pos(draw, data)
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif op == "snippet":
            at = _pos(draw, data)
            data[at:at] = draw(st.sampled_from(snippets)).encode("utf-8", "surrogatepass")
        elif op == "odd":
            at = _pos(draw, data)
            data[at:at] = draw(st.sampled_from(ODD_TEXT)).encode("utf-8")
        elif op == "bad":
            at = _pos(draw, data)
            data[at:at] = draw(st.sampled_from(BAD_BYTES))
        elif op == "delete" and data:
            start = draw(st.integers(0, len(data) - 1))
            del data[start:start + draw(st.integers(1, 200))]
        elif op == "repeat" and data:
            lines = bytes(data).split(b"\n")
            index = draw(st.integers(0, len(lines) - 1))
            lines[index:index + 1] = [lines[index]] * draw(st.integers(2, 300))
            data = bytearray(b"\n".join(lines))
        elif op == "newlines":
            data = bytearray(bytes(data).replace(b"\n", draw(st.sampled_from([b"\r\n", b"\r", b"\n\r"]))))
        elif op == "tabs":
            data = bytearray(re.sub(rb"(?m)^  ", b"\t", bytes(data)))
        elif op == "huge":
            at = _pos(draw, data)
            size = draw(st.sampled_from([1000, 65_536, 100_001, 250_000]))
            data[at:at] = b'"' + draw(st.sampled_from([b"x", b"\xc3\xa9", b"\\n", b" "])) * size + b'"'
        elif op == "deepen" and deepen is not None:
            data = bytearray(deepen(bytes(data), draw(st.sampled_from([10, 63, 64, 65, 200, 3000]))))
        elif op == "declare":
            data[0:0] = draw(st.sampled_from(DECLARATIONS)).encode("ascii")
        elif op == "bom":
            data[0:0] = b"\xef\xbb\xbf"
        elif op == "nul":
            at = _pos(draw, data)
            data[at:at] = b"\x00"
    return bytes(data[:MAX_INPUT_BYTES])


def deepen_flow(data: bytes, depth: int) -> bytes:
    """Followups nested `depth` deep, inside the first step."""
    body = b"".join(b"  " * (level + 2) + b"followup after 1d:\n" for level in range(depth))
    return b"flow deep:\n  step s:\n" + body + b"  " * (depth + 2) + b"end\n" + data


def deepen_yaml(data: bytes, depth: int) -> bytes:
    return b"flows: " + b"[" * depth + b"]" * depth + b"\n" + data if depth % 2 else \
        b"".join(b" " * level + b"a:\n" for level in range(depth)) + b" " * depth + b"b: 1\n" + data


def deepen_json(data: bytes, depth: int) -> bytes:
    return b"[" * depth + data + b"]" * depth if depth % 2 else b'{"a":' * depth + data + b"}" * depth


FLOW_INPUTS = mutated(FLOW_SEEDS, FLOW_SNIPPETS, deepen_flow)
YAML_INPUTS = mutated(YAML_SEEDS, YAML_SNIPPETS, deepen_yaml)


# --- generated flow-language source: statements from the grammar, nested -----------------------------

_NAMES = st.from_regex(r"[A-Za-z_][A-Za-z0-9_\-]{0,8}", fullmatch=True)
_TEXTS = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters='"\\\n\r'), max_size=30)


def _quoted(text: str) -> str:
    return '"' + text + '"'


@st.composite
def flow_statement(draw, depth: int = 0) -> list[str]:
    kind = draw(st.sampled_from(["say", "ask", "wait", "wait_until", "wait_for", "if", "goto", "handoff",
                                 "action", "set", "followup", "end"]))
    name, text = draw(_NAMES), _quoted(draw(_TEXTS))
    if kind == "say":
        return [f"say {text}" + draw(st.sampled_from(["", " tag ACCOUNT_UPDATE", ' template "t" category utility']))]
    if kind == "ask":
        items = draw(st.lists(st.sampled_from([f"reply {text} -> {name}", f'button {text} url "https://x"',
                                               f"row {text}", f"capture {name} as email -> {name}",
                                               f"otherwise -> {name}"]), max_size=4))
        return [f"ask {text}" + (":" if items else "")] + ["  " + item for item in items]
    if kind == "wait":
        return [f"wait {draw(st.integers(0, 10 ** 6))}{draw(st.sampled_from('smhdw'))}"]
    if kind == "wait_until":
        return [f"wait until {draw(st.integers(0, 30))}:{draw(st.integers(0, 70)):02d} \"Europe/Berlin\""]
    if kind == "wait_for":
        return [f"wait for reply timeout 2d -> {name}"]
    if kind == "if":
        condition = draw(st.sampled_from(["replied", "no reply", f"tag {text}", f"{name} == {text}"]))
        return [f"if {condition} -> {name} else -> {name}"]
    if kind == "goto":
        return [f"goto {name}"]
    if kind == "handoff":
        return [f"handoff to {text}:", f"  owner {text}", "  sla 4h", "  hours mon-fri 09:00-17:00",
                f"  tell {text}", f"  unanswered -> {name}"]
    if kind == "action":
        return [f"action {draw(st.sampled_from(['tag', 'connect', 'webhook', 'dance']))} {text} limit 3 per day"]
    if kind == "set":
        return [f"set {name} = {text}"]
    if kind == "followup" and depth < 6:
        body = draw(st.lists(flow_statement(depth + 1), min_size=1, max_size=3))
        return ["followup after 1d:"] + ["  " + line for statement in body for line in statement]
    return ["end"]


@st.composite
def flow_source(draw) -> bytes:
    lines = []
    for _ in range(draw(st.integers(1, 2))):
        lines.append(f"{draw(st.sampled_from(['flow', 'sequence']))} {draw(_NAMES)}:")
        lines += ["  " + setting for setting in draw(st.lists(st.sampled_from([
            "channel messenger", "channel sms", "language en", "trigger message keywords \"hi\"",
            "trigger schedule every 1d at 10:00", "audience opted-in", "window 09:00-20:00 recipient",
            'description "d"']), max_size=3, unique=True))]
        for _ in range(draw(st.integers(1, 4))):
            lines.append(f"  step {draw(_NAMES)}:")
            for statement in draw(st.lists(flow_statement(), min_size=1, max_size=5)):
                lines += ["    " + line for line in statement]
    return ("\n".join(lines) + "\n").encode("utf-8")


# --- the properties: shared by these tests and fuzz/run.py -----------------------------------------

_NATIVE_ROOT: list[Path] = []


def check_native(data: bytes, fmt: str, limits: Limits | None = None) -> str:
    """Bytes of a .flow / .flow.yaml file through reading, decoding, parsing and validation."""
    from linter.parse import parse_file

    if not _NATIVE_ROOT:
        _NATIVE_ROOT.append(Path(tempfile.mkdtemp(prefix="botlint-fuzz-native-")))
        atexit.register(shutil.rmtree, _NATIVE_ROOT[0], True)
    path = "fuzz.flow" if fmt == "flow" else "fuzz.flow.yaml"
    file = _NATIVE_ROOT[0] / path
    file.write_bytes(data)
    with time_bound():
        try:
            parse_file(file, path, fmt, limits)
        except BotlintError as error:
            assert_clear(error, path, data.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n"))
            return "error"
    return "parsed"


def check_cli(args: list[str]) -> int:
    """`botlint ARGS` in-process: exit code 0/1/2, nothing that looks like a crash on either stream."""
    from linter.cli import main

    out, err = io.StringIO(), io.StringIO()
    with time_bound(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    output = out.getvalue() + err.getvalue()
    assert code in (0, 1, 2), (code, output[-2000:])
    assert "Traceback" not in output, output[-2000:]
    assert "internal error" not in output, output[-2000:]
    if code == 2:
        assert re.search(r"(?m)^\S.*: error: ", output), output[-2000:]
    lines = output.split("\n")
    for index, line in enumerate(lines):  # error lines (and the quoted line under them) are printable
        if ": error: " in line or line.startswith("botlint: "):
            assert line.isprintable(), repr(line)
            quoted = lines[index + 1] if index + 1 < len(lines) else ""
            if quoted.startswith("    ") and not quoted.startswith("    hint: "):  # the line under the caret
                assert quoted.isprintable(), repr(quoted)
    return code


class Project:
    """A copy of a fixture project in a temporary folder, with one file swapped per example."""

    def __init__(self, source: Path, fmt: str, unit: str = ".", suffixes=(".json", ".yml", ".yaml", ".dialog", ".lg")):
        self.root = Path(tempfile.mkdtemp(prefix=f"botlint-fuzz-{fmt}-"))
        atexit.register(shutil.rmtree, self.root, True)
        self.folder = self.root / source.name
        if source.is_dir():
            shutil.copytree(source, self.folder)
        else:
            self.folder.mkdir()
            shutil.copy(source, self.folder / source.name)
        self.fmt = fmt
        self.unit = self.folder / unit if unit != "." else self.folder
        self.files = sorted(p.relative_to(self.folder).as_posix() for p in self.folder.rglob("*")
                            if p.is_file() and p.suffix in suffixes)
        self.originals = {name: (self.folder / name).read_bytes() for name in self.files}

    @contextlib.contextmanager
    def swapped(self, name: str, data: bytes):
        path = self.folder / name
        path.write_bytes(data)
        try:
            yield path
        finally:
            path.write_bytes(self.originals[name])

    def check(self, name: str, data: bytes, through_cli: bool) -> str:
        from linter.parse import import_unit

        with self.swapped(name, data):
            if through_cli:
                check_cli(["check", "--no-cache", "--no-color", "--jobs", "1", "--input-format", self.fmt,
                           str(self.unit)])
                return "cli"
            display = "project"
            with time_bound():
                try:
                    _, result = import_unit(self.unit, display, self.fmt)
                except BotlintError as error:
                    assert_clear(error, display, positioned=False)
                    return "error"
            for error in result.errors:
                assert_clear(error, display, positioned=False)
            return "imported, with errors" if result.errors else "imported"


_PROJECTS: dict[str, Project] = {}


def project(fmt: str) -> Project:
    if fmt not in _PROJECTS:
        source, unit = {
            "rasa": (FIXTURES / "rasa" / "cafe", "."),
            "dialogflow-cx": (FIXTURES / "dialogflow_cx" / "coffee-agent", "."),
            "composer": (FIXTURES / "composer" / "plantbot", "."),
            "typebot": (FIXTURES / "typebot" / "pizza-order.json", "pizza-order.json"),
            "botpress": (FIXTURES / "botpress" / "coffee-bot", "flows/main.flow.json"),
        }[fmt]
        _PROJECTS[fmt] = Project(source, fmt, unit)
    return _PROJECTS[fmt]


def _importer_snippets(fmt: str) -> list[str]:
    return YAML_SNIPPETS if fmt == "rasa" else JSON_SNIPPETS + (FLOW_SNIPPETS[:12] if fmt == "composer" else [])


def importer_inputs(fmt: str):
    """(file in the project, its new bytes): a mutation of that file."""
    files = project(fmt).files
    originals = project(fmt).originals

    @st.composite
    def build(draw):
        name = draw(st.sampled_from(files))
        deepen = deepen_yaml if name.endswith((".yml", ".yaml")) else deepen_json
        return name, draw(mutated([originals[name]], _importer_snippets(fmt), deepen))

    return build()


def check_importer(fmt: str, case: tuple[str, bytes], through_cli: bool = False) -> str:
    name, data = case
    return project(fmt).check(name, data, through_cli)


# --- the config loader -------------------------------------------------------------------------------

CONFIG_YAML_SEEDS = [
    b"select: [BL]\nextend-select: [BL900]\nignore: [BL601]\nseverity: {BL601: warning}\n"
    b"per-file-ignores: {\"legacy/*\": [BL002]}\nlanguage: en\nchannel: messenger\nexclude: [generated]\n"
    b"fail-on: warning\nlimits: {max-file-bytes: 1000000, max-depth: 32, max-steps: 500, max-message-chars: 5000}\n",
    b"policy: {sms: us-fl}\ndisclose-bot: true\nbusiness-name: Brightbean\n"
    b"per-path: {\"bots/sales/**\": {channel: whatsapp, language: de}}\nrulesets: [rules.yaml]\n",
]
CONFIG_TOML_SEEDS = [
    b'[tool.botlint]\nselect = ["BL"]\nextend-select = ["BL900"]\nignore = ["BL601"]\n'
    b'severity = { BL601 = "warning" }\nper-file-ignores = { "legacy/*" = ["BL002"] }\nlanguage = "en"\n'
    b'channel = "messenger"\nexclude = ["generated"]\nfail-on = "warning"\n'
    b"limits = { max-file-bytes = 1000000, max-depth = 32, max-steps = 500, max-message-chars = 5000 }\n",
    b'[project]\nname = "x"\n\n[tool.botlint]\npolicy = { sms = "us-fl" }\ndisclose-bot = true\n'
    b'rulesets = ["rules.yaml"]\n\n[tool.botlint.limits]\nmax-steps = 20\n',
]
RULESET_SEEDS = [
    b"rules:\n  BL900: {enabled: true}\n  BL402: {max_followups: 2}\nchannels:\n  messenger:\n"
    b"    text_max_chars: 640\nlexicons:\n  en:\n    boilerplate: [\"as per your request\"]\n",
]
TOML_SNIPPETS = ["[", "]", "{", "}", "=", '"', "'''", '"""', "\\ud800", '"\\ud800"', "[tool.botlint.limits]\n",
                 "max-depth = 0\n", "max-depth = true\n", "max-dept = 1\n", "limits = 5\n", "[[tool.botlint]]\n",
                 "tool = 5\n", "rulesets = [1]\n", "exclude = [{}]\n", "x = 1979-05-27T07:32:00Z\n", "inf",
                 "nan", "0x_1", "1__2", "#", "\n", "a.b.c = 1\n", "select = [\"BL\", 5]\n"]
CONFIG_YAML_SNIPPETS = YAML_SNIPPETS + ["limits: {max-depth: 0}\n", "limits: {max-dept: 1}\n", "limits: 5\n",
                                        "rulesets: [1]\n", "exclude: [{}]\n", "rules: [1]\n", "policies: {a: 1}\n"]


def config_inputs():
    """(config file name, its bytes, the ruleset's bytes)."""
    yaml = st.tuples(st.just(".botlint.yaml"), mutated(CONFIG_YAML_SEEDS, CONFIG_YAML_SNIPPETS, deepen_yaml))
    toml = st.tuples(st.just("pyproject.toml"), mutated(CONFIG_TOML_SEEDS, TOML_SNIPPETS, deepen_json))
    ruleset = st.one_of(st.just(RULESET_SEEDS[0]), mutated(RULESET_SEEDS, CONFIG_YAML_SNIPPETS, deepen_yaml))
    return st.tuples(st.one_of(yaml, toml), ruleset).map(lambda pair: (*pair[0], pair[1]))


_CONFIG_ROOT: list[Path] = []


def check_config(case: tuple[str, bytes, bytes]) -> str:
    from linter.engine.settings import Overrides, resolve

    name, data, ruleset = case
    if not _CONFIG_ROOT:
        _CONFIG_ROOT.append(Path(tempfile.mkdtemp(prefix="botlint-fuzz-config-")))
        atexit.register(shutil.rmtree, _CONFIG_ROOT[0], True)
    root = _CONFIG_ROOT[0]
    for old in root.iterdir():
        old.unlink()
    (root / name).write_bytes(data)
    (root / "rules.yaml").write_bytes(ruleset)
    with time_bound():
        try:
            resolve(root / name, Overrides(), root)
        except ConfigError as error:
            # The config, the ruleset, or a ruleset the config names that is not there.
            assert (error.path or "").startswith(str(root)), error.path
            assert_clear(error, None, positioned=False)
            return "error"
    return "resolved"


# Every front-end: name -> (strategy, property). fuzz/run.py runs these for longer.
IMPORTERS = ("rasa", "dialogflow-cx", "composer", "typebot", "botpress")


def properties() -> dict:
    found = {
        "flow": (FLOW_INPUTS, lambda data: check_native(data, "flow")),
        "flow-generated": (flow_source(), lambda data: check_native(data, "flow")),
        "yaml": (YAML_INPUTS, lambda data: check_native(data, "yaml")),
        "config": (config_inputs(), check_config),
    }
    for fmt in IMPORTERS:
        found[fmt] = (importer_inputs(fmt), lambda case, fmt=fmt: check_importer(fmt, case))
        found[f"{fmt}-cli"] = (importer_inputs(fmt), lambda case, fmt=fmt: check_importer(fmt, case, True))
    found["flow-cli"] = (st.one_of(FLOW_INPUTS, flow_source()), _check_flow_cli)
    return found


_CLI_ROOT: list[Path] = []


def _check_flow_cli(data: bytes) -> int:
    if not _CLI_ROOT:
        _CLI_ROOT.append(Path(tempfile.mkdtemp(prefix="botlint-fuzz-cli-")))
        atexit.register(shutil.rmtree, _CLI_ROOT[0], True)
    path = _CLI_ROOT[0] / "fuzz.flow"
    path.write_bytes(data)
    return check_cli(["check", "--no-cache", "--no-color", "--jobs", "1", str(path)])


# --- the CI-sized runs -------------------------------------------------------------------------------

@CI
@given(FLOW_INPUTS)
def test_flow_language_mutations(data):
    check_native(data, "flow")


@CI
@given(flow_source())
def test_generated_flow_language(data):
    check_native(data, "flow")


@CI
@given(YAML_INPUTS)
def test_yaml_flow_mutations(data):
    check_native(data, "yaml")


@CI
@given(config_inputs())
def test_config_loader_mutations(case):
    check_config(case)


@pytest.mark.parametrize("fmt", IMPORTERS)
def test_importer_mutations(fmt):
    @settings(CI, max_examples=40)
    @given(importer_inputs(fmt))
    def run(case):
        check_importer(fmt, case)

    run()


@pytest.mark.parametrize("fmt", IMPORTERS)
def test_importer_mutations_through_the_cli(fmt):
    @settings(CI, max_examples=10)
    @given(importer_inputs(fmt))
    def run(case):
        check_importer(fmt, case, through_cli=True)

    run()


@settings(CI, max_examples=25)
@given(st.one_of(FLOW_INPUTS, flow_source()))
def test_flow_files_through_the_cli(data):
    _check_flow_cli(data)


def test_the_fixtures_themselves_import_cleanly():
    """The seeds are valid: mutations start from working projects, so they reach deep code."""
    for fmt in IMPORTERS:  # (the Composer bot names a dialog it lacks on purpose: a BL003 finding, no error)
        assert check_importer(fmt, (project(fmt).files[0], project(fmt).originals[project(fmt).files[0]])) \
            == "imported", fmt
    for seed in FLOW_SEEDS:
        assert check_native(seed, "flow") == "parsed"
    for seed in YAML_SEEDS:
        assert check_native(seed, "yaml") == "parsed"


# --- regressions: inputs the long run (fuzz/run.py) or the hardening review found -------------------

def test_found_rasa_step_key_with_a_brace_is_a_notice_not_a_crash():
    """fuzz/run.py, rasa: a mutated step key `int{ent` reached str.format() in the skipped-element
    notice (ValueError: expected '}' before end of string), which lost the whole project."""
    stories = project("rasa").originals["data/stories.yml"].replace(b"- intent: greet", b"- int{ent: greet", 1)
    assert check_importer("rasa", ("data/stories.yml", stories)) == "imported"
    from linter.parse import import_unit

    with project("rasa").swapped("data/stories.yml", stories):
        _, result = import_unit(project("rasa").unit, "cafe", "rasa")
    assert any("unsupported type 'int{ent'" in notice for notice in result.notices)


def test_found_ruleset_name_too_long_for_the_file_system():
    """fuzz/run.py, config: `rulesets: ["\\n" * 100000]` made Path.is_file() raise OSError
    (ENAMETOOLONG), an internal error instead of a config error."""
    case = (".botlint.yaml", b'rulesets: ["' + b"\\n" * 100_000 + b'"]\n', RULESET_SEEDS[0])
    assert check_config(case) == "error"


@pytest.mark.parametrize("case", [
    (".botlint.yaml", b"rulesets: [1]\n", RULESET_SEEDS[0]),  # `root / 1`: TypeError
    (".botlint.yaml", b"exclude: [{}]\n", RULESET_SEEDS[0]),  # pattern.rstrip on a dict
    ("pyproject.toml", b"tool = 5\n[x]\n", RULESET_SEEDS[0]),  # `5.get("botlint")`: no section, defaults
    ("pyproject.toml", b"[tool.botlint]\nx = " + b"[" * 5000 + b"]" * 5000 + b"\n", RULESET_SEEDS[0]),  # tomllib
    (".botlint.yaml", b"rulesets: [rules.yaml]\n", b"rules: [1]\n"),  # `[1].items()`
    (".botlint.yaml", b"rulesets: [rules.yaml]\n", b"channels: 5\n"),
    (".botlint.yaml", b"rulesets: [rules.yaml]\n", b"policies: {a: 1}\n"),  # a profile that is not a mapping
    (".botlint.yaml", b"rulesets: [rules.yaml]\n", b"policies: [1]\n"),
])
def test_found_config_shapes_that_crashed(case):
    assert check_config(case) == ("resolved" if case[1].startswith(b"tool = 5") else "error")


@pytest.mark.parametrize("source, message", [
    ('flow a:\n  step s:\n    say "\\ud800"\n', "escape '\\ud800' is half of a UTF-16 surrogate pair"),
    ('flow a:\n  step s:\n    say "\\u{DC00}"\n', "half of a UTF-16 surrogate pair"),
    ('flow a:\n  step s:\n    say "\\ude00\\ud83d"\n', "half of a UTF-16 surrogate pair"),  # the wrong order
])
def test_found_lone_surrogate_escapes_in_the_flow_language(source, message):
    """A lone surrogate became a str no output stream can encode: every report of the file crashed."""
    from linter.parse import parse_text

    with pytest.raises(BotlintError) as info:
        parse_text(source, "s.flow")
    assert message in info.value.message and (info.value.line, info.value.col) == (3, 10)


def test_surrogate_pairs_written_as_escapes_are_one_character():
    from linter.parse import parse_text

    document = parse_text('flow a:\n  step s:\n    say "\\ud83d\\ude00 \\uD83D\\uDE00"\n    end\n', "p.flow").document
    assert document.flows[0].steps[0].do[0].say == "😀 😀"


@pytest.mark.parametrize("data", [
    b'flows:\n- kind: flow\n  name: a\n  steps:\n  - name: s\n    do:\n    - say: "\\ud800"\n',
    b'flows:\n- kind: flow\n  name: a\n  steps:\n  - name: s\n    do:\n    - say: "x\\udc00y"\n',
])
def test_found_lone_surrogate_escapes_in_yaml(data):
    assert check_native(data, "yaml") == "error"


def test_surrogate_pairs_in_yaml_are_joined():
    from linter.parse import parse_text

    text = 'flows:\n- kind: flow\n  name: a\n  steps:\n  - name: s\n    do:\n    - say: "\\ud83d\\ude00"\n'
    assert parse_text(text, "p.flow.yaml", "yaml").document.flows[0].steps[0].do[0].say == "😀"


def test_found_lone_surrogate_escape_in_json():
    data = project("typebot").originals["pizza-order.json"].replace(b'"name"', b'"\\ud800name"', 1)
    assert check_importer("typebot", ("pizza-order.json", data)) == "imported, with errors"  # the file is refused, clearly
    from linter.parse.jsonpos import load_json

    with pytest.raises(BotlintError) as info:
        load_json('{"a": "x\\ud83d\\ude00\\udc00"}', "s.json")
    assert (info.value.line, info.value.col) == (1, 21) and "half of a UTF-16 surrogate pair" in info.value.message
    assert load_json('{"a": "\\ud83d\\ude00"}', "p.json").data == {"a": "😀"}


@pytest.mark.parametrize("data", [
    b"flows:\n- kind: flow\n  name: a\n  count: " + b"9" * 5000 + b"\n",  # int() refuses 4300+ digits
    b"flows: &a [*a]\n",  # a recursive alias: the builder recursed for ever
    b"flows:\n- &a {kind: flow, name: a, steps: [], x: *a}\n",
    b"a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    b"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n",  # laughs
    b"flows: " + b"[" * 5000 + b"]" * 5000 + b"\n",  # ruamel's composer recursed past Python's limit
    b"%YAML 1.1\n---\nflows:\n- kind: flow\n  name: a\n  steps:\n  - name: s\n    do: [{end: yes}]\n",
    b"x: \x01\n",  # a character YAML does not allow: a ReaderError with no mark
    b'x: "\\U1001F600"\n',  # an escape past U+10FFFF: ruamel's scanner raised ValueError from chr()
    b'x: "\\UFFFFFFFF"\n',  # ... and OverflowError
])
def test_found_yaml_inputs(data):
    assert check_native(data, "yaml") in ("error", "parsed")


def test_yaml_1_1_booleans_mean_what_they_say():
    from linter.parse import parse_text

    text = "%YAML 1.1\n---\nflows:\n- kind: flow\n  name: a\n  steps:\n  - name: s\n    do:\n" \
           "    - if: {replied: no}\n      then: s\n    - end: yes\n"
    branch = parse_text(text, "y.flow.yaml", "yaml").document.flows[0].steps[0].do[0]
    assert branch.if_.replied is False  # `no` was read as False only by accident: `lower() == "true"`


def _yaml_read(libyaml: bool, text: str):
    """What botlint keeps of a YAML file, read with libyaml first or with the Python parser only:
    the data, and where each key, item and container starts (a span's end after an empty value is
    where each parser stops)."""
    from linter.parse import yaml_flow

    def where(value, positions):
        if isinstance(value, dict):
            yield ((positions.span(value) or (0, 0))[:2], [(key, positions.key(value, key)) for key in value])
            for item in value.values():
                yield from where(item, positions)
        elif isinstance(value, list):
            yield ((positions.span(value) or (0, 0))[:2], [positions.item(value, i) for i in range(len(value))])
            for item in value:
                yield from where(item, positions)

    chosen, yaml_flow.LIBYAML = yaml_flow.LIBYAML, libyaml
    try:
        data, positions, _ = yaml_flow.load_data(text, "x.yml")
        return repr(data), list(where(data, positions))
    except BotlintError:
        return None
    finally:
        yaml_flow.LIBYAML = chosen


def test_yaml_is_read_by_libyaml_where_the_python_has_it():
    from linter.parse import yaml_flow

    pytest.importorskip("ruamel.yaml.cyaml").CParser  # noqa: B018 - the C extension is installed
    assert yaml_flow.LIBYAML


@CI
@given(mutated(YAML_SEEDS + [YAML_SNIPPETS[-8].encode()], YAML_SNIPPETS, deepen_yaml))
def test_libyaml_and_the_python_parser_read_the_same_yaml(data):
    """Whatever the Python parser reads, botlint reads the same (data and positions) with libyaml."""
    from linter.parse import yaml_flow
    from linter.parse.source import decode

    if not yaml_flow.LIBYAML:
        pytest.skip("no libyaml here: only the Python parser reads YAML")
    try:
        text = decode(data, "x.yml")
    except BotlintError:
        return
    pure = _yaml_read(False, text)
    if pure is not None:
        assert _yaml_read(True, text) == pure


@pytest.mark.parametrize("data", [
    b'{"groups": [' + b"[" * 5000 + b"]" * 5000 + b"]}",
    b'{"version": "6", "groups": [], "x": ' + b"9" * 5000 + b"}",  # int() refuses 4300+ digits
])
def test_found_json_inputs(data):
    assert check_importer("typebot", ("pizza-order.json", data)) in ("imported, with errors", "error")


def test_found_unprintable_characters_never_reach_the_terminal():
    """An ESC or a bidi override in a file (or its name) would rewrite what the terminal shows."""
    from linter.parse import parse_text

    with pytest.raises(BotlintError) as info:
        parse_text('flow a:\n  step s:\n    s\x1b[2Jy\u202e "x"\n', "e\x1b]0;x\x07.flow")
    error = info.value
    assert error.message.isprintable() and error.source_line.isprintable()
    assert "\\x1b" in str(error) and "\x1b" not in str(error)
    assert len(error.source_line) == len('    s\x1b[2Jy\u202e "x"')  # one character each: the caret stays put


def test_found_huge_source_line_is_not_printed_whole():
    """A minified JSON export is one line: an error in it quoted 10 MB under the message."""
    from linter.parse.jsonpos import load_json

    with pytest.raises(BotlintError) as info:
        load_json('{"a": [' + "1," * 100_000 + "]}", "min.json")
    assert info.value.source_line is None and info.value.col == 200_008


@pytest.mark.parametrize("data, fragment", [
    (b"# coding: punycode\nflow a:\n", "cannot be declared"),  # O(n^2) decoder; and not a character set
    (b"# coding: utf-16\nflow a:\n", "cannot be declared"),
    (b"# coding: nope\n", "unknown encoding 'nope'"),
    (b"\xef\xbb\xbf# coding: cp1251\n", "byte order mark"),
])
def test_found_declarations(data, fragment):
    from linter.parse.source import decode

    with pytest.raises(BotlintError) as info:
        decode(data, "d.flow")
    assert fragment in info.value.message and info.value.line == 1


@pytest.mark.parametrize("name", ["{secret}", "../../{base}", "../../../{base}"])
def test_found_botpress_names_outside_the_bot_are_never_read(tmp_path, name):
    """Review: a skill call's `flow` (the file's own text) was opened wherever it pointed, and an
    error quoted its first line: "/proc/self/environ" would print a CI job's secrets."""
    from linter.parse import import_unit

    secret = tmp_path / "secret.flow.json"
    secret.write_text("TOKEN=hunter2\n", encoding="utf-8")
    bot = tmp_path / "a" / "coffee-bot"
    shutil.copytree(FIXTURES / "botpress" / "coffee-bot", bot)
    main_flow = bot / "flows" / "main.flow.json"
    target = name.format(secret=secret, base=os.path.relpath(secret, bot / "flows"))
    main_flow.write_text(main_flow.read_text(encoding="utf-8").replace("skills/choice-a1.flow.json", target),
                         encoding="utf-8")
    parsed, result = import_unit(main_flow, "main.flow.json", "botpress")
    shown = " ".join(str(error) + (error.source_line or "") for error in result.errors)
    assert "hunter2" not in shown + " ".join(result.notices) + parsed.document.model_dump_json()
    # Outside the bot is as good as missing: a broken reference (BL003), the file never opened.
    assert [(m.kind, m.name) for flow in parsed.document.flows for m in flow.missing] == [("skill", target)]


def test_found_error_lines_are_told_apart_from_the_findings_after_them():
    """fuzz/run.py, composer-cli: the property took a finding that followed an error for the
    error's quoted source line. (The finding's own U+202D is the report layer's to escape.)"""
    lg = b"# SendActivity_tp0006()\n- Every plan{}t is different: te\xe2\x80\xadll{} me which one you have.\n"
    assert check_importer("composer", ("dialogs/tips/language-generation/en-us/tips.en-us.lg", lg), True) == "cli"


@pytest.mark.parametrize("text", [
    'Shall"' + "x" * 200_000 + " end.",  # found by the long run (Composer): no "@" for the e-mail pattern
    "Done" + "." * 200_000 + "ok",
    "Wait" + "!" * 200_000,
])
def test_found_long_runs_are_read_in_linear_time(text):
    from linter.model.text import prose, sentences

    with time_bound():  # quadratic patterns took minutes on these
        assert isinstance(prose(text), str) and sentences(text)


def test_found_botpress_paths_of_many_brackets_are_read_in_linear_time():
    from linter.parse.importers.botpress import variable

    with time_bound():
        assert variable("temp" + "[" * 200_000) and variable("temp['skill-ret']") == "temp.skill_ret"


@pytest.mark.parametrize("comment", [
    '# botlint: disable-next-line=BL1"' + " " * 250_000 + '"10',  # found by the campaign (Composer, an .lg comment)
    "# botlint: disable=BL101" + "\t" * 250_000 + "x",
])
def test_found_long_suppression_comments_are_read_in_linear_time(comment):
    from linter.engine.suppress import parse_suppressions
    from linter.parse import Comment

    with time_bound(5):  # the suppression pattern split the blanks every way: quadratic, minutes
        with pytest.raises(BotlintError, match="unknown rule code"):
            parse_suppressions([Comment(16, 1, comment)], "tips.lg")


def test_found_closing_blanks_are_read_in_linear_time():
    """The campaign (composer-cli): a 200 kB message with a long run of blanks inside took BL106 over
    20 s, its `[...]+$` pattern trying every start in the run."""
    from linter.rules.tone.bubble_flood import _without_trailing

    with time_bound(5):
        assert _without_trailing("Anything else?" + " " * 250_000 + "ok \u201d ") == "Anything else?" + " " * 250_000 + "ok"


@CI
@given(st.lists(st.sampled_from(["=", "==", " ", "\n", "\t", '"', "'", "a", "é"]), max_size=16).map("".join))
def test_botpress_compared_literals_read_as_the_pattern_reads_them(test):
    from linter.parse.importers.botpress import _compared_literal

    match = re.search(r"==\s*(['\"])(.*)\1\s*$", test)
    assert _compared_literal(test) == (match[2] if match else None)


def test_botpress_compared_literals_are_read_in_linear_time():
    from linter.parse.importers.botpress import _compared_literal

    with time_bound(5):  # the pattern backtracked over the rest of the condition from every `==`
        assert _compared_literal('==" ' * 100_000 + "x") is None
        assert _compared_literal("a == 'b' " * 50_000 + "== 'yes' ") == "b' " + "a == 'b' " * 49_999 + "== 'yes"


# --- every rule in linear time on long messages of one repeated shape -----------------------------
# A message may hold up to limits.max-message-chars (100,000) characters. A pattern that tries every
# start in a long run of one shape (and scans the rest from each) is quadratic: minutes on these.
# The long run found two such patterns; this battery looks for the rest on purpose.
_NEAR_LIMIT = 99_000
HOSTILE_TEXTS = {
    "blank run": "Hi" + " " * _NEAR_LIMIT + "there?",
    "tabs": "Hi" + "\t" * _NEAR_LIMIT + "x",
    "exclamation marks": "Wow" + "!" * _NEAR_LIMIT + "x",
    "question marks": "What" + "?" * _NEAR_LIMIT + "x",
    "full stops": "Wait" + "." * _NEAR_LIMIT + "x",
    "escaped quotes": '\\"' * (_NEAR_LIMIT // 2) + "x",
    "emoji": "😀" * (_NEAR_LIMIT // 2) + "x",
    "words": "word " * (_NEAR_LIMIT // 5),
    "open braces": "{" * _NEAR_LIMIT + "x",
    "unclosed placeholders": "{first_name" * (_NEAR_LIMIT // 11),
    "a URL": "http://" + "a" * _NEAR_LIMIT,
    "at signs": "@" * _NEAR_LIMIT + "a",
    "capitals": "A" * _NEAR_LIMIT,
    "hyphenated": "a-" * (_NEAR_LIMIT // 2),
    "commas": ", " * (_NEAR_LIMIT // 2),
    "a price": "$" + "9" * _NEAR_LIMIT,
    "dollar signs": "$" * _NEAR_LIMIT + "x",
    "dotted names": "a.b" * (_NEAR_LIMIT // 3),  # machine-speak's exception pattern: 60 s
    "percent signs": "%" * _NEAR_LIMIT + "x",
    "angle brackets": "<" * _NEAR_LIMIT + "x",
    "square brackets": "[" * _NEAR_LIMIT + "](" + "x",
    "stars": "*" * _NEAR_LIMIT + "x",
    "underscores": "_" * _NEAR_LIMIT + "x",
    "hashes": "#" * _NEAR_LIMIT + "x",
    "colons": ":" * _NEAR_LIMIT + "x",
    "Cyrillic capitals": "ПРИВЕТ " * (_NEAR_LIMIT // 7),
    "spaced digits": "1 " * (_NEAR_LIMIT // 2),
    "written line breaks": "\\n" * (_NEAR_LIMIT // 2),
    "e-mail shapes": "a@b" * (_NEAR_LIMIT // 3),
    "apostrophes": "'" * _NEAR_LIMIT + "s",
    "parentheses": "(" * _NEAR_LIMIT + "x",
    "slashes": "/" * _NEAR_LIMIT + "x",
    "closing blanks": "Anything else?" + " " * _NEAR_LIMIT + "ok",  # BL106: over 20 s
    "placeholders": "{a}" * (_NEAR_LIMIT // 3),  # every brace checked against every placeholder: 78 s
    "dollar braces": "${" * (_NEAR_LIMIT // 2),  # from every "${" to the end for its "}": 13 s
}


@pytest.mark.parametrize("language", ["en", "de", "ru", "hr"])  # each language has its own lexicon patterns
@pytest.mark.parametrize("text", list(HOSTILE_TEXTS.values()), ids=list(HOSTILE_TEXTS))
def test_every_rule_reads_a_long_message_in_linear_time(text, language):
    """In Russian, the price patterns took 287 s on a run of digits and 192 s on spaced digits."""
    from linter import lint_text

    flow = (f'flow f:\n  channel messenger\n  language {language}\n  step s:\n    say "' + text + '"\n    ask "'
            + text[:50_000] + '":\n'
            '      reply "' + text[:3000] + '" -> t\n  step t:\n    handoff to "Support":\n      tell "' + text
            + '"\n    end\n')
    with time_bound(20):  # each takes well under a second; quadratic ones took a minute and more
        lint_text(flow, format="flow", select=["ALL"])


@CI
@given(st.lists(st.sampled_from(["{", "}", "{a}", "{{", "}}", "${", "$", "a", "_", "|", "[AB C]", "%AB%", "<A B>",
                                 " ", "\n", "{first_name|x}"]), max_size=24).map("".join))
def test_stray_braces_are_found_as_a_scan_of_every_span_finds_them(text):
    """The bisection that tells a covered brace from a stray one agrees with checking every span."""
    from linter.model import text as text_module

    problems = text_module._template_problems.__wrapped__(text)
    spans = [(start, end) for start, end, kind in problems if not kind.startswith("stray")]
    spans += [match.span() for match in text_module.PLACEHOLDER_RE.finditer(text)]
    strays = [(match.start(), match.end()) for match in re.finditer(r"[{}]", text)
              if not any(start <= match.start() < end for start, end in spans)]
    assert [(start, end) for start, end, kind in problems if kind.startswith("stray")] == strays
