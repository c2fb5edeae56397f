"""botlint beside its peers: speed and memory as ratios, measured side by side in one run.

    pip install -e '.[bench]'      # yamllint and proselint, at the pinned versions
    python bench/peers.py [--runs 21] [--start-up | --skip-memory]

Every figure is a whole process, started the way a user starts it:
- one small `.flow` (`botlint check --no-cache`) against `yamllint -d relaxed` on a YAML file
  of the same size; then the same with botlint's result cache warm;
- 10,000 chat messages in one `.flow` against `proselint check` on the same texts, as
  messages per second (proselint with its cap of 1,000 results lifted, so that it runs every
  check on every text);
- beside each of the first two and the large file's memory, the floor of this stack, a process
  that only does what any botlint run must (the model and lark's parser loaded; the file read
  into the model);
- peak memory (the child's own maximum RSS) on a 2.4 MB flow file and on 10,000 flows,
  beside yamllint's on YAML of the same size.

Timings are paired: each round runs botlint and the peer back to back, in an order that
alternates, and a ratio is the median of the rounds' ratios (a slow moment of the machine
weighs on both sides of a pair). Ratios travel between machines; times do not, so only
ratios are quoted in the README. Nothing here asserts.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import sentence, synthetic_flow  # noqa: E402 - the same flows as bench.py

BOTLINT = [sys.executable, "-m", "linter", "check", "-q"]
# The floors of this stack (pydantic models, a lark grammar): what any botlint run must do before
# it loads a rule. Start-up: the model imported and its validator built, lark's parser loaded
# from its cache, a three-line flow read into the model. Throughput and memory: the file read
# into the model (lark's parse, then pydantic's validation), nothing more.
START_UP_FLOOR = [sys.executable, "-c", "from linter.parse import parse_text; "
                  "parse_text('flow a:\\n  step s:\\n    end\\n', 'a.flow')"]
MODEL_FLOOR = [sys.executable, "-c", "import sys; from pathlib import Path; from linter.parse import parse_file; "
               "parse_file(Path(sys.argv[1]), sys.argv[1])"]
# As an installed package runs: with its bytecode compiled, even where the environment says
# not to write .pyc files (pip compiles at install time). The first run writes them.
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def peer_command(name: str) -> str:
    """The peer's executable: beside this Python first (a venv), else on PATH; exit 2 if absent."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        print(f"bench/peers.py: {name} is not installed; install the peers with: "
              f"pip install -e '.[bench]'", file=sys.stderr)
        raise SystemExit(2)
    return found


def run(command: list[str], cwd: Path) -> tuple[float, int]:
    """Wall time (s) and peak RSS (KiB) of one whole process; its own peak, from wait4."""
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    child.returncode = code  # already reaped: keep Popen from waiting for it again
    errors = child.stderr.read().decode(errors="replace") if child.stderr else ""
    if code not in (0, 1):  # 1: findings, which linters report on these texts
        raise SystemExit(f"bench/peers.py: {' '.join(command)} failed with exit code {code}: "
                         f"{errors.strip().splitlines()[-1:] or ''}")
    return elapsed, usage.ru_maxrss


def paired(ours: list[str], theirs: list[str], cwd: Path, runs: int) -> tuple[float, float, float]:
    """Median of botlint/peer time ratios over `runs` rounds; with each side's median time."""
    run(ours, cwd), run(theirs, cwd)  # warm-up: bytecode, the OS file cache, botlint's caches
    ratios, mine, peer = [], [], []
    for round_ in range(runs):
        if round_ % 2:
            theirs_time, ours_time = run(theirs, cwd)[0], run(ours, cwd)[0]
        else:
            ours_time, theirs_time = run(ours, cwd)[0], run(theirs, cwd)[0]
        ratios.append(ours_time / theirs_time)
        mine.append(ours_time)
        peer.append(theirs_time)
    return statistics.median(ratios), statistics.median(mine), statistics.median(peer)


