"""Malformed input: always a FlowSyntaxError with the right position and a helpful message.

Never another exception, never a traceback from the command line.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from linter.core.errors import FlowSyntaxError
from linter.parse import parse_file, parse_text
from linter.parse.source import decode


def flow_error(source: str) -> FlowSyntaxError:
    with pytest.raises(FlowSyntaxError) as info:  # any other exception fails the test
        parse_text(source, "bad.flow", "flow")
    error = info.value
    assert error.path == "bad.flow"
    assert error.message and "Traceback" not in error.message
    return error


def bug(reason: str):
    return pytest.mark.xfail(reason=reason, strict=True)


# (source, line, col, fragments the message must contain)
CASES = [
    pytest.param("flow a:\n", 1, 8, ["end of file", "an indented block"], id="header-without-body"),
    pytest.param('flow a "Title":', 1, 16, ["end of file", "an indented block"], id="header-without-newline"),
    pytest.param("flow a:\n  # only a comment\n", 1, 8, ["end of file"], id="header-with-only-a-comment"),
    pytest.param("flow a:\n  channel sms\n  step s:\n", 3, 10, ["an indented block"], id="step-without-body"),
    pytest.param('flow a:\n  step s:\n    ask "Q?":\n', 3, 14, ["an indented block"], id="ask-block-cut"),
    pytest.param('flow a:\n  step s:\n    handoff to "Care":\n', 3, 23, ["an indented block"], id="handoff-block-cut"),
    pytest.param('flow a:\n  step s:\n    say\n', 3, 8, ["end of line", "quoted string"], id="say-cut"),
    pytest.param('flow a:\n  step s:\n    say "hello\n    end\n', 3, 9, ["unterminated string"],
                 id="unterminated-string"),
    pytest.param('flow a:\n  step s:\n    say "a\\"\n', 3, 9, ["unterminated string"],
                 id="string-ending-in-escaped-quote"),
    pytest.param('flow a:\n  step s:\n    sya "hi"\n', 3, 5, ["unexpected 'sya'", "expected", "'say'", "'ask'"],
                 id="unknown-keyword"),
    pytest.param('flo a:\n  step s:\n    end\n', 1, 1, ["unexpected 'flo'", "'flow'", "'sequence'"],
                 id="unknown-unit-keyword"),
    pytest.param('flow a:\n  step s:\n    say "x" !\n', 3, 13, ["unexpected character '!'", "'tag'"],
                 id="stray-character"),
    pytest.param('flow a:\n  step s:\n    wait 5x\n', 3, 10, ["'5'", "a duration"], id="bad-duration"),
    pytest.param('flow a:\n  step s:\n    wait 2 days\n', 3, 10, ["a duration"], id="duration-with-space"),
    pytest.param('flow a:\n  trigger schedule every 0x\n  step s:\n    end\n', 2, 26, ["a duration"],
                 id="bad-trigger-every"),
    pytest.param('flow a:\n  trigger schedule at 9\n  step s:\n    end\n', 2, 23, ["a time of day"],
                 id="bad-trigger-at"),
    pytest.param('flow a:\n  step s:\n    wait until 25:00\n', 3, 5, ["'25:00' is not a time of day"],
                 id="bad-time-hour"),
    pytest.param('flow a:\n  window 09:00-12:60\n  step s:\n    end\n', 2, 3, ["'12:60' is not a time of day"],
                 id="bad-time-minute"),
    pytest.param('flow a:\n  step s:\n    wait until 09:00 Europe/Berlin\n', 3, 28, ["'/'"],
                 id="unquoted-zone-with-slash"),
    pytest.param('flow a:\n  step s:\n    handoff:\n      hours mon-fry 09:00-17:00\n', 4, 13,
                 ["'mon-fry' is not a day"], id="bad-day-range"),
    pytest.param('flow a:\n  step s:\n    handoff:\n      hours mon, tuesday 09:00-17:00\n', 4, 18,
                 ["'tuesday' is not a day"], id="bad-day-in-list"),
    pytest.param('flow a:\n  step s:\n      say "a"\n    say "b"\n', 4, 5, ["indentation", "1, 3, 7"],
                 id="inconsistent-dedent"),
    pytest.param('flow a:\n  step s:\n    say "a"\n   say "b"\n', 4, 4, ["indentation"],
                 id="dedent-to-no-block"),
    pytest.param('flow a:\n  step s:\n    action dance\n', 3, 5, ["action:", "'webhook'"], id="unknown-action"),
    pytest.param('flow a:\n  step s:\n    action tag limit 3 per month\n', 3, 16, ["per:", "'day'"],
                 id="bad-limit-period"),
    pytest.param('flow a:\n  trigger blah\n  step s:\n    end\n', 2, 3, ["kind:", "'message'"],
                 id="unknown-trigger"),
    pytest.param('flow a:\n  step s:\n    if replied\n', 3, 15, ["'->'"], id="if-without-target"),
    pytest.param('flow a:\n  trigger schedule every 1d every 2d\n  step s:\n    end\n', 2, 3,
                 ["'every' given twice"], id="duplicate-trigger-option"),
    pytest.param('flow a:\n  step s:\n    ask "q":\n      capture a\n      capture b\n', 3, 5,
                 ["capture only one answer"], id="two-captures"),
    # --- bugs: see the reasons ---
    pytest.param('flow a:\n  channel fax\n  step s:\n    end\n', 2, 3, ["channel:", "'messenger'"],
                 id="unknown-channel"),
    pytest.param('flow a:\n  channel sms\n  channel email\n  step s:\n    end\n', 3, 3, ["'channel' is set twice"],
                 id="duplicate-setting"),
    pytest.param('flow a:\n  step s:\n    say "ab\\qc"\n', 3, 12, ["unknown escape '\\q'"], id="unknown-escape"),
    pytest.param('flow a:\n  step s:\n    say """\n      fine\n      bad \\q here\n      """\n', 5, 11,
                 ["unknown escape '\\q'"], id="unknown-escape-in-triple-quoted-string"),
    pytest.param('flow a:\n  step s:\n    say "\\u{110000}"\n', 3, 10, ["escape"], id="escape-out-of-range"),
    pytest.param('flow a:\n  step s:\n    say "\\uZZ"\n', 3, 10, ["escape"], id="truncated-unicode-escape"),
    pytest.param('flow a:\n  step s:\n    say """\n      hello\n', 3, 9, ["unterminated", '"""'],
                 id="unterminated-triple-quoted-string"),
]


@pytest.mark.parametrize("source, line, col, fragments", CASES)
def test_malformed_flow(source, line, col, fragments):
    error = flow_error(source)
    assert (error.line, error.col) == (line, col), error.message
    for fragment in fragments:
        assert fragment in error.message
    # the offending line rides along, for the caret under the spot
    assert error.source_line == source.split("\n")[line - 1]


def test_unterminated_triple_quoted_string_is_a_syntax_error_on_its_line():
    error = flow_error('flow a:\n  step s:\n    say """\n      hello\n')
    assert error.line == 3 and "unterminated" in error.message


