"""Import speed against decoding alone, per import format, on the shared corpus of real bots.

    python bench/imports.py [CORPUS] [--runs 5] [--format NAME]

CORPUS defaults to $BOTLINT_CORPUS or ../shared/corpus. For each import format it finds units of,
it times importing every unit of that format (`linter.parse.import_unit`) and only reading and
decoding the files those imports read, each once: JSON with `json.loads`, YAML with PyYAML's
libyaml loader (`yaml.CSafeLoader`) when the venv has it, else ruamel.yaml's; other text (.lg,
Markdown stories) with a UTF-8 decode. Prints the medians of --runs and their ratio (issue 17:
import at most 4x the decoding), and three floors, as ratios to decoding: decoding plus a walk
that only looks at every decoded value; decoding plus only building the model from the
importer's finished output; and only reading the same files with positions kept, as the
importers read them. Each run is a fresh process, as `botlint check` is: the
importers' per-run caches start empty. Nothing here asserts: the figures go into issue notes.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET_RATIO = 4.0


def yaml_decoder():
    """(name, decode(bytes)): the fastest YAML decoder the venv has."""
    try:
        import yaml

        if yaml.__with_libyaml__:
            return "libyaml (yaml.CSafeLoader)", lambda data: yaml.load(data, Loader=yaml.CSafeLoader)
    except ImportError:
        pass
    from ruamel.yaml import YAML

    loader = YAML(typ="safe")
    return "ruamel.yaml safe", lambda data: loader.load(data)


def decoders():
    yaml_name, yaml_load = yaml_decoder()
    by_suffix = {".json": json.loads, ".dialog": json.loads, ".yml": yaml_load, ".yaml": yaml_load}
    return yaml_name, lambda path, data: by_suffix.get(path.suffix.lower(), lambda raw: raw.decode("utf-8"))(data)


def units_by_format(corpus: Path) -> dict[str, list]:
    from linter.engine.discover import Unit, discover
    from linter.parse.importers import importers

    found: dict[str, list] = {}
    for unit in discover([corpus], lambda path: False):
        if isinstance(unit, Unit) and unit.format in importers():
            found.setdefault(unit.format, []).append(unit)
    return found


def one_run(corpus: Path, fmt: str) -> dict:
    """In this process: import every unit of `fmt` once, then decode the files those imports read."""
    import linter.parse.source as source
    from linter.core.errors import BotlintError
    from linter.parse import import_unit
    from linter.parse.importers import importers

    from importlib import import_module

    # The model (its validator is built on first use) and every importer load before the clock
    # starts, as the decoders' modules do: both sides are timed in their steady state.
    flow_model = import_module("linter.model.flow")
    flow_model.Document.model_validate({"flows": []}, context={flow_model.IMPORTED: True})
    importers()
    units = units_by_format(corpus)[fmt]
    read: dict[Path, None] = {}
    original = source.read_bytes

    def recording(path, display, max_bytes=None):
        read[Path(path)] = None
        return original(path, display, max_bytes)

    source.read_bytes = recording  # this bench's own instrument: which files the imports read
    try:
        start = time.perf_counter()
        errors = 0
        for unit in units:
            try:
                import_unit(unit.path, str(unit.path), unit.format)
            except BotlintError:
                errors += 1
        imported = time.perf_counter() - start
    finally:
        source.read_bytes = original
    _, decode = decoders()
    start = time.perf_counter()
    size = 0
    for path in read:
        data = path.read_bytes()
        size += len(data)
        try:
            decode(path, data)
        except Exception:  # noqa: BLE001 - a file the decoder refuses still cost its time
            pass
    decoded = time.perf_counter() - start
    validated = model_seconds(units)
    positioned = positions_seconds(read)
    values = [decode_quietly(decode, path) for path in read]
    start = time.perf_counter()
    for value in values:
        visit(value)
    visited = time.perf_counter() - start
    return {"import": imported, "decode": decoded, "visit": visited, "model": validated, "positions": positioned,
            "units": len(units),
            "files": len(read), "bytes": size, "errors": errors}


def model_seconds(units) -> float:
    """The time of only turning the importers' output (plain dicts, made beforehand) into the
    model, as every importer's last step does."""
    import copy

    from linter.core.errors import BotlintError
    from linter.model.flow import IMPORTED, Document
    from linter.parse.importers import importers

    outputs = []
    for unit in units:
        try:
            outputs.append(importers()[unit.format].load(unit.path, str(unit.path)).data)
        except BotlintError:
            continue
    copies = copy.deepcopy(outputs)
    gc.disable()  # as import_unit builds it
    start = time.perf_counter()
    for data in copies:
        try:
            Document.model_validate(data, context={IMPORTED: True})
        except ValueError:  # pydantic's ValidationError: a unit the import refuses anyway
            pass
    seconds = time.perf_counter() - start
    gc.enable()
    return seconds


