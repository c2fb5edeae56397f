"""The ecosystem check's bookkeeping (tests/ecosystem.py), on made-up findings: no corpus needed."""

from __future__ import annotations

import pytest

from ecosystem import (MIN_SAMPLE, Verdict, dump_verdicts, load_verdicts, precision_table, review, target_state,
                       updated, wilson, wrong_tone_messages)
from linter.core.findings import Finding


def finding(fingerprint: str, code: str = "BL104", line: int = 1) -> Finding:
    return Finding(code, "rule", "info", "message", None, "bot/domain.yml", line, 1, line, 1,
                   fingerprint=fingerprint)


def verdict(fingerprint: str, value: str, status: str | None = None, rule: str = "BL104") -> Verdict:
    return Verdict(fingerprint, rule, "bot/domain.yml", value, "why", status)


def test_review_names_each_kind_of_change():
    verdicts = {v.fingerprint: v for v in [
        verdict("kept", "true"), verdict("lost", "true"), verdict("open-gone", "false", "open"),
        verdict("open-here", "false", "open"), verdict("back", "false", "fixed"), verdict("todo", "todo")]}
    state = review([finding("kept"), finding("open-here"), finding("back"), finding("todo"), finding("new")],
                   verdicts)
    assert [f.fingerprint for f in state.unreviewed] == ["todo", "new"]
    assert [f.fingerprint for f in state.came_back] == ["back"]
    assert [v.fingerprint for v in state.lost] == ["lost"]
    assert [v.fingerprint for v in state.now_fixed] == ["open-gone"]
    assert not state.clean
    assert review([finding("kept")], {"kept": verdict("kept", "true")}).clean


def test_update_adds_todo_marks_gone_wrong_fixed_and_drops_gone_true():
    verdicts = {"gone-true": verdict("gone-true", "true"), "gone-wrong": verdict("gone-wrong", "false", "open"),
                "here": verdict("here", "debatable")}
    after = updated([finding("here"), finding("new")], verdicts)
    assert set(after) == {"here", "gone-wrong", "new"}
    assert after["gone-wrong"].status == "fixed"
    assert after["new"].verdict == "todo"


def test_dump_and_load_round_trip(tmp_path):
    path = tmp_path / "verdicts.yaml"
    verdicts = {"a1": verdict("a1", "false", "open"), "b2": Verdict("b2", "BL107", "x: y.yml", "true", 'quote "it"')}
    dump_verdicts(verdicts, path)
    assert load_verdicts(path) == verdicts


@pytest.mark.parametrize("entry, problem", [
    ('- {fingerprint: "a", rule: BL1, path: p, verdict: maybe, reason: r}', "verdict must be one of"),
    ('- {fingerprint: "a", rule: BL1, path: p, verdict: false, reason: r}', "status open or fixed"),
    ('- {fingerprint: "a", rule: BL1, path: p, verdict: true, status: open, reason: r}', "status open or fixed"),
])
def test_a_malformed_entry_is_refused(tmp_path, entry, problem):
    path = tmp_path / "verdicts.yaml"
    path.write_text(entry + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=problem):
        load_verdicts(path)


def test_precision_counts_true_against_false_and_tone_messages_once():
    verdicts = {"t": verdict("t", "true"), "f": verdict("f", "false", "open"), "d": verdict("d", "debatable"),
                "f2": verdict("f2", "false", "open", rule="BL107")}
    findings = [finding("t"), finding("f", line=2), finding("d"), finding("f2", "BL107", line=2)]
    table = precision_table(findings, verdicts, {"BL104": "tone", "BL107": "tone"})
    row = next(r for r in table if r["rule"] == "BL104")
    assert (row["true"], row["false"], row["debatable"], row["precision"]) == (1, 1, 1, 0.5)
    assert next(r for r in table if r["rule"] == "all" and r["family"] == "all")["findings"] == 4
    assert wrong_tone_messages(findings, verdicts, {"BL104": "tone", "BL107": "tone"}) == 1


def row(true: int, false: int = 0, debatable: int = 0, todo: int = 0) -> dict:
    judged, total = true + false, true + false + debatable + todo
    return {"true": true, "false": false, "debatable": debatable, "todo": todo,
            "precision": true / judged if judged else None, "debatable_share": debatable / total if total else 0.0}


def test_wilson_interval_is_wide_on_small_samples_and_narrow_on_large_ones():
    low, high = wilson(4, 5)
    assert low < 0.5 < 0.9 < high < 1.0
    low, high = wilson(400, 500)
    assert 0.76 < low < 0.8 < high < 0.84


@pytest.mark.parametrize("counts, state", [
    ((95, 5, 0), "ok"),                                   # enough findings, targets met
    ((80, 20, 0), "MISSED: precision < 0.90"),
    ((70, 0, 30), "MISSED: debatable > 20%"),
    ((4, 1, 1), f"too few to judge (6 < {MIN_SAMPLE})"),  # one wrong in five says little
    ((0, 3, 0), "MISSED: precision < 0.90 even at the top of its 95 % interval"),
    ((2, 0, 4), "MISSED: debatable > 20% even at the bottom of its 95 % interval"),
    ((9, 0, 0, 1), "MISSED: unreviewed"),
])
def test_target_state_judges_small_samples_only_on_clear_evidence(counts, state):
    assert target_state(row(*counts)) == state