def test_unknown_escape_is_a_syntax_error_naming_the_escape():
    error = flow_error('flow a:\n  step s:\n    say "ab\\qc"\n')
    assert error.line == 3
    assert error.message.startswith("unknown escape '\\q'")


def test_duplicate_setting_is_a_syntax_error_naming_the_setting():
    error = flow_error('flow a:\n  channel sms\n  channel email\n  step s:\n    end\n')
    assert error.message == "'channel' is set twice in flow 'a' (first on line 2)"


def test_unknown_channel_lists_the_known_channels():
    error = flow_error('flow a:\n  channel fax\n  step s:\n    end\n')
    assert error.message.startswith("channel: ")
    for known in ("messenger", "whatsapp", "telegram", "sms"):
        assert f"'{known}'" in error.message


def test_error_str_is_path_line_col():
    error = flow_error('flow a:\n  step s:\n    sya "hi"\n')
    assert str(error).startswith("bad.flow:3:5: unexpected 'sya'")


# --- bytes: binary, encodings, BOM ---------------------------------------------------------------


def decode_error(data: bytes) -> FlowSyntaxError:
    with pytest.raises(FlowSyntaxError) as info:
        decode(data, "bytes.flow")
    assert info.value.path == "bytes.flow"
    return info.value


def test_binary_file_with_nul():
    error = decode_error(b'flow a:\n  step s:\n    say "a\x00b"\n')
    assert (error.line, error.col) == (3, 11)
    assert "binary" in error.message and "NUL" in error.message


