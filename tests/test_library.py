"""The library entry point: linter.lint_text lints a flow held in memory, like a run on a file."""

import pytest

import linter
from conftest import REPO
from linter.engine.runner import lint_paths
from linter.engine.settings import Overrides, SettingsResolver

FLOW = 'flow f:\n  step a:\n    say "HUGE NEWS!!! BUY NOW"\n    goto nowhere\n'


def test_lint_text_reports_what_a_run_on_the_file_reports(tmp_path):
    (tmp_path / "promo.flow").write_text(FLOW, encoding="utf-8")
    on_disk = lint_paths([tmp_path / "promo.flow"], SettingsResolver(Overrides(), cwd=tmp_path))
    in_memory = linter.lint_text(FLOW, path="promo.flow")
    shown = [(f.code, f.line, f.col, f.message, f.fingerprint) for f in in_memory.findings]
    assert shown == [(f.code, f.line, f.col, f.message, f.fingerprint) for f in on_disk.findings]
    assert {"BL001", "BL103"} <= {code for code, *_ in shown}
    assert in_memory.failing() and in_memory.errors == []


def test_lint_text_takes_a_config_and_rule_selection(tmp_path):
    config = tmp_path / ".botlint.yaml"
    config.write_text("ignore: [BL103]\n", encoding="utf-8")
    assert "BL103" not in {f.code for f in linter.lint_text(FLOW, config=config).findings}
    assert {f.code for f in linter.lint_text(FLOW, select=["BL001"]).findings} == {"BL001"}


def test_lint_text_reads_yaml_and_reports_syntax_errors_as_errors():
    yaml_flow = "flows:\n  - kind: flow\n    name: f\n    steps:\n      - name: a\n        do:\n          - goto: nowhere\n"
    assert [f.code for f in linter.lint_text(yaml_flow, format="yaml").findings] == ["BL001"]
    broken = linter.lint_text("flow f\n", path="bad.flow")
    assert broken.findings == [] and broken.errors[0].path == "bad.flow" and broken.errors[0].line == 1
    with pytest.raises(ValueError, match="lint a project folder with lint_paths"):
        linter.lint_text("{}", format="typebot")


def test_lint_text_on_a_shipped_example_matches_the_command_line():
    text = (REPO / "examples" / "tone-bad.flow").read_text(encoding="utf-8")
    result = linter.lint_text(text, path="tone-bad.flow")
    assert len(result.findings) >= 5 and all(f.path == "tone-bad.flow" for f in result.findings)


def test_the_readme_library_example_runs(capsys):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("```python\nimport linter\n")
    example = readme[start + len("```python\n"):readme.index("```", start + 9)]
    exec(compile(example, "README.md", "exec"), {})
    assert capsys.readouterr().out.startswith("<text> 3 5 BL502 dead end")  # as its comment says
