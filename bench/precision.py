"""Precision of botlint's findings on the shared corpus of real bots, from reviewed verdicts.

    python bench/precision.py [--corpus DIR] [--update] [--json]
    python bench/precision.py --suite

--suite measures the labelled suite instead (tests/cases, see tests/labelled.py): per family, the
problem cases flagged and missed, the near-misses flagged, precision and recall (targets: precision
>= 0.95, recall >= 0.90 per family).

Lints the corpus (../shared/corpus or $BOTLINT_CORPUS) with tests/corpus.botlint.yaml and reads
tests/corpus_verdicts.yaml (see tests/ecosystem.py). Prints, per rule and per family, how many
findings were judged true, false and debatable, precision = true / (true + false), the share of
debatable findings, and the share of corpus messages that carry a wrong tone finding. Targets:
every default-on rule at precision >= 0.90 with at most 20 % debatable (judged from 10 reviewed
findings; below that a rule misses only when the 95 % interval is clear: precision under 0.90 even at
its top, or debatable over 20 % even at its bottom; else it shows as too few to judge); wrong tone flags on at most 3 % of messages.

--update rewrites the verdicts file for today's findings: new ones are added as `todo` (the test
fails until someone reads each in its flow and gives a verdict and a reason), wrong ones that are
gone become `fixed`, true and debatable ones that are gone are dropped (review the diff).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

WRONG_TONE_MAX = 0.03
SUITE_PRECISION = 0.95
SUITE_RECALL = 0.90


def suite() -> int:
    from labelled import cases, disagreements, fired, known, scores

    found = cases()
    by_case = fired(found)
    table = scores(found, by_case)
    languages = sorted({case.name.split("/")[0] for case in found})
    print(f"labelled suite: {len(found)} cases in {', '.join(languages)}, "
          f"{sum(1 for c in found if not c.expect)} near-misses")
    print(f"{'family':<11} {'flagged':>7} {'missed':>6} {'false':>5} {'quiet':>5} {'precision':>9} {'recall':>6}  target")
    for family, row in table.items():
        if not (row["tp"] or row["fn"] or row["fp"] or row["tn"]):
            continue
        precision = "-" if row["precision"] is None else f"{row['precision']:.2f}"
        recall = "-" if row["recall"] is None else f"{row['recall']:.2f}"
        missed = []
        if row["precision"] is not None and row["precision"] < SUITE_PRECISION:
            missed.append(f"precision < {SUITE_PRECISION}")
        if row["recall"] is not None and row["recall"] < SUITE_RECALL:
            missed.append(f"recall < {SUITE_RECALL}")
        print(f"{family:<11} {row['tp']:>7} {row['fn']:>6} {row['fp']:>5} {row['tn']:>5} {precision:>9} {recall:>6}  "
              f"{'MISSED: ' + ', '.join(missed) if missed else 'ok'}")
    listed = known()
    for d in disagreements(found, by_case):
        print(f"  {d.kind:<11} {d.family:<10} {d.case}{'  (known: ' + listed[d.key()] + ')' if d.key() in listed else ''}")
    return 0


def main() -> int:
    from ecosystem import (corpus_messages, dump_verdicts, lint_corpus, load_verdicts, precision_table, review,
                           target_state, updated, wrong_tone_messages)
    from linter.rules import all_rules

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path,
                        default=Path(os.environ.get("BOTLINT_CORPUS", ROOT.parent / "shared" / "corpus")))
    parser.add_argument("--update", action="store_true", help="rewrite the verdicts file for today's findings")
    parser.add_argument("--json", action="store_true", help="print the table as JSON")
    parser.add_argument("--suite", action="store_true", help="measure the labelled suite in tests/cases instead")
    args = parser.parse_args()
    if args.suite:
        return suite()
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}: set BOTLINT_CORPUS", file=sys.stderr)
        return 2
    result = lint_corpus(args.corpus)
    verdicts = load_verdicts()
    if args.update:
        verdicts = updated(result.findings, verdicts)
        from ecosystem import VERDICTS

        dump_verdicts(verdicts)
        todo = sum(1 for v in verdicts.values() if v.verdict == "todo")
        print(f"wrote {VERDICTS.relative_to(ROOT)}: {len(verdicts)} entries, {todo} to review (verdict: todo)")
    rules = all_rules()
    family_of = {code: rule.family for code, rule in rules.items()}
    table = precision_table(result.findings, verdicts, family_of)
    messages = corpus_messages(args.corpus)
    wrong_tone = wrong_tone_messages(result.findings, verdicts, family_of)
    if args.json:
        print(json.dumps({"rows": table, "messages": messages, "wrong_tone_messages": wrong_tone,
                          "import_errors": len(result.errors)}, indent=2))
        return 0
    print(f"corpus: {args.corpus}  ({result.files} files, {messages} bot messages, "
          f"{len(result.findings)} findings, {len(result.errors)} import errors)")
    print(f"{'family':<11} {'rule':<6} {'found':>5} {'true':>5} {'false':>5} {'debat':>5} {'todo':>5} "
          f"{'precision':>9} {'debat%':>6}  target")
    for row in table:
        precision = "-" if row["precision"] is None else f"{row['precision']:.2f}"
        print(f"{row['family']:<11} {row['rule']:<6} {row['findings']:>5} {row['true']:>5} {row['false']:>5} "
              f"{row['debatable']:>5} {row['todo']:>5} {precision:>9} {row['debatable_share']:>6.0%}  "
              f"{target_state(row) if row['rule'] != 'all' else ''}")
    share = wrong_tone / messages if messages else 0.0
    print(f"messages with a wrong tone finding: {wrong_tone} of {messages} ({share:.1%}; target <= "
          f"{WRONG_TONE_MAX:.0%}){'' if share <= WRONG_TONE_MAX else '  MISSED'}")
    state = review(result.findings, verdicts)
    if not state.clean:
        print(f"verdicts out of date: {len(state.unreviewed)} unreviewed, {len(state.came_back)} came back, "
              f"{len(state.lost)} lost, {len(state.now_fixed)} gone (run with --update)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