def test_nul_in_the_first_byte():
    error = decode_error(b"\x00\x01\x02")
    assert (error.line, error.col) == (1, 1)


def test_invalid_utf8_latin1_umlaut_on_line_3():
    # 'ü' saved as Latin-1, after a two-byte UTF-8 'č': the column counts characters
    data = 'flow a:\n  step s:\n    say "č'.encode() + b'\xfc"\n'
    error = decode_error(data)
    assert (error.line, error.col) == (3, 11)
    assert "0xfc" in error.message and "UTF-8" in error.message


def test_invalid_utf8_through_parse_file(tmp_path):
    path = tmp_path / "latin1.flow"
    path.write_bytes('flow a:\n  step s:\n    say "Grüße"\n'.encode("latin-1"))
    with pytest.raises(FlowSyntaxError) as info:
        parse_file(path, "latin1.flow")
    assert (info.value.path, info.value.line, info.value.col) == ("latin1.flow", 3, 12)


def test_utf8_bom_file_parses_with_unshifted_columns(tmp_path):
    source = 'flow a:\n  step s:\n    say "Bok!"\n'
    path = tmp_path / "bom.flow"
    path.write_bytes(b"\xef\xbb\xbf" + source.encode())
    result = parse_file(path, "bom.flow")
    flow = result.document.flows[0]
    assert flow.name == "a" and flow.steps[0].do[0].say == "Bok!"
    assert (flow.span.line, flow.span.col) == (1, 1)
    assert result.text == source


def test_bom_before_an_error_does_not_shift_its_column(tmp_path):
    path = tmp_path / "bom-bad.flow"
    path.write_bytes(b'\xef\xbb\xbfflo a:\n')
    with pytest.raises(FlowSyntaxError) as info:
        parse_file(path, "bom-bad.flow")
    assert (info.value.line, info.value.col) == (1, 1)


# --- the command line ----------------------------------------------------------------------------


def run_check(tmp_path, name: str, data: bytes) -> subprocess.CompletedProcess:
    (tmp_path / name).write_bytes(data)
    return subprocess.run([sys.executable, "-m", "linter", "check", "--no-color", name], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("name, data, location", [
    ("bad.flow", b'flow a:\n  step s:\n    sya "hi"\n', "bad.flow:3:5"),
    ("day.flow", b"flow a:\n  step s:\n    handoff:\n      hours mon-fry 9:00-17:00\n", "day.flow:4:13"),
    ("bad.flow.yaml", b"flows:\n  - kind: flow\n    name: a\n    steps: []\n    sayy: x\n", "bad.flow.yaml:5:5"),
])
def test_cli_reports_a_malformed_file_with_a_caret(tmp_path, name, data, location):
    result = run_check(tmp_path, name, data)
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert "Traceback" not in output and "internal error" not in output
    lines = output.splitlines()
    first = next(i for i, text in enumerate(lines) if text.startswith(location + ": error: "))
    line, col = (int(part) for part in location.split(":")[1:])
    source_line = data.decode().split("\n")[line - 1]
    shown, caret = lines[first + 1], lines[first + 2]
    assert shown.strip() == source_line.strip()
    assert caret.strip() == "^"
    # the caret sits under the reported character, however the line is indented for display
    assert shown[caret.index("^"):] == source_line[col - 1:]
