"""The long fuzzing run: the properties of tests/test_fuzz.py with many more examples.

    python fuzz/run.py --minutes 10                      # every mode, the time shared out
    python fuzz/run.py --minutes 5 --only flow,yaml      # some of them
    python fuzz/run.py --out fuzz-campaign --target 1000000 --minutes 120   # a campaign, resumable
    python fuzz/run.py --list

A mode is one property: a front-end (the flow language, YAML flows, the config loader, each
importer) fed by one generator, in-process or through the command line. Modes run in child
processes, --jobs at a time (so a hang in C code, which no signal interrupts, is caught
too), in slices of --slice seconds. --target counts inputs per front-end: the next slice goes to the
front-end with the fewest inputs, and within it to the mode that has had the least time, so a
slow CLI mode gets its share of time without holding its front-end back.
A failure does not stop the run.

--out is a campaign folder: each mode's counts and failures are kept there and added to by
every later run with the same --out (a killed run's last slices too), so a million inputs per
front-end can be reached over several runs (inputs are random, not replayed: each run draws new ones). At the end the run
prints, per mode and per front-end, how many inputs were tried in the whole campaign and
every distinct failure (by exception, the place in botlint's code it came from and its
message with the numbers taken out), with the smallest input that showed it, also written
to --out so that it can be pinned as a regression test in tests/test_fuzz.py.

Slowness is measured in CPU time, so a loaded machine does not make an input "slow"; an
input over the bound runs once more, and only counts as slow if it is slow both times.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from linter.files import write_file  # noqa: E402 - botlint's atomic write, from the checkout under test

SLOW_SECONDS = 2.0  # the CI deadline: an input that takes more CPU time than this is a failure too
HANG_GRACE = 120  # wall-clock seconds past its slice before a silent child counts as hung


def _load():
    import test_fuzz  # noqa: PLC0415 - tests/ is on the path

    return test_fuzz


def front_end(mode: str) -> str:
    """The front-end a mode exercises: `rasa-cli` and `rasa` both feed the Rasa importer."""
    return {"flow-generated": "flow", "flow-cli": "flow"}.get(mode, mode.removesuffix("-cli"))


def empty_stats(mode: str) -> dict:
    return {"name": mode, "tried": 0, "seconds": 0.0, "outcomes": {}, "slowest": 0.0, "failures": {}, "commits": []}


def merge(total: dict, run: dict) -> dict:
    """A campaign's stats for one mode plus one slice's."""
    merged = {"name": total["name"], "tried": total["tried"] + run["tried"],
              "seconds": total.get("seconds", 0.0) + run.get("seconds", 0.0),
              "outcomes": dict(total["outcomes"]), "slowest": max(total["slowest"], run["slowest"]),
              "failures": {key: dict(entry) for key, entry in total["failures"].items()},
              "commits": list(dict.fromkeys(total.get("commits", []) + run.get("commits", [])))}
    for outcome, count in run["outcomes"].items():
        merged["outcomes"][outcome] = merged["outcomes"].get(outcome, 0) + count
    for key, entry in run["failures"].items():
        known = merged["failures"].setdefault(key, dict(entry, count=0))
        known["count"] += entry["count"]
        if len(entry["input"]) < len(known["input"]):
            known["input"], known["message"] = entry["input"], entry["message"]
    return merged


def per_front_end(campaign: dict[str, dict]) -> dict[str, int]:
    """Inputs tried so far per front-end, over all the modes that feed it."""
    totals: dict[str, int] = {}
    for name, stats in campaign.items():
        totals[front_end(name)] = totals.get(front_end(name), 0) + stats["tried"]
    return totals


def next_mode(campaign: dict[str, dict], running: set[str], target: int | None) -> str | None:
    """An idle mode of the front-end with the fewest inputs below the target: the one that has run least."""
    totals = per_front_end(campaign)
    idle = [mode for mode in campaign
            if mode not in running and (target is None or totals[front_end(mode)] < target)]
    return min(idle, key=lambda mode: (totals[front_end(mode)], campaign[mode].get("seconds", 0.0), mode)) \
        if idle else None


def _signature(exc: BaseException) -> tuple[str, str, str]:
    """What makes two failures the same: type, the innermost frame in botlint, the message's shape."""
    frames = traceback.extract_tb(exc.__traceback__)
    inside = [f for f in frames if "/linter/" in f.filename] or [f for f in frames if "test_fuzz" in f.filename] \
        or frames
    where = f"{os.path.relpath(inside[-1].filename, REPO)}:{inside[-1].lineno}" if inside else "?"
    text = str(exc).split("\n", 1)[0]
    shape = re.sub(r"\d+", "N", re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", text))[:160]
    return type(exc).__name__, where, shape


def _child(name: str, seconds: float, report: str, current: str) -> None:
    """One slice of one mode: write its stats to `report` (after every batch, so a kill loses little)."""
    from hypothesis import HealthCheck, Phase, given, settings

    test_fuzz = _load()
    strategy, check = test_fuzz.properties()[name]
    stats = empty_stats(name)
    stats["commits"] = [_commit()]
    started = time.monotonic()
    deadline = started + seconds

    def save() -> None:
        stats["seconds"] = time.monotonic() - started
        write_file(Path(report), json.dumps(stats), durable=False)

    @settings(max_examples=250, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def driver(value):
        if time.monotonic() > deadline:
            return
        shown = repr(value)
        Path(current).write_text(shown, encoding="utf-8")  # the parent reports it if this input hangs
        stats["tried"] += 1
        start = time.process_time()
        failure = None
        try:
            outcome = check(value)
            stats["outcomes"][str(outcome)] = stats["outcomes"].get(str(outcome), 0) + 1
        except Exception as exc:  # noqa: BLE001 - every failure is recorded, the run goes on
            failure = exc
        elapsed = time.process_time() - start
        if failure is None and elapsed > SLOW_SECONDS:
            elapsed = min(elapsed, _cpu_seconds(check, value))  # once more: a busy host can stall one run
            if elapsed > SLOW_SECONDS:
                failure = TimeoutError(f"slow: {elapsed:.1f} s of CPU for one input (more than {SLOW_SECONDS} s)")
        stats["slowest"] = max(stats["slowest"], elapsed)
        if failure is not None:
            key = " | ".join(_signature(failure))
            entry = stats["failures"].setdefault(key, {"count": 0, "input": shown, "message": str(failure)[:600]})
            entry["count"] += 1
            if len(shown) < len(entry["input"]):
                entry["input"], entry["message"] = shown, str(failure)[:600]

    while time.monotonic() < deadline:
        driver()
        save()
    save()


def _commit() -> str:
    """The code under test: the checkout's commit, marked when it has local changes."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+changes" if dirty else "")


def _cpu_seconds(check, value) -> float:
    start = time.process_time()
    check(value)
    return time.process_time() - start


def _collect(name: str, child, out: Path, hung: bool) -> dict:
    """A finished (or hung) slice's stats, with a hang or a dead child as a failure."""
    report, current = out / f"{name}.slice.json", out / f"{name}.current"
    stats = json.loads(report.read_text(encoding="utf-8")) if report.exists() else empty_stats(name)
    report.unlink(missing_ok=True)
    shown = current.read_text(encoding="utf-8") if current.exists() else ""
    if hung:
        stats["failures"]["Hang | ? | no answer"] = {"count": 1, "message": "the child stopped answering",
                                                     "input": shown}
    elif child.exitcode != 0 and not stats["failures"]:
        stats["failures"][f"child exit {child.exitcode}"] = {"count": 1, "message": "the child died",
                                                             "input": shown}
    return stats


def _load_campaign(out: Path, names: list[str]) -> dict[str, dict]:
    """The campaign so far, with the slices of a run that was killed (saved after every batch) added in."""
    campaign = {}
    for name in names:
        path, leftover = out / f"{name}.json", out / f"{name}.slice.json"
        campaign[name] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else empty_stats(name)
        if leftover.exists():
            try:
                campaign[name] = merge(campaign[name], json.loads(leftover.read_text(encoding="utf-8")))
            except ValueError:  # a slice cut off mid-write: its inputs are not counted
                pass
            _save_campaign(out, campaign[name])
            leftover.unlink()
    return campaign


def _save_campaign(out: Path, stats: dict) -> None:
    write_file(out / f"{stats['name']}.json", json.dumps(stats))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="wall-clock time of this run")
    parser.add_argument("--only", default="", help="comma-separated modes (see --list)")
    parser.add_argument("--list", action="store_true", help="list the modes and exit")
    parser.add_argument("--out", type=Path, default=None,
                        help="campaign folder: counts add up over runs (default: a new temporary folder)")
    parser.add_argument("--target", type=int, default=None, help="stop a front-end once the campaign holds this many of its inputs")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="modes run at once")
    parser.add_argument("--slice", type=float, default=None,
                        help="seconds per turn of a mode (default: the run's time shared out, at most 300)")
    args = parser.parse_args(argv)
    names = list(_load().properties())
    if args.list:
        print("\n".join(f"{name:<20} front-end {front_end(name)}" for name in names))
        return 0
    if args.only:
        unknown = sorted(set(args.only.split(",")) - set(names))
        if unknown:
            parser.error(f"unknown mode(s): {', '.join(unknown)} (see --list)")
        names = [name for name in names if name in args.only.split(",")]
    out = args.out or Path(tempfile.mkdtemp(prefix="botlint-fuzz-"))
    out.mkdir(parents=True, exist_ok=True)
    jobs = max(1, args.jobs)
    slice_seconds = args.slice or min(300.0, args.minutes * 60 * jobs / len(names))
    print(f"fuzzing {len(names)} modes for {args.minutes:g} min, {jobs} at a time, slices of {slice_seconds:.0f} s;"
          f" campaign in {out}", flush=True)
    campaign = _load_campaign(out, names)
    before = {name: stats["tried"] for name, stats in campaign.items()}
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    started = time.monotonic()
    end = started + args.minutes * 60
    running: dict[str, tuple] = {}  # mode -> (process, deadline)
    while True:
        while len(running) < jobs and time.monotonic() + 5 < end:
            name = next_mode(campaign, set(running), args.target)
            if name is None:
                break
            seconds = min(slice_seconds, end - time.monotonic())
            child = context.Process(target=_child, args=(name, seconds, str(out / f"{name}.slice.json"),
                                                         str(out / f"{name}.current")))
            child.start()
            running[name] = (child, time.monotonic() + seconds + HANG_GRACE)
        if not running:
            break
        time.sleep(0.2)
        for name, (child, deadline) in list(running.items()):
            hung = child.is_alive() and time.monotonic() > deadline
            if hung:
                child.kill()
            if hung or not child.is_alive():
                child.join()
                campaign[name] = merge(campaign[name], _collect(name, child, out, hung))
                _save_campaign(out, campaign[name])
                del running[name]
    return _summary(campaign, before, out, time.monotonic() - started)


