"""Inline suppressions are applied centrally; BL900 reports the ones that silence nothing."""

import pytest

from conftest import codes

TWO_BAD = """\
flow f:
  step s:
    goto nowhere{first}
    goto elsewhere
"""


def test_disable_on_the_line(lint):
    result = lint(TWO_BAD.format(first="  # botlint: disable=BL001"))
    assert [(f.code, f.line) for f in result.findings] == [("BL001", 4)]


def test_disable_next_line(lint):
    source = "flow f:\n  step s:\n    # botlint: disable-next-line=BL001\n    goto nowhere\n    goto elsewhere\n"
    assert [f.line for f in lint(source).findings] == [5]


def test_disable_file_anywhere(lint):
    source = TWO_BAD.format(first="") + "# botlint: disable-file=BL001\n"
    assert codes(lint(source)) == []


def test_blanket_disable_on_a_line(lint):
    assert [f.line for f in lint(TWO_BAD.format(first="  # botlint: disable")).findings] == [4]


def test_other_code_does_not_suppress(lint):
    assert codes(lint(TWO_BAD.format(first="  # botlint: disable=BL601"))) == ["BL001", "BL001"]


def test_suppression_in_yaml(lint):
    source = """\
flows:
  - kind: flow
    name: f
    steps:
      - name: s
        do:
          - goto: nowhere  # botlint: disable=BL001
          - say: "# botlint: disable=BL001 is only text here"
          - goto: elsewhere
"""
    result = lint(source, name="f.flow.yaml")
    assert [(f.code, f.line) for f in result.findings] == [("BL001", 9)]


def test_bl900_flags_unused_suppression(lint):
    result = lint('flow f:\n  step s:\n    say "Hi"  # botlint: disable=BL601\n    end\n', extend_select=["BL900"])
    [finding] = result.findings
    assert (finding.code, finding.line, finding.col) == ("BL900", 3, 15)
    assert "BL601" in finding.message


def test_bl900_near_miss_used_suppression(lint):
    result = lint(TWO_BAD.format(first="  # botlint: disable=BL001"), extend_select=["BL900"])
    assert codes(result) == ["BL001"]


def test_bl900_ignores_codes_that_are_not_selected(lint):
    # BL601 is ignored in this run, so its suppression cannot be judged unused.
    result = lint('flow f:\n  step s:\n    say "Hi"  # botlint: disable=BL601\n    end\n',
                  extend_select=["BL900"], ignore=["BL601"])
    assert codes(result) == []


@pytest.mark.parametrize("comment, words", [
    ("# botlint: disable=BL999", "unknown rule code 'BL999'"),
    ("# botlint: disabel=BL001", "malformed suppression"),
    ("# botlint: disable=", "names no rule code"),
])
def test_bad_suppressions_are_errors_with_position(lint, comment, words):
    result = lint(f"flow f:\n  step s:\n    end  {comment}\n")
    [error] = result.errors
    assert (error.line, error.col) == (3, 10)
    assert words in error.message
