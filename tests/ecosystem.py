"""The ecosystem check: botlint's findings on the shared corpus of real bots, against reviewed verdicts.

Every finding botlint makes on the corpus (with `corpus.botlint.yaml`, the config a team linting
these projects would write) has an entry in `corpus_verdicts.yaml`, keyed by its fingerprint:
`true` (a careful conversation designer would want to know), `false` (wrong) or `debatable`, with
a one-line reason written by someone who read the message in its flow. A wrong finding that is
still reported stays `status: open`; once it is gone it is marked `status: fixed` and must not
come back. A deliberate change to a rule or importer then shows as a reviewed diff of this file.

Used by tests/test_corpus.py (which fails on any unreviewed or unexpected change) and by
bench/precision.py (which prints precision per rule and family, and updates the file).
"""

from __future__ import annotations

import json
import math
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
CONFIG = HERE / "corpus.botlint.yaml"
VERDICTS = HERE / "corpus_verdicts.yaml"
VALUES = ("true", "false", "debatable", "todo")  # todo: added by --update, not reviewed yet
TONE = "tone"


@dataclass
class Verdict:
    fingerprint: str
    rule: str
    path: str
    verdict: str
    reason: str = ""
    status: str | None = None  # for `false`: open (still reported) or fixed (gone, must not return)


@dataclass
class Review:
    """How today's findings compare with the verdicts."""

    unreviewed: list = field(default_factory=list)  # findings without a verdict (or still `todo`)
    came_back: list = field(default_factory=list)  # findings marked false and fixed, reported again
    lost: list[Verdict] = field(default_factory=list)  # true/debatable entries no longer reported
    now_fixed: list[Verdict] = field(default_factory=list)  # false/open entries no longer reported

    @property
    def clean(self) -> bool:
        return not (self.unreviewed or self.came_back or self.lost or self.now_fixed)


def lint_corpus(corpus: Path):
    from linter.engine.runner import lint_paths
    from linter.engine.settings import Overrides, SettingsResolver

    return lint_paths([corpus], SettingsResolver(Overrides(), CONFIG, cwd=corpus))


def load_verdicts(path: Path = VERDICTS) -> dict[str, Verdict]:
    from ruamel.yaml import YAML

    if not path.is_file():
        return {}
    entries = YAML(typ="safe").load(path.read_text(encoding="utf-8")) or []
    verdicts = {}
    for number, entry in enumerate(entries, 1):
        verdict = Verdict(**{key: str(value) if value is not None else None for key, value in entry.items()})
        verdict.verdict = verdict.verdict.lower()
        if verdict.verdict not in VALUES:
            raise ValueError(f"{path.name}: entry {number}: verdict must be one of {', '.join(VALUES)}")
        if (verdict.verdict == "false") != (verdict.status in ("open", "fixed")):
            raise ValueError(f"{path.name}: entry {number}: a false verdict, and only it, has status open or fixed")
        if verdict.fingerprint in verdicts:
            raise ValueError(f"{path.name}: entry {number}: fingerprint {verdict.fingerprint} is listed twice")
        verdicts[verdict.fingerprint] = verdict
    return verdicts


def review(findings, verdicts: dict[str, Verdict]) -> Review:
    result = Review()
    reported = {finding.fingerprint for finding in findings}
    for finding in findings:
        verdict = verdicts.get(finding.fingerprint)
        if verdict is None or verdict.verdict == "todo":
            result.unreviewed.append(finding)
        elif verdict.status == "fixed":
            result.came_back.append(finding)
    for verdict in verdicts.values():
        if verdict.fingerprint in reported or verdict.status == "fixed" or verdict.verdict == "todo":
            continue
        (result.now_fixed if verdict.status == "open" else result.lost).append(verdict)
    return result


def updated(findings, verdicts: dict[str, Verdict]) -> dict[str, Verdict]:
    """The verdicts after today's run: new findings as `todo`, wrong ones that are gone `fixed`,
    true and debatable ones that are gone dropped (the diff shows them), unreviewed ones gone dropped."""
    reported = {finding.fingerprint for finding in findings}
    result = {}
    for fingerprint, verdict in verdicts.items():
        if fingerprint in reported or verdict.status == "fixed":
            result[fingerprint] = verdict
        elif verdict.status == "open":
            result[fingerprint] = Verdict(**{**verdict.__dict__, "status": "fixed"})
    for finding in findings:
        if finding.fingerprint not in result:
            result[finding.fingerprint] = Verdict(finding.fingerprint, finding.code, finding.path, "todo",
                                                  f"{finding.path}:{finding.line} {finding.message}")
    return result