def _summary(campaign: dict[str, dict], before: dict[str, int], out: Path, seconds: float) -> int:
    print(f"\n{'mode':<20} {'this run':>9} {'campaign':>10}  outcomes")
    for name, stats in campaign.items():
        print(f"{name:<20} {stats['tried'] - before[name]:>9} {stats['tried']:>10}  {_outcomes(stats)}"
              f"  slowest {stats['slowest']:.2f} s CPU  {len(stats['failures'])} distinct failure(s)")
    commits = list(dict.fromkeys(commit for stats in campaign.values() for commit in stats.get("commits", [])))
    print(f"\ncode under test over the campaign: {', '.join(commits) or 'unknown'}")
    print("per front-end, whole campaign: " + ", ".join(f"{key} {value}" for key, value in per_front_end(campaign).items()))
    tried = sum(stats["tried"] for stats in campaign.values()) - sum(before.values())
    print(f"{tried} inputs in {seconds / 60:.1f} min this run", flush=True)
    failures = [(stats["name"], key, entry) for stats in campaign.values() for key, entry in stats["failures"].items()]
    for number, (name, key, entry) in enumerate(failures, start=1):
        path = out / f"failure-{number}-{name}.txt"
        path.write_text(entry["input"], encoding="utf-8")
        print(f"\n[{number}] {name}: {key}  ({entry['count']}x)\n    {entry['message'][:300]}\n"
              f"    input ({len(entry['input'])} chars, in {path}): {entry['input'][:400]}")
    if not failures:
        print("no failures")
    return 1 if failures else 0


def _outcomes(stats: dict) -> str:
    return ", ".join(f"{key} {value}" for key, value in sorted(stats["outcomes"].items()))


if __name__ == "__main__":
    raise SystemExit(main())