def yaml_like(size: int, seed: int = 0) -> str:
    """A YAML document of flows, steps and messages: `size` bytes, give or take one step."""
    rng = random.Random(seed)
    lines = ["# synthetic flows", "flows:"]
    total, step = 0, 0
    while total < size:
        entry = [f"  - name: flow_{step // 12}", "    channel: messenger", "    steps:"] if step % 12 == 0 else []
        entry += [f"      - id: s{step % 12}", "        say:"]
        entry += [f'          - "{sentence(rng, rng.randint(5, 16))}"' for _ in range(rng.randint(1, 3))]
        entry += [f'        ask: "{sentence(rng, 8)}"', f"        next: s{(step + 1) % 12}"]
        lines += entry
        total += sum(len(line) + 1 for line in entry)  # ASCII: a character is a byte
        step += 1
    return "\n".join(lines) + "\n"


def message_flows(count: int) -> tuple[str, list[str]]:
    """One `.flow` file holding `count` messages (flows of 25 steps, a `say` and an `ask` each),
    and the messages' texts."""
    rng = random.Random(17)
    texts = [" ".join(sentence(rng, rng.randint(5, 16)) for _ in range(rng.randint(1, 3))) for _ in range(count)]
    lines: list[str] = []
    per_flow = 50
    for first in range(0, count, per_flow):
        lines += [f"flow chat_{first // per_flow} \"Chat {first // per_flow}\":", "  channel messenger",
                  "  language en", '  trigger message keywords "hi"', "  audience opted-in", ""]
        chunk = texts[first:first + per_flow]
        steps = (len(chunk) + 1) // 2
        for step in range(steps):
            say, ask = chunk[2 * step], chunk[2 * step + 1] if 2 * step + 1 < len(chunk) else None
            lines += [f"  step s{step}:", f'    say "{say}"']
            if ask is None:
                lines.append("    end")
                continue
            following = f"s{step + 1}" if step + 1 < steps else "s0"
            lines += [f'    ask "{ask}":', f'      reply "Yes" -> {following}', f"      otherwise -> s{step}"]
        lines.append("")
    return "\n".join(lines), texts


def big_flow(size: int) -> str:
    """One `.flow` file of at least `size` bytes: the synthetic flows of bench.py, one after another."""
    parts: list[str] = []
    total = 0
    index = 0
    while total < size:
        parts.append(synthetic_flow(index))
        total += len(parts[-1].encode()) + 1
        index += 1
    return "\n".join(parts)


def start_up(root: Path, runs: int, yamllint: str) -> list[str]:
    """One small file, as a pre-commit hook lints it."""
    small = synthetic_flow(0)
    (root / "one.flow").write_text(small, encoding="utf-8")
    (root / "one.yaml").write_text(yaml_like(len(small.encode())), encoding="utf-8")
    lint_yaml = [yamllint, "-d", "relaxed", "one.yaml"]
    cold, cold_ours, cold_peer = paired(BOTLINT + ["one.flow", "--no-cache"], lint_yaml, root, runs)
    floor, _, _ = paired(START_UP_FLOOR, lint_yaml, root, runs)
    run(BOTLINT + ["one.flow"], root)  # fills the result cache
    warm, warm_ours, warm_peer = paired(BOTLINT + ["one.flow"], lint_yaml, root, runs)
    return [
        f"one small flow ({len(small.encode()) / 1000:.1f} kB), cold:  {cold:.2f}x yamllint's time "
        f"(medians {cold_ours * 1000:.0f} / {cold_peer * 1000:.0f} ms)",
        f"  floor: only the model and lark's parser loaded: {floor:.2f}x yamllint's time",
        f"  with a warm result cache:      {warm:.2f}x yamllint's time "
        f"(medians {warm_ours * 1000:.0f} / {warm_peer * 1000:.0f} ms)",
    ]


