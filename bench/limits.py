"""Bounded work on hostile inputs: wall time and peak memory of `botlint check` on each.

    python bench/limits.py            # every case
    python bench/limits.py --quick    # without the raised-limit 100,000-step lint (the slow one)

Each case is written to a temporary folder and checked by `botlint check` in its own
process; the figures are that process's wall time and peak RSS (from wait4's rusage, as
resource.getrusage(RUSAGE_CHILDREN) reports it for one child), its exit code and the first
line it printed. With the default limits the big inputs must be refused in well under a
second; with the limits raised a 100,000-step flow must still finish.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RAISED = "[tool.botlint]\nlimits = { max-file-bytes = 100000000, max-steps = 1000000 }\n"


def flow_with_steps(steps: int, name: str = "big") -> str:
    lines = [f"flow {name}:", "  channel messenger", "  trigger message"]
    for index in range(steps):
        lines += [f"  step s{index}:", f'    say "Message number {index}"',
                  f"    goto s{index + 1}" if index < steps - 1 else "    end"]
    return "\n".join(lines) + "\n"


def write_cases(root: Path, quick: bool) -> list[tuple[str, Path, list[str]]]:
    """(label, folder to run in, arguments): each case in its own folder, with its own config.

    Files are written in pieces and nothing big is kept: a child's peak RSS counts the memory
    of this process it was forked from."""
    cases = []

    def case(label: str, files: dict[str, object], args: list[str]) -> None:
        folder = root / f"case{len(cases)}"
        folder.mkdir()
        for name, pieces in files.items():
            with open(folder / name, "w", encoding="utf-8") as handle:
                for piece in ([pieces] if isinstance(pieces, str) else pieces):
                    handle.write(piece)
        cases.append((label, folder, args))

    case("a small flow (the floor: start-up and imports)", {"small.flow": (REPO / "examples" /
                                                                         "messenger-welcome.flow").read_text()},
         ["--no-cache", "small.flow"])
    block = flow_with_steps(8000, "part")  # ~0.5 MB of real flow, repeated to 50 MB
    fifty = (block for _ in range(50_000_000 // len(block) + 1))
    case("50 MB file, default limits", {"big.flow": fifty}, ["big.flow"])
    os.truncate(cases[-1][1] / "big.flow", 50_000_000)
    shutil.copy(cases[-1][1] / "big.flow", root / "big.flow")
    case("50 MB file, default limits, --no-cache", {}, ["--no-cache", "big.flow"])
    shutil.move(root / "big.flow", cases[-1][1] / "big.flow")
    case("100,000-step flow, default limits", {"steps.flow": flow_with_steps(100_000)}, ["--no-cache", "steps.flow"])
    if not quick:
        case("100,000-step flow, limits raised", {"steps.flow": flow_with_steps(100_000), "pyproject.toml": RAISED},
             ["--no-cache", "steps.flow"])
    # The most a default-limits run reads in full: just under 10 MB of flows of under 10,000 steps each.
    part = flow_with_steps(9000, "part")
    count = 9_900_000 // len(part)
    case(f"{count * len(part) / 1e6:.1f} MB of 9,000-step flows, default limits",
         {"worst.flow": (part.replace("flow part:", f"flow part{index}:", 1) for index in range(count))},
         ["--no-cache", "worst.flow"])
    depth = 100_000
    case(f"YAML nested {depth:,} deep (flow style), default limits",
         {"deep.flow.yaml": ["flows: ", "[" * depth, "]" * depth, "\n"]}, ["--no-cache", "deep.flow.yaml"])
    case("YAML nested 3,000 deep (block style), default limits",
         {"deep.flow.yaml": (" " * level + "a:\n" for level in range(3000))}, ["--no-cache", "deep.flow.yaml"])
    laughs = "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(9))
    case("YAML billion laughs (10^9 nodes from 10 lines)", {"laughs.flow.yaml": laughs},
         ["--no-cache", "laughs.flow.yaml"])
    return cases


def run(folder: Path, args: list[str]) -> tuple[float, int, int, str]:
    """(seconds, peak RSS in MB, exit code, first line of output) of one `botlint check`."""
    command = [sys.executable, "-m", "linter", "check", "--no-color", "--jobs", "1", *args]
    start = time.perf_counter()
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(command, cwd=folder, stdout=output, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        output.seek(0)
        first = output.read(400).decode("utf-8", "replace").split("\n")[0]
    return seconds, usage.ru_maxrss // 1024, process.returncode, first  # ru_maxrss is in kB on Linux


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the 100,000-step lint with raised limits")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    options = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="botlint-limits-"))
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    try:
        cases = write_cases(root, options.quick)
        print(f"{'case':<58} {'time':>8} {'peak RSS':>9} exit  first line of output")
        for label, folder, args in cases:
            seconds, peak, code, first = run(folder, args)
            print(f"{label:<58} {seconds:>7.2f}s {peak:>6} MB {code:>4}  {first[:110]}", flush=True)
    finally:
        if options.keep:
            print(f"cases kept in {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
