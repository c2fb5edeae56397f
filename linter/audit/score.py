"""Scores: 100 per family and overall, less a deduction per finding; the weights are rulesets/audit.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from linter.audit.facts import FAMILY_TITLES, FindingGroup
from linter.core.errors import ConfigError
from linter.core.severity import SEVERITIES

FULL = 100
POOR = "poor"


@dataclass(frozen=True)
class Weights:
    deduction: dict[str, int]  # severity -> points
    cap_per_rule: int
    grades: tuple[tuple[int, str], ...]  # (lowest score, word), best first

    def grade(self, score: int) -> str:
        return next((word for lowest, word in self.grades if score >= lowest), POOR)


@dataclass
class Deduction:
    code: str
    severity: str
    path: str
    line: int
    message: str
    points: int
    capped: bool  # the rule's cap took some or all of this finding's weight


@dataclass
class FamilyScore:
    family: str
    title: str
    score: int
    grade: str
    deductions: list[Deduction]


@dataclass
class Score:
    overall: int
    grade: str
    families: list[FamilyScore]  # every family that can score (meta only when it found something)

    @property
    def deductions(self) -> list[Deduction]:
        return [deduction for family in self.families for deduction in family.deductions]


@lru_cache(maxsize=4)
def load_weights(path: Path | None = None) -> Weights:
    from ruamel.yaml import YAML, YAMLError

    from linter.resources import data_dir

    path = path or data_dir("rulesets") / "audit.yaml"
    try:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    except (OSError, YAMLError) as exc:
        raise ConfigError(f"cannot read the audit weights: {exc}", str(path)) from None
    return _weights(data, str(path))


def _weights(data, source: str) -> Weights:
    def number(value, what: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(f"{what} must be a whole number of points, 0 or more", source)
        return value

    if not isinstance(data, dict) or set(data) != {"deduction", "cap_per_rule", "grades"}:
        raise ConfigError("the audit weights need exactly: deduction, cap_per_rule, grades", source)
    deduction = data["deduction"]
    if not isinstance(deduction, dict) or set(deduction) != set(SEVERITIES):
        raise ConfigError(f"deduction needs a number for each of {', '.join(SEVERITIES)}", source)
    grades = data["grades"]
    if not isinstance(grades, dict):
        raise ConfigError("grades must map a word to the lowest score that earns it", source)
    ranked = sorted(((number(low, f"grade '{word}'"), str(word)) for word, low in grades.items()), reverse=True)
    return Weights({severity: number(points, f"deduction.{severity}") for severity, points in deduction.items()},
                   number(data["cap_per_rule"], "cap_per_rule"), tuple(ranked))


def score_groups(groups: list[FindingGroup], weights: Weights) -> Score:
    """Score findings grouped by family (one flow's, or a file's findings outside any flow)."""
    spent: dict[str, int] = {}
    by_family = {group.family: group for group in groups}
    families = []
    for family, title in FAMILY_TITLES.items():
        group = by_family.get(family)
        if group is None and family == "meta":
            continue
        deductions = []
        for finding in group.findings if group else ():
            weight = weights.deduction[finding.severity]
            points = max(0, min(weight, weights.cap_per_rule - spent.get(finding.code, 0)))
            spent[finding.code] = spent.get(finding.code, 0) + points
            deductions.append(Deduction(finding.code, finding.severity, finding.path, finding.line,
                                        finding.message, points, points < weight))
        score = _floor(FULL - sum(d.points for d in deductions))
        families.append(FamilyScore(family, title, score, weights.grade(score), deductions))
    overall = _floor(FULL - sum(spent.values()))
    return Score(overall, weights.grade(overall), families)


def combine(flow_scores: list[int], outside: Score, weights: Weights) -> tuple[int, str]:
    """A file's score: the average of its flows', less what findings outside any flow cost."""
    lost = sum(d.points for d in outside.deductions)
    base = round(sum(flow_scores) / len(flow_scores)) if flow_scores else FULL
    score = _floor(base - lost)
    return score, weights.grade(score)


def average(scores: list[int], weights: Weights) -> tuple[int, str]:
    score = round(sum(scores) / len(scores)) if scores else FULL
    return score, weights.grade(score)


def _floor(score: int) -> int:
    return max(0, score)
