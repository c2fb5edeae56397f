"""The ecosystem check on the shared corpus of real bots (see tests/ecosystem.py).

Every project imports (no valid project exits 2), and every finding botlint makes there has a
reviewed verdict in tests/corpus_verdicts.yaml. A new or changed finding, a wrong finding that
comes back, a true one that is lost and a wrong one that is gone all fail here, so a deliberate
change to a rule or importer lands as a reviewed diff of verdicts:
    python bench/precision.py --update     # then review each `todo` it added
The corpus lives at ../shared/corpus or $BOTLINT_CORPUS; without it these tests skip.
"""

from __future__ import annotations

import pytest

from conftest import corpus_dir
from ecosystem import load_verdicts, lint_corpus, review

FIX = "review it, then run python bench/precision.py --update and give each `todo` a verdict"


@pytest.fixture(scope="module")
def corpus_result():
    corpus = corpus_dir()
    if corpus is None:
        pytest.skip("no corpus: set BOTLINT_CORPUS or put it at ../shared/corpus")
    return lint_corpus(corpus)


@pytest.fixture(scope="module")
def corpus_review(corpus_result):
    return review(corpus_result.findings, load_verdicts())


def test_every_corpus_file_imports(corpus_result):
    assert corpus_result.files > 0
    assert [str(error) for error in corpus_result.errors] == []


def _listed(findings) -> list[str]:
    return [f"{f.path}:{f.line}:{f.col} {f.code} {f.message} [{f.fingerprint}]" for f in findings]


def test_every_finding_has_a_reviewed_verdict(corpus_review):
    assert _listed(corpus_review.unreviewed) == [], f"findings without a verdict: {FIX}"


def test_no_fixed_wrong_finding_comes_back(corpus_review):
    assert _listed(corpus_review.came_back) == [], "a finding reviewed as wrong and fixed is reported again"


def test_no_reviewed_true_finding_is_lost(corpus_review):
    lost = [f"{v.path} {v.rule} {v.verdict} [{v.fingerprint}]: {v.reason}" for v in corpus_review.lost]
    assert lost == [], f"findings reviewed as true or debatable are no longer reported: {FIX}"


def test_gone_wrong_findings_are_marked_fixed(corpus_review):
    gone = [f"{v.path} {v.rule} [{v.fingerprint}]" for v in corpus_review.now_fixed]
    assert gone == [], "wrong findings are gone (good): run python bench/precision.py --update to mark them fixed"