def positions_seconds(paths) -> float:
    """The time of only reading the same files as the importers do, positions kept (botlint's own
    JSON and YAML readers), before anything is built from them: what a finding's file:line:col costs."""
    from linter.core.errors import BotlintError
    from linter.parse.importers._source import read_json, read_yaml

    readers = {".json": read_json, ".dialog": read_json, ".yml": read_yaml, ".yaml": read_yaml}
    start = time.perf_counter()
    for path in paths:
        try:
            readers.get(path.suffix.lower(), lambda path, display: path.read_bytes().decode("utf-8"))(path, str(path))
        except (BotlintError, ValueError):
            pass
    return time.perf_counter() - start


def decode_quietly(decode, path: Path):
    try:
        return decode(path, path.read_bytes())
    except Exception:  # noqa: BLE001 - nothing to visit in a file the decoder refuses
        return None


def visit(value) -> None:
    """The least a Python importer does with decoded data: look at every value once (an
    iterative walk that builds nothing; text is looked at line by line)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str) and "\n" in item:
            stack.extend(item.split("\n")[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path,
                        default=Path(os.environ.get("BOTLINT_CORPUS", ROOT.parent / "shared/corpus")))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--format", action="append", help="only this import format (repeatable)")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # a child run: one format, JSON out
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_run(args.corpus, args.one)))
        return
    if not args.corpus.is_dir():
        sys.exit(f"no corpus at {args.corpus}")
    formats = args.format or sorted(units_by_format(args.corpus))
    yaml_name, _ = decoders()
    print(f"corpus: {args.corpus}; median of {args.runs} runs, each a fresh process; YAML decoder: {yaml_name}")
    print("walk: decoding plus one Python walk that looks at every decoded value and builds nothing;\n"
          "model: decoding plus only building the model from the importer's finished output (pydantic),\n"
          "the last step of every import; positions: only reading the files with positions kept, as the\n"
          "importers read them; all as ratios to decoding alone")
    print(f"{'format':<14} {'units':>5} {'files':>5} {'kB':>6} {'import ms':>10} {'decode ms':>10} {'ratio':>6} "
          f"{'walk':>6} {'model':>6} {'positions':>9}  target <= {TARGET_RATIO:g}x")
    for fmt in formats:
        runs = []
        for _ in range(args.runs):
            child = subprocess.run([sys.executable, __file__, str(args.corpus), "--one", fmt],
                                   capture_output=True, text=True, check=True)
            runs.append(json.loads(child.stdout))
        imported = statistics.median(run["import"] for run in runs)
        decoded = statistics.median(run["decode"] for run in runs)
        ratio = imported / decoded if decoded else float("inf")
        floor = (decoded + statistics.median(run["visit"] for run in runs)) / decoded if decoded else float("inf")
        model = (decoded + statistics.median(run["model"] for run in runs)) / decoded if decoded else float("inf")
        positions = statistics.median(run["positions"] for run in runs) / decoded if decoded else float("inf")
        last = runs[-1]
        note = "" if ratio <= TARGET_RATIO else "  over"
        if last["errors"]:
            note += f"  ({last['errors']} units refused)"
        print(f"{fmt:<14} {last['units']:>5} {last['files']:>5} {last['bytes'] / 1000:>6.0f} {imported * 1000:>10.1f} "
              f"{decoded * 1000:>10.1f} {ratio:>5.1f}x {floor:>5.1f}x {model:>5.1f}x {positions:>8.1f}x{note}")


if __name__ == "__main__":
    main()
