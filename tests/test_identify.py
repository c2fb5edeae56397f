"""Where a finding sits: the innermost flow and step around its position, and its snippet."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import lint_tree
from linter.engine.identify import _Places, snippet


def _span(line, col, end_line, end_col, file=None):
    return SimpleNamespace(line=line, col=col, end_line=end_line, end_col=end_col, file=file)


def _brute_force(document, default_file, file, line, col):
    """The definition: the smallest span holding the position, the first of equal ones."""
    best, best_size = (None, None), None
    for flow in document.flows:
        for span, step in [(flow.span, None)] + [(step.span, step.name) for step in flow.steps]:
            if span is None or (span.file or default_file) != file:
                continue
            if (span.line, span.col) <= (line, col) <= (span.end_line, span.end_col):
                size = (span.end_line - span.line, span.end_col - span.col)
                if best_size is None or size < best_size:
                    best, best_size = (flow.name, step), size
    return best


_points = st.tuples(st.integers(1, 30), st.integers(1, 6))


@st.composite
def _spans(draw):
    start, end = sorted([draw(_points), draw(_points)])
    return _span(*start, *end, draw(st.sampled_from([None, None, "other.json"])))


@st.composite
def _documents(draw):
    """Flows and steps with arbitrary spans: nested, overlapping, in other files, or none."""
    flows = []
    for number in range(draw(st.integers(0, 3))):
        steps = [SimpleNamespace(name=f"s{number}_{index}", span=draw(st.none() | _spans()))
                 for index in range(draw(st.integers(0, 5)))]
        flows.append(SimpleNamespace(name=f"f{number}", span=draw(st.none() | _spans()), steps=steps))
    return SimpleNamespace(flows=flows)


@settings(max_examples=300, derandomize=True, database=None)
@given(_documents(), st.lists(st.tuples(st.sampled_from(["a.flow", "other.json"]), _points), max_size=10))
def test_places_agree_with_the_definition(document, positions):
    places = _Places(document, "a.flow")
    for file, (line, col) in positions:
        assert places.around(file, line, col) == _brute_force(document, "a.flow", file, line, col)


def test_findings_name_their_flow_and_step(tmp_path):
    (tmp_path / "a.flow").write_text(
        'flow first:\n  channel messenger\n  step hello:\n    say "Hi!"\n    end\n'
        'flow second:\n  channel messenger\n  step one:\n    say "Hi."\n    goto nowhere\n', encoding="utf-8")
    result = lint_tree([tmp_path / "a.flow"], tmp_path, select=["BL001"])
    [finding] = result.findings
    assert (finding.flow, finding.step, finding.snippet) == ("second", "one", "goto nowhere")


def test_snippet_of_a_span():
    lines = ["flow a:", "  step s:", '    say "Hello there"', "    end"]
    assert snippet(lines, 3, 9, 3, 22) == '"Hello there"'
    assert snippet(lines, 2, 3, 3, 8) == "step s:\n    say"
    assert snippet(lines, 3, 5, 3, 5) == 'say "Hello there"'  # a point: the rest of the line
    assert snippet(lines, 9, 1, 9, 2) == ""


def test_snippet_of_a_yaml_block_scalar_is_its_text():
    # Findings on a Rasa response point at its `text:` key; with a block scalar the text is below,
    # and without it every such response in a file would share one fingerprint.
    lines = ["responses:", "  utter_a:", "  - text: |-", "      First line", "", "      Second line",
             "  utter_b:", "  - text: |-", "      Other text"]
    assert snippet(lines, 3, 5, 3, 5) == "text: |-\nFirst line\n\nSecond line"
    assert snippet(lines, 8, 5, 8, 5) == "text: |-\nOther text"
    assert snippet(["a: 'x |'"], 1, 1, 1, 1) == "a: 'x |'"  # a bar inside a value is no block
