"""Shared helpers: lint a snippet the way the CLI would, in a temporary folder."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from linter.engine.runner import LintResult, lint_paths
from linter.engine.settings import Overrides, SettingsResolver

REPO = Path(__file__).resolve().parents[1]


# Whole modules that install, run other tools, fuzz or read the whole corpus: the rest is the fast tier.
SLOW_MODULES = {"test_packaging", "test_precommit", "test_audit_browser", "test_corpus", "test_fuzz", "test_action"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.module.__name__ in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


def pytest_configure(config):
    # Keep the shipped-ruleset cache of test runs away from the user's ~/.cache.
    import tempfile

    os.environ.setdefault("BOTLINT_CACHE_DIR", tempfile.mkdtemp(prefix="botlint-cache-"))


def corpus_dir() -> Path | None:
    """The shared corpus: $BOTLINT_CORPUS, else ../shared/corpus beside the repo."""
    candidates = [os.environ.get("BOTLINT_CORPUS"), REPO.parent / "shared" / "corpus"]
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A scratch folder that is also the working directory, as for a user running botlint there."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def lint(tmp_path):
    """lint(source, name="flow.flow", config=None, **overrides) -> LintResult."""

    def run(source: str, name: str = "test.flow", config: str | None = None,
            config_name: str = ".botlint.yaml", **overrides) -> LintResult:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source), encoding="utf-8")
        if config is not None:
            (tmp_path / config_name).write_text(textwrap.dedent(config), encoding="utf-8")
        resolver = SettingsResolver(Overrides(**overrides), cwd=tmp_path)
        return lint_paths([path], resolver)

    return run


def codes(result: LintResult) -> list[str]:
    return [finding.code for finding in result.findings]


def steps_by_name(flow) -> dict:
    return {step.name: step for step in flow.steps}


def lint_tree(paths, cwd, select=None) -> LintResult:
    """lint_paths with the config found from `cwd`, optionally only some rules."""
    return lint_paths(paths, SettingsResolver(Overrides(select=select), cwd=cwd))


def check_in_process(*args, cwd: Path) -> tuple[int, str]:
    """`botlint check` in-process from `cwd`: (exit code, everything printed); never a traceback."""
    import contextlib
    import io

    from linter.cli import main

    out, err = io.StringIO(), io.StringIO()
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["check", "--no-cache", "--no-color", "--jobs", "1", *map(str, args)])
    finally:
        os.chdir(previous)
    output = out.getvalue() + err.getvalue()
    assert "Traceback" not in output and "internal error" not in output, output
    return code, output
