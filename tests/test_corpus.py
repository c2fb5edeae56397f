"""The shared corpus of real bot flows: everything imports, and per-rule finding counts match a snapshot.

The corpus lives beside the repository (../shared/corpus) or at $BOTLINT_CORPUS; without it these
tests skip. After a deliberate change to a rule or an importer, refresh the snapshot with
    BOTLINT_UPDATE_SNAPSHOT=1 python -m pytest tests/test_corpus.py
and review the diff of tests/corpus_snapshot.json like any other change.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest

from conftest import corpus_dir
from linter.engine.runner import lint_paths
from linter.engine.settings import Overrides, SettingsResolver

SNAPSHOT = Path(__file__).resolve().parent / "corpus_snapshot.json"


@pytest.fixture(scope="module")
def corpus_result(tmp_path_factory):
    corpus = corpus_dir()
    if corpus is None:
        pytest.skip("no corpus: set BOTLINT_CORPUS or put it at ../shared/corpus")
    # A fixed config, as a team linting these projects would write it: nothing above the corpus
    # folder may change the outcome. The Typebot PR templates are Portuguese, which no format says.
    config = tmp_path_factory.mktemp("corpus-config") / ".botlint.yaml"
    config.write_text("language: en\nper-path:\n  'typebot/baptisteArno__typebot.io__pull-1827/*': {language: pt}\n",
                      encoding="utf-8")
    return lint_paths([corpus], SettingsResolver(Overrides(), config, cwd=corpus))


def test_every_corpus_file_imports(corpus_result):
    assert corpus_result.files > 0
    assert [str(error) for error in corpus_result.errors] == []


def test_findings_per_rule_match_the_snapshot(corpus_result):
    counts = dict(sorted(Counter(finding.code for finding in corpus_result.findings).items()))
    current = {"files": corpus_result.files, "findings_by_rule": counts}
    if os.environ.get("BOTLINT_UPDATE_SNAPSHOT"):
        SNAPSHOT.write_text(json.dumps(current, indent=2) + "\n", encoding="utf-8")
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert current == expected, "corpus findings changed: review, then refresh with BOTLINT_UPDATE_SNAPSHOT=1"
