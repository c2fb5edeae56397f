"""Benchmark: generate N synthetic flows of realistic size and print throughput figures.

    python bench/bench.py [--files 200] [--runs 21] [--one-file]

Prints parse MB/s, messages linted per second, files per second, the
whole-process time of `botlint check one.flow` (cold and with a warm result
cache; median of --runs), the speed-up of `--jobs 2` and of a warm cache on the
whole folder, and peak RSS. `--one-file` prints only the one-file times, for
weighing a start-up change. Nothing here asserts: the figures go into issue
notes and are compared by people.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = ("coffee order delivery hello thanks happy help question roast beans week team reply price plan "
         "friendly quick simple today tomorrow morning ready great sure maybe later").split()


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + rng.choice([".", "!", "?"])


def synthetic_flow(index: int, steps: int = 12) -> str:
    """A flow of about `steps` steps with 2-3 messages, a question and routing each."""
    rng = random.Random(index)
    lines = [f"# synthetic flow {index}", f"flow bench_{index} \"Synthetic {index}\":",
             "  channel messenger", "  language en", '  trigger message keywords "hi", "hello"',
             "  audience opted-in", ""]
    for step in range(steps):
        lines.append(f"  step s{step}:")
        for _ in range(rng.randint(1, 2)):
            # Chat bubbles of one to three sentences, as in hand-written flows.
            text = " ".join(sentence(rng, rng.randint(5, 16)) for _ in range(rng.randint(1, 3)))
            lines.append(f'    say "Hey {{first_name|there}}! {text}"')
        following = [f"s{(step + k) % steps}" for k in (1, 2)]
        lines.append(f'    ask "{sentence(rng, 8)}":')
        lines.append(f'      reply "{rng.choice(WORDS).title()}" -> {following[0]}')
        lines.append(f'      reply "{rng.choice(WORDS).title()} too" -> {following[1]}')
        lines.append(f"      otherwise -> s{step}")
        lines.append("")
    lines += ["  step done:", '    say "Thanks, talk soon!"', "    end", ""]
    return "\n".join(lines)


CHECK = [sys.executable, "-m", "linter", "check", "-q"]
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "messenger-welcome.flow"
# As an installed package runs: with its bytecode compiled (pip does that at install time),
# even where the environment says not to write .pyc files. The first run writes them.
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def timed(command: list[str], runs: int, cwd: Path) -> list[float]:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, cwd=cwd, env=ENV)
        timings.append(time.perf_counter() - start)
    return timings


def one_file_timings(runs: int) -> str:
    """Whole-process times of `botlint check FILE` on one file: what a pre-commit hook waits for.
    Two files: the synthetic flow, and a shipped example whose English prose is scored for
    readability (the synthetic text does not read as English, so it never loads hyphenation)."""
    def ms(values: list[float]) -> str:
        return f"median {statistics.median(values) * 1000:.0f} ms, min {min(values) * 1000:.0f} ms"

    lines = []
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "one.flow").write_text(synthetic_flow(0), encoding="utf-8")
        shutil.copy(EXAMPLE, root / EXAMPLE.name)
        for name in ("one.flow", EXAMPLE.name):
            timed(CHECK + [name], 1, root)  # writes bytecode, botlint's cache and the result cache
            cold = timed(CHECK + [name, "--no-cache"], runs, root)
            warm = timed(CHECK + [name], runs, root)
            lines += [f"botlint check {name + ':':28} {ms(cold)} over {runs} runs (whole process, --no-cache)",
                      f"  warm result cache:        {ms(warm)}"]
        floor = timed([sys.executable, "-c", "import pydantic.main, lark"], runs, root)
    lines.append(f"  floor: python + import pydantic, lark: {ms(floor)}")
    return "\n".join(lines)


def one_file(runs: int) -> None:
    print(one_file_timings(runs))
    print(f"python {sys.version.split()[0]} on {os.cpu_count()} cores")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--runs", type=int, default=21, help="runs of the one-file whole-process timing")
    parser.add_argument("--one-file", action="store_true", help="only the one-file whole-process timings")
    args = parser.parse_args()
    if args.one_file:
        one_file(args.runs)
        return

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from linter.engine.runner import lint_paths
    from linter.engine.settings import Overrides, SettingsResolver
    from linter.model.analysis import walk_statements
    from linter.model.flow import Ask, Say
    from linter.parse import parse_text

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        texts = [synthetic_flow(i) for i in range(args.files)]
        for i, text in enumerate(texts):
            (root / f"f{i:04d}.flow").write_text(text, encoding="utf-8")
        total_bytes = sum(len(t.encode()) for t in texts)

        parse_text(texts[0], "warm-up.flow")  # grammar load and model build are start-up, measured below
        start = time.perf_counter()
        parsed = [parse_text(text, f"f{i}.flow") for i, text in enumerate(texts)]
        parse_seconds = time.perf_counter() - start
        messages = sum(1 for p in parsed for flow in p.document.flows
                       for s in walk_statements(flow) if isinstance(s, (Say, Ask)))

        resolver = SettingsResolver(Overrides(select=["ALL"]), cwd=root)
        from linter.engine.runner import lint_document

        settings = resolver.for_path(root / "f0000.flow")
        lint_document(parsed[0], settings, settings.selected)  # warm-up: lexicons compile once per run
        start = time.perf_counter()
        for one in parsed:
            lint_document(one, settings, settings.selected)
        rules_seconds = time.perf_counter() - start

        start = time.perf_counter()
        result = lint_paths([root], resolver)
        lint_seconds = time.perf_counter() - start
        assert result.files == args.files and not result.errors, result.errors[:3]

        one_file_report = one_file_timings(args.runs)
        folder_jobs = {jobs: min(timed(CHECK + [str(root), "--no-cache", "--jobs", str(jobs)], 3, root))
                       for jobs in (1, 2)}
        timed(CHECK + [str(root)], 1, root)
        folder_warm = min(timed(CHECK + [str(root)], 3, root))
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        subprocess.run([sys.executable, "-m", "linter", "check", str(root), "-q", "--select", "ALL", "--no-cache",
                        "--jobs", "1"], capture_output=True, cwd=root)
        peak_kb = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)

    print(f"files:                      {args.files} ({total_bytes / 1e6:.2f} MB, {messages} messages)")
    print(f"parse:                      {total_bytes / 1e6 / parse_seconds:.2f} MB/s")
    print(f"rules only (all rules, parsed model): {messages / rules_seconds:.0f} messages/s")
    print(f"lint (read+parse+all rules): {args.files / lint_seconds:.0f} files/s, "
          f"{messages / lint_seconds:.0f} messages/s")
    print(one_file_report)
    print(f"botlint check (all files):  --jobs 1 {folder_jobs[1]:.2f} s, --jobs 2 {folder_jobs[2]:.2f} s "
          f"({folder_jobs[1] / folder_jobs[2]:.2f}x); warm cache {folder_warm:.2f} s "
          f"({folder_jobs[1] / folder_warm:.1f}x faster than cold, one job)")
    print(f"peak RSS (check all files): {peak_kb / 1024:.0f} MB")
    print(f"python {sys.version.split()[0]} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
