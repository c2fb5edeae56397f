"""The composite GitHub Action (action.yml): its steps run as GitHub would run them."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from ruamel.yaml import YAML

from conftest import REPO

EXPRESSION = re.compile(r"\$\{\{\s*([a-z.\-]+)\s*\}\}")
BAD = 'flow promo:\n  channel instagram\n  trigger message keywords "hi"\n  step s:\n' \
      '    say "Buy now: 30% off today only"\n    end\n'


def _action() -> dict:
    return YAML(typ="safe").load((REPO / "action.yml").read_text(encoding="utf-8"))


def test_action_is_composite_and_every_expression_names_something_declared():
    action = _action()
    assert action["runs"]["using"] == "composite"
    ids = {step["id"] for step in action["runs"]["steps"] if "id" in step}
    text = (REPO / "action.yml").read_text(encoding="utf-8")
    for expression in EXPRESSION.findall(text):
        kind, name, *rest = expression.split(".")
        if kind == "inputs":
            assert name in action["inputs"], expression
        elif kind == "steps":
            assert name in ids and rest[0] == "outputs", expression
        else:
            raise AssertionError(f"unexpected expression {expression}")
    for step in action["runs"]["steps"]:
        assert "uses" in step or step.get("shell") == "bash", step  # composite run steps need a shell


def test_action_steps_write_sarif_annotate_and_fail_with_botlints_exit_code(tmp_path):
    action = _action()
    (tmp_path / "promo.flow").write_text(BAD, encoding="utf-8")
    github_output = tmp_path / "github_output"
    github_output.write_text("", encoding="utf-8")
    inputs = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    outputs: dict[str, dict[str, str]] = {}
    results = []
    for step in action["runs"]["steps"]:
        if "uses" in step or step["name"] == "Install botlint":
            continue  # setup-python and pip install: the test runs in botlint's own environment

        def value(match):
            kind, name, *rest = match.group(1).split(".")
            return inputs[name] if kind == "inputs" else outputs.get(name, {}).get(rest[-1], "")

        env = {**os.environ, "GITHUB_OUTPUT": str(github_output), "NO_COLOR": "1",
               "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
        env.update({key: EXPRESSION.sub(value, str(raw)) for key, raw in step.get("env", {}).items()})
        done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=120)
        results.append(done)
        if "id" in step:
            outputs[step["id"]] = dict(line.split("=", 1) for line in github_output.read_text().splitlines())
    sarif_step, annotate_step, fail_step = results
    assert sarif_step.returncode == 0, sarif_step.stderr
    sarif = json.loads((tmp_path / "botlint.sarif").read_text(encoding="utf-8"))
    assert [result["ruleId"] for result in sarif["runs"][0]["results"]] == ["BL201", "BL202"]
    assert outputs["check"] == {"exit-code": "1"}
    assert annotate_step.returncode == 0
    assert "::warning file=promo.flow,line=5,col=5" in annotate_step.stdout
    assert fail_step.returncode == 1


def _readme_yaml_blocks() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```yaml\n(.*?)```", readme, re.S)


def test_readme_workflow_uses_what_the_action_declares():
    action = _action()
    [workflow] = [block for block in _readme_yaml_blocks() if "upload-sarif" in block]
    steps = YAML(typ="safe").load(workflow)["jobs"]["botlint"]["steps"]
    [ours] = [step for step in steps if step.get("id") == "botlint"]
    assert set(ours["with"]) <= set(action["inputs"])
    upload = steps[-1]
    assert upload["if"] == "always()"  # the upload must happen when botlint fails
    [output] = re.findall(r"steps\.botlint\.outputs\.([a-z\-]+)", upload["with"]["sarif_file"])
    assert output in action["outputs"]


def test_readme_pre_commit_snippet_names_the_shipped_hook():
    hooks = YAML(typ="safe").load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    [snippet] = [block for block in _readme_yaml_blocks() if "pre-commit-config" in block]
    [repo] = YAML(typ="safe").load(snippet)["repos"]
    assert [hook["id"] for hook in repo["hooks"]] == [hook["id"] for hook in hooks]
