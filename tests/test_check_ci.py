"""`botlint check` in CI: baselines, the result cache, worker processes, --output-file."""

import json
import shutil
from pathlib import Path

import pytest

from conftest import REPO
from linter.cli import main
from linter.engine.result_cache import ResultCache
from linter.engine.runner import lint_paths
from linter.engine.settings import Overrides, SettingsResolver

PITCH = '''flow hello:
  channel instagram
  language en
  trigger message keywords "hi"

  step greet:
    say "Hi! Shop now and save 15% on your first order: https://shop.example/checkout"
    end
'''


def json_report(capsys, *argv) -> tuple[int, dict]:
    code = main(["check", "--format", "json", *argv])
    return code, json.loads(capsys.readouterr().out)


# --- baseline -------------------------------------------------------------------

def test_baseline_hides_known_findings_and_survives_unrelated_edits(project, capsys):
    flow = project / "hello.flow"
    flow.write_text(PITCH, encoding="utf-8")
    assert main(["check", "--write-baseline", ".botlint-baseline.json"]) == 0
    assert "wrote 1 finding" in capsys.readouterr().err
    recorded = json.loads((project / ".botlint-baseline.json").read_text(encoding="utf-8"))
    assert [entry["code"] for entry in recorded["findings"]] == ["BL201"]

    # Comments and a new step above move the finding down; it is still the same finding.
    flow.write_text("# moved down\n\n" + PITCH.replace("  step greet:", "  step intro:\n    say \"Hello!\"\n"
                                                      "    goto greet\n\n  step greet:"), encoding="utf-8")
    code, report = json_report(capsys, "--baseline", ".botlint-baseline.json")
    assert code == 0 and report["findings"] == []
    assert report["baseline"]["matched"] == 1 and report["baseline"]["fixed"] == []


def test_baseline_reports_new_findings_and_fixed_ones(project, capsys):
    flow = project / "hello.flow"
    flow.write_text(PITCH, encoding="utf-8")
    assert main(["check", "--write-baseline", "base.json"]) == 0
    capsys.readouterr()
    # The old pitch is rewritten (fixed) and a new one is added in another step.
    flow.write_text(PITCH.replace("Shop now and save 15% on your first order: https://shop.example/checkout",
                                  "What brings you here?")
                    + '\nflow promo:\n  channel instagram\n  trigger message keywords "hi"\n  step s:\n'
                      '    say "Buy now: 30% off today only"\n    end\n', encoding="utf-8")
    code = main(["check", "--baseline", "base.json", "--no-color"])
    out = capsys.readouterr().out
    assert code == 1
    assert "hello.flow:14:5: BL201" in out and "30% off" in out
    assert "1 finding in the baseline no longer found (fixed)" in out
    assert "fixed: hello.flow:7: BL201" in out


def test_baseline_of_files_not_linted_is_neither_matched_nor_fixed(project, capsys):
    (project / "a.flow").write_text(PITCH, encoding="utf-8")
    (project / "b.flow").write_text(PITCH, encoding="utf-8")
    main(["check", "--write-baseline", "base.json"])
    capsys.readouterr()
    code, report = json_report(capsys, "--baseline", "base.json", "a.flow")  # pre-commit: one file
    assert code == 0 and report["baseline"] == {"matched": 1, "fixed": []}


def test_duplicate_fingerprints_are_counted(project, capsys):
    flow = project / "hello.flow"
    flow.write_text(PITCH, encoding="utf-8")
    main(["check", "--write-baseline", "base.json"])
    capsys.readouterr()
    # The same offending text twice in the same step: the baseline held it once.
    flow.write_text(PITCH.replace("    end\n", "    say \"Hi! Shop now and save 15% on your first order: "
                                  "https://shop.example/checkout\"\n    end\n"), encoding="utf-8")
    code, report = json_report(capsys, "--baseline", "base.json", "--select", "BL201")
    assert code == 1 and len(report["findings"]) == 1 and report["baseline"]["matched"] == 1