def dump_verdicts(verdicts: dict[str, Verdict], path: Path = VERDICTS) -> None:
    """One entry per line, sorted by file, rule and fingerprint: a change reads as a plain diff."""
    lines = [
        "# Reviewed verdicts on every finding botlint makes on the shared corpus (see tests/ecosystem.py).",
        "# verdict: true | false | debatable; a false one has status open (still reported) or fixed.",
        "# Update: python bench/precision.py --update, then replace each `todo` with a reviewed verdict.",
    ]
    for verdict in sorted(verdicts.values(), key=lambda v: (v.path, v.rule, v.fingerprint)):
        fields = {"fingerprint": verdict.fingerprint, "rule": verdict.rule, "path": verdict.path,
                  "verdict": verdict.verdict}
        if verdict.status:
            fields["status"] = verdict.status
        fields["reason"] = verdict.reason
        lines.append("- {" + ", ".join(f"{key}: {json.dumps(value, ensure_ascii=False)}"
                                      for key, value in fields.items()) + "}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def corpus_messages(corpus: Path) -> int:
    """How many distinct bot messages the corpus holds (a response sent by many stories counts once)."""
    from linter.engine.discover import discover
    from linter.core.errors import BotlintError
    from linter.model.analysis import bot_texts
    from linter.parse import import_unit, parse_file

    places = set()
    for unit in discover([corpus], lambda path: False):
        if isinstance(unit, BotlintError):
            continue
        display = os.path.relpath(unit.path, corpus)
        try:
            parsed = parse_file(unit.path, display, unit.format) if unit.format in ("flow", "yaml") \
                else import_unit(unit.path, display, unit.format)[0]
        except BotlintError:
            continue
        for flow in parsed.document.flows:
            for text in bot_texts(flow):
                span = text.node.span
                if span is not None and text.kind in ("say", "ask"):
                    places.add((span.file or display, span.line, span.col))
    return len(places)


def precision_table(findings, verdicts: dict[str, Verdict], family_of: dict[str, str]) -> list[dict]:
    """Per rule, then per family, then in all: true/false/debatable counts of today's findings."""
    rows: dict[tuple[str, str], Counter] = {}
    for finding in findings:
        verdict = verdicts.get(finding.fingerprint)
        value = verdict.verdict if verdict else "todo"
        family = family_of.get(finding.code, "?")
        for key in ((family, finding.code), (family, "all"), ("all", "all")):
            rows.setdefault(key, Counter())[value] += 1
    table = []
    for (family, code), counts in sorted(rows.items(), key=lambda item: (item[0][0] == "all", item[0])):
        judged = counts["true"] + counts["false"]
        total = sum(counts.values())
        table.append({"family": family, "rule": code, "findings": total, "true": counts["true"],
                      "false": counts["false"], "debatable": counts["debatable"], "todo": counts["todo"],
                      "precision": counts["true"] / judged if judged else None,
                      "debatable_share": counts["debatable"] / total if total else 0.0})
    return table


PRECISION_TARGET = 0.90
DEBATABLE_MAX = 0.20
# Below this many reviewed findings one finding moves a rule's precision by more than ten points:
# its target is judged only when the evidence is clear (see target_misses).
MIN_SAMPLE = 10


def wilson(hits: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """The 95 % Wilson score interval of hits / total."""
    share = hits / total
    centre = share + z * z / (2 * total)
    spread = z * math.sqrt(share * (1 - share) / total + z * z / (4 * total * total))
    return (centre - spread) / (1 + z * z / total), (centre + spread) / (1 + z * z / total)


def target_misses(row: dict) -> list[str]:
    """Which targets a rule's row misses: precision >= 0.90 and at most 20 % debatable, judged on the
    reviewed findings. A rule with fewer than MIN_SAMPLE of them misses only when the evidence is clear
    anyway: even the top of its precision's 95 % interval is below 0.90 (0 of 3 right, say), or even
    the bottom of its debatable share's is above 20 % (4 of 6). A sample of five with one wrong finding
    says little either way, so it is shown as too few rather than as a verdict."""
    missed = []
    reviewed = row["true"] + row["false"] + row["debatable"]
    judged = row["true"] + row["false"]
    if reviewed >= MIN_SAMPLE:
        if row["precision"] is not None and row["precision"] < PRECISION_TARGET:
            missed.append(f"precision < {PRECISION_TARGET:.2f}")
        if row["debatable_share"] > DEBATABLE_MAX:
            missed.append(f"debatable > {DEBATABLE_MAX:.0%}")
    else:
        if judged and wilson(row["true"], judged)[1] < PRECISION_TARGET:
            missed.append(f"precision < {PRECISION_TARGET:.2f} even at the top of its 95 % interval")
        if reviewed and wilson(row["debatable"], reviewed)[0] > DEBATABLE_MAX:
            missed.append(f"debatable > {DEBATABLE_MAX:.0%} even at the bottom of its 95 % interval")
    if row["todo"]:
        missed.append("unreviewed")
    return missed


def target_state(row: dict) -> str:
    """What the target column says for a rule's row: ok, MISSED: ..., or too few to judge."""
    missed = target_misses(row)
    if missed:
        return "MISSED: " + ", ".join(missed)
    reviewed = row["true"] + row["false"] + row["debatable"]
    return "ok" if reviewed >= MIN_SAMPLE else f"too few to judge ({reviewed} < {MIN_SAMPLE})"


def wrong_tone_messages(findings, verdicts: dict[str, Verdict], family_of: dict[str, str]) -> int:
    """Distinct messages (file, line) that carry at least one tone finding judged wrong."""
    return len({(f.path, f.line) for f in findings if family_of.get(f.code) == TONE
                and verdicts.get(f.fingerprint) is not None and verdicts[f.fingerprint].verdict == "false"})
