"""The pre-commit hook for real: pre-commit installs this checkout's committed hook into a
fresh repository and runs it on a bad and a clean flow."""

import os
import shutil
import subprocess
import sys
import time

import pytest

from conftest import REPO

CLEAN = 'flow hello:\n  channel messenger\n  trigger message keywords "hi"\n  step s:\n    say "Hi! I\'m the Brightbean bot. How can I help?"\n' \
        '    end\n'
BAD = 'flow promo:\n  channel instagram\n  trigger message keywords "hi"\n  step s:\n' \
      '    say "Buy now: 30% off today only"\n    end\n'


def _git(cwd, *args) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def _head() -> str:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs git and a git checkout of botlint (pre-commit installs hooks from a commit)")
    return _git(REPO, "rev-parse", "HEAD").strip()


def test_pre_commit_hook_fails_on_a_bad_flow_and_passes_a_clean_one(tmp_path):
    head = _head()
    work = tmp_path / "flows-repo"
    work.mkdir()
    _git(work, "init", "-q")
    (work / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {REPO}\n    rev: {head}\n    hooks:\n      - id: botlint\n", encoding="utf-8")
    (work / "welcome.flow").write_text(CLEAN, encoding="utf-8")
    (work / "notes.txt").write_text("not a flow: the hook must not look at it\n", encoding="utf-8")
    _git(work, "add", "-A")
    _git(work, "commit", "-qm", "clean flow")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "NO_COLOR": "1"}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "pre_commit", "run", *args], cwd=work, env=env,
                              capture_output=True, text=True, timeout=600)

    clean = run("--all-files")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "botlint" in clean.stdout and "Passed" in clean.stdout

    (work / "promo.flow").write_text(BAD, encoding="utf-8")
    _git(work, "add", "-A")
    _git(work, "commit", "-qm", "bad flow")
    bad = run("--all-files")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout
    assert "promo.flow:5:5: BL201 [warning] pitch before the person has said more than a greeting" in bad.stdout
    assert "welcome.flow" not in bad.stdout  # findings only for the bad file

    # The hook's latency on one file, once its environment exists: printed, not asserted.
    shutil.rmtree(work / ".botlint_cache")
    for state in ("cold cache", "warm cache"):
        started = time.perf_counter()
        one = run("botlint", "--files", "promo.flow")
        elapsed = time.perf_counter() - started
        assert one.returncode == 1 and "BL201" in one.stdout
        print(f"\npre-commit hook latency on one file, {state}: {elapsed * 1000:.0f} ms (pre-commit included)")