@pytest.mark.parametrize("content, message", [
    (None, "baseline file not found"),
    ('{"findings": [1, 2', "base.json:1:"),
    ('{"findings": {}}', "not a botlint baseline"),
    ('{"baseline_version": 99, "findings": []}', "baseline version 99 is not supported"),
])
def test_bad_baseline_is_exit_2_with_the_file(project, capsys, content, message):
    (project / "hello.flow").write_text(PITCH, encoding="utf-8")
    if content is not None:
        (project / "base.json").write_text(content, encoding="utf-8")
    assert main(["check", "--baseline", "base.json"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("base.json") and message in err and "Traceback" not in err


# --- result cache ---------------------------------------------------------------

def _lint(project: Path, cache: ResultCache | None, jobs: int = 1, overrides: Overrides | None = None):
    return lint_paths([project], SettingsResolver(overrides or Overrides(), cwd=project), jobs=jobs, cache=cache)


def _examples(project: Path) -> Path:
    target = project / "flows"
    shutil.copytree(REPO / "examples", target)
    return target


def test_cache_reuses_results_until_a_file_or_the_config_changes(project):
    flows = _examples(project)
    cold = ResultCache(project)
    first = _lint(flows, cold)
    assert cold.hits == 0 and first.findings
    warm = ResultCache(project)
    second = _lint(flows, warm)
    assert warm.misses == 0 and warm.hits == first.files
    assert second.findings == first.findings and second.errors == first.errors

    (flows / "tone-bad.flow").write_text("flow f:\n  step s:\n    say \"Hi!\"\n    end\n", encoding="utf-8")
    edited = ResultCache(project)
    third = _lint(flows, edited)
    assert edited.misses == 1 and not any(f.path.endswith("tone-bad.flow") for f in third.findings)

    (flows / ".botlint.yaml").write_text("ignore: [BL201]\n", encoding="utf-8")
    reconfigured = ResultCache(project)
    fourth = _lint(flows, reconfigured)
    assert reconfigured.hits == 0 and "BL201" not in {f.code for f in fourth.findings}


def test_cache_keeps_parse_errors_and_survives_a_damaged_entry(project):
    (project / "broken.flow").write_text("flow f:\n  step s:\n    sya \"hi\"\n", encoding="utf-8")
    first = _lint(project, ResultCache(project))
    [entry] = (project / ".botlint_cache").glob("v*/*.json")
    again = ResultCache(project)
    second = _lint(project, again)
    assert again.hits == 1
    assert [(e.path, e.line, e.col, e.message, type(e)) for e in second.errors] == \
           [(e.path, e.line, e.col, e.message, type(e)) for e in first.errors]
    entry.write_text("{damaged", encoding="utf-8")
    damaged = ResultCache(project)
    assert [e.message for e in _lint(project, damaged).errors] == [e.message for e in first.errors]
    assert damaged.misses == 1


def test_cache_folder_ignores_itself_in_git(project, capsys):
    (project / "hello.flow").write_text(PITCH, encoding="utf-8")
    main(["check", "-q"])
    assert (project / ".botlint_cache" / ".gitignore").read_text(encoding="utf-8").strip().endswith("*")
    assert (project / ".botlint_cache" / "CACHEDIR.TAG").is_file()
    shutil.rmtree(project / ".botlint_cache")
    main(["check", "-q", "--no-cache"])
    assert not (project / ".botlint_cache").exists()


def test_cached_project_folder_changes_with_any_of_its_files(project):
    shutil.copytree(REPO / "tests" / "fixtures" / "rasa" / "cafe", project / "cafe")
    _lint(project / "cafe", ResultCache(project))
    domain = project / "cafe" / "domain.yml"
    domain.write_text(domain.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    cache = ResultCache(project)
    _lint(project / "cafe", cache)
    assert cache.hits == 0 and cache.misses == 1


# --- jobs -----------------------------------------------------------------------

def test_jobs_give_the_same_result_in_the_same_order(project):
    flows = _examples(project)
    for number in range(6):  # enough units for a pool
        shutil.copy(flows / "everything-wrong.flow", flows / f"copy-{number}.flow")
    (flows / "broken.flow").write_text("flow f:\n  step s:\n    sya \"hi\"\n", encoding="utf-8")
    serial = _lint(flows, None, jobs=1)
    parallel = _lint(flows, None, jobs=2)
    assert parallel.findings == serial.findings
    assert [str(e) for e in parallel.errors] == [str(e) for e in serial.errors]
    assert (parallel.files, parallel.notices) == (serial.files, serial.notices)


def test_jobs_option(project, capsys):
    (project / "hello.flow").write_text(PITCH, encoding="utf-8")
    assert main(["check", "-q", "--jobs", "2"]) == 1
    with pytest.raises(SystemExit) as exit_:
        main(["check", "--jobs", "0"])
    assert exit_.value.code == 2 and "--jobs must be 1 or more" in capsys.readouterr().err


# --- output file ------------------------------------------------------------------

def test_output_file_gets_the_report_and_stdout_stays_empty(project, capsys):
    (project / "hello.flow").write_text(PITCH, encoding="utf-8")
    assert main(["check", "--format", "json", "--output-file", "reports/botlint.json"]) == 1
    assert capsys.readouterr().out == ""
    report = json.loads((project / "reports" / "botlint.json").read_text(encoding="utf-8"))
    assert [f["code"] for f in report["findings"]] == ["BL201"]


def test_unwritable_output_file_is_exit_2(project, capsys):
    (project / "hello.flow").write_text(PITCH, encoding="utf-8")
    (project / "taken").write_text("a file, not a folder", encoding="utf-8")
    assert main(["check", "-o", "taken/report.txt"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("taken/report.txt: error: cannot write the report") and "Traceback" not in err
