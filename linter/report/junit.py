"""JUnit XML (`--format junit`), for GitLab, Jenkins and other test-report viewers.

One `<testsuite name="botlint">` in `<testsuites>`. Each finding is a testcase
named "CODE line:col" (classname: its file) with a `<failure type="CODE">`;
each linted file or project folder without findings or errors is one passing
testcase; each input that could not be checked is a testcase with an
`<error>`. The counts on both elements add up to those testcases.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import PurePath
from typing import TextIO

from linter.core.results import LintResult
from linter.report import message_with_hint

# Characters XML 1.0 cannot hold even escaped; a flow file may still contain them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def report(result: LintResult, out: TextIO, **_: object) -> None:
    suite = ET.Element("testsuite", name="botlint")
    for error in result.errors:
        place = f" {error.line}" + (f":{error.col}" if error.col else "") if error.line else ""
        case = ET.SubElement(suite, "testcase", classname=_text(error.path or "botlint"), name=f"error{place}")
        ET.SubElement(case, "error", message=_text(error.message), type=type(error).__name__).text = _text(str(error))
    for finding in result.findings:
        case = ET.SubElement(suite, "testcase", classname=_text(finding.path),
                             name=f"{finding.code} {finding.line}:{finding.col}")
        details = [f"{finding.path}:{finding.line}:{finding.col}: {finding.code} {finding.name} "
                   f"[{finding.severity}]", message_with_hint(finding)]
        if finding.snippet:
            details.append(finding.snippet)
        ET.SubElement(case, "failure", message=_text(finding.message),
                      type=finding.code).text = _text("\n".join(details))
    # A linted project folder passes only if no file in it has a finding or an error.
    reported = [f.path for f in result.findings] + [e.path for e in result.errors if e.path]
    touched = {str(folder) for path in reported for folder in (PurePath(path), *PurePath(path).parents)}
    for linted in sorted(result.linted):
        if str(PurePath(linted)) not in touched:
            ET.SubElement(suite, "testcase", classname=_text(linted), name="no findings")
    counts = {"tests": len(suite), "failures": len(result.findings), "errors": len(result.errors)}
    suite.attrib.update({key: str(value) for key, value in counts.items()}, skipped="0")
    suites = ET.Element("testsuites", name="botlint", **{key: str(value) for key, value in counts.items()})
    suites.append(suite)
    ET.indent(suites)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(suites, encoding="unicode"))
    out.write("\n")
