"""fuzz/run.py's campaign book-keeping: counts add up over runs, turns go to the mode furthest behind."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_SPEC = importlib.util.spec_from_file_location("fuzz_run", Path(__file__).resolve().parents[1] / "fuzz" / "run.py")
fuzz_run = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(fuzz_run)


def _slice(mode, tried, outcomes, failures=None, slowest=0.1):
    return {"name": mode, "tried": tried, "outcomes": outcomes, "slowest": slowest, "failures": failures or {}}


def test_a_slice_adds_to_the_campaign_and_keeps_the_smallest_failing_input():
    total = _slice("rasa", 100, {"imported": 60, "error": 40},
                   {"E | x | m": {"count": 2, "input": "long input", "message": "long"}})
    run = _slice("rasa", 50, {"imported": 10, "cli": 40},
                 {"E | x | m": {"count": 1, "input": "short", "message": "short"},
                  "F | y | n": {"count": 1, "input": "other", "message": "other"}}, slowest=0.5)
    merged = fuzz_run.merge(dict(total, seconds=20.0), dict(run, seconds=5.0))
    assert merged["tried"] == 150 and merged["seconds"] == 25.0
    assert merged["outcomes"] == {"imported": 70, "error": 40, "cli": 40}
    assert merged["slowest"] == 0.5
    assert merged["failures"]["E | x | m"] == {"count": 3, "input": "short", "message": "short"}
    assert merged["failures"]["F | y | n"]["count"] == 1
    assert total["tried"] == 100 and total["failures"]["E | x | m"]["count"] == 2  # the campaign file is not mutated


def test_the_next_turn_goes_to_the_front_end_furthest_from_the_target_and_its_least_run_mode():
    campaign = {"flow": _slice("flow", 900, {}), "rasa": _slice("rasa", 10, {}), "yaml": _slice("yaml", 500, {})}
    assert fuzz_run.next_mode(campaign, set(), None) == "rasa"
    assert fuzz_run.next_mode(campaign, {"rasa"}, None) == "yaml"
    assert fuzz_run.next_mode(campaign, {"rasa"}, 500) is None  # yaml reached it, flow is past it
    assert fuzz_run.next_mode(campaign, set(), 11) == "rasa"
    # rasa-cli counts for rasa: together they pass yaml, and within rasa the mode with less time goes next
    campaign["rasa"]["seconds"], campaign["rasa-cli"] = 600.0, dict(_slice("rasa-cli", 600, {}), seconds=900.0)
    assert fuzz_run.next_mode(campaign, set(), None) == "yaml"
    assert fuzz_run.next_mode(campaign, {"yaml"}, None) == "rasa"
    assert fuzz_run.next_mode(campaign, {"yaml", "rasa"}, None) == "rasa-cli"
    assert fuzz_run.next_mode(campaign, {"yaml"}, 610) is None  # rasa's 610 inputs reach it


def test_modes_count_for_the_front_end_they_feed():
    assert [fuzz_run.front_end(mode) for mode in ("flow", "flow-generated", "flow-cli", "rasa-cli", "dialogflow-cx",
                                                  "config")] == ["flow", "flow", "flow", "rasa", "dialogflow-cx",
                                                                 "config"]


def test_a_killed_runs_last_slice_is_added_when_the_campaign_resumes(tmp_path):
    import json

    (tmp_path / "flow.json").write_text(json.dumps(_slice("flow", 100, {"parsed": 100})), encoding="utf-8")
    (tmp_path / "flow.slice.json").write_text(json.dumps(_slice("flow", 30, {"error": 30})), encoding="utf-8")
    (tmp_path / "yaml.slice.json").write_text('{"name": "yaml", "tri', encoding="utf-8")  # cut off mid-write
    campaign = fuzz_run._load_campaign(tmp_path, ["flow", "yaml"])
    assert campaign["flow"]["tried"] == 130 and campaign["flow"]["outcomes"] == {"parsed": 100, "error": 30}
    assert campaign["yaml"]["tried"] == 0
    assert not list(tmp_path.glob("*.slice.json"))
    assert json.loads((tmp_path / "flow.json").read_text(encoding="utf-8"))["tried"] == 130
