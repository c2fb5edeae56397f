"""The labelled suite (tests/labelled.py): every case is well-formed, and botlint agrees with every
label except the disagreements tests/cases/known.yaml lists, each with why."""

from __future__ import annotations

import pytest

from labelled import Case, Disagreement, cases, disagreements, fired, known, read_case, scores


@pytest.fixture(scope="module")
def suite():
    found = cases()
    if not found:
        pytest.skip("no labelled cases in tests/cases")
    return found, fired(found)


def test_the_suite_covers_four_languages_with_near_misses(suite):
    found, _ = suite
    languages = {case.name.split("/")[0] for case in found}
    assert {"en", "de", "ru", "hr"} <= languages
    near_misses = [case for case in found if not case.expect]
    assert len(near_misses) >= 0.3 * len(found)


def test_every_disagreement_is_known_and_every_known_one_still_happens(suite):
    found, by_case = suite
    now = {d.key() for d in disagreements(found, by_case)}
    listed = set(known())
    assert sorted(now - listed) == [], "botlint disagrees with these labels: fix the rule, or list them in known.yaml"
    assert sorted(listed - now) == [], "these known disagreements are gone: remove them from known.yaml"


def test_a_header_must_name_known_families(tmp_path):
    bad = tmp_path / "bad.flow"
    bad.write_text("# case: x\n# expect: tone, salesy\n# silent: none\nflow f:\n  step a:\n    end\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown families salesy"):
        read_case(bad)


def test_scores_count_flagged_problems_and_flagged_near_misses(tmp_path):
    from collections import Counter
    from pathlib import Path

    def case(name, expect=(), silent=()):
        return Case(Path(name), name, "", frozenset(expect), frozenset(silent))

    suite_ = [case("a", expect=["tone"]), case("b", expect=["tone"]), case("c", silent=["tone"]),
              case("d", silent=["tone"])]
    by_case = {"a": Counter(tone=2), "b": Counter(), "c": Counter(tone=1), "d": Counter(hard_sell=1)}
    tone = scores(suite_, by_case)["tone"]
    assert (tone["tp"], tone["fn"], tone["fp"], tone["tn"]) == (1, 1, 1, 1)
    assert tone["precision"] == 0.5 and tone["recall"] == 0.5
    assert [d.key() for d in disagreements(suite_, by_case)] == [("b", "tone", "missed"), ("c", "tone", "false alarm")]
    assert Disagreement("b", "tone", "missed").key() == ("b", "tone", "missed")
