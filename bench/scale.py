"""Scale benchmark: synthetic corpora of 100, 1,000 and 10,000 flows, linted by the real CLI.

    python bench/scale.py [--sizes 100,1000,10000] [--runs 1]

For each size it prints, for `botlint check DIR` as a whole process: the time
with --jobs 1 and --jobs 2 (no cache), with a warm result cache, messages/s
and files/s, and the peak RSS of the botlint process. Then the growth from
one size to the next. Nothing here asserts: the figures go into issue notes.

Targets (issue "Hardening"): 10x the corpus <= 11x the time; >= 1.7x with two
jobs on two cores; a warm cache >= 10x faster than a cold one; <= 150 MB peak
RSS for 10,000 flows. Beside the --jobs 2 speed-up it prints the most two jobs
could give (Amdahl's law over the start-up that a one-file run takes): for a
corpus that lints in under a second that bound, not the pool, is the limit.

    python bench/scale.py --pool [--runs 3] [--flows 10000]

The pool mode: --jobs 1 against the default --jobs and against --jobs 2 (no cache, best of
--runs each) on every project folder of the shared corpus, on examples/ and on --flows
synthetic flows. Targets (issue 17): the default never slower than --jobs 1 (ratio <= 1.00
within noise); --jobs 2 >= 1.8x --jobs 1 on 10,000 flows.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import synthetic_flow  # noqa: E402 - the same flows as bench.py

_TIMER = ("import resource, subprocess, sys, time\n"
          "start = time.perf_counter()\n"
          "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
          "elapsed = time.perf_counter() - start\n"
          "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
          "print(f'{elapsed} {peak} {code}')\n")


def run(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of one command, measured in a fresh process of its own."""
    done = subprocess.run([sys.executable, "-c", _TIMER, *command], cwd=cwd, env=env,
                          capture_output=True, text=True, check=True)
    elapsed, peak_kb, code = done.stdout.split()
    if code not in ("0", "1"):
        raise SystemExit(f"botlint failed with exit code {code}: {' '.join(command)}")
    return float(elapsed), int(peak_kb) / 1024


def corpus(root: Path, size: int) -> int:
    """`size` flow files under root (in folders of 500, as a repo would hold them); their message count."""
    messages = 0
    for index in range(size):
        folder = root / f"team{index // 500:02d}"
        folder.mkdir(exist_ok=True)
        text = synthetic_flow(index)
        messages += sum(1 for line in text.splitlines() if line.lstrip().startswith(("say ", "ask ")))
        (folder / f"flow{index:05d}.flow").write_text(text, encoding="utf-8")
    return messages


REPO = Path(__file__).resolve().parents[1]
SHARED_CORPUS = Path("/work/shared/corpus")


def pool(runs: int, flows: int, env: dict[str, str]) -> None:
    """--jobs 1 vs the default vs --jobs 2 on each corpus project folder, examples/ and `flows` flows."""
    check = [sys.executable, "-m", "linter", "check", "-q", "--no-cache", "--select", "ALL", "."]

    def measure(name: str, folder: Path) -> tuple[float, float, float]:
        times = [min(run([*check, *options], folder, env)[0] for _ in range(runs))
                 for options in (["--jobs", "1"], [], ["--jobs", "2"])]
        serial, default, two = times
        print(f"{name:<70} -j1 {serial:6.2f} s  default {default:6.2f} s ({default / serial:4.2f}x the time)  "
              f"-j2 {two:6.2f} s ({serial / two:4.2f}x faster)", flush=True)
        return serial, default, two

    rows = [measure(str(folder.relative_to(SHARED_CORPUS)), folder)
            for folder in sorted(SHARED_CORPUS.glob("[!.]*/*")) if folder.is_dir()]
    rows.append(measure("examples", REPO / "examples"))
    with tempfile.TemporaryDirectory() as folder:
        corpus(Path(folder), flows)
        flows_row = measure(f"{flows} synthetic flows", Path(folder))
    worst = max(default / serial for serial, default, _ in rows + [flows_row])
    print(f"worst default/-j1: {worst:.2f}x the time; -j2 on {flows} flows: {flows_row[0] / flows_row[2]:.2f}x faster; "
          f"python {sys.version.split()[0]} on {os.cpu_count()} cores, best of {runs}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--runs", type=int, default=1, help="runs per figure (the best is kept)")
    parser.add_argument("--pool", action="store_true", help="the worker pool against --jobs 1 (see above)")
    parser.add_argument("--flows", type=int, default=10000, help="synthetic flows for --pool")
    args = parser.parse_args()
    if args.pool:
        env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        pool(args.runs, args.flows, env)
        return
    sizes = [int(size) for size in args.sizes.split(",")]
    # As an installed package runs: bytecode compiled and kept.
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    check = [sys.executable, "-m", "linter", "check", "-q", "--select", "ALL"]
    rows = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            messages = corpus(root, size)

            def best(*options: str) -> tuple[float, float]:
                return min(run([*check, ".", *options], root, env) for _ in range(args.runs))

            # What no number of jobs shortens: start-up (Python, pydantic, lark, the rules and
            # lexicons, each worker once) plus one flow, as a run on a single file measures it.
            first = str(next(root.glob("*/*.flow")).relative_to(root))
            startup = min(run([*check, first, "--no-cache"], root, env)[0] for _ in range(max(3, args.runs)))
            serial, serial_rss = best("--no-cache", "--jobs", "1")
            parallel, parallel_rss = best("--no-cache", "--jobs", "2")
            run([*check, ".", "--jobs", "2"], root, env)  # fills the cache
            warm, warm_rss = best()
        rows.append((size, messages, serial, parallel, warm, max(serial_rss, parallel_rss, warm_rss)))
        bound = serial / (startup + (serial - startup) / 2)  # Amdahl: the rest split evenly over two
        print(f"{size:>6} flows, {messages:>7} messages: --jobs 1 {serial:7.2f} s "
              f"({size / serial:5.0f} files/s, {messages / serial:6.0f} messages/s, {serial_rss:4.0f} MB); "
              f"--jobs 2 {parallel:7.2f} s ({serial / parallel:.2f}x, at most {bound:.2f}x after a "
              f"{startup:.2f} s start-up; {parallel_rss:4.0f} MB); "
              f"warm cache {warm:6.2f} s ({serial / warm:5.1f}x faster than cold, {warm_rss:4.0f} MB)",
              flush=True)
    for (small, _, small_time, *_), (large, _, large_time, *_) in zip(rows, rows[1:]):
        print(f"growth {small} -> {large} flows: {large / small:.0f}x the corpus, "
              f"{large_time / small_time:.1f}x the time (--jobs 1)")
    print(f"python {sys.version.split()[0]} on {os.cpu_count()} cores; peak RSS is the botlint process's "
          "(with --jobs 2, the largest of the main process and its workers)")


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"bench took {time.perf_counter() - started:.0f} s")
