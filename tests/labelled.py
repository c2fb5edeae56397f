"""The labelled suite: realistic flows in tests/cases/<language>/, each saying which rule families
must report something and which must stay silent, as a careful conversation designer labelled it.

A case file starts with three comment lines:
    # case: what the situation is
    # expect: tone, hard_sell        (families that must fire; or "none")
    # silent: handoff, structure     (families that must report nothing)
Families a case does not name are not judged. Each case is linted as a user with no config would.

Where botlint disagrees with a label, tests/cases/known.yaml must say so (case, family, kind: `missed`
or `false alarm`, and why): tests/test_cases.py fails on an unlisted disagreement and on a listed one
that is gone. bench/precision.py --suite prints precision and recall per family.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"
KNOWN = CASES / "known.yaml"
FAMILIES = ("structure", "tone", "hard_sell", "handoff", "automation", "channel", "policy")
_HEADER = re.compile(r"^#\s*(case|expect|silent)\s*:\s*(.*?)\s*$")


@dataclass(frozen=True)
class Case:
    path: Path
    name: str  # relative to tests/cases, e.g. en/tone-officialese.flow
    situation: str
    expect: frozenset[str]
    silent: frozenset[str]


@dataclass(frozen=True)
class Disagreement:
    case: str
    family: str
    kind: str  # missed: an expected family is silent; false alarm: a silent family fired

    def key(self) -> tuple[str, str, str]:
        return self.case, self.family, self.kind


def cases() -> list[Case]:
    return [read_case(path) for path in sorted(CASES.glob("*/*.flow"))]


def read_case(path: Path) -> Case:
    """A case and its labels; a malformed header raises ValueError naming the file."""
    fields: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines()[:3]:
        match = _HEADER.match(line)
        if match:
            fields[match[1]] = match[2]
    name = path.relative_to(CASES).as_posix() if path.is_relative_to(CASES) else path.name
    missing = [key for key in ("case", "expect", "silent") if key not in fields]
    if missing:
        raise ValueError(f"{name}: the header lacks {', '.join(missing)}")
    labels = {key: frozenset(part.strip() for part in fields[key].split(",") if part.strip() not in ("", "none"))
              for key in ("expect", "silent")}
    unknown = (labels["expect"] | labels["silent"]) - set(FAMILIES)
    if unknown:
        raise ValueError(f"{name}: unknown families {', '.join(sorted(unknown))} (known: {', '.join(FAMILIES)})")
    if labels["expect"] & labels["silent"]:
        raise ValueError(f"{name}: a family cannot be both expected and silent")
    return Case(path, name, fields["case"], labels["expect"], labels["silent"])


def fired(all_cases: list[Case]) -> dict[str, Counter]:
    """Per case, how many findings each family reports (the default rules, no config)."""
    from linter.engine.runner import lint_paths
    from linter.engine.settings import Overrides, SettingsResolver
    from linter.rules import all_rules

    family_of = {code: rule.family for code, rule in all_rules().items()}
    result = lint_paths([case.path for case in all_cases], SettingsResolver(Overrides(), cwd=CASES))
    if result.errors:
        raise ValueError("cases that do not parse: " + "; ".join(str(error) for error in result.errors))
    by_case: dict[str, Counter] = {case.name: Counter() for case in all_cases}
    for finding in result.findings:
        name = (CASES / finding.path).resolve().relative_to(CASES).as_posix()  # paths are shown from CASES
        by_case[name][family_of[finding.code]] += 1
    return by_case


def disagreements(all_cases: list[Case], by_case: dict[str, Counter]) -> list[Disagreement]:
    found = []
    for case in all_cases:
        families = by_case[case.name]
        found += [Disagreement(case.name, family, "missed") for family in sorted(case.expect) if not families[family]]
        found += [Disagreement(case.name, family, "false alarm") for family in sorted(case.silent) if families[family]]
    return found


def scores(all_cases: list[Case], by_case: dict[str, Counter]) -> dict[str, dict[str, float | int | None]]:
    """Per family: flagged problem cases (tp), missed ones (fn), flagged near-misses (fp), quiet ones (tn)."""
    table = {}
    for family in FAMILIES:
        tp = sum(1 for c in all_cases if family in c.expect and by_case[c.name][family])
        fn = sum(1 for c in all_cases if family in c.expect and not by_case[c.name][family])
        fp = sum(1 for c in all_cases if family in c.silent and by_case[c.name][family])
        tn = sum(1 for c in all_cases if family in c.silent and not by_case[c.name][family])
        table[family] = {"tp": tp, "fn": fn, "fp": fp, "tn": tn,
                         "precision": tp / (tp + fp) if tp + fp else None,
                         "recall": tp / (tp + fn) if tp + fn else None}
    return table


def known() -> dict[tuple[str, str, str], str]:
    """The disagreements the project knows of: (case, family, kind) -> why."""
    from ruamel.yaml import YAML

    if not KNOWN.is_file():
        return {}
    entries = YAML(typ="safe").load(KNOWN.read_text(encoding="utf-8")) or []
    table = {}
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or {"case", "family", "kind", "why"} - set(entry):
            raise ValueError(f"known.yaml: entry {number} needs case, family, kind and why")
        if entry["kind"] not in ("missed", "false alarm"):
            raise ValueError(f"known.yaml: entry {number}: kind is 'missed' or 'false alarm'")
        table[(str(entry["case"]), str(entry["family"]), str(entry["kind"]))] = str(entry["why"])
    return table
