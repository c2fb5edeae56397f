"""The wheel carries the grammar, rulesets and schema: build it, install it in a fresh venv, run it.

Slow (a venv and an install); skipped with a reason where no wheel can be built.
"""

import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import REPO


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    # Build from a copy so the checkout is left untouched.
    source = work / "src"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(".venv", ".git", "__pycache__", "*.egg-info"))
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work / "dist"),
                            str(source)], capture_output=True, text=True)
    if build.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {build.stderr.strip()[-300:]}")
    [wheel] = (work / "dist").glob("botlint-*.whl")
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    install = subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], capture_output=True, text=True)
    if install.returncode != 0:
        pytest.skip(f"cannot install dependencies here: {install.stderr.strip()[-300:]}")
    return env_dir


def test_installed_wheel_lints_the_examples(installed, tmp_path):
    examples = tmp_path / "examples"
    shutil.copytree(REPO / "examples", examples)
    # Run away from the checkout so nothing can be read from the source tree.
    run = subprocess.run([str(installed / "bin" / "botlint"), "check", "examples/"], cwd=tmp_path,
                         capture_output=True, text=True)
    assert run.returncode == 1, run.stderr
    assert "examples/everything-wrong.flow:18:5: BL001" in run.stdout
    assert "Traceback" not in run.stderr


def test_installed_wheel_ships_data(installed, tmp_path):
    run = subprocess.run([str(installed / "bin" / "python"), "-c",
                          "import linter.resources as r; print(r.data_dir('grammars')); print(r.data_dir('rulesets'))"],
                         cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    grammars, rulesets = run.stdout.split()
    assert "site-packages" in grammars and "_data" in grammars
    assert (Path(grammars) / "flow.lark").is_file()
    assert (Path(rulesets) / "rules" / "core.yaml").is_file()
    rule = subprocess.run([str(installed / "bin" / "botlint"), "rule", "BL001"], capture_output=True, text=True)
    assert "undefined-step" in rule.stdout
