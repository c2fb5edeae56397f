"""The worker pool (linter/engine/runner.py): used only where the work pays for it, chunks
balanced by size, workers forked warm, and the same result whatever the jobs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from linter.engine import runner
from linter.engine.runner import chunks_by_work, lint_paths, pool_pays
from linter.engine.settings import Overrides, SettingsResolver

REPO = Path(__file__).resolve().parents[1]


def _mixed_tree(root: Path) -> Path:
    """Flows of several sizes, a broken one, and two project folders of two importers."""
    shutil.copytree(REPO / "examples", root / "flows")
    for number in range(6):
        shutil.copy(root / "flows" / "everything-wrong.flow", root / "flows" / f"copy-{number}.flow")
    (root / "flows" / "broken.flow").write_text('flow f:\n  step s:\n    sya "hi"\n', encoding="utf-8")
    shutil.copytree(REPO / "tests" / "fixtures" / "rasa" / "cafe", root / "cafe")
    shutil.copytree(REPO / "tests" / "fixtures" / "botpress" / "coffee-bot", root / "coffee-bot")
    return root


def _lint(root: Path, jobs: int, summarize=None):
    return lint_paths([root], SettingsResolver(Overrides(select=["ALL"]), cwd=root), jobs=jobs, summarize=summarize)


def test_a_pool_gives_the_result_of_one_process(tmp_path, monkeypatch):
    root = _mixed_tree(tmp_path)
    serial = _lint(root, 1)
    monkeypatch.setattr(runner, "MIN_BYTES_SAVED_FOR_POOL", 0)
    parallel = _lint(root, 2, summarize=lambda parsed, settings, findings: os.getpid())
    assert set(parallel.summaries) - {os.getpid()}, "no unit was linted in a worker"
    assert parallel.findings == serial.findings
    assert [str(error) for error in parallel.errors] == [str(error) for error in serial.errors]
    assert (parallel.files, parallel.notices, parallel.linted) == (serial.files, serial.notices, serial.linted)


def test_a_few_small_files_are_linted_without_a_pool(tmp_path):
    root = _mixed_tree(tmp_path)
    result = _lint(root, 4, summarize=lambda parsed, settings, findings: os.getpid())
    assert set(result.summaries) == {os.getpid()}


def test_a_pool_is_used_only_where_it_saves_enough_work():
    enough = runner.MIN_BYTES_SAVED_FOR_POOL
    assert not pool_pays([enough // 4] * 3, 2)  # too little work in all
    assert not pool_pays([enough * 10, enough // 2], 2)  # one unit is nearly all the work: nothing to share
    assert not pool_pays([enough] * 4, 1)
    assert pool_pays([enough] * 4, 2)


def test_chunks_hold_every_unit_once_largest_first_and_about_even():
    works = [5, 100, 7, 60, 3, 3, 40, 9, 1, 80] * 10
    chunks = chunks_by_work(works, 2)
    assert sorted(index for chunk in chunks for index in chunk) == list(range(len(works)))
    assert works[chunks[0][0]] == max(works)
    sums = [sum(works[index] for index in chunk) for chunk in chunks]
    assert max(sums[:-1]) <= sum(works) / 16 + max(works)  # none far above the target
    assert len(chunks) >= 2 * runner.CHUNKS_PER_WORKER - 1


_NO_REIMPORT = """
import json, os, sys
from pathlib import Path
from linter.engine import runner
from linter.engine.runner import lint_paths
from linter.engine.settings import Overrides, SettingsResolver

runner.MIN_BYTES_SAVED_FOR_POOL = 0
at_fork = set()
os.register_at_fork(after_in_child=lambda: at_fork.update(sys.modules))


def imported_since_fork(parsed, settings, findings):
    return [os.getpid(), sorted(set(sys.modules) - at_fork) if at_fork else None]


root = Path(sys.argv[1])
result = lint_paths([root], SettingsResolver(Overrides(select=["ALL"]), cwd=root), jobs=2,
                    summarize=imported_since_fork)
print(json.dumps([summary for summary in result.summaries if summary[0] != os.getpid()]))
"""


def test_workers_start_warm_and_import_nothing_again(tmp_path):
    """The parent imports the model, pydantic, the parsers and the rules, and lints a unit of each
    format, before it forks: a worker then imports no module at all to lint its units."""
    root = _mixed_tree(tmp_path / "tree")
    run = subprocess.run([sys.executable, "-c", _NO_REIMPORT, str(root)], capture_output=True, text=True,
                         timeout=120, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert run.returncode == 0, run.stderr
    in_workers = json.loads(run.stdout)
    assert in_workers, "no unit was linted in a worker"
    assert all(imported == [] for _, imported in in_workers), in_workers
