"""The long fuzzing run: the properties of tests/test_fuzz.py with many more examples.

    python fuzz/run.py --minutes 10                 # every front-end, the time shared out
    python fuzz/run.py --minutes 5 --only flow,yaml # some of them
    python fuzz/run.py --list

Each front-end runs in a child process (so that a hang in C code, which no signal
interrupts, is caught too) and keeps going after a failure: at the end it prints how many
inputs each front-end tried and every distinct failure (by exception, the place in
botlint's code it came from and its message with the numbers taken out), with the smallest
input that showed it. Those inputs are also written to --out (default: a temporary folder)
so that each can be pinned as a regression test in tests/test_fuzz.py.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import sys
import tempfile
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

SLOW_SECONDS = 2.0  # the CI deadline: an input slower than this is a failure too


def _load():
    import test_fuzz  # noqa: PLC0415 - tests/ is on the path

    return test_fuzz


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
    from hypothesis import HealthCheck, Phase, given, settings

    test_fuzz = _load()
    strategy, check = test_fuzz.properties()[name]
    stats = {"name": name, "tried": 0, "outcomes": {}, "slowest": 0.0, "failures": {}}
    deadline = time.monotonic() + seconds

    def save() -> None:
        Path(report).write_text(json.dumps(stats), encoding="utf-8")

    @settings(max_examples=250, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def driver(value):
        if time.monotonic() > deadline:
            return
        shown = repr(value)
        Path(current).write_text(shown, encoding="utf-8")  # the parent reports it if this input hangs
        stats["tried"] += 1
        start = time.monotonic()
        failure = None
        try:
            outcome = check(value)
            stats["outcomes"][str(outcome)] = stats["outcomes"].get(str(outcome), 0) + 1
        except Exception as exc:  # noqa: BLE001 - every failure is recorded, the run goes on
            failure = exc
        elapsed = time.monotonic() - start
        stats["slowest"] = max(stats["slowest"], elapsed)
        if failure is None and elapsed > SLOW_SECONDS:
            failure = TimeoutError(f"slow: {elapsed:.1f} s for one input (more than {SLOW_SECONDS} s)")
        if failure is not None:
            key = " | ".join(_signature(failure))
            entry = stats["failures"].setdefault(key, {"count": 0, "input": shown, "message": str(failure)[:600]})
            entry["count"] += 1
            if len(shown) < len(entry["input"]):
                entry["input"], entry["message"] = shown, str(failure)[:600]
            save()

    while time.monotonic() < deadline:
        driver()
        save()
    save()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="total time, shared by the front-ends")
    parser.add_argument("--only", default="", help="comma-separated front-ends (see --list)")
    parser.add_argument("--list", action="store_true", help="list the front-ends and exit")
    parser.add_argument("--out", type=Path, default=None, help="folder for the failing inputs")
    args = parser.parse_args(argv)
    names = list(_load().properties())
    if args.list:
        print("\n".join(names))
        return 0
    if args.only:
        unknown = sorted(set(args.only.split(",")) - set(names))
        if unknown:
            parser.error(f"unknown front-end(s): {', '.join(unknown)} (see --list)")
        names = [name for name in names if name in args.only.split(",")]
    out = args.out or Path(tempfile.mkdtemp(prefix="botlint-fuzz-"))
    out.mkdir(parents=True, exist_ok=True)
    share = args.minutes * 60 / len(names)
    print(f"fuzzing {len(names)} front-ends for {args.minutes:g} min ({share:.0f} s each); inputs in {out}",
          flush=True)
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    results, started = [], time.monotonic()
    for name in names:
        report, current = out / f"{name}.json", out / f"{name}.current"
        child = context.Process(target=_child, args=(name, share, str(report), str(current)))
        child.start()
        child.join(share + 120)  # the last input may take its time; longer than that is a hang
        stats = json.loads(report.read_text(encoding="utf-8")) if report.exists() else \
            {"name": name, "tried": 0, "outcomes": {}, "slowest": 0.0, "failures": {}}
        if child.is_alive():
            child.kill()
            child.join()
            stats["failures"]["Hang | ? | no answer"] = {
                "count": 1, "message": "the child stopped answering", "input": current.read_text(encoding="utf-8")}
        elif child.exitcode != 0 and not stats["failures"]:
            stats["failures"][f"child exit {child.exitcode}"] = {"count": 1, "message": "the child died",
                                                                 "input": current.read_text(encoding="utf-8")
                                                                 if current.exists() else ""}
        results.append(stats)
        print(f"  {name:<22} {stats['tried']:>7} inputs  {_outcomes(stats):<40} slowest {stats['slowest']:.2f} s"
              f"  {len(stats['failures'])} distinct failure(s)", flush=True)
    total = sum(stats["tried"] for stats in results)
    print(f"\n{total} inputs in {(time.monotonic() - started) / 60:.1f} min", flush=True)
    failures = [(stats["name"], key, entry) for stats in results for key, entry in stats["failures"].items()]
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