def messages(root: Path, runs: int, proselint: str) -> list[str]:
    """Throughput on prose: the same texts as chat messages (botlint) and as paragraphs (proselint)."""
    text, texts = message_flows(10_000)
    (root / "chat.flow").write_text(text, encoding="utf-8")
    (root / "chat.txt").write_text("\n\n".join(texts) + "\n", encoding="utf-8")
    # proselint stops running its checks once it holds `max_errors` results (1,000 by default),
    # which these texts reach in its first check: lifted, it does all of its work, as botlint does.
    (root / "proselint.json").write_text('{"max_errors": 1000000000}', encoding="utf-8")
    chat, chat_ours, chat_peer = paired(BOTLINT + ["chat.flow", "--no-cache"],
                                        [proselint, "check", "--config", "proselint.json", "chat.txt"], root, runs)
    floor, _, _ = paired(MODEL_FLOOR + ["chat.flow"],
                         [proselint, "check", "--config", "proselint.json", "chat.txt"], root, runs)
    n = len(texts)
    return [
        f"{n:,} messages in one file:     {1 / chat:.2f}x proselint's messages/s "
        f"({n / chat_ours:,.0f} against {n / chat_peer:,.0f} messages/s, whole process)",
        f"  floor: only the file read into the model: {1 / floor:.2f}x proselint's messages/s",
    ]


def memory(root: Path, yamllint: str) -> list[str]:
    """Peak RSS of botlint with one job (one process holds everything): on a 2.4 MB file beside
    yamllint's on as many bytes of YAML (the larger of 3 runs each), and on 10,000 flows."""
    size = 2_400_000
    (root / "big.flow").write_text(big_flow(size), encoding="utf-8")
    (root / "big.yaml").write_text(yaml_like(size, seed=1), encoding="utf-8")
    ours = max(run(BOTLINT + ["big.flow", "--no-cache", "--jobs", "1"], root)[1] for _ in range(3))
    peer = max(run([yamllint, "-d", "relaxed", "big.yaml"], root)[1] for _ in range(3))
    floor = max(run(MODEL_FLOOR + ["big.flow"], root)[1] for _ in range(3))
    lines = [f"peak RSS, a 2.4 MB flow file:   {ours / peer:.2f}x yamllint's on 2.4 MB of YAML "
             f"({ours / 1024:.0f} / {peer / 1024:.0f} MB)",
             f"  floor: only the file read into the model: {floor / 1024:.0f} MB"]
    # yamllint reads about 0.2 MB/s: on the 30 MB of 10,000 flows it would take minutes, so
    # this one is botlint's alone, beside its target (bench/scale.py).
    flows = root / "flows"
    flows.mkdir()
    for index in range(10_000):
        (flows / f"flow{index:05d}.flow").write_text(synthetic_flow(index), encoding="utf-8")
    ours = run(BOTLINT + ["flows", "--no-cache", "--jobs", "1"], root)[1]
    lines.append(f"peak RSS, 10,000 flows:         {ours / 1024:.0f} MB (issue 17: at most 100 MB)")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="paired rounds per timing (at least 21)")
    parser.add_argument("--start-up", action="store_true",
                        help="only the one-small-file timings, for weighing a start-up change")
    parser.add_argument("--skip-memory", action="store_true", help="no memory figures (they take minutes)")
    args = parser.parse_args()
    if args.runs < 21:
        parser.error("--runs: at least 21 rounds, or the medians move from one run to the next")
    yamllint, proselint = peer_command("yamllint"), peer_command("proselint")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for line in start_up(root, args.runs, yamllint):
            print(line, flush=True)
        if not args.start_up:
            for line in messages(root, args.runs, proselint):
                print(line, flush=True)
        if not (args.start_up or args.skip_memory):
            for line in memory(root, yamllint):
                print(line, flush=True)
    versions = [subprocess.run([command, "--version" if command == yamllint else "version"],
                               capture_output=True, text=True).stdout.strip() for command in (yamllint, proselint)]
    print(f"python {sys.version.split()[0]} on {os.cpu_count()} cores; {'; '.join(versions)}")


if __name__ == "__main__":
    main()
